package io.keyline.integration;

import redis.clients.jedis.Protocol;
import io.keyline.testkit.RespClient;
import io.keyline.embed.EmbeddedKeyline;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LMPopArgs;
import io.lettuce.core.LMoveArgs;
import io.lettuce.core.LPosArgs;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.args.ListPosition;
import redis.clients.jedis.params.LPosParams;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ListCommandsIT extends ServerTestBase {
    private static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

    @Override
    protected void configure(EmbeddedKeyline.Builder builder) {
        builder.config("appendonly", "no");
    }

    @Test
    void pushesAndLength() {
        assertThat(jedis.lpush("l", "a", "b", "c")).isEqualTo(3);
        assertThat(jedis.rpush("l", "d")).isEqualTo(4);
        assertThat(lettuce.rpush("l", "e", "f")).isEqualTo(6);
        assertThat(lettuce.lpush("l", "z")).isEqualTo(7);
        assertThat(jedis.lrange("l", 0, -1)).containsExactly("z", "c", "b", "a", "d", "e", "f");
        assertThat(jedis.llen("l")).isEqualTo(7);
        assertThat(lettuce.llen("nokey")).isZero();
        assertThat(jedis.lpushx("nokey", "a")).isZero();
        assertThat(lettuce.rpushx("nokey", "a")).isZero();
        assertThat(jedis.exists("nokey")).isFalse();
        assertThat(jedis.lpushx("l", "x", "y")).isEqualTo(9);
        assertThat(lettuce.rpushx("l", "w")).isEqualTo(10);
        assertThat(lettuce.lrange("l", 0, 1)).containsExactly("y", "x");
    }

    @Test
    void popsWithAndWithoutCount() throws Exception {
        jedis.rpush("l", "a", "b", "c", "d", "e");
        assertThat(jedis.lpop("l")).isEqualTo("a");
        assertThat(lettuce.rpop("l")).isEqualTo("e");
        assertThat(jedis.lpop("l", 2)).containsExactly("b", "c");
        assertThat(lettuce.rpop("l", 5)).containsExactly("d");
        assertThat(jedis.exists("l")).isFalse();
        assertThat(jedis.lpop("l")).isNull();
        assertThat(jedis.lpop("l", 2)).isNull();
        assertThat(lettuce.lpop("l", 2)).isEmpty();
        jedis.rpush("l", "a");
        assertThat(jedis.lpop("l", 0)).isEmpty();
        assertThatThrownBy(() -> jedis.lpop("l", -1)).hasMessage("ERR value is out of range, must be positive");
        try (RespClient r2 = new RespClient(port()); RespClient r3 = new RespClient(port()).resp3()) {
            assertThat(r2.call("LPOP", "nokey", "1")).isEqualTo("*-1\r\n");
            assertThat(r3.call("LPOP", "nokey", "1")).isEqualTo("_\r\n");
            assertThat(r2.call("LPOP", "nokey")).isEqualTo("$-1\r\n");
            assertThat(r3.call("LPOP", "nokey")).isEqualTo("_\r\n");
            assertThat(r2.call("LPOP", "l", "0")).isEqualTo("*0\r\n");
            assertThat(r2.call("LPOP", "l", "abc")).isEqualTo("-ERR value is out of range, must be positive\r\n");
            assertThat(r2.call("LPOP", "l", "1", "2")).isEqualTo("-ERR wrong number of arguments for 'lpop' command\r\n");
            assertThat(r3.call("RPOP", "l", "3")).isEqualTo("*1\r\n$1\r\na\r\n");
        }
    }

    @Test
    void rangeIndexAndSet() {
        jedis.rpush("l", "a", "b", "c", "d");
        assertThat(jedis.lrange("l", -2, -1)).containsExactly("c", "d");
        assertThat(jedis.lrange("l", -100, 100)).containsExactly("a", "b", "c", "d");
        assertThat(lettuce.lrange("l", 3, 1)).isEmpty();
        assertThat(jedis.lrange("nokey", 0, -1)).isEmpty();
        assertThat(jedis.lindex("l", 0)).isEqualTo("a");
        assertThat(lettuce.lindex("l", -1)).isEqualTo("d");
        assertThat(jedis.lindex("l", 10)).isNull();
        assertThat(jedis.lset("l", 1, "B")).isEqualTo("OK");
        assertThat(lettuce.lset("l", -1, "D")).isEqualTo("OK");
        assertThat(jedis.lrange("l", 0, -1)).containsExactly("a", "B", "c", "D");
        assertThatThrownBy(() -> jedis.lset("l", 10, "x")).hasMessage("ERR index out of range");
        assertThatThrownBy(() -> jedis.lset("nokey", 0, "x")).hasMessage("ERR no such key");
        assertThatThrownBy(() -> lettuce.lset("nokey", 0, "x")).hasMessageContaining("ERR no such key");
        assertThatThrownBy(() -> jedis.sendCommand(redis.clients.jedis.Protocol.Command.LRANGE, "l", "a", "1"))
                .hasMessage("ERR value is not an integer or out of range");
    }

    @Test
    void insertRemoveTrim() {
        jedis.rpush("l", "a", "b", "a", "c", "a");
        assertThat(jedis.linsert("l", ListPosition.BEFORE, "b", "X")).isEqualTo(6);
        assertThat(lettuce.linsert("l", false, "c", "Y")).isEqualTo(7);
        assertThat(jedis.linsert("l", ListPosition.AFTER, "nope", "Z")).isEqualTo(-1);
        assertThat(jedis.linsert("nokey", ListPosition.AFTER, "a", "Z")).isZero();
        assertThat(jedis.lrange("l", 0, -1)).containsExactly("a", "X", "b", "a", "c", "Y", "a");
        assertThatThrownBy(() -> jedis.sendCommand(redis.clients.jedis.Protocol.Command.LINSERT, "l", "middle", "a", "b"))
                .hasMessage("ERR syntax error");
        assertThat(jedis.lrem("l", -1, "a")).isEqualTo(1);
        assertThat(lettuce.lrem("l", 0, "a")).isEqualTo(2);
        assertThat(jedis.lrem("l", 1, "nothing")).isZero();
        assertThat(jedis.lrange("l", 0, -1)).containsExactly("X", "b", "c", "Y");
        assertThat(jedis.ltrim("l", 1, -2)).isEqualTo("OK");
        assertThat(jedis.lrange("l", 0, -1)).containsExactly("b", "c");
        assertThat(lettuce.ltrim("l", 5, 10)).isEqualTo("OK");
        assertThat(jedis.exists("l")).isFalse();
        assertThat(jedis.ltrim("nokey", 0, 1)).isEqualTo("OK");
        jedis.rpush("l", "a", "a");
        assertThat(jedis.lrem("l", 0, "a")).isEqualTo(2);
        assertThat(jedis.exists("l")).isFalse();
    }

    @Test
    void lposOptionsAndErrors() throws Exception {
        jedis.rpush("l", "a", "b", "c", "1", "2", "3", "c", "c");
        assertThat(jedis.lpos("l", "c")).isEqualTo(2);
        assertThat(jedis.lpos("l", "c", LPosParams.lPosParams().rank(-1))).isEqualTo(7);
        assertThat(jedis.lpos("l", "c", LPosParams.lPosParams().rank(2))).isEqualTo(6);
        assertThat(jedis.lpos("l", "c", LPosParams.lPosParams(), 0)).containsExactly(2L, 6L, 7L);
        assertThat(jedis.lpos("l", "c", LPosParams.lPosParams().rank(-1), 2)).containsExactly(7L, 6L);
        assertThat(jedis.lpos("l", "c", LPosParams.lPosParams().maxlen(2))).isNull();
        assertThat(lettuce.lpos("l", "c", 0)).containsExactly(2L, 6L, 7L);
        assertThat(lettuce.lpos("l", "c", LPosArgs.Builder.rank(-2))).isEqualTo(6L);
        assertThat(lettuce.lpos("l", "zz")).isNull();
        assertThat(lettuce.lpos("nokey", "zz", 1)).isEmpty();
        assertThatThrownBy(() -> jedis.lpos("l", "c", LPosParams.lPosParams().rank(0)))
                .hasMessage("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list");
        try (RespClient r = new RespClient(port())) {
            assertThat(r.call("LPOS", "l", "c", "COUNT", "-1")).isEqualTo("-ERR COUNT can't be negative\r\n");
            assertThat(r.call("LPOS", "l", "c", "MAXLEN", "-1")).isEqualTo("-ERR MAXLEN can't be negative\r\n");
            assertThat(r.call("LPOS", "l", "c", "FOO", "1")).isEqualTo("-ERR syntax error\r\n");
            assertThat(r.call("LPOS", "l", "c", "COUNT", "2", "MAXLEN", "3")).isEqualTo("*1\r\n:2\r\n");
            // Redis 7.2 range-checks RANK (7.0 accepted LONG_MIN), with getRangeLongFromObjectOrReply's text
            assertThat(r.call("LPOS", "l", "c", "RANK", "-9223372036854775808"))
                    .isEqualTo("-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n");
        }
    }

    @Test
    void lmoveAndRpoplpush() {
        jedis.rpush("src", "a", "b", "c");
        assertThat(jedis.lmove("src", "dst", ListDirection.LEFT, ListDirection.RIGHT)).isEqualTo("a");
        assertThat(lettuce.lmove("src", "dst", LMoveArgs.Builder.rightLeft())).isEqualTo("c");
        assertThat(jedis.rpoplpush("src", "dst")).isEqualTo("b");
        assertThat(jedis.exists("src")).isFalse();
        assertThat(jedis.lrange("dst", 0, -1)).containsExactly("b", "c", "a");
        assertThat(jedis.lmove("dst", "dst", ListDirection.LEFT, ListDirection.RIGHT)).isEqualTo("b");
        assertThat(jedis.lrange("dst", 0, -1)).containsExactly("c", "a", "b");
        assertThat(lettuce.rpoplpush("nokey", "dst")).isNull();
        jedis.set("str", "x");
        assertThatThrownBy(() -> jedis.lmove("dst", "str", ListDirection.LEFT, ListDirection.RIGHT)).hasMessage(WRONGTYPE);
        assertThat(jedis.llen("dst")).isEqualTo(3); // nothing popped on WRONGTYPE
        jedis.del("src");
        jedis.rpush("one", "x");
        assertThat(jedis.rpoplpush("one", "one")).isEqualTo("x");
        assertThat(jedis.lrange("one", 0, -1)).containsExactly("x");
    }

    @Test
    void lmpop() throws Exception {
        jedis.rpush("a", "1", "2", "3");
        jedis.rpush("b", "4", "5");
        var kv = jedis.lmpop(ListDirection.LEFT, "nokey", "a");
        assertThat(kv.getKey()).isEqualTo("a");
        assertThat(kv.getValue()).containsExactly("1");
        KeyValue<String, List<String>> lk = lettuce.lmpop(LMPopArgs.Builder.right().count(10), "nokey", "a");
        assertThat(lk.getKey()).isEqualTo("a");
        assertThat(lk.getValue()).containsExactly("3", "2");
        assertThat(jedis.exists("a")).isFalse();
        assertThat(jedis.lmpop(ListDirection.LEFT, 5, "a", "b").getValue()).containsExactly("4", "5");
        assertThat(jedis.lmpop(ListDirection.LEFT, "a", "b")).isNull();
        try (RespClient r2 = new RespClient(port()); RespClient r3 = new RespClient(port()).resp3()) {
            assertThat(r2.call("LMPOP", "1", "x", "LEFT")).isEqualTo("*-1\r\n");
            assertThat(r3.call("LMPOP", "1", "x", "LEFT")).isEqualTo("_\r\n");
            assertThat(r2.call("LMPOP", "0", "x", "LEFT")).isEqualTo("-ERR numkeys should be greater than 0\r\n");
            assertThat(r2.call("LMPOP", "3", "x", "LEFT")).isEqualTo("-ERR syntax error\r\n");
            assertThat(r2.call("LMPOP", "1", "x", "LEFT", "COUNT", "0")).isEqualTo("-ERR count should be greater than 0\r\n");
            assertThat(r2.call("LMPOP", "1", "x", "UP")).isEqualTo("-ERR syntax error\r\n");
            r2.call("RPUSH", "k", "v1", "v2");
            assertThat(r3.call("LMPOP", "1", "k", "RIGHT", "COUNT", "1")).isEqualTo("*2\r\n$1\r\nk\r\n*1\r\n$2\r\nv2\r\n");
        }
    }

    @Test
    void wrongTypeEverywhere() {
        jedis.set("str", "x");
        List<Runnable> calls = List.of(
                () -> jedis.lpush("str", "a"), () -> jedis.rpush("str", "a"), () -> jedis.lpushx("str", "a"),
                () -> jedis.rpushx("str", "a"), () -> jedis.lpop("str"), () -> jedis.rpop("str", 2),
                () -> jedis.llen("str"), () -> jedis.lrange("str", 0, 1), () -> jedis.lindex("str", 0),
                () -> jedis.lset("str", 0, "a"), () -> jedis.linsert("str", ListPosition.BEFORE, "a", "b"),
                () -> jedis.lrem("str", 0, "a"), () -> jedis.ltrim("str", 0, 1), () -> jedis.lpos("str", "a"),
                () -> jedis.lmove("str", "d", ListDirection.LEFT, ListDirection.LEFT),
                () -> jedis.rpoplpush("str", "d"), () -> jedis.lmpop(ListDirection.LEFT, "str"),
                () -> jedis.blpop(0.01, "str"), () -> jedis.brpop(0.01, "nokey", "str"),
                () -> jedis.blmove("str", "d", ListDirection.LEFT, ListDirection.LEFT, 0.01),
                () -> jedis.blmpop(0.01, ListDirection.LEFT, "str"),
                () -> lettuce.lpush("str", "a"), () -> lettuce.lrange("str", 0, -1));
        for (Runnable call : calls) assertThatThrownBy(call::run).hasMessageContaining(WRONGTYPE);
    }

    @Test
    void arityErrors() throws Exception {
        try (RespClient r = new RespClient(port())) {
            assertThat(r.call("LPUSH", "l")).isEqualTo("-ERR wrong number of arguments for 'lpush' command\r\n");
            assertThat(r.call("LLEN")).isEqualTo("-ERR wrong number of arguments for 'llen' command\r\n");
            assertThat(r.call("BLPOP", "l")).isEqualTo("-ERR wrong number of arguments for 'blpop' command\r\n");
            assertThat(r.call("LMOVE", "a", "b", "LEFT")).isEqualTo("-ERR wrong number of arguments for 'lmove' command\r\n");
        }
    }

    @Test
    void encodingThresholdsFollowConfigSet() {
        // Same path as CONFIG SET (the config's change listeners), which may not be on this branch yet.
        keyline.server().config().set("list-max-listpack-size", "4", false);
        try {
            jedis.rpush("l", "1", "2", "3", "4");
            assertThat(lettuce.lrange("l", 0, -1)).hasSize(4);
            jedis.rpush("l", "5");
            assertThat(jedis.lrange("l", 0, -1)).containsExactly("1", "2", "3", "4", "5");
            for (int i = 0; i < 100; i++) jedis.rpush("l", "v" + i);
            assertThat(jedis.lindex("l", 50)).isEqualTo("v45");
            assertThat(jedis.ltrim("l", 10, 11)).isEqualTo("OK");
            assertThat(jedis.lrange("l", 0, -1)).containsExactly("v5", "v6");
        } finally {
            keyline.server().config().set("list-max-listpack-size", "-2", false);
        }
    }

    @Test
    void binarySafeElements() {
        byte[] k = {'b', 0};
        byte[] e1 = {0, (byte) 0xff, 'x'};
        jedis.rpush(k, e1, new byte[0]);
        List<byte[]> got = jedis.lrange(k, 0, -1);
        assertThat(got.get(0)).isEqualTo(e1);
        assertThat(got.get(1)).isEmpty();
        assertThat(jedis.lpos(k, e1)).isZero();
    }
}
