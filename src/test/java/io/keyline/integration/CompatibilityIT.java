package io.keyline.integration;

import io.keyline.embed.EmbeddedKeyline;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs every {@code src/test/resources/compat/*.txt} script through {@code resp-diff.py} against a
 * real {@code redis-server} and Keyline, and fails on any difference (printing the tool's report).
 * Skipped, with the reason, when redis-server, python3 or the tool is missing. The tool is found
 * as {@code shared/tools/resp-diff.py} in the working directory or any parent (CI clones the
 * repository next to a copy of {@code shared/}), or at {@code $KEYLINE_RESP_DIFF}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompatibilityIT {
    private static final Path SCRIPTS = Path.of("src", "test", "resources", "compat");

    private Path redisDir;

    private Path tool;
    private Process redis;
    private int redisPort;
    private EmbeddedKeyline keyline;

    static Path findTool() {
        String env = System.getenv("KEYLINE_RESP_DIFF");
        if (env != null && Files.isRegularFile(Path.of(env))) return Path.of(env);
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("shared").resolve("tools").resolve("resp-diff.py");
            if (Files.isRegularFile(candidate)) return candidate;
        }
        return null;
    }

    @BeforeAll
    void startServers() throws Exception {
        assumeTrue(RedisCliIT.onPath("redis-server"), "redis-server is not installed: compatibility scripts skipped");
        assumeTrue(RedisCliIT.onPath("python3"), "python3 is not installed: compatibility scripts skipped");
        tool = findTool();
        assumeTrue(tool != null, "shared/tools/resp-diff.py not found from " + Path.of("").toAbsolutePath()
                + " upward (or $KEYLINE_RESP_DIFF): compatibility scripts skipped");

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
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] buf = new byte[7];
            int n = in.readNBytes(buf, 0, 7);
            return n == 7 && new String(buf, StandardCharsets.US_ASCII).equals("+PONG\r\n");
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
        assertThat(scripts).as("compatibility scripts in %s", SCRIPTS.toAbsolutePath()).isNotEmpty();
        return scripts.stream().map(script -> DynamicTest.dynamicTest(script.getFileName().toString(), () -> {
            Process p = new ProcessBuilder("python3", tool.toString(), "--a", Integer.toString(redisPort),
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
