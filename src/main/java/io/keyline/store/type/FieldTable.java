package io.keyline.store.type;

import io.keyline.store.Chunks;
import io.keyline.store.Memory;

import java.util.Arrays;
import java.util.function.BiConsumer;
import java.util.random.RandomGenerator;

/**
 * A hash's {@code hashtable} encoding: open addressing with linear probing over three parallel
 * arrays (each field's {@link io.keyline.util.Bytes#hash}, the field, the value), held as
 * {@link Chunks}. At rest a delete shifts later members of the cluster back (no tombstones), so every
 * field sits in the run of occupied slots that starts at its home slot ({@code hash & mask}), which
 * {@link #scan} relies on.
 *
 * <p><b>Resizing is incremental</b>, as in {@link MemberTable} and the key tables: at a load of 3/4
 * (or below 1/8) a second table is started and every write moves up to {@link MemberTable#REHASH_STEP}
 * fields into it (passing at most ten times as many empty slots), so no HSET copies the whole hash:
 * the one-step doubling of a 393k-field hash (three new arrays of 1M slots, zeroed and faulted in,
 * then filled) stalled its HSET for over 300 ms (bench/results/2026-12-07-rehash.md). New fields go
 * to the new table; a field leaving the old table leaves a tombstone there, so the old table's
 * probe sequences stay intact and the moves, which walk it in index order, cannot miss a field a
 * backward shift would have carried behind them. The new table deletes by backward shift. Lookups
 * move a few fields each, except while the table is iterated, and only writes drop the drained old
 * arrays (see {@link MemberTable}: iteration and accounting).
 *
 * <p>Also keeps the heap of the fields and values it holds ({@link #dataHeap}). Not thread-safe.
 */
final class FieldTable {
    /** An old-table slot whose field moved out or was deleted during a resize (compared by identity). */
    private static final byte[] TOMBSTONE = new byte[0];
    private static final int MIN_SIZE = 16;
    /** Chunk geometry of the arrays ({@link Chunks#PAGE_BITS}: allocated a page or so at a time as the table fills). */
    private static final int B = Chunks.PAGE_BITS;
    private static final int MAX_SIZE = 1 << 30;
    /** This object: six array references, four ints and the data bytes. */
    static final long OBJECT = Memory.object(6L * Memory.REFERENCE + 4 * 4 + 8);

    // The table (the old one while resizing).
    private int[][] hashes0;
    private Object[][] fields0;
    private Object[][] values0;
    private int size0;
    // The new table while a resize runs (null otherwise).
    private int[][] hashes1;
    private Object[][] fields1;
    private Object[][] values1;
    private int size1;
    // Old slots below this index have been moved.
    private int rehashIndex = -1;
    // forEach/scan calls in progress: lookups move nothing meanwhile (as MemberTable).
    private int iterating;

    private long dataHeap;

    /** An empty table for about {@code n} fields (at most half full). */
    FieldTable(int n) {
        int cap = targetFor(n);
        hashes0 = Chunks.lazyInts(cap, B);
        fields0 = Chunks.lazyObjects(cap, B);
        values0 = Chunks.lazyObjects(cap, B);
    }

    private FieldTable() {
    }

    int size() {
        return size0 + size1;
    }

    /** Slots of both tables while resizing. */
    int capacity() {
        return Chunks.length(fields0, B) + (fields1 == null ? 0 : Chunks.length(fields1, B));
    }

    boolean rehashing() {
        return fields1 != null;
    }

    /** Heap bytes of the three arrays (of both tables while resizing), in the running JVM's layout. */
    long tableBytes() {
        long bytes = arraysBytes(Chunks.length(fields0, B));
        return fields1 == null ? bytes : bytes + arraysBytes(Chunks.length(fields1, B));
    }

    /** One table's hash, field and value arrays of {@code capacity} slots, and their chunk arrays. */
    private static long arraysBytes(int capacity) {
        long chunks = Math.max(1, capacity >> B);
        return Memory.intArray(capacity) + 2 * Memory.referenceArray(capacity) + 3 * Memory.referenceArray(chunks);
    }

    /** Heap bytes of the fields and values held. */
    long dataHeap() {
        return dataHeap;
    }

    private static long heapOf(byte[] b) {
        return Memory.array(b.length);
    }

