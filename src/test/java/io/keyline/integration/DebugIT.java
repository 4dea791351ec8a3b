package io.keyline.integration;

import io.keyline.testkit.RespClient;
import io.keyline.embed.EmbeddedKeyline;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.params.SetParams;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DEBUG (with enable-debug-command yes) and MEMORY. */
class DebugIT extends ServerTestBase {
    private static final redis.clients.jedis.commands.ProtocolCommand DEBUG = () -> "DEBUG".getBytes();
    private static final String NOT_ALLOWED = "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", "
            + "you can run it from a local connection, otherwise you need to set this option in the configuration file, "
            + "and then restart the server.";

    @Override
    protected void configure(EmbeddedKeyline.Builder builder) {
        builder.config("enable-debug-command", "yes");
    }

    private Object debug(String... args) {
        return jedis.sendCommand(DEBUG, args);
    }

    private String digest() {
        return new String((byte[]) debug("DIGEST"));
    }

    @Test
    void enableDebugCommandNoLocalYes() {
        try (EmbeddedKeyline off = EmbeddedKeyline.start(); Jedis j = new Jedis("127.0.0.1", off.port())) {
            assertThatThrownBy(() -> j.sendCommand(DEBUG, "SLEEP", "0")).hasMessage(NOT_ALLOWED);
            assertThatThrownBy(() -> j.configSet("enable-debug-command", "yes"))
                    .hasMessageContaining("can't set immutable config");
        }
        try (EmbeddedKeyline local = EmbeddedKeyline.builder().config("enable-debug-command", "local").start();
             Jedis j = new Jedis("127.0.0.1", local.port())) {
            assertThat(j.sendCommand(DEBUG, "SLEEP", "0")).isNotNull();
        }
        assertThat(debug("SLEEP", "0")).isNotNull();
    }

    @Test
    void sleepHoldsNoLocksAndLetsOtherLoopsWork() throws Exception {
        jedis.set("k", "v");
        try (Jedis sleeper = newJedis(); Jedis a = newJedis(); Jedis b = newJedis(); Jedis c = newJedis()) {
            CompletableFuture<Object> sleeping = CompletableFuture.supplyAsync(
                    () -> sleeper.sendCommand(DEBUG, "SLEEP", "1.5"));
            Thread.sleep(200);
            // The sleeper blocks its own event loop; connections on other loops are served at once.
            long fastest = Long.MAX_VALUE;
            for (Jedis j : List.of(a, b, c)) {
                CompletableFuture<Long> t = CompletableFuture.supplyAsync(() -> {
                    long t0 = System.nanoTime();
                    j.set("k", "w");
                    return (System.nanoTime() - t0) / 1_000_000;
                });
                try {
                    fastest = Math.min(fastest, t.get(700, TimeUnit.MILLISECONDS));
                } catch (java.util.concurrent.TimeoutException slow) {
                    t.get(); // same loop as the sleeper: waits for it
                }
            }
            assertThat(fastest).isLessThan(700);
            assertThat(sleeping.get()).isNotNull();
        }
    }

    @Test
    void setActiveExpire() throws Exception {
        assertThat(debug("SET-ACTIVE-EXPIRE", "0")).isNotNull();
        assertThat(keyline.server().keyspace().activeExpireEnabled()).isFalse();
        assertThat(jedis.configGet("active-expire-enabled")).containsEntry("active-expire-enabled", "no");
        jedis.set("t", "v", SetParams.setParams().px(30));
        Thread.sleep(300);
        assertThat(keyline.server().keyspace().db(0).size()).isEqualTo(1); // not reclaimed in the background
        assertThat(jedis.get("t")).isNull();
        assertThat(debug("SET-ACTIVE-EXPIRE", "1")).isNotNull();
        assertThat(keyline.server().keyspace().activeExpireEnabled()).isTrue();
    }

    @Test
    void objectDescribesTheValue() {
        jedis.set("small", "123");
        jedis.set("text", "hello");
        jedis.set("long", "x".repeat(100));
        assertThat(new String((byte[]) debug("OBJECT", "small")))
                .matches("Value at:0x[0-9a-f]+ refcount:2147483647 encoding:int serializedlength:2 lru:\\d+ lru_seconds_idle:\\d+");
        assertThat(new String((byte[]) debug("OBJECT", "text"))).contains(" refcount:1 encoding:embstr serializedlength:6 ");
        assertThat(new String((byte[]) debug("OBJECT", "long"))).contains(" encoding:raw serializedlength:102 ");
        assertThatThrownBy(() -> debug("OBJECT", "nokey")).hasMessage("ERR no such key");
    }

