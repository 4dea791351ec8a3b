package io.keyline.persistence;

import io.keyline.server.KeylineServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ListDirection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Lists and hashes survive AOF replay and AOF rewrite (RPUSH/HSET batches), incl. served blocking pops. */
class CollectionAofIT {
    private Path dir;
    private KeylineServer server;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("keyline-aof-collections");
    }

    @AfterEach
    void tearDown() throws IOException {
        if (server != null) server.stop();
        AofTestSupport.deleteTree(dir);
    }

    /** Every key's content: lists in order, hashes as sorted maps (hashtable order is not stable). */
    private Map<String, Object> contents() {
        Map<String, Object> out = new java.util.TreeMap<>();
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            for (String k : j.keys("*")) {
                String type = j.type(k);
                out.put(k, type.equals("list") ? j.lrange(k, 0, -1) : new java.util.TreeMap<>(j.hgetAll(k)));
            }
        }
        return out;
    }

    @Test
    void replayAndRewriteRebuildListsAndHashes() throws Exception {
        server = AofTestSupport.start(dir, "appendfsync", "always", "list-max-listpack-size", "4");
        try (Jedis j = new Jedis("127.0.0.1", server.port()); Jedis waiter = new Jedis("127.0.0.1", server.port())) {
            for (int i = 0; i < 300; i++) j.rpush("list", "e" + i);
            j.lpush("list", "head");
            j.linsert("list", redis.clients.jedis.args.ListPosition.AFTER, "e5", "ins");
            j.lset("list", 10, "set");
            j.lrem("list", 1, "e7");
            j.ltrim("list", 1, 250);
            j.lmove("list", "other", ListDirection.RIGHT, ListDirection.LEFT);
            j.lmpop(ListDirection.LEFT, 3, "nokey", "list");
            Map<String, String> fields = new HashMap<>();
            for (int i = 0; i < 700; i++) fields.put("f" + i, "v" + i);
            j.hset("big", fields);
            j.hset("small", Map.of("a", "1", "b", "2"));
            j.hincrByFloat("small", "a", 0.1);
            j.hincrBy("small", "b", 40);
            j.hdel("big", "f1", "f2");
            CompletableFuture<?> blocked = CompletableFuture.supplyAsync(() -> waiter.blpop(0.0, "q"));
            while (server.context().blocking().blockedClients() == 0) Thread.sleep(2);
            j.rpush("q", "x", "y");
            blocked.get(5, TimeUnit.SECONDS);
        }
        Map<String, Object> before = contents();
        assertThat(before.keySet()).containsExactlyInAnyOrder("list", "other", "big", "small", "q");
        server.stop();
        server = AofTestSupport.start(dir);
        assertThat(contents()).isEqualTo(before);
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            j.bgrewriteaof();
            long deadline = System.currentTimeMillis() + 20_000;
            while (!j.info("persistence").contains("aof_rewrite_in_progress:0") || j.info("persistence").contains("aof_rewrite_scheduled:1")) {
                assertThat(System.currentTimeMillis()).isLessThan(deadline);
                Thread.sleep(20);
            }
            Thread.sleep(200);
        }
        server.stop();
        server = AofTestSupport.start(dir);
        assertThat(contents()).isEqualTo(before);
    }
}
