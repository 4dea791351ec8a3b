package io.keyline.persistence;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consumer groups survive a SIGKILL under {@code appendfsync always}: a producer and three consumers
 * (XREADGROUP {@code >}, history re-reads, XACK of some, XCLAIM) run against a separate Keyline
 * process; the server is killed with {@link Process#destroyForcibly()} right after the clients stop,
 * restarted on the same directory, and the PEL (IDs, owners, delivery counts), last-delivered ID,
 * entries-read, lag and the stream's counters are what they were before the kill.
 */
class StreamGroupCrashIT {
    private Path dir;
    private Path log;
    private Process process;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("keyline-stream-crash");
        log = dir.resolve("server.log");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor();
        }
        if (Files.exists(log)) {
            List<String> lines = Files.readAllLines(log);
            System.out.println("---- server log (last lines) ----");
            lines.subList(Math.max(0, lines.size() - 25), lines.size()).forEach(System.out::println);
        }
        AofTestSupport.deleteTree(dir);
    }

    private int startServer() throws Exception {
        int port = AofTestSupport.freePort();
        process = AofTestSupport.startProcess(dir, port, log, "--appendfsync", "always");
        AofTestSupport.awaitPort(port, 60_000);
        for (int i = 0; i < 600; i++) {
            try (Jedis j = new Jedis("127.0.0.1", port, 15_000)) {
                j.get("probe");
                return port;
            } catch (JedisDataException e) {
                Thread.sleep(50); // -LOADING
            }
        }
        throw new AssertionError("server still loading");
    }

    /** Everything about the stream and its groups that must survive, idle times left out. */
    private static List<Object> state(Jedis j) {
        List<Object> s = new ArrayList<>();
        s.add(j.sendCommand(() -> "XLEN".getBytes(), "s"));
        s.add(j.xrange("s", "-", "+").stream().map(e -> e.getID() + "=" + e.getFields()).toList());
        List<Object> info = (List<Object>) j.sendCommand(() -> "XINFO".getBytes(), "STREAM", "s");
        for (int i = 0; i < info.size(); i += 2) {
            String k = new String((byte[]) info.get(i));
            if (k.startsWith("radix")) continue;
            s.add(k + "=" + flat(info.get(i + 1)));
        }
        for (String g : List.of("g", "noack")) {
            s.add(g + " " + flat(j.sendCommand(() -> "XINFO".getBytes(), "GROUPS", "s")));
            // extended XPENDING: id, owner, idle (dropped), delivery count
            List<Object> pel = (List<Object>) j.sendCommand(() -> "XPENDING".getBytes(), "s", g, "-", "+", "100000");
            for (Object o : pel) {
                List<Object> e = (List<Object>) o;
                s.add(g + " pending " + flat(e.get(0)) + " " + flat(e.get(1)) + " x" + e.get(3));
            }
            List<Object> consumers = (List<Object>) j.sendCommand(() -> "XINFO".getBytes(), "CONSUMERS", "s", g);
            for (Object o : consumers) {
                List<Object> c = (List<Object>) o;
                s.add(g + " consumer " + flat(c.get(1)) + " pending " + c.get(3));
            }
        }
        return s;
    }

    private static String flat(Object o) {
        if (o instanceof byte[] b) return new String(b);
        if (o instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            for (Object x : l) {
                if (x instanceof List<?> inner && !inner.isEmpty() && inner.get(0) instanceof byte[] k
                        && (new String(k).equals("idle") || new String(k).equals("inactive"))) continue;
                parts.add(flat(x));
            }
            return parts.toString();
        }
        return String.valueOf(o);
    }

    @Test
    void pelLastDeliveredAndEntriesReadSurviveKill9() throws Exception {
        int port = startServer();
        try (Jedis j = new Jedis("127.0.0.1", port, 15_000)) {
            for (int i = 0; i < 50; i++) j.sendCommand(() -> "XADD".getBytes(), "s", "*", "n", Integer.toString(i));
            j.sendCommand(() -> "XGROUP".getBytes(), "CREATE", "s", "g", "0");
            j.sendCommand(() -> "XGROUP".getBytes(), "CREATE", "s", "noack", "0");
        }
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        threads.add(new Thread(() -> {
            try (Jedis j = new Jedis("127.0.0.1", port, 15_000)) {
                for (int i = 0; !stop.get(); i++) {
                    j.sendCommand(() -> "XADD".getBytes(), "s", "*", "n", Integer.toString(1000 + i));
                    if (i % 40 == 7) j.sendCommand(() -> "XDEL".getBytes(), "s", "0-1"); // no-op delete, still logged
                }
            } catch (Throwable t) {
                failures.add(t);
            }
        }));
        for (int c = 0; c < 3; c++) {
            String name = "c" + c;
            threads.add(new Thread(() -> {
                try (Jedis j = new Jedis("127.0.0.1", port, 15_000)) {
                    for (int round = 0; !stop.get(); round++) {
                        List<Object> r = (List<Object>) j.sendCommand(() -> "XREADGROUP".getBytes(), "GROUP", "g", name,
                                "COUNT", "3", "STREAMS", "s", ">");
                        j.sendCommand(() -> "XREADGROUP".getBytes(), "GROUP", "noack", name, "COUNT", "2", "NOACK", "STREAMS", "s", ">");
                        if (r == null) continue;
                        List<Object> entries = (List<Object>) ((List<Object>) r.get(0)).get(1);
                        for (int k = 0; k < entries.size(); k++) {
                            String id = new String((byte[]) ((List<Object>) entries.get(k)).get(0));
                            if (k % 2 == 0) j.sendCommand(() -> "XACK".getBytes(), "s", "g", id);
                            else if (round % 5 == 0) j.sendCommand(() -> "XCLAIM".getBytes(), "s", "g", "c0", "0", id);
                        }
                        if (round % 7 == 0) j.sendCommand(() -> "XREADGROUP".getBytes(), "GROUP", "g", name, "COUNT", "2", "STREAMS", "s", "0");
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        threads.forEach(Thread::start);
        Thread.sleep(3000);
        stop.set(true);
        for (Thread t : threads) t.join(30_000);
        assertThat(failures).isEmpty();
        List<Object> before;
        try (Jedis j = new Jedis("127.0.0.1", port, 15_000)) {
            before = state(j);
        }
        process.destroyForcibly(); // SIGKILL: nothing gets flushed on the way out
        process.waitFor();
        process = null;
        int port2 = startServer();
        try (Jedis j = new Jedis("127.0.0.1", port2, 15_000)) {
            List<Object> after = state(j);
            assertThat(before.toString()).contains("pending").contains("entries-read");
            assertThat(after).containsExactlyElementsOf(before);
        }
    }
}
