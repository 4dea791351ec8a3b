package io.keyline.store.type;

import io.keyline.store.Memory;
import io.keyline.util.Bytes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The collection tables' incremental resize ({@link MemberTable}: sets and the sorted set's member
 * dict; {@link FieldTable}: a hash's hashtable) against {@link HashSet}/{@link HashMap} models: random
 * operations in phases that grow and shrink the tables, so that many of them land while a resize is
 * half done; SCAN's guarantee with cursor steps taken while a resize runs, in both directions; random
 * sampling staying uniform mid-resize; and lookups draining the old table but leaving the footprint
 * alone (it is accounted only around writes), and moving nothing while the same table is iterated.
 */
class IncrementalRehashTest {
    private static final class Members extends MemberTable<byte[]> {
        Members(int capacity) {
            super(capacity);
        }

        @Override
        byte[] memberOf(byte[] element) {
            return element;
        }
    }

    private static ByteBuffer w(byte[] b) {
        return ByteBuffer.wrap(b);
    }

    private static byte[] member(int i) {
        return Bytes.of("m:" + i);
    }

    private static final byte[][] PLAIN_POOL = new byte[20_000][];
    static {
        for (int i = 0; i < PLAIN_POOL.length; i++) PLAIN_POOL[i] = member(i);
    }

    /**
     * 20,000 members, among them every group of "c:i" (i below 400,000) whose hashes agree in the low 31
     * bits: the tables keep hashes with the sign bit set, so such members have the same kept hash and
     * home slot, and a probe must tell them apart by their bytes (both kinds occur: hashes equal, and
     * hashes differing only in the sign bit).
     */
    private static final byte[][] COLLIDING_POOL;
    static {
        Map<Integer, List<byte[]>> byKeptHash = new HashMap<>();
        for (int i = 0; i < 400_000; i++) {
            byte[] m = Bytes.of("c:" + i);
            byKeptHash.computeIfAbsent(Bytes.hash(m) & Integer.MAX_VALUE, h -> new ArrayList<>(1)).add(m);
        }
        List<byte[]> pool = new ArrayList<>();
        boolean equalHashes = false, signBitOnly = false;
        for (List<byte[]> group : byKeptHash.values()) {
            if (group.size() < 2) continue;
            pool.addAll(group);
            equalHashes |= Bytes.hash(group.get(0)) == Bytes.hash(group.get(1));
            signBitOnly |= Bytes.hash(group.get(0)) != Bytes.hash(group.get(1));
        }
        assertThat(equalHashes && signBitOnly).as("both kinds of collision").isTrue();
        for (int i = 0; pool.size() < 20_000; i++) pool.add(member(i));
        COLLIDING_POOL = pool.toArray(new byte[0][]);
    }

    /** Counts of operations that found a resize running, and of resizes in each direction. */
    private static final class Seen {
        int opsWhileRehashing;
        int grows;
        int shrinks;

        void capacity(int before, int after, boolean rehashingBefore, boolean rehashingAfter) {
            if (!rehashingBefore && rehashingAfter) {
                if (after >= 3 * before) grows++;
                else if (after < 2 * before) shrinks++; // (same size: a member table dropping its tombstones)
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 99, 2026})
    void memberTableMatchesAHashSetThroughGrowthAndShrinking(long seed) {
        memberTableMatchesAHashSet(seed, PLAIN_POOL);
    }

    @ParameterizedTest
    @ValueSource(longs = {5, 2027})
    void memberTableTellsMembersWithTheSameKeptHashApart(long seed) {
        memberTableMatchesAHashSet(seed, COLLIDING_POOL);
    }