    private static int indexOf(int[][] hashes, Object[][] fields, byte[] field, int hash) {
        int mask = Chunks.length(fields, B) - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            Object f = Chunks.get(fields, i, B);
            if (f == null) return -1;
            if (Chunks.get(hashes, i, B) == hash && f != TOMBSTONE && Arrays.equals((byte[]) f, field)) return i;
        }
    }

    /** The value of {@code field} (whose hash is {@code hash}), or null. */
    byte[] get(byte[] field, int hash) {
        int i;
        if (fields1 != null) {
            if (size0 > 0 && iterating == 0) move(MemberTable.REHASH_STEP_READ);
            // An old table drained by lookups is dropped at the next write; meanwhile it is not probed.
            if (size0 > 0 && (i = indexOf(hashes0, fields0, field, hash)) >= 0) return (byte[]) Chunks.get(values0, i, B);
            i = indexOf(hashes1, fields1, field, hash);
            return i >= 0 ? (byte[]) Chunks.get(values1, i, B) : null;
        }
        i = indexOf(hashes0, fields0, field, hash);
        return i >= 0 ? (byte[]) Chunks.get(values0, i, B) : null;
    }

    /** Sets {@code field} to {@code value}; true when the field is new. */
    boolean put(byte[] field, int hash, byte[] value) {
        if (fields1 != null) rehashStep(MemberTable.REHASH_STEP);
        int i = indexOf(hashes0, fields0, field, hash);
        if (i >= 0) {
            dataHeap += heapOf(value) - heapOf((byte[]) Chunks.get(values0, i, B));
            Chunks.set(values0, i, value, B);
            return false;
        }
        if (fields1 != null) {
            i = indexOf(hashes1, fields1, field, hash);
            if (i >= 0) {
                dataHeap += heapOf(value) - heapOf((byte[]) Chunks.get(values1, i, B));
                Chunks.set(values1, i, value, B);
                return false;
            }
            if ((size1 + 1) * 4L > Chunks.length(fields1, B) * 3L) {
                // Inserts outran the moves: move faster, and only as a last resort rebuild at once.
                rehashStep(MemberTable.REHASH_STEP * 16);
                if (fields1 != null && (size1 + size0 + 1) * 8L > Chunks.length(fields1, B) * 7L) rebuild();
            }
        }
        if (fields1 == null && (size0 + 1) * 4L > Chunks.length(fields0, B) * 3L) startRehash(targetFor(size0 + 1));
        if (fields1 != null) {
            place(hashes1, fields1, values1, hash, field, value);
            size1++;
        } else {
            place(hashes0, fields0, values0, hash, field, value);
            size0++;
        }
        dataHeap += heapOf(field) + heapOf(value);
        return true;
    }

    /** Puts a field at the first empty slot of its probe sequence (a table without tombstones). */
    private static void place(int[][] hashes, Object[][] fields, Object[][] values, int hash, Object field, Object value) {
        int mask = Chunks.length(fields, B) - 1;
        int i = hash & mask;
        while (Chunks.get(fields, i, B) != null) i = (i + 1) & mask;
        Chunks.setNew(fields, i, field, B);
        Chunks.setNew(values, i, value, B);
        Chunks.setNewInt(hashes, i, hash, B);
    }

    /** Removes {@code field}; true if it was there. */
    boolean remove(byte[] field, int hash) {
        if (fields1 != null) rehashStep(MemberTable.REHASH_STEP);
        int i = indexOf(hashes0, fields0, field, hash);
        if (i >= 0) {
            dataHeap -= heapOf(field) + heapOf((byte[]) Chunks.get(values0, i, B));
            if (fields1 != null) {
                Chunks.set(fields0, i, TOMBSTONE, B); // the old table keeps its probe sequences until it is dropped
                Chunks.set(values0, i, null, B);
                Chunks.setInt(hashes0, i, 0, B);
            } else {
                deleteSlot(hashes0, fields0, values0, i);
            }
            size0--;
        } else {
            i = fields1 == null ? -1 : indexOf(hashes1, fields1, field, hash);
            if (i < 0) return false;
            dataHeap -= heapOf(field) + heapOf((byte[]) Chunks.get(values1, i, B));
            deleteSlot(hashes1, fields1, values1, i);
            size1--;
        }
        if (fields1 != null) {
            if (size0 == 0) endRehash();
        } else {
            int length = Chunks.length(fields0, B);
            if (length > MIN_SIZE && size0 * 8L < length) startRehash(targetFor(size0));
        }
        return true;
    }

    /** Backward-shift deletion: keeps every field reachable from its home slot without tombstones. */
    private static void deleteSlot(int[][] hashes, Object[][] fields, Object[][] values, int hole) {
        int mask = Chunks.length(fields, B) - 1;
        int i = hole;
        while (true) {
            i = (i + 1) & mask;
            Object f = Chunks.get(fields, i, B);
            if (f == null) break;
            int h = Chunks.get(hashes, i, B);
            int home = h & mask;
            // Move entry i into the hole if its home is not in (hole, i] (cyclically).
            boolean homeBetween = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
            if (!homeBetween) {
                Chunks.set(fields, hole, f, B);
                Chunks.set(values, hole, Chunks.get(values, i, B), B);
                Chunks.setInt(hashes, hole, h, B);
                hole = i;
            }
        }
        Chunks.set(fields, hole, null, B);
        Chunks.set(values, hole, null, B);
        Chunks.setInt(hashes, hole, 0, B);
    }

    // ---- resizing ---------------------------------------------------------------------------

    /** The size for {@code n} fields: a power of two above 2n (a load between 1/4 and 1/2). */
    private static int targetFor(int n) {
        int t = MIN_SIZE;
        while (t <= 2L * n && t < MAX_SIZE) t <<= 1;
        return t;
    }

    private void startRehash(int newSize) {
        hashes1 = Chunks.lazyInts(newSize, B);
        fields1 = Chunks.lazyObjects(newSize, B);
        values1 = Chunks.lazyObjects(newSize, B);
        size1 = 0;
        rehashIndex = 0;
        if (size0 == 0) endRehash();
    }

    /** Moves up to {@code n} fields into the new table (see {@link #move}) and drops the old one once it is drained. */
    void rehashStep(int n) {
        move(n);
        if (size0 == 0) endRehash();
    }

    /**
     * Moves up to {@code n} fields from the old table to the new one, passing at most {@code 10 n}
     * empty slots. Lookups call it too, but only writes drop the old arrays (see {@link MemberTable}).
     */
    private void move(int n) {
        int emptyVisits = n * 10;
        while (n > 0 && size0 > 0) {
            Object f = Chunks.get(fields0, rehashIndex, B);
            if (f == null || f == TOMBSTONE) {
                rehashIndex++;
                if (--emptyVisits == 0) break;
                continue;
            }
            place(hashes1, fields1, values1, Chunks.get(hashes0, rehashIndex, B), f, Chunks.get(values0, rehashIndex, B));
            size1++;
            Chunks.set(fields0, rehashIndex, TOMBSTONE, B);
            Chunks.set(values0, rehashIndex, null, B);
            rehashIndex++;
            size0--;
            n--;
        }
    }

    /** Completes a resize in progress at once (tests). */
    void finishRehash() {
        while (fields1 != null) rehashStep(1 << 16);
    }

    private void endRehash() {
        hashes0 = hashes1;
        fields0 = fields1;
        values0 = values1;
        size0 = size1;
        hashes1 = null;
        fields1 = null;
        values1 = null;
        size1 = 0;
        rehashIndex = -1;
    }

    /** Moves every field into a new table sized for them, at once: O(n), the last resort of {@link #put}. */
    private void rebuild() {
        FieldTable t = new FieldTable(size());
        forEach((f, v) -> place(t.hashes0, t.fields0, t.values0, io.keyline.util.Bytes.hash(f), f, v));
        hashes0 = t.hashes0;
        fields0 = t.fields0;
        values0 = t.values0;
        size0 = size();
        hashes1 = null;
        fields1 = null;
        values1 = null;
        size1 = 0;
        rehashIndex = -1;
    }

    // ---- iteration --------------------------------------------------------------------------

    /** Every field/value pair once, in no particular order. {@code out} must not change the table. */
    void forEach(BiConsumer<byte[], byte[]> out) {
        iterating++;
        try {
            forEachIn(fields0, values0, out);
            if (fields1 != null) forEachIn(fields1, values1, out);
        } finally {
            iterating--;
        }
    }

    private static void forEachIn(Object[][] fields, Object[][] values, BiConsumer<byte[], byte[]> out) {
        for (int c = 0; c < fields.length; c++) {
            Object[] fc = fields[c], vc = values[c];
            // (a chunk not allocated yet is the shared empty one, longer than a chunk: only its first part counts)
            for (int i = 0, n = fields.length == 1 ? fc.length : Math.min(fc.length, 1 << B); i < n; i++) {
                Object f = fc[i];
                if (f != null && f != TOMBSTONE) out.accept((byte[]) f, (byte[]) vc[i]);
            }
        }
    }

    /**
     * A random pair as {field, value} (the table must not be empty): random slots of both tables until
     * one holds a field, so every field is equally likely; at least 1/8 of the slots hold one at rest.
     */
    byte[][] randomPair(RandomGenerator rnd) {
        int length0 = Chunks.length(fields0, B);
        int length = fields1 == null ? length0 : length0 + Chunks.length(fields1, B);
        while (true) {
            int i = rnd.nextInt(length);
            Object[][] fields = fields0, values = values0;
            if (i >= length0) {
                i -= length0;
                fields = fields1;
                values = values1;
            }
            Object f = Chunks.get(fields, i, B);
            if (f != null && f != TOMBSTONE) return new byte[][] {(byte[]) f, (byte[]) Chunks.get(values, i, B)};
        }
    }

    /**
     * One HSCAN step from {@code cursor}: emits field, value for about {@code countHint} fields (home
     * slots visited until then, at most {@code 10 * countHint}) and returns the next cursor, 0 when
     * done. Redis's reverse-binary cursor over home slots; while a resize runs, each step visits the
     * smaller table's home slot and the larger table's home slots that map onto it ({@code dictScan}
     * with two tables), so a field present for the whole scan is returned at least once across growth
     * and shrinking (see {@link MemberTable#scan}).
     */
    long scan(long cursor, long countHint, BiConsumer<byte[], byte[]> out) {
        if (size() == 0) return 0;
        iterating++;
        try {
            return scanStep(cursor, countHint, out);
        } finally {
            iterating--;
        }
    }

    private long scanStep(long cursor, long countHint, BiConsumer<byte[], byte[]> out) {
        long v = cursor;
        long visitsLeft = countHint > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : Math.max(1, countHint) * 10;
        long emitted = 0;
        if (fields1 == null) {
            long mask = Chunks.length(fields0, B) - 1;
            do {
                emitted += emitHome(hashes0, fields0, values0, (int) (v & mask), out);
                v = Chunks.nextCursor(v, mask);
            } while (v != 0 && emitted < countHint && --visitsLeft > 0);
            return v;
        }
        boolean oldIsSmall = Chunks.length(fields0, B) <= Chunks.length(fields1, B);
        int[][] hs = oldIsSmall ? hashes0 : hashes1, hl = oldIsSmall ? hashes1 : hashes0;
        Object[][] fs = oldIsSmall ? fields0 : fields1, fl = oldIsSmall ? fields1 : fields0;
        Object[][] vs = oldIsSmall ? values0 : values1, vl = oldIsSmall ? values1 : values0;
        long m0 = Chunks.length(fs, B) - 1, m1 = Chunks.length(fl, B) - 1;
        do {
            emitted += emitHome(hs, fs, vs, (int) (v & m0), out);
            do {
                emitted += emitHome(hl, fl, vl, (int) (v & m1), out);
                v = Chunks.nextCursor(v, m1);
            } while ((v & (m0 ^ m1)) != 0);
        } while (v != 0 && emitted < countHint && --visitsLeft > 0);
        return v;
    }

    /** Emits the fields whose home is {@code home}: they lie in the run of non-empty slots starting there. */
    private static int emitHome(int[][] hashes, Object[][] fields, Object[][] values, int home,
                                BiConsumer<byte[], byte[]> out) {
        int mask = Chunks.length(fields, B) - 1;
        int n = 0;
        for (int i = home; ; i = (i + 1) & mask) {
            Object f = Chunks.get(fields, i, B);
            if (f == null) return n;
            if (f != TOMBSTONE && (Chunks.get(hashes, i, B) & mask) == home) {
                out.accept((byte[]) f, (byte[]) Chunks.get(values, i, B));
                n++;
            }
        }
    }

    /** A deep copy of the arrays (fields and values are immutable and shared), mid-resize state included. */
    FieldTable copy() {
        FieldTable c = new FieldTable();
        c.hashes0 = Chunks.copy(hashes0);
        c.fields0 = Chunks.copy(fields0);
        c.values0 = Chunks.copy(values0);
        c.size0 = size0;
        if (fields1 != null) {
            c.hashes1 = Chunks.copy(hashes1);
            c.fields1 = Chunks.copy(fields1);
            c.values1 = Chunks.copy(values1);
        }
        c.size1 = size1;
        c.rehashIndex = rehashIndex;
        c.dataHeap = dataHeap;
        return c;
    }
}
