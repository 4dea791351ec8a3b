package io.keyline.integration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisDataException;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pipelined scripts run on the script thread in one hand-off per read batch (issue 15): each script is still
 * its own command (replies in order, interleaved with the non-script commands around them, its own
 * commandstats, SLOWLOG and MONITOR entries, CLIENT REPLY SKIP applying to one script only), SCRIPT KILL stops only the script it targets, and the scripts of a client
 * that disconnects while one of them runs are not run.
 */
class ScriptBatchIT extends ServerTestBase {
    private static final String INCR = "return redis.call('INCR', KEYS[1])";
    /** Spins until SCRIPT KILL (it read but never wrote, so it stays killable). */
    private static final String SPIN = "local x = redis.call('GET', 'spin') while true do end";

    @AfterEach
    void restoreConfig() {
        try (Jedis j = new Jedis("127.0.0.1", keyline.port(), 10_000)) {
            j.configSet("busy-reply-threshold", "5000");
            j.configSet("slowlog-log-slower-than", "10000");
            j.configSet("slowlog-max-len", "128");
        }
    }

    @Test
    void pipelinedScriptsAndOtherCommandsReplyInOrderEachCountedOnItsOwn() {
        jedis.functionLoad("#!lua name=lib\nredis.register_function('fincr', function(keys, args) "
                + "return redis.call('INCR', keys[1]) end)");
        String sha = jedis.scriptLoad(INCR);
        jedis.configResetStat();
        jedis.configSet("slowlog-max-len", "1000");
        jedis.configSet("slowlog-log-slower-than", "0");
        jedis.slowlogReset();
        Pipeline p = jedis.pipelined();
        List<Object> expected = new ArrayList<>();
        long c = 0;
        int scripts = 0;
        for (int i = 0; i < 120; i++) {
            switch (i % 6) {
                case 0, 1 -> { // consecutive scripts: one batch
                    p.eval(INCR, 1, "c");
                    expected.add(++c);
                    scripts++;
                }
                case 2 -> {
                    p.evalsha(sha, 1, "c");
                    expected.add(++c);
                    scripts++;
                }
                case 3 -> { // a non-script command ends the batch and runs after it
                    p.get("c");
                    expected.add(Long.toString(c));
                }
                case 4 -> {
                    p.fcall("fincr", List.of("c"), List.of());
                    expected.add(++c);
                    scripts++;
                }
                default -> { // an error reply in the middle of a batch
                    p.eval("return redis.call('NOSUCHCOMMAND')", 0);
                    expected.add("error");
                    scripts++;
                    p.incr("c");
                    expected.add(++c);
                }
            }
        }
        List<Object> replies = p.syncAndReturnAll();
        assertThat(replies).hasSize(expected.size());
        for (int i = 0; i < replies.size(); i++) {
            Object r = replies.get(i);
            if ("error".equals(expected.get(i))) {
                assertThat(r).as("reply %d", i).isInstanceOf(JedisDataException.class);
            } else {
                assertThat(r).as("reply %d", i).isEqualTo(expected.get(i));
            }
        }
        assertThat(jedis.get("c")).isEqualTo(Long.toString(c));
        jedis.configSet("slowlog-log-slower-than", "10000");
        String stats = jedis.info("commandstats");
        // 120 commands in six kinds: 40 EVAL INCR, 20 EVAL error, 20 EVALSHA, 20 FCALL.
        assertThat(stats).contains("cmdstat_eval:calls=60,").contains("cmdstat_evalsha:calls=20,")
                .contains("cmdstat_fcall:calls=20,");
        assertThat(scripts).isEqualTo(100);
        long scriptEntries = jedis.slowlogGet(1000).stream()
                .filter(e -> e.getArgs().get(0).equalsIgnoreCase("eval") || e.getArgs().get(0).equalsIgnoreCase("evalsha")
                        || e.getArgs().get(0).equalsIgnoreCase("fcall"))
                .count();
        assertThat(scriptEntries).isEqualTo(scripts);
    }

