package io.keyline.store.type;

import io.keyline.store.Chunks;
import io.keyline.store.Memory;
import io.keyline.util.Bytes;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * An open-addressing (linear probing) hash table of elements identified by a byte[] member: per slot
 * one reference and the member's hash, and no per-element node, where {@code java.util.HashSet}
 * spends ~48 bytes per element on a node and a wrapper. Deleted slots become tombstones (dropped at
 * the next resize), so every element stays in the run of non-empty slots that starts at its home
 * slot, which {@link #scan} relies on. The arrays are {@link Chunks} of {@link Chunks#PAGE_BITS}.
 *
 * <p><b>Probing reads the hashes</b> ({@link #stored}: never 0, which marks an empty slot, nor
 * {@link #DEAD}, a tombstone): a probe passes a slot holding another member by reading one int
 * from the line it shares with its neighbours, and reads the slot and the member's bytes only when
 * the hashes match. Reading the member of every slot passed cost a cache miss each in a big set (a
 * new member passes about 2.5 occupied slots at a load of 1/2, 8.5 at 3/4): 40% of a 1M-member
 * set's SADD time (bench/results/2026-12-07-colladd.md). A resize moves elements by their kept hash
 * without reading any member.
 *
 * <p><b>Resizing is incremental</b>, as Redis's dict and {@link io.keyline.store} 's key tables: at a
 * load of 3/4 (live elements and tombstones) or below 1/8 live, a second table is started, and every
 * write (insert or remove) moves up to {@link #REHASH_STEP} (32) elements of the old table into it (passing
 * at most ten times as many empty or dead slots, Redis's {@code empty_visits}), so no single command
 * copies a big table: a 2M-member set's one-step doubling stalled its SADD for hundreds of
 * milliseconds (bench/results/2026-12-07-rehash.md). New elements go to the new table; an element
 * leaving the old one leaves a tombstone there. Lookups try the old table, then the new one. A
 * resize finishes before another starts. The new table's chunks are allocated as it fills
 * ({@link Chunks#lazyObjects}).
 *
 * <p>Lookups move a few elements each too (Redis's {@code dictFind} steps as well), so a table only read
 * after a burst of writes stops probing two tables; but nothing is moved while the table is being
 * iterated ({@code SINTER k k} looks members up in the set it walks; Redis's safe iterators pause
 * rehashing the same way), and only a write drops the drained old arrays: the value's footprint
 * ({@link #tableBytes}) is accounted around writes.
 */
abstract class MemberTable<T> {
    private static final Object TOMBSTONE = new Object();
    /** The hash slot of a tombstone: not 0 (an empty slot), and no {@link #stored} hash (those have the sign bit). */
    private static final int DEAD = 1;
    /**
     * Old elements moved per write while a resize runs (a few microseconds at most): the old table is
     * drained within 1/32 of its size in writes. While it runs every operation probes two tables, the
     * old one still 3/4 full, so a short window costs less CPU overall than Redis's one bucket per
     * operation: with 8 per write a 100k-member set was still resizing after its last SADD and its
     * lookups cost 2-5 times more until the moves were done (bench/results/2026-12-07-rehash.md).
     */
    static final int REHASH_STEP = 32;
    /** Old elements moved per lookup. */
    static final int REHASH_STEP_READ = 8;
    private static final int MIN_SIZE = 8;
    /** Chunk geometry of the arrays ({@link Chunks#PAGE_BITS}: allocated a page or so at a time as the table fills). */
    private static final int B = Chunks.PAGE_BITS;
    private static final int MAX_SIZE = 1 << 30;
    /** This object (a subclass adds no fields): four array references and six ints. */
    static final long OBJECT = Memory.object(4L * Memory.REFERENCE + 6 * 4);

    // The table (the old one while resizing): elements, their stored hashes; live elements, and live + tombstones.
    private Object[][] slots0;
    private int[][] hashes0;
    private int size0;
    private int used0;
    // The new table while a resize runs (null otherwise).
    private Object[][] slots1;
    private int[][] hashes1;
    private int size1;
    private int used1;
    // Old slots below this index have been moved.
    private int rehashIndex = -1;
    // forEach/scan calls in progress: lookups move nothing meanwhile (Redis's safe iterators pause rehashing).
    private int iterating;

    MemberTable(int capacity) {
        int cap = MIN_SIZE;
        while (cap < capacity * 2L && cap < MAX_SIZE) cap <<= 1;
        slots0 = Chunks.lazyObjects(cap, B);
        hashes0 = Chunks.lazyInts(cap, B);
    }

    /**
     * A member's hash as the table keeps it: with the sign bit set, so never 0 (an empty slot) or
     * {@link #DEAD}; the home slot ({@code & mask}, at most 2^30 slots) is the same as the hash's.
     */
    private static int stored(int hash) {
        return hash | Integer.MIN_VALUE;
    }

    /** The member bytes of an element. */
    abstract byte[] memberOf(T element);

    /** {@link Bytes#hash} of the element's member (for {@link #insertNew(Object)}; an element that keeps it saves hashing). */
    int hashOf(T element) {
        return Bytes.hash(memberOf(element));
    }

    int size() {
        return size0 + size1;
    }

    /** Slots of both tables while resizing. */
    int capacity() {
        return Chunks.length(slots0, B) + (slots1 == null ? 0 : Chunks.length(slots1, B));
    }

    boolean rehashing() {
        return slots1 != null;
    }

    /** Heap bytes of the slot and hash arrays (both tables' while resizing), in the running JVM's layout. */
    long tableBytes() {
        long bytes = arraysBytes(Chunks.length(slots0, B));
        return slots1 == null ? bytes : bytes + arraysBytes(Chunks.length(slots1, B));
    }

    /** One table's reference and hash arrays of {@code capacity} slots, and their chunk arrays. */
    private static long arraysBytes(int capacity) {
        long chunks = Math.max(1, capacity >> B);
        return Memory.referenceArray(capacity) + Memory.intArray(capacity) + 2 * Memory.referenceArray(chunks);
    }

    T get(byte[] member) {
        return get(member, Bytes.hash(member));
    }

    /** As {@link #get(byte[])}, with the member's {@link Bytes#hash} already computed. */
    T get(byte[] member, int hash) {
        return find(member, hash, false);
    }

    /**
     * As {@link #get(byte[], int)} for a lookup that {@link #insertNew} follows when the member is absent
     * (SADD): each probed slot's element is read together with its hash, not after the hashes match, so
     * the two cache misses overlap. A member found costs two dependent misses (slot and hash together,
     * then the member's bytes) instead of three; one absent reads the slot line its insert writes next.
     * A plain lookup of an absent member does not (that line would be an extra miss, 58 -> 115 ns in a
     * 1M-member set), so only the insert path probes this way (bench/results/2026-12-08-sadd-p16.md).
     */
    T getBeforeInsert(byte[] member, int hash) {
        return find(member, hash, true);
    }

    @SuppressWarnings("unchecked")
    private T find(byte[] member, int hash, boolean readSlots) {
        int i;
        if (slots1 != null) {
            if (size0 > 0 && iterating == 0) move(REHASH_STEP_READ);
            // An old table drained by lookups is dropped at the next write; meanwhile it is not probed.
            if (size0 > 0 && (i = indexOf(hashes0, slots0, member, hash, readSlots)) >= 0) {
                return (T) Chunks.get(slots0, i, B);
            }
            i = indexOf(hashes1, slots1, member, hash, readSlots);
            return i >= 0 ? (T) Chunks.get(slots1, i, B) : null;
        }
        i = indexOf(hashes0, slots0, member, hash, readSlots);
        return i >= 0 ? (T) Chunks.get(slots0, i, B) : null;
    }

    /**
     * The slot of {@code member} (whose hash is {@code hash}), or -1: see "Probing reads the hashes"
     * above. {@code readSlots} (a constant at each call site, so the JIT compiles one loop per value):
     * see {@link #getBeforeInsert}. It ends the probe on the slot's null rather than on the hash's 0
     * (an empty slot has both), so the element's load is needed on every path and is not sunk into
     * the hash-match branch, where it would wait for the hash again.
     */
    @SuppressWarnings("unchecked")
    private int indexOf(int[][] hashes, Object[][] slots, byte[] member, int hash, boolean readSlots) {
        int mask = Chunks.length(hashes, B) - 1;
        int wanted = stored(hash);
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            int h = Chunks.get(hashes, i, B);
            Object element = readSlots ? Chunks.get(slots, i, B) : null;
            if (readSlots ? element == null : h == 0) return -1;
            if (h == wanted && Arrays.equals(memberOf((T) (readSlots ? element : Chunks.get(slots, i, B))), member)) {
                return i;
            }
        }
    }

    /** Inserts an element whose member is not in the table yet. */
    void insertNew(T element) {
        insertNew(element, hashOf(element));
    }

    /** As {@link #insertNew(Object)}, with the member's hash already computed. */
    void insertNew(T element, int hash) {
        if (slots1 != null) {
            rehashStep(REHASH_STEP);
            if (slots1 != null && (used1 + 1) * 4L > Chunks.length(slots1, B) * 3L) {
                // Inserts outran the moves (a target sized for few elements, many empty old slots to pass, or
                // churn leaving tombstones in the target): move faster, and only as a last resort rebuild at once
                // rather than overfill the target.
                rehashStep(REHASH_STEP * 16);
                if (slots1 != null && (used1 + size0 + 1) * 8L > Chunks.length(slots1, B) * 7L) rebuild();
            }
        }
        if (slots1 == null && (used0 + 1) * 4L > Chunks.length(slots0, B) * 3L) startRehash(targetFor(size0 + 1));
        if (slots1 != null) {
            if (place(hashes1, slots1, stored(hash), element)) used1++;
            size1++;
        } else {
            if (place(hashes0, slots0, stored(hash), element)) used0++;
            size0++;
        }
    }

    /**
     * Puts the element, whose {@link #stored} hash is {@code storedHash}, at the first empty or dead
     * slot of its probe sequence; true if that slot was empty.
     */
    private static boolean place(int[][] hashes, Object[][] slots, int storedHash, Object element) {
        int mask = Chunks.length(hashes, B) - 1;
        int i = storedHash & mask;
        int h;
        while ((h = Chunks.get(hashes, i, B)) != 0 && h != DEAD) i = (i + 1) & mask;
        Chunks.setNewInt(hashes, i, storedHash, B);
        Chunks.setNew(slots, i, element, B);
        return h == 0;
    }

    /** Makes slot {@code i} a tombstone: the probe sequences through it stay intact. */
    private static void bury(int[][] hashes, Object[][] slots, int i) {
        Chunks.setInt(hashes, i, DEAD, B);
        Chunks.set(slots, i, TOMBSTONE, B);
    }

    @SuppressWarnings("unchecked")
    T remove(byte[] member) {
        int hash = Bytes.hash(member);
        if (slots1 != null) rehashStep(REHASH_STEP);
        Object removed;
        int i = indexOf(hashes0, slots0, member, hash, false);
        if (i >= 0) {
            removed = Chunks.get(slots0, i, B);
            bury(hashes0, slots0, i);
            size0--;
        } else {
            i = slots1 == null ? -1 : indexOf(hashes1, slots1, member, hash, false);
            if (i < 0) return null;
            removed = Chunks.get(slots1, i, B);
            bury(hashes1, slots1, i);
            size1--;
        }
        if (slots1 != null) {
            if (size0 == 0) endRehash();
        } else {
            int length = Chunks.length(slots0, B);
            if (length > 64 && size0 * 8L < length) startRehash(targetFor(size0));
        }
        return (T) removed;
    }

    // ---- resizing ---------------------------------------------------------------------------

    /** The size for {@code n} elements: a power of two above 2n (a load between 1/4 and 1/2). */
    private static int targetFor(int n) {
        int t = MIN_SIZE;
        while (t <= 2L * n && t < MAX_SIZE) t <<= 1;
        return t;
    }

    private void startRehash(int newSize) {
        slots1 = Chunks.lazyObjects(newSize, B);
        hashes1 = Chunks.lazyInts(newSize, B);
        size1 = used1 = 0;
        rehashIndex = 0;
        if (size0 == 0) endRehash();
    }

    /** Moves every element into a new table sized for them, at once: O(n), the last resort above. */
    private void rebuild() {
        int length = targetFor(size());
        Object[][] slots = Chunks.lazyObjects(length, B);
        int[][] hashes = Chunks.lazyInts(length, B);
        int n = placeAll(hashes0, slots0, hashes, slots);
        if (slots1 != null) n += placeAll(hashes1, slots1, hashes, slots);
        slots0 = slots;
        hashes0 = hashes;
        size0 = used0 = n;
        slots1 = null;
        hashes1 = null;
        size1 = used1 = 0;
        rehashIndex = -1;
    }

    /** Places every live element of one table into another (without tombstones); returns how many. */
    private static int placeAll(int[][] fromHashes, Object[][] fromSlots, int[][] hashes, Object[][] slots) {
        int n = 0;
        for (int i = 0, end = Chunks.length(fromHashes, B); i < end; i++) {
            int h = Chunks.get(fromHashes, i, B);
            if (h == 0 || h == DEAD) continue;
            place(hashes, slots, h, Chunks.get(fromSlots, i, B));
            n++;
        }
        return n;
    }

    /** Completes a resize in progress at once (tests). */
    void finishRehash() {
        while (slots1 != null) rehashStep(1 << 16);
    }

    /** Moves up to {@code n} elements into the new table (see {@link #move}) and drops the old one once it is drained. */
    void rehashStep(int n) {
        move(n);
        if (size0 == 0) endRehash();
    }

    /**
     * Moves up to {@code n} elements from the old table to the new one, passing at most {@code 10 n}
     * empty or dead slots. Lookups call it too, so a table that only is read after a burst of writes
     * ends up with one table to probe; but only a write drops the old arrays, since the footprint
     * ({@link #tableBytes}) is accounted around writes.
     */
    private void move(int n) {
        int emptyVisits = n * 10;
        while (n > 0 && size0 > 0) {
            int h = Chunks.get(hashes0, rehashIndex, B);
            if (h == 0 || h == DEAD) {
                rehashIndex++;
                if (--emptyVisits == 0) break;
                continue;
            }
            if (place(hashes1, slots1, h, Chunks.get(slots0, rehashIndex, B))) used1++;
            size1++;
            bury(hashes0, slots0, rehashIndex++); // the old table keeps its probe sequences until dropped
            size0--;
            n--;
        }
    }

    private void endRehash() {
        slots0 = slots1;
        hashes0 = hashes1;
        size0 = size1;
        used0 = used1;
        slots1 = null;
        hashes1 = null;
        size1 = used1 = 0;
        rehashIndex = -1;
    }

    // ---- sampling and iteration -------------------------------------------------------------

    /**
     * A uniformly random element (size must be > 0): random slots of both tables until a live one.
     * Each element holds exactly one slot, so every element is equally likely; at rest at least 1/8 of
     * the slots are live, and a resize is over before removals can thin the slots out much further.
     */
    @SuppressWarnings("unchecked")
    T random(ThreadLocalRandom rnd) {
        int length0 = Chunks.length(slots0, B);
        int length = slots1 == null ? length0 : length0 + Chunks.length(slots1, B);
        while (true) {
            int i = rnd.nextInt(length);
            Object o = i < length0 ? Chunks.get(slots0, i, B) : Chunks.get(slots1, i - length0, B);
            if (o != null && o != TOMBSTONE) return (T) o;
        }
    }

    /** Every element once, in no particular order. {@code action} must not change the table. */
    void forEach(Consumer<T> action) {
        iterating++;
        try {
            forEachIn(slots0, action);
            if (slots1 != null) forEachIn(slots1, action);
        } finally {
            iterating--;
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void forEachIn(Object[][] slots, Consumer<T> action) {
        for (Object[] chunk : slots) {
            // (a chunk not allocated yet is the shared empty one, longer than a chunk: only its first part counts)
            for (int i = 0, end = slots.length == 1 ? chunk.length : Math.min(chunk.length, 1 << B); i < end; i++) {
                Object o = chunk[i];
                if (o != null && o != TOMBSTONE) action.accept((T) o);
            }
        }
    }

    /**
     * One SCAN step with Redis's guarantee: an element present from the first call to the last is
     * returned at least once, even if the table grows or shrinks between calls (it may then be
     * returned twice). The cursor walks home slots ({@code hash & mask}) in Redis's reverse-binary
     * order, as {@code dictScan} walks buckets: the home slots a cursor has passed in a table of
     * one size map onto home slots it has passed in any other power-of-two size. With linear
     * probing and tombstones every element sits in the run of non-empty slots starting at its home
     * slot, so a home slot's elements are that run's elements hashing home there. While a resize
     * runs, each step visits the smaller table's home slot and every home slot of the larger table
     * that maps onto it, as {@code dictScan} does with two tables; an element moves only between
     * matching home slots of the two tables, so it cannot slip past the cursor. Visits home slots
     * until about {@code count} elements were emitted (at most {@code 10 * count} steps, as Redis's
     * maxiterations); returns the next cursor, 0 at the end.
     */
    long scan(long cursor, long count, Consumer<T> emit) {
        if (size() == 0) return 0;
        iterating++;
        try {
            return scanStep(cursor, count, emit);
        } finally {
            iterating--;
        }
    }

    private long scanStep(long cursor, long count, Consumer<T> emit) {
        long v = cursor;
        long emitted = 0;
        long visitsLeft = count > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : Math.max(1, count) * 10;
        if (slots1 == null) {
            long mask = Chunks.length(slots0, B) - 1;
            do {
                emitted += emitHome(hashes0, slots0, (int) (v & mask), emit);
                v = Chunks.nextCursor(v, mask);
            } while (v != 0 && emitted < count && --visitsLeft > 0);
            return v;
        }
        boolean oldIsSmall = Chunks.length(slots0, B) <= Chunks.length(slots1, B);
        Object[][] small = oldIsSmall ? slots0 : slots1, large = oldIsSmall ? slots1 : slots0;
        int[][] smallHashes = oldIsSmall ? hashes0 : hashes1, largeHashes = oldIsSmall ? hashes1 : hashes0;
        long m0 = Chunks.length(small, B) - 1, m1 = Chunks.length(large, B) - 1;
        do {
            emitted += emitHome(smallHashes, small, (int) (v & m0), emit);
            do {
                emitted += emitHome(largeHashes, large, (int) (v & m1), emit);
                v = Chunks.nextCursor(v, m1);
            } while ((v & (m0 ^ m1)) != 0);
        } while (v != 0 && emitted < count && --visitsLeft > 0);
        return v;
    }

    /** Emits the live elements whose home is {@code home}: they lie in the run of non-empty slots starting there. */
    @SuppressWarnings("unchecked")
    private static <T> int emitHome(int[][] hashes, Object[][] slots, int home, Consumer<T> emit) {
        int mask = Chunks.length(hashes, B) - 1;
        int n = 0;
        for (int i = home; ; i = (i + 1) & mask) {
            int h = Chunks.get(hashes, i, B);
            if (h == 0) return n;
            if (h != DEAD && (h & mask) == home) {
                emit.accept((T) Chunks.get(slots, i, B));
                n++;
            }
        }
    }
}
