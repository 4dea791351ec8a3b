package io.keyline.integration;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ZAddArgs;
import io.lettuce.core.ZAggregateArgs;
import io.lettuce.core.ZStoreArgs;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.params.ZAddParams;
import redis.clients.jedis.params.ZParams;
import redis.clients.jedis.resps.Tuple;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every sorted-set command through Jedis (RESP2) and Lettuce (RESP3), reply shapes and errors. */
class SortedSetCommandsIT extends ServerTestBase {
    private static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

    private Object call(String... argv) {
        return respValue(argv);
    }

    private void abc() {
        jedis.zadd("z", Map.of("a", 1.0, "b", 2.0, "c", 3.0, "d", 4.0, "e", 5.0));
    }

    @Test
    void zaddOptionsAndErrors() {
        assertThat(jedis.zadd("z", 1, "a")).isEqualTo(1);
        assertThat(lettuce.zadd("z", 2, "b")).isEqualTo(1);
        assertThat(jedis.zadd("z", 5, "a", ZAddParams.zAddParams().ch())).isEqualTo(1);
        assertThat(jedis.zadd("z", 9, "a", ZAddParams.zAddParams().nx())).isZero();
        assertThat(jedis.zadd("z", 9, "new", ZAddParams.zAddParams().xx())).isZero();
        assertThat(lettuce.zadd("z", ZAddArgs.Builder.gt().ch(), 1, "a")).isZero();
        assertThat(lettuce.zadd("z", ZAddArgs.Builder.lt().ch(), 1, "a")).isEqualTo(1);
        assertThat(jedis.zaddIncr("z", 2.5, "a", ZAddParams.zAddParams())).isEqualTo(3.5);
        assertThat(lettuce.zaddincr("z", 1, "a")).isEqualTo(4.5);
        assertThat(jedis.zaddIncr("z", 1, "a", ZAddParams.zAddParams().nx())).isNull();
        assertThat(jedis.zaddIncr("nokey", 1, "a", ZAddParams.zAddParams().xx())).isNull();
        assertThat(jedis.exists("nokey")).isFalse();
        assertThat(call("ZADD", "z", "NX", "XX", "1", "a")).isEqualTo("!ERR XX and NX options at the same time are not compatible");
        assertThat(call("ZADD", "z", "GT", "LT", "1", "a")).isEqualTo("!ERR GT, LT, and/or NX options at the same time are not compatible");
        assertThat(call("ZADD", "z", "GT", "NX", "1", "a")).isEqualTo("!ERR GT, LT, and/or NX options at the same time are not compatible");
        assertThat(call("ZADD", "z", "INCR", "1", "a", "2", "b")).isEqualTo("!ERR INCR option supports a single increment-element pair");
        assertThat(call("ZADD", "z", "x", "a")).isEqualTo("!ERR value is not a valid float");
        assertThat(call("ZADD", "z", "nan", "a")).isEqualTo("!ERR value is not a valid float");
        assertThat(call("ZADD", "z", "1", "a", "2")).isEqualTo("!ERR syntax error");
        assertThat(call("ZADD", "z", "1")).isEqualTo("!ERR wrong number of arguments for 'zadd' command");
        jedis.zadd("inf", Double.POSITIVE_INFINITY, "x");
        assertThat(call("ZADD", "inf", "INCR", "-inf", "x")).isEqualTo("!ERR resulting score is not a number (NaN)");
        assertThat(call("ZINCRBY", "inf", "-inf", "x")).isEqualTo("!ERR resulting score is not a number (NaN)");
        assertThat(jedis.zscore("inf", "x")).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void zincrbyZscoreZmscoreZremZcard() throws Exception {
        assertThat(jedis.zincrby("z", 1.5, "m")).isEqualTo(1.5);
        assertThat(lettuce.zincrby("z", -3, "m")).isEqualTo(-1.5);
        assertThat(call("ZINCRBY", "z", "x", "m")).isEqualTo("!ERR value is not a valid float");
        assertThat(jedis.zscore("z", "m")).isEqualTo(-1.5);
        assertThat(lettuce.zscore("z", "nope")).isNull();
        assertThat(jedis.zmscore("z", "m", "nope")).containsExactly(-1.5, null);
        assertThat(lettuce.zmscore("z", "m", "nope")).containsExactly(-1.5, null);
        assertThat(jedis.zcard("z")).isEqualTo(1);
        assertThat(lettuce.zcard("nokey")).isZero();
        assertThat(raw("HELLO 3\r\nZSCORE z m\r\nZSCORE z nope\r\nZMSCORE z m nope\r\n", 10_000))
                .endsWith(",-1.5\r\n_\r\n*2\r\n,-1.5\r\n_\r\n");
        assertThat(raw("ZSCORE z m\r\nZSCORE z nope\r\n", 16)).isEqualTo("$4\r\n-1.5\r\n$-1\r\n");
        assertThat(jedis.zrem("z", "m", "nope")).isEqualTo(1);
        assertThat(jedis.exists("z")).isFalse();
        assertThat(lettuce.zrem("nokey", "a")).isZero();
    }

    @Test
    void ranksAndCounts() {
        abc();
        assertThat(jedis.zrank("z", "c")).isEqualTo(2);
        assertThat(lettuce.zrevrank("z", "c")).isEqualTo(2);
        assertThat(jedis.zrevrank("z", "a")).isEqualTo(4);
        assertThat(jedis.zrank("z", "nope")).isNull();
        assertThat(call("ZRANK", "z", "b", "WITHSCORE")).isEqualTo(List.of(1L, "2"));
        assertThat(call("ZREVRANK", "z", "b", "WITHSCORE")).isEqualTo(List.of(3L, "2"));
        assertThat(jedis.zcount("z", "(1", "3")).isEqualTo(2);
        assertThat(lettuce.zcount("z", Range.create(2, 4))).isEqualTo(3);
        assertThat(call("ZCOUNT", "z", "x", "1")).isEqualTo("!ERR min or max is not a float");
        jedis.zadd("lex", Map.of("a", 0.0, "b", 0.0, "c", 0.0));
        assertThat(jedis.zlexcount("lex", "[b", "+")).isEqualTo(2);
        assertThat(lettuce.zlexcount("lex", Range.create("a", "b"))).isEqualTo(2);
        assertThat(call("ZLEXCOUNT", "lex", "b", "c")).isEqualTo("!ERR min or max not valid string range item");
    }

    @Test
    void rangeForms() throws Exception {
        abc();
        assertThat(jedis.zrange("z", 1, 2)).containsExactly("b", "c");
        assertThat(jedis.zrangeWithScores("z", 0, 1)).containsExactly(new Tuple("a", 1.0), new Tuple("b", 2.0));
        assertThat(lettuce.zrangeWithScores("z", -2, -1)).containsExactly(ScoredValue.just(4, "d"), ScoredValue.just(5, "e"));
        assertThat(jedis.zrevrange("z", 0, 1)).containsExactly("e", "d");
        assertThat(lettuce.zrevrangeWithScores("z", 0, 0)).containsExactly(ScoredValue.just(5, "e"));
        assertThat(jedis.zrangeByScore("z", "(1", "3")).containsExactly("b", "c");
        assertThat(jedis.zrangeByScore("z", "-inf", "+inf", 1, 2)).containsExactly("b", "c");
        assertThat(lettuce.zrangebyscoreWithScores("z", Range.create(2, 3))).containsExactly(ScoredValue.just(2, "b"), ScoredValue.just(3, "c"));
        assertThat(jedis.zrevrangeByScore("z", "4", "(2")).containsExactly("d", "c");
        assertThat(lettuce.zrevrangebyscore("z", Range.create(1, 5), Limit.create(1, 2))).containsExactly("d", "c");
        assertThat(call("ZRANGE", "z", "(1", "3", "BYSCORE", "LIMIT", "1", "5")).isEqualTo(List.of("c"));
        assertThat(call("ZRANGE", "z", "3", "(1", "BYSCORE", "REV", "WITHSCORES")).isEqualTo(List.of("c", "3", "b", "2"));
        assertThat(call("ZRANGE", "z", "0", "1", "LIMIT", "0", "1"))
                .isEqualTo("!ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        assertThat(call("ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES"))
                .isEqualTo("!ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        assertThat(call("ZRANGE", "z", "a", "1")).isEqualTo("!ERR value is not an integer or out of range");
        assertThat(call("ZRANGEBYSCORE", "z", "a", "1")).isEqualTo("!ERR min or max is not a float");
        assertThat(call("ZRANGEBYSCORE", "z", "1", "2", "BYLEX")).isEqualTo("!ERR syntax error");
        jedis.zadd("lex", Map.of("a", 0.0, "b", 0.0, "c", 0.0, "d", 0.0));
        assertThat(jedis.zrangeByLex("lex", "[b", "(d")).containsExactly("b", "c");
        assertThat(jedis.zrevrangeByLex("lex", "+", "-", 0, 2)).containsExactly("d", "c");
        assertThat(lettuce.zrangebylex("lex", Range.create("a", "c"))).containsExactly("a", "b", "c");
        assertThat(call("ZRANGEBYLEX", "lex", "a", "c")).isEqualTo("!ERR min or max not valid string range item");
        assertThat(jedis.zrange("nokey", 0, -1)).isEmpty();
        // RESP3: WITHSCORES is an array of [member, double] pairs; RESP2 a flat array of bulk strings.
        assertThat(raw("HELLO 3\r\nZRANGE z 0 1 WITHSCORES\r\n", 10_000))
                .endsWith("*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2\r\n");
        assertThat(raw("ZRANGE z 0 1 WITHSCORES\r\n", 40)).isEqualTo("*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n");
    }

    @Test
    void zrangestoreAndRemoveRanges() {
        abc();
        assertThat(jedis.zrangestore("dst", "z", redis.clients.jedis.params.ZRangeParams.zrangeByScoreParams(2, 4))).isEqualTo(3);
        assertThat(jedis.zrangeWithScores("dst", 0, -1)).containsExactly(new Tuple("b", 2.0), new Tuple("c", 3.0), new Tuple("d", 4.0));
        assertThat(lettuce.zrangestore("dst", "z", Range.create(0L, 0L))).isEqualTo(1);
        assertThat(call("ZRANGESTORE", "dst", "z", "10", "20")).isEqualTo(0L);
        assertThat(jedis.exists("dst")).isFalse();
        assertThat(call("ZRANGESTORE", "dst", "z", "0", "1", "WITHSCORES")).isEqualTo("!ERR syntax error");
        assertThat(jedis.zremrangeByRank("z", 0, 0)).isEqualTo(1);
        assertThat(lettuce.zremrangebyscore("z", Range.create(2, 3))).isEqualTo(2);
        assertThat(jedis.zremrangeByScore("z", "(4", "+inf")).isEqualTo(1);
        assertThat(jedis.zrange("z", 0, -1)).containsExactly("d");
        assertThat(call("ZREMRANGEBYRANK", "z", "a", "1")).isEqualTo("!ERR value is not an integer or out of range");
        assertThat(call("ZREMRANGEBYSCORE", "z", "a", "1")).isEqualTo("!ERR min or max is not a float");
        jedis.zadd("lex", Map.of("a", 0.0, "b", 0.0));
        assertThat(jedis.zremrangeByLex("lex", "-", "[a")).isEqualTo(1);
        assertThat(lettuce.zremrangebylex("lex", Range.create("a", "z"))).isEqualTo(1);
        assertThat(jedis.exists("lex")).isFalse();
        assertThat(call("ZREMRANGEBYLEX", "z", "x", "y")).isEqualTo("!ERR min or max not valid string range item");
    }

    @Test
    void pops() throws Exception {
        abc();
        assertThat(jedis.zpopmin("z")).isEqualTo(new Tuple("a", 1.0));
        assertThat(jedis.zpopmax("z", 2)).containsExactly(new Tuple("e", 5.0), new Tuple("d", 4.0));
        assertThat(lettuce.zpopmin("z")).isEqualTo(ScoredValue.just(2, "b"));
        assertThat(lettuce.zpopmax("z", 5)).containsExactly(ScoredValue.just(3, "c"));
        assertThat(jedis.exists("z")).isFalse();
        assertThat(jedis.zpopmin("nokey")).isNull();
        assertThat(call("ZPOPMIN", "z", "-1")).isEqualTo("!ERR value is out of range, must be positive");
        abc();
        assertThat(call("ZMPOP", "2", "nokey", "z", "MIN", "COUNT", "2")).isEqualTo(List.of("z", List.of(List.of("a", "1"), List.of("b", "2"))));
        assertThat(call("ZMPOP", "1", "nokey", "MIN")).isNull();
        assertThat(call("ZMPOP", "0", "z", "MIN")).isEqualTo("!ERR numkeys should be greater than 0");
        assertThat(call("ZMPOP", "1", "z", "MIN", "COUNT", "0")).isEqualTo("!ERR count should be greater than 0");
        assertThat(call("ZMPOP", "1", "z", "FOO")).isEqualTo("!ERR syntax error");
        assertThat(lettuce.zmpop(io.lettuce.core.ZPopArgs.Builder.max(), "z").getValue()).isEqualTo(ScoredValue.just(5, "e"));
        assertThat(raw("HELLO 3\r\nZPOPMIN z\r\nZPOPMIN z 1\r\n", 10_000))
                .endsWith("*2\r\n$1\r\nc\r\n,3\r\n*1\r\n*2\r\n$1\r\nd\r\n,4\r\n");
    }

    @Test
    void zrandmember() {
        abc();
        assertThat(jedis.zrandmember("z")).isIn("a", "b", "c", "d", "e");
        assertThat(jedis.zrandmember("z", 3)).hasSize(3).doesNotHaveDuplicates();
        assertThat(jedis.zrandmember("z", -8)).hasSize(8);
        assertThat(jedis.zrandmemberWithScores("z", 10)).hasSize(5);
        assertThat(lettuce.zrandmemberWithScores("z", 2)).hasSize(2);
        assertThat(jedis.zrandmember("nokey")).isNull();
        assertThat(call("ZRANDMEMBER", "z", "1", "FOO")).isEqualTo("!ERR syntax error");
        assertThat(call("ZRANDMEMBER", "z", "-9223372036854775807", "WITHSCORES")).isEqualTo("!ERR value is out of range");
    }

    @Test
    void unionInterDiff() {
        jedis.zadd("a", Map.of("x", 1.0, "y", 2.0, "z", 3.0));
        jedis.zadd("b", Map.of("y", 10.0, "z", 20.0, "w", 30.0));
        jedis.sadd("s", "x", "w");
        assertThat(jedis.zunion(new ZParams(), "a", "b")).containsExactly("x", "y", "z", "w");
        assertThat(jedis.zunionWithScores(new ZParams().weights(2, 0.5), "a", "b"))
                .containsExactly(new Tuple("x", 2.0), new Tuple("y", 9.0), new Tuple("w", 15.0), new Tuple("z", 16.0));
        assertThat(jedis.zinterWithScores(new ZParams().aggregate(ZParams.Aggregate.MAX), "a", "b"))
                .containsExactly(new Tuple("y", 10.0), new Tuple("z", 20.0));
        assertThat(lettuce.zinterWithScores(ZAggregateArgs.Builder.min(), "a", "b"))
                .containsExactly(ScoredValue.just(2, "y"), ScoredValue.just(3, "z"));
        assertThat(lettuce.zunionWithScores("a", "s")).containsExactly(ScoredValue.just(1, "w"), ScoredValue.just(2, "x"),
                ScoredValue.just(2, "y"), ScoredValue.just(3, "z"));
        assertThat(jedis.zdiff("a", "b")).containsExactly("x");
        assertThat(lettuce.zdiffWithScores("b", "a")).containsExactly(ScoredValue.just(30, "w"));
        assertThat(jedis.zunionstore("d", "a", "b")).isEqualTo(4);
        assertThat(lettuce.zinterstore("d", ZStoreArgs.Builder.sum(), "a", "b")).isEqualTo(2);
        assertThat(jedis.zrangeWithScores("d", 0, -1)).containsExactly(new Tuple("y", 12.0), new Tuple("z", 23.0));
        assertThat(jedis.zdiffstore("d", "a", "a")).isZero();
        assertThat(jedis.exists("d")).isFalse();
        assertThat(jedis.zintercard("a", "b")).isEqualTo(2);
        assertThat(jedis.zintercard(1, "a", "b")).isEqualTo(1);
        assertThat(lettuce.zintercard("a", "s")).isEqualTo(1);
        assertThat(call("ZUNION", "0", "a")).isEqualTo("!ERR at least 1 input key is needed for 'zunion' command");
        assertThat(call("ZUNIONSTORE", "d", "0", "a")).isEqualTo("!ERR at least 1 input key is needed for 'zunionstore' command");
        assertThat(call("ZUNION", "2", "a", "b", "WEIGHTS", "1", "x")).isEqualTo("!ERR weight value is not a float");
        assertThat(call("ZUNION", "2", "a", "b", "AGGREGATE", "AVG")).isEqualTo("!ERR syntax error");
        assertThat(call("ZUNION", "3", "a", "b")).isEqualTo("!ERR syntax error");
        assertThat(call("ZUNIONSTORE", "d", "1", "a", "WITHSCORES")).isEqualTo("!ERR syntax error");
        assertThat(call("ZINTERCARD", "1", "a", "LIMIT", "-1")).isEqualTo("!ERR LIMIT can't be negative");
        assertThat(call("ZINTERCARD", "0", "a")).isEqualTo("!ERR at least 1 input key is needed for 'zintercard' command");
    }

    @Test
    void zscan() {
        for (int i = 0; i < 300; i++) jedis.zadd("big", i, "m" + i);
        java.util.Set<String> seen = new java.util.HashSet<>();
        String cursor = "0";
        do {
            var r = jedis.zscan("big", cursor);
            r.getResult().forEach(t -> {
                assertThat(t.getScore()).isEqualTo(Double.parseDouble(t.getElement().substring(1)));
                seen.add(t.getElement());
            });
            cursor = r.getCursor();
        } while (!cursor.equals("0"));
        assertThat(seen).hasSize(300);
        jedis.zadd("small", 2.5, "x");
        assertThat(call("ZSCAN", "small", "0")).isEqualTo(List.of("0", List.of("x", "2.5")));
        assertThat(lettuce.zscan("small").getValues()).containsExactly(ScoredValue.just(2.5, "x"));
        assertThat(call("ZSCAN", "small", "x")).isEqualTo("!ERR invalid cursor");
    }

    @Test
    void wrongTypeEverywhere() {
        jedis.set("str", "v");
        jedis.zadd("a", 1, "x");
        for (String[] cmd : new String[][] {{"ZADD", "str", "1", "a"}, {"ZINCRBY", "str", "1", "a"}, {"ZREM", "str", "a"},
                {"ZCARD", "str"}, {"ZSCORE", "str", "a"}, {"ZMSCORE", "str", "a"}, {"ZRANK", "str", "a"},
                {"ZREVRANK", "str", "a"}, {"ZCOUNT", "str", "0", "1"}, {"ZLEXCOUNT", "str", "-", "+"},
                {"ZRANGE", "str", "0", "1"}, {"ZRANGESTORE", "d", "str", "0", "1"}, {"ZREVRANGE", "str", "0", "1"},
                {"ZRANGEBYSCORE", "str", "0", "1"}, {"ZREVRANGEBYSCORE", "str", "0", "1"}, {"ZRANGEBYLEX", "str", "-", "+"},
                {"ZREVRANGEBYLEX", "str", "+", "-"}, {"ZREMRANGEBYRANK", "str", "0", "1"}, {"ZREMRANGEBYSCORE", "str", "0", "1"},
                {"ZREMRANGEBYLEX", "str", "-", "+"}, {"ZPOPMIN", "str"}, {"ZPOPMAX", "str"}, {"ZMPOP", "1", "str", "MIN"},
                {"ZRANDMEMBER", "str"}, {"ZUNION", "2", "a", "str"}, {"ZINTER", "1", "str"}, {"ZDIFF", "2", "a", "str"},
                {"ZUNIONSTORE", "d", "1", "str"}, {"ZINTERSTORE", "d", "1", "str"}, {"ZDIFFSTORE", "d", "1", "str"},
                {"ZINTERCARD", "1", "str"}, {"ZSCAN", "str", "0"}}) {
            assertThat(call(cmd)).as(String.join(" ", cmd)).isEqualTo("!" + WRONGTYPE);
        }
        assertThatThrownBy(() -> lettuce.zadd("str", 1, "a")).hasMessage(WRONGTYPE);
        assertThat(jedis.get("str")).isEqualTo("v");
    }

    @Test
    void encodingsFollowConfigSet() {
        try {
            jedis.configSet("zset-max-listpack-entries", "2");
            jedis.zadd("z", 1, "a");
            jedis.zadd("z", 2, "b");
            assertThat(jedis.objectEncoding("z")).isEqualTo("listpack");
            jedis.zadd("z", 3, "c");
            assertThat(lettuce.objectEncoding("z")).isEqualTo("skiplist");
            jedis.zrem("z", "c", "b");
            assertThat(jedis.objectEncoding("z")).isEqualTo("skiplist");
            jedis.configSet("zset-max-listpack-value", "3");
            jedis.zadd("long", 1, "abcd");
            assertThat(jedis.objectEncoding("long")).isEqualTo("skiplist");
            assertThat(jedis.type("long")).isEqualTo("zset");
            assertThat(jedis.copy("z", "z2", false)).isTrue();
            jedis.zadd("z", 9, "x");
            assertThat(jedis.zrange("z2", 0, -1)).containsExactly("a");
        } finally {
            jedis.configSet("zset-max-listpack-entries", "128");
            jedis.configSet("zset-max-listpack-value", "64");
        }
    }
}
