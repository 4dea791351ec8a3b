package io.keyline.store.type;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class HashValueTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void listpackKeepsInsertionOrderAndConvertsPastEntryLimit() {
        HashValue h = new HashValue();
        for (int i = 0; i < 4; i++) assertThat(h.put(b("f" + i), b("v" + i), 4, 64)).isTrue();
        assertThat(h.encoding()).isEqualTo("listpack");
        assertThat(h.typeName()).isEqualTo("hash");
        assertThat(h.put(b("f1"), b("new"), 4, 64)).isFalse();
        List<String> order = new ArrayList<>();
        h.forEach((f, v) -> order.add(new String(f) + "=" + new String(v)));
        assertThat(order).containsExactly("f0=v0", "f1=new", "f2=v2", "f3=v3");
        h.put(b("f4"), b("v4"), 4, 64);
        assertThat(h.encoding()).isEqualTo("hashtable");
        assertThat(new String(h.get(b("f1")))).isEqualTo("new");
        assertThat(h.size()).isEqualTo(5);
        // never converts back
        for (int i = 0; i < 5; i++) h.remove(b("f" + i));
        assertThat(h.isEmpty()).isTrue();
        assertThat(h.encoding()).isEqualTo("hashtable");
    }

    @Test
    void packedListpackHandlesMultiByteLengthsReplaceAndRemove() {
        HashValue h = new HashValue();
        byte[] big = new byte[300];
        java.util.Arrays.fill(big, (byte) 'x');
        h.put(b("a"), b("1"), 128, 100_000);
        h.put(b("big"), big, 128, 100_000);
        h.put(b("c"), b("3"), 128, 100_000);
        assertThat(h.encoding()).isEqualTo("listpack");
        assertThat(h.get(b("big"))).isEqualTo(big);
        h.put(b("big"), b("small"), 128, 100_000);
        assertThat(new String(h.get(b("big")))).isEqualTo("small");
        h.put(b("a"), new byte[20_000], 128, 100_000);
        assertThat(h.get(b("a"))).hasSize(20_000);
        assertThat(new String(h.get(b("c")))).isEqualTo("3");
        assertThat(h.remove(b("a"))).isTrue();
        List<String> order = new ArrayList<>();
        h.forEach((f, v) -> order.add(new String(f) + "=" + new String(v)));
        assertThat(order).containsExactly("big=small", "c=3");
        assertThat(h.get(b(""))).isNull();
        h.put(b(""), b(""), 128, 100_000);
        assertThat(h.get(b(""))).isEmpty();
        assertThat(h.size()).isEqualTo(3);
    }

    @Test
    void longFieldOrValueConvertsPastValueLimit() {
        HashValue h = new HashValue();
        h.put(b("f"), new byte[64], 128, 64);
        assertThat(h.encoding()).isEqualTo("listpack");
        h.put(b("g"), new byte[65], 128, 64);
        assertThat(h.encoding()).isEqualTo("hashtable");
        HashValue k = new HashValue();
        k.put(new byte[65], b("v"), 128, 64);
        assertThat(k.encoding()).isEqualTo("hashtable");
    }

    @Test
    void tableMatchesHashMapUnderRandomOps() {
        long seed = new Random().nextLong();
        Random rnd = new Random(seed);
        HashValue h = new HashValue();
        Map<String, String> model = new HashMap<>();
        for (int step = 0; step < 50_000; step++) {
            String f = "f" + rnd.nextInt(3000);
            if (rnd.nextInt(3) == 0) {
                assertThat(h.remove(b(f))).as("seed %d", seed).isEqualTo(model.remove(f) != null);
            } else {
                String v = "v" + step;
                assertThat(h.put(b(f), b(v), 16, 64)).as("seed %d", seed).isEqualTo(model.put(f, v) == null);
            }
            if (step % 1000 == 0) {
                for (Map.Entry<String, String> e : model.entrySet()) {
                    assertThat(new String(h.get(b(e.getKey())))).as("seed %d", seed).isEqualTo(e.getValue());
                }
            }
        }
        assertThat(h.size()).isEqualTo(model.size());
        Map<String, String> all = new HashMap<>();
        h.forEach((f, v) -> all.put(new String(f), new String(v)));
        assertThat(all).isEqualTo(model);
    }

    @Test
    void scanReturnsEveryFieldPresentThroughoutEvenWhileGrowing() {
        HashValue h = new HashValue();
        for (int i = 0; i < 1000; i++) h.put(b("stable" + i), b("v"), 0, 64);
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int extra = 0;
        do {
            cursor = h.scan(cursor, 10, (f, v) -> seen.add(new String(f)));
            // grow the table during the scan
            for (int i = 0; i < 50; i++) h.put(b("extra" + extra++), b("v"), 0, 64);
        } while (cursor != 0);
        for (int i = 0; i < 1000; i++) assertThat(seen).contains("stable" + i);
    }

    @Test
    void scanOfListpackReturnsEverythingAtOnce() {
        HashValue h = new HashValue();
        h.put(b("a"), b("1"), 128, 64);
        h.put(b("b"), b("2"), 128, 64);
        List<String> out = new ArrayList<>();
        assertThat(h.scan(0, 1, (f, v) -> out.add(new String(f)))).isEqualTo(0);
        assertThat(out).containsExactly("a", "b");
    }

    @Test
    void copyRewriteAndMemory() {
        HashValue h = new HashValue();
        long empty = h.estimatedBytes();
        for (int i = 0; i < 100; i++) h.put(b("f" + i), b("v" + i), 128, 64);
        assertThat(h.estimatedBytes()).isGreaterThan(empty + 100 * 2 * 3);
        HashValue copy = h.copy();
        h.remove(b("f0"));
        assertThat(copy.get(b("f0"))).isNotNull();
        assertThat(copy.size()).isEqualTo(100);
        List<byte[][]> cmds = new ArrayList<>();
        copy.emit(b("k"), cmds::add);
        assertThat(cmds).hasSize(2);
        assertThat(cmds.get(0).length).isEqualTo(2 + 128);
        assertThat(cmds.get(1).length).isEqualTo(2 + 72);
        assertThat(new String(cmds.get(0)[0])).isEqualTo("HSET");
        HashValue big = new HashValue();
        for (int i = 0; i < 200; i++) big.put(b("f" + i), b("v"), 128, 64);
        HashValue bigCopy = big.copy();
        big.remove(b("f1"));
        assertThat(bigCopy.encoding()).isEqualTo("hashtable");
        assertThat(bigCopy.get(b("f1"))).isNotNull();
        assertThat(bigCopy.estimatedBytes()).isGreaterThan(big.estimatedBytes());
    }
}
