package io.keyline.store.type;

import io.keyline.store.Bytes;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * An open-addressing (linear probing) hash table of elements identified by a byte[] member: one
 * reference per slot and no per-element node, where {@code java.util.HashSet} spends ~48 bytes per
 * element on a node and a wrapper. Deleted slots become tombstones so elements never move while a
 * SCAN cursor (a slot index) walks the table; tombstones are dropped at the next resize.
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

    @SuppressWarnings("unchecked")
    T get(byte[] member) {
        int mask = slots.length - 1;
        int i = Bytes.hash(member) & mask;
        while (true) {
            Object o = slots[i];
            if (o == null) return null;
            if (o != TOMBSTONE && Arrays.equals(memberOf((T) o), member)) return (T) o;
            i = (i + 1) & mask;
        }
    }

    /** Inserts an element whose member is not in the table yet. */
    void insertNew(T element) {
        if ((used + 1) * 4L > slots.length * 3L) resize(Math.max(8, Integer.highestOneBit(Math.max(1, size) * 2) * 2));
        int mask = slots.length - 1;
        int i = Bytes.hash(memberOf(element)) & mask;
        while (slots[i] != null && slots[i] != TOMBSTONE) i = (i + 1) & mask;
        if (slots[i] == null) used++;
        slots[i] = element;
        size++;
    }

    /** Replaces the element stored for the same member (identity of the member bytes may differ). */
    @SuppressWarnings("unchecked")
    void replace(T element) {
        byte[] member = memberOf(element);
        int mask = slots.length - 1;
        int i = Bytes.hash(member) & mask;
        while (true) {
            Object o = slots[i];
            if (o == null) throw new IllegalStateException("absent");
            if (o != TOMBSTONE && Arrays.equals(memberOf((T) o), member)) {
                slots[i] = element;
                return;
            }
            i = (i + 1) & mask;
        }
    }

    @SuppressWarnings("unchecked")
    T remove(byte[] member) {
        int mask = slots.length - 1;
        int i = Bytes.hash(member) & mask;
        while (true) {
            Object o = slots[i];
            if (o == null) return null;
            if (o != TOMBSTONE && Arrays.equals(memberOf((T) o), member)) {
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
            int i = Bytes.hash(memberOf(t)) & mask;
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
     * Emits elements from slot {@code cursor} on until about {@code count} were emitted; returns the
     * next cursor, 0 at the end.
     */
    @SuppressWarnings("unchecked")
    long scan(long cursor, long count, Consumer<T> emit) {
        int i = (int) Math.max(0, Math.min(cursor, slots.length));
        long emitted = 0;
        int visited = 0;
        while (i < slots.length && emitted < count && visited < count * 10 + 100) {
            Object o = slots[i++];
            visited++;
            if (o != null && o != TOMBSTONE) {
                emit.accept((T) o);
                emitted++;
            }
        }
        return i >= slots.length ? 0 : i;
    }
}
