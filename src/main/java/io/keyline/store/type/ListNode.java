package io.keyline.store.type;

import io.keyline.util.ByteRangeSink;

/**
 * One node of a {@link ListValue}: a run of elements in order, which the list reaches by index and
 * changes at either end or in the middle. Two kinds: {@link PackedNode} copies its elements into
 * one byte array (Redis's listpack: a few bytes of overhead each, for short elements);
 * {@link ReferenceNode} keeps the arrays it is given (no copy, no second array per element, for
 * long ones). A node never writes into an element it was given, and what {@link #get} and the
 * removals return must not be written to either: a reference node hands out its stored arrays.
 */
abstract sealed class ListNode permits PackedNode, ReferenceNode {
    /** Listpack size of this node's entries (Redis's node {@code sz}), for the fill limits; kept by {@link ListValue}. */
    long lpBytes = 7;

    /** An empty node of the kind an element of {@code length} bytes is kept in. */
    static ListNode forElement(int length) {
        return ReferenceNode.keeps(length) ? new ReferenceNode(ReferenceNode.DEFAULT_CAPACITY) : new PackedNode();
    }

    /** Whether this node is the kind {@link #forElement} picks for an element of {@code length} bytes. */
    abstract boolean suits(int length);

    abstract int size();

    /** Heap bytes an element of {@code length} bytes takes in this node (a packed node's average buffer slack counted). */
    abstract long heapOf(int length);

    /** Heap bytes all this node's elements take: the sum of {@link #heapOf} over them (a packed node walks its entries). */
    abstract long heapBytes();

    /** Bytes of buffer the node holds (tests: how much it reallocated). */
    abstract int bufferBytes();

    /** Length of the first element (the node must not be empty). */
    abstract int firstLength();

    abstract byte[] get(int i);

    /**
     * Hands entries {@code from..to} (inclusive, in range) to {@code sink} where they lie, in order,
     * without copying them out. The sink must not change this node.
     */
    abstract void forEach(int from, int to, ByteRangeSink sink);

    abstract void addFirst(byte[] e);

    abstract void addLast(byte[] e);

    /** Inserts at position {@code i} (0..size). */
    abstract void add(int i, byte[] e);

    abstract byte[] removeFirst();

    abstract byte[] removeLast();

    /** Removes position {@code i}; returns the element. */
    abstract byte[] remove(int i);

    /** Replaces entry {@code i}; returns the old element. */
    abstract byte[] set(int i, byte[] e);

    /**
     * Removes the first or last element after handing its bytes to {@code sink} where they lie (LPOP's
     * reply takes them without an intermediate array); subtracts its listpack size from {@link #lpBytes}
     * and returns the heap bytes it took. The node must not be empty; the sink must not change it.
     */
    abstract long popInto(boolean first, ByteRangeSink sink);

    /** Shrinks the node's buffer when mostly empty. */
    abstract void compact();

    /** A copy that a change to this node does not reach (the elements may be shared: nobody writes to them). */
    abstract ListNode copy();
}
