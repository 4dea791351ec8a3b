package io.keyline.persistence;

import io.keyline.engine.PersistenceControl;
import io.keyline.protocol.RespParser;
import io.keyline.server.KeylineServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Data-driven replay: every line of {@code aof/replay.txt} runs against a server with the AOF on;
 * after a restart (plain incr replay, after a rewrite, and after DEBUG RELOAD) the data must be
 * the same, key by key, value and TTL.
 */
class AofReplayIT {
    private Path dir;
    private KeylineServer server;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("keyline-aof-replay");
    }

    @AfterEach
    void tearDown() throws IOException {
        if (server != null) server.stop();
        AofTestSupport.deleteTree(dir);
    }

    static List<byte[][]> script() throws IOException {
        List<byte[][]> cmds = new ArrayList<>();
        try (InputStream in = AofReplayIT.class.getResourceAsStream("/aof/replay.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) continue;
                List<byte[]> words = RespParser.splitArgs(line.getBytes(StandardCharsets.UTF_8));
                cmds.add(words.toArray(new byte[0][]));
            }
        }
        return cmds;
    }

    static Object send(Jedis jedis, byte[][] argv) {
        ProtocolCommand cmd = () -> argv[0];
        byte[][] args = java.util.Arrays.copyOfRange(argv, 1, argv.length);
        try {
            return jedis.sendCommand(cmd, args);
        } catch (redis.clients.jedis.exceptions.JedisDataException e) {
            return e;
        }
    }

    private Map<String, String> runScript() throws Exception {
        server = AofTestSupport.start(dir, "appendfsync", "always");
        List<byte[][]> script = script();
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            for (byte[][] argv : script) {
                if (server.context().table().lookup(argv[0]) == null) {
                    throw new AssertionError("replay.txt uses a command this build lacks: " + AofTestSupport.str(argv[0]));
                }
                Object r = send(jedis, argv);
                if (r instanceof Exception e) throw new AssertionError("replay.txt: " + AofTestSupport.str(argv[0]) + " failed: " + e.getMessage());
            }
        }
        Map<String, String> before = AofTestSupport.snapshot(server.keyspace());
        assertThat(before).containsKeys("0/s1", "0/t1", "5/in5", "0/afterflush").doesNotContainKeys("7/gone", "9/wiped", "0/t4", "0/s7", "0/s3");
        return before;
    }

    private Map<String, String> restart() throws Exception {
        server.stop();
        server = AofTestSupport.start(dir);
        return AofTestSupport.snapshot(server.keyspace());
    }

    @Test
    void restartReplaysTheIncrFile() throws Exception {
        Map<String, String> before = runScript();
        assertThat(restart()).isEqualTo(before);
        // and once more, on top of a replayed log
        assertThat(restart()).isEqualTo(before);
    }

    @Test
    void replayedCommandsAreNotCountedInStats() throws Exception {
        runScript();
        restart();
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            // As Redis, which runs loaded commands outside call(): nothing of the AOF in the stats.
            assertThat(jedis.info("commandstats")).isEqualTo("# Commandstats\r\n");
            assertThat(jedis.info("stats")).contains("total_commands_processed:1\r\n"); // the first INFO
        }
    }

    @Test
    void restartAfterRewriteGivesTheSameData() throws Exception {
        Map<String, String> before = runScript();
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            jedis.bgrewriteaof();
            for (int i = 0; i < 200 && jedis.info("persistence").contains("aof_rewrite_in_progress:1"); i++) Thread.sleep(50);
        }
        assertThat(Files.readString(dir.resolve("appendonlydir/appendonly.aof.manifest")))
                .isEqualTo("file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n");
        assertThat(restart()).isEqualTo(before);
    }

    @Test
    void debugReloadKeepsTheData() throws Exception {
        Map<String, String> before = runScript();
        server.context().service(PersistenceControl.class).reload(true, true);
        assertThat(AofTestSupport.snapshot(server.keyspace())).isEqualTo(before);
        server.config().set("enable-debug-command", "yes", true);
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertThat(jedis.sendCommand(() -> "DEBUG".getBytes(), "RELOAD".getBytes())).isEqualTo("OK".getBytes());
            assertThat(AofTestSupport.snapshot(server.keyspace())).isEqualTo(before);
        }
        assertThat(restart()).isEqualTo(before);
    }

    @Test
    void logsOnlyChangesAndSelectsOnlyOnDbChange() throws Exception {
        server = AofTestSupport.start(dir, "appendfsync", "always");
        Path incr = dir.resolve("appendonlydir/appendonly.aof.1.incr.aof");
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            jedis.set("a", "1");
            jedis.del("missing");
            jedis.set("a", "2", redis.clients.jedis.params.SetParams.setParams().nx());
            jedis.select(2);
            jedis.set("b", "1");
            jedis.set("c", "1");
            jedis.select(0);
            jedis.del("a");
            jedis.set("gone", "x", redis.clients.jedis.params.SetParams.setParams().px(30));
            Thread.sleep(60);
            assertThat(jedis.get("gone")).isNull(); // lazy (or active) expiry: logged as DEL
            jedis.set("z", "1");                     // acknowledged after an fsync covering the DEL
        }
        String log = Files.readString(incr, StandardCharsets.ISO_8859_1);
        assertThat(log.replaceAll("\\$\\d+\r\n|\r\n", " ").replaceAll("\\*\\d+ ", "|").replaceAll(" +", " ").strip()).matches(
                "\\| SELECT 0 \\| SET a 1 \\| SELECT 2 \\| SET b 1 \\| SET c 1 \\| SELECT 0 \\| DEL a "
                        + "\\| SET gone x PXAT \\d+ \\| DEL gone \\| SET z 1");
    }

    @Test
    void replayIgnoresExpiryWhileLoadingAndDropsExpiredKeysAfter() throws Exception {
        server = AofTestSupport.start(dir, "appendfsync", "always");
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            jedis.set("short", "1", redis.clients.jedis.params.SetParams.setParams().px(200));
            jedis.set("long", "1", redis.clients.jedis.params.SetParams.setParams().ex(1000));
        }
        server.stop();
        Thread.sleep(300);
        server = AofTestSupport.start(dir);
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertThat(jedis.get("short")).isNull();
            assertThat(jedis.get("long")).isEqualTo("1");
        }
    }
}
