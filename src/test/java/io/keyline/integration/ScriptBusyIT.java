package io.keyline.integration;

import io.keyline.embed.EmbeddedKeyline;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A long script and the rest of the server (issue 12 item 4): the script stays atomic, other clients
 * wait and then get BUSY after busy-reply-threshold (also those on the script caller's event loop: the
 * server runs io-threads 1 by default, so every connection here shares one loop), SCRIPT KILL,
 * UNKILLABLE, NOTBUSY, SHUTDOWN NOSAVE while busy.
 */
class ScriptBusyIT extends ServerTestBase {
    private static final String BUSY = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";

    @AfterEach
    void restoreThreshold() {
        try (Jedis j = new Jedis("127.0.0.1", keyline.port(), 10_000)) {
            j.configSet("busy-reply-threshold", "5000");
        }
    }

    /** Runs {@code script} from a client of its own; the future holds its reply or its error text. */
    private CompletableFuture<Object> runAsync(int port, String script, String... keysAndArgs) {
        return CompletableFuture.supplyAsync(() -> {
            try (Jedis j = new Jedis("127.0.0.1", port, 30_000)) {
                return j.eval(script, keysAndArgs.length, keysAndArgs);
            } catch (RuntimeException e) {
                return e.getMessage();
            }
        });
    }

    /** Polls PING from {@code j} until it is refused with BUSY; returns that error. */
    private static String awaitBusy(Jedis j) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try {
                j.ping();
            } catch (RuntimeException e) {
                return e.getMessage();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("never BUSY");
    }

    @Test
    void otherClientsGetBusyAfterTheThresholdAndScriptKillStopsAReadOnlyScript() throws Exception {
        jedis.configSet("busy-reply-threshold", "100");
        jedis.set("k", "v");
        CompletableFuture<Object> caller = runAsync(keyline.port(), "local x = redis.call('GET', KEYS[1]) while true do end", "k");
        assertThat(awaitBusy(jedis)).isEqualTo(BUSY);
        // Every other command too (same event loop as the script's caller), RESP3 through Lettuce as well.
        assertThatThrownBy(() -> jedis.get("k")).hasMessage(BUSY);
        assertThatThrownBy(() -> lettuce.set("k", "w")).hasMessageContaining(BUSY);
        assertThat(caller).isNotDone();
        assertThat(jedis.scriptKill()).isEqualTo("OK");
        Object reply = caller.get(10, TimeUnit.SECONDS);
        assertThat((String) reply).startsWith("ERR Script killed by user with SCRIPT KILL...");
        assertThat(jedis.ping()).isEqualTo("PONG");
        assertThat(jedis.get("k")).isEqualTo("v");
        assertThat(lettuce.set("k", "w")).isEqualTo("OK");
    }

    @Test
    void aScriptThatWroteIsUnkillableAndFinishes() throws Exception {
        jedis.configSet("busy-reply-threshold", "100");
        CompletableFuture<Object> caller = runAsync(keyline.port(),
                "redis.call('SET', KEYS[1], 'x') local t = os.clock() while os.clock() - t < 1.5 do end "
                        + "redis.call('SET', KEYS[1], 'y') return 7", "w");
        assertThat(awaitBusy(jedis)).isEqualTo(BUSY);
        assertThatThrownBy(() -> jedis.scriptKill()).hasMessage("UNKILLABLE Sorry the script already executed write "
                + "commands against the dataset. You can either wait the script termination or kill the server in a "
                + "hard way using the SHUTDOWN NOSAVE command.");
        // SHUTDOWN without NOSAVE is refused while busy, as Redis.
        assertThatThrownBy(() -> jedis.sendCommand(redis.clients.jedis.Protocol.Command.SHUTDOWN)).hasMessage(BUSY);
        assertThat(caller.get(10, TimeUnit.SECONDS)).isEqualTo(7L);
        assertThat(jedis.get("w")).isEqualTo("y");
    }

