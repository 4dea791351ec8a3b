package io.keyline.integration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The {@code ./keyline-server} launcher as a user runs it: a separate process, its start-up banner,
 * capacity enforcement, and command-line errors. The launcher builds the jar on first use, which
 * is allowed a longer start-up.
 */
class LauncherIT {
    @TempDir
    Path workDir;

    private static Path launcher() {
        Path p = Path.of("keyline-server").toAbsolutePath();
        assertThat(p).as("run from the repository root").isExecutable();
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    record Finished(int exitCode, String output) {
    }

    private Finished runToCompletion(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(launcher().toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(240, TimeUnit.SECONDS)).isTrue();
        return new Finished(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Collects a process's output on a daemon thread so the process never blocks on a full pipe. */
    static final class Output {
        private final StringBuffer text = new StringBuffer();

        Output(InputStream in) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[4096];
                try {
                    int n;
                    while ((n = in.read(buf)) > 0) text.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // process ended
                }
            }, "launcher-output");
            t.setDaemon(true);
            t.start();
        }

        String text() {
            return text.toString();
        }

        boolean waitFor(String needle, long timeoutMillis) throws InterruptedException {
            long end = System.currentTimeMillis() + timeoutMillis;
            while (System.currentTimeMillis() < end) {
                if (text.indexOf(needle) >= 0) return true;
                Thread.sleep(50);
            }
            return false;
        }
    }

