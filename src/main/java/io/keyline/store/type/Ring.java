package io.keyline.store.type;

import java.util.Arrays;

/**
 * A growable circular array: O(1) add/remove at both ends, O(1) indexed access, O(n) insert/remove
 * in the middle. The building block of {@link ListValue}'s nodes and node list.
 */
class Ring<T> {
    private static final Object[] EMPTY = new Object[0];
    Object[] items;
    int head;
    int size;

    Ring() {
        items = EMPTY;
    }

    Ring(int capacity) {
        items = capacity == 0 ? EMPTY : new Object[capacity];
    }

    final int size() {
        return size;
    }

    final int capacity() {
        return items.length;
    }

    private int slot(int i) {
        int s = head + i;
        return s >= items.length ? s - items.length : s;
    }

    @SuppressWarnings("unchecked")
    final T get(int i) {
        return (T) items[slot(i)];
    }

    @SuppressWarnings("unchecked")
    final T set(int i, T value) {
        int s = slot(i);
        T old = (T) items[s];
        items[s] = value;
        return old;
    }

    @SuppressWarnings("unchecked")
    final T first() {
        return (T) items[head];
    }

    final T last() {
        return get(size - 1);
    }

    private void ensureRoom() {
        if (size < items.length) return;
        int cap = items.length == 0 ? 4 : items.length < 64 ? items.length * 2 : items.length + (items.length >> 1);
        Object[] grown = new Object[cap];
        for (int i = 0; i < size; i++) grown[i] = items[slot(i)];
        items = grown;
        head = 0;
    }

    final void addFirst(T value) {
        ensureRoom();
        head = head == 0 ? items.length - 1 : head - 1;
        items[head] = value;
        size++;
    }

    final void addLast(T value) {
        ensureRoom();
        items[slot(size)] = value;
        size++;
    }

    @SuppressWarnings("unchecked")
    final T removeFirst() {
        T v = (T) items[head];
        items[head] = null;
        head = head + 1 == items.length ? 0 : head + 1;
        size--;
        return v;
    }

    @SuppressWarnings("unchecked")
    final T removeLast() {
        int s = slot(size - 1);
        T v = (T) items[s];
        items[s] = null;
        size--;
        return v;
    }

    /** Inserts at position {@code i} (0..size), shifting later elements right. */
    final void add(int i, T value) {
        if (i == 0) {
            addFirst(value);
            return;
        }
        ensureRoom();
        for (int j = size; j > i; j--) items[slot(j)] = items[slot(j - 1)];
        items[slot(i)] = value;
        size++;
    }

    /** Removes position {@code i}, shifting later elements left. */
    final T remove(int i) {
        if (i == 0) return removeFirst();
        T v = get(i);
        for (int j = i; j < size - 1; j++) items[slot(j)] = items[slot(j + 1)];
        items[slot(size - 1)] = null;
        size--;
        return v;
    }

    final void clear() {
        Arrays.fill(items, null);
        head = 0;
        size = 0;
    }

    /** Shrinks the backing array when it is mostly empty (after big pops/trims). */
    final void compact() {
        if (items.length > 16 && size < items.length / 4) {
            Object[] a = new Object[Math.max(4, size * 2)];
            for (int i = 0; i < size; i++) a[i] = items[slot(i)];
            items = a;
            head = 0;
        }
    }
}