    @Test
    void functionKillStopsABusyFunctionAndFunctionStatsNamesIt() throws Exception {
        jedis.configSet("busy-reply-threshold", "100");
        jedis.functionLoad("#!lua name=spin\nredis.register_function{function_name='spin', callback=function(keys, args) "
                + "local x = redis.call('GET', keys[1]) while true do end end, flags={'no-writes'}}");
        CompletableFuture<Object> caller = CompletableFuture.supplyAsync(() -> {
            try (Jedis j = new Jedis("127.0.0.1", keyline.port(), 30_000)) {
                return j.fcall("spin", java.util.List.of("k"), java.util.List.of());
            } catch (RuntimeException e) {
                return e.getMessage();
            }
        });
        String busy = awaitBusy(jedis);
        assertThat(busy).isEqualTo("BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.");
        // FUNCTION STATS is allowed while busy and names the running function and its command.
        Object stats = jedis.sendCommand(redis.clients.jedis.Protocol.Command.FUNCTION,
                redis.clients.jedis.util.SafeEncoder.encode("STATS"));
        java.util.List<?> fields = (java.util.List<?>) stats;
        java.util.List<?> running = (java.util.List<?>) fields.get(1);
        assertThat(new String((byte[]) running.get(0))).isEqualTo("name");
        assertThat(new String((byte[]) running.get(1))).isEqualTo("spin");
        assertThat(new String((byte[]) running.get(2))).isEqualTo("command");
        assertThat(((java.util.List<?>) running.get(3))).hasSize(4);
        assertThat(new String((byte[]) running.get(4))).isEqualTo("duration_ms");
        // SCRIPT KILL may not kill a function; FUNCTION KILL does.
        assertThatThrownBy(() -> jedis.scriptKill()).hasMessageStartingWith("BUSY");
        assertThat(jedis.functionKill()).isEqualTo("OK");
        assertThat((String) caller.get(10, TimeUnit.SECONDS)).startsWith("ERR Script killed by user with");
        assertThat(jedis.ping()).isEqualTo("PONG");
        assertThatThrownBy(() -> jedis.functionKill()).hasMessage("NOTBUSY No scripts in execution right now.");
        jedis.functionFlush();
    }

    @Test
    void scriptKillWithNoScriptIsNotBusy() {
        assertThatThrownBy(() -> jedis.scriptKill()).hasMessage("NOTBUSY No scripts in execution right now.");
    }

    @Test
    void beforeTheThresholdOtherClientsWaitAndSeeTheScriptWhole() throws Exception {
        CompletableFuture<Object> caller = runAsync(keyline.port(),
                "redis.call('SET', KEYS[1], '1') local t = os.clock() while os.clock() - t < 0.5 do end "
                        + "redis.call('SET', KEYS[1], '2') return 1", "a");
        Thread.sleep(150); // the script is running
        // No BUSY (threshold 5 s), no half-done state: the read waits for the script's end.
        assertThat(jedis.get("a")).isEqualTo("2");
        assertThat(lettuce.ping()).isEqualTo("PONG");
        assertThat(caller.get(10, TimeUnit.SECONDS)).isEqualTo(1L);
    }

    @Test
    void pipelinedCommandsAfterAScriptRunInOrder() {
        redis.clients.jedis.Pipeline p = jedis.pipelined();
        p.set("p", "1");
        redis.clients.jedis.Response<Object> r1 = p.eval("return redis.call('INCR', KEYS[1])", 1, "p");
        redis.clients.jedis.Response<String> g = p.get("p");
        redis.clients.jedis.Response<Object> r2 = p.eval("return redis.call('INCR', KEYS[1])", 1, "p");
        p.sync();
        assertThat(r1.get()).isEqualTo(2L);
        assertThat(g.get()).isEqualTo("2");
        assertThat(r2.get()).isEqualTo(3L);
        // Inside MULTI the script runs inline in EXEC.
        redis.clients.jedis.Transaction t = jedis.multi();
        t.eval("return redis.call('INCR', KEYS[1])", 1, "p");
        assertThat(t.exec()).containsExactly(4L);
    }

    @Test
    void shutdownNosaveWhileBusyStopsTheServer() throws Exception {
        for (String ioThreads : new String[]{"1", "2"}) {
            // the threshold is set before the script starts: a CONFIG SET sent while it runs would itself wait
            // for the script and, on a loaded machine, reach the default 5 s threshold (BUSY) first
            EmbeddedKeyline other = EmbeddedKeyline.builder().config("io-threads", ioThreads)
                    .config("busy-reply-threshold", "100").start();
            try {
                CompletableFuture<Object> caller = runAsync(other.port(), "redis.call('SET', KEYS[1], 'x') while true do end", "z");
                try (Jedis j = new Jedis("127.0.0.1", other.port(), 10_000)) {
                    assertThat(awaitBusy(j)).isEqualTo(BUSY);
                    assertThatThrownBy(() -> j.scriptKill()).hasMessageStartingWith("UNKILLABLE");
                    try {
                        j.shutdown(); // SHUTDOWN NOSAVE: Jedis's shutdown sends plain SHUTDOWN
                    } catch (RuntimeException ignored) {
                        // refused with BUSY below
                    }
                    try {
                        j.sendCommand(redis.clients.jedis.Protocol.Command.SHUTDOWN, "NOSAVE");
                    } catch (RuntimeException e) {
                        // the connection closes without a reply, as Redis
                    }
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!other.server().stopped() && System.nanoTime() < deadline) Thread.sleep(20);
                assertThat(other.server().stopped()).isTrue();
                caller.get(10, TimeUnit.SECONDS); // the caller is answered or disconnected, never left hanging
                // stopped() turns true when the stop begins; the listener closes just after.
                boolean refused = false;
                while (!refused && System.nanoTime() < deadline) {
                    try (Socket ignored = new Socket("127.0.0.1", other.port())) {
                        Thread.sleep(20);
                    } catch (java.io.IOException e) {
                        refused = true;
                    }
                }
                assertThat(refused).as("the port no longer accepts").isTrue();
            } finally {
                other.stop();
            }
        }
    }

