package io.keyline.persistence;

import io.keyline.server.KeylineServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Truncated and corrupted files on start-up, {@code --check-aof [--fix]}, the legacy single file. */
class AofRecoveryIT {
    private Path dir;
    private Path aofDir;
    private KeylineServer server;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("keyline-aof-recovery");
        aofDir = dir.resolve("appendonlydir");
    }

    @AfterEach
    void tearDown() throws IOException {
        if (server != null) server.stop();
        AofTestSupport.deleteTree(dir);
    }

    /** A directory with keys k0..k{n-1} in the incr file; returns the incr file. */
    private Path writeKeys(int n) throws Exception {
        server = AofTestSupport.start(dir, "appendfsync", "always");
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            for (int i = 0; i < n; i++) jedis.set("k" + i, "v" + i);
        }
        server.stop();
        server = null;
        return aofDir.resolve("appendonly.aof.1.incr.aof");
    }

    private static String check(Path target, boolean fix, int expectedExit) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int rc = AofCheck.run(target, fix, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(rc).as(out).isEqualTo(expectedExit);
        return out;
    }

    @Test
    void truncatedLastCommandIsCutOffWithAWarning() throws Exception {
        Path incr = writeKeys(10);
        long size = Files.size(incr);
        Files.write(incr, "*3\r\n$3\r\nSET\r\n$2\r\nk1".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        check(aofDir, false, 1);
        server = AofTestSupport.start(dir);
        assertThat(Files.size(incr)).isEqualTo(size);
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertThat(jedis.dbSize()).isEqualTo(10);
            assertThat(jedis.get("k9")).isEqualTo("v9");
            jedis.set("after", "1");
        }
        server.stop();
        server = AofTestSupport.start(dir);
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertThat(jedis.get("after")).isEqualTo("1");
        }
        check(aofDir, false, 0);
    }

    @Test
    void leftoversOfAnInterruptedRewriteAreRemovedOnStartUp() throws Exception {
        writeKeys(2);
        Files.write(aofDir.resolve("temp-rewriteaof-bg-1234.aof"), new byte[10]);
        Files.write(aofDir.resolve("appendonly.aof.2.base.aof"), "*1\r\n$4\r\nJUNK\r\n".getBytes(StandardCharsets.US_ASCII));
        Files.write(aofDir.resolve("appendonly.aof.2.incr.aof"), new byte[0]);
        server = AofTestSupport.start(dir);
        try (var files = Files.list(aofDir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("appendonly.aof.1.base.aof", "appendonly.aof.1.incr.aof", "appendonly.aof.manifest");
        }
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertThat(jedis.dbSize()).isEqualTo(2);
            assertThat(jedis.save()).isEqualTo("OK");
        }
    }

    @Test
    void unfinishedTransactionAtTheEndIsDropped() throws Exception {
        Path incr = writeKeys(3);
        long size = Files.size(incr);
        Files.write(incr, ("*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$2\r\nk1\r\n$1\r\nX\r\n")
                .getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        server = AofTestSupport.start(dir);
        assertThat(Files.size(incr)).isEqualTo(size);
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertThat(jedis.get("k1")).isEqualTo("v1");
        }
    }

    @Test
    void truncatedTailFailsWhenAofLoadTruncatedIsOff() throws Exception {
        Path incr = writeKeys(3);
        Files.write(incr, "*2\r\n$3\r\nDEL".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        assertThatThrownBy(() -> AofTestSupport.start(dir, "aof-load-truncated", "no"))
                .hasMessageContaining(incr.toString()).hasMessageContaining("offset");
    }

    @Test
    void corruptionInTheMiddleStopsStartUpNamingFileAndOffset() throws Exception {
        Path incr = writeKeys(10);
        byte[] data = Files.readAllBytes(incr);
        String text = new String(data, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("*3\r\n$3\r\nSET\r\n$2\r\nk5");
        data[at] = '?';
        Files.write(incr, data);
        assertThatThrownBy(() -> AofTestSupport.start(dir))
                .hasMessageContaining("Bad file format reading the append only file " + incr)
                .hasMessageContaining("at offset " + at);
        String report = check(aofDir, false, 1);
        assertThat(report).contains("offset " + at);
        // --fix truncates the last file at the last good command
        check(aofDir, true, 0);
        assertThat(Files.size(incr)).isEqualTo(at);
        server = AofTestSupport.start(dir);
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertThat(jedis.dbSize()).isEqualTo(5);
        }
    }

    @Test
    void checkAofFixesATruncatedFileAndTheCliExitCodesFollow() throws Exception {
        Path incr = writeKeys(4);
        long size = Files.size(incr);
        Files.write(incr, "*3\r\n$3\r\nSET\r\n".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        assertThat(io.keyline.cli.Main.run(new String[]{"--check-aof", aofDir.toString()})).isEqualTo(1);
        assertThat(io.keyline.cli.Main.run(new String[]{"--check-aof", aofDir.toString(), "--fix"})).isEqualTo(0);
        assertThat(Files.size(incr)).isEqualTo(size);
        assertThat(io.keyline.cli.Main.run(new String[]{"--check-aof", incr.toString()})).isEqualTo(0);
    }

    @Test
    void unknownCommandInTheFileStopsStartUp() throws Exception {
        Path incr = writeKeys(1);
        long offset = Files.size(incr);
        Files.write(incr, "*2\r\n$7\r\nNOSUCHX\r\n$1\r\na\r\n".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        assertThatThrownBy(() -> AofTestSupport.start(dir))
                .hasMessageContaining("Unknown command 'NOSUCHX'").hasMessageContaining("offset " + offset);
    }

    @Test
    void legacySingleFileIsMigratedIntoTheDirectory() throws Exception {
        Files.write(dir.resolve("appendonly.aof"), ("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$6\r\nlegacy\r\n$3\r\nold\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        server = AofTestSupport.start(dir);
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertThat(jedis.get("legacy")).isEqualTo("old");
            jedis.set("new", "1");
        }
        assertThat(Files.exists(dir.resolve("appendonly.aof"))).isFalse();
        assertThat(Files.readString(aofDir.resolve("appendonly.aof.manifest")))
                .isEqualTo("file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n");
        server.stop();
        server = AofTestSupport.start(dir);
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertThat(jedis.get("legacy")).isEqualTo("old");
            assertThat(jedis.get("new")).isEqualTo("1");
        }
    }

    @Test
    void commandsAndRepliesOfPersistence() throws Exception {
        server = AofTestSupport.start(dir, "appendfsync", "everysec");
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            long before = jedis.lastsave();
            assertThat(before).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(30L));
            jedis.set("a", "1");
            assertThat(jedis.bgrewriteaof()).isEqualTo("Background append only file rewriting started");
            awaitNoRewrite();
            assertThat(jedis.bgsave()).isEqualTo("Background saving started"); // dump.rdb; the AOF is left as it is
            awaitNoRewrite();
            assertThat(Files.exists(dir.resolve("dump.rdb"))).isTrue();
            assertThat(jedis.save()).isEqualTo("OK");
            // aof-use-rdb-preamble yes (the default): the rewritten base is an RDB file
            assertThat(Files.readString(aofDir.resolve("appendonly.aof.manifest")))
                    .isEqualTo("file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n");
            try (var files = Files.list(aofDir)) {
                assertThat(files.map(p -> p.getFileName().toString()).sorted())
                        .containsExactly("appendonly.aof.2.base.rdb", "appendonly.aof.2.incr.aof", "appendonly.aof.manifest");
            }
            StringBuilder info = new StringBuilder();
            server.context().infoSection("persistence").append(info);
            assertThat(info.toString()).contains("aof_enabled:1\r\n", "aof_rewrites:1\r\n", "rdb_saves:2\r\n", "rdb_last_bgsave_status:ok\r\n", "aof_last_bgrewrite_status:ok\r\n",
                    "rdb_changes_since_last_save:0\r\n", "loading:0\r\n", "async_loading:0\r\n", "aof_last_write_status:ok\r\n",
                    "aof_base_size:", "aof_current_size:", "aof_buffer_length:", "module_fork_in_progress:0\r\n");
        }
    }

    private void awaitNoRewrite() throws InterruptedException {
        var control = server.context().service(io.keyline.engine.PersistenceControl.class);
        for (int i = 0; i < 200 && (control.rewriteInProgress() || control.bgsaveInProgress()); i++) Thread.sleep(20);
        assertThat(control.rewriteInProgress()).isFalse();
        assertThat(control.bgsaveInProgress()).isFalse();
    }

    @Test
    void turningAppendOnlyOnAtRuntimeSnapshotsThenLogs() throws Exception {
        server = AofTestSupport.start(dir, "appendonly", "no");
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            jedis.set("before", "1");
            server.config().set("appendonly", "yes", false);
            awaitNoRewrite();
            jedis.set("after", "2");
            server.config().set("appendonly", "no", false);
            jedis.set("not-logged", "3");
        }
        server.stop();
        server = AofTestSupport.start(dir);
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertThat(jedis.get("before")).isEqualTo("1");
            assertThat(jedis.get("after")).isEqualTo("2");
            assertThat(jedis.get("not-logged")).isNull();
        }
    }

    @Test
    void secondBackgroundRewriteWhileOneRunsIsRefused() throws Exception {
        server = AofTestSupport.start(dir);
        var control = server.context().service(io.keyline.engine.PersistenceControl.class);
        // hold a stripe so the rewrite cannot finish while we ask again
        server.keyspace().lock(63);
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertThat(jedis.bgrewriteaof()).isEqualTo("Background append only file rewriting started");
            assertThatThrownBy(jedis::bgrewriteaof).hasMessage("ERR Background append only file rewriting already in progress");
            // Redis 7.2: an AOF rewrite is "another child process"
            assertThatThrownBy(jedis::bgsave).hasMessage("ERR Another child process is active (AOF?): can't BGSAVE right now. "
                    + "Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.");
            assertThat(AofTestSupport.str((byte[]) jedis.sendCommand(redis.clients.jedis.Protocol.Command.BGSAVE, "SCHEDULE")))
                    .isEqualTo("Background saving scheduled");
        } finally {
            server.keyspace().unlock(63);
        }
        awaitNoRewrite();
        StringBuilder info = new StringBuilder();
        for (int i = 0; i < 100 && !info.toString().contains("rdb_saves:1\r\n"); i++) {
            Thread.sleep(50);
            info.setLength(0);
            server.context().infoSection("persistence").append(info);
        }
        // the scheduled BGSAVE ran after the rewrite
        assertThat(info.toString()).contains("aof_rewrites:1\r\n", "rdb_saves:1\r\n", "rdb_last_bgsave_status:ok\r\n");
    }
}
