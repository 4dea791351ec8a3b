package io.keyline.integration;

import io.keyline.embed.EmbeddedKeyline;
import io.keyline.testkit.RespClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plain SET or MSET that copied a long value into the stored array gives the argument back to the
 * parser (protocol.ArgumentPool), which fills it with the next argument of that length, on any
 * connection of the same event loop. A recycled array must never be one that is stored, nor one that a
 * log still refers to: the writes below mix creations (the argument itself is stored), overwrites of
 * the same length (copied, recycled) and short values, and every value must come back from GET, the
 * AOF (on, real files), MONITOR and SLOWLOG exactly as it was sent. The values are 100 bytes: long
 * enough to be recycled, short enough that SLOWLOG keeps them whole.
 */
class ArgumentRecyclingIT extends ServerTestBase {
    private static final int LENGTH = 100;
    private Path dir;

    @Override
    protected void configure(EmbeddedKeyline.Builder builder) {
        try {
            dir = Files.createTempDirectory("keyline-recycling");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        builder.config("dir", dir.toString()).config("appendonly", "yes");
    }

    @AfterAll
    void removeFiles() throws IOException {
        stopServer();
        keyline = null;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** Value {@code part} of write {@code i}: unique, and its length is the same for every write. */
    private static String value(int i, int part) {
        String head = i + "-" + part + "-";
        return head + String.valueOf((char) ('a' + (i + part) % 26)).repeat(LENGTH - head.length());
    }

    /** {@code n} writes over six keys: SET and MSET of long values, now and then a short one. */
    private static List<List<String>> writes(String prefix, int n, long seed) {
        Random r = new Random(seed);
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String key = prefix + r.nextInt(6);
            switch (r.nextInt(6)) {
                case 0 -> out.add(List.of("MSET", key, value(i, 0), prefix + r.nextInt(6), value(i, 1)));
                case 1 -> out.add(List.of("SET", key, "short" + i));
                default -> out.add(List.of("SET", key, value(i, 0)));
            }
        }
        return out;
    }

    private static Map<String, String> model(List<List<String>> writes) {
        Map<String, String> m = new LinkedHashMap<>();
        for (List<String> w : writes) for (int i = 1; i < w.size(); i += 2) m.put(w.get(i), w.get(i + 1));
        return m;
    }

    /** Sends {@code writes} in one pipeline. */
    private static void pipeline(Jedis j, List<List<String>> writes) {
        Pipeline p = j.pipelined();
        for (List<String> w : writes) {
            if (w.get(0).equals("SET")) p.set(w.get(1), w.get(2));
            else p.mset(w.subList(1, w.size()).toArray(new String[0]));
        }
        p.sync();
    }

    private void assertStored(Map<String, String> expected) {
        for (Map.Entry<String, String> e : expected.entrySet()) {
            assertThat(jedis.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    /** The commands the AOF's incremental file logged since the last FLUSHALL, SELECT left out. */
    private List<List<String>> loggedSinceFlush() throws IOException {
        Path incr;
        try (Stream<Path> files = Files.walk(dir)) {
            incr = files.filter(p -> p.getFileName().toString().endsWith(".incr.aof")).max(Comparator.naturalOrder()).orElseThrow();
        }
        byte[] b = Files.readAllBytes(incr);
        List<List<String>> commands = new ArrayList<>();
        int[] at = {0};
        while (at[0] < b.length) {
            int argc = Integer.parseInt(line(b, at).substring(1));
            List<String> argv = new ArrayList<>();
            for (int i = 0; i < argc; i++) {
                int len = Integer.parseInt(line(b, at).substring(1));
                argv.add(new String(b, at[0], len, StandardCharsets.ISO_8859_1));
                at[0] += len + 2;
            }
            if (argv.get(0).equalsIgnoreCase("FLUSHALL")) commands.clear();
            else if (!argv.get(0).equalsIgnoreCase("SELECT")) commands.add(argv);
        }
        return commands;
    }

    private static String line(byte[] b, int[] at) {
        int start = at[0];
        while (b[at[0]] != '\r') at[0]++;
        String s = new String(b, start, at[0] - start, StandardCharsets.ISO_8859_1);
        at[0] += 2;
        return s;
    }

    @Test
    void pipelinedWritesKeepEveryValueInTheStoreAndTheAof() throws IOException {
        List<List<String>> writes = writes("k", 2000, 1);
        pipeline(jedis, writes);
        assertStored(model(writes));
        assertThat(loggedSinceFlush()).isEqualTo(writes);
    }

    @Test
    void monitorShowsEveryValueAsSent() throws IOException {
        List<List<String>> writes = writes("m", 500, 2);
        try (RespClient monitor = new RespClient(port()).timeout(Duration.ofSeconds(10))) {
            assertThat(monitor.call("MONITOR")).isEqualTo("+OK\r\n");
            pipeline(jedis, writes);
            for (List<String> w : writes) {
                String line = monitor.readText();
                assertThat(line.substring(line.indexOf("] ") + 2)).isEqualTo("\"" + String.join("\" \"", w) + "\"\r\n");
            }
        }
        assertStored(model(writes));
    }

    @Test
    void slowlogKeepsEveryValueAsSent() {
        List<List<String>> writes = writes("s", 300, 3);
        jedis.configSet("slowlog-max-len", "1000");
        jedis.configSet("slowlog-log-slower-than", "0");
        try {
            jedis.slowlogReset();
            pipeline(jedis, writes);
            jedis.configSet("slowlog-log-slower-than", "10000");
            List<List<String>> logged = new ArrayList<>();
            for (var entry : jedis.slowlogGet(1000)) {
                List<String> args = entry.getArgs();
                if (args.get(0).equals("SET") || args.get(0).equals("MSET")) logged.add(0, args); // newest first
            }
            assertThat(logged).isEqualTo(writes);
        } finally {
            jedis.configSet("slowlog-log-slower-than", "10000");
            jedis.configSet("slowlog-max-len", "128");
        }
        assertStored(model(writes));
    }

    @Test
    void twoPipeliningClientsKeepTheirValues() throws Exception {
        List<List<String>> mine = writes("a", 3000, 4);
        List<List<String>> theirs = writes("b", 3000, 5);
        Thread other = new Thread(() -> {
            try (Jedis j = newJedis()) {
                pipeline(j, theirs);
            }
        });
        other.start();
        pipeline(jedis, mine);
        other.join();
        assertStored(model(mine));
        assertStored(model(theirs));
        List<List<String>> logged = loggedSinceFlush();
        assertThat(logged.stream().filter(w -> w.get(1).startsWith("a")).toList()).isEqualTo(mine);
        assertThat(logged.stream().filter(w -> w.get(1).startsWith("b")).toList()).isEqualTo(theirs);
    }

    @Test
    void transactionsAndScriptsBetweenPipelinedWritesKeepEveryValue() throws IOException {
        List<List<String>> writes = writes("t", 600, 6);
        List<List<String>> expected = new ArrayList<>();
        Pipeline p = jedis.pipelined();
        for (int i = 0; i < writes.size(); i++) {
            List<String> w = writes.get(i);
            if (i % 7 == 3 && w.get(0).equals("SET")) { // the same write, queued by MULTI and run by EXEC
                p.sendCommand(Protocol.Command.MULTI, new String[0]);
                p.set(w.get(1), w.get(2));
                p.sendCommand(Protocol.Command.EXEC, new String[0]);
            } else if (i % 7 == 5 && w.get(0).equals("SET")) { // through a script's redis.call
                p.eval("return redis.call('SET', KEYS[1], ARGV[1])", List.of(w.get(1)), List.of(w.get(2)));
            } else if (w.get(0).equals("SET")) {
                p.set(w.get(1), w.get(2));
            } else {
                p.mset(w.subList(1, w.size()).toArray(new String[0]));
            }
            expected.add(w);
        }
        p.sync();
        assertStored(model(expected));
        List<List<String>> logged = loggedSinceFlush().stream()
                .filter(w -> !w.get(0).equals("MULTI") && !w.get(0).equals("EXEC")).toList();
        assertThat(logged).isEqualTo(expected);
    }
}
