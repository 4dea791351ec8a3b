package io.keyline.integration;

import io.keyline.embed.EmbeddedKeyline;
import io.keyline.testkit.RespClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every {@code src/test/resources/compat/*.txt} script through the repository's
 * {@code tools/resp-diff.py} against a real {@code redis-server} and Keyline, and fails on any
 * difference (printing the tool's report). A missing redis-server, python3 or tool FAILS the test:
 * the compatibility claim must not silently turn into a skip ({@code .ci/run} installs redis-server).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompatibilityIT {
    private static final Path SCRIPTS = Path.of("src", "test", "resources", "compat");
    static final Path TOOL = Path.of("tools", "resp-diff.py");

    private Path redisDir;

    private Process redis;
    private int redisPort;
    private EmbeddedKeyline keyline;

    @BeforeAll
    void startServers() throws Exception {
        assertThat(RedisCliIT.onPath("redis-server"))
                .as("redis-server (the reference) must be installed for the compatibility scripts, e.g. apt-get install redis-server")
                .isTrue();
        assertThat(RedisCliIT.onPath("python3")).as("python3 must be installed to run %s", TOOL).isTrue();
        assertThat(TOOL).as("the diff tool in the repository, from %s", Path.of("").toAbsolutePath()).isRegularFile();

        redisDir = Files.createTempDirectory("keyline-compat-redis");
        redisPort = freePort();
        redis = new ProcessBuilder("redis-server", "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--enable-debug-command", "yes", "--daemonize", "no",
                "--dir", redisDir.toString())
                .redirectErrorStream(true).redirectOutput(redisDir.resolve("redis.log").toFile()).start();
        long deadline = System.currentTimeMillis() + 20_000;
        while (!pings(redisPort)) {
            if (!redis.isAlive() || System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("redis-server did not start: " + Files.readString(redisDir.resolve("redis.log")));
            }
            Thread.sleep(50);
        }
        keyline = EmbeddedKeyline.builder().config("enable-debug-command", "yes").start();
    }

    @AfterAll
    void stopServers() throws InterruptedException {
        if (keyline != null) keyline.stop();
        if (redis != null) {
            redis.destroy();
            if (!redis.waitFor(10, TimeUnit.SECONDS)) redis.destroyForcibly();
        }
        if (redisDir != null) {
            try (Stream<Path> files = Files.list(redisDir)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
                Files.deleteIfExists(redisDir);
            } catch (IOException ignored) {
                // a temp dir left behind is harmless
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean pings(int port) {
        try (RespClient c = new RespClient(port)) {
            return c.timeout(Duration.ofSeconds(1)).call("PING").equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    @TestFactory
    Stream<DynamicTest> scriptsMatchRedis() throws IOException {
        List<Path> scripts;
        try (Stream<Path> files = Files.list(SCRIPTS)) {
            scripts = files.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted().toList();
        }
        // -Dcompat.only=tracking,pubsub runs those scripts only; -Dcompat.repeat=15 runs each that
        // many times in a row (for proving a script stable, e.g. one with cross-connection pushes).
        String only = System.getProperty("compat.only", "").trim();
        if (!only.isEmpty()) {
            List<String> names = java.util.Arrays.stream(only.split(","))
                    .map(n -> n.trim().endsWith(".txt") ? n.trim() : n.trim() + ".txt").toList();
            scripts = scripts.stream().filter(p -> names.contains(p.getFileName().toString())).toList();
        }
        int repeat = Integer.getInteger("compat.repeat", 1);
        assertThat(scripts).as("compatibility scripts in %s", SCRIPTS.toAbsolutePath()).isNotEmpty();
        List<Path> runs = scripts.stream().flatMap(s -> java.util.Collections.nCopies(repeat, s).stream()).toList();
        int[] round = {0};
        return runs.stream().map(script -> DynamicTest.dynamicTest(
                script.getFileName().toString() + (repeat > 1 ? " #" + (round[0]++ % repeat + 1) : ""), () -> {
            Process p = new ProcessBuilder("python3", TOOL.toString(), "--a", Integer.toString(redisPort),
                    "--b", Integer.toString(keyline.port()), script.toString())
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("resp-diff finished").isTrue();
            System.out.println(script.getFileName() + ": " + report.strip().lines().reduce((a, b) -> b).orElse(""));
            assertThat(p.exitValue())
                    .as("differences between redis-server (A) and Keyline (B) for %s:%n%s", script, report)
                    .isZero();
            assertThat(report).contains(" passed, 0 failed");
        }));
    }
}
