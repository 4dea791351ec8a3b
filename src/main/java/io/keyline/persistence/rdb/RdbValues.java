package io.keyline.persistence.rdb;

import io.keyline.store.EncodingLimits;
import io.keyline.store.Strings;
import io.keyline.store.type.HashValue;
import io.keyline.store.type.ListValue;
import io.keyline.store.type.SetValue;
import io.keyline.store.type.SortedSetValue;
import io.keyline.store.type.StreamValue;
import io.keyline.util.DoubleFormat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One value in RDB form, both ways ({@code rdbSaveObjectType}/{@code rdbSaveObject} and
 * {@code rdbLoadObject} of Redis 7.2's {@code rdb.c}). The writer picks the type Redis would for
 * the value's encoding (listpack forms as their blob, big forms element by element); version 10
 * leaves out what 7.0 cannot read (set listpacks, stream consumers' active time). The reader takes
 * every type id 7.2 loads and builds the value through its normal operations, so the encoding is
 * the one the server's limits give, as after Redis's load-time conversions. An empty collection, a
 * duplicate member or any inconsistency is an {@link RdbFormatException} (RESTORE's "Bad data format").
 */
public final class RdbValues {
    private static final int STREAM_ITEM_FLAG_DELETED = 1;
    private static final int STREAM_ITEM_FLAG_SAMEFIELDS = 2;
    private static final int STREAM_NODE_MAX_BYTES = 4096;

    private RdbValues() {
    }

    // ---- writing ---------------------------------------------------------------------------------

    /**
     * Writes {@code value}'s type byte and body; {@code version} 11 (Redis 7.2) or 10 (7.0).
     * Returns false for a value that is not one of Keyline's types.
     */
    public static boolean write(Object value, Rdb.Output out, int version, int streamNodeMaxEntries) {
        return write(value, null, out, version, streamNodeMaxEntries);
    }

    /**
     * As above with the key between the type byte and the body, as a file's record has it
     * ({@code rdbSaveObjectType}, {@code rdbSaveStringObject(key)}, {@code rdbSaveObject}).
     */
    public static boolean write(Object value, byte[] key, Rdb.Output out, int version, int streamNodeMaxEntries) {
        if (!(Strings.isString(value) || value instanceof ListValue || value instanceof SetValue || value instanceof HashValue
                || value instanceof SortedSetValue || value instanceof StreamValue)) {
            return false;
        }
        writeTyped(value, key, out, version, streamNodeMaxEntries);
        return true;
    }

    private static void writeTyped(Object value, byte[] key, Rdb.Output out, int version, int streamNodeMaxEntries) {
        if (Strings.isString(value)) {
            type(out, Rdb.TYPE_STRING, key);
            out.writeString(Strings.array(value), 0, Strings.length(value));
        } else if (value instanceof ListValue l) {
            writeList(l, out, key);
        } else if (value instanceof SetValue s) {
            writeSet(s, out, version, key);
        } else if (value instanceof HashValue h) {
            writeHash(h, out, key);
        } else if (value instanceof SortedSetValue z) {
            writeZset(z, out, key);
        } else if (value instanceof StreamValue s) {
            writeStream(s, out, version, streamNodeMaxEntries, key);
        }
    }

    /** The type byte, then the key a file record puts there (null for DUMP's payload). */
    private static void type(Rdb.Output out, int type, byte[] key) {
        out.writeByte(type);
        if (key != null) out.writeString(key);
    }

    private static void writeList(ListValue l, Rdb.Output out, byte[] key) {
        type(out, Rdb.TYPE_LIST_QUICKLIST_2, key);
        int[] counter = new int[1];
        l.forEachNode((n, plain) -> counter[0]++, e -> { });
        out.writeLen(counter[0]);
        Listpack.Builder[] cur = new Listpack.Builder[1];
        int[] left = new int[1];
        boolean[] isPlain = new boolean[1];
        l.forEachNode((n, plain) -> {
            left[0] = n;
            isPlain[0] = plain;
            out.writeLen(plain ? Rdb.QUICKLIST_NODE_PLAIN : Rdb.QUICKLIST_NODE_PACKED);
            cur[0] = plain ? null : new Listpack.Builder(64);
        }, e -> {
            if (isPlain[0]) {
                out.writeString(e);
            } else {
                cur[0].append(e);
                if (--left[0] == 0) out.writeString(cur[0].bytes());
            }
        });
    }

    private static void writeSet(SetValue s, Rdb.Output out, int version, byte[] key) {
        String enc = s.encoding();
        if (SetValue.INTSET.equals(enc)) {
            long[] v = new long[s.size()];
            int[] i = {0};
            s.forEach(m -> v[i[0]++] = Rdb.parseCanonicalLong(m, 0, m.length));
            Arrays.sort(v);
            type(out, Rdb.TYPE_SET_INTSET, key);
            out.writeString(OldEncodings.writeIntset(v));
        } else if (SetValue.LISTPACK.equals(enc) && version >= 11) {
            Listpack.Builder lp = new Listpack.Builder();
            s.forEach(lp::append);
            type(out, Rdb.TYPE_SET_LISTPACK, key);
            out.writeString(lp.bytes());
        } else {
            type(out, Rdb.TYPE_SET, key);
            out.writeLen(s.size());
            s.forEach(out::writeString);
        }
    }

    private static void writeHash(HashValue h, Rdb.Output out, byte[] key) {
        if (h.isListpack()) {
            Listpack.Builder lp = new Listpack.Builder();
            h.forEach((f, v) -> {
                lp.append(f);
                lp.append(v);
            });
            type(out, Rdb.TYPE_HASH_LISTPACK, key);
            out.writeString(lp.bytes());
        } else {
            type(out, Rdb.TYPE_HASH, key);
            out.writeLen(h.size());
            h.forEach((f, v) -> {
                out.writeString(f);
                out.writeString(v);
            });
        }
    }

    private static void writeZset(SortedSetValue z, Rdb.Output out, byte[] key) {
        if (SortedSetValue.LISTPACK.equals(z.encoding())) {
            Listpack.Builder lp = new Listpack.Builder();
            z.forEach((m, score) -> {
                lp.append(m);
                // zzlInsertAt: integral scores as integers, others as d2string's text
                lp.append(DoubleFormat.format(score).getBytes(StandardCharsets.US_ASCII));
            });
            type(out, Rdb.TYPE_ZSET_LISTPACK, key);
            out.writeString(lp.bytes());
        } else {
            type(out, Rdb.TYPE_ZSET_2, key);
            out.writeLen(z.size());
            // Redis saves from the greatest to the smallest so loading inserts at the head: O(1) each.
            z.range(z.size() - 1, z.size(), true, (m, score) -> {
                out.writeString(m);
                out.writeBinaryDouble(score);
            });
        }
    }

    /** The stream as Redis's rax of listpacks, nodes cut where {@code streamAppendItem} would cut them. */
    private static void writeStream(StreamValue s, Rdb.Output out, int version, int maxEntries, byte[] key) {
        type(out, version >= 11 ? Rdb.TYPE_STREAM_LISTPACKS_3 : Rdb.TYPE_STREAM_LISTPACKS_2, key);
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> blobs = new ArrayList<>();
        Listpack.Builder body = null; // master fields, terminator and entries of the node being filled
        byte[][] master = null;
        StreamValue.Id masterId = null;
        int count = 0;
        List<Map.Entry<StreamValue.Id, byte[][]>> entries = new ArrayList<>();
        s.forEach(StreamValue.Id.ZERO, StreamValue.Id.MAX, false, (id, fields) -> {
            byte[][] copy = new byte[fields.length][];
            for (int i = 0; i < fields.length; i++) copy[i] = fields[i].clone(); // the walker may reuse its buffers
            entries.add(Map.entry(id, copy));
            return true;
        });
        for (Map.Entry<StreamValue.Id, byte[][]> e : entries) {
            byte[][] fv = e.getValue();
            int numFields = fv.length / 2;
            long totelelen = 0;
            for (byte[] x : fv) totelelen += x.length;
            if (body != null) {
                long lpBytes = body.bytesSoFar() + Listpack.Builder.integerEntrySize(count) + Listpack.Builder.integerEntrySize(0);
                if (lpBytes + totelelen >= STREAM_NODE_MAX_BYTES || (maxEntries > 0 && count >= maxEntries)) {
                    finishNode(keys, blobs, masterId, body, count);
                    body = null;
                }
            }
            if (body == null) {
                body = new Listpack.Builder(256);
                masterId = e.getKey();
                master = new byte[numFields][];
                body.appendInteger(numFields);
                for (int i = 0; i < numFields; i++) {
                    master[i] = fv[2 * i];
                    body.append(master[i]);
                }
                body.appendInteger(0);
                count = 0;
            }
            boolean same = master.length == numFields;
            for (int i = 0; same && i < numFields; i++) same = Arrays.equals(master[i], fv[2 * i]);
            StreamValue.Id id = e.getKey();
            body.appendInteger(same ? STREAM_ITEM_FLAG_SAMEFIELDS : 0);
            body.appendInteger(id.ms() - masterId.ms());
            body.appendInteger(id.seq() - masterId.seq());
            if (!same) body.appendInteger(numFields);
            for (int i = 0; i < numFields; i++) {
                if (!same) body.append(fv[2 * i]);
                body.append(fv[2 * i + 1]);
            }
            body.appendInteger(same ? numFields + 3 : 2L * numFields + 4);
            count++;
        }
        if (body != null) finishNode(keys, blobs, masterId, body, count);
        out.writeLen(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            out.writeString(keys.get(i));
            out.writeString(blobs.get(i));
        }
        out.writeLen(s.length());
        writeId(out, s.lastId());
        writeId(out, s.firstId());
        writeId(out, s.maxDeletedId());
        out.writeLen(s.entriesAdded());
        out.writeLen(s.groups().size());
        for (StreamValue.Group g : s.groups().values()) {
            out.writeString(StreamValue.nameBytes(g.name));
            writeId(out, g.lastId);
            out.writeLen(g.entriesRead);
            out.writeLen(g.pel.size());
            for (Map.Entry<StreamValue.Id, StreamValue.Nack> n : g.pel.entrySet()) {
                writeRawId(out, n.getKey());
                out.writeMillis(n.getValue().deliveryTime);
                out.writeLen(n.getValue().deliveryCount);
            }
            out.writeLen(g.consumers.size());
            for (StreamValue.Consumer c : g.consumers.values()) {
                out.writeString(StreamValue.nameBytes(c.name));
                out.writeMillis(c.seenTime);
                if (version >= 11) out.writeMillis(c.activeTime);
                out.writeLen(c.pel.size());
                for (StreamValue.Id id : c.pel.keySet()) writeRawId(out, id);
            }
        }
    }

    private static void finishNode(List<byte[]> keys, List<byte[]> blobs, StreamValue.Id masterId, Listpack.Builder body, int count) {
        Listpack.Builder lp = new Listpack.Builder(body.bytesSoFar() + 16);
        lp.appendInteger(count);
        lp.appendInteger(0);
        lp.appendAll(body);
        byte[] key = new byte[16];
        putBE(key, 0, masterId.ms());
        putBE(key, 8, masterId.seq());
        keys.add(key);
        blobs.add(lp.bytes());
    }

    private static void putBE(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) b[at + i] = (byte) (v >>> (56 - 8 * i));
    }

    private static void writeId(Rdb.Output out, StreamValue.Id id) {
        out.writeLen(id.ms());
        out.writeLen(id.seq());
    }

    private static void writeRawId(Rdb.Output out, StreamValue.Id id) {
        out.writeBE(id.ms(), 8);
        out.writeBE(id.seq(), 8);
    }

    // ---- reading ---------------------------------------------------------------------------------

    /**
     * Reads a value of RDB type {@code type} (the byte before it already consumed). Values are
     * built with {@code limits}, Keyline's encoding thresholds.
     */
    public static Object read(int type, Rdb.Input in, EncodingLimits limits) {
        switch (type) {
            case Rdb.TYPE_STRING:
                return in.readString();
            case Rdb.TYPE_LIST: {
                int n = nonEmpty(in.readCount());
                ListValue l = new ListValue(limits);
                for (int i = 0; i < n; i++) l.pushRight(in.readString());
                return l;
            }
            case Rdb.TYPE_LIST_ZIPLIST: {
                ListValue l = new ListValue(limits);
                for (byte[] e : OldEncodings.ziplist(in.readString())) l.pushRight(e);
                return nonEmpty(l, l.size());
            }
            case Rdb.TYPE_LIST_QUICKLIST:
            case Rdb.TYPE_LIST_QUICKLIST_2:
                return readQuicklist(type, in, limits);
            case Rdb.TYPE_SET: {
                int n = nonEmpty(in.readCount());
                SetValue set = null;
                for (int i = 0; i < n; i++) {
                    byte[] m = in.readString();
                    if (set == null) set = SetValue.forFirstMember(limits, m, n);
                    if (!set.add(m)) throw new RdbFormatException("duplicate set member");
                }
                return set;
            }
            case Rdb.TYPE_SET_INTSET: {
                long[] v = OldEncodings.intset(in.readString());
                nonEmpty(v.length);
                SetValue set = null;
                for (long x : v) {
                    byte[] m = Long.toString(x).getBytes(StandardCharsets.US_ASCII);
                    if (set == null) set = SetValue.forFirstMember(limits, m, v.length);
                    set.add(m);
                }
                return set;
            }
            case Rdb.TYPE_SET_LISTPACK: {
                Listpack.Reader r = new Listpack.Reader(in.readString());
                SetValue set = null;
                while (r.hasNext()) {
                    byte[] m = r.nextBytes();
                    if (set == null) set = SetValue.forFirstMember(limits, m, r.declaredCount());
                    if (!set.add(m)) throw new RdbFormatException("duplicate set member");
                }
                return nonEmpty(set, set == null ? 0 : 1);
            }
            case Rdb.TYPE_ZSET:
            case Rdb.TYPE_ZSET_2: {
                int n = nonEmpty(in.readCount());
                SortedSetValue z = new SortedSetValue(limits, n, 0);
                for (int i = 0; i < n; i++) {
                    byte[] m = in.readString();
                    double score = type == Rdb.TYPE_ZSET ? in.readTextDouble() : in.readBinaryDouble();
                    if (Double.isNaN(score)) throw new RdbFormatException("zset score is NaN");
                    if (!z.put(m, score)) throw new RdbFormatException("duplicate zset member");
                }
                return z;
            }
            case Rdb.TYPE_ZSET_ZIPLIST:
                return zsetFromPairs(OldEncodings.ziplist(in.readString()), limits);
            case Rdb.TYPE_ZSET_LISTPACK:
                return zsetFromPairs(listpackEntries(in.readString()), limits);
            case Rdb.TYPE_HASH: {
                int n = nonEmpty(in.readCount());
                List<byte[]> flat = new ArrayList<>(Math.min(2 * n, 1 << 16));
                for (int i = 0; i < 2 * n; i++) flat.add(in.readString());
                return hashFromPairs(flat, limits);
            }
            case Rdb.TYPE_HASH_ZIPMAP:
                return hashFromPairs(OldEncodings.zipmap(in.readString()), limits);
            case Rdb.TYPE_HASH_ZIPLIST:
                return hashFromPairs(OldEncodings.ziplist(in.readString()), limits);
            case Rdb.TYPE_HASH_LISTPACK:
                return hashFromPairs(listpackEntries(in.readString()), limits);
            case Rdb.TYPE_STREAM_LISTPACKS:
            case Rdb.TYPE_STREAM_LISTPACKS_2:
            case Rdb.TYPE_STREAM_LISTPACKS_3:
                return readStream(type, in, limits);
            default:
                throw new RdbFormatException("unknown value type " + type);
        }
    }

    private static int nonEmpty(int n) {
        if (n == 0) throw new RdbFormatException("empty key");
        return n;
    }

    private static <T> T nonEmpty(T value, int n) {
        if (value == null || n == 0) throw new RdbFormatException("empty key");
        return value;
    }

    private static List<byte[]> listpackEntries(byte[] blob) {
        Listpack.Reader r = new Listpack.Reader(blob);
        List<byte[]> out = new ArrayList<>();
        while (r.hasNext()) out.add(r.nextBytes());
        return out;
    }

    private static Object readQuicklist(int type, Rdb.Input in, EncodingLimits limits) {
        int nodes = nonEmpty(in.readCount());
        ListValue l = new ListValue(limits);
        for (int i = 0; i < nodes; i++) {
            int container = Rdb.QUICKLIST_NODE_PACKED;
            if (type == Rdb.TYPE_LIST_QUICKLIST_2) {
                long c = in.readLen();
                if (c != Rdb.QUICKLIST_NODE_PACKED && c != Rdb.QUICKLIST_NODE_PLAIN) throw new RdbFormatException("quicklist bad container");
                container = (int) c;
            }
            byte[] blob = in.readString();
            if (container == Rdb.QUICKLIST_NODE_PLAIN) {
                l.pushRight(blob);
                continue;
            }
            // Redis skips empty nodes silently and fails only if the whole list ends up empty.
            List<byte[]> elements = type == Rdb.TYPE_LIST_QUICKLIST ? OldEncodings.ziplist(blob) : listpackEntries(blob);
            for (byte[] e : elements) l.pushRight(e);
        }
        return nonEmpty(l, l.size());
    }

    private static SortedSetValue zsetFromPairs(List<byte[]> flat, EncodingLimits limits) {
        if (flat.isEmpty() || flat.size() % 2 != 0) throw new RdbFormatException("bad zset pairs");
        int n = flat.size() / 2;
        List<byte[]> members = new ArrayList<>(n);
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            Double score = DoubleFormat.parse(flat.get(2 * i + 1));
            if (score == null || score.isNaN()) throw new RdbFormatException("bad zset score");
            members.add(flat.get(2 * i));
            scores[i] = score;
        }
        SortedSetValue z = SortedSetValue.fromPairs(limits, members, scores); // one pass: no search per member
        if (z == null) throw new RdbFormatException("duplicate zset member");
        return z;
    }

    private static HashValue hashFromPairs(List<byte[]> flat, EncodingLimits limits) {
        if (flat.isEmpty() || flat.size() % 2 != 0) throw new RdbFormatException("bad hash pairs");
        HashValue h = HashValue.fromPairs(limits, flat); // one pass: no search per field
        if (h == null) throw new RdbFormatException("duplicate hash field");
        return h;
    }

    private static StreamValue.Id readId(Rdb.Input in) {
        long ms = in.readLen();
        if (in.encoded) throw new RdbFormatException("bad stream id");
        long seq = in.readLen();
        if (in.encoded) throw new RdbFormatException("bad stream id");
        return new StreamValue.Id(ms, seq);
    }

    private static StreamValue.Id readRawId(Rdb.Input in) {
        return new StreamValue.Id(in.readBE(8), in.readBE(8));
    }

    private static StreamValue readStream(int type, Rdb.Input in, EncodingLimits limits) {
        StreamValue s = new StreamValue();
        s.nodeMaxEntries(limits.streamNodeMaxEntries);
        long nodes = in.readLen();
        if (in.encoded) throw new RdbFormatException("bad stream node count");
        List<StreamValue.Id> ids = new ArrayList<>();
        List<byte[][]> values = new ArrayList<>();
        for (long n = 0; n < nodes; n++) {
            byte[] key = in.readString();
            if (key.length != 16) throw new RdbFormatException("stream node key is not a 128-bit ID");
            long masterMs = 0, masterSeq = 0;
            for (int i = 0; i < 8; i++) {
                masterMs = (masterMs << 8) | (key[i] & 0xffL);
                masterSeq = (masterSeq << 8) | (key[8 + i] & 0xffL);
            }
            Listpack.Reader r = new Listpack.Reader(in.readString());
            if (!r.hasNext()) throw new RdbFormatException("empty listpack inside stream");
            long valid = r.nextInteger();
            long deleted = r.nextInteger();
            long masterFields = r.nextInteger();
            if (valid < 0 || deleted < 0 || masterFields < 0 || masterFields > Integer.MAX_VALUE / 2) {
                throw new RdbFormatException("bad stream master entry");
            }
            byte[][] master = new byte[(int) masterFields][];
            for (int i = 0; i < masterFields; i++) master[i] = r.nextBytes();
            if (r.nextInteger() != 0) throw new RdbFormatException("bad stream master terminator");
            long seenValid = 0, seenDeleted = 0;
            while (r.hasNext()) {
                long flags = r.nextInteger();
                long ms = masterMs + r.nextInteger();
                long seq = masterSeq + r.nextInteger();
                boolean same = (flags & STREAM_ITEM_FLAG_SAMEFIELDS) != 0;
                long numFields = same ? masterFields : r.nextInteger();
                if (numFields < 0 || numFields > Integer.MAX_VALUE / 2) throw new RdbFormatException("bad stream entry");
                byte[][] fv = new byte[(int) (2 * numFields)][];
                for (int i = 0; i < numFields; i++) {
                    fv[2 * i] = same ? master[i] : r.nextBytes();
                    fv[2 * i + 1] = r.nextBytes();
                }
                long lpCount = r.nextInteger();
                if (lpCount != (same ? numFields + 3 : 2 * numFields + 4)) throw new RdbFormatException("bad stream entry count");
                if ((flags & STREAM_ITEM_FLAG_DELETED) != 0) {
                    seenDeleted++;
                    continue;
                }
                seenValid++;
                StreamValue.Id id = new StreamValue.Id(ms, seq);
                if (!ids.isEmpty() && ids.get(ids.size() - 1).compareTo(id) >= 0) throw new RdbFormatException("stream IDs out of order");
                ids.add(id);
                values.add(fv);
            }
            if (seenValid != valid || seenDeleted != deleted) throw new RdbFormatException("stream node counts mismatch");
        }
        long length = in.readLen();
        StreamValue.Id lastId = readId(in);
        StreamValue.Id firstId = ids.isEmpty() ? StreamValue.Id.ZERO : ids.get(0);
        StreamValue.Id maxDeleted = StreamValue.Id.ZERO;
        long entriesAdded = length;
        if (type >= Rdb.TYPE_STREAM_LISTPACKS_2) {
            firstId = readId(in);
            maxDeleted = readId(in);
            entriesAdded = in.readLen();
        }
        if (length != ids.size()) throw new RdbFormatException("stream length mismatch");
        if (!ids.isEmpty() && lastId.compareTo(ids.get(ids.size() - 1)) < 0) throw new RdbFormatException("stream last ID below an entry");
        for (int i = 0; i < ids.size(); i++) s.append(ids.get(i), values.get(i));
        s.setLastId(lastId);
        s.setEntriesAdded(entriesAdded);
        s.setMaxDeletedId(maxDeleted);
        long groups = in.readLen();
        if (in.encoded) throw new RdbFormatException("bad stream group count");
        for (long g = 0; g < groups; g++) {
            String name = StreamValue.name(in.readString());
            StreamValue.Id glast = readId(in);
            long entriesRead = type >= Rdb.TYPE_STREAM_LISTPACKS_2 ? in.readLen() : s.estimateDistanceFromFirstEverEntry(glast);
            StreamValue.Group group = s.createGroup(name, glast, entriesRead);
            if (group == null) throw new RdbFormatException("duplicated consumer group name");
            long pel = in.readLen();
            if (in.encoded) throw new RdbFormatException("bad PEL size");
            for (long p = 0; p < pel; p++) {
                StreamValue.Id id = readRawId(in);
                long deliveryTime = in.readMillis();
                long deliveryCount = in.readLen();
                if (group.pel.put(id, new StreamValue.Nack(null, deliveryTime, deliveryCount)) != null) {
                    throw new RdbFormatException("duplicated global PEL entry");
                }
            }
            long consumers = in.readLen();
            if (in.encoded) throw new RdbFormatException("bad consumer count");
            for (long c = 0; c < consumers; c++) {
                String cname = StreamValue.name(in.readString());
                long seen = in.readMillis();
                long active = type >= Rdb.TYPE_STREAM_LISTPACKS_3 ? in.readMillis() : seen;
                StreamValue.Consumer consumer = group.createConsumer(cname, seen);
                if (consumer == null) throw new RdbFormatException("duplicate stream consumer");
                consumer.activeTime = active;
                long cpel = in.readLen();
                if (in.encoded) throw new RdbFormatException("bad consumer PEL size");
                for (long p = 0; p < cpel; p++) {
                    StreamValue.Id id = readRawId(in);
                    StreamValue.Nack nack = group.pel.get(id);
                    if (nack == null || nack.consumer != null) throw new RdbFormatException("consumer PEL entry not in the group PEL");
                    nack.consumer = consumer;
                    consumer.pel.put(id, nack);
                }
            }
            // Every pending entry must belong to a consumer (Redis's deep check).
            for (StreamValue.Nack nack : group.pel.values()) {
                if (nack.consumer == null) throw new RdbFormatException("group PEL entry without a consumer");
            }
        }
        return s;
    }
}
