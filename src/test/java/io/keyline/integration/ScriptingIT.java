package io.keyline.integration;

import io.lettuce.core.ScriptOutputType;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** EVAL / EVALSHA / SCRIPT: the redis.* API, reply conversions, errors with Redis 7's texts, the sandbox. */
class ScriptingIT extends ServerTestBase {

    @Test
    void incrAndExpireThroughRedisCall() {
        Object r = jedis.eval("redis.call('INCR',KEYS[1]); redis.call('EXPIRE',KEYS[1],100); return redis.call('GET',KEYS[1])",
                List.of("counter"), List.of());
        assertThat(r).isEqualTo("1");
        assertThat(jedis.ttl("counter")).isBetween(1L, 100L);
    }

    @Test
    void evalshaAndScriptCache() {
        String sha = jedis.scriptLoad("return ARGV[1]");
        assertThat(sha).isEqualTo("098e0f0d1448c0a81dafe820f66d460eb09263da");
        assertThat(jedis.evalsha(sha, List.of(), List.of("x"))).isEqualTo("x");
        assertThat(jedis.scriptExists(sha, "ffffffffffffffffffffffffffffffffffffffff")).containsExactly(true, false);
        assertThat(jedis.scriptFlush()).isEqualTo("OK");
        assertThatThrownBy(() -> jedis.evalsha(sha, List.of(), List.of("x")))
                .hasMessage("NOSCRIPT No matching script. Please use EVAL.");
    }

    @Test
    void luaToRedisConversions() {
        assertThat(jedis.eval("return {1,2,3.7,'x',nil,5}")).isEqualTo(Arrays.asList(1L, 2L, 3L, "x"));
        assertThat(jedis.eval("return true")).isEqualTo(1L);
        assertThat(jedis.eval("return false")).isNull();
        assertThat(jedis.eval("return {ok='fine'}")).isEqualTo("fine");
        assertThatThrownBy(() -> jedis.eval("return redis.error_reply('My Error')")).hasMessage("My Error");
        assertThat(jedis.eval("return tostring(1/3)")).isEqualTo("0.33333333333333");
        assertThat(jedis.eval("return redis.sha1hex('')")).isEqualTo("da39a3ee5e6b4b0d3255bfef95601890afd80709");
    }

    @Test
    void redisToLuaConversions() {
        jedis.rpush("l", "a", "b");
        assertThat(jedis.eval("local t = redis.call('LRANGE', KEYS[1], 0, -1); return #t", List.of("l"), List.of()))
                .isEqualTo(2L);
        assertThat(jedis.eval("return redis.call('GET','nokey') == false and 'f' or 'x'")).isEqualTo("f");
        assertThat(jedis.eval("return redis.call('SET','k','v').ok")).isEqualTo("OK");
        assertThat(jedis.eval("return redis.pcall('nosuch').err")).isEqualTo("ERR Unknown Redis command called from script");
        jedis.hset("h", "f", "v");
        assertThat(jedis.eval("redis.setresp(3); local m = redis.call('HGETALL', KEYS[1]); return m.map.f", List.of("h"), List.of()))
                .isEqualTo("v");
        assertThat(jedis.eval("redis.setresp(3); return redis.call('GET', 'nokey') == nil and 'nil' or 'x'")).isEqualTo("nil");
    }

    @Test
    void binarySafeArgumentsAndReplies() {
        byte[] bin = {0, (byte) 0xff, '\r', '\n', (byte) 0x80};
        Object r = jedis.eval("redis.call('SET', KEYS[1], ARGV[1]); return redis.call('GET', KEYS[1])".getBytes(),
                List.of("b".getBytes()), List.of(bin));
        assertThat((byte[]) r).isEqualTo(bin);
        assertThat(jedis.get("b".getBytes())).isEqualTo(bin);
    }

    @Test
    void errorsAsRedis72() {
        assertThatThrownBy(() -> jedis.eval("return a"))
                .hasMessageStartingWith("ERR user_script:1: Script attempted to access nonexistent global variable 'a' script: ")
                .hasMessageEndingWith(", on @user_script:1.");
        assertThatThrownBy(() -> jedis.eval("a = 1")).hasMessageContaining("Attempt to modify a readonly table");
        assertThatThrownBy(() -> jedis.eval("redis.call('nosuch')"))
                .hasMessageStartingWith("ERR Unknown Redis command called from script script: ");
        assertThatThrownBy(() -> jedis.eval("return redis.call('multi')"))
                .hasMessageStartingWith("ERR This Redis command is not allowed from script script: ");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.EVAL, "return 1", "-1")).hasMessage("ERR Number of keys can't be negative");
        assertThatThrownBy(() -> jedis.eval("return 1", 2, "a"))
                .hasMessage("ERR Number of keys can't be greater than number of args");
        assertThatThrownBy(() -> jedis.eval("error('boom')"))
                .hasMessageStartingWith("ERR user_script:1: boom script: ");
        assertThatThrownBy(() -> jedis.eval("#!lua flags=no-writes\nreturn redis.call('set','k','v')"))
                .hasMessageStartingWith("ERR Write commands are not allowed from read-only scripts. script: ");
        assertThatThrownBy(() -> jedis.evalReadonly("return redis.call('set','k','v')", List.of(), List.of()))
                .hasMessageStartingWith("ERR Write commands are not allowed from read-only scripts. script: ");
    }

    @Test
    void sandbox() {
        assertThat(jedis.eval("return type(os.exit)")).isEqualTo("nil");
        assertThat(jedis.eval("return type(os.clock())")).isEqualTo("number");
        for (String g : new String[]{"io", "require", "loadfile", "dofile", "debug", "setfenv", "getfenv", "newproxy"}) {
            assertThatThrownBy(() -> jedis.eval("return " + g))
                    .hasMessageContaining("Script attempted to access nonexistent global variable '" + g + "'");
        }
        assertThatThrownBy(() -> jedis.eval("string.foo = 1")).hasMessageContaining("Attempt to modify a readonly table");
        assertThat(jedis.eval("return loadstring('return 7')()")).isEqualTo(7L);
        assertThat(jedis.eval("return unpack({1,2})")).isEqualTo(1L);
        assertThat(jedis.eval("return table.getn({1,2,3})")).isEqualTo(3L);
    }

    @Test
    void selectInsideScriptDoesNotLeak() {
        jedis.eval("redis.call('SELECT', 9); redis.call('SET', 'in9', '1')");
        assertThat(jedis.get("in9")).isNull();
        jedis.select(9);
        assertThat(jedis.get("in9")).isEqualTo("1");
        jedis.flushAll();
    }

    @Test
    void lettuceResp3() {
        String r = lettuce.eval("return redis.call('SET', KEYS[1], ARGV[1])", ScriptOutputType.STATUS, new String[]{"lk"}, "v");
        assertThat(r).isEqualTo("OK");
        Long n = lettuce.eval("return redis.call('STRLEN', KEYS[1])", ScriptOutputType.INTEGER, "lk");
        assertThat(n).isEqualTo(1L);
        assertThat(new String(jedis.get("lk").getBytes(StandardCharsets.UTF_8))).isEqualTo("v");
    }
}
