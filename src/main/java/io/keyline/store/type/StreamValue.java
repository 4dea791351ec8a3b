package io.keyline.store.type;

import io.keyline.store.AofRewritable;
import io.keyline.store.CollectionValue;
import io.keyline.store.Copyable;
import io.keyline.store.Memory;
import io.keyline.store.TypedValue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A Redis stream (Redis 7.2's {@code stream.h}): entries ordered by ID, the stream's last ID,
 * entries-added counter, max deleted ID, and consumer groups with their pending entries lists.
 * Entries are packed into {@link Node}s (Redis's listpacks under a radix tree), see there. An empty stream is
 * never deleted by the store ({@link #isEmpty()} is always false), as in Redis.
 * Not thread-safe: the caller holds the key's stripe lock.
 */
public final class StreamValue implements CollectionValue, TypedValue, Copyable, AofRewritable {
    /** Redis's SCG_INVALID_ENTRIES_READ. */
    public static final long INVALID_ENTRIES_READ = -1;

    /** A stream ID: two unsigned 64-bit numbers. */
    public record Id(long ms, long seq) implements Comparable<Id> {
        public static final Id ZERO = new Id(0, 0);
        public static final Id MAX = new Id(-1L, -1L);

        @Override
        public int compareTo(Id o) {
            int c = Long.compareUnsigned(ms, o.ms);
            return c != 0 ? c : Long.compareUnsigned(seq, o.seq);
        }

        public boolean isZero() {
            return ms == 0 && seq == 0;
        }

        /** The next ID, or null past the last possible one. */
        public Id next() {
            if (seq != -1L) return new Id(ms, seq + 1);
            if (ms != -1L) return new Id(ms + 1, 0);
            return null;
        }

        /** The previous ID, or null before 0-0. */
        public Id prev() {
            if (seq != 0) return new Id(ms, seq - 1);
            if (ms != 0) return new Id(ms - 1, -1L);
            return null;
        }

        @Override
        public String toString() {
            return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
        }

        /** "ms-seq" as ASCII, written digit by digit (every XADD replies with one: no String on the way). */
        public byte[] bytes() {
            if (ms < 0 || seq < 0) return toString().getBytes(StandardCharsets.US_ASCII); // past 2^63: unsigned text
            int msDigits = digits(ms);
            byte[] out = new byte[msDigits + 1 + digits(seq)];
            writeDigits(out, msDigits, ms);
            out[msDigits] = '-';
            writeDigits(out, out.length, seq);
            return out;
        }

        private static int digits(long v) {
            int d = 1;
            for (long t = v; t >= 10; t /= 10) d++;
            return d;
        }

        /** Writes the non-negative {@code v} so that its last digit is at {@code end - 1}. */
        private static void writeDigits(byte[] out, int end, long v) {
            do {
                out[--end] = (byte) ('0' + v % 10);
                v /= 10;
            } while (v != 0);
        }
    }

    /** A pending entry (Redis's streamNACK). */
    public static final class Nack {
        public long deliveryTime;
        public long deliveryCount;
        public Consumer consumer;

        public Nack(Consumer consumer, long deliveryTime, long deliveryCount) {
            this.consumer = consumer;
            this.deliveryTime = deliveryTime;
            this.deliveryCount = deliveryCount;
        }
    }

    /** A consumer of a group (Redis's streamConsumer). */
    public static final class Consumer {
        public final String name;
        public long seenTime;
        public long activeTime = -1;
        public final TreeMap<Id, Nack> pel = new TreeMap<>();

        Consumer(String name, long now) {
            this.name = name;
            this.seenTime = now;
        }
    }

    /** A consumer group (Redis's streamCG). */
    public static final class Group {
        public final String name;
        public Id lastId;
        public long entriesRead;
        public final TreeMap<Id, Nack> pel = new TreeMap<>();
        public final TreeMap<String, Consumer> consumers = new TreeMap<>();

        Group(String name, Id lastId, long entriesRead) {
            this.name = name;
            this.lastId = lastId;
            this.entriesRead = entriesRead;
        }

        public Consumer consumer(String name) {
            return consumers.get(name);
        }

        /** The consumer, created if missing; null if it exists already and {@code onlyNew}. */
        public Consumer createConsumer(String name, long now) {
            if (consumers.containsKey(name)) return null;
            Consumer c = new Consumer(name, now);
            consumers.put(name, c);
            return c;
        }

        /** Deletes a consumer and its pending entries; returns how many were pending. */
        public long deleteConsumer(String name) {
            Consumer c = consumers.remove(name);
            if (c == null) return -1;
            for (Id id : c.pel.keySet()) pel.remove(id);
            return c.pel.size();
        }
    }

    /**
     * A node: up to {@code stream-node-max-entries} entries / {@code stream-node-max-bytes} bytes packed
     * into one byte[], as Redis keeps a listpack per radix-tree key. Layout: the master fields (varint
     * count, then varint length + bytes each: the field names of the node's first entry), then entries,
     * each {@code flags, varint msDelta, varint seq, [varint pairs, field, value ...] | value ...}:
     * msDelta is against the master ID; seq is relative to the master's seq when msDelta is 0, absolute
     * otherwise (so both stay small for '*' IDs); an entry whose field names equal the master fields has
     * {@link #SAMEFIELDS} and stores only its values. A deleted entry keeps its bytes and gets
     * {@link #DELETED}, as in Redis; the node goes when no live entry is left.
     */
    static final class Node {
        final Id master;
        byte[] buf;
        int size;
        int live;
        int deleted;
        int masterFields;
        int headerEnd;
        long lastMs;
        long lastSeq;

        Node(Id master) {
            this.master = master;
        }

        Node copy() {
            Node n = new Node(master);
            n.buf = java.util.Arrays.copyOf(buf, size);
            n.size = size;
            n.live = live;
            n.deleted = deleted;
            n.masterFields = masterFields;
            n.headerEnd = headerEnd;
            n.lastMs = lastMs;
            n.lastSeq = lastSeq;
            return n;
        }

        void ensure(int extra) {
            if (size + extra > buf.length) buf = java.util.Arrays.copyOf(buf, Math.max(size + extra, buf.length * 2));
        }

        void putVarint(long v) {
            while ((v & ~0x7FL) != 0) {
                buf[size++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[size++] = (byte) v;
        }

        void putBytes(byte[] b) {
            putVarint(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }
    }

    static final byte DELETED = 1;
    static final byte SAMEFIELDS = 2;
    /** Redis's STREAM_LISTPACK_MAX_SIZE: the byte cap when stream-node-max-bytes is 0 or larger. */
    private static final long NODE_MAX_SIZE = 1L << 30;
    /**
     * Heap overhead per node beyond its buffer's bytes: the tree entry (five references and a boolean), the master
     * Id (two longs), the Node object (two references, five ints, two longs) and the buffer's header.
     */
    private static final long NODE_OVERHEAD = Memory.object(5L * Memory.REFERENCE + 1) + Memory.object(16)
            + Memory.object(2L * Memory.REFERENCE + 5 * 4 + 16) + Memory.array(0);

    private static int varintSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            n++;
            v >>>= 7;
        }
        return n;
    }

    /**
     * Reads entries of one node without allocating: {@link #next()} steps to the following entry (deleted
     * ones included) and leaves its flags, ID and the offset of its fields in public fields.
     */
    static final class Walker {
        Node n;
        int pos;
        int at;
        int flags;
        long ms;
        long seq;
        int body;
        long pairs;

        Walker reset(Node node) {
            n = node;
            pos = node.headerEnd;
            return this;
        }

        Walker at(Node node, int off) {
            n = node;
            pos = off;
            return this;
        }

        private long varint() {
            byte[] b = n.buf;
            long v = 0;
            int shift = 0;
            while (true) {
                byte x = b[pos++];
                v |= (long) (x & 0x7F) << shift;
                if (x >= 0) return v;
                shift += 7;
            }
        }

        private void skipBytes() {
            long len = varint();
            pos += (int) len;
        }

        boolean next() {
            if (pos >= n.size) return false;
            at = pos;
            flags = n.buf[pos++];
            long msDelta = varint();
            long s = varint();
            ms = n.master.ms() + msDelta;
            seq = msDelta == 0 ? n.master.seq() + s : s;
            if ((flags & SAMEFIELDS) != 0) {
                pairs = n.masterFields;
                body = pos;
                for (long i = 0; i < pairs; i++) skipBytes();
            } else {
                pairs = varint();
                body = pos;
                for (long i = 0; i < 2 * pairs; i++) skipBytes();
            }
            return true;
        }

        boolean isDeleted() {
            return (flags & DELETED) != 0;
        }

        int compareTo(Id id) {
            int c = Long.compareUnsigned(ms, id.ms());
            return c != 0 ? c : Long.compareUnsigned(seq, id.seq());
        }

        Id id() {
            return new Id(ms, seq);
        }

        /** The current entry's flat field/value array. */
        byte[][] fields() {
            int save = pos;
            byte[][] out = new byte[(int) (2 * pairs)][];
            pos = body;
            if ((flags & SAMEFIELDS) != 0) {
                int mp = n.headerEnd == 0 ? 0 : masterStart();
                for (int i = 0; i < pairs; i++) {
                    int p2 = pos;
                    pos = mp;
                    out[2 * i] = readBytes();
                    mp = pos;
                    pos = p2;
                    out[2 * i + 1] = readBytes();
                }
            } else {
                for (int i = 0; i < out.length; i++) out[i] = readBytes();
            }
            pos = save;
            return out;
        }

        private int masterStart() {
            int save = pos;
            pos = 0;
            varint();
            int s = pos;
            pos = save;
            return s;
        }

        private byte[] readBytes() {
            int len = (int) varint();
            byte[] b = java.util.Arrays.copyOfRange(n.buf, pos, pos + len);
            pos += len;
            return b;
        }
    }

    /** Visits entries in ID order (or reverse); returns false to stop. */
    @FunctionalInterface
    public interface EntryVisitor {
        boolean visit(Id id, byte[][] fields);
    }

    /** Nodes by master ID, as Redis's radix tree keyed by the node's first ID. */
    private final TreeMap<Id, Node> nodes = new TreeMap<>();
    private final Walker walker = new Walker();
    private long length;
    private long nodeBytes;
    private Id lastId = Id.ZERO;
    private Id firstId = Id.ZERO;
    private Id maxDeletedId = Id.ZERO;
    private long entriesAdded;
    private final TreeMap<String, Group> groups = new TreeMap<>();

    /** Names (consumer groups, consumers) are kept as Latin-1 strings: one char per byte, byte order. */
    public static String name(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    public static byte[] nameBytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public String typeName() {
        return "stream";
    }

    @Override
    public String encoding() {
        return "stream";
    }

    /** Streams are not deleted when empty. */
    @Override
    public boolean isEmpty() {
        return false;
    }

    @Override
    public long estimatedBytes() {
        long b = 96 + nodeBytes;
        for (Group g : groups.values()) b += 64 + 80L * g.pel.size() + 64L * g.consumers.size();
        return b;
    }

    public long length() {
        return length;
    }

    /** Radix-tree keys in Redis's terms: the number of nodes. */
    public int nodeCount() {
        return nodes.size();
    }

    public Id lastId() {
        return lastId;
    }

    public Id firstId() {
        return firstId;
    }

    public Id maxDeletedId() {
        return maxDeletedId;
    }

    public long entriesAdded() {
        return entriesAdded;
    }

    public void setLastId(Id id) {
        lastId = id;
    }

    public void setEntriesAdded(long n) {
        entriesAdded = n;
    }

    public void setMaxDeletedId(Id id) {
        maxDeletedId = id;
    }

    /** Positions the walker on the live entry {@code id}; false if there is none. */
    private boolean seek(Id id) {
        Map.Entry<Id, Node> e = nodes.floorEntry(id);
        if (e == null) return false;
        Walker w = walker.reset(e.getValue());
        while (w.next()) {
            int c = w.compareTo(id);
            if (c == 0) return !w.isDeleted();
            if (c > 0) return false;
        }
        return false;
    }

    /** The entry's fields and values, or null if it is not in the stream. */
    public byte[][] get(Id id) {
        return seek(id) ? walker.fields() : null;
    }

    public boolean contains(Id id) {
        return seek(id);
    }

    /** The first live entry, or null. */
    public Map.Entry<Id, byte[][]> first() {
        Object[] out = new Object[2];
        forEach(Id.ZERO, Id.MAX, false, (id, f) -> {
            out[0] = id;
            out[1] = f;
            return false;
        });
        return out[0] == null ? null : Map.entry((Id) out[0], (byte[][]) out[1]);
    }

    /** The last live entry, or null. */
    public Map.Entry<Id, byte[][]> last() {
        Object[] out = new Object[2];
        forEach(Id.ZERO, Id.MAX, true, (id, f) -> {
            out[0] = id;
            out[1] = f;
            return false;
        });
        return out[0] == null ? null : Map.entry((Id) out[0], (byte[][]) out[1]);
    }

    /** The ID of the first live entry after {@code id}, or null. */
    public Id higherId(Id id) {
        Id from = id.next();
        if (from == null) return null;
        Id[] out = new Id[1];
        forEach(from, Id.MAX, false, (i, f) -> {
            out[0] = i;
            return false;
        });
        return out[0];
    }

    /** Visits the live entries with IDs in [start, end], ascending or ({@code rev}) descending. */
    public void forEach(Id start, Id end, boolean rev, EntryVisitor v) {
        if (start.compareTo(end) > 0 || nodes.isEmpty()) return;
        Walker w = new Walker(); // visitors may call back into get(): keep the shared walker free
        if (!rev) {
            Id from = nodes.floorKey(start);
            for (Node n : (from == null ? nodes : nodes.tailMap(from, true)).values()) {
                if (n.master.compareTo(end) > 0) return;
                w.reset(n);
                while (w.next()) {
                    if (w.isDeleted() || w.compareTo(start) < 0) continue;
                    if (w.compareTo(end) > 0) return;
                    if (!v.visit(w.id(), w.fields())) return;
                }
            }
            return;
        }
        int[] offs = new int[16];
        for (Node n : nodes.headMap(end, true).descendingMap().values()) {
            int k = 0;
            w.reset(n);
            while (w.next()) {
                if (k == offs.length) offs = java.util.Arrays.copyOf(offs, k * 2);
                offs[k++] = w.at;
            }
            for (int i = k - 1; i >= 0; i--) {
                w.at(n, offs[i]).next();
                if (w.isDeleted() || w.compareTo(end) > 0) continue;
                if (w.compareTo(start) < 0) return;
                if (!v.visit(w.id(), w.fields())) return;
            }
        }
    }

    /** Appends an entry (fields and values flat) whose ID the caller checked is greater than the last ID. */
    public void append(Id id, byte[][] fields) {
        append(id, fields, 0, fields.length, 100, 4096);
    }

    /**
     * Appends {@code argv[from..to)} (field, value, ...) as entry {@code id}, in the last node unless it
     * is full by {@code maxEntries} (live + deleted, 0 = no cap) or {@code maxBytes}, as streamAppendItem.
     */
    public void append(Id id, byte[][] argv, int from, int to, int maxEntries, long maxBytes) {
        long totelelen = 0;
        for (int i = from; i < to; i++) totelelen += argv[i].length;
        Map.Entry<Id, Node> le = nodes.lastEntry();
        Node n = le == null ? null : le.getValue();
        if (n != null) {
            long cap = maxBytes <= 0 || maxBytes > NODE_MAX_SIZE ? NODE_MAX_SIZE : maxBytes;
            if (n.size + totelelen >= cap || maxEntries > 0 && n.live + n.deleted >= maxEntries) {
                // The full node will take no more entries: give back its spare capacity.
                nodeBytes -= n.buf.length;
                n.buf = java.util.Arrays.copyOf(n.buf, n.size);
                nodeBytes += n.buf.length;
                n = null;
            }
        }
        int pairs = (to - from) / 2;
        if (n == null) {
            n = new Node(id);
            int header = varintSize(pairs);
            for (int i = from; i < to; i += 2) header += varintSize(argv[i].length) + argv[i].length;
            n.buf = new byte[Math.max(64, header + 64)];
            n.putVarint(pairs);
            for (int i = from; i < to; i += 2) n.putBytes(argv[i]);
            n.masterFields = pairs;
            n.headerEnd = n.size;
            nodes.put(id, n);
            nodeBytes += NODE_OVERHEAD + n.buf.length;
        }
        boolean same = pairs == n.masterFields && sameAsMaster(n, argv, from, to);
        long msDelta = id.ms() - n.master.ms();
        long seqEnc = msDelta == 0 ? id.seq() - n.master.seq() : id.seq();
        int need = 1 + varintSize(msDelta) + varintSize(seqEnc) + (same ? 0 : varintSize(pairs));
        for (int i = same ? from + 1 : from; i < to; i += same ? 2 : 1) need += varintSize(argv[i].length) + argv[i].length;
        int oldCap = n.buf.length;
        n.ensure(need);
        nodeBytes += n.buf.length - oldCap;
        n.buf[n.size++] = same ? SAMEFIELDS : 0;
        n.putVarint(msDelta);
        n.putVarint(seqEnc);
        if (same) {
            for (int i = from + 1; i < to; i += 2) n.putBytes(argv[i]);
        } else {
            n.putVarint(pairs);
            for (int i = from; i < to; i++) n.putBytes(argv[i]);
        }
        n.live++;
        n.lastMs = id.ms();
        n.lastSeq = id.seq();
        length++;
        lastId = id;
        entriesAdded++;
        if (length == 1) firstId = id;
    }

    /** Whether the field names of argv[from..to) equal the node's master fields, byte for byte. */
    private static boolean sameAsMaster(Node n, byte[][] argv, int from, int to) {
        byte[] b = n.buf;
        int p = 0;
        while (b[p++] < 0) { } // the field count, already compared
        for (int i = from; i < to; i += 2) {
            int len = 0;
            int shift = 0;
            while (true) {
                byte x = b[p++];
                len |= (x & 0x7F) << shift;
                if (x >= 0) break;
                shift += 7;
            }
            byte[] f = argv[i];
            if (f.length != len || !java.util.Arrays.equals(b, p, p + len, f, 0, len)) return false;
            p += len;
        }
        return true;
    }

    /**
     * Marks the walker's current entry deleted; with {@code dropEmpty}, drops its node when that was the
     * last live entry (XDEL, as streamIteratorRemoveEntry). An exact trim keeps the emptied node, as
     * streamTrim does: it stays in the tree (XINFO's radix-tree-keys) and takes appends until it is full.
     */
    private void markDeleted(Walker w, boolean dropEmpty) {
        Node n = w.n;
        n.buf[w.at] |= DELETED;
        n.live--;
        n.deleted++;
        length--;
        if (dropEmpty && n.live == 0) {
            nodes.remove(n.master);
            nodeBytes -= NODE_OVERHEAD + n.buf.length;
        }
    }

    private void refreshFirstId() {
        Map.Entry<Id, byte[][]> f = length == 0 ? null : first();
        firstId = f == null ? Id.ZERO : f.getKey();
    }

    /** Deletes one entry; true if it existed. Updates first ID and max deleted ID as streamDeleteItem does. */
    public boolean delete(Id id) {
        if (!seek(id)) return false;
        markDeleted(walker, true);
        if (maxDeletedId.compareTo(id) < 0) maxDeletedId = id;
        if (id.equals(firstId)) refreshFirstId();
        return true;
    }

    /** Kept for callers that set the node size before trimming; trimming now follows the real nodes. */
    public void nodeMaxEntries(int n) {
    }

    /** Trims by MAXLEN (streamTrim, TRIM_STRATEGY_MAXLEN); {@code limit} 0 = no limit. */
    public long trimMaxLen(long maxLen, long limit, boolean approx) {
        return trim(maxLen, null, limit, approx);
    }

    /** Trims by MINID (streamTrim, TRIM_STRATEGY_MINID). */
    public long trimMinId(Id minId, long limit, boolean approx) {
        return trim(0, minId, limit, approx);
    }

    /**
     * Redis's streamTrim: whole nodes go from the head while they can; an approximate trim stops at
     * the first node that cannot go whole, an exact one marks entries deleted inside it. The max
     * deleted ID is left alone, as in Redis.
     */
    private long trim(long maxLen, Id minId, long limit, boolean approx) {
        long removed = 0;
        Walker w = walker;
        while (!nodes.isEmpty()) {
            if (minId == null && length <= maxLen) break;
            Node n = nodes.firstEntry().getValue();
            long entries = n.live;
            if (limit > 0 && removed + entries > limit) break;
            boolean removeNode = minId == null
                    ? length - entries >= maxLen
                    : compare(n.lastMs, n.lastSeq, minId) < 0;
            if (removeNode) {
                nodes.pollFirstEntry();
                nodeBytes -= NODE_OVERHEAD + n.buf.length;
                length -= entries;
                removed += entries;
                continue;
            }
            if (approx) break;
            w.reset(n);
            while (w.next()) {
                boolean stop = minId == null ? length <= maxLen : w.compareTo(minId) >= 0;
                if (stop) break;
                if (!w.isDeleted()) {
                    markDeleted(w, false);
                    removed++;
                }
            }
            break;
        }
        refreshFirstId();
        return removed;
    }

    private static int compare(long ms, long seq, Id id) {
        int c = Long.compareUnsigned(ms, id.ms());
        return c != 0 ? c : Long.compareUnsigned(seq, id.seq());
    }

    // ---- groups ---------------------------------------------------------------------------------

    public TreeMap<String, Group> groups() {
        return groups;
    }

    public Group group(String name) {
        return groups.get(name);
    }

    /** Creates a group; null if the name exists. */
    public Group createGroup(String name, Id lastId, long entriesRead) {
        if (groups.containsKey(name)) return null;
        Group g = new Group(name, lastId, entriesRead);
        groups.put(name, g);
        return g;
    }

    public boolean destroyGroup(String name) {
        return groups.remove(name) != null;
    }

    // ---- Redis's counters -----------------------------------------------------------------------

    /** streamEstimateDistanceFromFirstEverEntry. */
    public long estimateDistanceFromFirstEverEntry(Id id) {
        if (entriesAdded == 0) return 0;
        if (length == 0 && id.compareTo(lastId) < 1) return entriesAdded;
        int cmpLast = id.compareTo(lastId);
        if (cmpLast == 0) return entriesAdded;
        if (cmpLast > 0) return INVALID_ENTRIES_READ;
        int cmpIdFirst = id.compareTo(firstId);
        int cmpXdelFirst = maxDeletedId.compareTo(firstId);
        if (maxDeletedId.isZero() || cmpXdelFirst < 0) {
            if (cmpIdFirst < 0) return entriesAdded - length;
            if (cmpIdFirst == 0) return entriesAdded - length + 1;
        }
        return INVALID_ENTRIES_READ;
    }

    /** streamRangeHasTombstones(s, start, NULL). */
    public boolean rangeHasTombstones(Id start) {
        if (length == 0 || maxDeletedId.isZero()) return false;
        // The latest tombstone lies before the first entry (trimmed away since): no fragmentation left.
        if (firstId.compareTo(maxDeletedId) > 0) return false;
        Id s = start == null ? Id.ZERO : start;
        return s.compareTo(maxDeletedId) <= 0;
    }

    /** The group's lag as XINFO reports it, or null when it cannot be known. */
    public Long lag(Group g) {
        if (entriesAdded == 0) return 0L;
        if (g.entriesRead != INVALID_ENTRIES_READ && !rangeHasTombstones(g.lastId)) return entriesAdded - g.entriesRead;
        long read = estimateDistanceFromFirstEverEntry(g.lastId);
        return read == INVALID_ENTRIES_READ ? null : entriesAdded - read;
    }

    // ---- copy / rewrite -------------------------------------------------------------------------

    @Override
    public StreamValue copy() {
        StreamValue c = new StreamValue();
        for (Node n : nodes.values()) c.nodes.put(n.master, n.copy()); // buffers are mutated in place: copy
        c.length = length;
        c.nodeBytes = nodeBytes;
        c.lastId = lastId;
        c.firstId = firstId;
        c.maxDeletedId = maxDeletedId;
        c.entriesAdded = entriesAdded;
        for (Group g : groups.values()) {
            Group ng = c.createGroup(g.name, g.lastId, g.entriesRead);
            for (Consumer cons : g.consumers.values()) {
                Consumer nc = new Consumer(cons.name, cons.seenTime);
                nc.activeTime = cons.activeTime;
                ng.consumers.put(nc.name, nc);
            }
            for (Map.Entry<Id, Nack> e : g.pel.entrySet()) {
                Nack n = e.getValue();
                Consumer nc = ng.consumers.get(n.consumer.name);
                Nack nn = new Nack(nc, n.deliveryTime, n.deliveryCount);
                ng.pel.put(e.getKey(), nn);
                nc.pel.put(e.getKey(), nn);
            }
        }
        return c;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** As Redis's rewriteStreamObject. */
    @Override
    public void emit(byte[] key, java.util.function.Consumer<byte[][]> out) {
        if (length > 0) {
            forEach(Id.ZERO, Id.MAX, false, (id, f) -> {
                byte[][] argv = new byte[3 + f.length][];
                argv[0] = b("XADD");
                argv[1] = key;
                argv[2] = id.bytes();
                System.arraycopy(f, 0, argv, 3, f.length);
                out.accept(argv);
                return true;
            });
        } else {
            // An empty stream: create it with an entry trimmed at once, as Redis does.
            out.accept(new byte[][] {b("XADD"), key, b("MAXLEN"), b("0"), lastId.bytes(), b("x"), b("y")});
        }
        out.accept(new byte[][] {b("XSETID"), key, lastId.bytes(), b("ENTRIESADDED"), b(Long.toString(entriesAdded)),
                b("MAXDELETEDID"), maxDeletedId.bytes()});
        for (Group g : groups.values()) {
            out.accept(new byte[][] {b("XGROUP"), b("CREATE"), key, nameBytes(g.name), g.lastId.bytes(),
                    b("ENTRIESREAD"), b(Long.toString(g.entriesRead))});
            for (Map.Entry<Id, Nack> e : g.pel.entrySet()) {
                Nack n = e.getValue();
                out.accept(new byte[][] {b("XCLAIM"), key, nameBytes(g.name), nameBytes(n.consumer.name), b("0"),
                        e.getKey().bytes(), b("TIME"), b(Long.toString(n.deliveryTime)), b("RETRYCOUNT"),
                        b(Long.toString(n.deliveryCount)), b("JUSTID"), b("FORCE")});
            }
            for (Consumer c : g.consumers.values()) {
                if (!c.pel.isEmpty()) continue;
                out.accept(new byte[][] {b("XGROUP"), b("CREATECONSUMER"), key, nameBytes(g.name), nameBytes(c.name)});
            }
        }
    }
}
