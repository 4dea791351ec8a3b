package io.keyline.integration;

import io.lettuce.core.GetExArgs;
import io.lettuce.core.LcsArgs;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StringMatchResult;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.LCSParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.LCSMatchResult;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** String commands through Jedis (RESP2) and Lettuce (RESP3), including their error replies. */
class StringCommandsIT extends ServerTestBase {
    private static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

    private Object send(Protocol.Command cmd, String... args) {
        Object r = jedis.sendCommand(cmd, args);
        return r instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : r;
    }

    @Test
    void setAndGet() {
        assertThat(jedis.set("k", "v")).isEqualTo("OK");
        assertThat(jedis.get("k")).isEqualTo("v");
        assertThat(lettuce.get("k")).isEqualTo("v");
        assertThat(jedis.get("missing")).isNull();
        assertThat(lettuce.get("missing")).isNull();
        byte[] binary = {0, 1, (byte) 0xff, '\r', '\n'};
        jedis.set("bin".getBytes(), binary);
        assertThat(jedis.get("bin".getBytes())).isEqualTo(binary);
        jedis.set("empty", "");
        assertThat(jedis.get("empty")).isEmpty();
        assertThat(jedis.strlen("empty")).isZero();
    }

    @Test
    void setConditionsAndGet() {
        assertThat(jedis.set("k", "v1", SetParams.setParams().xx())).isNull();
        assertThat(jedis.set("k", "v1", SetParams.setParams().nx())).isEqualTo("OK");
        assertThat(jedis.set("k", "v2", SetParams.setParams().nx())).isNull();
        assertThat(jedis.set("k", "v2", SetParams.setParams().xx())).isEqualTo("OK");
        assertThat(jedis.setGet("k", "v3")).isEqualTo("v2");
        assertThat(jedis.setGet("new", "x")).isNull();
        assertThat(lettuce.setGet("k", "v4")).isEqualTo("v3");
        assertThat(lettuce.set("k", "no", SetArgs.Builder.nx())).isNull();
        assertThat(lettuce.set("k", "v5", SetArgs.Builder.xx())).isEqualTo("OK");
        // NX + GET (Redis 7): the old value is returned whether or not the set happened.
        assertThat(send(Protocol.Command.SET, "k", "v6", "NX", "GET")).isEqualTo("v5");
        assertThat(jedis.get("k")).isEqualTo("v5");
        assertThat(send(Protocol.Command.SET, "fresh", "f", "NX", "GET")).isNull();
        assertThat(jedis.get("fresh")).isEqualTo("f");
    }

    @Test
    void setExpiryOptions() {
        jedis.set("k", "v", SetParams.setParams().ex(100));
        assertThat(jedis.ttl("k")).isBetween(99L, 100L);
        jedis.set("k", "v", SetParams.setParams().px(50_000));
        assertThat(jedis.pttl("k")).isBetween(49_000L, 50_000L);
        long at = System.currentTimeMillis() / 1000 + 1000;
        jedis.set("k", "v", SetParams.setParams().exAt(at));
        assertThat(jedis.expireTime("k")).isEqualTo(at);
        jedis.set("k", "v", SetParams.setParams().pxAt(at * 1000 + 5));
        assertThat(jedis.pexpireTime("k")).isEqualTo(at * 1000 + 5);
        jedis.set("k", "v2", SetParams.setParams().keepTtl());
        assertThat(jedis.pexpireTime("k")).isEqualTo(at * 1000 + 5);
        jedis.set("k", "v3");
        assertThat(jedis.ttl("k")).isEqualTo(-1);
        assertThat(lettuce.set("k", "v", SetArgs.Builder.ex(100).nx())).isNull();
        assertThat(lettuce.set("k", "v", SetArgs.Builder.ex(100).xx())).isEqualTo("OK");
        assertThat(lettuce.ttl("k")).isBetween(99L, 100L);
        // A deadline already past leaves no key, but still answers OK.
        assertThat(jedis.set("k", "v", SetParams.setParams().pxAt(1))).isEqualTo("OK");
        assertThat(jedis.exists("k")).isFalse();
        // Repeating the same unit is allowed; the last one wins.
        assertThat(send(Protocol.Command.SET, "k", "v", "EX", "10", "EX", "200")).isEqualTo("OK");
        assertThat(jedis.ttl("k")).isBetween(199L, 200L);
    }

