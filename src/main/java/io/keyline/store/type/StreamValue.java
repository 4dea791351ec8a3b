package io.keyline.store.type;

import io.keyline.store.AofRewritable;
import io.keyline.store.CollectionValue;
import io.keyline.store.Copyable;
import io.keyline.store.TypedValue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A Redis stream (Redis 7.2's {@code stream.h}): entries ordered by ID, the stream's last ID,
 * entries-added counter, max deleted ID, and consumer groups with their pending entries lists.
 * Entries are kept in an ordered map of ID to the flat field/value array. An empty stream is
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

        public byte[] bytes() {
            return toString().getBytes(StandardCharsets.US_ASCII);
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

    private final TreeMap<Id, byte[][]> entries = new TreeMap<>();
    private Id lastId = Id.ZERO;
    private Id firstId = Id.ZERO;
    private Id maxDeletedId = Id.ZERO;
    private long entriesAdded;
    private long payloadBytes;
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
        long b = 96 + payloadBytes + 64L * entries.size();
        for (Group g : groups.values()) b += 64 + 80L * g.pel.size() + 64L * g.consumers.size();
        return b;
    }

    public long length() {
        return entries.size();
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

    public NavigableMap<Id, byte[][]> entries() {
        return entries;
    }

    public byte[][] get(Id id) {
        return entries.get(id);
    }

    public Map.Entry<Id, byte[][]> first() {
        return entries.firstEntry();
    }

    public Map.Entry<Id, byte[][]> last() {
        return entries.lastEntry();
    }

    /** Appends an entry whose ID the caller checked is greater than the last ID. */
    public void append(Id id, byte[][] fields) {
        entries.put(id, fields);
        for (byte[] f : fields) payloadBytes += f.length + 16;
        lastId = id;
        entriesAdded++;
        if (entries.size() == 1) firstId = id;
    }

    /** Deletes one entry; true if it existed. Updates first ID and max deleted ID as streamDeleteItem does. */
    public boolean delete(Id id) {
        byte[][] f = entries.remove(id);
        if (f == null) return false;
        for (byte[] x : f) payloadBytes -= x.length + 16;
        if (maxDeletedId.compareTo(id) < 0) maxDeletedId = id;
        firstId = entries.isEmpty() ? Id.ZERO : entries.firstKey();
        return true;
    }

    /** Entries per node for approximate trimming (stream-node-max-entries). */
    private int nodeEntries = 100;

    public void nodeMaxEntries(int n) {
        nodeEntries = n <= 0 ? 100 : n;
    }

    /**
     * Trims by MAXLEN: removes the oldest entries beyond {@code maxLen}, at most {@code limit} (0 = no
     * limit). {@code approx} ({@code ~}) removes whole nodes only, as Redis's streamTrim does: entries
     * are counted in nodes of {@code stream-node-max-entries} from the oldest one.
     */
    public long trimMaxLen(long maxLen, long limit, boolean approx) {
        long removed = 0;
        if (approx) {
            while (entries.size() - nodeEntries >= maxLen && (limit <= 0 || removed + nodeEntries <= limit)) {
                for (int i = 0; i < nodeEntries; i++) removeFirstForTrim();
                removed += nodeEntries;
            }
            return removed;
        }
        while (entries.size() > maxLen) {
            removeFirstForTrim();
            removed++;
        }
        return removed;
    }

    /** Trims by MINID: removes entries with IDs below {@code minId} ({@code approx}: whole nodes only). */
    public long trimMinId(Id minId, long limit, boolean approx) {
        long removed = 0;
        if (approx) {
            while (entries.size() >= nodeEntries && (limit <= 0 || removed + nodeEntries <= limit)) {
                // A node goes only if its last entry is below the threshold.
                Id lastOfNode = null;
                int i = 0;
                for (Id id : entries.keySet()) {
                    if (++i == nodeEntries) {
                        lastOfNode = id;
                        break;
                    }
                }
                if (lastOfNode == null || lastOfNode.compareTo(minId) >= 0) break;
                for (int k = 0; k < nodeEntries; k++) removeFirstForTrim();
                removed += nodeEntries;
            }
            return removed;
        }
        while (!entries.isEmpty() && entries.firstKey().compareTo(minId) < 0) {
            removeFirstForTrim();
            removed++;
        }
        return removed;
    }

    private void removeFirstForTrim() {
        Map.Entry<Id, byte[][]> e = entries.pollFirstEntry();
        for (byte[] x : e.getValue()) payloadBytes -= x.length + 16;
        firstId = entries.isEmpty() ? Id.ZERO : entries.firstKey(); // as streamTrim: max deleted ID untouched
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
        if (entries.isEmpty() && id.compareTo(lastId) < 1) return entriesAdded;
        int cmpLast = id.compareTo(lastId);
        if (cmpLast == 0) return entriesAdded;
        if (cmpLast > 0) return INVALID_ENTRIES_READ;
        int cmpIdFirst = id.compareTo(firstId);
        int cmpXdelFirst = maxDeletedId.compareTo(firstId);
        if (maxDeletedId.isZero() || cmpXdelFirst < 0) {
            if (cmpIdFirst < 0) return entriesAdded - entries.size();
            if (cmpIdFirst == 0) return entriesAdded - entries.size() + 1;
        }
        return INVALID_ENTRIES_READ;
    }

    /** streamRangeHasTombstones(s, start, NULL). */
    public boolean rangeHasTombstones(Id start) {
        if (entries.isEmpty() || maxDeletedId.isZero()) return false;
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
        c.entries.putAll(entries); // field arrays are never mutated in place
        c.lastId = lastId;
        c.firstId = firstId;
        c.maxDeletedId = maxDeletedId;
        c.entriesAdded = entriesAdded;
        c.payloadBytes = payloadBytes;
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
        if (!entries.isEmpty()) {
            for (Map.Entry<Id, byte[][]> e : entries.entrySet()) {
                byte[][] f = e.getValue();
                byte[][] argv = new byte[3 + f.length][];
                argv[0] = b("XADD");
                argv[1] = key;
                argv[2] = e.getKey().bytes();
                System.arraycopy(f, 0, argv, 3, f.length);
                out.accept(argv);
            }
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