    @Test
    void digestIsOrderIndependentAndMatchesRedisForStrings() {
        assertThat(digest()).isEqualTo("0".repeat(40));
        jedis.set("a", "1");
        jedis.set("b", "hello");
        String d1 = digest();
        assertThat(d1).matches("[0-9a-f]{40}").isNotEqualTo("0".repeat(40));
        jedis.flushAll();
        jedis.set("b", "hello");
        jedis.set("a", "1");
        assertThat(digest()).isEqualTo(d1);
        jedis.set("a", "2");
        assertThat(digest()).isNotEqualTo(d1);
        // Same values as redis-server 7.0.15 computes (checked with the compat script too).
        jedis.flushAll();
        jedis.set("a", "1");
        assertThat(digest()).isEqualTo("943d800368fb9c0e951138f1bc0e313ac769d91f");
        List<?> values = (List<?>) debug("DIGEST-VALUE", "a", "nokey");
        assertThat(new String((byte[]) values.get(0))).isEqualTo("b4fc66738120fba0b5aa500ab5c2bf89cea1c5da");
        assertThat(new String((byte[]) values.get(1))).isEqualTo("0".repeat(40));
        jedis.pexpire("a", 100_000);
        assertThat(digest()).isNotEqualTo("943d800368fb9c0e951138f1bc0e313ac769d91f");
    }

    @Test
    void protocolRepliesInResp2AndResp3() throws Exception {
        assertThat(raw("DEBUG PROTOCOL double\r\nDEBUG PROTOCOL map\r\nDEBUG PROTOCOL null\r\nDEBUG PROTOCOL true\r\n", 60))
                .isEqualTo("$5\r\n3.141\r\n*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n$-1\r\n:1\r\n");
        try (RespClient s = new RespClient(port())) {
            assertThat(s.inline("DEBUG PROTOCOL push")).isEqualTo("-ERR RESP2 is not supported by this command\r\n");
            assertThat(s.inline("DEBUG PROTOCOL attrib")).isEqualTo("$39\r\nSome real reply following the attribute\r\n");
            s.inline("HELLO 3");
            assertThat(s.inline("DEBUG PROTOCOL double", "DEBUG PROTOCOL bignum", "DEBUG PROTOCOL null", "DEBUG PROTOCOL false"))
                    .isEqualTo(",3.141\r\n(1234567999999999999999999999999999999\r\n_\r\n#f\r\n");
            assertThat(s.inline("DEBUG PROTOCOL set", "DEBUG PROTOCOL verbatim"))
                    .isEqualTo("~3\r\n:0\r\n:1\r\n:2\r\n=29\r\ntxt:This is a verbatim\nstring\r\n");
            assertThat(s.inline("DEBUG PROTOCOL push"))
                    .isEqualTo(">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n$40\r\nSome real reply following the push reply\r\n");
            assertThat(s.inline("DEBUG PROTOCOL attrib"))
                    .isEqualTo("|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n$39\r\nSome real reply following the attribute\r\n");
            assertThat(s.inline("DEBUG PROTOCOL foo")).startsWith("-ERR Wrong protocol type name.");
        }
    }

    @Test
    void helpAndErrors() throws Exception {
        assertThat(raw("DEBUG HELP\r\n", 60)).startsWith("*").contains("+DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n");
        assertThatThrownBy(() -> debug("FOO")).hasMessage("ERR unknown subcommand or wrong number of arguments for 'FOO'. Try DEBUG HELP.");
        assertThatThrownBy(() -> debug("SLEEP")).hasMessage("ERR unknown subcommand or wrong number of arguments for 'SLEEP'. Try DEBUG HELP.");
        assertThatThrownBy(() -> jedis.sendCommand(DEBUG)).hasMessage("ERR wrong number of arguments for 'debug' command");
        assertThatThrownBy(() -> debug("ERROR", "CUSTOM failure")).hasMessage("CUSTOM failure");
        assertThat(debug("LOG", "hello from a test")).isNotNull();
    }

    @Test
    void memoryUsageStatsDoctor() throws Exception {
        jedis.set("k", "x".repeat(100));
        long usage = jedis.memoryUsage("k");
        assertThat(usage).isGreaterThan(100).isLessThan(400);
        assertThat(jedis.memoryUsage("k", 5)).isEqualTo(usage);
        assertThat(lettuce.memoryUsage("k")).isEqualTo(usage);
        assertThat(jedis.memoryUsage("nokey")).isNull();
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.MEMORY, "USAGE", "k", "SAMPLES", "-1")).hasMessage("ERR syntax error");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.MEMORY, "USAGE", "k", "foo")).hasMessage("ERR syntax error");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.MEMORY, "USAGE", "k", "SAMPLES", "x"))
                .hasMessage("ERR value is not an integer or out of range");
        List<?> stats = (List<?>) jedis.sendCommand(Protocol.Command.MEMORY, "STATS");
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < stats.size(); i += 2) names.add(new String((byte[]) stats.get(i)));
        assertThat(names).contains("peak.allocated", "total.allocated", "keys.count", "dataset.bytes");
        assertThat(stats.get(names.indexOf("keys.count") * 2 + 1)).isEqualTo(1L);
        assertThat(jedis.memoryDoctor()).startsWith("Hi Sam");
        assertThat(raw("MEMORY PURGE\r\n", 5)).isEqualTo("+OK\r\n");
        assertThat(raw("MEMORY HELP\r\n", 20)).startsWith("*14\r\n+MEMORY <subcommand>");
    }
}
