package io.keyline.integration;

import io.keyline.embed.EmbeddedKeyline;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MIGRATE from Keyline to Debian's redis-server (7.0.15 reads RDB version 10: Keyline runs with
 * {@code rdb-version 10}), to another Keyline, and from redis-server to Keyline, for every type and
 * encoding (values compared with DEBUG DIGEST-VALUE); COPY, REPLACE, the KEYS form, AUTH and AUTH2 against
 * a password-protected target, errors forwarded from the target, NOKEY, timeouts, the cached connection
 * (one connection, SELECT only when the database changes), the DEL logged to the AOF, and the event loop
 * serving other clients while a MIGRATE waits. Error texts are compared with redis-server's own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MigrateIT extends ServerTestBase {
    private static final String BUSY = "ERR Target instance replied with error: BUSYKEY Target key name already exists.";
    private final List<Process> redisProcesses = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();
    private int redisPort;
    private int securePort;
    private Jedis r;
    private Jedis secure;
    private EmbeddedKeyline target;
    private Jedis t;

    @Override
    protected void configure(EmbeddedKeyline.Builder builder) {
        builder.config("enable-debug-command", "yes").config("rdb-version", "10");
    }

    @BeforeAll
    void startTargets() throws Exception {
        assertThat(RedisCliIT.onPath("redis-server")).as("redis-server must be installed").isTrue();
        redisPort = startRedis();
        securePort = startRedis("--requirepass", "s3cret");
        r = new Jedis("127.0.0.1", redisPort, 10_000);
        secure = new Jedis("127.0.0.1", securePort, 10_000);
        secure.auth("s3cret");
        secure.sendCommand(() -> b("ACL"), "SETUSER", "mover", "on", ">pw2", "~*", "+@all");
        target = EmbeddedKeyline.builder().config("enable-debug-command", "yes").start();
        t = new Jedis("127.0.0.1", target.port(), 10_000);
    }

    @BeforeEach
    void flushTargets() {
        r.flushAll();
        secure.flushAll();
        t.flushAll();
        jedis.configSet("rdb-version", "10");
    }

    private int startRedis(String... extra) throws Exception {
        Path dir = Files.createTempDirectory("keyline-migrate-redis");
        dirs.add(dir);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--enable-debug-command", "yes", "--daemonize", "no",
                "--dir", dir.toString()));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        redisProcesses.add(p);
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return port;
            } catch (IOException e) {
                if (!p.isAlive() || System.currentTimeMillis() > deadline) throw new IllegalStateException("redis-server did not start", e);
                Thread.sleep(50);
            }
        }
    }

    @AfterAll
    void stopTargets() throws Exception {
        if (r != null) r.close();
        if (secure != null) secure.close();
        if (t != null) t.close();
        if (target != null) target.stop();
        for (Process p : redisProcesses) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
        }
        for (Path d : dirs) deleteTree(d);
    }

    private static void deleteTree(Path d) throws IOException {
        if (!Files.exists(d)) return;
        try (var files = Files.walk(d)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String digest(Jedis j, String key) {
        return String.valueOf(j.sendCommand(() -> b("DEBUG"), "DIGEST-VALUE", key) instanceof List<?> l && !l.isEmpty()
                ? new String((byte[]) l.get(0), StandardCharsets.US_ASCII) : null);
    }

    /** MIGRATE's reply as text: a status, or the error line. */
    private static String migrate(Jedis j, String... args) {
        try {
            Object o = j.sendCommand(() -> b("MIGRATE"), args);
            return o instanceof byte[] x ? new String(x, StandardCharsets.UTF_8) : String.valueOf(o);
        } catch (JedisDataException e) {
            return e.getMessage();
        }
    }

    private static String count(Jedis j, String cmd) {
        String info = j.info("commandstats");
        for (String line : info.split("\r\n")) {
            if (line.startsWith("cmdstat_" + cmd + ":")) return line.replaceAll("^[^:]*:calls=(\\d+),.*", "$1");
        }
        return "0";
    }

    @Test
    void everyTypeAndEncodingToRedis() {
        for (var e : DumpRestoreIT.fixtures().entrySet()) {
            r.flushAll();
            jedis.flushAll();
            e.getValue().accept(jedis);
            String before = digest(jedis, "k");
            assertThat(migrate(jedis, "127.0.0.1", Integer.toString(redisPort), "k", "0", "5000")).as(e.getKey()).isEqualTo("OK");
            assertThat(digest(r, "k")).as("digest of %s", e.getKey()).isEqualTo(before);
            assertThat(jedis.exists("k")).as(e.getKey()).isFalse();
        }
    }

    @Test
    void everyTypeAndEncodingToKeylineWithVersion11() {
        jedis.configSet("rdb-version", "11");
        for (var e : DumpRestoreIT.fixtures().entrySet()) {
            t.flushAll();
            jedis.flushAll();
            e.getValue().accept(jedis);
            String before = digest(jedis, "k");
            assertThat(migrate(jedis, "127.0.0.1", Integer.toString(target.port()), "k", "0", "5000")).as(e.getKey()).isEqualTo("OK");
            assertThat(digest(t, "k")).as("digest of %s", e.getKey()).isEqualTo(before);
            assertThat(jedis.exists("k")).as(e.getKey()).isFalse();
        }
    }

    @Test
    void everyTypeAndEncodingFromRedisToKeyline() {
        for (var e : DumpRestoreIT.fixtures().entrySet()) {
            r.flushAll();
            jedis.flushAll();
            e.getValue().accept(r);
            String before = digest(r, "k");
            assertThat(migrate(r, "127.0.0.1", Integer.toString(port()), "k", "0", "5000")).as(e.getKey()).isEqualTo("OK");
            assertThat(digest(jedis, "k")).as("digest of %s", e.getKey()).isEqualTo(before);
            assertThat(r.exists("k")).as(e.getKey()).isFalse();
        }
        // the KEYS form, a TTL and a database other than 0, as redis-server sends them
        r.set("a", "1");
        r.psetex("b", 100_000, "2");
        assertThat(migrate(r, "127.0.0.1", Integer.toString(port()), "", "3", "5000", "KEYS", "a", "b")).isEqualTo("OK");
        jedis.select(3);
        assertThat(jedis.mget("a", "b")).containsExactly("1", "2");
        assertThat(jedis.pttl("b")).isBetween(90_000L, 100_000L);
    }

    @Test
    void copyReplaceAndTtl() {
        String port = Integer.toString(redisPort);
        jedis.psetex("k", 100_000, "v1");
        assertThat(migrate(jedis, "127.0.0.1", port, "k", "0", "5000", "COPY")).isEqualTo("OK");
        assertThat(jedis.get("k")).isEqualTo("v1");
        assertThat(r.get("k")).isEqualTo("v1");
        assertThat(r.pttl("k")).isBetween(90_000L, 100_000L);
        jedis.set("k", "v2");
        assertThat(migrate(jedis, "127.0.0.1", port, "k", "0", "5000", "COPY")).isEqualTo(BUSY);
        assertThat(migrate(jedis, "127.0.0.1", port, "k", "0", "5000")).isEqualTo(BUSY);
        assertThat(jedis.get("k")).isEqualTo("v2");
        assertThat(migrate(jedis, "127.0.0.1", port, "k", "0", "5000", "COPY", "REPLACE")).isEqualTo("OK");
        assertThat(r.get("k")).isEqualTo("v2");
        assertThat(r.pttl("k")).isEqualTo(-1);
        assertThat(jedis.get("k")).isEqualTo("v2");
        jedis.set("k", "v3");
        assertThat(migrate(jedis, "127.0.0.1", port, "k", "0", "5000", "replace")).isEqualTo("OK");
        assertThat(r.get("k")).isEqualTo("v3");
        assertThat(jedis.exists("k")).isFalse();
    }

    @Test
    void keysFormAndNokey() {
        String port = Integer.toString(redisPort);
        assertThat(migrate(jedis, "127.0.0.1", port, "k", "0", "5000")).isEqualTo("NOKEY");
        assertThat(migrate(jedis, "127.0.0.1", port, "", "0", "5000", "KEYS", "x", "y")).isEqualTo("NOKEY");
        jedis.set("a", "1");
        jedis.rpush("b", "x", "y");
        assertThat(migrate(jedis, "127.0.0.1", port, "", "2", "5000", "KEYS", "a", "missing", "b")).isEqualTo("OK");
        r.select(2);
        assertThat(r.get("a")).isEqualTo("1");
        assertThat(r.lrange("b", 0, -1)).containsExactly("x", "y");
        r.select(0);
        assertThat(jedis.exists("a", "b")).isZero();
        // one key refused by the target: the error is forwarded, the keys it took are still moved (and deleted here)
        jedis.set("a", "again");
        jedis.set("c", "3");
        assertThat(migrate(jedis, "127.0.0.1", port, "", "2", "5000", "KEYS", "a", "c")).isEqualTo(BUSY);
        assertThat(jedis.get("a")).isEqualTo("again");
        assertThat(jedis.exists("c")).isFalse();
        r.select(2);
        assertThat(r.get("c")).isEqualTo("3");
        r.select(0);
    }

    @Test
    void authAndAuth2AgainstAPasswordProtectedTarget() {
        String port = Integer.toString(securePort);
        jedis.set("k", "v");
        assertThat(migrate(jedis, "127.0.0.1", port, "k", "0", "5000"))
                .isEqualTo("ERR Target instance replied with error: NOAUTH Authentication required.");
        assertThat(migrate(jedis, "127.0.0.1", port, "k", "0", "5000", "AUTH", "wrong"))
                .isEqualTo("ERR Target instance replied with error: WRONGPASS invalid username-password pair or user is disabled.");
        assertThat(jedis.get("k")).isEqualTo("v");
        assertThat(migrate(jedis, "127.0.0.1", port, "k", "0", "5000", "AUTH", "s3cret", "COPY")).isEqualTo("OK");
        assertThat(secure.get("k")).isEqualTo("v");
        secure.del("k");
        assertThat(migrate(jedis, "127.0.0.1", port, "k", "0", "5000", "AUTH2", "mover", "pw2")).isEqualTo("OK");
        assertThat(secure.get("k")).isEqualTo("v");
        assertThat(jedis.exists("k")).isFalse();
        // the credentials never reach the slow log
        jedis.configSet("slowlog-log-slower-than", "0");
        try {
            jedis.set("k", "v");
            migrate(jedis, "127.0.0.1", port, "k", "0", "5000", "REPLACE", "AUTH2", "mover", "pw2");
            assertThat(jedis.slowlogGet(5).toString()).contains("(redacted)").doesNotContain("pw2");
        } finally {
            jedis.configSet("slowlog-log-slower-than", "10000");
        }
    }

    @Test
    void errorsAreRedisErrors() throws Exception {
        String closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = Integer.toString(s.getLocalPort());
        }
        String port = Integer.toString(target.port());
        jedis.set("k", "v");
        r.set("k", "v");
        String[][] cases = {
                {"127.0.0.1", closed, "k", "0", "1000"},                      // refused: the write fails
                {"127.0.0.1", port, "k", "0", "1000", "KEYS", "k"},           // KEYS needs ""
                {"127.0.0.1", port, "k", "0", "1000", "AUTH"},                // AUTH without password
                {"127.0.0.1", port, "k", "0", "1000", "AUTH2", "u"},
                {"127.0.0.1", port, "k", "0", "1000", "BOGUS"},
                {"127.0.0.1", port, "k", "x", "1000"},
                {"127.0.0.1", port, "k", "0", "1.5"},
                {"127.0.0.1", port, "k", "0"},
        };
        for (String[] c : cases) {
            assertThat(migrate(jedis, c)).as(String.join(" ", c)).isEqualTo(migrate(r, c));
        }
        assertThat(migrate(jedis, "127.0.0.1", closed, "k", "0", "1000")).isEqualTo("IOERR error or timeout writing to target instance");
        assertThat(jedis.get("k")).isEqualTo("v");
    }

    @Test
    void timeoutAgainstATargetThatNeverAnswersWhileOtherClientsAreServed() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) accepted.add(silent.accept()); // reads nothing, answers nothing
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            jedis.set("k", "v");
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                long start = System.nanoTime();
                Future<String> reply = pool.submit(() -> migrate(jedis, "127.0.0.1", Integer.toString(silent.getLocalPort()), "k", "0", "1500"));
                Thread.sleep(200);
                // meanwhile the same event loop answers another client, also about the key being migrated
                try (Jedis other = newJedis()) {
                    long t0 = System.nanoTime();
                    assertThat(other.get("k")).isEqualTo("v");
                    assertThat(other.ping()).isEqualTo("PONG");
                    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(1000);
                }
                assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo("IOERR error or timeout reading to target instance");
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(1400L, 8000L);
                assertThat(jedis.get("k")).isEqualTo("v");
            } finally {
                pool.shutdownNow();
                for (Socket s : accepted) s.close();
            }
        }
    }

    @Test
    void theConnectionIsCachedAndSelectSentOnlyWhenTheDatabaseChanges() {
        String port = Integer.toString(target.port());
        t.configResetStat();
        // (an earlier test may have left a connection to this target cached, with database 0 selected)
        for (int i = 0; i < 3; i++) {
            jedis.set("k" + i, "v");
            assertThat(migrate(jedis, "127.0.0.1", port, "k" + i, "5", "5000")).isEqualTo("OK");
        }
        assertThat(count(t, "restore")).isEqualTo("3");
        assertThat(count(t, "select")).isEqualTo("1");
        List<String> migrating = new ArrayList<>();
        for (String line : t.clientList().split("\n")) if (line.contains("cmd=restore")) migrating.add(line);
        assertThat(migrating).hasSize(1);
        jedis.set("k9", "v");
        assertThat(migrate(jedis, "127.0.0.1", port, "k9", "4", "5000")).isEqualTo("OK");
        assertThat(count(t, "select")).isEqualTo("2");
        // the target closes the cached connection: the next MIGRATE reconnects once, transparently
        t.sendCommand(() -> b("CLIENT"), "KILL", "TYPE", "normal", "SKIPME", "yes");
        jedis.set("k10", "v");
        assertThat(migrate(jedis, "127.0.0.1", port, "k10", "4", "5000")).isEqualTo("OK");
        assertThat(count(t, "select")).isEqualTo("3");
        t.select(4);
        assertThat(t.get("k10")).isEqualTo("v");
        t.select(0);
    }

    @Test
    void theDelIsLoggedToTheAof() throws Exception {
        Path dir = Files.createTempDirectory("keyline-migrate-aof");
        dirs.add(dir);
        try (EmbeddedKeyline source = EmbeddedKeyline.builder().config("appendonly", "yes").config("dir", dir.toString()).config("rdb-version", "10")
                .config("appendfsync", "always").start();
             Jedis s = new Jedis("127.0.0.1", source.port(), 10_000)) {
            s.set("moved", "1");
            s.set("copied", "2");
            s.set("a", "3");
            s.set("b", "4");
            String port = Integer.toString(redisPort);
            assertThat(migrate(s, "127.0.0.1", port, "moved", "0", "5000")).isEqualTo("OK");
            assertThat(migrate(s, "127.0.0.1", port, "copied", "0", "5000", "COPY")).isEqualTo("OK");
            assertThat(migrate(s, "127.0.0.1", port, "", "0", "5000", "KEYS", "a", "b")).isEqualTo("OK");
            StringBuilder aof = new StringBuilder();
            try (var files = Files.walk(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".incr.aof")).toList()) {
                    aof.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
                }
            }
            assertThat(aof.toString()).contains("*2\r\n$3\r\nDEL\r\n$5\r\nmoved\r\n")
                    .contains("*3\r\n$3\r\nDEL\r\n$1\r\na\r\n$1\r\nb\r\n")
                    .doesNotContain("DEL\r\n$6\r\ncopied").doesNotContain("MIGRATE").doesNotContain("migrate");
        }
    }

    /**
     * Keyline holds no lock while it waits for the target: another client may read and change the key meanwhile.
     * A key changed after it was sent is kept (the newer write is not lost); one left alone is deleted.
     */
    @Test
    void aKeyChangedWhileInFlightIsKept() throws Exception {
        try (ServerSocket fake = new ServerSocket(0)) {
            CountDownLatch received = new CountDownLatch(1);
            CountDownLatch answer = new CountDownLatch(1);
            Thread server = new Thread(() -> {
                try (Socket s = fake.accept()) {
                    InputStream in = s.getInputStream();
                    in.read(new byte[65536]); // SELECT and the RESTOREs of a small request
                    received.countDown();
                    answer.await();
                    OutputStream out = s.getOutputStream();
                    out.write("+OK\r\n+OK\r\n+OK\r\n".getBytes(StandardCharsets.US_ASCII)); // SELECT, RESTORE x2
                    out.flush();
                    Thread.sleep(500);
                } catch (IOException | InterruptedException e) {
                    // the test fails on its own assertions
                }
            });
            server.setDaemon(true);
            server.start();
            jedis.set("changed", "old");
            jedis.set("same", "s");
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<String> reply = pool.submit(() -> migrate(jedis, "127.0.0.1", Integer.toString(fake.getLocalPort()),
                        "", "0", "5000", "KEYS", "changed", "same"));
                assertThat(received.await(10, TimeUnit.SECONDS)).isTrue();
                try (Jedis other = newJedis()) {
                    assertThat(other.set("changed", "new")).isEqualTo("OK"); // not blocked by the MIGRATE
                }
                answer.countDown();
                assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo("OK");
                assertThat(jedis.get("changed")).isEqualTo("new");
                assertThat(jedis.exists("same")).isFalse();
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void commandInfoAndGetKeysAsRedis() {
        for (String cmd : new String[]{"migrate", "restore-asking"}) {
            Object k = jedis.sendCommand(() -> b("COMMAND"), "INFO", cmd);
            Object rr = r.sendCommand(() -> b("COMMAND"), "INFO", cmd);
            assertThat(render(k)).as(cmd).isEqualTo(render(rr));
        }
        String[][] getkeys = {
                {"MIGRATE", "h", "1", "k", "0", "5"},
                {"MIGRATE", "h", "1", "", "0", "5", "COPY", "AUTH", "keys", "KEYS", "a", "b"},
                {"MIGRATE", "h", "1", "", "0", "5", "AUTH2", "KEYS", "keys", "KEYS", "a"},
        };
        for (String[] g : getkeys) {
            String[] args = new String[g.length + 1];
            args[0] = "GETKEYS";
            System.arraycopy(g, 0, args, 1, g.length);
            assertThat(render(jedis.sendCommand(() -> b("COMMAND"), args))).isEqualTo(render(r.sendCommand(() -> b("COMMAND"), args)));
        }
        // RESTORE-ASKING restores as RESTORE does
        jedis.set("src", "v");
        byte[] payload = jedis.dump("src");
        assertThat(jedis.sendCommand(() -> b("RESTORE-ASKING"), b("dst"), b("0"), payload)).isEqualTo(b("OK"));
        assertThat(jedis.get("dst")).isEqualTo("v");
    }

    private static String render(Object o) {
        if (o instanceof byte[] x) return new String(x, StandardCharsets.UTF_8);
        if (o instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            for (Object e : l) parts.add(render(e));
            return parts.toString();
        }
        return String.valueOf(o);
    }
}
