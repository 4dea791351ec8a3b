package io.keyline.integration;

import io.keyline.testkit.RespClient;
import io.lettuce.core.KeyValue;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HashCommandsIT extends ServerTestBase {
    private static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

    @Test
    void setGetAndFriends() {
        assertThat(jedis.hset("h", Map.of("f1", "v1", "f2", "v2"))).isEqualTo(2);
        assertThat(lettuce.hset("h", "f1", "new")).isFalse();
        assertThat(lettuce.hset("h", Map.of("f3", "v3"))).isEqualTo(1);
        assertThat(jedis.hmset("h", Map.of("f4", "v4"))).isEqualTo("OK");
        assertThat(jedis.hget("h", "f1")).isEqualTo("new");
        assertThat(lettuce.hget("h", "nofield")).isNull();
        assertThat(jedis.hget("nokey", "f")).isNull();
        assertThat(jedis.hmget("h", "f1", "nofield", "f3")).containsExactly("new", null, "v3");
        assertThat(lettuce.hmget("h", "f2", "zz")).extracting(kv -> kv.getValueOrElse(null)).containsExactly("v2", null);
        assertThat(jedis.hlen("h")).isEqualTo(4);
        assertThat(lettuce.hlen("nokey")).isZero();
        assertThat(jedis.hstrlen("h", "f1")).isEqualTo(3);
        assertThat(lettuce.hstrlen("h", "zz")).isZero();
        assertThat(jedis.hexists("h", "f1")).isTrue();
        assertThat(lettuce.hexists("h", "zz")).isFalse();
        assertThat(jedis.hsetnx("h", "f1", "x")).isZero();
        assertThat(lettuce.hsetnx("h", "f5", "v5")).isTrue();
        assertThat(jedis.hkeys("h")).containsExactlyInAnyOrder("f1", "f2", "f3", "f4", "f5");
        assertThat(lettuce.hvals("h")).containsExactlyInAnyOrder("new", "v2", "v3", "v4", "v5");
        assertThat(jedis.hgetAll("h")).containsEntry("f5", "v5").hasSize(5);
        assertThat(lettuce.hgetall("h")).containsEntry("f1", "new").hasSize(5);
        assertThat(jedis.hgetAll("nokey")).isEmpty();
        assertThat(lettuce.hkeys("nokey")).isEmpty();
    }

    @Test
    void listpackKeepsInsertionOrder() {
        jedis.hset("h", "c", "1");
        jedis.hset("h", "a", "2");
        jedis.hset("h", "b", "3");
        jedis.hset("h", "a", "4");
        assertThat(lettuce.hkeys("h")).containsExactly("c", "a", "b");
        assertThat(new LinkedHashMap<>(lettuce.hgetall("h")).keySet()).containsExactly("c", "a", "b");
    }

    @Test
    void hdelDeletesEmptiedKey() {
        jedis.hset("h", Map.of("a", "1", "b", "2"));
        assertThat(jedis.hdel("h", "a", "zz")).isEqualTo(1);
        assertThat(lettuce.hdel("h", "zz")).isZero();
        assertThat(jedis.hdel("nokey", "a")).isZero();
        assertThat(lettuce.hdel("h", "b")).isEqualTo(1);
        assertThat(jedis.exists("h")).isFalse();
    }

    @Test
    void incrementsAndTheirErrors() throws Exception {
        assertThat(jedis.hincrBy("n", "a", 5)).isEqualTo(5);
        assertThat(lettuce.hincrby("n", "a", -10)).isEqualTo(-5);
        jedis.hset("n", Map.of("s", "hello", "big", "9223372036854775807"));
        assertThatThrownBy(() -> jedis.hincrBy("n", "s", 1)).hasMessage("ERR hash value is not an integer");
        assertThatThrownBy(() -> jedis.hincrBy("n", "big", 1)).hasMessage("ERR increment or decrement would overflow");
        assertThat(jedis.hincrByFloat("n", "x", 10.5)).isEqualTo(10.5);
        assertThat(lettuce.hincrbyfloat("n", "x", 0.1)).isEqualTo(10.6);
        assertThat(jedis.hget("n", "x")).isEqualTo("10.6");
        assertThatThrownBy(() -> jedis.hincrByFloat("n", "s", 1)).hasMessage("ERR hash value is not a float");
        try (RespClient r = new RespClient(port())) {
            assertThat(r.call("HINCRBY", "n", "a", "x")).isEqualTo("-ERR value is not an integer or out of range\r\n");
            assertThat(r.call("HINCRBYFLOAT", "n", "x", "abc")).isEqualTo("-ERR value is not a valid float\r\n");
            assertThat(r.call("HINCRBYFLOAT", "n", "x", "inf")).isEqualTo("-ERR value is NaN or Infinity\r\n");
            assertThat(r.call("HINCRBYFLOAT", "n", "y", "5.6")).isEqualTo("$3\r\n5.6\r\n");
            // Redis computes in long double: 5.6 + 5000 prints as 5005.60000000000000009
            assertThat(r.call("HINCRBYFLOAT", "n", "y", "5000")).isEqualTo("$22\r\n5005.60000000000000009\r\n");
            assertThat(r.call("HINCRBYFLOAT", "n", "z", "1e20")).isEqualTo("$21\r\n100000000000000000000\r\n");
        }
    }

    @Test
    void hrandfieldShapes() throws Exception {
        jedis.hset("r", Map.of("a", "1", "b", "2", "c", "3"));
        assertThat(jedis.hrandfield("r")).isIn("a", "b", "c");
        assertThat(jedis.hrandfield("nokey")).isNull();
        assertThat(jedis.hrandfield("r", 2)).hasSize(2).doesNotHaveDuplicates().isSubsetOf("a", "b", "c");
        assertThat(jedis.hrandfield("r", 10)).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(jedis.hrandfield("r", -7)).hasSize(7).isSubsetOf("a", "b", "c");
        assertThat(jedis.hrandfield("r", 0)).isEmpty();
        List<Map.Entry<String, String>> withValues = jedis.hrandfieldWithValues("r", -5);
        assertThat(withValues).hasSize(5);
        for (Map.Entry<String, String> e : withValues) assertThat(jedis.hget("r", e.getKey())).isEqualTo(e.getValue());
        List<KeyValue<String, String>> lk = lettuce.hrandfieldWithvalues("r", 3);
        assertThat(lk).hasSize(3);
        for (KeyValue<String, String> kv : lk) assertThat(jedis.hget("r", kv.getKey())).isEqualTo(kv.getValue());
        assertThat(lettuce.hrandfield("r", -2)).hasSize(2);
        jedis.hset("one", "f", "v");
        try (RespClient r2 = new RespClient(port()); RespClient r3 = new RespClient(port()).resp3()) {
            assertThat(r2.call("HRANDFIELD", "one", "-2", "WITHVALUES")).isEqualTo("*4\r\n$1\r\nf\r\n$1\r\nv\r\n$1\r\nf\r\n$1\r\nv\r\n");
            assertThat(r3.call("HRANDFIELD", "one", "-2", "WITHVALUES"))
                    .isEqualTo("*2\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
            assertThat(r3.call("HRANDFIELD", "one", "3", "WITHVALUES")).isEqualTo("*1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
            assertThat(r3.call("HRANDFIELD", "nokey")).isEqualTo("_\r\n");
            assertThat(r2.call("HRANDFIELD", "one", "1", "FOO")).isEqualTo("-ERR syntax error\r\n");
            assertThat(r2.call("HRANDFIELD", "one", "x")).isEqualTo("-ERR value is not an integer or out of range\r\n");
            assertThat(r2.call("HRANDFIELD", "one", "-9223372036854775807", "WITHVALUES")).isEqualTo("-ERR value is out of range\r\n");
        }
    }

    @Test
    void hgetallIsAMapInResp3() throws Exception {
        jedis.hset("h", "f", "v");
        try (RespClient r2 = new RespClient(port()); RespClient r3 = new RespClient(port()).resp3()) {
            assertThat(r2.call("HGETALL", "h")).isEqualTo("*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
            assertThat(r3.call("HGETALL", "h")).isEqualTo("%1\r\n$1\r\nf\r\n$1\r\nv\r\n");
            assertThat(r3.call("HGETALL", "nokey")).isEqualTo("%0\r\n");
            assertThat(r3.call("HKEYS", "h")).isEqualTo("*1\r\n$1\r\nf\r\n");
            assertThat(r3.call("HGET", "h", "zz")).isEqualTo("_\r\n");
        }
    }

    @Test
    void hscanListpackAndHashtable() throws Exception {
        jedis.hset("small", Map.of("f1", "v1", "f2", "v2", "x", "y"));
        ScanResult<Map.Entry<String, String>> sr = jedis.hscan("small", ScanParams.SCAN_POINTER_START, new ScanParams().count(1));
        assertThat(sr.getCursor()).isEqualTo("0");
        assertThat(sr.getResult()).hasSize(3);
        sr = jedis.hscan("small", "0", new ScanParams().match("f*"));
        assertThat(sr.getResult()).extracting(Map.Entry::getKey).containsExactlyInAnyOrder("f1", "f2");
        Map<String, String> big = new HashMap<>();
        for (int i = 0; i < 1000; i++) big.put("field:" + i, "value:" + i);
        jedis.hset("big", big);
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        int calls = 0;
        do {
            sr = jedis.hscan("big", cursor, new ScanParams().count(50));
            for (Map.Entry<String, String> e : sr.getResult()) {
                assertThat(e.getValue()).isEqualTo(big.get(e.getKey()));
                seen.add(e.getKey());
            }
            cursor = sr.getCursor();
            calls++;
        } while (!cursor.equals("0"));
        assertThat(seen).isEqualTo(big.keySet());
        assertThat(calls).isGreaterThan(5);
        MapScanCursor<String, String> lc = lettuce.hscan("big", ScanCursor.INITIAL, ScanArgs.Builder.matches("field:99*").limit(2000));
        assertThat(lc.getMap()).containsOnlyKeys("field:99", "field:990", "field:991", "field:992", "field:993",
                "field:994", "field:995", "field:996", "field:997", "field:998", "field:999");
        try (RespClient r = new RespClient(port())) {
            assertThat(r.call("HSCAN", "small", "x")).isEqualTo("-ERR invalid cursor\r\n");
            assertThat(r.call("HSCAN", "small", "0", "COUNT", "0")).isEqualTo("-ERR syntax error\r\n");
            assertThat(r.call("HSCAN", "nokey", "0")).isEqualTo("*2\r\n$1\r\n0\r\n*0\r\n");
        }
    }

    @Test
    void wrongTypeAndArity() throws Exception {
        jedis.set("str", "x");
        List<Runnable> calls = List.of(
                () -> jedis.hset("str", "f", "v"), () -> jedis.hmset("str", Map.of("f", "v")),
                () -> jedis.hsetnx("str", "f", "v"), () -> jedis.hget("str", "f"), () -> jedis.hmget("str", "f"),
                () -> jedis.hdel("str", "f"), () -> jedis.hlen("str"), () -> jedis.hstrlen("str", "f"),
                () -> jedis.hexists("str", "f"), () -> jedis.hkeys("str"), () -> jedis.hvals("str"),
                () -> jedis.hgetAll("str"), () -> jedis.hincrBy("str", "f", 1), () -> jedis.hincrByFloat("str", "f", 1),
                () -> jedis.hrandfield("str"), () -> jedis.hrandfield("str", 2), () -> jedis.hscan("str", "0"),
                () -> lettuce.hget("str", "f"), () -> lettuce.hgetall("str"));
        for (Runnable call : calls) assertThatThrownBy(call::run).hasMessageContaining(WRONGTYPE);
        try (RespClient r = new RespClient(port())) {
            assertThat(r.call("HSET", "h", "f")).isEqualTo("-ERR wrong number of arguments for 'hset' command\r\n");
            assertThat(r.call("HSET", "h", "f", "v", "g")).isEqualTo("-ERR wrong number of arguments for 'hset' command\r\n");
            assertThat(r.call("HMSET", "h", "f", "v", "g")).isEqualTo("-ERR wrong number of arguments for 'hmset' command\r\n");
            assertThat(r.call("HGET", "h")).isEqualTo("-ERR wrong number of arguments for 'hget' command\r\n");
        }
    }

    @Test
    void encodingThresholdsFollowConfig() {
        keyline.server().config().set("hash-max-listpack-entries", "2", false);
        try {
            jedis.hset("h", Map.of("a", "1", "b", "2"));
            jedis.hset("h", "c", "3");
            assertThat(jedis.hgetAll("h")).hasSize(3);
            for (int i = 0; i < 500; i++) jedis.hset("h", "f" + i, "v" + i);
            assertThat(jedis.hlen("h")).isEqualTo(503);
            assertThat(jedis.hget("h", "f321")).isEqualTo("v321");
        } finally {
            keyline.server().config().set("hash-max-listpack-entries", "512", false);
        }
    }
}
