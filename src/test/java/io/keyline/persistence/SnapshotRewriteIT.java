package io.keyline.persistence;

import io.keyline.server.KeylineServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * BGREWRITEAOF taken from a copy-on-write snapshot while Jedis clients keep writing (strings,
 * counters, APPEND, lists, hashes, sets, TTLs, deletes — several of them not idempotent), then a
 * restart: the data loaded from base + incr equals what the clients were acknowledged, key by key.
 * Each writer owns its keys, so it can keep the expected state itself.
 */
class SnapshotRewriteIT {
    private static final int PRELOAD = 150_000;
    private static final int WRITERS = 4;
    private Path dir;
    private KeylineServer server;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("keyline-snapshot-rewrite");
    }

    @AfterEach
    void tearDown() throws IOException {
        if (server != null) server.stop();
        AofTestSupport.deleteTree(dir);
    }

    /** The expected state of one writer's keys. */
    private static final class Model {
        final Map<String, String> strings = new HashMap<>();
        final Set<String> withTtl = new HashSet<>();
        final Map<String, Long> counters = new HashMap<>();
        final Map<String, LinkedList<String>> lists = new HashMap<>();
        final Map<String, Map<String, String>> hashes = new HashMap<>();
        final Map<String, Set<String>> sets = new HashMap<>();

        int size() {
            return strings.size() + counters.size() + lists.size() + hashes.size() + sets.size();
        }
    }

    private static void randomOp(Jedis j, Model m, int w, Random rnd) {
        int n = rnd.nextInt(300);
        String v = "v" + rnd.nextInt(100_000);
        switch (rnd.nextInt(10)) {
            case 0, 1 -> {
                String k = "w" + w + ":s:" + n;
                j.set(k, v);
                m.strings.put(k, v);
                m.withTtl.remove(k);
            }
            case 2 -> {
                String k = "w" + w + ":s:" + n;
                j.append(k, v);
                m.strings.merge(k, v, String::concat);
            }
            case 3 -> {
                String k = "w" + w + ":s:" + n;
                if (j.pexpire(k, 3_600_000) == 1) m.withTtl.add(k);
                else assertThat(m.strings).doesNotContainKey(k);
            }
            case 4 -> {
                String k = "w" + w + ":" + "slhz".charAt(rnd.nextInt(4)) + ":" + n;
                j.del(k);
                m.strings.remove(k);
                m.withTtl.remove(k);
                m.lists.remove(k);
                m.hashes.remove(k);
                m.sets.remove(k);
            }
            case 5 -> {
                String k = "w" + w + ":c:" + n;
                long got = j.incr(k);
                m.counters.merge(k, 1L, Long::sum);
                assertThat(got).isEqualTo(m.counters.get(k));
            }
            case 6 -> {
                String k = "w" + w + ":l:" + n;
                if (rnd.nextInt(3) == 0) {
                    String popped = j.lpop(k);
                    LinkedList<String> l = m.lists.get(k);
                    assertThat(popped).isEqualTo(l == null ? null : l.pollFirst());
                    if (l != null && l.isEmpty()) m.lists.remove(k);
                } else {
                    j.rpush(k, v);
                    m.lists.computeIfAbsent(k, x -> new LinkedList<>()).add(v);
                }
            }
            case 7, 8 -> {
                String k = "w" + w + ":h:" + n;
                String f = "f" + rnd.nextInt(30);
                j.hset(k, f, v);
                m.hashes.computeIfAbsent(k, x -> new HashMap<>()).put(f, v);
            }
            default -> {
                String k = "w" + w + ":z:" + n;
                String member = "m" + rnd.nextInt(50);
                if (rnd.nextInt(3) == 0) {
                    j.srem(k, member);
                    Set<String> s = m.sets.get(k);
                    if (s != null) {
                        s.remove(member);
                        if (s.isEmpty()) m.sets.remove(k);
                    }
                } else {
                    j.sadd(k, member);
                    m.sets.computeIfAbsent(k, x -> new HashSet<>()).add(member);
                }
            }
        }
    }

    private static String persistenceField(Jedis j, String name) {
        for (String line : j.info("persistence").split("\r\n")) {
            if (line.startsWith(name + ":")) return line.substring(name.length() + 1);
        }
        throw new AssertionError("no " + name + " in INFO persistence");
    }

    @Test
    void bgrewriteaofUnderConcurrentWritesRestartsToTheAcknowledgedData() throws Exception {
        server = AofTestSupport.start(dir, "appendfsync", "no");
        int port = server.port();
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            Pipeline p = j.pipelined();
            for (int i = 0; i < PRELOAD; i++) {
                p.set("pre:" + i, "value-" + i);
                if (i % 5000 == 4999) p.sync();
            }
            p.sync();
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong ops = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Model[] models = new Model[WRITERS];
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            Model m = models[w] = new Model();
            int id = w;
            Thread t = new Thread(() -> {
                Random rnd = new Random(1000 + id);
                try (Jedis j = new Jedis("127.0.0.1", port, 30_000)) {
                    while (!stop.get()) {
                        randomOp(j, m, id, rnd);
                        ops.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            t.start();
            writers.add(t);
        }
        long duringRewrites = 0;
        try (Jedis j = new Jedis("127.0.0.1", port, 30_000)) {
            while (ops.get() < 500) Thread.sleep(5);
            for (int r = 0; r < 3; r++) {
                long before = ops.get();
                j.bgrewriteaof();
                while (!"0".equals(persistenceField(j, "aof_rewrite_in_progress"))) Thread.sleep(5);
                duringRewrites += ops.get() - before;
                assertThat(persistenceField(j, "aof_last_bgrewrite_status")).isEqualTo("ok");
                Thread.sleep(50);
            }
        }
        stop.set(true);
        for (Thread t : writers) t.join();
        if (failure.get() != null) throw new AssertionError(failure.get());
        assertThat(duringRewrites).as("writes acknowledged while rewriting").isPositive();

        server.stop();
        server = AofTestSupport.start(dir);
        try (Jedis j = new Jedis("127.0.0.1", server.port(), 30_000)) {
            long expectedKeys = PRELOAD;
            for (Model m : models) expectedKeys += m.size();
            assertThat(j.dbSize()).isEqualTo(expectedKeys);
            assertThat(j.get("pre:0")).isEqualTo("value-0");
            assertThat(j.get("pre:" + (PRELOAD - 1))).isEqualTo("value-" + (PRELOAD - 1));
            for (Model m : models) {
                for (Map.Entry<String, String> e : m.strings.entrySet()) {
                    assertThat(j.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
                    long ttl = j.pttl(e.getKey());
                    if (m.withTtl.contains(e.getKey())) assertThat(ttl).as(e.getKey()).isPositive();
                    else assertThat(ttl).as(e.getKey()).isEqualTo(-1);
                }
                for (Map.Entry<String, Long> e : m.counters.entrySet()) {
                    assertThat(j.get(e.getKey())).as(e.getKey()).isEqualTo(Long.toString(e.getValue()));
                }
                for (Map.Entry<String, LinkedList<String>> e : m.lists.entrySet()) {
                    assertThat(j.lrange(e.getKey(), 0, -1)).as(e.getKey()).isEqualTo(e.getValue());
                }
                for (Map.Entry<String, Map<String, String>> e : m.hashes.entrySet()) {
                    assertThat(j.hgetAll(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
                }
                for (Map.Entry<String, Set<String>> e : m.sets.entrySet()) {
                    assertThat(j.smembers(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
                }
            }
        }
    }
}
