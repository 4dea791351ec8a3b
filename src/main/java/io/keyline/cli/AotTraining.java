package io.keyline.cli;

import io.keyline.config.Config;
import io.keyline.server.KeylineServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --aot-training}: the workload the launcher runs once per build under JDK 25's
 * {@code -XX:AOTCacheOutput} (JEP 483/514/515). It starts a server on a free loopback port with an
 * AOF in a scratch directory, sends it a mix of common commands over a real socket, replays the AOF
 * once by restarting, and stops. The JVM then writes an AOT cache with every class this loaded and
 * linked (and their method profiles), which later start-ups map instead of loading from the jar.
 */
final class AotTraining {
    private static final String[][] COMMANDS = {
            {"PING"}, {"HELLO", "3"}, {"HELLO", "2"}, {"CLIENT", "SETNAME", "aot"}, {"SELECT", "1"}, {"SELECT", "0"},
            {"SET", "k", "v"}, {"GET", "k"}, {"SET", "k2", "v", "EX", "100"}, {"MSET", "a", "1", "b", "2"},
            {"MGET", "a", "b"}, {"INCR", "n"}, {"INCRBY", "n", "5"}, {"DECR", "n"}, {"APPEND", "k", "x"},
            {"EXISTS", "k"}, {"TTL", "k2"}, {"PEXPIRE", "k", "100000"}, {"TYPE", "k"}, {"DEL", "k"},
            {"LPUSH", "l", "1", "2"}, {"RPUSH", "l", "3"}, {"LRANGE", "l", "0", "-1"}, {"LPOP", "l"}, {"RPOP", "l"},
            {"HSET", "h", "f", "v", "g", "w"}, {"HGET", "h", "f"}, {"HGETALL", "h"}, {"HINCRBY", "h", "n", "1"},
            {"SADD", "s", "a", "b"}, {"SMEMBERS", "s"}, {"SISMEMBER", "s", "a"}, {"SPOP", "s"},
            {"ZADD", "z", "1", "a", "2", "b"}, {"ZRANGE", "z", "0", "-1", "WITHSCORES"}, {"ZSCORE", "z", "a"},
            {"ZINCRBY", "z", "1", "a"}, {"SCAN", "0"}, {"KEYS", "*"}, {"DBSIZE"}, {"INFO"}, {"CONFIG", "GET", "port"},
            {"MULTI"}, {"SET", "t", "1"}, {"EXEC"}, {"EXPIRE", "t", "100"}, {"OBJECT", "ENCODING", "h"},
            {"BGREWRITEAOF"}, {"FLUSHALL"}, {"COMMAND", "COUNT"},
    };

    private AotTraining() {
    }

    static int run() throws Exception {
        Path dir = Files.createTempDirectory("keyline-aot-training");
        try {
            for (int round = 0; round < 2; round++) {
                Config config = Config.defaults();
                config.set("port", "0", true);
                config.set("bind", "127.0.0.1", true);
                config.set("dir", dir.toString(), true);
                config.set("loglevel", "warning", true);
                KeylineServer server = new KeylineServer(config).start();
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                    s.setSoTimeout(10_000);
                    for (int i = 0; i < 50; i++) exchange(s, COMMANDS);
                } finally {
                    server.stop();
                }
            }
            return 0;
        } finally {
            deleteTree(dir);
        }
    }

    /** Sends the batch pipelined, then reads until every reply arrived (a PING's PONG ends it). */
    private static void exchange(Socket s, String[][] commands) throws IOException {
        StringBuilder b = new StringBuilder();
        for (String[] c : commands) {
            b.append('*').append(c.length).append("\r\n");
            for (String a : c) b.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        b.append("*2\r\n$4\r\nECHO\r\n$8\r\n@@done@@\r\n");
        OutputStream out = s.getOutputStream();
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[1 << 16];
        StringBuilder seen = new StringBuilder();
        while (seen.indexOf("@@done@@") < 0) {
            int n = in.read(buf);
            if (n < 0) throw new IOException("server closed the connection");
            seen.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            if (seen.length() > 64) seen.delete(0, seen.length() - 64);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