    @Test
    void scriptKillStopsTheLongScriptInTheMiddleOfABatchAndTheRestRuns() throws Exception {
        jedis.configSet("busy-reply-threshold", "100");
        CompletableFuture<List<Object>> caller = CompletableFuture.supplyAsync(() -> {
            try (Jedis j = new Jedis("127.0.0.1", keyline.port(), 30_000)) {
                Pipeline p = j.pipelined();
                p.eval("return 1", 0);
                p.eval(SPIN, 0);
                p.eval(INCR, 1, "after");
                p.get("after");
                p.eval("return 2", 0);
                return p.syncAndReturnAll();
            }
        });
        awaitBusy(jedis);
        assertThat(jedis.scriptKill()).isEqualTo("OK");
        List<Object> replies = caller.get(20, TimeUnit.SECONDS);
        assertThat(replies).hasSize(5);
        assertThat(replies.get(0)).isEqualTo(1L);
        assertThat(replies.get(1)).isInstanceOf(JedisDataException.class);
        assertThat(((JedisDataException) replies.get(1)).getMessage()).startsWith("ERR Script killed by user with SCRIPT KILL...");
        assertThat(replies.subList(2, 5)).containsExactly(1L, "1", 2L);
        assertThat(jedis.get("after")).isEqualTo("1");
    }

    @Test
    void scriptsPipelinedBehindARunningOneAreDroppedWhenTheClientDisconnects() throws Exception {
        jedis.configSet("busy-reply-threshold", "100");
        int before = keyline.server().context().clients().size();
        StringBuilder batch = new StringBuilder(command("EVAL", SPIN, "0"));
        for (int i = 0; i < 5; i++) batch.append(command("EVAL", INCR, "1", "gone"));
        batch.append(command("INCR", "gone"));
        try (Socket s = new Socket("127.0.0.1", keyline.port())) {
            OutputStream out = s.getOutputStream();
            out.write(batch.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            awaitBusy(jedis); // the spinning script runs
        }
        // The server noticed the disconnect (it closes the client on its event loop while the script runs).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (keyline.server().context().clients().size() > before && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(keyline.server().context().clients().size()).isEqualTo(before);
        assertThat(jedis.scriptKill()).isEqualTo("OK");
        awaitNotBusy(jedis); // the killed script has ended (nothing of the batch after it ran)
        assertThat(jedis.get("gone")).isNull();
        assertThat(jedis.eval(INCR, 1, "gone")).isEqualTo(1L);
    }

    @Test
    void monitorSeesEachPipelinedScriptThenItsCallsAndClientReplySkipDropsOnlyTheNextReply() throws Exception {
        try (Socket monitor = new Socket("127.0.0.1", keyline.port()); Socket client = new Socket("127.0.0.1", keyline.port())) {
            monitor.setSoTimeout(10_000);
            client.setSoTimeout(10_000);
            java.io.BufferedReader fromMonitor = new java.io.BufferedReader(
                    new java.io.InputStreamReader(monitor.getInputStream(), StandardCharsets.UTF_8));
            monitor.getOutputStream().write(command("MONITOR").getBytes(StandardCharsets.UTF_8));
            assertThat(fromMonitor.readLine()).isEqualTo("+OK");
            String batch = command("CLIENT", "REPLY", "SKIP") + command("EVAL", INCR, "1", "m")
                    + command("EVAL", INCR, "1", "m") + command("EVAL", INCR, "1", "m") + command("GET", "m");
            client.getOutputStream().write(batch.getBytes(StandardCharsets.UTF_8));
            java.io.BufferedReader fromClient = new java.io.BufferedReader(
                    new java.io.InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
            // The first script's reply is skipped; the other two and GET's follow in order.
            assertThat(List.of(fromClient.readLine(), fromClient.readLine(), fromClient.readLine(), fromClient.readLine()))
                    .containsExactly(":2", ":3", "$1", "3");
            List<String> seen = new ArrayList<>();
            while (seen.size() < 8) {
                String line = fromMonitor.readLine();
                seen.add(line.substring(line.indexOf('"'))); // drop the timestamp and client
            }
            String eval = "\"EVAL\" \"" + INCR + "\" \"1\" \"m\"";
            assertThat(seen).containsExactly("\"CLIENT\" \"REPLY\" \"SKIP\"", eval, "\"INCR\" \"m\"", eval,
                    "\"INCR\" \"m\"", eval, "\"INCR\" \"m\"", "\"GET\" \"m\"");
        }
    }

    private static String command(String... args) {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return b.toString();
    }

    /** Polls PING until it is refused with BUSY: a script has run past busy-reply-threshold. */
    private static void awaitBusy(Jedis j) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try {
                j.ping();
            } catch (JedisDataException e) {
                assertThat(e.getMessage()).startsWith("BUSY");
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("never BUSY");
    }

    /** Polls PING until it is answered: no script runs past the threshold any more. */
    private static void awaitNotBusy(Jedis j) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try {
                j.ping();
                return;
            } catch (JedisDataException e) {
                assertThat(e.getMessage()).startsWith("BUSY");
            }
            Thread.sleep(20);
        }
        throw new AssertionError("still BUSY");
    }
}
