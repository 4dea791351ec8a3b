package io.keyline.integration;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A script cannot exhaust the heap (scripting.ScriptMemory): scripts that would fill it fail with Redis 7.2's
 * reply to a Lua memory error, {@code ERR Error running script <sha>, not enough memory}, and the server, its
 * other clients and the next scripts carry on. Runs on the test JVM's heap (-Xmx1g, shared with the tests).
 */
class ScriptMemoryIT extends ServerTestBase {

    private static String sha1(String script) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-1").digest(script.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client that waits for a script filling a 1 GiB heap on a loaded machine (GC-bound, can take long). */
    private Jedis patient() {
        return new Jedis("127.0.0.1", port(), 300_000);
    }

    private void outOfMemory(String script) {
        try (Jedis j = patient()) {
            assertThatThrownBy(() -> j.eval(script, 0)).isInstanceOf(JedisDataException.class)
                    .hasMessage("ERR Error running script " + sha1(script) + ", not enough memory");
        }
        survived();
    }

    /** The server answers, on this connection and a new one, and scripts still run (and allocate). */
    private void survived() {
        assertThat(jedis.ping()).isEqualTo("PONG");
        try (Jedis other = new Jedis("127.0.0.1", port())) {
            other.set("after", "ok");
            assertThat(other.get("after")).isEqualTo("ok");
            assertThat(other.eval("return #string.rep('x', 1000000)", 0)).isEqualTo(1_000_000L);
        }
    }

    @Test
    void aTableOfBigStringsGrowingForeverFails() {
        outOfMemory("local t={} while true do t[#t+1]=string.rep('x',1e6) end");
    }

    @Test
    void aStringLargerThanAnyArrayFails() {
        outOfMemory("return string.rep('x', 2^31)");
        outOfMemory("return #string.rep('abc', 1e12)");
    }

    @Test
    void concatenationDoublingInTheVmFails() {
        // `..` is the VM's own allocation: caught by the instruction hook's check or, for the one huge array, the JVM's refusal
        outOfMemory("local s = string.rep('x', 1024) while true do s = s .. s end");
    }

    @Test
    void hugeTableConcatFails() {
        outOfMemory("local t = {} for i = 1, 100000 do t[i] = 'x' end return #table.concat(t, string.rep('y', 100000))");
    }

    @Test
    void decodingBombsFail() {
        // 1e6 small strings per chunk, kept: the heap fills inside the decoders and the VM's stores
        // one document, decoded again and again into tables that are all kept (20 MB each)
        outOfMemory("local t = {} local doc = '[' .. string.rep(cjson.encode(string.rep('x', 10000)) .. ',', 2000) .. '1]' "
                + "while true do t[#t+1] = cjson.decode(doc) end");
        outOfMemory("local t = {} local doc = string.rep(cmsgpack.pack(string.rep('x', 10000)), 2000) "
                + "while true do t[#t+1] = {cmsgpack.unpack(doc)} end");
    }

    @Test
    void pcallCannotSwallowTheCapForever() {
        // a pcall catches the error as Lua's does, but keeping the memory makes every later step fail again
        String script = "local t = {} local ok, err = pcall(function() while true do t[#t+1] = string.rep('x', 1e6) end end) "
                + "return {tostring(ok), err}";
        Object r;
        try (Jedis j = patient()) {
            r = j.eval(script, 0);
        }
        assertThat(r).isEqualTo(List.of("false", "not enough memory"));
        survived();
    }

    @Test
    void errorstatsCountTheFailure() {
        jedis.configResetStat();
        assertThatThrownBy(() -> jedis.eval("return string.rep('x', 2^31)", 0)).isInstanceOf(JedisDataException.class);
        assertThat(jedis.info("errorstats")).contains("errorstat_ERR:count=1");
    }
}