    @Test
    void monitorShowsTheScriptThenItsCallsAsLua() throws Exception {
        try (Jedis m = new Jedis("127.0.0.1", keyline.port(), 10_000)) {
            java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread t = new Thread(() -> m.monitor(new redis.clients.jedis.JedisMonitor() {
                @Override
                public void onCommand(String command) {
                    lines.add(command);
                    if (command.contains("\"stop\"")) client.close();
                }
            }));
            t.start();
            Thread.sleep(200);
            jedis.eval("return redis.call('SET', KEYS[1], 'v')", 1, "mk");
            jedis.echo("stop");
            t.join(5000);
            assertThat(lines.get(0)).containsIgnoringCase("\"eval\"").contains("\"mk\"");
            assertThat(lines.get(1)).contains("[0 lua] \"SET\" \"mk\" \"v\"");
        }
    }

    @Test
    void lettuceClientOnAnotherConnectionIsAnsweredAfterTheScript() throws Exception {
        RedisClient rc = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(keyline.port())
                .withTimeout(Duration.ofSeconds(10)).build());
        try (StatefulRedisConnection<String, String> c = rc.connect()) {
            CompletableFuture<Object> caller = runAsync(keyline.port(),
                    "local t = os.clock() while os.clock() - t < 0.3 do end return 'done'");
            Thread.sleep(100);
            assertThat(c.sync().incr("n")).isEqualTo(1L);
            assertThat(caller.get(10, TimeUnit.SECONDS)).isEqualTo("done");
        } finally {
            rc.shutdown();
        }
    }

    /**
     * The script cache is not behind the lock a running script holds: SCRIPT LOAD, SCRIPT EXISTS, SCRIPT FLUSH
     * and INFO's script counters answer at once while a script runs (an event loop waiting there would leave its
     * other clients, SCRIPT KILL senders among them, unanswered). Over the wire these commands are not allow-busy
     * in Redis 7.2: they wait for the script, then get BUSY past the threshold, as other clients' commands.
     */
    @Test
    void scriptCacheCommandsDoNotWaitForTheRunningScript() throws Exception {
        jedis.configSet("busy-reply-threshold", "100");
        io.keyline.scripting.Scripting scripting = io.keyline.scripting.Scripting.of(keyline.server().context());
        CompletableFuture<Object> caller = runAsync(keyline.port(), "while true do end");
        assertThat(awaitBusy(jedis)).isEqualTo(BUSY);
        CompletableFuture<String> direct = CompletableFuture.supplyAsync(() -> {
            String sha = scripting.load("return 'loaded while busy'".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            boolean exists = scripting.exists(sha);
            int n = scripting.cachedScripts();
            long mem = scripting.cachedScriptsMemory() + scripting.evalVmMemory();
            return sha + " " + exists + " " + (n >= 2) + " " + (mem > 0);
        });
        assertThat(direct.get(5, TimeUnit.SECONDS)).endsWith(" true true true");
        assertThatThrownBy(() -> jedis.scriptLoad("return 1")).hasMessage(BUSY);
        assertThatThrownBy(() -> jedis.scriptExists("ffffffffffffffffffffffffffffffffffffffff")).hasMessage(BUSY);
        assertThatThrownBy(() -> jedis.scriptFlush()).hasMessage(BUSY);
        assertThat(jedis.scriptKill()).isEqualTo("OK");
        assertThat((String) caller.get(10, TimeUnit.SECONDS)).startsWith("ERR Script killed by user with SCRIPT KILL...");
        String sha = direct.get().split(" ")[0];
        assertThat(jedis.evalsha(sha)).isEqualTo("loaded while busy");
        jedis.scriptFlush();
        assertThat(jedis.scriptExists(sha)).isFalse();
        assertThat(jedis.eval("return 'fresh state'")).isEqualTo("fresh state");
    }
}