    @Test
    void serverProcessWithCapacity() throws Exception {
        int port = freePort();
        boolean jarBuilt = Files.exists(Path.of("target", "keyline-server.jar"));
        Process server = new ProcessBuilder(launcher().toString(), "-p", Integer.toString(port), "-c", "100",
                "--appendonly", "no", "--dir", workDir.toString())
                .directory(workDir.toFile()).redirectErrorStream(true).start();
        try {
            Output out = new Output(server.getInputStream());
            boolean ready = out.waitFor("Ready to accept connections", jarBuilt ? 60_000 : 300_000);
            assertThat(ready).as("server became ready; output:%n%s", out.text()).isTrue();

            String banner = out.text().lines().filter(l -> l.contains("starting:")).findFirst().orElse("");
            assertThat(banner).as("start-up banner in:%n%s", out.text())
                    .matches(".*Keyline \\S+ \\(Redis \\d+\\.\\d+\\.\\d+ compatible\\) starting: .*")
                    .contains("port=" + port)
                    .contains("pid=" + server.pid())
                    .contains("capacity=100");
            assertThat(out.text()).doesNotContain("WARNING").doesNotContain("Exception");

            if (RedisCliIT.onPath("redis-cli")) {
                Process cli = new ProcessBuilder("redis-cli", "-p", Integer.toString(port), "ping").redirectErrorStream(true).start();
                assertThat(new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("PONG\n");
                assertThat(cli.waitFor(20, TimeUnit.SECONDS)).isTrue();
            }

            try (Jedis jedis = new Jedis("127.0.0.1", port, 10_000)) {
                assertThat(jedis.ping()).isEqualTo("PONG");
                for (int i = 0; i < 100; i++) assertThat(jedis.set("key:" + i, "v" + i)).isEqualTo("OK");
                assertThatThrownBy(() -> jedis.set("key:100", "one too many"))
                        .isInstanceOf(JedisDataException.class)
                        .hasMessage("OOM command not allowed when the number of keys has reached 'capacity'.");
                assertThat(jedis.exists("key:100")).isFalse();
                assertThat(jedis.dbSize()).isEqualTo(100L);
                // Reads and updates of existing keys still work when full.
                assertThat(jedis.get("key:7")).isEqualTo("v7");
                assertThat(jedis.set("key:7", "updated")).isEqualTo("OK");
                assertThat(jedis.get("key:7")).isEqualTo("updated");
                // DEL makes room again.
                assertThat(jedis.del("key:0")).isEqualTo(1L);
                assertThat(jedis.set("key:100", "fits now")).isEqualTo("OK");
                assertThatThrownBy(() -> jedis.set("key:101", "x")).hasMessageStartingWith("OOM ");
            }
        } finally {
            server.destroy();
            // generous: the first exit after a jar rebuild writes the class-data archive (seconds on a loaded machine)
            if (!server.waitFor(60, TimeUnit.SECONDS)) server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void invalidPortExitsWithOneLineError() throws Exception {
        Finished r = runToCompletion("--port", "abc");
        assertThat(r.exitCode()).isEqualTo(1);
        List<String> lines = r.output().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).as("output: %s", r.output()).hasSize(1);
        assertThat(lines.get(0)).startsWith("keyline-server: ").contains("abc");
        assertThat(r.output()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void unknownOptionExitsWithOneLineError() throws Exception {
        Finished r = runToCompletion("--no-such-option", "1");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output().lines().filter(l -> !l.isBlank()).count()).as("output: %s", r.output()).isEqualTo(1);
        assertThat(r.output()).contains("no-such-option").doesNotContain("Exception");
    }

    /** --aclfile: users load at start-up (the default user needs a password here), ACL SAVE writes the file back. */
    @Test
    void aclFileFromTheCommandLine() throws Exception {
        int port = freePort();
        Path acl = workDir.resolve("users.acl");
        Files.writeString(acl, "user default on >adminpw ~* &* +@all\nuser app on >apppw ~app:* +get +set\n");
        boolean jarBuilt = Files.exists(Path.of("target", "keyline-server.jar"));
        Process server = new ProcessBuilder(launcher().toString(), "-p", Integer.toString(port), "--aclfile", acl.toString(),
                "--appendonly", "no", "--dir", workDir.toString())
                .directory(workDir.toFile()).redirectErrorStream(true).start();
        try {
            Output out = new Output(server.getInputStream());
            assertThat(out.waitFor("Ready to accept connections", jarBuilt ? 60_000 : 300_000))
                    .as("server became ready; output:%n%s", out.text()).isTrue();
            try (Jedis jedis = new Jedis("127.0.0.1", port, 10_000)) {
                assertThatThrownBy(jedis::ping).hasMessageStartingWith("NOAUTH");
                assertThat(jedis.auth("app", "apppw")).isEqualTo("OK");
                assertThat(jedis.set("app:1", "v")).isEqualTo("OK");
                assertThatThrownBy(() -> jedis.get("other")).hasMessage("NOPERM No permissions to access a key");
                assertThat(jedis.auth("adminpw")).isEqualTo("OK");
                jedis.aclSetUser("app", "+del");
                assertThat(jedis.aclSave()).isEqualTo("OK");
            }
            assertThat(Files.readAllLines(acl)).hasSize(2).first().asString() // users in name order, as Redis's rax
                    .startsWith("user app on sanitize-payload #").endsWith(" ~app:* resetchannels -@all +get +set +del");
        } finally {
            server.destroy();
            // generous: the first exit after a jar rebuild writes the class-data archive (seconds on a loaded machine)
            if (!server.waitFor(60, TimeUnit.SECONDS)) server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        // A bad ACL file stops the start-up with one line naming the problem.
        Files.writeString(acl, "user app on +nosuchcommand\n");
        Finished bad = runToCompletion("-p", Integer.toString(freePort()), "--aclfile", acl.toString());
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.output()).contains("Aborting Keyline startup because of ACL errors")
                .contains("Unknown command or category name in ACL").doesNotContain("\tat ");
    }

    @Test
    void helpAndVersion() throws Exception {
        Finished help = runToCompletion("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.output()).contains("Usage: keyline-server").contains("--port").contains("--capacity");
        Finished version = runToCompletion("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.output().strip()).matches("Keyline server v=\\S+ redis_version=\\d+\\.\\d+\\.\\d+");
    }

    /** The value of the JVM flag {@code name} in process {@code pid}, read with the jcmd beside its java. */
    private static String vmFlag(long pid, String name) throws Exception {
        String java = ProcessHandle.of(pid).flatMap(h -> h.info().command()).orElseThrow();
        Path jcmd = Path.of(java).resolveSibling("jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "VM.flags", "-all").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out.lines().filter(l -> l.matches(".*\\b" + name + "\\s+=.*")).findFirst()
                .map(l -> l.replaceAll(".*=\\s*(\\S+).*", "$1")).orElseThrow(() -> new AssertionError(out));
    }

    /** A server the launcher started (no AOF, files in workDir), ready, on generational ZGC. */
    private record ZgcServer(Process process, Output out, String javaCommandLine, int port) {
    }

    /** Starts the launcher with {@code extraArgs}; skips the test when the launcher picked a JDK without ZGC. */
    private ZgcServer startOnZgc(String... extraArgs) throws Exception {
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(launcher().toString(), "-p", Integer.toString(port),
                "--appendonly", "no", "--dir", workDir.toString()));
        cmd.addAll(List.of(extraArgs));
        Process server = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true).start();
        try {
            Output out = new Output(server.getInputStream());
            assertThat(out.waitFor("Ready to accept connections", 300_000)).as("output:%n%s", out.text()).isTrue();
            String java = ProcessHandle.of(server.pid()).flatMap(h -> h.info().commandLine()).orElse("");
            assumeTrue(java.contains("-XX:+UseZGC"), "the launcher picked a JDK without generational ZGC");
            return new ZgcServer(server, out, java, port);
        } catch (Throwable t) {
            stop(server);
            throw t;
        }
    }

    private static void stop(Process server) throws InterruptedException {
        server.destroy();
        if (!server.waitFor(60, TimeUnit.SECONDS)) server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * The launcher asks for transparent huge pages exactly when the kernel lets ZGC's heap (shared memory) have them,
     * so that the JVM never warns about a setting it cannot use.
     */
    @Test
    void transparentHugePagesOnlyWhereTheKernelAllowsThem() throws Exception {
        Path shmemSetting = Path.of("/sys/kernel/mm/transparent_hugepage/shmem_enabled");
        assumeTrue(Files.isReadable(shmemSetting), "no transparent huge pages on this kernel");
        boolean allowed = Files.readString(shmemSetting).matches("(?s).*\\[(advise|always|within_size|force)\\].*");
        ZgcServer server = startOnZgc();
        try {
            assertThat(server.javaCommandLine().contains("-XX:+UseTransparentHugePages"))
                    .as(server.javaCommandLine()).isEqualTo(allowed);
            assertThat(server.out().text()).doesNotContain("[pagesize]").doesNotContain("huge pages");
            try (Jedis jedis = new Jedis("127.0.0.1", server.port(), 10_000)) {
                assertThat(jedis.ping()).isEqualTo("PONG");
            }
        } finally {
            stop(server.process());
        }
    }

    @Test
    void theHeapGovernorCollectsWhenWritesPauseUnderZgc() throws Exception {
        ZgcServer server = startOnZgc("--capacity", "0", "--loglevel", "debug");
        Output out = server.out();
        try (Jedis jedis = new Jedis("127.0.0.1", server.port(), 10_000)) {
            // A burst of ~100 MB of garbage (1000 keys overwritten 100 times with values of another length, so never in
            // place), then nothing: one collection once allocation has been quiet for 2 s.
            for (int batch = 0; batch < 100; batch++) {
                String value = "v".repeat(1024 + batch % 2);
                redis.clients.jedis.Pipeline p = jedis.pipelined();
                for (int i = 0; i < 1000; i++) p.set("key:" + i, value);
                p.sync();
            }
            assertThat(out.waitFor("Heap governor: allocation quiet for", 60_000)).as("output:%n%s", out.text()).isTrue();
            assertThat(jedis.configSet("heap-governor", "no")).isEqualTo("OK");
            assertThat(jedis.configGet("heap-governor")).containsEntry("heap-governor", "no");
        } finally {
            stop(server.process());
        }
    }
}
