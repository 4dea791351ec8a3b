package io.keyline.commands;

import io.keyline.engine.CommandSpec;
import io.keyline.engine.CommandTable;
import io.keyline.engine.KeySpec;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** Key specs evaluated as Redis's getKeysUsingKeySpecs, and in agreement with the keys the dispatcher locks. */
class KeySpecTest {
    private final CommandTable table = StandardCommands.table();

    private static byte[][] argv(String line) {
        return Arrays.stream(line.split(" ")).map(s -> s.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
    }

    private static List<Integer> positions(KeySpec spec, String line, boolean expectComplete) {
        List<int[]> found = new ArrayList<>();
        assertThat(spec.findKeys(argv(line), found)).as(line).isEqualTo(expectComplete);
        return found.stream().map(k -> k[0]).toList();
    }

    @Test
    void keywordSearchForwardFindsTheKeyAfterIt() {
        // GEORADIUS's STORE key: keyword searched from argument 6 on.
        KeySpec store = KeySpec.keyword("STORE", 6).range(0, 1, 0).flags("OW update");
        assertThat(positions(store, "georadius k 0 0 1 m store d", true)).containsExactly(7);
        assertThat(positions(store, "georadius k 0 0 1 m", true)).isEmpty(); // absent keyword: no keys, no error
    }

    @Test
    void keywordSearchBackwardAndRangeToTheEnd() {
        // MIGRATE's KEYS: searched backwards from the second to last argument.
        KeySpec keys = KeySpec.keyword("KEYS", -2).range(-1, 1, 0).flags("RW access delete incomplete");
        assertThat(positions(keys, "migrate h p x 0 5 keys a b", false)).containsExactly(7, 8);
    }

    @Test
    void rangeWithLimitTakesAShareOfTheRest() {
        // XREAD's STREAMS: half the remaining arguments are keys, the other half IDs.
        KeySpec streams = KeySpec.keyword("STREAMS", 1).range(-1, 1, 2).flags("RO access");
        assertThat(positions(streams, "xread count 2 streams a b 0 0", true)).containsExactly(4, 5);
    }

    @Test
    void keynumCountsFromItsArgumentAndRejectsBadCounts() {
        KeySpec sources = KeySpec.index(2).keynum(0, 1, 1).flags("RO access");
        assertThat(positions(sources, "zunionstore d 2 a b", true)).containsExactly(3, 4);
        assertThat(positions(sources, "zunionstore d x a", false)).isEmpty();
        assertThat(positions(sources, "zunionstore d 0 a", false)).isEmpty();
        assertThat(positions(sources, "zunionstore d 5 a", false)).isEmpty();
    }

    @Test
    void flagsPrintAsRedisAndParseInAnyCase() {
        KeySpec spec = KeySpec.index(1).range(0, 1, 0).flags("rw ACCESS Delete");
        assertThat(KeySpec.flagNames(spec.flags())).containsExactly("RW", "access", "delete");
        assertThat(spec.searchable()).isTrue();
        assertThat(KeySpec.unknown().flags("OW update").searchable()).isFalse();
    }

    /**
     * For every command with fixed key positions, the key specs find the same keys as the
     * first/last/step triple the dispatcher locks by; for commands with a key finder, on examples.
     */
    @Test
    void keySpecsAgreeWithTheLockedKeys() {
        List<CommandSpec> all = new ArrayList<>();
        for (CommandSpec s : table.all()) {
            all.add(s);
            all.addAll(s.subcommands().values());
        }
        for (CommandSpec s : all) {
            if (!s.hasKeys() || s.movableKeys()) continue;
            int argc = s.arity() > 0 ? s.arity() : -s.arity() + 2;
            if (s.keyStep() == 2 && argc % 2 == 0) argc++; // MSET-like: name plus pairs
            byte[][] args = new byte[argc][];
            for (int i = 0; i < argc; i++) args[i] = ("a" + i).getBytes(StandardCharsets.US_ASCII);
            if (s.parent() != null) args[1] = s.name().substring(s.name().indexOf('|') + 1).getBytes(StandardCharsets.US_ASCII);
            assertThat(positionsOf(CommandCommands.keysWithFlags(s, args))).as(s.name())
                    .isEqualTo(sorted(s.keyIndexes(args)));
        }
        for (String line : List.of("zunionstore d 2 a b", "zinterstore d 3 a b c weights 1 2 3", "zdiffstore d 1 a",
                "zunion 2 a b", "zintercard 2 a b limit 1", "sintercard 2 a b", "lmpop 2 a b left", "zmpop 1 a min",
                "blmpop 0 2 a b right count 2", "bzmpop 0 1 a max", "sort a", "sort a store b", "sort_ro a")) {
            byte[][] args = argv(line);
            CommandSpec s = table.lookup(args[0]);
            assertThat(positionsOf(CommandCommands.keysWithFlags(s, args))).as(line).isEqualTo(sorted(s.keyIndexes(args)));
        }
    }

    private static TreeSet<Integer> positionsOf(List<int[]> keys) {
        TreeSet<Integer> out = new TreeSet<>();
        for (int[] k : keys) out.add(k[0]);
        return out;
    }

    private static TreeSet<Integer> sorted(int[] indexes) {
        TreeSet<Integer> out = new TreeSet<>();
        for (int i : indexes) out.add(i);
        return out;
    }
}
