package io.keyline.store.type;

import io.keyline.store.Memory;
import io.keyline.util.ByteRangeSink;

/**
 * A list node that keeps its elements as the arrays it was given, for elements of at least
 * {@link #MIN_LENGTH} bytes: an LPUSH of a 1 KB value stores the parsed argument itself instead of
 * copying it into a packed buffer (where the argument became 1 KB of garbage and the buffer another
 * 1 KB of fresh memory, each first touch a page fault while the heap grows), and an LPOP hands the
 * array to the reply. The overhead, an array header and a reference per element (~24 bytes), is a
 * few percent at these lengths. Elements are never written to, here or by whoever gets them back.
 */
final class ReferenceNode extends ListNode {
    /** Shortest element kept by reference: below it the per-element overhead outweighs a copy. */
    static final int MIN_LENGTH = 512;
    static final int DEFAULT_CAPACITY = 4;
    private final Ring<byte[]> elements;
    private long heap;

    ReferenceNode(int capacity) {
        elements = new Ring<>(Math.max(1, capacity));
    }

    static boolean keeps(int length) {
        return length >= MIN_LENGTH;
    }

    @Override
    boolean suits(int length) {
        return keeps(length);
    }

    @Override
    int size() {
        return elements.size();
    }

    @Override
    long heapOf(int length) {
        // The element's array and its slot in the ring.
        return Memory.array(length) + Memory.REFERENCE;
    }

    @Override
    long heapBytes() {
        return heap;
    }

    @Override
    int bufferBytes() {
        return elements.capacity() * Memory.REFERENCE;
    }

    @Override
    int firstLength() {
        return elements.first().length;
    }

    @Override
    byte[] get(int i) {
        return elements.get(i);
    }

    @Override
    void forEach(int from, int to, ByteRangeSink sink) {
        for (int i = from; i <= to; i++) {
            byte[] e = elements.get(i);
            sink.accept(e, 0, e.length);
        }
    }

    @Override
    void addFirst(byte[] e) {
        elements.addFirst(e);
        heap += heapOf(e.length);
    }

    @Override
    void addLast(byte[] e) {
        elements.addLast(e);
        heap += heapOf(e.length);
    }

    @Override
    void add(int i, byte[] e) {
        elements.add(i, e);
        heap += heapOf(e.length);
    }

    @Override
    byte[] removeFirst() {
        return removed(elements.removeFirst());
    }

    @Override
    byte[] removeLast() {
        return removed(elements.removeLast());
    }

    @Override
    byte[] remove(int i) {
        return removed(elements.remove(i));
    }

    private byte[] removed(byte[] e) {
        heap -= heapOf(e.length);
        return e;
    }

    @Override
    byte[] set(int i, byte[] e) {
        heap += heapOf(e.length);
        return removed(elements.set(i, e));
    }

    @Override
    long popInto(boolean first, ByteRangeSink sink) {
        byte[] e = first ? elements.first() : elements.last();
        sink.accept(e, 0, e.length);
        lpBytes -= ListValue.listpackEntryBytes(e);
        removed(first ? elements.removeFirst() : elements.removeLast());
        return heapOf(e.length);
    }

    @Override
    void compact() {
        elements.compact();
    }

    @Override
    ReferenceNode copy() {
        ReferenceNode c = new ReferenceNode(elements.size());
        for (int i = 0; i < elements.size(); i++) c.elements.addLast(elements.get(i));
        c.heap = heap;
        c.lpBytes = lpBytes;
        return c;
    }
}
