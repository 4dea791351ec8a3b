package io.keyline.persistence;

import io.keyline.server.KeylineServer;
import io.keyline.store.type.SetValue;
import io.keyline.store.type.SortedSetValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sets and sorted sets survive a restart: random pops (logged as SREM / ZPOPMIN), stores, moves
 * and served blocking pops replay to the same data, before and after an AOF rewrite (SADD/ZADD
 * batches from {@code emit}), with the same encodings.
 */
class SetZsetAofIT {
    private Path dir;
    private KeylineServer server;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("keyline-aof-sets");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) server.stop();
        AofTestSupport.deleteTree(dir);
    }

    private Map<String, String> populate() throws Exception {
        server = AofTestSupport.start(dir, "appendfsync", "always");
        Random rnd = new Random(7);
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            for (int i = 0; i < 400; i++) {
                jedis.sadd("ints", Integer.toString(rnd.nextInt(1000)));
                jedis.sadd("big", "member-" + rnd.nextInt(500));
                jedis.zadd("zbig", rnd.nextInt(100) / 4.0, "m" + rnd.nextInt(300));
            }
            jedis.sadd("small", "a", "b", "c");
            jedis.zadd("zsmall", Map.of("x", 1.0, "y", Double.NEGATIVE_INFINITY, "z", 0.1 + 0.2));
            jedis.spop("big", 50);
            jedis.spop("ints");
            jedis.smove("small", "moved", "a");
            jedis.sunionstore("union", "small", "ints");
            jedis.zincrby("zbig", 1e-7, "m1");
            jedis.zpopmin("zbig", 10);
            jedis.zremrangeByScore("zbig", "10", "12");
            jedis.zunionstore("zunion", "zsmall", "zbig");
            jedis.sendCommand(() -> "ZMPOP".getBytes(), "1".getBytes(), "zsmall".getBytes(), "MAX".getBytes());
            CompletableFuture<Object> waiter = CompletableFuture.supplyAsync(() -> {
                try (Jedis other = new Jedis("127.0.0.1", server.port())) {
                    return other.bzpopmax(5, "waiting");
                }
            });
            for (int i = 0; i < 200 && server.context().blocking().blockedClients() == 0; i++) Thread.sleep(10);
            jedis.zadd("waiting", Map.of("p", 1.0, "q", 2.0));
            assertThat(waiter.get(5, TimeUnit.SECONDS)).isNotNull();
        }
        Map<String, String> before = contents();
        assertThat(before).containsKeys("ints", "big", "zbig", "union", "moved", "waiting");
        return before;
    }

    private Map<String, String> restart() throws Exception {
        server.stop();
        server = AofTestSupport.start(dir);
        return contents();
    }

    /** Every key's members (sorted, for sets) or members and scores (in order, for zsets). */
    private Map<String, String> contents() {
        Map<String, String> out = new java.util.TreeMap<>();
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            for (String key : jedis.keys("*")) {
                String type = jedis.type(key);
                if (type.equals("set")) out.put(key, new java.util.TreeSet<>(jedis.smembers(key)).toString());
                else out.put(key, jedis.zrangeWithScores(key, 0, -1).toString());
            }
        }
        return out;
    }

    private String encoding(String key) {
        Object v = server.keyspace().db(0).lookupNoTouch(key.getBytes()).value();
        return v instanceof SetValue s ? s.encoding() : ((SortedSetValue) v).encoding();
    }

    @Test
    void replayAndRewriteGiveTheSameData() throws Exception {
        Map<String, String> before = populate();
        assertThat(restart()).isEqualTo(before);
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertThat(jedis.save()).isEqualTo("OK");
        }
        assertThat(restart()).isEqualTo(before);
        assertThat(encoding("ints")).isEqualTo("intset");
        assertThat(encoding("small")).isEqualTo("listpack");
        assertThat(encoding("big")).isEqualTo("hashtable");
        assertThat(encoding("zbig")).isEqualTo("skiplist");
        assertThat(encoding("waiting")).isEqualTo("listpack");
    }
}
