package io.keyline.integration;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisDataException;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every way out of Redis's Lua sandbox fails cleanly with Redis's own error text (checked against
 * redis-server; Redis 7.2 adds a read-only {@code os} table holding only {@code clock}), and no attempt
 * leaves the shared Lua state weakened for the next script.
 */
class ScriptSandboxIT extends ServerTestBase {

    private static String sha1(String script) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-1").digest(script.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The full error Redis gives for {@code script}: "ERR &lt;msg&gt; script: &lt;sha&gt;, on @user_script:1." */
    private void fails(String script, String message) {
        String expected = "ERR " + message + " script: " + sha1(script) + ", on @user_script:1.";
        assertThatThrownBy(() -> jedis.eval(script, 0)).isInstanceOf(JedisDataException.class).hasMessage(expected);
        assertThatThrownBy(() -> lettuce.eval(script, io.lettuce.core.ScriptOutputType.VALUE))
                .hasMessage(expected);
    }

    private void missingGlobal(String script, String name) {
        fails(script, "user_script:1: Script attempted to access nonexistent global variable '" + name + "'");
    }

    private void readonly(String script) {
        fails(script, "user_script:1: Attempt to modify a readonly table");
    }

    /** The sandbox is intact: globals still refused, libraries still read-only. */
    private void stillSandboxed() {
        readonly("sandbox_probe = 1");
        missingGlobal("return sandbox_missing", "sandbox_missing");
        readonly("string.sandbox_probe = 1");
        assertThat(jedis.eval("return getmetatable(_G) == nil", 0)).isEqualTo(1L);
    }

    @Test
    void ioOsRequireLoadfileDofileAreAbsent() {
        missingGlobal("return io", "io");
        missingGlobal("return io.open('/etc/passwd')", "io");
        missingGlobal("return require('os')", "require");
        missingGlobal("return loadfile('/etc/passwd')", "loadfile");
        missingGlobal("return dofile('/etc/passwd')", "dofile");
        missingGlobal("return package", "package");
        missingGlobal("return module", "module");
        missingGlobal("return load('return 1')", "load");
    }

    @Test
    void osHasOnlyClock() {
        // Redis 7.2: os = { clock = os.clock }, read-only
        assertThat(jedis.eval("return type(os.clock())", 0)).isEqualTo("number");
        assertThat(jedis.eval("local a = os.clock() local s = 0 for i = 1, 100000 do s = s + i end "
                + "return os.clock() >= a", 0)).isEqualTo(1L);
        assertThat(jedis.eval("return {os.execute == nil, os.exit == nil, os.getenv == nil, os.time == nil, "
                + "os.remove == nil, os.rename == nil, os.tmpname == nil}", 0)).isEqualTo(List.of(1L, 1L, 1L, 1L, 1L, 1L, 1L));
        for (String call : new String[]{"os.execute('touch /tmp/keyline-sandbox')", "os.exit(1)", "os.getenv('HOME')"}) {
            assertThatThrownBy(() -> jedis.eval("return " + call, 0)).isInstanceOf(JedisDataException.class)
                    .hasMessageStartingWith("ERR ").hasMessageContaining("attempt to call")
                    .hasMessageEndingWith(", on @user_script:1.");
        }
        assertThat(new java.io.File("/tmp/keyline-sandbox")).doesNotExist();
        readonly("os.execute = function() end");
        assertThat(jedis.ping()).isEqualTo("PONG"); // os.exit did not stop the server
    }

    @Test
    void debugAndEnvironmentFunctionsAreAbsent() {
        missingGlobal("return debug", "debug");
        missingGlobal("return debug.getinfo(1)", "debug");
        missingGlobal("return debug.sethook()", "debug");
        missingGlobal("return setfenv(1, {})", "setfenv");
        missingGlobal("return getfenv(1)", "getfenv");
        missingGlobal("return newproxy(true)", "newproxy");
        missingGlobal("return print('x')", "print");
    }

    @Test
    void bytecodeCannotBeLoaded() {
        // string.dump works (as in Redis) but loadstring refuses binary chunks: nil plus a message
        assertThat(jedis.eval("return type(string.dump(function() return 1 end))", 0)).isEqualTo("string");
        assertThat(jedis.eval("local f, e = loadstring(string.dump(function() return 1 end)) "
                + "return {f == nil, type(e)}", 0)).isEqualTo(List.of(1L, "string"));
        assertThat(jedis.eval("local f = loadstring('\\27Lua junk') return f == nil", 0)).isEqualTo(1L);
        assertThat(jedis.eval("return loadstring('return 1 + 1')()", 0)).isEqualTo(2L); // text chunks still load
    }

    @Test
    void globalWritesAreRefused() {
        readonly("x = 1");
        readonly("_G.y = 2");
        readonly("_G['z'] = function() end");
        readonly("redis = nil");
        readonly("function f() return 1 end");
        assertThat(jedis.eval("local ok = pcall(function() x = 1 end) return ok == false", 0)).isEqualTo(1L);
        assertThat(jedis.eval("local x = 5 return x", 0)).isEqualTo(5L); // locals are fine
        stillSandboxed();
    }

    @Test
    void libraryTablesAreReadOnly() {
        for (String lib : new String[]{"cjson", "string", "math", "table", "redis", "bit", "struct", "cmsgpack", "os"}) {
            readonly(lib + ".x = 1");
        }
        readonly("redis.call = nil");
        readonly("table.insert = nil");
        readonly("string.rep = function() return 'pwned' end");
        assertThat(jedis.eval("return string.rep('a', 3)", 0)).isEqualTo("aaa");
        assertThat(jedis.eval("local ok, e = pcall(rawset, string, 'x', 1) return e", 0))
                .isEqualTo("Attempt to modify a readonly table");
        assertThat(jedis.eval("local ok, e = pcall(setmetatable, cjson, {}) return e", 0))
                .isEqualTo("Attempt to modify a readonly table");
    }

    @Test
    void metatableTricksOnGlobalsAreRefused() {
        // Redis raises these from C without a position prefix; Keyline's full reply adds "user_script:1: "
        // (reported), so the message is checked as pcall sees it
        assertThatThrownBy(() -> jedis.eval("setmetatable(_G, nil)", 0)).hasMessageContaining("Attempt to modify a readonly table");
        assertThatThrownBy(() -> jedis.eval("rawset(_G, 'x', 1)", 0)).hasMessageContaining("Attempt to modify a readonly table");
        assertThat(jedis.eval("local ok, e = pcall(rawset, _G, 'x', 1) return e", 0))
                .isEqualTo("Attempt to modify a readonly table");
        assertThat(jedis.eval("return getmetatable(_G) == nil", 0)).isEqualTo(1L);
        assertThat(jedis.eval("local ok, e = pcall(setmetatable, _G, {}) return e", 0))
                .isEqualTo("Attempt to modify a readonly table");
        assertThat(jedis.eval("return rawget(_G, 'nothere') == nil", 0)).isEqualTo(1L); // reading raw is allowed
        assertThat(jedis.eval("return type(rawget(_G, 'redis'))", 0)).isEqualTo("table");
        // metatables of the script's own tables still work
        assertThat(jedis.eval("local t = setmetatable({}, {__index = function() return 5 end}) return t.a", 0)).isEqualTo(5L);
        stillSandboxed();
    }
}
