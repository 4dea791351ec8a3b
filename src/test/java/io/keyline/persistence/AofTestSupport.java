package io.keyline.persistence;

import io.keyline.config.Config;
import io.keyline.server.KeylineServer;
import io.keyline.store.AofRewritable;
import io.keyline.store.Database;
import io.keyline.store.Entry;
import io.keyline.store.Keyspace;
import io.keyline.testkit.RespClient;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Shared helpers for the persistence tests: servers on a directory, keyspace snapshots, processes. */
final class AofTestSupport {
    private AofTestSupport() {
    }

    /** A started in-process server with the AOF on in {@code dir}. */
    static KeylineServer start(Path dir, String... settings) throws Exception {
        Config config = Config.defaults();
        config.set("port", "0", true);
        config.set("capacity", "0", true);
        config.set("appendonly", "yes", true);
        config.set("dir", dir.toString(), true);
        for (int i = 0; i < settings.length; i += 2) config.set(settings[i], settings[i + 1], true);
        KeylineServer server = new KeylineServer(config);
        server.start();
        return server;
    }

    /**
     * Every live key of every database as "db/key" -> "value|ttl". Non-string values are shown by
     * the commands they rewrite to (element order kept for lists, sorted otherwise).
     */
    static Map<String, String> snapshot(Keyspace ks) {
        Map<String, String> out = new TreeMap<>();
        long now = ks.clock().millis();
        for (int d = 0; d < ks.databaseCount(); d++) {
            Database db = ks.db(d);
            for (Iterator<Entry> it = db.iterator(); it.hasNext(); ) {
                Entry e = it.next();
                if (e.expireAt() >= 0 && e.expireAt() <= now) continue;
                out.put(d + "/" + str(e.key()), describe(e.value()) + "|ttl=" + (e.expireAt() >= 0 ? e.expireAt() : -1));
            }
        }
        return out;
    }

    private static String describe(Object v) {
        if (io.keyline.store.Strings.isString(v)) return "string:" + str(io.keyline.store.Strings.bytes(v));
        if (v instanceof AofRewritable r) {
            List<String> parts = new ArrayList<>();
            boolean ordered = false;
            for (byte[][] cmd : collect(r)) {
                String name = str(cmd[0]).toLowerCase();
                if (name.endsWith("push")) ordered = true;
                StringBuilder sb = new StringBuilder();
                for (int i = 2; i < cmd.length; i++) sb.append(str(cmd[i])).append(i + 1 < cmd.length ? "," : "");
                parts.add(name + ":" + sb);
            }
            if (!ordered) parts.sort(Comparator.naturalOrder());
            return v.getClass().getSimpleName() + parts;
        }
        return String.valueOf(v);
    }

    private static List<byte[][]> collect(AofRewritable r) {
        List<byte[][]> cmds = new ArrayList<>();
        r.emit("k".getBytes(StandardCharsets.UTF_8), a -> cmds.add(a.clone()));
        return cmds;
    }

    static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void awaitPort(int port, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            try (RespClient ignored = new RespClient(port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("nothing listening on port " + port + " after " + timeoutMillis + " ms");
    }

    /** Starts {@code keyline-server} as a separate JVM (this test's class path). */
    static Process startProcess(Path dir, int port, Path log, String... settings) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), "io.keyline.cli.Main",
                "--port", Integer.toString(port), "--dir", dir.toString(), "--capacity", "0", "--appendonly", "yes"));
        cmd.addAll(List.of(settings));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
