package io.keyline.store.type;

import io.keyline.util.Bytes;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * An open-addressing (linear probing) hash table of elements identified by a byte[] member: one
 * reference per slot and no per-element node, where {@code java.util.HashSet} spends ~48 bytes per
 * element on a node and a wrapper. Deleted slots become tombstones (dropped at the next resize), so
 * every element stays in the run of non-empty slots that starts at its home slot, which
 * {@link #scan} relies on.
 */
abstract class MemberTable<T> {
    private static final Object TOMBSTONE = new Object();
    private Object[] slots;
    private int size;
    private int used; // live + tombstones

    MemberTable(int capacity) {
        int cap = 8;
        while (cap < capacity * 2) cap <<= 1;
        slots = new Object[cap];
    }

    /** The member bytes of an element. */
    abstract byte[] memberOf(T element);

    /** {@link Bytes#hash} of the element's member; an element that keeps it saves reading its member on resizes. */
    int hashOf(T element) {
        return Bytes.hash(memberOf(element));
    }

    /**
     * Whether the element is {@code member}, whose hash is {@code hash}: an element that keeps its hash
     * compares it first, so a probe past another member reads no member bytes (a cache miss each).
     */
    boolean matches(T element, byte[] member, int hash) {
        return Arrays.equals(memberOf(element), member);
    }

    int size() {
        return size;
    }

    int capacity() {
        return slots.length;
    }

    /** Heap bytes of the slot array. */
    long tableBytes() {
        return 16 + 4L * slots.length;
    }

    T get(byte[] member) {
        return get(member, Bytes.hash(member));
    }

    /** As {@link #get(byte[])}, with the member's {@link Bytes#hash} already computed. */
    @SuppressWarnings("unchecked")
    T get(byte[] member, int hash) {
        int mask = slots.length - 1;
        int i = hash & mask;
        while (true) {
            Object o = slots[i];
            if (o == null) return null;
            if (o != TOMBSTONE && matches((T) o, member, hash)) return (T) o;
            i = (i + 1) & mask;
        }
    }

    /** Inserts an element whose member is not in the table yet. */
    void insertNew(T element) {
        if ((used + 1) * 4L > slots.length * 3L) resize(Math.max(8, Integer.highestOneBit(Math.max(1, size) * 2) * 2));
        int mask = slots.length - 1;
        int i = hashOf(element) & mask;
        while (slots[i] != null && slots[i] != TOMBSTONE) i = (i + 1) & mask;
        if (slots[i] == null) used++;
        slots[i] = element;
        size++;
    }

    /** Replaces the element stored for the same member (identity of the member bytes may differ). */
    @SuppressWarnings("unchecked")
    void replace(T element) {
        byte[] member = memberOf(element);
        int hash = hashOf(element);
        int mask = slots.length - 1;
        int i = hash & mask;
        while (true) {
            Object o = slots[i];
            if (o == null) throw new IllegalStateException("absent");
            if (o != TOMBSTONE && matches((T) o, member, hash)) {
                slots[i] = element;
                return;
            }
            i = (i + 1) & mask;
        }
    }

    @SuppressWarnings("unchecked")
    T remove(byte[] member) {
        int hash = Bytes.hash(member);
        int mask = slots.length - 1;
        int i = hash & mask;
        while (true) {
            Object o = slots[i];
            if (o == null) return null;
            if (o != TOMBSTONE && matches((T) o, member, hash)) {
                slots[i] = TOMBSTONE;
                size--;
                if (slots.length > 64 && size * 8L < slots.length) resize(Math.max(8, Integer.highestOneBit(Math.max(1, size)) * 4));
                return (T) o;
            }
            i = (i + 1) & mask;
        }
    }

    private void resize(int capacity) {
        Object[] old = slots;
        slots = new Object[capacity];
        used = 0;
        int mask = capacity - 1;
        for (Object o : old) {
            if (o == null || o == TOMBSTONE) continue;
            @SuppressWarnings("unchecked") T t = (T) o;
            int i = hashOf(t) & mask;
            while (slots[i] != null) i = (i + 1) & mask;
            slots[i] = o;
            used++;
        }
    }

    /** A uniformly random element (size must be > 0): random slots until a live one (load ≥ 1/8). */
    @SuppressWarnings("unchecked")
    T random(ThreadLocalRandom rnd) {
        while (true) {
            Object o = slots[rnd.nextInt(slots.length)];
            if (o != null && o != TOMBSTONE) return (T) o;
        }
    }

    @SuppressWarnings("unchecked")
    void forEach(Consumer<T> action) {
        for (Object o : slots) if (o != null && o != TOMBSTONE) action.accept((T) o);
    }

    /**
     * One SCAN step with Redis's guarantee: an element present from the first call to the last is
     * returned at least once, even if the table grows or shrinks between calls (it may then be
     * returned twice). The cursor walks home slots ({@code hash & mask}) in Redis's reverse-binary
     * order, as {@code dictScan} walks buckets: the home slots a cursor has passed in a table of
     * one size map onto home slots it has passed in any other power-of-two size. With linear
     * probing and tombstones every element sits in the run of non-empty slots starting at its home
     * slot, so a home slot's elements are that run's elements hashing home there. Visits home slots
     * until about {@code count} elements were emitted (at most {@code 10 * count} slots, as Redis's
     * maxiterations); returns the next cursor, 0 at the end.
     */
    @SuppressWarnings("unchecked")
    long scan(long cursor, long count, Consumer<T> emit) {
        if (size == 0) return 0;
        long mask = slots.length - 1;
        long v = cursor;
        long emitted = 0;
        long visitsLeft = count > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : Math.max(1, count) * 10;
        do {
            int home = (int) (v & mask);
            for (int i = home; slots[i] != null; i = (int) ((i + 1) & mask)) {
                Object o = slots[i];
                if (o != TOMBSTONE && (hashOf((T) o) & mask) == home) {
                    emit.accept((T) o);
                    emitted++;
                }
            }
            // Increment the reversed cursor: set the bits above the mask so the carry clears them.
            v |= ~mask;
            v = Long.reverse(Long.reverse(v) + 1);
        } while (v != 0 && emitted < count && --visitsLeft > 0);
        return v;
    }
}
