package io.keyline.integration;

import io.keyline.store.Keyspace;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Transaction;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many clients at once on shared keys: no lost updates, no torn values, multi-key commands and
 * transactions are atomic. Commands run on several event loops at once, so this exercises the
 * stripe locks and the dispatcher's lock ordering.
 */
class ConcurrencyIT extends ServerTestBase {
    private static final int CLIENTS = 50;

    /** Runs {@code task(i)} for i in 0..n-1 on n threads, all starting together; rethrows failures. */
    private static <T> List<T> runTogether(int n, IndexedTask<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int id = i;
                futures.add(pool.submit((Callable<T>) () -> {
                    start.await();
                    return task.run(id);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) results.add(f.get(60, TimeUnit.SECONDS));
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    interface IndexedTask<T> {
        T run(int id) throws Exception;
    }

    interface Step {
        void run(Jedis j, int id, long iteration) throws Exception;
    }

    /**
     * Writers each run {@code writeSteps} steps; readers keep observing until every writer is done
     * and they made at least {@code minReads} observations each. Counts instead of a wall-clock
     * deadline keep the test meaningful on a slow, shared machine. Returns the total observations.
     */
    private long writersAndReaders(int writers, long writeSteps, Step write, int readers, long minReads, Step read)
            throws Exception {
        AtomicLong writersRunning = new AtomicLong(writers);
        AtomicLong observations = new AtomicLong();
        AtomicBoolean failed = new AtomicBoolean();
        runTogether(writers + readers, id -> {
            try (Jedis j = newJedis()) {
                if (id < writers) {
                    try {
                        for (long i = 0; i < writeSteps && !failed.get(); i++) write.run(j, id, i);
                    } finally {
                        writersRunning.decrementAndGet();
                    }
                } else {
                    long i = 0;
                    while (!failed.get() && (writersRunning.get() > 0 || i < minReads)) {
                        read.run(j, id, i++);
                        observations.incrementAndGet();
                    }
                }
            } catch (Throwable t) {
                failed.set(true);
                throw t;
            }
            return null;
        });
        return observations.get();
    }

    @Test
    void fiftyClientsIncrementingSharedKeysEndAtTheExactTotal() throws Exception {
        int perClient = 10_000;
        int batch = 500;
        String[] keys = {"counter:a", "counter:b", "counter:c", "counter:d", "counter:e"};
        runTogether(CLIENTS, id -> {
            try (Jedis j = newJedis()) {
                for (int done = 0; done < perClient; done += batch) {
                    Pipeline p = j.pipelined();
                    for (int i = 0; i < batch; i++) p.incr(keys[(id + done + i) % keys.length]);
                    p.sync();
                }
            }
            return null;
        });
        long total = 0;
        for (String k : keys) total += Long.parseLong(jedis.get(k));
        assertThat(total).isEqualTo((long) CLIENTS * perClient);
        // The keys were hit evenly: each one's count is exact too.
        for (String k : keys) assertThat(jedis.get(k)).isEqualTo(Long.toString((long) CLIENTS * perClient / keys.length));
    }

    @Test
    void fiftyClientsIncrementingOneKeyWithPlainCalls() throws Exception {
        int perClient = 200;
        runTogether(CLIENTS, id -> {
            try (Jedis j = newJedis()) {
                for (int i = 0; i < perClient; i++) j.incr("hot");
            }
            return null;
        });
        assertThat(jedis.get("hot")).isEqualTo(Integer.toString(CLIENTS * perClient));
    }

    @Test
    void largeValuesAreNeverTorn() throws Exception {
        int size = 256 * 1024;
        int writers = 4;
        int readers = 4;
        byte[][] keys = {"big:0".getBytes(), "big:1".getBytes()};
        byte[][] values = new byte[writers][size];
        for (int w = 0; w < writers; w++) java.util.Arrays.fill(values[w], (byte) ('A' + w));
        for (byte[] k : keys) jedis.set(k, values[0]);
        Set<Byte> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        long reads = writersAndReaders(writers, 150, (j, id, i) -> j.set(keys[(int) (i % keys.length)], values[id]),
                readers, 50, (j, id, i) -> {
                    byte[] v = j.get(keys[(int) (i % keys.length)]);
                    assertThat(v).hasSize(size);
                    byte first = v[0];
                    for (int b = 0; b < size; b++) {
                        if (v[b] != first) {
                            throw new AssertionError("torn value: byte " + b + " is " + (char) v[b] + ", byte 0 is " + (char) first);
                        }
                    }
                    seen.add(first);
                });
        assertThat(reads).isGreaterThanOrEqualTo(readers * 50L);
        assertThat(seen).as("readers saw several writers' values").hasSizeGreaterThan(1);
    }

    /** Keys that fall into different stripes, so MSET has to take several locks. */
    private String[] keysInDistinctStripes(String prefix, int count) {
        Keyspace ks = keyline.server().keyspace();
        List<String> keys = new ArrayList<>();
        Set<Integer> stripes = new HashSet<>();
        for (int i = 0; keys.size() < count; i++) {
            String k = prefix + i;
            if (stripes.add(ks.stripeOf(k.getBytes(StandardCharsets.UTF_8)))) keys.add(k);
        }
        return keys.toArray(String[]::new);
    }

    @Test
    void readersNeverSeeAHalfAppliedMset() throws Exception {
        String[] keys = keysInDistinctStripes("mset:", 8);
        String[] initial = new String[keys.length * 2];
        for (int i = 0; i < keys.length; i++) {
            initial[2 * i] = keys[i];
            initial[2 * i + 1] = "0";
        }
        jedis.mset(initial);
        long observations = writersAndReaders(3, 500, (j, id, generation) -> {
            String value = id + ":" + generation;
            String[] kv = new String[keys.length * 2];
            for (int i = 0; i < keys.length; i++) {
                kv[2 * i] = keys[i];
                kv[2 * i + 1] = value;
            }
            j.mset(kv);
        }, 5, 50, (j, id, i) -> {
            List<String> got = j.mget(keys);
            assertThat(new HashSet<>(got)).as("MGET after concurrent MSETs: %s", got).hasSize(1);
        });
        assertThat(observations).isGreaterThanOrEqualTo(250);
    }

    @Test
    void transactionsAreNeverInterleavedWithOtherClients() throws Exception {
        String[] keys = keysInDistinctStripes("tx:", 2);
        String x = keys[0];
        String y = keys[1];
        jedis.set(x, "0");
        jedis.set(y, "0");
        AtomicLong committed = new AtomicLong();
        long observations = writersAndReaders(4, 300, (j, id, i) -> {
            Transaction t = j.multi();
            t.incr(x);
            t.incr(y);
            List<Object> r = t.exec();
            assertThat(r).hasSize(2);
            assertThat((Long) r.get(0)).isEqualTo((Long) r.get(1));
            committed.incrementAndGet();
        }, 4, 50, (j, id, i) -> {
            if (id % 2 == 0) {
                List<String> got = j.mget(x, y);
                assertThat(got.get(0)).as("x and y seen by MGET").isEqualTo(got.get(1));
            } else {
                Transaction t = j.multi();
                t.get(x);
                t.get(y);
                List<Object> r = t.exec();
                assertThat(r.get(0)).as("x and y read in one transaction").isEqualTo(r.get(1));
            }
        });
        assertThat(committed.get()).isEqualTo(1200);
        assertThat(jedis.get(x)).isEqualTo("1200");
        assertThat(jedis.get(y)).isEqualTo("1200");
        assertThat(observations).isGreaterThanOrEqualTo(200);
    }

    @Test
    void watchBasedCounterWithTenClientsEndsExact() throws Exception {
        int clients = 10;
        int perClient = 100;
        jedis.set("optimistic", "0");
        List<Long> retries = runTogether(clients, id -> {
            long aborted = 0;
            try (Jedis j = newJedis()) {
                for (int done = 0; done < perClient; ) {
                    j.watch("optimistic");
                    long v = Long.parseLong(j.get("optimistic"));
                    Transaction t = j.multi();
                    t.set("optimistic", Long.toString(v + 1));
                    List<Object> r = t.exec();
                    if (r == null) {
                        aborted++;
                    } else {
                        assertThat(r).containsExactly("OK");
                        done++;
                    }
                }
            }
            return aborted;
        });
        assertThat(jedis.get("optimistic")).isEqualTo(Integer.toString(clients * perClient));
        // With ten clients racing, some transactions must have been aborted by WATCH.
        assertThat(retries.stream().mapToLong(Long::longValue).sum()).isGreaterThan(0);
    }
}
