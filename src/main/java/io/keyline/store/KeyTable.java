package io.keyline.store;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * One stripe's keys: an open-addressing table (linear probing) of an {@code Object[]} of slots, each
 * a blob or a boxed entry ({@link SlotLayout}), beside a {@code byte[]} of tags, the top 8 bits of
 * each slot's key hash. No node per key: a small key costs its blob and its share of the two arrays.
 * A probe reads the slot only when its tag matches (1 in 256 for another key); the rare steps that
 * need a slot's whole hash (resize, backward-shift delete, SCAN) read a boxed entry's stored hash
 * ({@link BoxedEntry#hash}) and compute a blob's again from its key bytes. Tags
 * instead of an {@code int[]} of whole hashes saved 6 of the 73 bytes of live heap per small key
 * loaded (bench/results/2026-12-07-mem.md).
 *
 * <p><b>Resizing</b> is incremental, as Redis's: at a load of 3/4 (or below 1/8) a second table
 * is allocated and every operation moves a few slots from the old one, so no command pays for a
 * whole resize. New keys go to the new table; a key leaving the old table leaves a tombstone there
 * (its probe sequences must stay intact until it is dropped). The table at rest, and the new one,
 * delete by backward shift and never hold tombstones.
 *
 * <p><b>SCAN</b> walks <em>home buckets</em> ({@code hash & mask}) with Redis's reverse-binary
 * cursor; a bucket's keys are found by probing from it to the next empty slot. Keys only ever
 * move between slots of their own home cluster or to the matching buckets of the other table, so
 * Redis's guarantee holds across resizes: a key present for the whole scan is returned at least
 * once.
 *
 * <p>Keys with a TTL are also kept in a volatile index (an array the active expiry cycle and the
 * volatile eviction policies sample); each such slot knows its position there.
 *
 * <p><b>Chunks</b> ({@link Chunks}): every array here (slots, tags, the volatile index) is held as chunks of at most
 * 16384 elements, position {@code i} at {@code [i >>> 14][i & 16383]}, and a table of up to 16384
 * slots is one chunk. Without references compressed (ZGC has none) an
 * {@code Object[32768]} is 262,160 bytes, just over ZGC's small-object limit (256 KB, 1/8 of a small
 * page), so the stripes of 1M keys (64 tables of 32768 slots) all went to medium pages, which ZGC
 * compacts poorly: ~16 MB more heap in use after a collection and ~38 B/key more RSS than with
 * 128 stripes (bench/results/2026-12-07-chunks.md). An {@code Object[16384]} (128 KB) stays small
 * whatever the table's size. Probing, wrap-around and backward shift work on the whole table's
 * positions; only the element access goes through the chunk.
 *
 * <p>Not thread-safe: guarded by its stripe's lock.
 */
final class KeyTable {
    private static final int CHUNK_BITS = Chunks.BITS;
    private static final int CHUNK = Chunks.SIZE;
    // One empty chunk: a table's length is its first chunk's length while it has one chunk.
    private static final byte[][] NO_TAGS = {new byte[0]};
    private static final Object[][] NO_SLOTS = {new Object[0]};
    /** Marks a slot of the old table whose key moved out during a resize. */
    private static final Object TOMBSTONE = new Object();
    private static final int MIN_SIZE = 8;
    private static final int REHASH_PER_INSERT = 8;

    private byte[][] tags0 = NO_TAGS;
    private Object[][] slots0 = NO_SLOTS;
    private int used0;
    // The table being filled while a resize runs (null otherwise).
    private byte[][] tags1;
    private Object[][] slots1;
    private int used1;
    private int rehashIndex = -1;

    private Object[][] volatiles = NO_SLOTS;
    private int volatileCount;

    int size() {
        return used0 + used1;
    }

    int volatileCount() {
        return volatileCount;
    }

    boolean rehashing() {
        return slots1 != null;
    }

    /** Number of slots (both tables while resizing): the table's own footprint is this many tags and references. */
    int capacity() {
        return Chunks.length(slots0) + (slots1 == null ? 0 : Chunks.length(slots1));
    }

    /** The slot object holding the key, or null. */
    Object find(int hash, byte[] key) {
        if (size() == 0) return null;
        if (slots1 != null) rehashStep(1);
        int i = indexOf(tags0, slots0, hash, key);
        if (i >= 0) return Chunks.get(slots0, i);
        if (slots1 != null) {
            i = indexOf(tags1, slots1, hash, key);
            if (i >= 0) return Chunks.get(slots1, i);
        }
        return null;
    }

    private static byte tag(int hash) {
        return (byte) (hash >>> 24); // the index uses the low bits
    }

    private static int indexOf(byte[][] tags, Object[][] slots, int hash, byte[] key) {
        int mask = Chunks.length(slots) - 1;
        if (mask < 0) return -1;
        byte tag = tag(hash);
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            Object o = Chunks.get(slots, i);
            if (o == null) return -1;
            if (Chunks.get(tags, i) == tag && o != TOMBSTONE && SlotLayout.keyEquals(o, key)) return i;
        }
    }

    private static int indexOfSlot(Object[][] slots, int hash, Object slot) {
        int mask = Chunks.length(slots) - 1;
        if (mask < 0) return -1;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            Object o = Chunks.get(slots, i);
            if (o == null) return -1;
            if (o == slot) return i;
        }
    }

    /** Where the key lies in the table at rest, or -1: for tests of runs that cross chunks. */
    int positionOf(int hash, byte[] key) {
        if (slots1 != null) throw new IllegalStateException("resizing");
        return indexOf(tags0, slots0, hash, key);
    }

    /** Adds a slot whose key is known to be absent. */
    void insert(int hash, Object slot) {
        // Eight per insert: the old table (3/4 full at a doubling) is drained within 3/32 of its size
        // in inserts, so a table loaded in a burst seldom ends it holding both arrays (the old one
        // was an eighth of the live heap of 1M small keys loaded, bench/results/2026-12-07-mem.md).
        if (slots1 != null) rehashStep(REHASH_PER_INSERT);
        if (slots1 == null) {
            growIfNeeded();
        } else if ((used1 + 1) * 4L > Chunks.length(slots1) * 3L) {
            // Inserts outran a shrink: finish it and size again rather than overfill the target.
            finishRehash();
            growIfNeeded();
        }
        if (slots1 != null) {
            place(tags1, slots1, hash, slot);
            used1++;
        } else {
            place(tags0, slots0, hash, slot);
            used0++;
        }
        if (SlotLayout.hasTtl(slot)) addVolatile(slot);
    }

    /** Puts a slot at the first empty position of its probe sequence (a table without tombstones). */
    private static void place(byte[][] tags, Object[][] slots, int hash, Object slot) {
        int mask = Chunks.length(slots) - 1;
        int i = hash & mask;
        while (Chunks.get(slots, i) != null) i = (i + 1) & mask;
        Chunks.set(slots, i, slot);
        Chunks.set(tags, i, tag(hash));
    }

    /** Removes the key; returns its slot object or null. */
    Object remove(int hash, byte[] key) {
        if (size() == 0) return null;
        if (slots1 != null) rehashStep(1);
        Object removed = null;
        int i = indexOf(tags0, slots0, hash, key);
        if (i >= 0) {
            removed = Chunks.get(slots0, i);
            removeAt0(i);
        } else if (slots1 != null) {
            i = indexOf(tags1, slots1, hash, key);
            if (i >= 0) {
                removed = Chunks.get(slots1, i);
                backwardShiftDelete(tags1, slots1, i);
                used1--;
            }
        }
        if (removed != null) {
            if (SlotLayout.hasTtl(removed)) removeVolatile(removed);
            shrinkIfNeeded();
        }
        return removed;
    }

    private void removeAt0(int i) {
        if (slots1 != null) {
            Chunks.set(slots0, i, TOMBSTONE); // the old table keeps its probe sequences until it is dropped
            Chunks.set(tags0, i, (byte) 0);
        } else {
            backwardShiftDelete(tags0, slots0, i);
        }
        used0--;
    }

    /**
     * Empties position {@code i} and moves later members of the cluster back into the gap when
     * their home allows it, so no probe sequence is broken and no tombstone is needed.
     */
    private static void backwardShiftDelete(byte[][] tags, Object[][] slots, int i) {
        int mask = Chunks.length(slots) - 1;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            Object o = Chunks.get(slots, j);
            if (o == null) break;
            int home = SlotLayout.keyHash(o) & mask;
            // o may fill the gap at i unless its home lies cyclically in (i, j].
            boolean homeBetween = i <= j ? (home > i && home <= j) : (home > i || home <= j);
            if (!homeBetween) {
                Chunks.set(slots, i, o);
                Chunks.set(tags, i, Chunks.get(tags, j));
                i = j;
            }
        }
        Chunks.set(slots, i, null);
        Chunks.set(tags, i, (byte) 0);
    }

    /** Swaps {@code old} for {@code replacement} (same key, so same hash) in place, keeping the volatile index right. */
    void replace(int hash, Object old, Object replacement) {
        int i = indexOfSlot(slots0, hash, old);
        if (i >= 0) {
            Chunks.set(slots0, i, replacement);
        } else {
            i = slots1 == null ? -1 : indexOfSlot(slots1, hash, old);
            if (i < 0) throw new IllegalStateException("slot not in table");
            Chunks.set(slots1, i, replacement);
        }
        boolean wasVolatile = SlotLayout.hasTtl(old), isVolatile = SlotLayout.hasTtl(replacement);
        if (wasVolatile && isVolatile) {
            int at = SlotLayout.volatileIndex(old);
            Chunks.set(volatiles, at, replacement);
            SlotLayout.volatileIndex(replacement, at);
        } else if (wasVolatile) {
            removeVolatile(old);
        } else if (isVolatile) {
            addVolatile(replacement);
        }
    }

    void clear() {
        tags0 = NO_TAGS;
        slots0 = NO_SLOTS;
        tags1 = null;
        slots1 = null;
        used0 = used1 = 0;
        rehashIndex = -1;
        volatiles = NO_SLOTS;
        volatileCount = 0;
    }

    // ---- volatile (TTL) index -------------------------------------------------------------

    // Chunked like the table: one array doubling up to a chunk, then whole chunks added one by one.
    private void addVolatile(Object slot) {
        int n = volatiles.length;
        if (volatileCount == Chunks.length(volatiles)) {
            if (n == 1 && volatileCount < CHUNK) {
                volatiles = new Object[][] {Arrays.copyOf(volatiles[0], Math.max(8, volatileCount * 2))};
            } else {
                volatiles = Arrays.copyOf(volatiles, n + 1);
                volatiles[n] = new Object[CHUNK];
            }
        }
        SlotLayout.volatileIndex(slot, volatileCount);
        Chunks.set(volatiles, volatileCount++, slot);
    }

    private void removeVolatile(Object slot) {
        int i = SlotLayout.volatileIndex(slot);
        if (i < 0) return;
        Object last = Chunks.get(volatiles, --volatileCount);
        Chunks.set(volatiles, i, last);
        SlotLayout.volatileIndex(last, i);
        Chunks.set(volatiles, volatileCount, null);
        SlotLayout.volatileIndex(slot, -1);
        int n = volatiles.length;
        if (n > 1) {
            // A chunk goes once a whole other one is free, so adds and removes at a boundary do not churn.
            if (volatileCount <= (n - 2) << CHUNK_BITS) volatiles = Arrays.copyOf(volatiles, n - 1);
        } else if (volatiles[0].length > 64 && volatileCount < volatiles[0].length / 4) {
            volatiles = new Object[][] {Arrays.copyOf(volatiles[0], volatiles[0].length / 2)};
        }
    }

    /** A random slot with a TTL, or null. */
    Object randomVolatile(ThreadLocalRandom rnd) {
        return volatileCount == 0 ? null : Chunks.get(volatiles, rnd.nextInt(volatileCount));
    }

    // ---- resizing ---------------------------------------------------------------------------

    private void growIfNeeded() {
        int length = Chunks.length(slots0);
        if (length == 0) {
            tags0 = Chunks.bytes(MIN_SIZE);
            slots0 = Chunks.objects(MIN_SIZE);
        } else if ((used0 + 1) * 4L > length * 3L) {
            startRehash(length * 2);
        }
    }

    private void shrinkIfNeeded() {
        if (slots1 != null) return;
        int length = Chunks.length(slots0);
        if (length > MIN_SIZE && used0 * 8L < length) {
            int target = MIN_SIZE;
            while (target < used0 * 2) target <<= 1; // half full: room for inserts while it drains
            if (target < length) startRehash(target);
        }
    }

    private void startRehash(int newSize) {
        tags1 = Chunks.bytes(newSize);
        slots1 = Chunks.objects(newSize);
        used1 = 0;
        rehashIndex = 0;
    }

    /**
     * Completes a resize in progress at once. For bulk loading, where no client waits on a single
     * insert: lookups then probe one table instead of two while the table keeps doubling.
     */
    void finishRehash() {
        while (slots1 != null) rehashStep(1 << 16);
    }

    /** Moves up to {@code n} keys from the old table to the new one (passing at most 10n empty slots). */
    void rehashStep(int n) {
        int emptyVisits = n * 10;
        while (n > 0 && used0 > 0) {
            Object o = Chunks.get(slots0, rehashIndex);
            if (o == null || o == TOMBSTONE) {
                rehashIndex++;
                if (--emptyVisits == 0) break;
                continue;
            }
            place(tags1, slots1, SlotLayout.keyHash(o), o);
            Chunks.set(slots0, rehashIndex, TOMBSTONE);
            Chunks.set(tags0, rehashIndex, (byte) 0);
            rehashIndex++;
            used0--;
            used1++;
            n--;
        }
        if (used0 == 0) {
            tags0 = tags1;
            slots0 = slots1;
            used0 = used1;
            tags1 = null;
            slots1 = null;
            used1 = 0;
            rehashIndex = -1;
        }
    }

    // ---- iteration ---------------------------------------------------------------------------

    /**
     * Emits the slots whose home bucket is at {@code cursor} (and, mid-resize, the buckets of the
     * larger table that map to it) and returns the next cursor, 0 when the walk is complete:
     * Redis's dictScan over home buckets. {@code emit} must not change the table.
     */
    long scan(long cursor, Consumer<Object> emit) {
        if (size() == 0) return 0;
        long v = cursor;
        if (slots1 == null) {
            long m0 = Chunks.length(slots0) - 1;
            emitHome(slots0, (int) (v & m0), emit);
            v = Chunks.nextCursor(v, m0);
        } else {
            Object[][] small = slots0, large = slots1;
            if (Chunks.length(small) > Chunks.length(large)) {
                small = slots1;
                large = slots0;
            }
            long m0 = Chunks.length(small) - 1, m1 = Chunks.length(large) - 1;
            emitHome(small, (int) (v & m0), emit);
            do {
                emitHome(large, (int) (v & m1), emit);
                v = Chunks.nextCursor(v, m1);
            } while ((v & (m0 ^ m1)) != 0);
        }
        return v;
    }

    /** Emits the keys whose home is {@code bucket}: they lie in the run of occupied slots starting there. */
    private static void emitHome(Object[][] slots, int bucket, Consumer<Object> emit) {
        int mask = Chunks.length(slots) - 1;
        for (int i = bucket; ; i = (i + 1) & mask) {
            Object o = Chunks.get(slots, i);
            if (o == null) return;
            if (o != TOMBSTONE && (SlotLayout.keyHash(o) & mask) == bucket) emit.accept(o);
        }
    }

    /** A random slot object, uniformly among the keys, or null. */
    Object randomSlot(ThreadLocalRandom rnd) {
        if (size() == 0) return null;
        for (int attempt = 0; attempt < 1_000_000; attempt++) {
            Object o;
            int length0 = Chunks.length(slots0);
            if (slots1 != null) {
                int i = rnd.nextInt(length0 + Chunks.length(slots1));
                o = i < length0 ? Chunks.get(slots0, i) : Chunks.get(slots1, i - length0);
            } else {
                o = Chunks.get(slots0, rnd.nextInt(length0));
            }
            if (o != null && o != TOMBSTONE) return o;
        }
        return null;
    }
}
