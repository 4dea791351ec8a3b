package io.keyline.store;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * One stripe's keys: an open-addressing table (linear probing) of an {@code Object[]} of slots, each
 * a blob or a boxed entry ({@link SlotLayout}), beside a {@code byte[]} of tags, the top 8 bits of
 * each slot's key hash. No node per key: a small key costs its blob and its share of the two arrays.
 * A probe reads the slot only when its tag matches (1 in 256 for another key); the rare steps that
 * need a slot's whole hash (resize, backward-shift delete, SCAN) compute it again from the key. Tags
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
 * <p>Not thread-safe: guarded by its stripe's lock.
 */
final class KeyTable {
    private static final byte[] NO_TAGS = new byte[0];
    private static final Object[] NO_SLOTS = new Object[0];
    /** Marks a slot of the old table whose key moved out during a resize. */
    private static final Object TOMBSTONE = new Object();
    private static final int MIN_SIZE = 8;
    private static final int REHASH_PER_INSERT = 8;

    private byte[] tags0 = NO_TAGS;
    private Object[] slots0 = NO_SLOTS;
    private int used0;
    // The table being filled while a resize runs (null otherwise).
    private byte[] tags1;
    private Object[] slots1;
    private int used1;
    private int rehashIndex = -1;

    private Object[] volatiles = NO_SLOTS;
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
        return slots0.length + (slots1 == null ? 0 : slots1.length);
    }

    /** The slot object holding the key, or null. */
    Object find(int hash, byte[] key) {
        if (size() == 0) return null;
        if (slots1 != null) rehashStep(1);
        int i = indexOf(tags0, slots0, hash, key);
        if (i >= 0) return slots0[i];
        if (slots1 != null) {
            i = indexOf(tags1, slots1, hash, key);
            if (i >= 0) return slots1[i];
        }
        return null;
    }

    private static byte tag(int hash) {
        return (byte) (hash >>> 24); // the index uses the low bits
    }

    private static int indexOf(byte[] tags, Object[] slots, int hash, byte[] key) {
        if (slots.length == 0) return -1;
        int mask = slots.length - 1;
        byte tag = tag(hash);
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            Object o = slots[i];
            if (o == null) return -1;
            if (tags[i] == tag && o != TOMBSTONE && SlotLayout.keyEquals(o, key)) return i;
        }
    }

    private static int indexOfSlot(Object[] slots, int hash, Object slot) {
        if (slots.length == 0) return -1;
        int mask = slots.length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            Object o = slots[i];
            if (o == null) return -1;
            if (o == slot) return i;
        }
    }

    /** Adds a slot whose key is known to be absent. */
    void insert(int hash, Object slot) {
        // Eight per insert: the old table (3/4 full at a doubling) is drained within 3/32 of its size
        // in inserts, so a table loaded in a burst seldom ends it holding both arrays (the old one
        // was an eighth of the live heap of 1M small keys loaded, bench/results/2026-12-07-mem.md).
        if (slots1 != null) rehashStep(REHASH_PER_INSERT);
        if (slots1 == null) {
            growIfNeeded();
        } else if ((used1 + 1) * 4L > slots1.length * 3L) {
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
    private static void place(byte[] tags, Object[] slots, int hash, Object slot) {
        int mask = slots.length - 1;
        int i = hash & mask;
        while (slots[i] != null) i = (i + 1) & mask;
        slots[i] = slot;
        tags[i] = tag(hash);
    }

    /** Removes the key; returns its slot object or null. */
    Object remove(int hash, byte[] key) {
        if (size() == 0) return null;
        if (slots1 != null) rehashStep(1);
        Object removed = null;
        int i = indexOf(tags0, slots0, hash, key);
        if (i >= 0) {
            removed = slots0[i];
            removeAt0(i);
        } else if (slots1 != null) {
            i = indexOf(tags1, slots1, hash, key);
            if (i >= 0) {
                removed = slots1[i];
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
            slots0[i] = TOMBSTONE; // the old table keeps its probe sequences until it is dropped
            tags0[i] = 0;
        } else {
            backwardShiftDelete(tags0, slots0, i);
        }
        used0--;
    }

    /**
     * Empties position {@code i} and moves later members of the cluster back into the gap when
     * their home allows it, so no probe sequence is broken and no tombstone is needed.
     */
    private static void backwardShiftDelete(byte[] tags, Object[] slots, int i) {
        int mask = slots.length - 1;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            Object o = slots[j];
            if (o == null) break;
            int home = SlotLayout.keyHash(o) & mask;
            // o may fill the gap at i unless its home lies cyclically in (i, j].
            boolean homeBetween = i <= j ? (home > i && home <= j) : (home > i || home <= j);
            if (!homeBetween) {
                slots[i] = o;
                tags[i] = tags[j];
                i = j;
            }
        }
        slots[i] = null;
        tags[i] = 0;
    }

    /** Swaps {@code old} for {@code replacement} (same key, so same hash) in place, keeping the volatile index right. */
    void replace(int hash, Object old, Object replacement) {
        int i = indexOfSlot(slots0, hash, old);
        if (i >= 0) {
            slots0[i] = replacement;
        } else {
            i = slots1 == null ? -1 : indexOfSlot(slots1, hash, old);
            if (i < 0) throw new IllegalStateException("slot not in table");
            slots1[i] = replacement;
        }
        boolean wasVolatile = SlotLayout.hasTtl(old), isVolatile = SlotLayout.hasTtl(replacement);
        if (wasVolatile && isVolatile) {
            int at = SlotLayout.volatileIndex(old);
            volatiles[at] = replacement;
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

    private void addVolatile(Object slot) {
        if (volatileCount == volatiles.length) {
            volatiles = Arrays.copyOf(volatiles, Math.max(8, volatileCount * 2));
        }
        SlotLayout.volatileIndex(slot, volatileCount);
        volatiles[volatileCount++] = slot;
    }

    private void removeVolatile(Object slot) {
        int i = SlotLayout.volatileIndex(slot);
        if (i < 0) return;
        Object last = volatiles[--volatileCount];
        volatiles[i] = last;
        SlotLayout.volatileIndex(last, i);
        volatiles[volatileCount] = null;
        SlotLayout.volatileIndex(slot, -1);
        if (volatiles.length > 64 && volatileCount < volatiles.length / 4) {
            volatiles = Arrays.copyOf(volatiles, volatiles.length / 2);
        }
    }

    /** A random slot with a TTL, or null. */
    Object randomVolatile(ThreadLocalRandom rnd) {
        return volatileCount == 0 ? null : volatiles[rnd.nextInt(volatileCount)];
    }

    // ---- resizing ---------------------------------------------------------------------------

    private void growIfNeeded() {
        if (slots0.length == 0) {
            tags0 = new byte[MIN_SIZE];
            slots0 = new Object[MIN_SIZE];
        } else if ((used0 + 1) * 4L > slots0.length * 3L) {
            startRehash(slots0.length * 2);
        }
    }

    private void shrinkIfNeeded() {
        if (slots1 != null) return;
        if (slots0.length > MIN_SIZE && used0 * 8L < slots0.length) {
            int target = MIN_SIZE;
            while (target < used0 * 2) target <<= 1; // half full: room for inserts while it drains
            if (target < slots0.length) startRehash(target);
        }
    }

    private void startRehash(int newSize) {
        tags1 = new byte[newSize];
        slots1 = new Object[newSize];
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
            Object o = slots0[rehashIndex];
            if (o == null || o == TOMBSTONE) {
                rehashIndex++;
                if (--emptyVisits == 0) break;
                continue;
            }
            place(tags1, slots1, SlotLayout.keyHash(o), o);
            slots0[rehashIndex] = TOMBSTONE;
            tags0[rehashIndex] = 0;
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
            long m0 = slots0.length - 1;
            emitHome(slots0, (int) (v & m0), emit);
            v |= ~m0;
            v = Long.reverse(v);
            v++;
            v = Long.reverse(v);
        } else {
            Object[] small = slots0, large = slots1;
            if (small.length > large.length) {
                small = slots1;
                large = slots0;
            }
            long m0 = small.length - 1, m1 = large.length - 1;
            emitHome(small, (int) (v & m0), emit);
            do {
                emitHome(large, (int) (v & m1), emit);
                v |= ~m1;
                v = Long.reverse(v);
                v++;
                v = Long.reverse(v);
            } while ((v & (m0 ^ m1)) != 0);
        }
        return v;
    }

    /** Emits the keys whose home is {@code bucket}: they lie in the run of occupied slots starting there. */
    private static void emitHome(Object[] slots, int bucket, Consumer<Object> emit) {
        int mask = slots.length - 1;
        for (int i = bucket; ; i = (i + 1) & mask) {
            Object o = slots[i];
            if (o == null) return;
            if (o != TOMBSTONE && (SlotLayout.keyHash(o) & mask) == bucket) emit.accept(o);
        }
    }

    /** A random slot object, uniformly among the keys, or null. */
    Object randomSlot(ThreadLocalRandom rnd) {
        if (size() == 0) return null;
        for (int attempt = 0; attempt < 1_000_000; attempt++) {
            Object o;
            if (slots1 != null) {
                int i = rnd.nextInt(slots0.length + slots1.length);
                o = i < slots0.length ? slots0[i] : slots1[i - slots0.length];
            } else {
                o = slots0[rnd.nextInt(slots0.length)];
            }
            if (o != null && o != TOMBSTONE) return o;
        }
        return null;
    }
}