    @Test
    void setErrors() {
        assertError(() -> send(Protocol.Command.SET, "k", "v", "NX", "XX"), "ERR syntax error");
        assertError(() -> send(Protocol.Command.SET, "k", "v", "EX", "10", "PX", "10"), "ERR syntax error");
        assertError(() -> send(Protocol.Command.SET, "k", "v", "KEEPTTL", "EX", "10"), "ERR syntax error");
        assertError(() -> send(Protocol.Command.SET, "k", "v", "EX"), "ERR syntax error");
        assertError(() -> send(Protocol.Command.SET, "k", "v", "EX", "abc", "PX", "1"), "ERR syntax error");
        assertError(() -> send(Protocol.Command.SET, "k", "v", "EX", "abc"), "ERR value is not an integer or out of range");
        assertError(() -> send(Protocol.Command.SET, "k", "v", "EX", "0"), "ERR invalid expire time in 'set' command");
        assertError(() -> send(Protocol.Command.SET, "k", "v", "PX", "-1"), "ERR invalid expire time in 'set' command");
        assertError(() -> send(Protocol.Command.SET, "k", "v", "EX", "9223372036854775807"), "ERR invalid expire time in 'set' command");
        assertError(() -> send(Protocol.Command.SET, "k", "v", "PX", "9223372036854775807"), "ERR invalid expire time in 'set' command");
        assertError(() -> send(Protocol.Command.SET, "k"), "ERR wrong number of arguments for 'set' command");
        assertThatThrownBy(() -> lettuce.set("k", "v", SetArgs.Builder.ex(0)))
                .isInstanceOf(RedisCommandExecutionException.class);
        FakeCollection.store(keyline, 0, "list", "a");
        assertError(() -> jedis.setGet("list", "v"), WRONGTYPE);
        assertThat(jedis.set("list", "v")).isEqualTo("OK"); // plain SET replaces any type
        assertThat(jedis.get("list")).isEqualTo("v");
    }

    @Test
    void setnxSetexPsetex() {
        assertThat(jedis.setnx("k", "a")).isEqualTo(1);
        assertThat(jedis.setnx("k", "b")).isZero();
        assertThat(lettuce.setnx("k", "c")).isFalse();
        assertThat(jedis.get("k")).isEqualTo("a");
        assertThat(jedis.setex("k", 100, "v")).isEqualTo("OK");
        assertThat(jedis.ttl("k")).isBetween(99L, 100L);
        assertThat(lettuce.psetex("k", 100_000, "w")).isEqualTo("OK");
        assertThat(jedis.pttl("k")).isBetween(99_000L, 100_000L);
        assertThat(jedis.get("k")).isEqualTo("w");
        assertError(() -> jedis.setex("k", 0, "v"), "ERR invalid expire time in 'setex' command");
        assertError(() -> jedis.psetex("k", -5, "v"), "ERR invalid expire time in 'psetex' command");
        assertError(() -> send(Protocol.Command.SETEX, "k", "abc", "v"), "ERR value is not an integer or out of range");
    }