    private static void memberTableMatchesAHashSet(long seed, byte[][] pool) {
        Random rnd = new Random(seed);
        Members t = new Members(4);
        Set<ByteBuffer> model = new HashSet<>();
        Seen seen = new Seen();
        for (int phase = 0; phase < 8; phase++) {
            // Even phases mostly insert (growth), odd ones mostly remove (shrinking).
            int insertPercent = phase % 2 == 0 ? 80 : 5;
            int ops = 40_000 + rnd.nextInt(20_000);
            for (int k = 0; k < ops; k++) {
                byte[] m = pool[rnd.nextInt(pool.length)];
                int cap = t.capacity();
                boolean was = t.rehashing();
                if (was) seen.opsWhileRehashing++;
                int op = rnd.nextInt(100);
                if (op < insertPercent) {
                    // Both probes SADD may use: the plain one and the one that reads each slot with its hash.
                    boolean absent = (rnd.nextBoolean() ? t.get(m) : t.getBeforeInsert(m, Bytes.hash(m))) == null;
                    assertThat(absent).isEqualTo(!model.contains(w(m)));
                    if (absent) {
                        t.insertNew(m);
                        model.add(w(m));
                    }
                } else if (op < 95) {
                    byte[] removed = t.remove(m);
                    assertThat(removed != null).as("remove").isEqualTo(model.remove(w(m)));
                } else {
                    byte[] got = t.get(m);
                    assertThat(got != null).as("get").isEqualTo(model.contains(w(m)));
                    assertThat(t.getBeforeInsert(m, Bytes.hash(m))).as("getBeforeInsert").isSameAs(got);
                }
                int before = cap;
                seen.capacity(before, t.capacity(), was, t.rehashing());
                assertThat(t.size()).isEqualTo(model.size());
            }
            assertSameMembers(t, model);
            if (!model.isEmpty()) {
                for (int k = 0; k < 100; k++) assertThat(model).contains(w(t.random(ThreadLocalRandom.current())));
            }
        }
        assertThat(seen.grows).as("grows").isGreaterThan(3);
        assertThat(seen.shrinks).as("shrinks").isGreaterThan(1);
        assertThat(seen.opsWhileRehashing).as("operations during a resize").isGreaterThan(1_000);
    }

    private static void assertSameMembers(Members t, Set<ByteBuffer> model) {
        Set<ByteBuffer> all = new HashSet<>();
        int[] n = {0};
        t.forEach(m -> {
            all.add(w(m));
            n[0]++;
        });
        assertThat(n[0]).isEqualTo(model.size());
        assertThat(all).isEqualTo(model);
        Set<ByteBuffer> scanned = new HashSet<>();
        long cursor = 0;
        do {
            cursor = t.scan(cursor, 50, m -> scanned.add(w(m)));
        } while (cursor != 0);
        assertThat(scanned).isEqualTo(model);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 7, 42, 2026})
    void fieldTableMatchesAHashMapThroughGrowthAndShrinking(long seed) {
        fieldTableMatchesAHashMap(seed, PLAIN_POOL);
    }

    @ParameterizedTest
    @ValueSource(longs = {5, 2027})
    void fieldTableTellsFieldsWithTheSameKeptHashApart(long seed) {
        fieldTableMatchesAHashMap(seed, COLLIDING_POOL);
    }

    private static void fieldTableMatchesAHashMap(long seed, byte[][] pool) {
        Random rnd = new Random(seed);
        FieldTable t = new FieldTable(4);
        Map<ByteBuffer, byte[]> model = new HashMap<>();
        Seen seen = new Seen();
        FieldTable copyMidResize = null;
        Map<ByteBuffer, byte[]> modelAtCopy = null;
        for (int phase = 0; phase < 8; phase++) {
            int insertPercent = phase % 2 == 0 ? 80 : 5;
            int ops = 40_000 + rnd.nextInt(20_000);
            for (int k = 0; k < ops; k++) {
                byte[] f = pool[rnd.nextInt(pool.length)];
                int cap = t.capacity();
                boolean was = t.rehashing();
                if (was) seen.opsWhileRehashing++;
                int op = rnd.nextInt(100);
                if (op < insertPercent) {
                    byte[] v = Bytes.of("v" + rnd.nextInt(1000));
                    boolean added = t.put(f, Bytes.hash(f), v);
                    assertThat(added).isEqualTo(model.put(w(f), v) == null);
                } else if (op < 95) {
                    assertThat(t.remove(f, Bytes.hash(f))).isEqualTo(model.remove(w(f)) != null);
                } else {
                    assertThat(t.get(f, Bytes.hash(f))).isEqualTo(model.get(w(f)));
                }
                seen.capacity(cap, t.capacity(), was, t.rehashing());
                assertThat(t.size()).isEqualTo(model.size());
                if (copyMidResize == null && t.rehashing() && model.size() > 1_000) {
                    copyMidResize = t.copy();
                    modelAtCopy = new HashMap<>(model);
                }
            }
            assertSameEntries(t, model);
            if (!model.isEmpty()) {
                for (int k = 0; k < 100; k++) {
                    byte[][] pair = t.randomPair(ThreadLocalRandom.current());
                    assertThat(model.get(w(pair[0]))).isEqualTo(pair[1]);
                }
            }
        }
        assertThat(seen.grows).as("grows").isGreaterThan(3);
        assertThat(seen.shrinks).as("shrinks").isGreaterThan(1);
        assertThat(seen.opsWhileRehashing).as("operations during a resize").isGreaterThan(1_000);
        // A copy taken mid-resize is independent and finishes its own resize with the same content.
        assertThat(copyMidResize).isNotNull();
        assertSameEntries(copyMidResize, modelAtCopy);
        for (int i = 0; i < 200; i++) {
            byte[] f = Bytes.of("after-copy:" + i);
            copyMidResize.put(f, Bytes.hash(f), f);
            modelAtCopy.put(w(f), f);
        }
        copyMidResize.finishRehash();
        assertSameEntries(copyMidResize, modelAtCopy);
        assertSameEntries(t, model);
    }

