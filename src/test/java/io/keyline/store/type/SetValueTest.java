package io.keyline.store.type;

import io.keyline.store.EncodingLimits;
import io.keyline.util.Bytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SetValueTest {
    @AfterEach
    void restoreDefaults() {
        EncodingLimits.DEFAULTS.setMaxIntsetEntries = 512;
        EncodingLimits.DEFAULTS.setMaxListpackEntries = 128;
        EncodingLimits.DEFAULTS.setMaxListpackValue = 64;
    }

    private static byte[] b(String s) {
        return Bytes.of(s);
    }

    @Test
    void integersStayIntsetUpToTheLimitThenBecomeHashtable() {
        SetValue s = SetValue.forFirstMember(b("1"), 1);
        for (int i = 0; i < 512; i++) assertThat(s.add(Bytes.fromLong(i * 7L - 100))).isTrue();
        assertThat(s.encoding()).isEqualTo("intset");
        assertThat(s.add(b("-100"))).isFalse();
        assertThat(s.add(b("100000"))).isTrue();
        assertThat(s.encoding()).isEqualTo("hashtable");
        assertThat(s.size()).isEqualTo(513);
        assertThat(s.contains(b("-93"))).isTrue();
        // one way: shrinking does not convert back
        for (int i = 0; i < 510; i++) s.remove(Bytes.fromLong(i * 7L - 100));
        assertThat(s.encoding()).isEqualTo("hashtable");
    }

    @Test
    void nonCanonicalIntegersAreStrings() {
        SetValue s = new SetValue();
        s.add(b("1"));
        assertThat(s.encoding()).isEqualTo("intset");
        assertThat(s.contains(b("01"))).isFalse();
        s.add(b("01"));
        assertThat(s.encoding()).isEqualTo("listpack");
        assertThat(s.contains(b("01"))).isTrue();
        assertThat(s.contains(b("1"))).isTrue();
        assertThat(s.size()).isEqualTo(2);
    }

    @Test
    void listpackUpToEntriesAndValueLength() {
        SetValue s = SetValue.forFirstMember(b("a"), 1);
        s.add(b("a"));
        assertThat(s.encoding()).isEqualTo("listpack");
        for (int i = 0; i < 128; i++) s.add(b("m" + i));
        assertThat(s.size()).isEqualTo(129); // "a" + 128 -> crossed at the 129th add
        assertThat(s.encoding()).isEqualTo("hashtable");

        SetValue t = SetValue.forFirstMember(b("a"), 1);
        t.add(b("x".repeat(64)));
        assertThat(t.encoding()).isEqualTo("listpack");
        t.add(b("x".repeat(65)));
        assertThat(t.encoding()).isEqualTo("hashtable");
    }

    @Test
    void listpackEntriesThresholdIsExact() {
        SetValue s = SetValue.forFirstMember(b("m0"), 1);
        for (int i = 0; i < 128; i++) s.add(b("m" + i));
        assertThat(s.size()).isEqualTo(128);
        assertThat(s.encoding()).isEqualTo("listpack");
        s.add(b("m128"));
        assertThat(s.encoding()).isEqualTo("hashtable");
    }

    @Test
    void creationPicksEncodingFromSizeHint() {
        assertThat(SetValue.forFirstMember(b("1"), 600).encoding()).isEqualTo("hashtable");
        assertThat(SetValue.forFirstMember(b("a"), 129).encoding()).isEqualTo("hashtable");
        assertThat(SetValue.forFirstMember(b("a"), 128).encoding()).isEqualTo("listpack");
        assertThat(SetValue.forFirstMember(b("1"), 512).encoding()).isEqualTo("intset");
    }

    @Test
    void intsetWithLargeIntegersGoesToHashtableWhenValueLimitIsSmall() {
        EncodingLimits.DEFAULTS.setMaxListpackValue = 5;
        SetValue s = new SetValue();
        s.add(b("1234567"));
        s.add(b("a"));
        assertThat(s.encoding()).isEqualTo("hashtable");
    }

    @Test
    void thresholdsAreReadAtWriteTime() {
        EncodingLimits.DEFAULTS.setMaxIntsetEntries = 3;
        SetValue s = new SetValue();
        for (int i = 0; i < 3; i++) s.add(Bytes.fromLong(i));
        assertThat(s.encoding()).isEqualTo("intset");
        s.add(b("3"));
        assertThat(s.encoding()).isEqualTo("hashtable");
    }

    @Test
    void hashtableGrowsShrinksAndScansEverything() {
        SetValue s = SetValue.forFirstMember(b("x"), 1000);
        Set<String> model = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            s.add(b("k" + i));
            model.add("k" + i);
        }
        for (int i = 0; i < 4900; i++) {
            assertThat(s.remove(b("k" + i))).isTrue();
            model.remove("k" + i);
        }
        assertThat(s.size()).isEqualTo(100);
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        do {
            cursor = s.scan(cursor, 7, m -> seen.add(Bytes.str(m)));
        } while (cursor != 0);
        assertThat(seen).isEqualTo(model);
        Set<String> rnd = new HashSet<>();
        for (byte[] m : s.randomDistinct(50)) rnd.add(Bytes.str(m));
        assertThat(rnd).hasSize(50).isSubsetOf(model);
        assertThat(model).contains(Bytes.str(s.random()));
    }

    @Test
    void memoryEstimateTracksContent() {
        SetValue s = SetValue.forFirstMember(b("a"), 1000);
        long empty = s.estimatedBytes();
        for (int i = 0; i < 1000; i++) s.add(b("member-" + i));
        long full = s.estimatedBytes();
        assertThat(full - empty).isGreaterThan(1000L * 24);
        for (int i = 0; i < 1000; i++) s.remove(b("member-" + i));
        assertThat(s.estimatedBytes()).isLessThan(full / 4);
    }

    @Test
    void copyIsIndependentAndEmitBatches() {
        SetValue s = new SetValue();
        for (int i = 0; i < 150; i++) s.add(Bytes.fromLong(i));
        SetValue copy = s.copy();
        s.remove(b("1"));
        assertThat(copy.contains(b("1"))).isTrue();
        assertThat(copy.encoding()).isEqualTo("intset");
        assertThat(copy.typeName()).isEqualTo("set");
        List<byte[][]> cmds = new ArrayList<>();
        copy.emit(b("k"), cmds::add);
        assertThat(cmds).hasSize(3);
        assertThat(cmds.get(0).length).isEqualTo(66);
        assertThat(cmds.get(2).length).isEqualTo(2 + 150 - 128);
        assertThat(Bytes.str(cmds.get(0)[0])).isEqualTo("SADD");
    }
}