    @Test
    void getsetGetdelGetex() {
        assertThat(jedis.getSet("k", "a")).isNull();
        jedis.expire("k", 100);
        assertThat(lettuce.getset("k", "b")).isEqualTo("a");
        assertThat(jedis.ttl("k")).isEqualTo(-1); // GETSET clears the TTL
        assertThat(jedis.getDel("k")).isEqualTo("b");
        assertThat(jedis.exists("k")).isFalse();
        assertThat(lettuce.getdel("k")).isNull();

        jedis.set("k", "v");
        assertThat(jedis.getEx("k", GetExParams.getExParams().ex(100))).isEqualTo("v");
        assertThat(jedis.ttl("k")).isBetween(99L, 100L);
        assertThat(lettuce.getex("k", GetExArgs.Builder.px(200_000))).isEqualTo("v");
        assertThat(jedis.ttl("k")).isBetween(199L, 200L);
        long at = System.currentTimeMillis() / 1000 + 5000;
        assertThat(jedis.getEx("k", GetExParams.getExParams().exAt(at))).isEqualTo("v");
        assertThat(jedis.expireTime("k")).isEqualTo(at);
        assertThat(jedis.getEx("k", GetExParams.getExParams().persist())).isEqualTo("v");
        assertThat(jedis.ttl("k")).isEqualTo(-1);
        assertThat(jedis.getEx("k", GetExParams.getExParams())).isEqualTo("v");
        assertThat(jedis.getEx("missing", GetExParams.getExParams().ex(10))).isNull();
        assertThat(lettuce.getex("missing", GetExArgs.Builder.persist())).isNull();
        // An absolute deadline in the past deletes the key after returning it.
        assertThat(jedis.getEx("k", GetExParams.getExParams().pxAt(1))).isEqualTo("v");
        assertThat(jedis.exists("k")).isFalse();

        jedis.set("k", "v");
        assertError(() -> send(Protocol.Command.GETEX, "k", "EX", "0"), "ERR invalid expire time in 'getex' command");
        assertError(() -> send(Protocol.Command.GETEX, "k", "EX", "10", "PERSIST"), "ERR syntax error");
        assertError(() -> send(Protocol.Command.GETEX, "k", "KEEPTTL"), "ERR syntax error");
        assertError(() -> send(Protocol.Command.GETEX, "k", "NX"), "ERR syntax error");
        assertError(() -> send(Protocol.Command.GETEX, "k", "EX", "abc"), "ERR value is not an integer or out of range");
        FakeCollection.store(keyline, 0, "list", "a");
        assertError(() -> jedis.getSet("list", "v"), WRONGTYPE);
        assertError(() -> jedis.getDel("list"), WRONGTYPE);
        assertError(() -> jedis.getEx("list", GetExParams.getExParams().persist()), WRONGTYPE);
        assertError(() -> jedis.get("list"), WRONGTYPE);
    }

    @Test
    void multiKeyCommands() {
        assertThat(jedis.mset("a", "1", "b", "2")).isEqualTo("OK");
        FakeCollection.store(keyline, 0, "list", "x");
        assertThat(jedis.mget("a", "missing", "list", "b")).containsExactly("1", null, null, "2");
        assertThat(lettuce.mget("a", "b").stream().map(kv -> kv.getValue()).toList()).containsExactly("1", "2");
        assertThat(jedis.msetnx("a", "9", "c", "3")).isZero();
        assertThat(jedis.exists("c")).isFalse();
        assertThat(lettuce.msetnx(Map.of("c", "3", "d", "4"))).isTrue();
        assertThat(jedis.mget("c", "d")).containsExactly("3", "4");
        assertError(() -> send(Protocol.Command.MSET, "a", "1", "b"), "ERR wrong number of arguments for 'mset' command");
        assertError(() -> send(Protocol.Command.MSETNX, "a"), "ERR wrong number of arguments for 'msetnx' command");
    }

