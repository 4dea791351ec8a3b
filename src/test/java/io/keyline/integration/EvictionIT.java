package io.keyline.integration;

import io.keyline.embed.EmbeddedKeyline;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Key-count capacity and maxmemory with each eviction policy. Eviction samples keys like Redis,
 * so victim choice is checked statistically, with margins wide enough never to flake.
 */
class EvictionIT {
    private static final int CAPACITY = 100;

    private int port;

    private void withServer(Consumer<EmbeddedKeyline.Builder> settings, ServerTest test) throws Exception {
        EmbeddedKeyline.Builder b = EmbeddedKeyline.builder();
        settings.accept(b);
        try (EmbeddedKeyline keyline = b.start(); Jedis jedis = new Jedis("127.0.0.1", keyline.port(), 10_000)) {
            port = keyline.port();
            test.run(jedis);
        }
    }

    interface ServerTest {
        void run(Jedis jedis) throws Exception;
    }

    private static Consumer<EmbeddedKeyline.Builder> capacity(String policy) {
        return b -> b.capacity(CAPACITY).config("maxmemory-policy", policy);
    }

    private static void fill(Jedis jedis, String prefix, int from, int to) {
        Pipeline p = jedis.pipelined();
        for (int i = from; i < to; i++) p.set(prefix + i, "v");
        p.sync();
    }

