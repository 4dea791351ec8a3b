package io.keyline.persistence;

import io.keyline.server.KeylineServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Scripts whose results are not deterministic (TIME, SRANDMEMBER, SPOP) write to the keyspace; the AOF
 * carries their effects, not the script, so a restart from it gives the same data and DEBUG DIGEST.
 * A script replayed verbatim would pick other members and other times.
 */
class ScriptAofReplayIT {
    private static final String TIME_SCRIPT =
            "local t = redis.call('TIME') "
            + "redis.call('SET', KEYS[1], t[1] .. '.' .. t[2]) "
            + "redis.call('HSET', KEYS[2], 'us', t[2], 'n', redis.call('INCR', KEYS[3])) "
            + "return t[2]";
    private static final String RANDOM_SCRIPT =
            "local m = redis.call('SRANDMEMBER', KEYS[1]) "
            + "redis.call('RPUSH', KEYS[2], m) "
            + "local p = redis.call('SPOP', KEYS[1], 3) "
            + "for _, v in ipairs(p) do redis.call('SADD', KEYS[3], v) end "
            + "redis.call('ZADD', KEYS[4], #p, m) "
            + "return m";

    private Path dir;
    private KeylineServer server;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("keyline-aof-scripts");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) server.stop();
        AofTestSupport.deleteTree(dir);
    }

    private KeylineServer start() throws Exception {
        return AofTestSupport.start(dir, "enable-debug-command", "yes", "appendfsync", "always");
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Every key's type and DEBUG DIGEST-VALUE, plus the whole-keyspace DEBUG DIGEST under "(digest)". */
    private Map<String, String> state() {
        Map<String, String> out = new TreeMap<>();
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            for (String key : j.keys("*")) {
                Object digest = j.sendCommand(() -> b("DEBUG"), b("DIGEST-VALUE"), b(key));
                out.put(key, j.type(key) + " " + new String((byte[]) ((List<?>) digest).get(0), StandardCharsets.US_ASCII));
            }
            out.put("(digest)", new String((byte[]) j.sendCommand(() -> b("DEBUG"), b("DIGEST")), StandardCharsets.US_ASCII));
        }
        return out;
    }

    @Test
    void scriptsWithTimeAndRandomMembersReplayToTheSameData() throws Exception {
        server = start();
        List<String> picked = new ArrayList<>();
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            String[] members = new String[200];
            for (int i = 0; i < members.length; i++) members[i] = "m" + i;
            j.sadd("pool", members);
            for (int i = 0; i < 20; i++) {
                j.eval(TIME_SCRIPT, List.of("t:" + i, "h:" + i, "calls"), List.of());
                picked.add((String) j.eval(RANDOM_SCRIPT, List.of("pool", "picks", "popped", "z"), List.of()));
            }
            String sha = j.scriptLoad(RANDOM_SCRIPT);
            for (int i = 0; i < 10; i++) picked.add((String) j.evalsha(sha, List.of("pool", "picks", "popped", "z"), List.of()));
            // a function library too: FUNCTION LOAD is logged, FCALL's effects as well
            j.functionLoad("#!lua name=rnd\nredis.register_function('pick', function(keys) "
                    + "local m = redis.call('SPOP', keys[1]) redis.call('SET', keys[2], m) "
                    + "redis.call('SET', keys[3], redis.call('TIME')[2]) return m end)");
            for (int i = 0; i < 5; i++) j.fcall("pick", List.of("pool", "f:" + i, "ft:" + i), List.of());
            // a script that errors after a write keeps the write (no rollback), and it is logged
            try {
                j.eval("redis.call('SET', KEYS[1], redis.call('SRANDMEMBER', KEYS[2])) return redis.call('INCR', KEYS[2])",
                        List.of("partial", "pool"), List.of());
            } catch (redis.clients.jedis.exceptions.JedisDataException expected) {
                assertThat(expected.getMessage()).contains("WRONGTYPE");
            }
            assertThat(j.exists("partial")).isTrue();
            assertThat(j.scard("pool")).isEqualTo(200L - 30 * 3 - 5);
            assertThat(j.llen("picks")).isEqualTo(30L);
            assertThat(j.lrange("picks", 0, -1)).isEqualTo(picked);
            assertThat(j.get("calls")).isEqualTo("20");
        }
        Map<String, String> before = state();
        assertThat(before).containsKeys("pool", "picks", "popped", "z", "t:0", "h:19", "f:4", "ft:4", "partial");
        server.stop();
        server = start();
        assertThat(state()).isEqualTo(before);
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertThat(j.lrange("picks", 0, -1)).isEqualTo(picked);
            assertThat(j.functionList()).hasSize(1); // the library survived the restart
            assertThat(j.fcall("pick", List.of("pool", "again", "again-t"), List.of())).isNotNull();
        }
    }

    /** The incremental AOF's text (all its files concatenated, RESP with CRLF kept). */
    private String aofText() throws Exception {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.list(dir.resolve("appendonlydir"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".incr.aof")).sorted().toList()) {
                sb.append(Files.readString(f, StandardCharsets.ISO_8859_1));
            }
        }
        return sb.toString();
    }

    /**
     * redis.set_repl, as Redis 7.2: calls made under REPL_NONE (or REPL_REPLICA alone, Keyline having no
     * replicas) change the data but are not propagated; REPL_AOF and REPL_ALL are; each script starts at
     * REPL_ALL. The AOF holds only the propagated writes (wrapped in MULTI/EXEC when more than one), so a
     * restart replays to the data of a server that ran only those.
     */
    @Test
    void setReplDecidesWhatTheScriptPropagates() throws Exception {
        server = start();
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            Object r = j.eval("redis.call('SET', 'logged1', 'a') "
                    + "redis.set_repl(redis.REPL_NONE) redis.call('SET', 'local1', 'b') redis.call('INCR', 'counter') "
                    + "redis.set_repl(redis.REPL_REPLICA) redis.call('SET', 'local2', 'c') "
                    + "redis.set_repl(redis.REPL_AOF) redis.call('SET', 'logged2', 'd') "
                    + "redis.set_repl(redis.REPL_SLAVE) redis.call('INCR', 'counter') "
                    + "redis.set_repl(redis.REPL_ALL) redis.call('RPUSH', 'logged3', 'e') "
                    + "return {redis.REPL_NONE, redis.REPL_AOF, redis.REPL_REPLICA, redis.REPL_SLAVE, redis.REPL_ALL}");
            assertThat(r).isEqualTo(List.of(0L, 1L, 2L, 2L, 3L));
            // the flags do not outlive the script: the next one propagates again
            j.eval("redis.call('SET', 'next', 'f')");
            // only unpropagated calls: the script leaves nothing in the AOF
            j.eval("redis.set_repl(redis.REPL_NONE) redis.call('SET', 'local3', 'g') redis.call('DEL', 'next')");
            assertThat(j.get("local3")).isEqualTo("g");
            assertThat(j.exists("next")).isFalse();
            assertThat(j.get("counter")).isEqualTo("2");
            // errors as Redis words them
            assertThatThrownBy(() -> j.eval("redis.set_repl(4)"))
                    .hasMessageStartingWith("ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
            assertThatThrownBy(() -> j.eval("redis.set_repl()")).hasMessageStartingWith("ERR redis.set_repl() requires two arguments.");
            assertThatThrownBy(() -> j.eval("redis.set_repl(1, 2)")).hasMessageStartingWith("ERR redis.set_repl() requires two arguments.");
        }
        String aof = aofText();
        assertThat(aof).contains("logged1", "logged2", "logged3", "next")
                .doesNotContain("local1", "local2", "local3", "counter");
        // three propagated writes: one MULTI/EXEC around them; the last script's DEL of 'next' is not there
        assertThat(aof.split("\r\nMULTI\r\n", -1)).hasSize(2);
        assertThat(aof).doesNotContain("\r\nDEL\r\n");
        server.stop();
        server = start();
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertThat(new TreeMap<>(Map.of("keys", new java.util.TreeSet<>(j.keys("*")))))
                    .isEqualTo(Map.of("keys", new java.util.TreeSet<>(List.of("logged1", "logged2", "logged3", "next"))));
            assertThat(j.get("next")).isEqualTo("f"); // its DEL was not propagated
            Map<String, String> replayed = state();
            // the same data written by plain commands on an empty server gives the same digest
            j.flushAll();
            j.set("logged1", "a");
            j.set("logged2", "d");
            j.rpush("logged3", "e");
            j.set("next", "f");
            assertThat(state()).isEqualTo(replayed);
        }
    }
}
