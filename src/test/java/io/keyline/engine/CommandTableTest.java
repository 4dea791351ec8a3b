package io.keyline.engine;

import io.keyline.commands.StandardCommands;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class CommandTableTest {
    private final CommandTable table = StandardCommands.table();

    @Test
    void lookupIsCaseInsensitiveOnRawBytes() {
        assertThat(table.lookup("GeT".getBytes(StandardCharsets.US_ASCII))).isSameAs(table.lookup("get"));
        assertThat(table.lookup("nosuchcommand".getBytes(StandardCharsets.US_ASCII))).isNull();
    }

    @Test
    void everyCommandIsDescribed() {
        for (CommandSpec s : table.all()) {
            assertThat(s.summary()).as(s.name() + " summary").isNotBlank();
            assertThat(s.group()).as(s.name() + " group").isNotBlank();
            assertThat(s.arity()).as(s.name() + " arity").isNotZero();
            assertThat(s.aclCategories()).as(s.name() + " categories").isNotEmpty();
            if (s.isWrite()) assertThat(s.aclCategories()).contains("write");
        }
    }

    @Test
    void keyPositions() {
        byte[][] mset = {"MSET".getBytes(), "a".getBytes(), "1".getBytes(), "b".getBytes(), "2".getBytes()};
        assertThat(table.lookup("mset").keyIndexes(mset)).containsExactly(1, 3);
        byte[][] del = {"DEL".getBytes(), "a".getBytes(), "b".getBytes(), "c".getBytes()};
        assertThat(table.lookup("del").keyIndexes(del)).containsExactly(1, 2, 3);
        assertThat(table.lookup("ping").keyIndexes(new byte[][]{"PING".getBytes()})).isEmpty();
    }

    /**
     * The commands served while a script runs past busy-reply-threshold are exactly Redis 7.2's CMD_ALLOW_BUSY
     * set (the "allow_busy" flag of its commands json; the same set redis-server 7.0.15's COMMAND reports), less
     * REPLCONF, which Keyline, having no replication, does not implement.
     */
    @Test
    void allowBusyIsRedis72sSet() {
        java.util.Set<String> busy = new java.util.TreeSet<>();
        for (CommandSpec s : table.all()) {
            if (s.allowBusy) busy.add(s.name);
            for (CommandSpec sub : s.subcommands.values()) if (sub.allowBusy) busy.add(sub.name);
        }
        java.util.Set<String> redis72 = new java.util.TreeSet<>(java.util.List.of("auth", "discard", "function|kill",
                "function|stats", "hello", "multi", "quit", "replconf", "reset", "script|kill", "shutdown", "unwatch", "watch"));
        assertThat(busy).isEqualTo(redis72);
    }
}