    private static int surviving(Jedis jedis, String prefix, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) if (jedis.exists(prefix + i)) n++;
        return n;
    }

    /** Sends raw inline commands on a fresh connection; returns the first {@code lines} reply lines. */
    private java.util.List<String> rawOnce(String request, int lines) throws java.io.IOException {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            java.io.BufferedReader in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(s.getInputStream(), java.nio.charset.StandardCharsets.ISO_8859_1));
            java.util.List<String> out = new java.util.ArrayList<>();
            while (out.size() < lines) {
                String line = in.readLine();
                if (line == null) break;
                if (line.startsWith("$")) continue; // bulk header: the data follows on the next line
                out.add(line);
            }
            return out;
        }
    }

    @Test
    void everyEvictingPolicyKeepsTheKeyCountAtTheCap() throws Exception {
        for (String policy : new String[]{"allkeys-lru", "allkeys-random", "allkeys-lfu"}) {
            withServer(capacity(policy), jedis -> {
                for (int i = 0; i < 1000; i++) {
                    assertThat(jedis.set("key:" + i, "v")).isEqualTo("OK");
                    assertThat(jedis.dbSize()).as("%s after %d writes", policy, i + 1).isLessThanOrEqualTo((long) CAPACITY);
                }
                assertThat(jedis.dbSize()).as(policy).isEqualTo((long) CAPACITY);
                // The key just written always survives its own write.
                assertThat(jedis.get("key:999")).isEqualTo("v");
            });
        }
    }

    @Test
    void capacityWithPipelinedWritesFromSeveralClients() throws Exception {
        withServer(capacity("allkeys-random"), jedis -> {
            Thread[] writers = new Thread[4];
            for (int t = 0; t < writers.length; t++) {
                int id = t;
                writers[t] = new Thread(() -> {
                    try (Jedis j = new Jedis("127.0.0.1", port, 10_000)) {
                        fill(j, "w" + id + ":", 0, 2000);
                    }
                });
                writers[t].start();
            }
            for (Thread t : writers) t.join(60_000);
            assertThat(jedis.dbSize()).isEqualTo((long) CAPACITY);
        });
    }

    @Test
    void allkeysLruPrefersKeysNotTouchedRecently() throws Exception {
        withServer(capacity("allkeys-lru"), jedis -> {
            fill(jedis, "old:", 0, CAPACITY);
            // The LRU clock ticks in seconds (as Redis's): let the keys age, then touch half of them.
            Thread.sleep(2100);
            for (int i = 0; i < CAPACITY / 2; i++) jedis.get("old:" + i);
            for (int i = 0; i < CAPACITY / 2; i++) jedis.set("new:" + i, "v");
            assertThat(jedis.dbSize()).isEqualTo((long) CAPACITY);
            int touched = surviving(jedis, "old:", 0, CAPACITY / 2);
            int untouched = surviving(jedis, "old:", CAPACITY / 2, CAPACITY);
            // Perfect LRU: 50 touched and 0 untouched survive; random eviction: ~25 and ~25. With
            // 5 samples per eviction a simulation gives ~43 and ~11 (never under 35 / over 20 in
            // 50,000 runs), so these bounds do not flake yet fail for random eviction.
            assertThat(touched).as("touched survivors (untouched: %d)", untouched).isGreaterThanOrEqualTo(35);
            assertThat(untouched).as("untouched survivors (touched: %d)", touched).isLessThanOrEqualTo(25);
            assertThat(touched - untouched).isGreaterThanOrEqualTo(12);
        });
    }

    @Test
    void allkeysLfuPrefersKeysUsedOften() throws Exception {
        withServer(capacity("allkeys-lfu"), jedis -> {
            fill(jedis, "k:", 0, CAPACITY);
            Pipeline p = jedis.pipelined();
            for (int round = 0; round < 100; round++) {
                for (int i = 0; i < CAPACITY / 2; i++) p.get("k:" + i);
            }
            p.sync();
            for (int i = 0; i < CAPACITY / 2; i++) jedis.set("new:" + i, "v");
            assertThat(jedis.dbSize()).isEqualTo((long) CAPACITY);
            int hot = surviving(jedis, "k:", 0, CAPACITY / 2);
            int cold = surviving(jedis, "k:", CAPACITY / 2, CAPACITY);
            // Simulated with 5 samples per eviction: ~48.5 hot survive, never fewer than 42.
            assertThat(hot).as("hot survivors (cold: %d)", cold).isGreaterThanOrEqualTo(40);
            assertThat(hot - cold).isGreaterThanOrEqualTo(15);
        });
    }

    @Test
    void volatileLruEvictsOnlyKeysWithATtl() throws Exception {
        withServer(capacity("volatile-lru"), jedis -> {
            fill(jedis, "persistent:", 0, CAPACITY / 2);
            for (int i = 0; i < CAPACITY / 2; i++) jedis.set("volatile:" + i, "v", SetParams.setParams().ex(1000));
            for (int i = 0; i < CAPACITY / 2; i++) assertThat(jedis.set("more:" + i, "v")).isEqualTo("OK");
            assertThat(jedis.dbSize()).isEqualTo((long) CAPACITY);
            assertThat(surviving(jedis, "persistent:", 0, CAPACITY / 2)).isEqualTo(CAPACITY / 2);
            assertThat(surviving(jedis, "more:", 0, CAPACITY / 2)).isEqualTo(CAPACITY / 2);
            assertThat(surviving(jedis, "volatile:", 0, CAPACITY / 2)).isZero();
            // Nothing left to evict: the next new key is refused, updates still work.
            assertThatThrownBy(() -> jedis.set("one-more", "v")).isInstanceOf(JedisDataException.class)
                    .hasMessageStartingWith("OOM ");
            assertThat(jedis.set("more:0", "updated")).isEqualTo("OK");
        });
    }

    @Test
    void volatileTtlEvictsKeysClosestToExpiry() throws Exception {
        withServer(capacity("volatile-ttl"), jedis -> {
            fill(jedis, "persistent:", 0, CAPACITY / 2);
            // volatile:i expires in 1000+i*100 seconds: low i = soonest.
            for (int i = 0; i < CAPACITY / 2; i++) {
                jedis.set("volatile:" + i, "v", SetParams.setParams().ex(1000 + i * 100L));
            }
            for (int i = 0; i < 20; i++) jedis.set("more:" + i, "v");
            assertThat(jedis.dbSize()).isEqualTo((long) CAPACITY);
            assertThat(surviving(jedis, "persistent:", 0, CAPACITY / 2)).isEqualTo(CAPACITY / 2);
            int soonSurvivors = surviving(jedis, "volatile:", 0, CAPACITY / 4);
            int lateSurvivors = surviving(jedis, "volatile:", CAPACITY / 4, CAPACITY / 2);
            // 20 evictions among 50 volatile keys: perfect TTL order evicts the 20 soonest; random
            // order would leave ~15 of each half; 5 samples per eviction leave ~6 and ~24.
            assertThat(lateSurvivors).as("late survivors (soon: %d)", soonSurvivors).isGreaterThanOrEqualTo(19);
            assertThat(soonSurvivors).as("soon survivors (late: %d)", lateSurvivors).isLessThanOrEqualTo(12);
            assertThat(lateSurvivors - soonSurvivors).isGreaterThanOrEqualTo(8);
        });
    }

    @Test
    void noevictionRefusesNewKeysAtCapacity() throws Exception {
        withServer(capacity("noeviction"), jedis -> {
            fill(jedis, "k:", 0, CAPACITY);
            assertThatThrownBy(() -> jedis.set("k:new", "v")).isInstanceOf(JedisDataException.class)
                    .hasMessage("OOM command not allowed when the number of keys has reached 'capacity'.");
            assertThat(jedis.set("k:1", "updated")).isEqualTo("OK");
            assertThat(jedis.del("k:2")).isEqualTo(1L);
            assertThat(jedis.set("k:new", "v")).isEqualTo("OK");
        });
    }

    @Test
    void maxmemoryUnderNoevictionGivesRedisOomError() throws Exception {
        withServer(b -> b.config("maxmemory", "2mb").config("maxmemory-policy", "noeviction"), jedis -> {
            String value = "x".repeat(10_000);
            JedisDataException oom = null;
            int written = 0;
            for (int i = 0; i < 2000 && oom == null; i++) {
                try {
                    jedis.set("big:" + i, value);
                    written++;
                } catch (JedisDataException e) {
                    oom = e;
                }
            }
            assertThat(oom).as("OOM after %d writes of 10 KB", written).isNotNull();
            assertThat(oom.getMessage()).isEqualTo("OOM command not allowed when used memory > 'maxmemory'.");
            assertThat(written).isBetween(50, 400);
            // As Redis: inside MULTI every command is refused while queueing (the queue grows
            // memory too), and EXEC then aborts.
            assertThat(rawOnce("MULTI\r\nSET q v\r\nGET big:0\r\nEXEC\r\n", 4)).containsExactly(
                    "+OK", "-OOM command not allowed when used memory > 'maxmemory'.",
                    "-OOM command not allowed when used memory > 'maxmemory'.",
                    "-EXECABORT Transaction discarded because of previous errors.");
            assertThat(rawOnce("MULTI\r\nSET q v\r\nDISCARD\r\n", 3)).containsExactly(
                    "+OK", "-OOM command not allowed when used memory > 'maxmemory'.", "+OK");
            // Reads and deletes still work; deleting frees memory for writes again.
            assertThat(jedis.get("big:0")).isEqualTo(value);
            for (int i = 0; i < written; i++) jedis.del("big:" + i);
            assertThat(jedis.set("small", "v")).isEqualTo("OK");
        });
    }

    @Test
    void maxmemoryWithAllkeysLruEvictsInsteadOfFailing() throws Exception {
        withServer(b -> b.config("maxmemory", "2mb").config("maxmemory-policy", "allkeys-lru"), jedis -> {
            String value = "x".repeat(10_000);
            for (int i = 0; i < 1000; i++) assertThat(jedis.set("big:" + i, value)).isEqualTo("OK");
            long keys = jedis.dbSize();
            assertThat(keys).isBetween(50L, 400L);
            assertThat(jedis.get("big:999")).isEqualTo(value);
        });
    }
}
