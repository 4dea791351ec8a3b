package io.keyline.persistence;

import io.keyline.server.KeylineServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.params.SetParams;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Interoperability with the real redis-server 7 (skipped where it is not installed): a directory
 * written by redis-server ({@code aof-use-rdb-preamble no}) loads into Keyline with the same data,
 * and a directory written by Keyline (base from a rewrite + incr) loads into redis-server.
 */
class AofInteropIT {
    private Path dir;
    private Process redis;
    private KeylineServer keyline;

    @BeforeEach
    void setUp() throws IOException {
        org.assertj.core.api.Assertions.assertThat(redisServer()).as("redis-server is not installed (apt-get install redis-server; .ci/run installs it)").isNotNull();
        dir = Files.createTempDirectory("keyline-aof-interop");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (keyline != null) keyline.stop();
        if (redis != null) {
            redis.destroyForcibly();
            redis.waitFor();
        }
        if (dir != null) AofTestSupport.deleteTree(dir);
    }

    private static String redisServer() {
        for (String p : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            File f = new File(p, "redis-server");
            if (f.canExecute()) return f.getPath();
        }
        return null;
    }

    private int startRedis() throws Exception {
        int port = AofTestSupport.freePort();
        redis = new ProcessBuilder(redisServer(), "--port", Integer.toString(port), "--dir", dir.toString(),
                "--appendonly", "yes", "--aof-use-rdb-preamble", "no", "--save", "", "--daemonize", "no")
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        AofTestSupport.awaitPort(port, 20_000);
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            for (int i = 0; i < 200 && j.info("persistence").contains("loading:1"); i++) Thread.sleep(50);
        }
        return port;
    }

    private void stopRedis(Jedis j) throws InterruptedException {
        try {
            j.shutdown();
        } catch (RuntimeException e) {
            // the connection closes
        }
        redis.waitFor();
        redis = null;
    }

    /** The same mix of writes on either server: strings, TTLs, deletes, several databases, a transaction. */
    private static void writeData(Jedis j, String tag) {
        for (int i = 0; i < 50; i++) j.set(tag + "k" + i, "v" + i);
        j.set(tag + "ttl", "expiring", SetParams.setParams().ex(5000));
        j.set(tag + "pttl", "expiring", SetParams.setParams().px(4_000_000));
        j.del(tag + "k7", tag + "k8");
        j.set(tag + "bin", "a\r\nb\u0000c");
        j.select(3);
        j.set(tag + "db3", "three");
        j.select(0);
        Transaction t = j.multi();
        t.set(tag + "tx1", "1");
        t.set(tag + "tx2", "2");
        t.del(tag + "k9");
        t.exec();
    }

    /** db -> key -> value|ttl-seconds-rounded, read with KEYS/GET/PTTL (from redis-server). */
    private static Map<String, String> readWithKeys(Jedis j) {
        Map<String, String> out = new TreeMap<>();
        for (int db = 0; db < 16; db++) {
            j.select(db);
            for (String k : j.keys("*")) {
                long pttl = j.pttl(k);
                out.put(db + "/" + k, j.get(k) + "|" + (pttl < 0 ? -1 : Math.round(pttl / 100_000.0)));
            }
        }
        j.select(0);
        return out;
    }

    /** The same view from Keyline's keyspace (this branch has no KEYS/PTTL commands yet). */
    private static Map<String, String> readKeyline(KeylineServer s) {
        Map<String, String> out = new TreeMap<>();
        long now = System.currentTimeMillis();
        for (int db = 0; db < 16; db++) {
            for (var it = s.keyspace().db(db).iterator(); it.hasNext(); ) {
                var e = it.next();
                long pttl = e.expireAt() < 0 ? -1 : e.expireAt() - now;
                out.put(db + "/" + AofTestSupport.str(e.key()), AofTestSupport.str((byte[]) e.value()) + "|"
                        + (pttl < 0 ? -1 : Math.round(pttl / 100_000.0)));
            }
        }
        return out;
    }

    @Test
    void aDirectoryWrittenByRedisLoadsIntoKeyline() throws Exception {
        int port = startRedis();
        Map<String, String> expected;
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            j.set("before-rewrite", "1");
            j.set("ttl-in-base", "1", SetParams.setParams().ex(7000)); // Redis's base: SET + PEXPIREAT
            j.select(5);
            j.set("db5", "five");
            j.select(0);
            j.bgrewriteaof();
            for (int i = 0; i < 200 && j.info("persistence").contains("aof_rewrite_in_progress:1"); i++) Thread.sleep(50);
            writeData(j, "r-");
            expected = readWithKeys(j);
            stopRedis(j);
        }
        assertThat(expected).hasSize(56);
        List<String> files;
        try (var s = Files.list(dir.resolve("appendonlydir"))) {
            files = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(files).contains("appendonly.aof.manifest").anyMatch(f -> f.endsWith(".base.aof")).anyMatch(f -> f.endsWith(".incr.aof"));
        keyline = AofTestSupport.start(dir);
        assertThat(readKeyline(keyline)).isEqualTo(expected);
        try (Jedis j = new Jedis("127.0.0.1", keyline.port())) {
            assertThat(j.get("r-bin")).isEqualTo("a\r\nb\u0000c");
            j.set("written-by-keyline", "yes");
        }
        // and back again: Keyline appended to Redis's incr file, Redis reads it
        keyline.stop();
        keyline = null;
        expected.put("0/written-by-keyline", "yes|-1");
        port = startRedis();
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            assertThat(readWithKeys(j)).isEqualTo(expected);
            stopRedis(j);
        }
    }

    @Test
    void aDirectoryWrittenByKeylineLoadsIntoRedis() throws Exception {
        keyline = AofTestSupport.start(dir, "appendfsync", "always");
        try (Jedis j = new Jedis("127.0.0.1", keyline.port())) {
            writeData(j, "a-");
            assertThat(j.save()).isEqualTo("OK"); // base with content
            writeData(j, "b-");                  // incr after the rewrite
            j.set("a-k1", "changed-after-rewrite");
        }
        Map<String, String> expected = readKeyline(keyline);
        keyline.stop();
        keyline = null;
        assertThat(expected).hasSize(106);
        int port = startRedis();
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            assertThat(readWithKeys(j)).isEqualTo(expected);
            stopRedis(j);
        }
    }
}
