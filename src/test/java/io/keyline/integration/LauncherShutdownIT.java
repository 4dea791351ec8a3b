package io.keyline.integration;

import io.keyline.embed.EmbeddedKeyline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./keyline-server} ends when asked, whatever it did before: SIGTERM ({@link Process#destroy()}), SIGINT and
 * SHUTDOWN stop it in order and the process exits with status 0 (as redis-server) within a generous bound. The
 * bound is not a speed check: it catches a JVM that never exits (a non-daemon thread, a shutdown that waits on
 * an event loop or a script). The first exit after a jar rebuild also writes the class-data archive, which takes
 * a few seconds on a loaded machine.
 */
class LauncherShutdownIT {
    private static final long EXIT_BOUND_SECONDS = 60;

    @TempDir
    Path workDir;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private record Running(Process process, LogFile out, int port) {
    }

    /**
     * The server's output, sent to a file: {@link Process#destroy()} closes the parent's end of a pipe, so what the
     * server logs while it stops would be lost to a pipe reader.
     */
    record LogFile(Path path) {
        String text() {
            try {
                return Files.exists(path) ? Files.readString(path) : "";
            } catch (IOException e) {
                return "";
            }
        }

        boolean waitFor(String needle, long timeoutMillis) throws InterruptedException {
            long end = System.currentTimeMillis() + timeoutMillis;
            while (System.currentTimeMillis() < end) {
                if (text().contains(needle)) return true;
                Thread.sleep(50);
            }
            return text().contains(needle);
        }
    }

    private Running start(String... extra) throws Exception {
        Path launcher = Path.of("keyline-server").toAbsolutePath();
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(launcher.toString(), "-p", Integer.toString(port),
                "--dir", workDir.toString(), "--save", ""));
        cmd.addAll(List.of(extra));
        boolean jarBuilt = Files.exists(Path.of("target", "keyline-server.jar"));
        LogFile out = new LogFile(workDir.resolve("server-" + port + ".log"));
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.path().toFile()).start();
        boolean ready = out.waitFor("Ready to accept connections", jarBuilt ? 60_000 : 300_000);
        if (!ready) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertThat(ready).as("server became ready; output:%n%s", out.text()).isTrue();
        return new Running(p, out, port);
    }

    /** Starts a server, runs {@code work} against it, sends {@code signal} and checks a clean exit with status 0. */
    private Running signalAfter(String signal, Consumer<Jedis> work, String... extra) throws Exception {
        Running r = start(extra);
        try {
            try (Jedis jedis = new Jedis("127.0.0.1", r.port(), 20_000)) {
                work.accept(jedis);
            }
            if ("TERM".equals(signal)) {
                r.process().destroy(); // SIGTERM
            } else {
                Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(r.process().pid())).start();
                assertThat(kill.waitFor(20, TimeUnit.SECONDS)).isTrue();
            }
            assertExitsCleanly(r);
            assertThat(r.out().text()).contains("Received SIG" + signal + " scheduling shutdown...");
            return r;
        } finally {
            if (r.process().isAlive()) r.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void assertExitsCleanly(Running r) throws Exception {
        boolean exited = r.process().waitFor(EXIT_BOUND_SECONDS, TimeUnit.SECONDS);
        if (!exited) {
            // what kept it alive, for the failure message
            Process dump = new ProcessBuilder("jcmd", Long.toString(r.process().pid()), "Thread.print").redirectErrorStream(true).start();
            String threads = new String(dump.getInputStream().readAllBytes());
            dump.waitFor(30, TimeUnit.SECONDS);
            assertThat(exited).as("exited within %d s; output:%n%s%nthreads:%n%s", EXIT_BOUND_SECONDS, r.out().text(), threads).isTrue();
        }
        assertThat(r.process().exitValue()).as("exit status; output:%n%s", r.out().text()).isZero();
        // the reader thread may still be draining the pipe when the process is gone
        assertThat(r.out().waitFor("Keyline is now ready to exit, bye bye...", 20_000))
                .as("orderly stop logged; output:%n%s", r.out().text()).isTrue();
    }

    @Test
    void sigtermWhenIdle() throws Exception {
        signalAfter("TERM", j -> { }, "--appendonly", "no");
    }

    @Test
    void sigtermWithClientsConnectedAndOneBlocked() throws Exception {
        Running r = start("--appendonly", "yes");
        Jedis idle = new Jedis("127.0.0.1", r.port(), 20_000);
        Jedis blocked = new Jedis("127.0.0.1", r.port(), 0);
        Thread waiter = new Thread(() -> {
            try {
                blocked.blpop(0, "never");
            } catch (RuntimeException expected) {
                // the server went away
            }
        }, "test-blpop");
        waiter.setDaemon(true);
        try {
            assertThat(idle.set("k", "v")).isEqualTo("OK");
            waiter.start();
            Thread.sleep(300);
            r.process().destroy();
            assertExitsCleanly(r);
        } finally {
            idle.close();
            blocked.close();
            if (r.process().isAlive()) r.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void sigtermAfterScriptsAndWithABusyScript() throws Exception {
        Running r = start("--appendonly", "yes", "--busy-reply-threshold", "100");
        Jedis busy = new Jedis("127.0.0.1", r.port(), 0);
        Thread runner = new Thread(() -> {
            try {
                busy.eval("while true do end");
            } catch (RuntimeException expected) {
                // aborted by the shutdown
            }
        }, "test-busy-script");
        runner.setDaemon(true);
        try {
            try (Jedis j = new Jedis("127.0.0.1", r.port(), 20_000)) {
                assertThat(j.eval("return redis.call('set', KEYS[1], ARGV[1])", 1, "k", "v")).isEqualTo("OK");
                runner.start();
                Thread.sleep(500); // the script is running (and holds every stripe) when SIGTERM comes
            }
            r.process().destroy();
            assertExitsCleanly(r);
        } finally {
            busy.close();
            if (r.process().isAlive()) r.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void sigtermAfterMigrate() throws Exception {
        try (EmbeddedKeyline target = EmbeddedKeyline.start()) {
            signalAfter("TERM", j -> {
                j.set("m1", "v");
                j.set("m2", "v");
                // the second MIGRATE reuses the cached socket, which is still open at SIGTERM
                assertThat(j.migrate("127.0.0.1", target.port(), "m1", 0, 5000)).isEqualTo("OK");
                assertThat(j.migrate("127.0.0.1", target.port(), "m2", 0, 5000)).isEqualTo("OK");
            }, "--appendonly", "yes");
            try (Jedis t = new Jedis("127.0.0.1", target.port())) {
                assertThat(t.get("m2")).isEqualTo("v");
            }
        }
    }

    @Test
    void sigtermRightAfterBgrewriteaof() throws Exception {
        signalAfter("TERM", j -> {
            for (int i = 0; i < 1000; i++) j.set("k" + i, "v" + i);
            assertThat(j.bgrewriteaof()).contains("rewriting started");
        }, "--appendonly", "yes");
        try (var files = Files.list(workDir.resolve("appendonlydir"))) {
            assertThat(files.map(f -> f.getFileName().toString())).anyMatch(n -> n.endsWith(".manifest"));
        }
    }

    @Test
    void sigtermWithTwoIoThreads() throws Exception {
        signalAfter("TERM", j -> j.set("k", "v"), "--io-threads", "2", "--appendonly", "yes");
    }

    @Test
    void sigtermWithSavePointsWritesTheRdb() throws Exception {
        signalAfter("TERM", j -> {
            j.configSet("save", "3600 1");
            j.set("k", "v");
        }, "--appendonly", "no");
        assertThat(workDir.resolve("dump.rdb")).exists();
    }

    @Test
    void sigintStopsInOrderToo() throws Exception {
        signalAfter("INT", j -> j.set("k", "v"), "--appendonly", "yes");
    }

    @Test
    void shutdownCommandExitsZero() throws Exception {
        shutdownWith("SHUTDOWN");
    }

    @Test
    void shutdownNosaveExitsZero() throws Exception {
        shutdownWith("SHUTDOWN", "NOSAVE");
    }

    private void shutdownWith(String... command) throws Exception {
        Running r = start("--appendonly", "yes");
        try {
            try (Jedis j = new Jedis("127.0.0.1", r.port(), 20_000)) {
                j.set("k", "v");
                j.eval("return 1", 0);
                try {
                    j.sendCommand(() -> redis.clients.jedis.util.SafeEncoder.encode(command[0]),
                            java.util.Arrays.copyOfRange(command, 1, command.length));
                } catch (RuntimeException expected) {
                    // SHUTDOWN closes the connection instead of replying
                }
            }
            assertExitsCleanly(r);
        } finally {
            if (r.process().isAlive()) r.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
