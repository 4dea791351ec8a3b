package io.keyline.store.type;

import io.keyline.util.Bytes;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SCAN's guarantee for the collection tables (SSCAN, ZSCAN, HSCAN): an element present from the
 * first cursor step to the last is returned at least once, while the table grows and shrinks
 * between steps.
 */
class ScanGuaranteeTest {
    private static final int STABLE = 300;

    private static final class Members extends MemberTable<byte[]> {
        Members() {
            super(4);
        }

        @Override
        byte[] memberOf(byte[] element) {
            return element;
        }
    }

    private static ByteBuffer w(byte[] b) {
        return ByteBuffer.wrap(b);
    }

    private static byte[] stable(int i) {
        return Bytes.of("stable:" + i);
    }

    private static byte[] churn(int i) {
        return Bytes.of("churn:" + i);
    }

    /** Between cursor steps the churn grows the table a lot, then is removed so the table shrinks. */
    private interface Collection {
        void add(byte[] m);

        void remove(byte[] m);

        long scan(long cursor, long count, Consumer<byte[]> emit);
    }

    private static Set<ByteBuffer> scanWithChurn(Collection c, long seed, int[] resizes, java.util.function.IntSupplier capacity) {
        Random rnd = new Random(seed);
        for (int i = 0; i < STABLE; i++) c.add(stable(i));
        Set<ByteBuffer> seen = new HashSet<>();
        List<byte[]> live = new ArrayList<>();
        int next = 0;
        long cursor = 0;
        int lastCapacity = capacity.getAsInt();
        int steps = 0;
        do {
            cursor = c.scan(cursor, 1 + rnd.nextInt(8), m -> seen.add(w(m)));
            steps++;
            if (rnd.nextInt(3) == 0 || live.size() > 4_000) {
                for (byte[] m : live) c.remove(m); // shrink back
                live.clear();
            } else {
                int n = rnd.nextInt(600);
                for (int i = 0; i < n; i++) {
                    byte[] m = churn(next++);
                    c.add(m);
                    live.add(m);
                }
            }
            int cap = capacity.getAsInt();
            if (cap != lastCapacity) resizes[0]++;
            lastCapacity = cap;
        } while (cursor != 0 && steps < 100_000);
        assertThat(cursor).as("scan finished").isZero();
        return seen;
    }

    private static void assertAllStableSeen(Set<ByteBuffer> seen) {
        for (int i = 0; i < STABLE; i++) assertThat(seen).as("stable:" + i).contains(w(stable(i)));
    }

    @Test
    void memberTableScanReturnsEveryStableElementAcrossGrowAndShrink() {
        for (long seed = 1; seed <= 8; seed++) {
            Members t = new Members();
            int[] resizes = {0};
            Set<ByteBuffer> seen = scanWithChurn(new Collection() {
                public void add(byte[] m) {
                    t.insertNew(m);
                }

                public void remove(byte[] m) {
                    t.remove(m);
                }

                public long scan(long cursor, long count, Consumer<byte[]> emit) {
                    return t.scan(cursor, count, emit);
                }
            }, seed, resizes, t::capacity);
            assertAllStableSeen(seen);
            assertThat(resizes[0]).as("the table resized during the scan").isGreaterThan(2);
        }
    }

    @Test
    void memberTableScanWithoutChangesReturnsEachElementOnce() {
        Members t = new Members();
        for (int i = 0; i < 1000; i++) t.insertNew(stable(i));
        List<byte[]> out = new ArrayList<>();
        long cursor = 0;
        do {
            cursor = t.scan(cursor, 7, out::add);
        } while (cursor != 0);
        assertThat(out).hasSize(1000);
        Set<ByteBuffer> distinct = new HashSet<>();
        for (byte[] m : out) distinct.add(w(m));
        assertThat(distinct).hasSize(1000);
    }

    @Test
    void memberTableScanAcceptsACursorBeyondTheTable() {
        Members t = new Members();
        for (int i = 0; i < 10; i++) t.insertNew(stable(i));
        assertThat(t.scan(1L << 40, 100, m -> { })).isLessThan(t.capacity());
    }

    @Test
    void sscanOnHashtableSetKeepsTheGuarantee() {
        for (long seed = 1; seed <= 4; seed++) {
            SetValue s = new SetValue();
            int[] resizes = {0};
            Set<ByteBuffer> seen = scanWithChurn(new Collection() {
                public void add(byte[] m) {
                    s.add(m);
                }

                public void remove(byte[] m) {
                    s.remove(m);
                }

                public long scan(long cursor, long count, Consumer<byte[]> emit) {
                    return s.scan(cursor, count, emit);
                }
            }, seed, resizes, () -> 0);
            assertThat(s.encoding()).isEqualTo("hashtable");
            assertAllStableSeen(seen);
        }
    }

    @Test
    void zscanOnSkiplistKeepsTheGuarantee() {
        for (long seed = 1; seed <= 4; seed++) {
            SortedSetValue z = new SortedSetValue();
            Set<ByteBuffer> seen = scanWithChurn(new Collection() {
                public void add(byte[] m) {
                    z.put(m, m.length);
                }

                public void remove(byte[] m) {
                    z.remove(m);
                }

                public long scan(long cursor, long count, Consumer<byte[]> emit) {
                    return z.scan(cursor, count, (m, score) -> emit.accept(m));
                }
            }, seed, new int[1], () -> 0);
            assertThat(z.encoding()).isEqualTo("skiplist");
            assertAllStableSeen(seen);
        }
    }

    @Test
    void hscanOnHashtableKeepsTheGuarantee() {
        for (long seed = 1; seed <= 4; seed++) {
            HashValue h = new HashValue();
            Set<ByteBuffer> seen = scanWithChurn(new Collection() {
                public void add(byte[] m) {
                    h.put(m, m, 128, 64);
                }

                public void remove(byte[] m) {
                    h.remove(m);
                }

                public long scan(long cursor, long count, Consumer<byte[]> emit) {
                    return h.scan(cursor, count, (f, v) -> emit.accept(f));
                }
            }, seed, new int[1], () -> 0);
            assertThat(h.encoding()).isEqualTo("hashtable");
            assertAllStableSeen(seen);
        }
    }
}
