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
}
