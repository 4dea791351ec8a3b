package io.keyline.integration;

import io.keyline.engine.CommandSpec;
import io.keyline.engine.CommandTable;
import io.keyline.commands.StandardCommands;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Protocol;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** COMMAND and its subcommands, generated from the command table. */
class CommandTableIT extends ServerTestBase {
    private final CommandTable table = StandardCommands.table();

    @Test
    void countAndAllMatchTheTable() {
        long count = (Long) jedis.sendCommand(Protocol.Command.COMMAND, "COUNT");
        assertThat(count).isEqualTo(table.size());
        List<?> all = (List<?>) jedis.sendCommand(Protocol.Command.COMMAND);
        assertThat(all).hasSize(table.size());
        assertThat(lettuce.commandCount()).isEqualTo(table.size());
        assertThat(lettuce.command()).hasSize(table.size());
    }

    @Test
    void infoHasRedis7Shape() throws Exception {
        String get = raw("COMMAND INFO get\r\n", 330);
        assertThat(get).startsWith("*1\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n"
                + "*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n");
        assertThat(get).endsWith("$5\r\nlimit\r\n:0\r\n*0\r\n");
        List<?> info = (List<?>) jedis.sendCommand(Protocol.Command.COMMAND, "INFO", "config", "nosuch", "config|get");
        assertThat(info).hasSize(3);
        assertThat(info.get(1)).isNull();
        List<?> config = (List<?>) info.get(0);
        assertThat(new String((byte[]) config.get(0))).isEqualTo("config");
        assertThat(config.get(1)).isEqualTo(-2L);
        assertThat((List<?>) config.get(9)).hasSize(table.lookup("config").subcommands().size());
        List<?> configGet = (List<?>) info.get(2);
        assertThat(new String((byte[]) configGet.get(0))).isEqualTo("config|get");
        assertThat(configGet.get(1)).isEqualTo(-3L);
        assertThat(((List<?>) configGet.get(2)).stream().map(o -> new String((byte[]) o)).toList())
                .containsExactly("admin", "noscript", "loading", "stale");
        assertThat(((List<?>) configGet.get(6)).stream().map(o -> new String((byte[]) o)).toList())
                .containsExactly("@admin", "@slow", "@dangerous");
    }

    @Test
    void everyCommandIsDocumentedAndConsistent() {
        for (CommandSpec spec : table.all()) {
            assertThat(spec.summary()).as(spec.name()).isNotBlank();
            assertThat(spec.since()).as(spec.name()).matches("\\d+\\.\\d+\\.\\d+");
            assertThat(spec.group()).as(spec.name()).isNotBlank();
            assertThat(spec.arity()).as(spec.name()).isNotZero();
            for (CommandSpec sub : spec.subcommands().values()) {
                assertThat(sub.name()).startsWith(spec.name() + "|");
                assertThat(sub.summary()).as(sub.name()).isNotBlank();
            }
        }
        assertThat(table.lookup("debug").hasFlag(CommandSpec.Flag.PROTECTED)).isTrue();
        assertThat(table.lookup("shutdown").hasFlag(CommandSpec.Flag.NO_MULTI)).isTrue();
        assertThat(table.lookup("config").subcommands().get("set").hasFlag(CommandSpec.Flag.ADMIN)).isTrue();
    }

    @Test
    void docsAreAMap() throws Exception {
        List<?> docs = (List<?>) jedis.sendCommand(Protocol.Command.COMMAND, "DOCS", "get", "config");
        assertThat(docs).hasSize(4); // RESP2: name, docs, name, docs
        assertThat(new String((byte[]) docs.get(0))).isEqualTo("get");
        List<String> getDocs = ((List<?>) docs.get(1)).stream().map(o -> new String((byte[]) o)).toList();
        assertThat(getDocs).containsExactly("summary", "Returns the string value of a key.", "since", "1.0.0",
                "group", "string", "complexity", "O(1)");
        List<?> configDocs = (List<?>) docs.get(3);
        assertThat(new String((byte[]) configDocs.get(8))).isEqualTo("subcommands");
        assertThat(raw("HELLO 3\r\nCOMMAND DOCS get\r\n", 2000)).contains("%1\r\n$3\r\nget\r\n%4\r\n$7\r\nsummary\r\n");
        assertThat(raw("COMMAND DOCS nosuch\r\n", 4)).isEqualTo("*0\r\n");
    }