    private static void assertSameEntries(FieldTable t, Map<ByteBuffer, byte[]> model) {
        Map<ByteBuffer, byte[]> all = new HashMap<>();
        int[] n = {0};
        long[] heap = {0};
        t.forEach((f, v) -> {
            all.put(w(f), v);
            n[0]++;
            heap[0] += io.keyline.store.Memory.array(f.length) + io.keyline.store.Memory.array(v.length);
        });
        assertThat(n[0]).isEqualTo(model.size());
        assertThat(all).isEqualTo(model);
        assertThat(t.dataHeap()).as("data heap").isEqualTo(heap[0]);
        Map<ByteBuffer, byte[]> scanned = new HashMap<>();
        long cursor = 0;
        do {
            cursor = t.scan(cursor, 50, (f, v) -> scanned.put(w(f), v));
        } while (cursor != 0);
        assertThat(scanned).isEqualTo(model);
    }

    /** A table in the middle of a resize of the kind asked for, holding members 0..n-1. */
    private static Members midResize(boolean grow) {
        Members t = new Members(4);
        int n = 0;
        if (grow) {
            for (; n < 3_000; n++) t.insertNew(member(n));
            t.finishRehash();
            while (!t.rehashing()) t.insertNew(member(n++));
            // A few more writes: partly moved.
            for (int k = 0; k < 5; k++) t.insertNew(member(n++));
        } else {
            for (; n < 4_000; n++) t.insertNew(member(n));
            t.finishRehash();
            while (!t.rehashing()) t.remove(member(--n));
            t.remove(member(--n));
        }
        assertThat(t.rehashing()).isTrue();
        return t;
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void randomMembersStayUniformMidResize(boolean grow) {
        Members t = midResize(grow);
        int n = t.size();
        Map<ByteBuffer, Integer> hits = new HashMap<>();
        int samples = n * 400;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int k = 0; k < samples; k++) hits.merge(w(t.random(rnd)), 1, Integer::sum);
        assertThat(t.rehashing()).as("sampling moves nothing").isTrue();
        assertThat(hits).hasSize(n);
        // Expected 400 each; a binomial's sd is 20, so 6 sd either way never fails by chance.
        for (int c : hits.values()) assertThat(c).isBetween(280, 520);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void lookupsDrainTheOldTableButOnlyWritesChangeTheFootprint(boolean grow) {
        Members t = midResize(grow);
        int n = t.size();
        long bytes = t.tableBytes();
        int capacity = t.capacity();
        // Lookups inside an iteration of the same table (SINTER k k) move nothing: each element is seen once.
        Set<ByteBuffer> walked = new HashSet<>();
        int[] visits = {0};
        t.forEach(m -> {
            assertThat(t.get(m)).isSameAs(m);
            assertThat(t.get(Bytes.of("absent"))).isNull();
            walked.add(w(m));
            visits[0]++;
        });
        assertThat(visits[0]).isEqualTo(n);
        assertThat(walked).hasSize(n);
        // Plain lookups move one element each: enough of them drain the old table.
        for (int i = 0; i < 20 * n; i++) assertThat(t.get(member(i % n))).isNotNull();
        assertThat(t.rehashing()).as("the old arrays stay until a write").isTrue();
        assertThat(t.capacity()).isEqualTo(capacity);
        assertThat(t.tableBytes()).isEqualTo(bytes);
        t.insertNew(member(n));
        assertThat(t.rehashing()).isFalse();
        assertThat(t.capacity()).isLessThan(capacity);
        assertThat(t.size()).isEqualTo(n + 1);
        for (int i = 0; i <= n; i++) assertThat(t.get(member(i))).isNotNull();
    }

    @Test
    void fieldLookupsDrainTheOldTableButOnlyWritesDropIt() {
        FieldTable t = new FieldTable(4);
        int n = 0;
        while (n < 3_000 || !t.rehashing()) {
            t.put(member(n), Bytes.hash(member(n)), member(n));
            n++;
        }
        long bytes = t.tableBytes();
        for (int i = 0; i < 20 * n; i++) assertThat(t.get(member(i % n), Bytes.hash(member(i % n)))).isEqualTo(member(i % n));
        assertThat(t.rehashing()).isTrue();
        assertThat(t.tableBytes()).isEqualTo(bytes);
        assertThat(t.remove(member(0), Bytes.hash(member(0)))).isTrue();
        assertThat(t.rehashing()).isFalse();
        assertThat(t.size()).isEqualTo(n - 1);
    }

    @Test
    void bothTablesAreAccountedWhileResizing() {
        FieldTable t = new FieldTable(4);
        int i = 0;
        for (; i < 1_000; i++) t.put(member(i), Bytes.hash(member(i)), member(i));
        t.finishRehash();
        int length = t.capacity();
        long atRest = t.tableBytes();
        assertThat(atRest).isEqualTo(fieldTableArrays(length));
        while (!t.rehashing()) {
            t.put(member(i), Bytes.hash(member(i)), member(i));
            i++;
        }
        assertThat(t.capacity()).isEqualTo(3 * length);
        assertThat(t.tableBytes()).isEqualTo(atRest + fieldTableArrays(2 * length));
        t.finishRehash();
        assertThat(t.tableBytes()).isEqualTo(fieldTableArrays(2 * length));
        // HashValue counts its table's arrays (both while resizing) and the fields' and values' heap.
        HashValue h = new HashValue();
        for (int k = 0; k < 1_000; k++) h.put(member(k), member(k));
        long data = 0;
        for (int k = 0; k < 1_000; k++) data += 2 * Memory.array(member(k).length);
        assertThat(h.estimatedBytes()).isGreaterThan(data);
    }

    /**
     * A field table's arrays of {@code capacity} slots in the running JVM's layout: an int[] of hashes, two reference
     * arrays (fields, values), and the three arrays of chunks holding them.
     */
    private static long fieldTableArrays(int capacity) {
        int chunks = Math.max(1, capacity >> io.keyline.store.Chunks.PAGE_BITS);
        return Memory.intArray(capacity) + 2 * Memory.referenceArray(capacity) + 3 * Memory.referenceArray(chunks);
    }

    /** What the SCAN test needs of a table. */
    private interface Table {
        void add(byte[] m);

        void remove(byte[] m);

        long scan(long cursor, long count, java.util.function.Consumer<byte[]> emit);

        boolean rehashing();

        int capacity();
    }

    private static Table members() {
        Members t = new Members(4);
        return new Table() {
            public void add(byte[] m) {
                t.insertNew(m);
            }

            public void remove(byte[] m) {
                assertThat(t.remove(m)).isNotNull();
            }

            public long scan(long cursor, long count, java.util.function.Consumer<byte[]> emit) {
                return t.scan(cursor, count, emit);
            }

            public boolean rehashing() {
                return t.rehashing();
            }

            public int capacity() {
                return t.capacity();
            }
        };
    }

    private static Table fields() {
        FieldTable t = new FieldTable(4);
        return new Table() {
            public void add(byte[] m) {
                assertThat(t.put(m, Bytes.hash(m), m)).isTrue();
            }

            public void remove(byte[] m) {
                assertThat(t.remove(m, Bytes.hash(m))).isTrue();
            }

            public long scan(long cursor, long count, java.util.function.Consumer<byte[]> emit) {
                return t.scan(cursor, count, (f, v) -> emit.accept(f));
            }

            public boolean rehashing() {
                return t.rehashing();
            }

            public int capacity() {
                return t.capacity();
            }
        };
    }

    /**
     * SCAN's guarantee with most cursor steps taken while a resize runs: between steps a few writes
     * (which each move a few old elements) keep the resize going, and whenever none runs a burst of
     * inserts starts the next doubling, or (once the table is big) a burst of removes the next
     * shrink, so the scan sees several of each.
     */
    private static void scanReturnsEveryStableElementWhileResizesRun(Table t, long seed) {
        Random rnd = new Random(seed);
        int stable = 1_000;
        for (int i = 0; i < stable; i++) t.add(Bytes.of("stable:" + i));
        List<byte[]> churn = new ArrayList<>();
        int next = 0;
        Set<ByteBuffer> seen = new HashSet<>();
        long cursor = 0;
        int stepsWhileRehashing = 0, steps = 0, grows = 0, shrinks = 0;
        boolean growing = true;
        do {
            if (!t.rehashing()) {
                int cap = t.capacity();
                if (growing) {
                    while (!t.rehashing()) {
                        byte[] m = Bytes.of("churn:" + next++);
                        t.add(m);
                        churn.add(m);
                    }
                } else {
                    while (!t.rehashing() && !churn.isEmpty()) t.remove(churn.remove(churn.size() - 1));
                }
                if (t.rehashing() && t.capacity() >= 3 * cap) grows++;
                else if (t.rehashing() && t.capacity() < 2 * cap) shrinks++;
                if (churn.size() > 6_000) growing = false;
                if (churn.isEmpty()) growing = true;
            }
            if (t.rehashing()) stepsWhileRehashing++;
            cursor = t.scan(cursor, 1 + rnd.nextInt(2), m -> seen.add(w(m)));
            steps++;
            for (int k = rnd.nextInt(9); k > 0; k--) {
                if (rnd.nextBoolean() || churn.isEmpty()) {
                    byte[] m = Bytes.of("churn:" + next++);
                    t.add(m);
                    churn.add(m);
                } else {
                    t.remove(churn.remove(rnd.nextInt(churn.size())));
                }
            }
        } while (cursor != 0 && steps < 1_000_000);
        assertThat(cursor).as("scan finished").isZero();
        for (int i = 0; i < stable; i++) assertThat(seen).as("stable:" + i).contains(w(Bytes.of("stable:" + i)));
        assertThat(stepsWhileRehashing).as("steps during a resize").isGreaterThan(steps / 2);
        assertThat(grows).as("grows during the scan").isGreaterThan(1);
        assertThat(shrinks).as("shrinks during the scan (steps %d, grows %d, during %d)", steps, grows, stepsWhileRehashing).isGreaterThan(1);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void scanReturnsEveryStableMemberWhileResizesRun(long seed) {
        scanReturnsEveryStableElementWhileResizesRun(members(), seed);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void hscanReturnsEveryStableFieldWhileResizesRun(long seed) {
        scanReturnsEveryStableElementWhileResizesRun(fields(), seed);
    }

    @Test
    void noSingleInsertMovesTheWholeTable() {
        Members t = new Members(4);
        int i = 0;
        while (t.capacity() < 1 << 16) t.insertNew(member(i++));
        t.finishRehash();
        int cap = t.capacity();
        while (!t.rehashing()) t.insertNew(member(i++));
        // The insert that started the doubling moved nothing; the next ones move a few each.
        for (int k = 0; k < 100; k++) {
            t.insertNew(member(i++));
            assertThat(t.rehashing()).isTrue();
        }
        assertThat(t.capacity()).isEqualTo(cap + 2 * cap);
        t.finishRehash();
        assertThat(t.capacity()).isEqualTo(2 * cap);
        assertThat(t.size()).isEqualTo(i);
    }
}
