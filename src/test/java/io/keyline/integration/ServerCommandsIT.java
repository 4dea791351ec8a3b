package io.keyline.integration;

import io.keyline.testkit.RespClient;
import io.keyline.embed.EmbeddedKeyline;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DBSIZE, FLUSHDB, FLUSHALL, TIME, SHUTDOWN and the connection commands (PING, ECHO, HELLO, AUTH, SELECT, RESET, QUIT). */
class ServerCommandsIT extends ServerTestBase {
    @Test
    void dbsizeCountsTheSelectedDatabase() {
        assertThat(jedis.dbSize()).isZero();
        jedis.set("a", "1");
        jedis.set("b", "2");
        assertThat(jedis.dbSize()).isEqualTo(2);
        assertThat(lettuce.dbsize()).isEqualTo(2);
        jedis.select(1);
        assertThat(jedis.dbSize()).isZero();
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.DBSIZE, "x"))
                .hasMessage("ERR wrong number of arguments for 'dbsize' command");
    }

    @Test
    void flushdbAndFlushall() {
        jedis.set("a", "1");
        jedis.select(2);
        jedis.set("b", "1");
        assertThat(jedis.flushDB()).isEqualTo("OK");
        assertThat(jedis.dbSize()).isZero();
        jedis.select(0);
        assertThat(jedis.dbSize()).isEqualTo(1);
        jedis.select(2);
        jedis.set("b", "1");
        assertThat(jedis.sendCommand(Protocol.Command.FLUSHALL, "ASYNC")).isNotNull();
        assertThat(jedis.dbSize()).isZero();
        jedis.select(0);
        assertThat(jedis.dbSize()).isZero();
        jedis.set("c", "1");
        assertThat(lettuce.flushdb()).isEqualTo("OK");
        assertThat(jedis.exists("c")).isFalse();
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.FLUSHDB, "foo")).hasMessage("ERR syntax error");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.FLUSHALL, "SYNC", "x")).hasMessage("ERR syntax error");
    }

    @Test
    void timeIsSecondsAndMicroseconds() {
        List<String> t = jedis.time();
        assertThat(t).hasSize(2);
        long secs = Long.parseLong(t.get(0));
        long micros = Long.parseLong(t.get(1));
        assertThat(Math.abs(secs - System.currentTimeMillis() / 1000)).isLessThanOrEqualTo(2);
        assertThat(micros).isBetween(0L, 999_999L);
        assertThat(lettuce.time()).hasSize(2);
    }

    @Test
    void shutdownArgumentErrors() throws Exception {
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.SHUTDOWN, "ABORT"))
                .hasMessage("ERR No shutdown in progress.");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.SHUTDOWN, "FOO")).hasMessage("ERR syntax error");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.SHUTDOWN, "NOSAVE", "SAVE")).hasMessage("ERR syntax error");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.SHUTDOWN, "ABORT", "NOW")).hasMessage("ERR syntax error");
        assertThat(raw("MULTI\r\nSHUTDOWN\r\n", 60)).isEqualTo("+OK\r\n-ERR Command not allowed inside a transaction\r\n");
    }

    @Test
    void shutdownStopsTheServer() throws Exception {
        try (EmbeddedKeyline other = EmbeddedKeyline.start()) {
            boolean[] called = new boolean[2];
            other.server().context().shutdownHandler(nosave -> {
                called[0] = true;
                called[1] = nosave;
                new Thread(other::stop).start(); // never stop the server from its own event loop
            });
            try (RespClient s = new RespClient(other.port())) {
                assertThat(s.sendUntilClosed("SHUTDOWN NOSAVE NOW FORCE\r\n")).isEmpty();
            }
            assertThat(called[0]).isTrue();
            assertThat(called[1]).isTrue();
            for (int i = 0; i < 50 && !other.server().stopped(); i++) Thread.sleep(100);
            assertThat(other.server().stopped()).isTrue();
        }
        try (EmbeddedKeyline other = EmbeddedKeyline.start(); Jedis j = new Jedis("127.0.0.1", other.port())) {
            j.set("k", "v");
            try {
                j.shutdown();
            } catch (redis.clients.jedis.exceptions.JedisException expected) {
                // the connection closes without a reply
            }
            for (int i = 0; i < 50 && !other.server().stopped(); i++) Thread.sleep(100);
            assertThat(other.server().stopped()).isTrue();
        }
    }

    // ---- connection commands -----------------------------------------------------------------

    @Test
    void pingAndEcho() throws Exception {
        assertThat(jedis.ping()).isEqualTo("PONG");
        assertThat(jedis.ping("hi")).isEqualTo("hi");
        assertThat(lettuce.ping()).isEqualTo("PONG");
        assertThat(jedis.echo("hello world")).isEqualTo("hello world");
        assertThat(lettuce.echo("x")).isEqualTo("x");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.PING, "a", "b"))
                .hasMessage("ERR wrong number of arguments for 'ping' command");
        assertThat(raw("PING\r\nPING x\r\n", 12)).isEqualTo("+PONG\r\n$1\r\nx\r\n");
    }

    @Test
    void selectValidatesTheIndex() {
        assertThat(jedis.select(15)).isEqualTo("OK");
        assertThatThrownBy(() -> jedis.select(16)).hasMessage("ERR DB index is out of range");
        assertThatThrownBy(() -> jedis.select(-1)).hasMessage("ERR DB index is out of range");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.SELECT, "abc"))
                .hasMessage("ERR value is not an integer or out of range");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.SELECT, "99999999999"))
                .hasMessage("ERR value is out of range, value must between -2147483648 and 2147483647");
    }

    @Test
    void helloNegotiatesTheProtocol() throws Exception {
        try (RespClient s = new RespClient(port())) {
            String hello = s.inline("HELLO 3");
            assertThat(hello).startsWith("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n")
                    .contains("$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:").endsWith("$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n");
            assertThat(s.inline("HELLO")).startsWith("%7\r\n");
            assertThat(s.inline("HELLO 2 SETNAME viahello")).startsWith("*14\r\n");
            assertThat(s.inline("CLIENT GETNAME")).isEqualTo("$8\r\nviahello\r\n");
            assertThat(s.inline("HELLO 4")).isEqualTo("-NOPROTO unsupported protocol version\r\n");
            assertThat(s.inline("HELLO abc")).isEqualTo("-ERR Protocol version is not an integer or out of range\r\n");
            assertThat(s.inline("HELLO 3 FOO")).isEqualTo("-ERR Syntax error in HELLO option 'FOO'\r\n");
            assertThat(s.inline("HELLO 3 AUTH default")).isEqualTo("-ERR Syntax error in HELLO option 'AUTH'\r\n");
            assertThat(s.inline("HELLO 3 SETNAME \"a b\"")).isEqualTo("-ERR Client names cannot contain spaces, newlines or special characters.\r\n");
            assertThat(s.inline("HELLO 3 AUTH bob pw")).isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
        }
    }

    @Test
    void authWithAndWithoutAPassword() throws Exception {
        assertThatThrownBy(() -> jedis.auth("x")).hasMessage(
                "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?");
        assertThat(jedis.auth("default", "anything")).isEqualTo("OK");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.AUTH, "a", "b", "c")).hasMessage("ERR syntax error");
        try {
            jedis.configSet("requirepass", "pw");
            try (RespClient s = new RespClient(port())) {
                String noauth = "-NOAUTH Authentication required.\r\n";
                assertThat(s.exchange("GET k", noauth.length())).isEqualTo(noauth);
                String helloNoauth = "-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time\r\n";
                assertThat(s.exchange("HELLO 3", helloNoauth.length())).isEqualTo(helloNoauth);
                String wrongpass = "-WRONGPASS invalid username-password pair or user is disabled.\r\n";
                assertThat(s.exchange("AUTH nope", wrongpass.length())).isEqualTo(wrongpass);
                assertThat(s.inline("HELLO 2 AUTH default pw")).startsWith("*14\r\n");
                assertThat(s.inline("PING")).isEqualTo("+PONG\r\n");
                assertThat(s.exchange("RESET", 8)).isEqualTo("+RESET\r\n");
                assertThat(s.exchange("PING", noauth.length())).isEqualTo(noauth);
                assertThat(s.inline("AUTH default pw", "PING")).isEqualTo("+OK\r\n+PONG\r\n");
            }
        } finally {
            jedis.auth("pw");
            jedis.configSet("requirepass", "");
        }
    }

    @Test
    void resetRestoresAFreshConnection() throws Exception {
        try (RespClient s = new RespClient(port())) {
            s.inline("HELLO 3", "SELECT 4", "CLIENT SETNAME named", "CLIENT NO-EVICT on");
            assertThat(s.exchange("MULTI", 5)).isEqualTo("+OK\r\n");
            assertThat(s.exchange("SET a 1", 9)).isEqualTo("+QUEUED\r\n");
            assertThat(s.exchange("RESET", 8)).isEqualTo("+RESET\r\n");
            String info = s.inline("CLIENT INFO");
            assertThat(info).startsWith("$").contains(" name= ").contains(" db=0 ").contains(" resp=2 ").contains(" multi=-1 ").contains(" flags=N ");
        }
    }

    @Test
    void quitClosesAfterOk() throws Exception {
        try (RespClient s = new RespClient(port())) {
            assertThat(s.sendUntilClosed("QUIT\r\nPING\r\n")).isEqualTo("+OK\r\n");
        }
    }
}
