package io.keyline.integration;

import io.keyline.util.Crc64;
import io.keyline.embed.EmbeddedKeyline;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.RestoreParams;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * DUMP → RESTORE between Keyline and Debian's redis-server (7.0.15, which reads RDB version 10 at
 * most: Keyline is set to {@code rdb-version 10} for that direction) for every type and encoding,
 * values compared with DEBUG DIGEST-VALUE on both sides; byte-identical payloads where 7.0 and
 * 7.2 encode alike; corrupted payloads refused with Redis's errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DumpRestoreIT extends ServerTestBase {
    private Process redis;
    private Path redisDir;
    private Jedis r;

    @Override
    protected void configure(EmbeddedKeyline.Builder builder) {
        builder.config("enable-debug-command", "yes");
    }

    @BeforeAll
    void startRedis() throws Exception {
        assertThat(RedisCliIT.onPath("redis-server")).as("redis-server must be installed").isTrue();
        redisDir = Files.createTempDirectory("keyline-dump-redis");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        redis = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--enable-debug-command", "yes", "--daemonize", "no",
                "--dir", redisDir.toString())
                .redirectErrorStream(true).redirectOutput(redisDir.resolve("redis.log").toFile()).start();
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            try (Jedis j = new Jedis("127.0.0.1", port, 2000)) {
                j.ping();
                break;
            } catch (Exception e) {
                if (!redis.isAlive() || System.currentTimeMillis() > deadline) throw new IllegalStateException("redis-server did not start", e);
                Thread.sleep(50);
            }
        }
        r = new Jedis("127.0.0.1", port, 10_000);
    }

    @AfterAll
    void stopRedis() throws Exception {
        if (r != null) r.close();
        if (redis != null) {
            redis.destroy();
            if (!redis.waitFor(10, TimeUnit.SECONDS)) redis.destroyForcibly();
        }
        if (redisDir != null) {
            try (var files = Files.list(redisDir)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(redisDir);
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Every type in every encoding, each built by the same commands on both servers. */
    static Map<String, Consumer<Jedis>> fixtures() {
        Map<String, Consumer<Jedis>> f = new LinkedHashMap<>();
        f.put("str-int8", j -> j.set("k", "12"));
        f.put("str-int32", j -> j.set("k", "-123456789"));
        f.put("str-int64", j -> j.set("k", "12345678901234"));
        f.put("str-raw", j -> j.set("k", "hello world"));
        f.put("str-leading-zero", j -> j.set("k", "0123"));
        f.put("str-lzf", j -> j.set("k", "abcabcabcabc".repeat(40)));
        f.put("str-binary", j -> j.set(b("k"), new byte[] {0, (byte) 0xff, 1, (byte) 0x80, 10, 13}));
        f.put("str-big", j -> j.set("k", "x".repeat(100_000)));
        f.put("hll", j -> j.pfadd("k", "a", "b", "c", "d"));
        f.put("bitmap", j -> j.setbit("k", 1000, true));
        f.put("list-listpack", j -> j.rpush("k", "a", "1", "-70000", "bb", "5000000000", "x".repeat(70)));
        f.put("list-quicklist", j -> {
            for (int i = 0; i < 40; i++) j.rpush("k", "element-" + i + "-" + "y".repeat(i * 10));
            for (int i = 0; i < 500; i++) j.lpush("k", Integer.toString(i));
        });
        f.put("list-plain-big", j -> j.rpush("k", "a", "z".repeat(20_000), "b"));
        f.put("set-intset", j -> j.sadd("k", "3", "-1", "100000", "7"));
        f.put("set-intset64", j -> j.sadd("k", "3", "5000000000"));
        f.put("set-listpack", j -> j.sadd("k", "a", "b", "10"));
        f.put("set-hashtable", j -> {
            for (int i = 0; i < 300; i++) j.sadd("k", "member:" + i);
        });
        f.put("set-hashtable-ints", j -> {
            for (int i = 0; i < 600; i++) j.sadd("k", Integer.toString(i * 3));
        });
        f.put("hash-listpack", j -> j.hset("k", Map.of("f1", "v1", "f2", "2", "f3", "-300000")));
        f.put("hash-hashtable", j -> {
            for (int i = 0; i < 600; i++) j.hset("k", "field:" + i, "value:" + i);
        });
        f.put("hash-long-value", j -> j.hset("k", "f", "v".repeat(100)));
        f.put("zset-listpack", j -> {
            j.zadd("k", 1, "a");
            j.zadd("k", 2.5, "b");
            j.zadd("k", -3, "c");
            j.zadd("k", 1e20, "d");
        });
        f.put("zset-skiplist", j -> {
            for (int i = 0; i < 300; i++) j.zadd("k", i * 0.25, "m" + i);
        });
        f.put("zset-inf", j -> {
            j.zadd("k", Double.POSITIVE_INFINITY, "hi");
            j.zadd("k", Double.NEGATIVE_INFINITY, "lo");
        });
        f.put("stream", j -> {
            for (int i = 1; i <= 5; i++) j.sendCommand(Protocol.Command.XADD, "k", i + "-1", "f", "v" + i, "n", Integer.toString(i));
            j.sendCommand(Protocol.Command.XADD, "k", "6-0", "other", "fields");
        });
        f.put("stream-big", j -> {
            for (int i = 1; i <= 350; i++) j.sendCommand(Protocol.Command.XADD, "k", i + "-0", "field", "value-" + i);
        });
        f.put("stream-groups", j -> {
            for (int i = 1; i <= 10; i++) j.sendCommand(Protocol.Command.XADD, "k", i + "-0", "f", "v" + i);
            j.sendCommand(Protocol.Command.XGROUP, "CREATE", "k", "g1", "0");
            j.sendCommand(Protocol.Command.XGROUP, "CREATE", "k", "g2", "$");
            j.sendCommand(Protocol.Command.XREADGROUP, "GROUP", "g1", "alice", "COUNT", "3", "STREAMS", "k", ">");
            j.sendCommand(Protocol.Command.XREADGROUP, "GROUP", "g1", "bob", "COUNT", "2", "STREAMS", "k", ">");
            j.sendCommand(Protocol.Command.XACK, "k", "g1", "2-0");
        });
        f.put("stream-deleted", j -> {
            for (int i = 1; i <= 10; i++) j.sendCommand(Protocol.Command.XADD, "k", i + "-0", "f", "v" + i);
            j.sendCommand(Protocol.Command.XDEL, "k", "3-0", "1-0");
        });
        f.put("stream-empty", j -> {
            j.sendCommand(Protocol.Command.XADD, "k", "1-0", "f", "v");
            j.sendCommand(Protocol.Command.XDEL, "k", "1-0");
        });
        return f;
    }

    /** Fixtures whose DUMP must be byte-identical to redis-server's (same encoding in 7.0 and 7.2, deterministic order). */
    private static final List<String> IDENTICAL = List.of("str-int8", "str-int32", "str-int64", "str-raw", "str-leading-zero",
            "str-lzf", "str-binary", "str-big", "hll", "bitmap", "list-listpack", "set-intset", "set-intset64", "hash-listpack",
            "hash-long-value", "zset-listpack", "zset-inf", "stream", "stream-big", "stream-groups-nogroups");

    private String digest(Jedis j, String key) {
        return String.valueOf(j.sendCommand(() -> b("DEBUG"), "DIGEST-VALUE", key) instanceof List<?> l && !l.isEmpty()
                ? new String((byte[]) l.get(0), StandardCharsets.US_ASCII) : null);
    }

    private String streamInfo(Jedis j, String key) {
        Object full = j.sendCommand(Protocol.Command.XINFO, "STREAM", key, "FULL");
        return render(full).replaceAll("radix-tree-nodes, \\d+", "")
                // 7.2 keeps a consumer's active-time, 7.0.15 (the reference here) does not
                .replaceAll("active-time, \\d+, ", "");
    }

    private static String render(Object o) {
        if (o instanceof byte[] x) return new String(x, StandardCharsets.UTF_8);
        if (o instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            for (Object e : l) parts.add(render(e));
            return parts.toString();
        }
        return String.valueOf(o);
    }

    @Test
    void redisToKeylineEveryTypeAndEncoding() {
        for (var e : fixtures().entrySet()) {
            r.flushAll();
            jedis.flushAll();
            e.getValue().accept(r);
            byte[] payload = r.dump("k");
            assertThat(payload).as(e.getKey()).isNotNull();
            assertThat(jedis.restore(b("k"), 0, payload)).as(e.getKey()).isEqualTo("OK");
            assertThat(digest(jedis, "k")).as("digest of %s", e.getKey()).isEqualTo(digest(r, "k"));
            assertThat(jedis.type("k")).isEqualTo(r.type("k"));
            if (e.getKey().startsWith("stream")) assertThat(streamInfo(jedis, "k")).as(e.getKey()).isEqualTo(streamInfo(r, "k"));
            // the encoding Redis gives the same payload when it restores it (a restored string is re-encoded by content)
            r.restore(b("k2"), 0, payload);
            // 7.2 keeps small lists as listpack and small sets of strings as listpack, 7.0.15 as quicklist and
            // hashtable: those are compared by digest only
            if (!e.getKey().startsWith("stream") && !e.getKey().startsWith("list") && !e.getKey().equals("set-listpack")) {
                assertThat(jedis.objectEncoding("k")).as("encoding of %s", e.getKey()).isEqualTo(r.objectEncoding("k2"));
            }
        }
    }

    @Test
    void keylineToRedisEveryTypeAndEncoding() {
        jedis.configSet("rdb-version", "10");
        try {
            for (var e : fixtures().entrySet()) {
                r.flushAll();
                jedis.flushAll();
                e.getValue().accept(jedis);
                byte[] payload = jedis.dump("k");
                assertThat(r.restore(b("k"), 0, payload)).as(e.getKey()).isEqualTo("OK");
                assertThat(digest(r, "k")).as("digest of %s", e.getKey()).isEqualTo(digest(jedis, "k"));
                if (e.getKey().startsWith("stream")) assertThat(streamInfo(r, "k")).as(e.getKey()).isEqualTo(streamInfo(jedis, "k"));
                // and the same value restored into Keyline from its own version 11 dump
                jedis.configSet("rdb-version", "11");
                byte[] v11 = jedis.dump("k");
                jedis.restore(b("k2"), 0, v11);
                assertThat(digest(jedis, "k2")).as("v11 round trip of %s", e.getKey()).isEqualTo(digest(jedis, "k"));
                jedis.configSet("rdb-version", "10");
            }
        } finally {
            jedis.configSet("rdb-version", "11");
        }
    }

    @Test
    void payloadsAreByteIdenticalToRedisWhereTheEncodingsAgree() {
        jedis.configSet("rdb-version", "10");
        try {
            for (var e : fixtures().entrySet()) {
                if (!IDENTICAL.contains(e.getKey())) continue;
                r.flushAll();
                jedis.flushAll();
                e.getValue().accept(r);
                e.getValue().accept(jedis);
                assertThat(HexFormat.of().formatHex(jedis.dump("k"))).as(e.getKey()).isEqualTo(HexFormat.of().formatHex(r.dump("k")));
            }
        } finally {
            jedis.configSet("rdb-version", "11");
        }
        // Version 11 (7.2) differs from 7.0's only in the footer for these types.
        jedis.flushAll();
        jedis.set("k", "hello");
        byte[] p = jedis.dump("k");
        assertThat(p[p.length - 10]).isEqualTo((byte) 11);
    }

    @Test
    void restoreOptionsAndErrors() {
        jedis.set("src", "value");
        byte[] p = jedis.dump("src");
        assertThatThrownBy(() -> jedis.restore("src", 0, p)).hasMessage("BUSYKEY Target key name already exists.");
        assertThat(jedis.restore(b("src"), 0, p, RestoreParams.restoreParams().replace())).isEqualTo("OK");
        assertThatThrownBy(() -> jedis.restore("n", -1, p)).hasMessage("ERR Invalid TTL value, must be >= 0");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.RESTORE, b("n"), b("0"), p, b("IDLETIME"), b("-1")))
                .hasMessage("ERR Invalid IDLETIME value, must be >= 0");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.RESTORE, b("n"), b("0"), p, b("FREQ"), b("256")))
                .hasMessage("ERR Invalid FREQ value, must be >= 0 and <= 255");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.RESTORE, b("n"), b("0"), p, b("IDLETIME"), b("1"), b("FREQ"), b("1")))
                .hasMessage("ERR syntax error");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.RESTORE, b("n"), b("0"), p, b("bogus")))
                .hasMessage("ERR syntax error");
        assertThat(jedis.sendCommand(Protocol.Command.RESTORE, b("n"), b("0"), p, b("IDLETIME"), b("1000"))).isNotNull();
        assertThat(jedis.objectIdletime("n")).isGreaterThanOrEqualTo(1000L);
        // TTL: relative, absolute, already past
        jedis.restore(b("t1"), 100_000, p);
        assertThat(jedis.pttl("t1")).isBetween(90_000L, 100_000L);
        jedis.sendCommand(Protocol.Command.RESTORE, b("t2"), b(Long.toString(System.currentTimeMillis() + 50_000)), p, b("ABSTTL"));
        assertThat(jedis.pttl("t2")).isBetween(40_000L, 50_000L);
        assertThat(jedis.sendCommand(Protocol.Command.RESTORE, b("src"), b("1"), p, b("ABSTTL"), b("REPLACE"))).isNotNull();
        assertThat(jedis.exists("src")).isFalse();
        assertThat(jedis.dump("missing")).isNull();
    }

    @Test
    void corruptPayloadsAreRefusedWithRedisErrors() {
        for (Consumer<Jedis> f : fixtures().values()) {
            jedis.flushAll();
            f.accept(jedis);
            byte[] p = jedis.dump("k");
            byte[] flipped = p.clone();
            flipped[p.length / 2] ^= 0x5a;
            assertThatThrownBy(() -> jedis.restore(b("x"), 0, flipped)).hasMessage("ERR DUMP payload version or checksum are wrong");
            byte[] truncated = java.util.Arrays.copyOf(p, p.length - 3);
            assertThatThrownBy(() -> jedis.restore(b("x"), 0, truncated)).hasMessage("ERR DUMP payload version or checksum are wrong");
            byte[] version = p.clone();
            version[p.length - 10] = 12;
            assertThatThrownBy(() -> jedis.restore(b("x"), 0, version)).hasMessage("ERR DUMP payload version or checksum are wrong");
        }
        // A well-checksummed payload whose body is broken: Bad data format, and the server still answers.
        byte[] body = HexFormat.of().parseHex("0405"); // a hash of 5 fields with nothing after
        byte[] p = withFooter(body);
        assertThatThrownBy(() -> jedis.restore(b("x"), 0, p)).hasMessage("ERR Bad data format");
        assertThatThrownBy(() -> r.restore(b("x"), 0, p)).hasMessage("ERR Bad data format");
        byte[] empty = withFooter(HexFormat.of().parseHex("0200"));
        assertThatThrownBy(() -> jedis.restore(b("x"), 0, empty)).hasMessage("ERR Bad data format");
        byte[] unknownType = withFooter(HexFormat.of().parseHex("0700"));
        assertThatThrownBy(() -> jedis.restore(b("x"), 0, unknownType)).hasMessage("ERR Bad data format");
        assertThat(jedis.ping()).isEqualTo("PONG");
    }

    private static byte[] withFooter(byte[] body) {
        byte[] p = java.util.Arrays.copyOf(body, body.length + 10);
        p[body.length] = 10;
        long crc = io.keyline.util.Crc64.update(0, p, 0, body.length + 2);
        for (int i = 0; i < 8; i++) p[body.length + 2 + i] = (byte) (crc >>> (8 * i));
        return p;
    }

    @Test
    void restoreIsNotifiedAndPropagatedLikeRedis() throws Exception {
        jedis.configSet("notify-keyspace-events", "KEg");
        try (Jedis sub = newJedis()) {
            List<String> got = new ArrayList<>();
            Thread t = new Thread(() -> sub.subscribe(new redis.clients.jedis.JedisPubSub() {
                @Override
                public void onMessage(String channel, String message) {
                    got.add(channel + " " + message);
                    unsubscribe();
                }
            }, "__keyevent@0__:restore"));
            t.start();
            Thread.sleep(300);
            jedis.set("a", "1");
            jedis.restore(b("b"), 0, jedis.dump("a"));
            t.join(5000);
            assertThat(got).containsExactly("__keyevent@0__:restore b");
        } finally {
            jedis.configSet("notify-keyspace-events", "");
        }
    }

    @Test
    void jedisDataExceptionIsNotACrash() {
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.RESTORE, b("x"), b("0"), new byte[3]))
                .isInstanceOf(JedisDataException.class).hasMessage("ERR DUMP payload version or checksum are wrong");
    }
}
