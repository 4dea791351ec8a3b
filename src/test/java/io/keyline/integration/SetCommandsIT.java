package io.keyline.integration;

import io.lettuce.core.ScanArgs;
import io.lettuce.core.ValueScanCursor;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every set command through Jedis (RESP2) and Lettuce (RESP3), with error cases. */
class SetCommandsIT extends ServerTestBase {
    private static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

    private Object call(String... argv) {
        return respValue(argv);
    }

    @Test
    void saddSremScardSismember() {
        assertThat(jedis.sadd("s", "a", "b", "c")).isEqualTo(3);
        assertThat(lettuce.sadd("s", "a", "d")).isEqualTo(1);
        assertThat(jedis.scard("s")).isEqualTo(4);
        assertThat(lettuce.scard("nokey")).isZero();
        assertThat(jedis.sismember("s", "a")).isTrue();
        assertThat(lettuce.sismember("s", "z")).isFalse();
        assertThat(jedis.smismember("s", "a", "z")).containsExactly(true, false);
        assertThat(lettuce.smismember("s", "d", "nope")).containsExactly(true, false);
        assertThat(jedis.srem("s", "a", "z")).isEqualTo(1);
        assertThat(lettuce.srem("s", "b", "c", "d")).isEqualTo(3);
        assertThat(jedis.exists("s")).isFalse();
        assertThat(call("SADD", "s")).isEqualTo("!ERR wrong number of arguments for 'sadd' command");
    }

