package io.keyline.integration;

import io.lettuce.core.FlushMode;
import io.lettuce.core.ScriptOutputType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.args.FunctionRestorePolicy;
import redis.clients.jedis.resps.FunctionStats;
import redis.clients.jedis.resps.LibraryInfo;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** FUNCTION / FCALL / FCALL_RO through Jedis (RESP2) and Lettuce (RESP3), with Redis's error texts. */
class FunctionsIT extends ServerTestBase {
    private static final String LIB = "#!lua name=mylib\n"
            + "redis.register_function('setit', function(keys, args) return redis.call('SET', keys[1], args[1]) end)\n"
            + "redis.register_function{function_name='getit', callback=function(keys, args) return redis.call('GET', keys[1]) end,"
            + " flags={'no-writes'}, description='reads a key'}\n"
            + "redis.register_function{function_name='sneaky', callback=function(keys, args) return redis.call('SET', keys[1], 'x') end,"
            + " flags={'no-writes', 'allow-oom'}}";

    @BeforeEach
    void noLibraries() {
        jedis.functionFlush();
    }

    @Test
    void loadCallAndFlagsJedis() {
        assertThat(jedis.functionLoad(LIB)).isEqualTo("mylib");
        assertThat(jedis.fcall("setit", List.of("k"), List.of("v"))).isEqualTo("OK");
        assertThat(jedis.fcallReadonly("getit", List.of("k"), List.of())).isEqualTo("v");
        assertThat(jedis.fcall("getit", List.of("k"), List.of())).isEqualTo("v");
        assertThatThrownBy(() -> jedis.fcallReadonly("setit", List.of("k"), List.of("w")))
                .hasMessage("ERR Can not execute a script with write flag using *_ro command.");
        assertThatThrownBy(() -> jedis.fcall("sneaky", List.of("k"), List.of()))
                .hasMessage("ERR Write commands are not allowed from read-only scripts. script: sneaky, on @user_function:4.");
        assertThat(jedis.get("k")).isEqualTo("v");
        assertThatThrownBy(() -> jedis.fcall("nosuch", List.of(), List.of())).hasMessage("ERR Function not found");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.FCALL, "setit", "x"))
                .hasMessage("ERR Bad number of keys provided");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.FCALL, "setit", "-1"))
                .hasMessage("ERR Number of keys can't be negative");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.FCALL, "setit", "2", "a"))
                .hasMessage("ERR Number of keys can't be greater than number of args");
    }

    @Test
    void loadErrorsAsRedis() {
        jedis.functionLoad(LIB);
        assertThatThrownBy(() -> jedis.functionLoad(LIB)).hasMessage("ERR Library 'mylib' already exists");
        assertThat(jedis.functionLoadReplace(LIB)).isEqualTo("mylib");
        assertThatThrownBy(() -> jedis.functionLoad("return 1")).hasMessage("ERR Missing library metadata");
        assertThatThrownBy(() -> jedis.functionLoad("#!lua name=x")).hasMessage("ERR Invalid library metadata");
        assertThatThrownBy(() -> jedis.functionLoad("#!lua\nreturn 1")).hasMessage("ERR Library name was not given");
        assertThatThrownBy(() -> jedis.functionLoad("#!lua name=a foo=bar\nreturn 1"))
                .hasMessage("ERR Invalid metadata value given: foo=bar");
        assertThatThrownBy(() -> jedis.functionLoad("#!wasm name=a\nreturn 1")).hasMessage("ERR Engine 'wasm' not found");
        assertThatThrownBy(() -> jedis.functionLoad("#!lua name=my-lib\nreturn 1"))
                .hasMessage("ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long");
        assertThatThrownBy(() -> jedis.functionLoad("#!lua name=other\nreturn 1")).hasMessage("ERR No functions registered");
        assertThatThrownBy(() -> jedis.functionLoad("#!lua name=other\nredis.call('ping')"))
                .hasMessage("ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'call'");
        assertThatThrownBy(() -> jedis.functionLoad("#!lua name=other\nlocal x = math.random()"))
                .hasMessage("ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'math'");
        assertThatThrownBy(() -> jedis.functionLoad("#!lua name=other\nredis.register_function('f')"))
                .hasMessage("ERR Error registering functions: ERR calling redis.register_function with a single argument is only "
                        + "applicable to Lua table (representing named arguments).");
        assertThatThrownBy(() -> jedis.functionLoad("#!lua name=other\nredis.register_function{function_name='f', callback=function() end, flags={'bad'}}"))
                .hasMessage("ERR Error registering functions: ERR unknown flag given");
        assertThatThrownBy(() -> jedis.functionLoad("#!lua name=other\nredis.register_function('setit', function() return 1 end)"))
                .hasMessage("ERR Function setit already exists");
        assertThatThrownBy(() -> jedis.functionLoad("#!lua name=other\nredis.register_function('f', function() return 1 end)\n"
                + "redis.register_function('f', function() return 2 end)"))
                .hasMessage("ERR Error registering functions: ERR Function already exists in the library");
        assertThatThrownBy(() -> jedis.functionLoad("#!lua name=other\nredis.register_function('f', function() return 1 end, 3)"))
                .hasMessage("ERR Error registering functions: ERR wrong number of arguments to redis.register_function");
        assertThat(jedis.functionList()).hasSize(1); // nothing half-loaded
    }

    @Test
    void runtimeErrorsNameTheFunction() {
        jedis.functionLoad("#!lua name=e\nredis.register_function('boom', function(keys, args) error('bad') end)\n"
                + "redis.register_function('glob', function(keys, args) return x end)");
        assertThatThrownBy(() -> jedis.fcall("boom", List.of(), List.of()))
                .hasMessage("ERR user_function:2: bad script: boom, on @user_function:2.");
        assertThatThrownBy(() -> jedis.fcall("glob", List.of(), List.of()))
                .hasMessage("ERR user_function:3: Script attempted to access nonexistent global variable 'x' script: glob, on @user_function:3.");
    }

    @Test
    void listDeleteStatsJedis() {
        jedis.functionLoad(LIB);
        List<LibraryInfo> libs = jedis.functionList();
        assertThat(libs).hasSize(1);
        assertThat(libs.get(0).getLibraryName()).isEqualTo("mylib");
        assertThat(libs.get(0).getEngine()).isEqualTo("LUA");
        assertThat(libs.get(0).getFunctions()).hasSize(3);
        Map<String, Object> getit = libs.get(0).getFunctions().stream().filter(m -> "getit".equals(m.get("name"))).findFirst().orElseThrow();
        assertThat(getit.get("description")).isEqualTo("reads a key");
        assertThat(String.valueOf(getit.get("flags"))).isEqualTo("[no-writes]");
        assertThat(jedis.functionListWithCode().get(0).getLibraryCode()).isEqualTo(LIB);
        assertThat(jedis.functionList("my*")).hasSize(1);
        assertThat(jedis.functionList("other*")).isEmpty();
        FunctionStats stats = jedis.functionStats();
        assertThat(stats.getRunningScript()).isNull();
        assertThat(stats.getEngines().get("LUA")).containsEntry("libraries_count", 1L).containsEntry("functions_count", 3L);
        assertThatThrownBy(() -> jedis.functionKill()).hasMessage("NOTBUSY No scripts in execution right now.");
        assertThatThrownBy(() -> jedis.functionDelete("nosuch")).hasMessage("ERR Library not found");
        assertThat(jedis.functionDelete("mylib")).isEqualTo("OK");
        assertThatThrownBy(() -> jedis.fcall("setit", List.of("k"), List.of("v"))).hasMessage("ERR Function not found");
        assertThat(jedis.functionList()).isEmpty();
    }

    @Test
    void dumpAndRestorePolicies() {
        jedis.functionLoad(LIB);
        byte[] payload = jedis.functionDump();
        assertThat(payload[0] & 0xff).isEqualTo(245); // RDB_OPCODE_FUNCTION2
        assertThat(payload[payload.length - 10]).isEqualTo((byte) 11); // RDB version 11, little-endian
        assertThatThrownBy(() -> jedis.functionRestore(payload)).hasMessage("ERR Library mylib already exists");
        assertThat(jedis.functionRestore(payload, FunctionRestorePolicy.REPLACE)).isEqualTo("OK");
        jedis.functionFlush();
        assertThat(jedis.functionRestore(payload)).isEqualTo("OK");
        assertThat(jedis.fcall("setit", List.of("k"), List.of("v2"))).isEqualTo("OK");
        jedis.functionLoad("#!lua name=extra\nredis.register_function('ex', function() return 7 end)");
        assertThat(jedis.functionRestore(payload, FunctionRestorePolicy.FLUSH)).isEqualTo("OK");
        assertThat(jedis.functionList()).hasSize(1);
        byte[] corrupt = payload.clone();
        corrupt[5] ^= 1;
        assertThatThrownBy(() -> jedis.functionRestore(corrupt)).hasMessage("ERR DUMP payload version or checksum are wrong");
        assertThatThrownBy(() -> jedis.functionRestore(new byte[3])).hasMessage("ERR DUMP payload version or checksum are wrong");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.FUNCTION, "RESTORE".getBytes(), payload, "BAD".getBytes()))
                .hasMessage("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.FUNCTION, "FLUSH", "BAD"))
                .hasMessage("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
    }

    @Test
    void lettuceResp3() {
        assertThat(lettuce.functionLoad(LIB)).isEqualTo("mylib");
        assertThat((String) lettuce.fcall("setit", ScriptOutputType.STATUS, new String[]{"lk"}, "lv")).isEqualTo("OK");
        assertThat((String) lettuce.fcallReadOnly("getit", ScriptOutputType.VALUE, new String[]{"lk"})).isEqualTo("lv");
        List<Map<String, Object>> list = lettuce.functionList();
        assertThat(list).hasSize(1);
        assertThat(list.get(0)).containsEntry("library_name", "mylib").containsEntry("engine", "LUA");
        byte[] dump = lettuce.functionDump();
        assertThat(lettuce.functionFlush(FlushMode.SYNC)).isEqualTo("OK");
        assertThat(lettuce.functionRestore(dump)).isEqualTo("OK");
        assertThat((String) lettuce.fcall("getit", ScriptOutputType.VALUE, new String[]{"lk"})).isEqualTo("lv");
        assertThat(lettuce.functionFlush(FlushMode.ASYNC)).isEqualTo("OK");
        assertThat(lettuce.functionList()).isEmpty();
    }

    @Test
    void keysAndArgsArePassedAsArguments() {
        jedis.functionLoad("#!lua name=ka\nredis.register_function('ka', function(keys, args) return {#keys, #args, keys[1], args[2]} end)");
        assertThat(jedis.fcall("ka", List.of("k1", "k2"), List.of("a1", "a2"))).isEqualTo(List.of(2L, 2L, "k1", "a2"));
    }
}