    @Test
    void appendStrlenRanges() {
        assertThat(jedis.append("s", "Hello")).isEqualTo(5);
        assertThat(lettuce.append("s", " World")).isEqualTo(11);
        assertThat(jedis.strlen("s")).isEqualTo(11);
        assertThat(jedis.strlen("missing")).isZero();
        assertThat(jedis.getrange("s", 0, 4)).isEqualTo("Hello");
        assertThat(jedis.getrange("s", -5, -1)).isEqualTo("World");
        assertThat(lettuce.getrange("s", 6, 100)).isEqualTo("World");
        assertThat(jedis.getrange("s", 5, 2)).isEmpty();
        assertThat(jedis.getrange("s", -1, -5)).isEmpty();
        assertThat(jedis.getrange("missing", 0, -1)).isEmpty();
        assertThat(send(Protocol.Command.SUBSTR, "s", "0", "0")).isEqualTo("H");
        assertThat(jedis.setrange("s", 6, "Redis")).isEqualTo(11);
        assertThat(jedis.get("s")).isEqualTo("Hello Redis");
        assertThat(lettuce.setrange("pad", 3, "x")).isEqualTo(4);
        assertThat(jedis.get("pad".getBytes())).isEqualTo(new byte[]{0, 0, 0, 'x'});
        assertThat(jedis.setrange("none", 5, "")).isZero();
        assertThat(jedis.exists("none")).isFalse();
        assertError(() -> jedis.setrange("s", -1, "x"), "ERR offset is out of range");
        assertError(() -> jedis.setrange("s", 536870912L, "x"), "ERR string exceeds maximum allowed size (proto-max-bulk-len)");
        assertError(() -> send(Protocol.Command.GETRANGE, "s", "a", "1"), "ERR value is not an integer or out of range");
        FakeCollection.store(keyline, 0, "list", "x");
        assertError(() -> jedis.append("list", "x"), WRONGTYPE);
        assertError(() -> jedis.strlen("list"), WRONGTYPE);
        assertError(() -> jedis.getrange("list", 0, 1), WRONGTYPE);
        assertError(() -> jedis.setrange("list", 0, "x"), WRONGTYPE);
    }

    @Test
    void counters() {
        assertThat(jedis.incr("n")).isEqualTo(1);
        assertThat(jedis.incrBy("n", 10)).isEqualTo(11);
        assertThat(lettuce.decr("n")).isEqualTo(10);
        assertThat(lettuce.decrby("n", 20)).isEqualTo(-10);
        assertThat(jedis.get("n")).isEqualTo("-10");
        jedis.setex("ttl", 100, "5");
        assertThat(jedis.incr("ttl")).isEqualTo(6);
        assertThat(jedis.ttl("ttl")).isBetween(99L, 100L); // INCR keeps the TTL
        jedis.set("n", String.valueOf(Long.MAX_VALUE));
        assertError(() -> jedis.incr("n"), "ERR increment or decrement would overflow");
        jedis.set("n", String.valueOf(Long.MIN_VALUE));
        assertError(() -> jedis.decr("n"), "ERR increment or decrement would overflow");
        assertError(() -> jedis.decrBy("n", Long.MIN_VALUE), "ERR decrement would overflow");
        for (String bad : new String[]{"abc", " 1", "1 ", "+1", "01", "1.0", "", "99999999999999999999"}) {
            jedis.set("bad", bad);
            assertError(() -> jedis.incr("bad"), "ERR value is not an integer or out of range");
        }
        assertError(() -> send(Protocol.Command.INCRBY, "n", "x"), "ERR value is not an integer or out of range");
        FakeCollection.store(keyline, 0, "list", "x");
        assertError(() -> jedis.incr("list"), WRONGTYPE);
    }

    @Test
    void concurrentIncrementsAreNeverLost() throws Exception {
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                try (redis.clients.jedis.Jedis j = newJedis()) {
                    for (int i = 0; i < 500; i++) {
                        j.incr("counter");
                        j.incrByFloat("float", 0.5);
                        j.append("log", "x");
                    }
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) t.join();
        assertThat(jedis.get("counter")).isEqualTo("2000");
        assertThat(jedis.get("float")).isEqualTo("1000");
        assertThat(jedis.strlen("log")).isEqualTo(2000);
    }

