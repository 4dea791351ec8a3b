package io.keyline.store.type;

import io.keyline.store.AofRewritable;
import io.keyline.store.EncodingLimits;
import io.keyline.store.Copyable;
import io.keyline.store.ListLike;
import io.keyline.store.Memory;
import io.keyline.store.CollectionValue;
import io.keyline.store.TypedValue;
import io.keyline.util.ByteRangeSink;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A Redis list. Small lists are one packed node (reported as {@code listpack}); past
 * {@code list-max-listpack-size} the list becomes a chain of such nodes ({@code quicklist}), each
 * node bounded by the same limit, and a quicklist that shrinks back to a single small node turns
 * into a listpack again (Redis 7.2). Push and pop are O(1) at both ends; indexed access walks the
 * nodes (O(n / node size)).
 *
 * <p>The node size ({@code fill}) is {@code list-max-listpack-size} from the {@link EncodingLimits}
 * the list was created with: positive = entries per node, -1..-5 = 4/8/16/32/64 KB per node
 * (listpack bytes, as Redis counts them). Each mutating operation reads it once, at its start, so a
 * CONFIG SET applies to existing lists on their next write; nodes already packed are not re-packed
 * until a write touches them. (Redis 7.2 differs slightly: a quicklist keeps the node size it was
 * created with, and only the listpack / quicklist conversions read the new setting.)
 *
 * <p>A node packs its elements' bytes ({@link PackedNode}) or, when its first element is at least
 * {@link ReferenceNode#MIN_LENGTH} bytes long, keeps the element arrays themselves
 * ({@link ReferenceNode}); the encodings, limits and replies are the same for both. Elements are
 * immutable: the list keeps the arrays it is given (so a caller must hand over an array nobody will
 * write to, e.g. a parsed argument, and copy one that may change in place, such as a string's stored
 * value), and the arrays it returns may be the stored ones, never to be written to.
 *
 * <p>Not thread-safe: the caller holds the key's stripe lock.
 */
public final class ListValue implements CollectionValue, TypedValue, Copyable, AofRewritable, ListLike {
    public static final String ENCODING_LISTPACK = "listpack";
    public static final String ENCODING_QUICKLIST = "quicklist";
    private static final long[] SIZE_LEVELS = {4096, 8192, 16384, 32768, 65536};
    private static final long SIZE_SAFETY_LIMIT = 8192;
    /** The most room a pushed-to new node starts with: the largest size level's node. */
    private static final int MAX_NODE_ROOM = 65536;
    private static final long LISTPACK_HEADER = 7; // 6-byte header + end marker
    /** A node (at most a reference, five ints and a long), its buffer's (or reference ring's) header, its slot in the ring. */
    private static final long NODE_HEAP = Memory.object(Memory.REFERENCE + 5 * 4 + 8) + Memory.array(0) + Memory.REFERENCE;
    /** This object (two references, an int, a boolean, a long), its ring of nodes (a reference, two ints) and the ring's header. */
    private static final long LIST_HEAP = Memory.object(2L * Memory.REFERENCE + 4 + 1 + 8) + Memory.object(Memory.REFERENCE + 8)
            + Memory.referenceArray(0);
    private static final long DEFAULT_PACKED_THRESHOLD = 1L << 30;
    /** Largest DEBUG QUICKLIST-PACKED-THRESHOLD Redis accepts: not even slightly below 4 GB. */
    private static final long MAX_PACKED_THRESHOLD = (1L << 32) - (1L << 20);

    /**
     * Redis's quicklist {@code packed_threshold}: in a quicklist an element at least this long
     * gets a node of its own (a "plain" node) that nothing else joins. Process-wide, as in Redis;
     * only DEBUG QUICKLIST-PACKED-THRESHOLD changes it.
     */
    private static volatile long packedThreshold = DEFAULT_PACKED_THRESHOLD;

    private final Ring<ListNode> nodes = new Ring<>(1);
    private int size;
    private boolean quicklist;
    private long elementHeap;
    private final EncodingLimits limits;

    /** An empty list with Redis's default node size (unit tests). */
    public ListValue() {
        this(EncodingLimits.DEFAULTS);
    }

    /** An empty list whose node size follows {@code limits} (the server's, kept current from its config). */
    public ListValue(EncodingLimits limits) {
        this.limits = limits;
        nodes.addLast(new PackedNode());
    }

    /** The current list-max-listpack-size: read per operation, never cached, so CONFIG SET applies. */
    private int fill() {
        return limits.listMaxListpackSize;
    }

    @Override
    public int size() {
        return size;
    }

    /** Every element, head to tail (SORT). */
    @Override
    public void forEach(Consumer<byte[]> action) {
        if (size > 0) forEach(0, size - 1, action);
    }

    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public String typeName() {
        return "list";
    }

    @Override
    public String encoding() {
        return quicklist ? ENCODING_QUICKLIST : ENCODING_LISTPACK;
    }

    public boolean isQuicklist() {
        return quicklist;
    }

    /** Bytes of buffer the node at {@code index} has (tests: how much it reallocated). */
    int nodeBufferBytes(int index) {
        return nodes.get(index).bufferBytes();
    }

    /** Whether the node at {@code index} keeps its elements by reference (tests). */
    boolean nodeKeepsReferences(int index) {
        return nodes.get(index) instanceof ReferenceNode;
    }

    /**
     * Tests: the bookkeeping kept incrementally equals a recount (element count, heap estimate, each node's
     * listpack size) and no node is empty but an empty list's only one.
     */
    void checkBookkeeping() {
        long heap = 0;
        int count = 0;
        for (int ni = 0; ni < nodes.size(); ni++) {
            ListNode n = nodes.get(ni);
            if (n.size() == 0 && nodes.size() > 1) throw new AssertionError("empty node " + ni + " of " + nodes.size());
            long lp = LISTPACK_HEADER;
            long nodeHeap = 0;
            for (int i = 0; i < n.size(); i++) {
                byte[] e = n.get(i);
                lp += listpackEntryBytes(e);
                nodeHeap += n.heapOf(e.length);
            }
            if (lp != n.lpBytes) throw new AssertionError("node " + ni + " lpBytes " + n.lpBytes + ", recounted " + lp);
            if (nodeHeap != n.heapBytes()) throw new AssertionError("node " + ni + " heap " + n.heapBytes() + ", recounted " + nodeHeap);
            heap += nodeHeap;
            count += n.size();
        }
        if (count != size) throw new AssertionError("size " + size + ", recounted " + count);
        if (heap != elementHeap) throw new AssertionError("element heap " + elementHeap + ", recounted " + heap);
    }

    /** Number of packed nodes (1 for a listpack). */
    public int nodeCount() {
        return nodes.size();
    }

    @Override
    public long estimatedBytes() {
        return LIST_HEAP + elementHeap + (long) nodes.size() * NODE_HEAP;
    }

    // ---- listpack arithmetic (Redis's quicklistNodeLimit / quicklistNodeExceedsLimit) -----------

    /**
     * DEBUG QUICKLIST-PACKED-THRESHOLD (Redis's quicklistSetPackedThreshold): 0 restores the
     * default (1 GB); false, leaving it unchanged, above 4 GB - 1 MB.
     */
    public static boolean setPackedThreshold(long bytes) {
        if (bytes < 0 || bytes > MAX_PACKED_THRESHOLD) return false;
        packedThreshold = bytes == 0 ? DEFAULT_PACKED_THRESHOLD : bytes;
        return true;
    }

    public static long packedThreshold() {
        return packedThreshold;
    }

    /** Redis's isLargeElement: stored alone in a plain node once the list is a quicklist. */
    private static boolean isLarge(byte[] e) {
        return e.length >= packedThreshold;
    }

    /** A node holding one large element, which no other element may join. */
    private static boolean isPlain(ListNode n) {
        // The length alone: reading the element out would copy it on every push to a one-element node.
        return n.size() == 1 && n.firstLength() >= packedThreshold;
    }

    private static long sizeLimit(int fill) {
        if (fill >= 0) return Long.MAX_VALUE;
        int offset = Math.min(-fill - 1, SIZE_LEVELS.length - 1);
        return SIZE_LEVELS[offset];
    }

    private static long countLimit(int fill) {
        if (fill < 0) return 0xffffffffL; // UINT_MAX: size-bounded
        return fill == 0 ? 1 : fill;
    }

    static boolean exceedsLimit(int fill, long newBytes, long newCount) {
        if (fill < 0) return newBytes > sizeLimit(fill);
        if (newBytes > SIZE_SAFETY_LIMIT) return true;
        return newCount > countLimit(fill);
    }

    /** Bytes the element takes inside a listpack (encoding byte(s) + data + back-length). */
    static long listpackEntryBytes(byte[] e) {
        return listpackEntryBytes(e, 0, e.length);
    }

    /** As {@link #listpackEntryBytes(byte[])} for the element in {@code e[off, off + len)}. */
    static long listpackEntryBytes(byte[] e, int off, int len) {
        long enc = integerEncodingBytes(e, off, len);
        if (enc < 0) {
            enc = len < 64 ? 1 + len : len < 4096 ? 2 + len : 5 + len;
        }
        long back = enc <= 127 ? 1 : enc < 16383 ? 2 : enc < 2097151 ? 3 : enc < 268435455 ? 4 : 5;
        return enc + back;
    }

    /** Listpack integer encoding size, or -1 if {@code e} is not a canonical 64-bit integer (string2ll). */
    private static long integerEncodingBytes(byte[] e, int off, int len) {
        if (len == 0 || len > 20) return -1;
        int n = off + len;
        int i = off;
        boolean negative = e[off] == '-';
        if (negative) {
            if (len == 1) return -1;
            i = off + 1;
        }
        if (e[i] == '0' && (n > i + 1 || negative)) return -1; // no leading zeros, no "-0"
        long x = 0; // accumulated as a negative number so Long.MIN_VALUE fits
        for (; i < n; i++) {
            int d = e[i] - '0';
            if (d < 0 || d > 9) return -1;
            if (x < (Long.MIN_VALUE + d) / 10) return -1;
            x = x * 10 - d;
        }
        if (!negative) {
            if (x == Long.MIN_VALUE) return -1;
            x = -x;
        }
        if (x >= 0 && x <= 127) return 1;
        if (x >= -4096 && x <= 4095) return 2;
        if (x >= Short.MIN_VALUE && x <= Short.MAX_VALUE) return 3;
        if (x >= -8388608 && x <= 8388607) return 4;
        if (x >= Integer.MIN_VALUE && x <= Integer.MAX_VALUE) return 5;
        return 9;
    }

    // ---- encoding conversions ---------------------------------------------------------------------

    /**
     * Before adding {@code count} elements of {@code rawBytes} total length: a listpack that would
     * exceed the limit becomes a quicklist (Redis's listTypeTryConvertListpack).
     */
    private void growing(int fill, long rawBytes, long count) {
        if (quicklist) return;
        ListNode only = nodes.first();
        if (exceedsLimit(fill, only.lpBytes + rawBytes, only.size() + count)) {
            quicklist = true;
            // Re-pack the single big node into nodes that respect the limit.
            if (exceedsLimit(fill, only.lpBytes, only.size())) repack(fill);
        }
    }

    /** After removals: a quicklist down to one node under half the limit becomes a listpack. */
    private void shrinking(int fill) {
        if (!quicklist || nodes.size() != 1) return;
        ListNode only = nodes.first();
        long sz = sizeLimit(fill);
        long cnt = countLimit(fill);
        if (sz != Long.MAX_VALUE) sz /= 2;
        cnt /= 2;
        if (only.lpBytes > sz || only.size() > cnt) return;
        quicklist = false;
    }

    private void repack(int fill) {
        Ring<byte[]> all = new Ring<>(size);
        while (nodes.size() > 0) {
            ListNode n = nodes.removeFirst();
            for (int i = 0; i < n.size(); i++) all.addLast(n.get(i));
        }
        ListNode cur = null;
        elementHeap = 0;
        for (int i = 0; i < all.size(); i++) {
            byte[] e = all.get(i);
            long eb = listpackEntryBytes(e);
            if (cur == null || isLarge(e) || isPlain(cur) || exceedsLimit(fill, cur.lpBytes + eb, cur.size() + 1)) {
                if (cur != null) elementHeap += cur.heapBytes();
                cur = ListNode.forElement(e.length);
                nodes.addLast(cur);
            }
            cur.addLast(e);
            cur.lpBytes += eb;
        }
        if (cur == null) nodes.addLast(new PackedNode());
        else elementHeap += cur.heapBytes();
    }

    // ---- pushes and pops ------------------------------------------------------------------------

    /** LPUSH / RPUSH of {@code args[from..]} one by one (so LPUSH a b c gives c b a). */
    public void push(boolean left, byte[][] args, int from) {
        int fill = fill();
        long raw = 0;
        for (int i = from; i < args.length; i++) raw += args[i].length;
        growing(fill, raw, args.length - from);
        for (int i = from; i < args.length; i++) {
            if (left) pushFirst(args[i], fill);
            else pushLast(args[i], fill);
        }
    }

    public void pushLeft(byte[] e) {
        int fill = fill();
        growing(fill, e.length, 1);
        pushFirst(e, fill);
    }

    public void pushRight(byte[] e) {
        int fill = fill();
        growing(fill, e.length, 1);
        pushLast(e, fill);
    }

    private ListNode nodeForInsert(ListNode n, byte[] e, long entryBytes, int fill) {
        if (!quicklist || n.size() == 0) return n;
        if (isLarge(e) || isPlain(n)) return null; // a large element goes alone into a plain node
        return exceedsLimit(fill, n.lpBytes + entryBytes, n.size() + 1) ? null : n;
    }

    private void pushFirst(byte[] e, int fill) {
        long eb = listpackEntryBytes(e);
        ListNode end = nodes.first();
        ListNode n = nodeForInsert(end, e, eb, fill);
        if (n == null) {
            n = openNode(end, e, true);
            nodes.addFirst(n);
        } else if (n.size() == 0 && !n.suits(e.length)) {
            n = ListNode.forElement(e.length);
            nodes.set(0, n);
        }
        n.addFirst(e);
        n.lpBytes += eb;
        size++;
        elementHeap += n.heapOf(e.length);
    }

    private void pushLast(byte[] e, int fill) {
        long eb = listpackEntryBytes(e);
        ListNode end = nodes.last();
        ListNode n = nodeForInsert(end, e, eb, fill);
        if (n == null) {
            n = openNode(end, e, false);
            nodes.addLast(n);
        } else if (n.size() == 0 && !n.suits(e.length)) {
            // The empty list's only node: swapped for the kind the first element is kept in.
            n = ListNode.forElement(e.length);
            nodes.set(nodes.size() - 1, n);
        }
        n.addLast(e);
        n.lpBytes += eb;
        size++;
        elementHeap += n.heapOf(e.length);
    }

    /**
     * The node a push opens at an end of the list. When the end node is full and the element would have joined it
     * (it is not large and the end node is not plain), the list is growing at that end: the new node starts with the
     * room the full one's entries take (at most {@link #MAX_NODE_ROOM}), where growing its buffer by half each time
     * it fills copied ~2 KB per 1 KB element (an LPUSH allocated 3.2 KB for a 1 KB value, and while the heap grows
     * each of those bytes is a first touch of fresh memory: bench/results/2026-12-07-lpush-bimodal.md). A long
     * element opens a {@link ReferenceNode} instead, with as many slots as a full one of those had.
     */
    private static ListNode openNode(ListNode full, byte[] e, boolean prepends) {
        boolean filling = full != null && full.size() > 0 && !isLarge(e) && !isPlain(full);
        if (ReferenceNode.keeps(e.length)) {
            return new ReferenceNode(filling && full instanceof ReferenceNode ? full.size() : ReferenceNode.DEFAULT_CAPACITY);
        }
        if (filling && full instanceof PackedNode packed) {
            return PackedNode.withRoom(Math.min(packed.usedBytes(), MAX_NODE_ROOM), prepends);
        }
        return new PackedNode();
    }

    /** Removes and returns the first element, or null when empty. */
    public byte[] popLeft() {
        if (size == 0) return null;
        ListNode n = nodes.first();
        byte[] e = n.removeFirst();
        removedFrom(n, 0, e);
        shrinking(fill());
        return e;
    }

    /** Removes and returns the last element, or null when empty. */
    public byte[] popRight() {
        if (size == 0) return null;
        int ni = nodes.size() - 1;
        ListNode n = nodes.get(ni);
        byte[] e = n.removeLast();
        removedFrom(n, ni, e);
        shrinking(fill());
        return e;
    }

    public byte[] pop(boolean left) {
        return left ? popLeft() : popRight();
    }

    /**
     * Removes the first or last element and hands its bytes to {@code sink} straight from the node:
     * LPOP's reply is written without copying the element out first (one copy, as Redis's). The sink
     * must not change this list. False when empty.
     */
    public boolean pop(boolean left, ByteRangeSink sink) {
        if (size == 0) return false;
        int ni = left ? 0 : nodes.size() - 1;
        ListNode n = nodes.get(ni);
        long heap = n.popInto(left, sink);
        removedFrom(n, ni, heap);
        shrinking(fill());
        return true;
    }

    /** Bookkeeping after {@code e} left node {@code n} (at node index {@code ni}): drops empty nodes. */
    private void removedFrom(ListNode n, int ni, byte[] e) {
        n.lpBytes -= listpackEntryBytes(e);
        removedFrom(n, ni, n.heapOf(e.length));
    }

    /** As {@link #removedFrom(ListNode, int, byte[])} once the node's {@code lpBytes} are down already. */
    private void removedFrom(ListNode n, int ni, long heap) {
        size--;
        elementHeap -= heap;
        if (n.size() == 0 && nodes.size() > 1) nodes.remove(ni);
        else n.compact();
    }

    // ---- indexed access -------------------------------------------------------------------------

    /** Node index in the high 32 bits, offset in the low 32 bits, of element {@code index} (0..size-1). */
    private long locate(int index) {
        if (index < size / 2) {
            int ni = 0;
            while (true) {
                int s = nodes.get(ni).size();
                if (index < s) return ((long) ni << 32) | index;
                index -= s;
                ni++;
            }
        }
        int fromEnd = size - 1 - index;
        int ni = nodes.size() - 1;
        while (true) {
            int s = nodes.get(ni).size();
            if (fromEnd < s) return ((long) ni << 32) | (s - 1 - fromEnd);
            fromEnd -= s;
            ni--;
        }
    }

    /** Turns a Redis index (negative = from the end) into 0..size-1, or -1 when out of range. */
    public int normalize(long index) {
        if (index < 0) index += size;
        return index < 0 || index >= size ? -1 : (int) index;
    }

    /** Element at 0-based {@code index} (must be in range). */
    public byte[] get(int index) {
        long loc = locate(index);
        return nodes.get((int) (loc >>> 32)).get((int) loc);
    }

    /** LSET: replaces element {@code index} (in range). */
    public void set(int index, byte[] e) {
        int fill = fill();
        growing(fill, e.length, 0);
        long loc = locate(index);
        ListNode n = nodes.get((int) (loc >>> 32));
        byte[] old = n.set((int) loc, e);
        n.lpBytes += listpackEntryBytes(e) - listpackEntryBytes(old);
        elementHeap += n.heapOf(e.length) - n.heapOf(old.length);
        if (quicklist && n.size() > 1 && isLarge(e)) isolate((int) (loc >>> 32), (int) loc);
        else if (quicklist && n.size() > 1 && exceedsLimit(fill, n.lpBytes, n.size())) splitNode((int) (loc >>> 32));
        shrinking(fill);
    }

    /** Inserts {@code e} so that it becomes element {@code index} (0..size). */
    public void insertAt(int index, byte[] e) {
        if (index == 0) {
            pushLeft(e);
            return;
        }
        if (index == size) {
            pushRight(e);
            return;
        }
        int fill = fill();
        growing(fill, e.length, 1);
        long loc = locate(index);
        int ni = (int) (loc >>> 32);
        ListNode n = nodes.get(ni);
        if (quicklist && isPlain(n)) {
            // Nothing joins a plain node: the element goes into a node of its own before it.
            ListNode before = ListNode.forElement(e.length);
            nodes.add(ni, before);
            n = before;
            loc = (long) ni << 32;
        }
        n.add((int) loc, e);
        n.lpBytes += listpackEntryBytes(e);
        size++;
        elementHeap += n.heapOf(e.length);
        if (quicklist && n.size() > 1 && isLarge(e)) isolate(ni, (int) loc);
        else if (quicklist && exceedsLimit(fill, n.lpBytes, n.size())) splitNode(ni);
    }

    /**
     * Splits node {@code ni} around its element {@code at} so that element sits alone in a plain
     * node, with the elements before and after it in nodes of their own (Redis inserts a large
     * element mid-node the same way).
     */
    private void isolate(int ni, int at) {
        ListNode n = nodes.get(ni);
        long heapBefore = n.heapBytes();
        ListNode after = n.size() > at + 1 ? ListNode.forElement(n.get(at + 1).length) : new PackedNode();
        while (n.size() > at + 1) {
            byte[] x = n.removeLast();
            long xb = listpackEntryBytes(x);
            n.lpBytes -= xb;
            after.addFirst(x);
            after.lpBytes += xb;
        }
        byte[] large = n.removeLast();
        long lb = listpackEntryBytes(large);
        n.lpBytes -= lb;
        ListNode plain = ListNode.forElement(large.length);
        plain.addLast(large);
        plain.lpBytes += lb;
        elementHeap += n.heapBytes() + plain.heapBytes() + after.heapBytes() - heapBefore;
        int next = ni + 1;
        if (n.size() == 0) {
            nodes.remove(ni);
            next = ni;
        }
        nodes.add(next, plain);
        if (after.size() > 0) nodes.add(next + 1, after);
    }

    /** Splits an over-full node into two halves. */
    private void splitNode(int ni) {
        ListNode n = nodes.get(ni);
        int keep = n.size() / 2;
        long heapBefore = n.heapBytes();
        ListNode tail = n instanceof ReferenceNode ? new ReferenceNode(n.size() - keep) : new PackedNode(n.size() - keep);
        while (n.size() > keep) {
            byte[] e = n.removeLast();
            long eb = listpackEntryBytes(e);
            n.lpBytes -= eb;
            tail.addFirst(e);
            tail.lpBytes += eb;
        }
        elementHeap += n.heapBytes() + tail.heapBytes() - heapBefore;
        nodes.add(ni + 1, tail);
    }

    /** LINSERT: inserts before/after the first element equal to {@code pivot}; false when absent. */
    public boolean insert(byte[] pivot, boolean before, byte[] e) {
        int i = indexOf(pivot);
        if (i < 0) return false;
        insertAt(before ? i : i + 1, e);
        return true;
    }

    private int indexOf(byte[] x) {
        int base = 0;
        for (int ni = 0; ni < nodes.size(); ni++) {
            ListNode n = nodes.get(ni);
            for (int i = 0; i < n.size(); i++) if (Arrays.equals(n.get(i), x)) return base + i;
            base += n.size();
        }
        return -1;
    }

    /** Calls {@code out} for elements {@code from..to} (0-based, inclusive, in range), in order, each a copy. */
    public void forEach(int from, int to, Consumer<byte[]> out) {
        forEachRange(from, to, (bytes, off, len) -> out.accept(Arrays.copyOfRange(bytes, off, off + len)));
    }

    /**
     * Hands elements {@code from..to} (0-based, inclusive, in range) to {@code sink} in order, straight
     * from the nodes' bytes (LRANGE's reply is written without copying each element out first). The
     * sink must not change this list.
     */
    public void forEachRange(int from, int to, ByteRangeSink sink) {
        if (from > to) return;
        long loc = locate(from);
        int ni = (int) (loc >>> 32);
        int off = (int) loc;
        int remaining = to - from + 1;
        while (remaining > 0) {
            ListNode n = nodes.get(ni++);
            int take = Math.min(n.size() - off, remaining);
            if (take > 0) n.forEach(off, off + take - 1, sink);
            remaining -= take;
            off = 0;
        }
    }

    /** A cursor for walking the list from one end (LPOS, LREM). */
    public Cursor cursor(boolean fromHead) {
        return new Cursor(fromHead);
    }

    /** Walks elements head-to-tail or tail-to-head. */
    public final class Cursor {
        private final boolean forward;
        private int ni;
        private int off;
        private int index;

        Cursor(boolean forward) {
            this.forward = forward;
            if (forward) {
                ni = 0;
                off = 0;
                index = 0;
            } else {
                ni = nodes.size() - 1;
                off = nodes.get(ni).size() - 1;
                index = size - 1;
            }
            skipEmpty();
        }

        private void skipEmpty() {
            if (forward) {
                while (ni < nodes.size() && off >= nodes.get(ni).size()) {
                    ni++;
                    off = 0;
                }
            } else {
                while (ni >= 0 && off < 0) {
                    ni--;
                    if (ni >= 0) off = nodes.get(ni).size() - 1;
                }
            }
        }

        public boolean hasNext() {
            return forward ? ni < nodes.size() : ni >= 0;
        }

        /** 0-based index (from the head) of the element {@link #next()} returns. */
        public int index() {
            return index;
        }

        public byte[] next() {
            byte[] e = nodes.get(ni).get(off);
            if (forward) {
                off++;
                index++;
            } else {
                off--;
                index--;
            }
            skipEmpty();
            return e;
        }
    }

    /** LREM: removes up to {@code count} (0 = all; negative = from the tail) elements equal to {@code x}. */
    public int remove(long count, byte[] x) {
        boolean fromTail = count < 0;
        long limit = count == 0 ? Long.MAX_VALUE : Math.abs(count);
        int removed = 0;
        if (!fromTail) {
            for (int ni = 0; ni < nodes.size() && removed < limit; ) {
                ListNode n = nodes.get(ni);
                for (int i = 0; i < n.size() && removed < limit; ) {
                    byte[] e = n.get(i);
                    if (Arrays.equals(e, x)) {
                        n.remove(i);
                        n.lpBytes -= listpackEntryBytes(e);
                        size--;
                        elementHeap -= n.heapOf(e.length);
                        removed++;
                    } else {
                        i++;
                    }
                }
                if (n.size() == 0 && nodes.size() > 1) nodes.remove(ni);
                else ni++;
            }
        } else {
            for (int ni = nodes.size() - 1; ni >= 0 && removed < limit; ni--) {
                ListNode n = nodes.get(ni);
                for (int i = n.size() - 1; i >= 0 && removed < limit; i--) {
                    byte[] e = n.get(i);
                    if (Arrays.equals(e, x)) {
                        n.remove(i);
                        n.lpBytes -= listpackEntryBytes(e);
                        size--;
                        elementHeap -= n.heapOf(e.length);
                        removed++;
                    }
                }
                if (n.size() == 0 && nodes.size() > 1) nodes.remove(ni);
            }
        }
        if (removed > 0) {
            int fill = fill();
            mergeSmallNodes(fill);
            shrinking(fill);
        }
        return removed;
    }

    /** Merges neighbouring nodes that fit together, so LREM/LTRIM don't leave many tiny nodes. */
    private void mergeSmallNodes(int fill) {
        if (!quicklist) return;
        for (int ni = 0; ni + 1 < nodes.size(); ) {
            ListNode a = nodes.get(ni);
            ListNode b = nodes.get(ni + 1);
            if (!exceedsLimit(fill, a.lpBytes + b.lpBytes - LISTPACK_HEADER, a.size() + b.size())) {
                long heapBefore = a.heapBytes() + b.heapBytes();
                for (int i = 0; i < b.size(); i++) a.addLast(b.get(i));
                elementHeap += a.heapBytes() - heapBefore;
                a.lpBytes += b.lpBytes - LISTPACK_HEADER;
                nodes.remove(ni + 1);
            } else {
                ni++;
            }
        }
    }

    /** LTRIM with already-normalized bounds: keeps elements {@code from..to} (0-based inclusive). */
    public void trim(int from, int to) {
        if (from > to || from >= size) {
            while (size > 0) popRight();
            return;
        }
        int dropTail = size - 1 - to;
        for (int i = 0; i < from; i++) popLeftNoShrink();
        for (int i = 0; i < dropTail; i++) popRightNoShrink();
        shrinking(fill());
    }

    private void popLeftNoShrink() {
        ListNode n = nodes.first();
        removedFrom(n, 0, n.removeFirst());
    }

    private void popRightNoShrink() {
        int ni = nodes.size() - 1;
        ListNode n = nodes.get(ni);
        removedFrom(n, ni, n.removeLast());
    }

    // ---- copy and rewrite -----------------------------------------------------------------------

    /** An independent copy (node buffers are copied; element arrays, which nobody writes to, may be shared). */
    @Override
    public ListValue copy() {
        ListValue c = new ListValue(limits);
        c.nodes.clear();
        for (int ni = 0; ni < nodes.size(); ni++) {
            c.nodes.addLast(nodes.get(ni).copy());
        }
        c.size = size;
        c.quicklist = quicklist;
        c.elementHeap = elementHeap;
        return c;
    }

    private static final byte[] RPUSH = {'R', 'P', 'U', 'S', 'H'};

    /** Emits RPUSH commands (64 elements each) that rebuild this list under {@code key}. */
    @Override
    public void emit(byte[] key, Consumer<byte[][]> out) {
        int batch = 64;
        byte[][] cmd = null;
        int fill = 0;
        Cursor cur = cursor(true);
        int left = size;
        while (cur.hasNext()) {
            if (cmd == null) {
                cmd = new byte[2 + Math.min(batch, left)][];
                cmd[0] = RPUSH;
                cmd[1] = key;
                fill = 2;
            }
            cmd[fill++] = cur.next();
            left--;
            if (fill == cmd.length) {
                out.accept(cmd);
                cmd = null;
            }
        }
    }

    /**
     * Visits the quicklist's nodes head first: {@code node.accept(elementCount, plain)} and then
     * every element of that node through {@code element}. The RDB writer saves one listpack (or
     * plain node) per node, as Redis's quicklist2 serialisation does.
     */
    public void forEachNode(java.util.function.BiConsumer<Integer, Boolean> node, Consumer<byte[]> element) {
        for (int ni = 0; ni < nodes.size(); ni++) {
            ListNode n = nodes.get(ni);
            if (n.size() == 0) continue;
            node.accept(n.size(), quicklist && isPlain(n));
            for (int i = 0; i < n.size(); i++) element.accept(n.get(i));
        }
    }

    /** All elements, head first (tests, debugging). */
    public java.util.List<byte[]> toList() {
        java.util.List<byte[]> out = new java.util.ArrayList<>(size);
        if (size > 0) forEach(0, size - 1, out::add);
        return out;
    }
}
