package io.keyline.persistence;

import io.keyline.server.KeylineServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real full disk: the directory is a 1 MB tmpfs (needs root; skipped otherwise). Writes are
 * refused with MISCONF while the AOF cannot be written, reads keep working, writes resume once
 * space is freed, and the file holds no half command.
 */
class AofDiskFullIT {
    private Path mount;
    private KeylineServer server;

    @BeforeEach
    void mountTmpfs() throws Exception {
        mount = Files.createTempDirectory("keyline-aof-full");
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        boolean mounted = p.waitFor() == 0;
        if (!mounted) Files.deleteIfExists(mount);
        Assumptions.assumeTrue(mounted, "cannot mount a tmpfs here (not root?): skipping the disk-full test");
    }

    @AfterEach
    void unmount() throws Exception {
        if (server != null) server.stop();
        new ProcessBuilder("umount", mount.toString()).start().waitFor();
        Files.deleteIfExists(mount);
    }

    @Test
    void writesAreRefusedWhileTheDiskIsFullAndResumeAfter() throws Exception {
        server = AofTestSupport.start(mount, "appendfsync", "everysec", "auto-aof-rewrite-percentage", "0");
        Path filler = mount.resolve("filler");
        long free = Files.getFileStore(mount).getUsableSpace();
        Files.write(filler, new byte[(int) Math.max(0, free - 40_000)]);
        String value = "x".repeat(1000);
        List<String> acked = new ArrayList<>();
        String error = null;
        try (Jedis j = new Jedis("127.0.0.1", server.port(), 10_000)) {
            for (int i = 0; i < 2000 && error == null; i++) {
                try {
                    j.set("k" + i, value);
                    acked.add("k" + i);
                } catch (JedisDataException e) {
                    error = e.getMessage();
                }
                Thread.sleep(2);
            }
            assertThat(error).isEqualTo("MISCONF Errors writing to the AOF file: No space left on device");
            assertThat(j.get("k0")).isEqualTo(value);          // reads keep working
            assertThat(j.exists("k0")).isTrue();
            Files.delete(filler);                               // space is back
            boolean resumed = false;
            for (int i = 0; i < 100 && !resumed; i++) {
                try {
                    j.set("after", "1");
                    resumed = true;
                } catch (JedisDataException e) {
                    Thread.sleep(50);
                }
            }
            assertThat(resumed).as("writes resume after the disk has room again").isTrue();
        }
        server.stop();
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        assertThat(AofCheck.run(mount.resolve("appendonlydir"), false, new PrintStream(report, true, StandardCharsets.UTF_8)))
                .as(report.toString(StandardCharsets.UTF_8)).isZero();
        server = AofTestSupport.start(mount);
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            for (String k : acked) assertThat(j.get(k)).as(k).isEqualTo(value);  // acknowledged before the error: kept
            assertThat(j.get("after")).isEqualTo("1");
        }
    }
}