    @Test
    void listAndFilters() {
        List<?> all = (List<?>) jedis.sendCommand(Protocol.Command.COMMAND, "LIST");
        List<String> names = all.stream().map(o -> new String((byte[]) o)).toList();
        assertThat(names).contains("get", "config", "config|get", "client|list").doesNotHaveDuplicates();
        List<String> conf = ((List<?>) jedis.sendCommand(Protocol.Command.COMMAND, "LIST", "FILTERBY", "PATTERN", "conf*"))
                .stream().map(o -> new String((byte[]) o)).toList();
        assertThat(conf).containsExactlyInAnyOrder("config", "config|get", "config|set", "config|resetstat",
                "config|rewrite", "config|help");
        List<String> admin = ((List<?>) jedis.sendCommand(Protocol.Command.COMMAND, "LIST", "FILTERBY", "ACLCAT", "admin"))
                .stream().map(o -> new String((byte[]) o)).toList();
        assertThat(admin).contains("debug", "shutdown", "config|set").doesNotContain("get");
        assertThat((List<?>) jedis.sendCommand(Protocol.Command.COMMAND, "LIST", "FILTERBY", "MODULE", "x")).isEmpty();
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.COMMAND, "LIST", "FILTERBY", "foo", "x"))
                .hasMessage("ERR syntax error");
    }

    @Test
    void getkeysAndFlags() throws Exception {
        List<?> keys = (List<?>) jedis.sendCommand(Protocol.Command.COMMAND, "GETKEYS", "del", "a", "b", "c");
        assertThat(keys.stream().map(o -> new String((byte[]) o)).toList()).containsExactly("a", "b", "c");
        assertThat(raw("COMMAND GETKEYSANDFLAGS get k\r\n", 30)).isEqualTo("*1\r\n*2\r\n$1\r\nk\r\n*2\r\n+RO\r\n+access\r\n");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.COMMAND, "GETKEYS", "foo", "x"))
                .hasMessage("ERR Invalid command specified");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.COMMAND, "GETKEYS", "ping", "x"))
                .hasMessage("ERR The command has no key arguments");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.COMMAND, "GETKEYS", "set", "a"))
                .hasMessage("ERR Invalid number of arguments specified for command");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.COMMAND, "GETKEYS", "config", "get"))
                .hasMessage("ERR The command has no key arguments");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.COMMAND, "GETKEYS", "get"))
                .hasMessage("ERR Invalid number of arguments specified for command"); // 7.2 arity (-3)
    }

    /** Redis 7.2 replies that the 7.0.15 reference server cannot check (compat/connection.txt ignores them). */
    @Test
    void infoWhereRedis72DiffersFrom70() throws Exception {
        // ZRANK/ZREVRANK gained WITHSCORE in 7.2: arity -3.
        List<?> zrank = (List<?>) ((List<?>) jedis.sendCommand(Protocol.Command.COMMAND, "INFO", "zrank")).get(0);
        assertThat(zrank.get(1)).isEqualTo(-3L);
        List<?> zrevrank = (List<?>) ((List<?>) jedis.sendCommand(Protocol.Command.COMMAND, "INFO", "zrevrank")).get(0);
        assertThat(zrevrank.get(1)).isEqualTo(-3L);
        // COMMAND GETKEYS takes just the command name in 7.2 (arity -3).
        List<?> getkeys = (List<?>) ((List<?>) jedis.sendCommand(Protocol.Command.COMMAND, "INFO", "command|getkeys")).get(0);
        assertThat(getkeys.get(1)).isEqualTo(-3L);
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.COMMAND, "GETKEYS", "ping"))
                .hasMessage("ERR The command has no key arguments");
        // CLIENT SETINFO and CLIENT NO-TOUCH are new in 7.2: no key specs, no tips.
        assertThat(raw("COMMAND INFO client|no-touch\r\n", 118)).isEqualTo("*1\r\n*10\r\n$15\r\nclient|no-touch\r\n:3\r\n"
                + "*3\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n*2\r\n+@slow\r\n+@connection\r\n*0\r\n*0\r\n*0\r\n");
    }

    @Test
    void keySpecsAndTipsAsRedis() throws Exception {
        // LMOVE: two specs, source "RW access delete", destination "RW insert".
        String lmove = raw("COMMAND INFO lmove\r\n", 526);
        assertThat(lmove).contains("*0\r\n*2\r\n*6\r\n$5\r\nflags\r\n*3\r\n+RW\r\n+access\r\n+delete\r\n");
        assertThat(lmove).contains("$5\r\nflags\r\n*2\r\n+RW\r\n+insert\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n"
                + "$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:2\r\n");
        // DEL: tips as bulk strings, RM delete over all arguments.
        String del = raw("COMMAND INFO del\r\n", 366);
        assertThat(del).contains("*2\r\n$26\r\nrequest_policy:multi_shard\r\n$23\r\nresponse_policy:agg_sum\r\n");
        assertThat(del).contains("*2\r\n+RM\r\n+delete\r\n");
        assertThat(del).contains("$7\r\nlastkey\r\n:-1\r\n");
        // ZUNIONSTORE's sources: a keynum find_keys after the destination.
        assertThat(raw("COMMAND INFO zunionstore\r\n", 550)).contains("$4\r\ntype\r\n$6\r\nkeynum\r\n$4\r\nspec\r\n*6\r\n"
                + "$9\r\nkeynumidx\r\n:0\r\n$8\r\nfirstkey\r\n:1\r\n$7\r\nkeystep\r\n:1\r\n");
        // SET ... GET reads the old value; SORT's STORE key is overwritten.
        assertThat(raw("COMMAND GETKEYSANDFLAGS set k v\r\n", 33)).isEqualTo("*1\r\n*2\r\n$1\r\nk\r\n*2\r\n+OW\r\n+update\r\n");
        assertThat(raw("COMMAND GETKEYSANDFLAGS set k v get\r\n", 42))
                .isEqualTo("*1\r\n*2\r\n$1\r\nk\r\n*3\r\n+RW\r\n+access\r\n+update\r\n");
        assertThat(raw("COMMAND GETKEYSANDFLAGS sort a store b\r\n", 62))
                .isEqualTo("*2\r\n*2\r\n$1\r\na\r\n*2\r\n+RO\r\n+access\r\n*2\r\n$1\r\nb\r\n*2\r\n+OW\r\n+update\r\n");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.COMMAND, "GETKEYS", "zunionstore", "d", "0", "a"))
                .hasMessage("ERR Invalid arguments specified for command");
        // Every command with keys declares Redis's key specs.
        for (CommandSpec spec : table.all()) {
            if (spec.hasKeys()) assertThat(spec.keySpecs()).as(spec.name()).isNotEmpty();
            for (CommandSpec sub : spec.subcommands().values()) {
                if (sub.hasKeys()) assertThat(sub.keySpecs()).as(sub.name()).isNotEmpty();
            }
        }
    }

    @Test
    void helpAndErrors() throws Exception {
        assertThat(raw("COMMAND HELP\r\n", 80)).startsWith("*21\r\n+COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+(no subcommand)\r\n");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.COMMAND, "FOO"))
                .hasMessage("ERR unknown subcommand 'FOO'. Try COMMAND HELP.");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.COMMAND, "COUNT", "x"))
                .hasMessage("ERR wrong number of arguments for 'command|count' command");
    }
}