    @Test
    void smembersIsASetInResp3() throws Exception {
        jedis.sadd("s", "x", "y");
        assertThat(jedis.smembers("s")).containsExactlyInAnyOrder("x", "y");
        assertThat(lettuce.smembers("s")).containsExactlyInAnyOrder("x", "y");
        jedis.del("i");
        jedis.sadd("i", "3", "1", "2");
        assertThat(raw("HELLO 3\r\nSMEMBERS i\r\nSMEMBERS nokey\r\n", 10_000))
                .endsWith("~3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n~0\r\n");
        assertThat(raw("SMEMBERS i\r\n", 25)).isEqualTo("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
    }

    @Test
    void spopAndSrandmember() {
        jedis.sadd("s", "a", "b", "c", "d");
        String one = jedis.spop("s");
        assertThat(one).isIn("a", "b", "c", "d");
        Set<String> two = jedis.spop("s", 2);
        assertThat(two).hasSize(2).doesNotContain(one);
        assertThat(lettuce.spop("s", 10)).hasSize(1);
        assertThat(jedis.exists("s")).isFalse();
        assertThat(jedis.spop("nokey")).isNull();
        assertThat(lettuce.spop("nokey", 3)).isEmpty();
        assertThat(call("SPOP", "s", "-1")).isEqualTo("!ERR value is out of range, must be positive");
        assertThat(call("SPOP", "s", "1", "2")).isEqualTo("!ERR syntax error");

        jedis.sadd("r", "a", "b", "c");
        assertThat(jedis.srandmember("r")).isIn("a", "b", "c");
        assertThat(jedis.srandmember("r", 2)).hasSize(2).doesNotHaveDuplicates();
        assertThat(jedis.srandmember("r", 10)).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(lettuce.srandmember("r", -7)).hasSize(7).isSubsetOf("a", "b", "c");
        assertThat(jedis.srandmember("nokey")).isNull();
        assertThat(jedis.srandmember("nokey", 5)).isEmpty();
        assertThat(jedis.scard("r")).isEqualTo(3);
    }

    @Test
    void spopOnLargeHashtableSet() {
        String[] members = new String[1000];
        for (int i = 0; i < members.length; i++) members[i] = "member:" + i;
        jedis.sadd("big", members);
        Set<String> popped = new HashSet<>();
        for (int i = 0; i < 10; i++) popped.addAll(jedis.spop("big", 100));
        assertThat(popped).hasSize(1000);
        assertThat(jedis.exists("big")).isFalse();
    }

    @Test
    void smove() {
        jedis.sadd("a", "1", "2");
        assertThat(jedis.smove("a", "b", "1")).isEqualTo(1);
        assertThat(lettuce.smove("a", "b", "1")).isFalse();
        assertThat(jedis.smove("nokey", "b", "1")).isZero();
        assertThat(jedis.smove("a", "a", "2")).isEqualTo(1);
        assertThat(jedis.smove("a", "b", "2")).isEqualTo(1);
        assertThat(jedis.exists("a")).isFalse();
        assertThat(jedis.smembers("b")).containsExactlyInAnyOrder("1", "2");
        jedis.set("str", "v");
        assertThat(call("SMOVE", "b", "str", "1")).isEqualTo("!" + WRONGTYPE);
        assertThat(call("SMOVE", "str", "b", "1")).isEqualTo("!" + WRONGTYPE);
    }

    @Test
    void algebra() {
        jedis.sadd("x", "a", "b", "c", "d");
        jedis.sadd("y", "c", "d", "e");
        assertThat(jedis.sinter("x", "y")).containsExactlyInAnyOrder("c", "d");
        assertThat(lettuce.sinter("x", "y", "nokey")).isEmpty();
        assertThat(jedis.sunion("x", "y")).containsExactlyInAnyOrder("a", "b", "c", "d", "e");
        assertThat(lettuce.sunion("x", "nokey")).containsExactlyInAnyOrder("a", "b", "c", "d");
        assertThat(jedis.sdiff("x", "y")).containsExactlyInAnyOrder("a", "b");
        assertThat(lettuce.sdiff("y", "x")).containsExactly("e");
        assertThat(jedis.sintercard("x", "y")).isEqualTo(2);
        assertThat(jedis.sintercard(1, "x", "y")).isEqualTo(1);
        assertThat(lettuce.sintercard("x", "y")).isEqualTo(2);
        assertThat(call("SINTERCARD", "0", "x")).isEqualTo("!ERR numkeys should be greater than 0");
        assertThat(call("SINTERCARD", "3", "x", "y")).isEqualTo("!ERR Number of keys can't be greater than number of args");
        assertThat(call("SINTERCARD", "1", "x", "LIMIT", "-1")).isEqualTo("!ERR LIMIT can't be negative");
        assertThat(call("SINTERCARD", "1", "x", "FOO")).isEqualTo("!ERR syntax error");

        assertThat(jedis.sinterstore("d", "x", "y")).isEqualTo(2);
        assertThat(jedis.smembers("d")).containsExactlyInAnyOrder("c", "d");
        assertThat(lettuce.sunionstore("d", "x", "y")).isEqualTo(5);
        assertThat(jedis.sdiffstore("d", "x", "y")).isEqualTo(2);
        assertThat(jedis.sinterstore("d", "x", "nokey")).isZero();
        assertThat(jedis.exists("d")).isFalse();
        jedis.set("d", "string");
        assertThat(jedis.sunionstore("d", "x")).isEqualTo(4);
        assertThat(jedis.smembers("d")).hasSize(4);
    }

    @Test
    void sscan() {
        for (int i = 0; i < 300; i++) jedis.sadd("big", "m" + i);
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        do {
            ScanResult<String> r = jedis.sscan("big", cursor, new ScanParams().count(20));
            seen.addAll(r.getResult());
            cursor = r.getCursor();
        } while (!cursor.equals("0"));
        assertThat(seen).hasSize(300);
        ValueScanCursor<String> lc = lettuce.sscan("big", ScanArgs.Builder.matches("m1?").limit(1000));
        assertThat(lc.getValues()).hasSize(10);
        jedis.sadd("small", "1", "2");
        assertThat(call("SSCAN", "small", "0")).isEqualTo(List.of("0", List.of("1", "2")));
        assertThat(call("SSCAN", "small", "x")).isEqualTo("!ERR invalid cursor");
        assertThat(call("SSCAN", "small", "0", "COUNT", "0")).isEqualTo("!ERR syntax error");
        assertThat(call("SSCAN", "small", "0", "FOO", "1")).isEqualTo("!ERR syntax error");
    }

    @Test
    void wrongTypeEverywhere() {
        jedis.set("str", "v");
        for (String[] cmd : new String[][] {{"SADD", "str", "a"}, {"SREM", "str", "a"}, {"SCARD", "str"},
                {"SISMEMBER", "str", "a"}, {"SMISMEMBER", "str", "a"}, {"SMEMBERS", "str"}, {"SPOP", "str"},
                {"SRANDMEMBER", "str"}, {"SINTER", "str"}, {"SINTERCARD", "1", "str"}, {"SUNION", "str"},
                {"SDIFF", "str"}, {"SINTERSTORE", "d", "str"}, {"SUNIONSTORE", "d", "str"}, {"SDIFFSTORE", "d", "str"},
                {"SSCAN", "str", "0"}}) {
            assertThat(call(cmd)).as(String.join(" ", cmd)).isEqualTo("!" + WRONGTYPE);
        }
        assertThatThrownBy(() -> lettuce.sadd("str", "a")).hasMessage(WRONGTYPE);
        assertThat(jedis.get("str")).isEqualTo("v");
    }

    @Test
    void encodingsFollowConfigSet() {
        try {
            jedis.configSet("set-max-intset-entries", "3");
            jedis.configSet("set-max-listpack-entries", "4");
            jedis.sadd("i", "1", "2", "3");
            assertThat(jedis.objectEncoding("i")).isEqualTo("intset");
            jedis.sadd("i", "4");
            assertThat(jedis.objectEncoding("i")).isEqualTo("hashtable");
            jedis.sadd("l", "1", "a");
            assertThat(jedis.objectEncoding("l")).isEqualTo("listpack");
            jedis.sadd("l", "b", "c", "d");
            assertThat(lettuce.objectEncoding("l")).isEqualTo("hashtable");
            jedis.srem("l", "a", "b", "c");
            assertThat(jedis.objectEncoding("l")).isEqualTo("hashtable");
            assertThat(jedis.type("l")).isEqualTo("set");
            assertThat(jedis.copy("l", "l2", false)).isTrue();
            jedis.srem("l", "d");
            assertThat(jedis.smembers("l2")).containsExactlyInAnyOrder("1", "d");
        } finally {
            jedis.configSet("set-max-intset-entries", "512");
            jedis.configSet("set-max-listpack-entries", "128");
        }
    }
}
