package io.keyline.integration;

import io.keyline.testkit.RespClient;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.params.ClientKillParams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientCommandsIT extends ServerTestBase {
    private static final String LINE_FORMAT = "id=\\d+ addr=127\\.0\\.0\\.1:\\d+ laddr=127\\.0\\.0\\.1:\\d+ fd=\\d+ name=\\S* age=\\d+ idle=\\d+ "
            + "flags=\\S+ db=\\d+ sub=0 psub=0 ssub=0 multi=-?\\d+ watch=\\d+ qbuf=\\d+ qbuf-free=\\d+ argv-mem=\\d+ multi-mem=0 "
            + "rbs=\\d+ rbp=\\d+ obl=0 oll=0 omem=0 tot-mem=\\d+ events=r cmd=\\S+ user=default redir=-1 resp=[23] "
            + "lib-name=\\S* lib-ver=\\S*";

    @Test
    void idNameAndGetname() {
        long id = jedis.clientId();
        assertThat(id).isPositive();
        assertThat(lettuce.clientId()).isNotEqualTo(id);
        assertThat(jedis.clientGetname()).isNull();
        assertThat(jedis.clientSetname("worker-1")).isEqualTo("OK");
        assertThat(jedis.clientGetname()).isEqualTo("worker-1");
        assertThatThrownBy(() -> jedis.clientSetname("a b"))
                .hasMessage("ERR Client names cannot contain spaces, newlines or special characters.");
        assertThat(jedis.clientSetname("")).isEqualTo("OK");
        assertThat(jedis.clientGetname()).isNull();
        assertThat(lettuce.clientSetname("lettuce-conn")).isEqualTo("OK");
        assertThat(lettuce.clientGetname()).isEqualTo("lettuce-conn");
    }

    @Test
    void listAndInfoUseRedisLineFormat() {
        jedis.clientSetname("lister");
        jedis.select(3);
        String list = jedis.clientList();
        assertThat(list).endsWith("\n");
        for (String line : list.split("\n")) assertThat(line).matches(LINE_FORMAT);
        String mine = list.lines().filter(l -> l.contains("name=lister")).findFirst().orElseThrow();
        assertThat(mine).startsWith("id=" + jedis.clientId() + " ").contains(" db=3 ").contains(" cmd=client|list ")
                .contains(" flags=N ").contains(" resp=2 ");
        String info = jedis.clientInfo();
        assertThat(info).matches(LINE_FORMAT + "\n").contains(" cmd=client|info ");
        // Lettuce speaks RESP3: the verbatim string arrives as plain text.
        assertThat(lettuce.clientList()).contains(" resp=3 ").contains("name=lister");
        assertThat(lettuce.clientInfo()).contains(" resp=3 ");
    }

    @Test
    void listFilters() {
        long id = jedis.clientId();
        assertThat(jedis.clientList(id)).startsWith("id=" + id + " ").hasLineCount(1);
        assertThat(jedis.clientList(redis.clients.jedis.args.ClientType.NORMAL)).contains("id=" + id + " ");
        assertThat(jedis.clientList(redis.clients.jedis.args.ClientType.PUBSUB)).isEmpty();
        assertThat(jedis.clientList(999_999L)).isEmpty();
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.CLIENT, "LIST", "TYPE", "foo"))
                .hasMessage("ERR Unknown client type 'foo'");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.CLIENT, "LIST", "ID", "abc"))
                .hasMessage("ERR Invalid client ID");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.CLIENT, "LIST", "foo"))
                .hasMessage("ERR syntax error");
    }

    @Test
    void multiAndBlockedFlagsShowInList() {
        try (Jedis other = newJedis()) {
            other.clientSetname("in-multi");
            other.sendCommand(Protocol.Command.MULTI);
            String line = jedis.clientList().lines().filter(l -> l.contains("name=in-multi")).findFirst().orElseThrow();
            assertThat(line).contains(" flags=x ").contains(" multi=0 ");
        }
    }

    @Test
    void killByIdAddrAndOldForm() throws Exception {
        try (Jedis victim = newJedis(); Jedis victim2 = newJedis()) {
            long id = victim.clientId();
            assertThat(jedis.clientKill(new ClientKillParams().id(Long.toString(id)))).isEqualTo(1);
            assertThatThrownBy(victim::ping).isInstanceOf(redis.clients.jedis.exceptions.JedisConnectionException.class);
            String addr = victim2.clientInfo().replaceAll(".* addr=(\\S+) .*\\s*", "$1");
            assertThat(jedis.clientKill(addr)).isEqualTo("OK");
            assertThatThrownBy(victim2::ping).isInstanceOf(redis.clients.jedis.exceptions.JedisConnectionException.class);
        }
        assertThatThrownBy(() -> jedis.clientKill("1.2.3.4:5")).hasMessage("ERR No such client");
        assertThat(jedis.clientKill(new ClientKillParams().addr("1.2.3.4:5"))).isZero();
        assertThat(jedis.ping()).isEqualTo("PONG");
    }

    @Test
    void killSkipsMeUnlessAskedAndValidatesFilters() throws Exception {
        long me = jedis.clientId();
        assertThat(jedis.clientKill(new ClientKillParams().id(Long.toString(me)))).isZero();
        assertThat(jedis.ping()).isEqualTo("PONG");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.CLIENT, "KILL", "ID", "0"))
                .hasMessage("ERR client-id should be greater than 0");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", "foo"))
                .hasMessage("ERR Unknown client type 'foo'");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.CLIENT, "KILL", "USER", "bob"))
                .hasMessage("ERR No such user 'bob'");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.CLIENT, "KILL", "SKIPME", "maybe"))
                .hasMessage("ERR syntax error");
        try (RespClient s = new RespClient(port())) {
            String id = s.inline("CLIENT ID").replaceAll("[^0-9]", "");
            assertThat(s.sendUntilClosed("CLIENT KILL ID " + id + " SKIPME no\r\n")).isEqualTo(":1\r\n");
        }
        try (Jedis a = newJedis(); Jedis b = newJedis()) {
            // USER default and LADDR match every connection here except the caller (SKIPME yes)
            String laddr = a.clientInfo().replaceAll(".* laddr=(\\S+) .*\\s*", "$1");
            long killed = jedis.clientKill(new ClientKillParams().laddr(laddr).user("default"));
            assertThat(killed).isGreaterThanOrEqualTo(2);
            assertThatThrownBy(a::ping).isInstanceOf(redis.clients.jedis.exceptions.JedisConnectionException.class);
        }
        assertThat(jedis.ping()).isEqualTo("PONG");
    }

    @Test
    void setinfoShowsInList() {
        assertThat(jedis.sendCommand(Protocol.Command.CLIENT, "SETINFO", "LIB-NAME", "mylib")).isNotNull();
        jedis.sendCommand(Protocol.Command.CLIENT, "SETINFO", "lib-ver", "1.2.3");
        assertThat(jedis.clientInfo()).contains(" lib-name=mylib lib-ver=1.2.3");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.CLIENT, "SETINFO", "LIB-NAME", "a b"))
                .hasMessage("ERR lib-name cannot contain spaces, newlines or special characters.");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.CLIENT, "SETINFO", "foo", "x"))
                .hasMessage("ERR Unrecognized option 'foo'");
    }

    @Test
    void noEvictAndNoTouch() {
        assertThat(jedis.clientNoEvictOn()).isEqualTo("OK");
        assertThat(jedis.clientInfo()).contains(" flags=e ");
        assertThat(jedis.clientNoEvictOff()).isEqualTo("OK");
        assertThat(jedis.sendCommand(Protocol.Command.CLIENT, "NO-TOUCH", "on")).isNotNull();
        assertThat(jedis.clientInfo()).contains(" flags=T ");
        jedis.sendCommand(Protocol.Command.CLIENT, "NO-TOUCH", "OFF");
        assertThat(jedis.clientInfo()).contains(" flags=N ");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.CLIENT, "NO-EVICT", "maybe")).hasMessage("ERR syntax error");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.CLIENT, "NO-TOUCH", "maybe")).hasMessage("ERR syntax error");
    }

    @Test
    void replyOffSkipOn() throws Exception {
        try (RespClient s = new RespClient(port())) {
            assertThat(s.inline("CLIENT REPLY SKIP", "PING", "ECHO seen")).isEqualTo("$4\r\nseen\r\n");
            assertThat(s.inline("CLIENT REPLY OFF", "PING", "SET k v", "CLIENT REPLY ON", "GET k"))
                    .isEqualTo("+OK\r\n$1\r\nv\r\n");
            assertThat(s.inline("CLIENT REPLY foo")).isEqualTo("-ERR syntax error\r\n");
            assertThat(s.inline("CLIENT REPLY OFF", "CLIENT REPLY SKIP", "CLIENT REPLY ON", "PING")).isEqualTo("+OK\r\n+PONG\r\n");
        }
    }

    @Test
    void pauseIsValidatedAndAcknowledged() {
        assertThat(jedis.clientPause(10)).isEqualTo("OK");
        assertThat(jedis.sendCommand(Protocol.Command.CLIENT, "UNPAUSE")).isNotNull();
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.CLIENT, "PAUSE", "abc"))
                .hasMessage("ERR timeout is not an integer or out of range");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.CLIENT, "PAUSE", "-1"))
                .hasMessage("ERR timeout is negative");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.CLIENT, "PAUSE", "10", "foo"))
                .hasMessage("ERR CLIENT PAUSE mode must be WRITE or ALL");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.CLIENT, "PAUSE", "10", "write", "x"))
                .hasMessage("ERR unknown subcommand or wrong number of arguments for 'PAUSE'. Try CLIENT HELP.");
    }

    @Test
    void unblockOfANonBlockedClient() {
        try (Jedis other = newJedis()) {
            assertThat(jedis.clientUnblock(other.clientId())).isZero();
        }
        assertThat(jedis.sendCommand(Protocol.Command.CLIENT, "UNBLOCK", "999999", "ERROR")).isEqualTo(0L);
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.CLIENT, "UNBLOCK", "abc"))
                .hasMessage("ERR value is not an integer or out of range");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.CLIENT, "UNBLOCK", "5", "foo"))
                .hasMessage("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
    }

    @Test
    void trackingRelatedAndHelp() throws Exception {
        assertThat(jedis.sendCommand(Protocol.Command.CLIENT, "GETREDIR")).isEqualTo(-1L);
        assertThat(raw("CLIENT TRACKINGINFO\r\n", 60))
                .isEqualTo("*6\r\n$5\r\nflags\r\n*1\r\n$3\r\noff\r\n$8\r\nredirect\r\n:-1\r\n$8\r\nprefixes\r\n*0\r\n");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.CLIENT, "CACHING", "yes"))
                .hasMessageStartingWith("ERR CLIENT CACHING can be called only when the client is in tracking mode");
        assertThat(raw("CLIENT HELP\r\n", 70)).startsWith("*").contains("+CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.CLIENT, "FOO"))
                .hasMessage("ERR unknown subcommand 'FOO'. Try CLIENT HELP.");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.CLIENT))
                .hasMessage("ERR wrong number of arguments for 'client' command");
    }
}
