package io.keyline.integration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real {@code redis-cli} against Keyline (fails when redis-cli is not installed; .ci/run installs
 * redis-tools). Without a terminal redis-cli prints raw replies, one per line.
 */
class RedisCliIT extends ServerTestBase {
    @TempDir
    Path tmp;

    @BeforeAll
    void needRedisCli() {
        assertThat(onPath("redis-cli")).as("redis-cli is not installed (apt-get install redis-tools; .ci/run installs it)").isTrue();
    }

    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) return true;
        }
        return false;
    }

    record Result(int exitCode, String out) {
    }

    /** Runs redis-cli against the test server; stdin from {@code input} when not null. */
    private Result cli(Path input, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port())));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (input != null) pb.redirectInput(input.toFile());
        else pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("redis-cli finished").isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private String cli(String... args) throws IOException, InterruptedException {
        Result r = cli(null, args);
        assertThat(r.exitCode()).as("redis-cli exit code, output: %s", r.out()).isZero();
        return r.out();
    }

    @Test
    void setAndGet() throws Exception {
        assertThat(cli("set", "greeting", "hello world")).isEqualTo("OK\n");
        assertThat(cli("get", "greeting")).isEqualTo("hello world\n");
        assertThat(cli("get", "missing")).isEqualTo("\n");
        assertThat(cli("del", "greeting", "missing")).isEqualTo("1\n");
        assertThat(cli("ping")).isEqualTo("PONG\n");
        assertThat(cli("echo", "a b")).isEqualTo("a b\n");
    }

    @Test
    void errorsArePrinted() throws Exception {
        // As with redis-server: the error line, then an empty line; the exit code stays 0.
        assertThat(cli("nosuchcommand", "x")).isEqualTo("ERR unknown command 'nosuchcommand', with args beginning with: 'x' \n\n");
        assertThat(cli("get")).isEqualTo("ERR wrong number of arguments for 'get' command\n\n");
    }

    @Test
    void inlineCommandsOverARawSocket() throws Exception {
        assertThat(raw("PING\r\n", 7)).isEqualTo("+PONG\r\n");
        assertThat(raw("SET a \"b c\"\r\nGET a\r\n", 14)).isEqualTo("+OK\r\n$3\r\nb c\r\n");
        assertThat(cli("get", "a")).isEqualTo("b c\n");
        assertThat(raw("SET q 'it\\'s'\r\nGET q\r\n", 15)).isEqualTo("+OK\r\n$4\r\nit's\r\n");
    }

    @Test
    void pipeModeLoads100000Commands() throws Exception {
        Path file = tmp.resolve("commands.resp");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            for (int i = 0; i < 100_000; i++) {
                byte[] k = ("key:" + i).getBytes(StandardCharsets.US_ASCII);
                byte[] v = ("value:" + i).getBytes(StandardCharsets.US_ASCII);
                out.write(("*3\r\n$3\r\nSET\r\n$" + k.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(k);
                out.write(("\r\n$" + v.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(v);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        }
        Result r = cli(file, "--pipe");
        assertThat(r.out()).contains("All data transferred").contains("errors: 0, replies: 100000");
        assertThat(r.exitCode()).isZero();
        assertThat(jedis.dbSize()).isEqualTo(100_000L);
        assertThat(jedis.get("key:99999")).isEqualTo("value:99999");
    }

    @Test
    void pipeModeCountsErrors() throws Exception {
        Path file = tmp.resolve("bad.txt");
        Files.writeString(file, "SET a 1\r\nNOSUCH x\r\nGET\r\nSET b 2\r\n");
        Result r = cli(file, "--pipe");
        assertThat(r.out()).contains("errors: 2, replies: 4");
    }

    @Test
    void resp3Hello() throws Exception {
        String out = cli("-3", "hello");
        Map<String, String> fields = new HashMap<>();
        for (String line : out.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp > 0) fields.put(line.substring(0, sp), line.substring(sp + 1));
        }
        assertThat(fields).containsEntry("server", "redis").containsEntry("proto", "3")
                .containsEntry("mode", "standalone").containsEntry("role", "master").containsKey("version").containsKey("id");
        // A RESP3 null prints as an empty line.
        assertThat(cli("-3", "get", "missing")).isEqualTo("\n");
    }

    @Test
    void scanWithPattern() throws Exception {
        for (int i = 0; i < 300; i++) jedis.set("k" + i, "v");
        for (int i = 0; i < 50; i++) jedis.set("other" + i, "v");
        String out = cli("--scan", "--pattern", "k*");
        List<String> keys = new ArrayList<>(List.of(out.split("\n")));
        keys.removeIf(String::isEmpty);
        assertThat(keys).hasSize(300).allMatch(k -> k.startsWith("k")).doesNotHaveDuplicates();
    }

    @Test
    void infoParses() throws Exception {
        String out = cli("info");
        assertThat(out).as("INFO output").doesNotStartWith("ERR");
        Map<String, String> fields = new HashMap<>();
        List<String> sections = new ArrayList<>();
        for (String line : out.split("\r?\n")) {
            if (line.isEmpty()) continue;
            if (line.startsWith("# ")) {
                sections.add(line.substring(2));
                continue;
            }
            int colon = line.indexOf(':');
            assertThat(colon).as("INFO line '%s' is name:value", line).isPositive();
            fields.put(line.substring(0, colon), line.substring(colon + 1));
        }
        assertThat(sections).contains("Server", "Clients", "Memory", "Stats");
        assertThat(fields).containsKeys("redis_version", "tcp_port", "connected_clients", "used_memory");
        assertThat(fields.get("tcp_port")).isEqualTo(Integer.toString(port()));
        assertThat(cli("info", "server")).contains("redis_version:").doesNotContain("# Clients");
    }
}
