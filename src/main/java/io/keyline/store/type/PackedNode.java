package io.keyline.store.type;

import io.keyline.util.ByteRangeSink;

import java.util.Arrays;

/**
 * One list node as a packed byte deque, like a Redis listpack: each element is stored as
 * {@code len (LEB128) | bytes | len (LEB128 written backwards)}, so the node can be walked from
 * either end, and the data sits in {@code buf[start, end)} with free room at both ends for O(1)
 * pushes and pops at the node's edges. Elements are read out as fresh arrays.
 *
 * <p>Indexed access walks the entries; a one-entry cursor cache makes sequential access (in either
 * direction) O(1) per step, which is what ranges, LPOS, LREM and the node splits do.
 */
final class PackedNode extends ListNode {
    private static final byte[] EMPTY = new byte[0];
    byte[] buf;
    int start;
    int end;
    int count;
    // cache: offset of entry cacheIndex (-1 = invalid)
    private int cacheIndex = -1;
    private int cacheOffset;

    PackedNode() {
        buf = EMPTY;
    }

    PackedNode(int capacityHint) {
        buf = capacityHint <= 0 ? EMPTY : new byte[Math.min(capacityHint * 12, 1 << 16)];
        start = end = buf.length / 2;
    }

    /**
     * An empty node with room for {@code bytes} of entries, all of it on the side the node will grow to (before
     * the entries for prepends), so that it fills without copying.
     */
    static PackedNode withRoom(int bytes, boolean prepends) {
        PackedNode n = new PackedNode();
        n.buf = new byte[bytes];
        n.start = n.end = prepends ? bytes : 0;
        return n;
    }

    @Override
    boolean suits(int length) {
        return !ReferenceNode.keeps(length);
    }

    @Override
    int size() {
        return count;
    }

    /** Bytes the entries take in {@link #buf}. */
    int usedBytes() {
        return end - start;
    }

    /**
     * The entry's bytes and a quarter more: {@link #ensureRoom} grows a buffer to half again what it holds, so
     * a node built by pushes holds 1 to 1.5 times its entries' bytes (~1.23 on average over sizes). Without the
     * slack MEMORY USAGE of a list of 16-byte elements was 27% under its heap (bench/results/2026-12-08-memory-truth.md).
     * Not the buffer's own length: that changes on pushes the list accounts by element, not by node.
     */
    @Override
    long heapOf(int length) {
        int size = entrySize(length);
        return size + size / 4;
    }

    /** Walks the entries (only the list's O(node) operations ask: repack, split, merge). */
    @Override
    long heapBytes() {
        long heap = 0;
        for (int pos = start; pos < end; pos = nextOffset(pos)) heap += heapOf(lengthForward(pos));
        return heap;
    }

    @Override
    int bufferBytes() {
        return buf.length;
    }

    static int varintSize(int v) {
        int n = 1;
        while ((v >>>= 7) != 0) n++;
        return n;
    }

    static int entrySize(int len) {
        return 2 * varintSize(len) + len;
    }