    @Test
    void incrbyfloat() {
        jedis.set("f", "10.5");
        assertThat(jedis.incrByFloat("f", 0.1)).isEqualTo(10.6);
        assertThat(jedis.get("f")).isEqualTo("10.6");
        assertThat(send(Protocol.Command.INCRBYFLOAT, "g", "5.0e3")).isEqualTo("5000");
        assertThat(send(Protocol.Command.INCRBYFLOAT, "g", "2.0e2")).isEqualTo("5200");
        assertThat(lettuce.incrbyfloat("h", 1.5)).isEqualTo(1.5);
        jedis.set("z", "1");
        assertThat(send(Protocol.Command.INCRBYFLOAT, "z", "-1")).isEqualTo("0");
        assertError(() -> send(Protocol.Command.INCRBYFLOAT, "f", "abc"), "ERR value is not a valid float");
        assertError(() -> send(Protocol.Command.INCRBYFLOAT, "f", "nan"), "ERR value is not a valid float");
        assertError(() -> send(Protocol.Command.INCRBYFLOAT, "f", "inf"), "ERR increment would produce NaN or Infinity");
        jedis.set("s", "text");
        assertError(() -> send(Protocol.Command.INCRBYFLOAT, "s", "1"), "ERR value is not a valid float");
        FakeCollection.store(keyline, 0, "list", "x");
        assertError(() -> jedis.incrByFloat("list", 1), WRONGTYPE);
    }

    @Test
    void lcs() {
        jedis.mset("a", "ohmytext", "b", "mynewtext");
        assertThat(jedis.lcs("a", "b", LCSParams.LCSParams()).getMatchString()).isEqualTo("mytext");
        assertThat(jedis.lcs("a", "b", LCSParams.LCSParams().len()).getLen()).isEqualTo(6);
        LCSMatchResult idx = jedis.lcs("a", "b", LCSParams.LCSParams().idx().withMatchLen());
        assertThat(idx.getLen()).isEqualTo(6);
        assertThat(idx.getMatches()).hasSize(2);
        assertThat(idx.getMatches().get(0).getA().getStart()).isEqualTo(4);
        assertThat(idx.getMatches().get(0).getA().getEnd()).isEqualTo(7);
        assertThat(idx.getMatches().get(0).getB().getStart()).isEqualTo(5);
        assertThat(idx.getMatches().get(0).getMatchLen()).isEqualTo(4);
        assertThat(jedis.lcs("a", "b", LCSParams.LCSParams().idx().minMatchLen(4)).getMatches()).hasSize(1);
        // RESP3: the IDX reply is a map.
        StringMatchResult r = lettuce.lcs(LcsArgs.Builder.keys("a", "b").withIdx().withMatchLen());
        assertThat(r.getLen()).isEqualTo(6);
        assertThat(r.getMatches()).hasSize(2);
        assertThat(r.getMatches().get(1).getA().getStart()).isEqualTo(2);
        assertThat(r.getMatches().get(1).getMatchLen()).isEqualTo(2);
        assertThat(lettuce.lcs(LcsArgs.Builder.keys("a", "missing")).getMatchString()).isEmpty();
        assertError(() -> send(Protocol.Command.LCS, "a", "b", "LEN", "IDX"), "ERR If you want both the length and indexes, please just use IDX.");
        assertError(() -> send(Protocol.Command.LCS, "a", "b", "FOO"), "ERR syntax error");
        FakeCollection.store(keyline, 0, "list", "x");
        assertError(() -> send(Protocol.Command.LCS, "a", "list"), "ERR The specified keys must contain string values");
    }

    @Test
    void resp3NullsAndRawBytes() throws Exception {
        assertThat(raw("HELLO 3\r\nGET missing\r\nMGET missing\r\nQUIT\r\n", 10_000)).endsWith("_\r\n*1\r\n_\r\n+OK\r\n");
        assertThat(raw("SET k v\r\nGETRANGE k 5 1\r\nSTRLEN k\r\n", 17)).isEqualTo("+OK\r\n$0\r\n\r\n:1\r\n");
    }

    private static void assertError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).hasMessage(message);
    }
}
