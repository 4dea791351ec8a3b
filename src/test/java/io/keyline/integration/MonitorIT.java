package io.keyline.integration;

import io.keyline.testkit.RespClient;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Transaction;

import java.time.Duration;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** MONITOR as Redis 7.2 (introspection.tcl "MONITOR ..."): fed from the call path, after each command. */
class MonitorIT extends ServerTestBase {
    private static final String PREFIX = "\\+\\d{10}\\.\\d{6} \\[(\\d+) 127\\.0\\.0\\.1:\\d+\\] ";

    private RespClient monitor() throws Exception {
        RespClient m = new RespClient(port()).timeout(Duration.ofSeconds(5));
        assertThat(m.call("MONITOR")).isEqualTo("+OK\r\n");
        return m;
    }

    private static void expect(RespClient m, int db, String args) throws Exception {
        String line = m.readText();
        assertThat(line).matches(Pattern.compile(PREFIX.replace("(\\d+)", Integer.toString(db))
                + Pattern.quote(args) + "\r\n"));
    }

    @Test
    void logsExecutedCommandsWithRedisQuoting() throws Exception {
        try (RespClient m = monitor()) {
            jedis.set("k", "v");
            jedis.get("k");
            jedis.set("q\"\\", "a\nb\r\t\u0001 ");
            expect(m, 0, "\"SET\" \"k\" \"v\"");
            expect(m, 0, "\"GET\" \"k\"");
            expect(m, 0, "\"SET\" \"q\\\"\\\\\" \"a\\nb\\r\\t\\x01 \"");
            jedis.select(3);
            jedis.set("x", "1");
            expect(m, 3, "\"SELECT\" \"3\"");
            expect(m, 3, "\"SET\" \"x\" \"1\"");
        }
    }

    @Test
    void aMonitorMayNotTouchTheKeyspace() throws Exception {
        try (RespClient m = monitor()) {
            assertThat(m.call("GET", "k")).isEqualTo("-ERR Replica can't interact with the keyspace\r\n");
            assertThat(m.call("SET", "k", "v")).isEqualTo("-ERR Replica can't interact with the keyspace\r\n");
            jedis.ping();
            expect(m, 0, "\"PING\""); // the refused commands were not fed
        }
    }

    @Test
    void adminCommandsAndRejectedCommandsAreNotFed() throws Exception {
        try (RespClient m = monitor()) {
            jedis.configGet("maxmemory");
            jedis.clientList();
            assertThatThrownBy(() -> jedis.sendCommand(() -> "NOSUCHCMD".getBytes())).hasMessageContaining("unknown command");
            assertThatThrownBy(() -> jedis.sendCommand(() -> "GET".getBytes())).hasMessageContaining("wrong number");
            jedis.ping();
            expect(m, 0, "\"PING\"");
        }
    }

    @Test
    void redactsCredentials() throws Exception {
        try (RespClient m = monitor(); RespClient c = new RespClient(port())) {
            assertThat(c.request("AUTH", "not-real").isError()).isTrue();
            assertThat(c.request("AUTH", "not-real", "not-a-password").isError()).isTrue();
            assertThat(c.request("AUTH", "a", "b", "c").isError()).isTrue(); // syntax error: nothing redacted
            assertThat(c.request("HELLO", "2", "AUTH", "not-real", "not-a-password").isError()).isTrue();
            assertThat(c.request("HELLO", "9", "AUTH", "a", "b").isError()).isTrue(); // refused version first
            expect(m, 0, "\"AUTH\" \"(redacted)\"");
            expect(m, 0, "\"AUTH\" \"(redacted)\" \"(redacted)\"");
            expect(m, 0, "\"AUTH\" \"a\" \"b\" \"c\"");
            expect(m, 0, "\"HELLO\" \"2\" \"AUTH\" \"(redacted)\" \"(redacted)\"");
            expect(m, 0, "\"HELLO\" \"9\" \"AUTH\" \"a\" \"b\"");
        }
    }

    @Test
    void multiExecInOrderAndAbortedTransactions() throws Exception {
        try (RespClient m = monitor(); RespClient c = new RespClient(port())) {
            Transaction t = jedis.multi();
            t.set("foo", "bar");
            t.exec();
            expect(m, 0, "\"MULTI\"");
            expect(m, 0, "\"SET\" \"foo\" \"bar\"");
            expect(m, 0, "\"EXEC\"");
            c.call("MULTI");
            assertThat(c.request("syntax", "error").isError()).isTrue();
            assertThat(c.call("EXEC")).startsWith("-EXECABORT");
            expect(m, 0, "\"MULTI\"");
            expect(m, 0, "\"EXEC\"");
        }
    }

    @Test
    void blockedCommandIsLoggedOnce() throws Exception {
        try (RespClient m = monitor(); RespClient b = new RespClient(port())) {
            b.send("BLPOP", "mylist", "0");
            expect(m, 0, "\"BLPOP\" \"mylist\" \"0\"");
            jedis.lpush("mylist", "1");
            assertThat(b.readText()).isEqualTo("*2\r\n$6\r\nmylist\r\n$1\r\n1\r\n");
            jedis.lpush("mylist", "2");
            expect(m, 0, "\"LPUSH\" \"mylist\" \"1\"");
            expect(m, 0, "\"LPUSH\" \"mylist\" \"2\"");
        }
    }

    @Test
    void monitorInsideMultiIsRefusedAndASecondMonitorIsIgnored() throws Exception {
        try (RespClient c = new RespClient(port()).timeout(Duration.ofSeconds(5))) {
            c.call("MULTI");
            assertThat(c.call("MONITOR")).isEqualTo("+QUEUED\r\n");
            assertThat(c.call("EXEC")).isEqualTo("*1\r\n-ERR MONITOR isn't allowed for DENY BLOCKING client\r\n");
            assertThat(jedis.clientList()).doesNotContain("flags=O");
            assertThat(c.call("MONITOR")).isEqualTo("+OK\r\n");
            c.send("MONITOR"); // already monitoring: no reply, as Redis
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
            expect(c, 0, "\"PING\""); // a monitor sees its own commands after their replies
        }
    }

    @Test
    void clientListResetAndDisconnect() throws Exception {
        RespClient m = monitor();
        assertThat(jedis.clientList()).contains("flags=O").contains("cmd=monitor");
        m.send("RESET");
        assertThat(m.readText()).isEqualTo("+RESET\r\n"); // it left MONITOR mode before RESET is fed
        jedis.set("after", "reset");
        assertThat(m.call("PING")).isEqualTo("+PONG\r\n"); // nothing fed any more
        assertThat(jedis.clientList()).doesNotContain("flags=O");
        assertThat(m.call("MONITOR")).isEqualTo("+OK\r\n");
        assertThat(keyline.server().context().monitors().size()).isEqualTo(1);
        m.close();
        long deadline = System.currentTimeMillis() + 5000;
        while (keyline.server().context().monitors().size() != 0 && System.currentTimeMillis() < deadline) Thread.sleep(10);
        assertThat(keyline.server().context().monitors().size()).isZero();
        jedis.set("k", "v"); // no monitor left: nothing breaks
    }

    @Test
    void monitorsReceiveStatusLinesInResp3Too() throws Exception {
        try (RespClient m = new RespClient(port()).timeout(Duration.ofSeconds(5)).resp3()) {
            assertThat(m.call("MONITOR")).isEqualTo("+OK\r\n");
            jedis.set("k", "v");
            expect(m, 0, "\"SET\" \"k\" \"v\"");
        }
    }
}
