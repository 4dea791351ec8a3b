package io.keyline.store.type;

import io.keyline.store.type.StreamValue.Id;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The packed node layout against a plain TreeMap: appends, deletes, trims, ranges both ways, copies. */
class StreamValueNodesTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> flat(byte[][] f) {
        List<String> out = new ArrayList<>();
        for (byte[] x : f) out.add(new String(x, StandardCharsets.UTF_8));
        return out;
    }

    @Test
    void matchesATreeMapUnderRandomOperations() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        try {
            for (int round = 0; round < 20; round++) {
                StreamValue s = new StreamValue();
                TreeMap<Id, List<String>> model = new TreeMap<>();
                int maxEntries = 1 + r.nextInt(10);
                long maxBytes = r.nextBoolean() ? 4096 : 40 + r.nextInt(200);
                long ms = r.nextInt(5), seq = 0;
                for (int op = 0; op < 600; op++) {
                    int k = r.nextInt(10);
                    if (k < 6) {
                        if (r.nextBoolean()) ms += r.nextInt(1000); else seq++;
                        Id id = new Id(ms, seq);
                        if (!model.isEmpty() && id.compareTo(model.lastKey()) <= 0 || id.compareTo(s.lastId()) <= 0) {
                            seq = s.lastId().seq() + 1;
                            ms = s.lastId().ms();
                            id = new Id(ms, seq);
                        }
                        int pairs = 1 + r.nextInt(3);
                        byte[][] f = new byte[pairs * 2][];
                        for (int i = 0; i < pairs; i++) {
                            f[2 * i] = b(r.nextInt(4) == 0 ? "g" + r.nextInt(3) : "f" + i);
                            f[2 * i + 1] = b("v".repeat(r.nextInt(r.nextInt(20) == 0 ? 300 : 8)) + op);
                        }
                        s.append(id, f, 0, f.length, maxEntries, maxBytes);
                        model.put(id, flat(f));
                    } else if (k < 8 && !model.isEmpty()) {
                        Id victim = r.nextBoolean() ? new ArrayList<>(model.keySet()).get(r.nextInt(model.size())) : new Id(r.nextInt(2000), 0);
                        assertThat(s.delete(victim)).isEqualTo(model.remove(victim) != null);
                    } else if (k == 8) {
                        long max = r.nextInt(Math.max(1, model.size() + 1));
                        boolean approx = r.nextBoolean();
                        long before = s.length();
                        long removed = s.trimMaxLen(max, 0, approx);
                        for (long i = 0; i < removed; i++) model.pollFirstEntry();
                        assertThat(s.length()).isEqualTo(before - removed);
                        if (!approx) assertThat(s.length()).isLessThanOrEqualTo(max);
                    } else if (!model.isEmpty()) {
                        Id min = new ArrayList<>(model.keySet()).get(r.nextInt(model.size()));
                        boolean approx = r.nextBoolean();
                        long removed = s.trimMinId(min, 0, approx);
                        for (long i = 0; i < removed; i++) assertThat(model.pollFirstEntry().getKey()).isLessThan(min);
                        if (!approx) assertThat(model.isEmpty() || model.firstKey().compareTo(min) >= 0).isTrue();
                    }
                    check(s, model, r);
                }
                StreamValue c = s.copy();
                s.append(s.lastId().next(), new byte[][] {b("x"), b("y")}, 0, 2, maxEntries, maxBytes);
                check(c, model, r);
            }
        } catch (AssertionError e) {
            throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
        }
    }

    private static void check(StreamValue s, TreeMap<Id, List<String>> model, Random r) {
        assertThat(s.length()).isEqualTo(model.size());
        assertThat(s.firstId()).isEqualTo(model.isEmpty() ? Id.ZERO : model.firstKey());
        List<Id> fwd = new ArrayList<>();
        s.forEach(Id.ZERO, Id.MAX, false, (id, f) -> {
            assertThat(flat(f)).isEqualTo(model.get(id));
            fwd.add(id);
            return true;
        });
        assertThat(fwd).containsExactlyElementsOf(model.keySet());
        if (model.isEmpty()) return;
        List<Id> keys = new ArrayList<>(model.keySet());
        Id a = keys.get(r.nextInt(keys.size()));
        Id z = keys.get(r.nextInt(keys.size()));
        if (a.compareTo(z) > 0) { Id t = a; a = z; z = t; }
        List<Id> rev = new ArrayList<>();
        s.forEach(a, z, true, (id, f) -> rev.add(id));
        assertThat(rev).containsExactlyElementsOf(model.subMap(a, true, z, true).descendingKeySet());
        Id probe = keys.get(r.nextInt(keys.size()));
        assertThat(flat(s.get(probe))).isEqualTo(model.get(probe));
        assertThat(s.higherId(probe)).isEqualTo(model.higherKey(probe));
        Map.Entry<Id, byte[][]> last = s.last();
        assertThat(last.getKey()).isEqualTo(model.lastKey());
    }
}