    private int lengthForward(int pos) {
        int v = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = buf[pos++];
            v |= (x & 0x7f) << shift;
            if (x >= 0) return v;
        }
    }

    /** Length of the entry that ends just before {@code endPos}. */
    private int lengthBackward(int endPos) {
        int pos = endPos - 1;
        int v = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = buf[pos--];
            v |= (x & 0x7f) << shift;
            if (x >= 0) return v;
        }
    }

    private int nextOffset(int pos) {
        return pos + entrySize(lengthForward(pos));
    }

    private int prevOffset(int pos) {
        return pos - entrySize(lengthBackward(pos));
    }

    private byte[] readAt(int pos) {
        int len = lengthForward(pos);
        int from = pos + varintSize(len);
        return Arrays.copyOfRange(buf, from, from + len);
    }

    private void writeAt(int pos, byte[] e) {
        int len = e.length;
        int v = len;
        while ((v & ~0x7f) != 0) {
            buf[pos++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
        System.arraycopy(e, 0, buf, pos, len);
        pos += len;
        // backward length: lowest group last, continuation bits on all but the first written byte
        int groups = varintSize(len);
        for (int g = groups - 1; g >= 0; g--) {
            int bits = (len >>> (7 * g)) & 0x7f;
            buf[pos++] = (byte) (g == groups - 1 ? bits : bits | 0x80);
        }
    }

    /** Offset of entry {@code i}, using and updating the sequential-access cache. */
    private int offsetOf(int i) {
        int pos;
        if (cacheIndex >= 0 && Math.abs(i - cacheIndex) <= Math.min(i, count - 1 - i)) {
            pos = cacheOffset;
            for (int k = cacheIndex; k < i; k++) pos = nextOffset(pos);
            for (int k = cacheIndex; k > i; k--) pos = prevOffset(pos);
        } else if (i <= count / 2) {
            pos = start;
            for (int k = 0; k < i; k++) pos = nextOffset(pos);
        } else {
            pos = end;
            for (int k = count; k > i; k--) pos = prevOffset(pos);
        }
        cacheIndex = i;
        cacheOffset = pos;
        return pos;
    }

    /** Ensures {@code before} free bytes before start and {@code after} after end (re-centres or grows). */
    private void ensureRoom(int before, int after) {
        if (start >= before && buf.length - end >= after) return;
        int used = end - start;
        int need = used + before + after;
        int cap = Math.max(need + Math.max(16, used / 2), 32);
        byte[] nb = cap == buf.length ? buf : new byte[cap];
        // Put the slack where the node grows: after for appends, before for prepends, else both sides.
        int slack = cap - need;
        int newStart = before + (after == 0 ? slack : before == 0 ? 0 : slack / 2);
        System.arraycopy(buf, start, nb, newStart, used);
        buf = nb;
        cacheOffset += newStart - start;
        end = newStart + used;
        start = newStart;
    }

    @Override
    byte[] get(int i) {
        return readAt(offsetOf(i));
    }

    /**
     * Hands entries {@code from..to} (inclusive, in range) to {@code sink} where they lie in
     * {@link #buf}, in order, walking the entries once from the first: no element is copied out.
     * The sink must not change this node.
     */
    @Override
    void forEach(int from, int to, ByteRangeSink sink) {
        int pos = offsetOf(from);
        byte[] b = buf;
        for (int i = from; i <= to; i++) {
            int len = lengthForward(pos);
            int lenBytes = varintSize(len);
            int data = pos + lenBytes;
            sink.accept(b, data, len);
            pos = data + len + lenBytes;
        }
    }

    @Override
    void addFirst(byte[] e) {
        int sz = entrySize(e.length);
        ensureRoom(sz, 0);
        start -= sz;
        writeAt(start, e);
        count++;
        if (cacheIndex >= 0) cacheIndex++;
    }

    @Override
    void addLast(byte[] e) {
        int sz = entrySize(e.length);
        ensureRoom(0, sz);
        writeAt(end, e);
        end += sz;
        count++;
    }

    @Override
    byte[] removeFirst() {
        byte[] e = readAt(start);
        start += entrySize(e.length);
        count--;
        cacheIndex = -1;
        return e;
    }

    /** Length of the first element (the node must not be empty). */
    @Override
    int firstLength() {
        return lengthForward(start);
    }

    /** Length of the last element (the node must not be empty). */
    int lastLength() {
        return lengthBackward(end);
    }

    /** Offset in {@link #buf} of the first element's bytes, given its length. */
    int firstData(int len) {
        return start + varintSize(len);
    }

    /** Offset in {@link #buf} of the last element's bytes, given its length. */
    int lastData(int len) {
        return end - varintSize(len) - len;
    }

    @Override
    long popInto(boolean first, ByteRangeSink sink) {
        int len = first ? firstLength() : lastLength();
        int off = first ? firstData(len) : lastData(len);
        sink.accept(buf, off, len);
        lpBytes -= ListValue.listpackEntryBytes(buf, off, len);
        if (first) dropFirst(len);
        else dropLast(len);
        return heapOf(len);
    }

    /** Removes the first element, of length {@code len}, without reading it out. */
    void dropFirst(int len) {
        start += entrySize(len);
        count--;
        cacheIndex = -1;
    }

    /** Removes the last element, of length {@code len}, without reading it out. */
    void dropLast(int len) {
        end -= entrySize(len);
        count--;
        cacheIndex = -1;
    }

    @Override
    byte[] removeLast() {
        int len = lengthBackward(end);
        int pos = end - entrySize(len);
        byte[] e = readAt(pos);
        end = pos;
        count--;
        cacheIndex = -1;
        return e;
    }

    /** Replaces entry {@code i}; returns the old element. */
    @Override
    byte[] set(int i, byte[] e) {
        int pos = offsetOf(i);
        byte[] old = readAt(pos);
        int oldSize = entrySize(old.length);
        int newSize = entrySize(e.length);
        int delta = newSize - oldSize;
        if (delta > 0) {
            ensureRoom(0, delta);
            pos = offsetOf(i);
        }
        System.arraycopy(buf, pos + oldSize, buf, pos + newSize, end - pos - oldSize);
        end += delta;
        writeAt(pos, e);
        cacheIndex = -1;
        return old;
    }

    /** Inserts at position {@code i} (0..size). */
    @Override
    void add(int i, byte[] e) {
        if (i == 0) {
            addFirst(e);
            return;
        }
        if (i == count) {
            addLast(e);
            return;
        }
        int sz = entrySize(e.length);
        ensureRoom(0, sz);
        int pos = offsetOf(i);
        System.arraycopy(buf, pos, buf, pos + sz, end - pos);
        end += sz;
        writeAt(pos, e);
        count++;
        cacheIndex = -1;
    }

    /** Removes position {@code i}; returns the element. */
    @Override
    byte[] remove(int i) {
        if (i == 0) return removeFirst();
        int pos = offsetOf(i);
        byte[] e = readAt(pos);
        int sz = entrySize(e.length);
        System.arraycopy(buf, pos + sz, buf, pos, end - pos - sz);
        end -= sz;
        count--;
        cacheIndex = -1;
        return e;
    }

    /** Shrinks the buffer when mostly empty. */
    @Override
    void compact() {
        int used = end - start;
        if (buf.length > 256 && used < buf.length / 4) {
            byte[] nb = new byte[Math.max(32, used * 2)];
            int ns = (nb.length - used) / 2;
            System.arraycopy(buf, start, nb, ns, used);
            buf = nb;
            start = ns;
            end = ns + used;
            cacheIndex = -1;
        }
    }

    @Override
    PackedNode copy() {
        PackedNode c = new PackedNode();
        c.buf = Arrays.copyOfRange(buf, start, end);
        c.start = 0;
        c.end = c.buf.length;
        c.count = count;
        c.lpBytes = lpBytes;
        return c;
    }
}
