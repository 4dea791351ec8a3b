package io.keyline.store.type;

import io.keyline.store.EncodingLimits;
import io.keyline.util.Bytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SortedSetValueTest {
    @AfterEach
    void restoreDefaults() {
        EncodingLimits.DEFAULTS.zsetMaxListpackEntries = 128;
        EncodingLimits.DEFAULTS.zsetMaxListpackValue = 64;
    }

    private static byte[] b(String s) {
        return Bytes.of(s);
    }

    @Test
    void listpackUntilEntriesLimit() {
        SortedSetValue z = new SortedSetValue(1, 1);
        for (int i = 0; i < 128; i++) z.put(b("m" + i), i);
        assertThat(z.encoding()).isEqualTo("listpack");
        z.put(b("m128"), 128);
        assertThat(z.encoding()).isEqualTo("skiplist");
        assertThat(z.size()).isEqualTo(129);
        assertThat(z.rank(b("m100"))).isEqualTo(100);
        for (int i = 0; i < 120; i++) z.remove(b("m" + i));
        assertThat(z.encoding()).isEqualTo("skiplist");
    }

    @Test
    void longMemberConvertsToSkiplist() {
        SortedSetValue z = new SortedSetValue(1, 1);
        z.put(b("x".repeat(64)), 1);
        assertThat(z.encoding()).isEqualTo("listpack");
        z.put(b("x".repeat(65)), 2);
        assertThat(z.encoding()).isEqualTo("skiplist");
        assertThat(z.score(b("x".repeat(64)))).isEqualTo(1.0);
    }

    @Test
    void creationFollowsHints() {
        assertThat(new SortedSetValue(129, 1).encoding()).isEqualTo("skiplist");
        assertThat(new SortedSetValue(128, 65).encoding()).isEqualTo("skiplist");
        assertThat(new SortedSetValue(128, 64).encoding()).isEqualTo("listpack");
        EncodingLimits.DEFAULTS.zsetMaxListpackEntries = 0;
        assertThat(new SortedSetValue(1, 1).encoding()).isEqualTo("skiplist");
    }

    @Test
    void orderIsScoreThenUnsignedMemberBytes() {
        for (int hint : new int[] {1, 1000}) {
            SortedSetValue z = new SortedSetValue(hint, 1);
            z.put(new byte[] {(byte) 0xC3}, 1);
            z.put(b("b"), 1);
            z.put(b("a"), 1);
            z.put(b("z"), 0);
            z.put(b("neg"), Double.NEGATIVE_INFINITY);
            List<String> order = new ArrayList<>();
            z.forEach((m, s) -> order.add(m.length == 1 && m[0] == (byte) 0xC3 ? "high" : Bytes.str(m)));
            assertThat(order).containsExactly("neg", "z", "a", "b", "high");
            assertThat(z.countBelow(1, false)).isEqualTo(2);
            assertThat(z.countBelow(1, true)).isEqualTo(5);
            z.put(b("z"), 5);
            assertThat(z.rank(b("z"))).isEqualTo(4);
            assertThat(z.remove(b("z"))).isTrue();
            assertThat(z.remove(b("z"))).isFalse();
            assertThat(Double.isNaN(z.score(b("z")))).isTrue();
        }
    }

    @Test
    void copyEmitAndMemory() {
        SortedSetValue z = new SortedSetValue(1000, 10);
        long empty = z.estimatedBytes();
        for (int i = 0; i < 200; i++) z.put(b("m" + i), i / 2.0);
        assertThat(z.estimatedBytes() - empty).isGreaterThan(200L * 40);
        SortedSetValue c = z.copy();
        z.remove(b("m1"));
        assertThat(c.size()).isEqualTo(200);
        assertThat(c.encoding()).isEqualTo("skiplist");
        assertThat(c.typeName()).isEqualTo("zset");
        List<byte[][]> cmds = new ArrayList<>();
        c.emit(b("k"), cmds::add);
        assertThat(cmds).hasSize(4);
        assertThat(cmds.get(0).length).isEqualTo(2 + 128);
        assertThat(Bytes.str(cmds.get(0)[2])).isEqualTo("0");
        assertThat(Bytes.str(cmds.get(0)[5])).isEqualTo("m1");
        assertThat(Bytes.str(cmds.get(0)[4])).isEqualTo("0.5");
    }

    /** ZADD's score() then put() of one member array reuses the lookup; removals in between must not. */
    @Test
    void putAfterScoreOfTheSameMemberArray() {
        SortedSetValue z = new SortedSetValue(1000, 1);
        byte[] m = b("m");
        assertThat(z.score(m)).isNaN();
        assertThat(z.put(m, 1)).isTrue();
        assertThat(z.score(m)).isEqualTo(1);
        assertThat(z.put(m, 2)).isFalse();
        assertThat(z.score(b("m"))).isEqualTo(2);
        assertThat(z.score(m)).isEqualTo(2);
        assertThat(z.remove(b("m"))).isTrue();
        assertThat(z.put(m, 3)).isTrue();
        assertThat(z.size()).isEqualTo(1);
        assertThat(z.score(m)).isEqualTo(3);
        z.put(b("other"), 0);
        assertThat(z.put(m, 4)).isFalse();
        assertThat(z.rank(m)).isEqualTo(1);
        assertThat(z.size()).isEqualTo(2);
    }
}
