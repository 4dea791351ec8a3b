package io.keyline.store.type;

import io.keyline.store.EncodingLimits;
import io.keyline.util.Bytes;
import io.keyline.util.DoubleFormat;
import io.keyline.store.Memory;
import io.keyline.store.CollectionValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A Redis sorted set: members ordered by (score, member bytes unsigned). Two encodings, converted one
 * way upward as Redis 7.2 does:
 * <ul>
 * <li>{@code listpack}: parallel sorted arrays of members and scores (binary search by score, linear
 *     member lookup) while there are at most {@code zset-max-listpack-entries} members of at most
 *     {@code zset-max-listpack-value} bytes;</li>
 * <li>{@code skiplist} (Redis's name, which OBJECT ENCODING reports): a {@link ScoreTree} (a counted
 *     B+ tree; Redis has a skip list with spans) for O(log n) ranks plus a member→score hash table for
 *     O(1) score lookups.</li>
 * </ul>
 * Ranks are 0-based. Not thread-safe: the caller holds the key's stripe lock.
 */
public final class SortedSetValue implements CollectionValue, io.keyline.store.TypedValue, io.keyline.store.Copyable,
        io.keyline.store.AofRewritable {
    public static final String LISTPACK = "listpack";
    public static final String SKIPLIST = "skiplist";
    private static final byte[] ZADD = "ZADD".getBytes(StandardCharsets.US_ASCII);
    /** This object: seven references, two ints and the member bytes. */
    private static final long HEADER = Memory.object(7L * Memory.REFERENCE + 2 * 4 + 8);

    /** Receives the elements of a range, in the order asked for. */
    @FunctionalInterface
    public interface ElementConsumer {
        void accept(byte[] member, double score);
    }

    /**
     * A member, its hash and its score, as the member table holds them (the tree holds its own copy of
     * the score). The table keeps the hashes too and compares them before reading an entry; the
     * entry's copy spares {@link Dict#insertNew(Object)} hashing the member again.
     */
    private static final class Entry {
        final byte[] member;
        final int hash;
        double score;

        Entry(byte[] member, int hash, double score) {
            this.member = member;
            this.hash = hash;
            this.score = score;
        }
    }

    /** Heap bytes of an {@link Entry}: a reference, an int and a double. */
    private static final long ENTRY_BYTES = Memory.object(Memory.REFERENCE + 4 + 8);

    private static final class Dict extends MemberTable<Entry> {
        Dict(int capacity) {
            super(capacity);
        }

        @Override
        byte[] memberOf(Entry e) {
            return e.member;
        }

        @Override
        int hashOf(Entry e) {
            return e.hash;
        }
    }

    // listpack
    private byte[][] members;
    private double[] scores;
    private int size;
    // skiplist
    private ScoreTree list;
    private Dict dict;
    // The last score() lookup in the skiplist encoding: ZADD reads a member's score, then puts it,
    // and put() reuses the entry found (null: absent) instead of hashing and probing again. Cleared by
    // every change, so it never outlives the entry it names.
    private byte[] lookedUp;
    private Entry lookedUpEntry;
    private int lookedUpHash;
    private long memberBytes;
    private final EncodingLimits limits;

    /** As {@link #SortedSetValue(EncodingLimits, int, int)} with Redis's default thresholds (unit tests). */
    public SortedSetValue(int sizeHint, int maxMemberLength) {
        this(EncodingLimits.DEFAULTS, sizeHint, maxMemberLength);
    }

    /** An empty sorted set in the encoding Redis would pick for {@code sizeHint} members of up to {@code maxMemberLength} bytes. */
    public SortedSetValue(EncodingLimits limits, int sizeHint, int maxMemberLength) {
        this.limits = limits;
        if (sizeHint <= limits.zsetMaxListpackEntries && maxMemberLength <= limits.zsetMaxListpackValue) {
            members = new byte[Math.max(2, Math.min(sizeHint, 128))][];
            scores = new double[members.length];
        } else {
            list = new ScoreTree();
            dict = new Dict(sizeHint);
        }
    }

    public SortedSetValue() {
        this(1, 0);
    }

    @Override
    public String typeName() {
        return "zset";
    }

    @Override
    public String encoding() {
        return list == null ? LISTPACK : SKIPLIST;
    }

    public int size() {
        return list == null ? size : (int) list.size();
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public long estimatedBytes() {
        if (list == null) return HEADER + Memory.referenceArray(members.length) + Memory.longArray(scores.length) + memberBytes;
        return HEADER + MemberTable.OBJECT + dict.tableBytes() + list.bytes() + ENTRY_BYTES * list.size() + memberBytes;
    }

    // ---- point queries -----------------------------------------------------------------------

    /** The member's score, or NaN if it is absent (scores are never NaN). */
    public double score(byte[] member) {
        if (list == null) {
            int i = indexOf(member);
            return i < 0 ? Double.NaN : scores[i];
        }
        int hash = Bytes.hash(member);
        Entry e = dict.get(member, hash);
        lookedUp = member;
        lookedUpEntry = e;
        lookedUpHash = hash;
        return e == null ? Double.NaN : e.score;
    }

    public boolean contains(byte[] member) {
        return !Double.isNaN(score(member));
    }

    private int indexOf(byte[] member) {
        for (int i = 0; i < size; i++) if (Arrays.equals(members[i], member)) return i;
        return -1;
    }

    /** 0-based ascending rank, or -1 if absent. */
    public long rank(byte[] member) {
        if (list == null) return indexOf(member);
        Entry e = dict.get(member);
        return e == null ? -1 : list.rank(e.score, e.member) - 1;
    }

    /** Number of members with score below {@code s} (at most {@code s} when {@code inclusive}). */
    public long countBelow(double s, boolean inclusive) {
        if (list != null) return list.countBelow(s, inclusive);
        int lo = 0, hi = size; // first index whose score is >= s (> s when inclusive)
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (inclusive ? scores[mid] <= s : scores[mid] < s) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** Number of members sorting below {@code m} (at most {@code m} when {@code inclusive}); meaningful when all scores are equal. */
    public long countLexBelow(byte[] m, boolean inclusive) {
        if (list != null) return list.countLexBelow(m, inclusive);
        int lo = 0, hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int c = Arrays.compareUnsigned(members[mid], m);
            if (inclusive ? c <= 0 : c < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    // ---- ranges ------------------------------------------------------------------------------

    /**
     * Emits up to {@code count} elements starting at ascending rank {@code start}, going up, or down
     * when {@code reverse}.
     */
    public void range(long start, long count, boolean reverse, ElementConsumer out) {
        int n = size();
        if (start < 0 || start >= n || count <= 0) return;
        if (list == null) {
            int i = (int) start;
            for (long k = 0; k < count && i >= 0 && i < size; k++) {
                out.accept(members[i], scores[i]);
                i += reverse ? -1 : 1;
            }
            return;
        }
        list.range(start, count, reverse, out);
    }

    /** Every element in ascending order. */
    public void forEach(ElementConsumer out) {
        range(0, size(), false, out);
    }

    /** One ZSCAN step: small encodings whole with cursor 0, the skiplist's table with a resize-proof cursor. */
    public long scan(long cursor, long count, ElementConsumer emit) {
        if (list == null) {
            forEach(emit);
            return 0;
        }
        return dict.scan(cursor, count, e -> emit.accept(e.member, e.score));
    }

    /**
     * A sorted set from loaded pairs (an RDB or RESTORE payload), built without a search per member:
     * a listpack is filled once in score order after a set checked for repeated members, where
     * {@link #put} would scan and shift the arrays for every member (quadratic for a 60,000-member
     * listpack); a skiplist takes each member in O(log n). Null if a member repeats.
     */
    public static SortedSetValue fromPairs(EncodingLimits limits, List<byte[]> members, double[] scores) {
        int n = members.size();
        int maxLen = 0;
        for (byte[] m : members) maxLen = Math.max(maxLen, m.length);
        SortedSetValue z = new SortedSetValue(limits, n, maxLen);
        if (z.list != null) {
            for (int i = 0; i < n; i++) if (!z.put(members.get(i), scores[i])) return null;
            return z;
        }
        java.util.Set<java.nio.ByteBuffer> seen = new java.util.HashSet<>(Math.max(16, n * 2));
        for (byte[] m : members) if (!seen.add(java.nio.ByteBuffer.wrap(m))) return null;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> ScoreTree.compare(scores[a], members.get(a), scores[b], members.get(b)));
        z.members = new byte[Math.max(2, n)][];
        z.scores = new double[z.members.length];
        for (int k = 0; k < n; k++) {
            int i = order[k];
            z.members[k] = members.get(i);
            z.scores[k] = scores[i] == 0 ? 0.0 : scores[i]; // as insertSorted: the listpack has no -0
            z.memberBytes += Memory.array(members.get(i).length);
        }
        z.size = n;
        return z;
    }

    // ---- updates -----------------------------------------------------------------------------

    /** Sets a member's score; true if the member was added, false if it existed (score updated). */
    public boolean put(byte[] member, double score) {
        if (list == null) {
            int at = indexOf(member);
            if (at >= 0) {
                if (scores[at] == score) return false;
                removeAt(at);
                insertSorted(member, score);
                return false;
            }
            if (size + 1 > limits.zsetMaxListpackEntries || member.length > limits.zsetMaxListpackValue) {
                toSkiplist();
                return put(member, score);
            }
            insertSorted(member, score);
            return true;
        }
        int hash;
        Entry e;
        if (member == lookedUp) {
            e = lookedUpEntry;
            hash = lookedUpHash;
        } else {
            hash = Bytes.hash(member);
            e = dict.get(member, hash);
        }
        lookedUp = null;
        lookedUpEntry = null;
        if (e != null) {
            if (e.score == score) return false;
            if (!list.updateInPlace(e.score, e.member, score)) {
                list.delete(e.score, e.member);
                list.insert(score, e.member);
            }
            e.score = score;
            return false;
        }
        list.insert(score, member);
        memberBytes += Memory.array(member.length);
        dict.insertNew(new Entry(member, hash, score));
        return true;
    }

    private void insertSorted(byte[] member, double score) {
        // Redis's listpack stores integral scores as integers, so -0 reads back as 0 (the skiplist keeps -0).
        if (score == 0) score = 0.0;
        int lo = 0, hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ScoreTree.compare(scores[mid], members[mid], score, member) < 0) lo = mid + 1;
            else hi = mid;
        }
        if (size == members.length) {
            int cap = Math.max(4, size + (size >> 1));
            members = Arrays.copyOf(members, cap);
            scores = Arrays.copyOf(scores, cap);
        }
        System.arraycopy(members, lo, members, lo + 1, size - lo);
        System.arraycopy(scores, lo, scores, lo + 1, size - lo);
        members[lo] = member;
        scores[lo] = score;
        size++;
        memberBytes += Memory.array(member.length);
    }

    private void removeAt(int at) {
        memberBytes -= Memory.array(members[at].length);
        System.arraycopy(members, at + 1, members, at, size - at - 1);
        System.arraycopy(scores, at + 1, scores, at, size - at - 1);
        members[--size] = null;
    }

    /** Removes a member; false if absent. */
    public boolean remove(byte[] member) {
        if (list == null) {
            int at = indexOf(member);
            if (at < 0) return false;
            removeAt(at);
            return true;
        }
        lookedUp = null;
        lookedUpEntry = null;
        Entry e = dict.remove(member);
        if (e == null) return false;
        list.delete(e.score, e.member);
        memberBytes -= Memory.array(e.member.length);
        return true;
    }

    /** Removes the elements of ascending ranks [start, end] and returns their members. */
    public List<byte[]> removeRange(long start, long end) {
        List<byte[]> out = new ArrayList<>();
        if (end < start) return out;
        range(start, end - start + 1, false, (m, s) -> out.add(m));
        for (byte[] m : out) remove(m);
        return out;
    }

    private void toSkiplist() {
        ScoreTree l = new ScoreTree();
        Dict d = new Dict(size + 1);
        for (int i = 0; i < size; i++) {
            l.insert(scores[i], members[i]);
            d.insertNew(new Entry(members[i], Bytes.hash(members[i]), scores[i]));
        }
        list = l;
        dict = d;
        members = null;
        scores = null;
        size = 0;
    }

    // ---- whole-value operations --------------------------------------------------------------

    /** An independent copy with the same encoding (COPY). */
    @Override
    public SortedSetValue copy() {
        SortedSetValue c;
        if (list == null) {
            c = new SortedSetValue(limits, 1, 0);
            c.members = Arrays.copyOf(members, Math.max(2, size));
            c.scores = Arrays.copyOf(scores, Math.max(2, size));
            c.size = size;
            c.memberBytes = memberBytes;
        } else {
            c = new SortedSetValue(limits, Integer.MAX_VALUE, 0);
            c.dict = new Dict(size());
            forEach(c::put);
        }
        return c;
    }

    /** The commands that rebuild this sorted set (AOF rewrite): ZADD with up to 64 pairs each. */
    @Override
    public void emit(byte[] key, Consumer<byte[][]> out) {
        List<byte[]> batch = new ArrayList<>(128);
        forEach((m, s) -> {
            batch.add(DoubleFormat.format(s).getBytes(StandardCharsets.US_ASCII));
            batch.add(m);
            if (batch.size() == 128) flush(key, batch, out);
        });
        if (!batch.isEmpty()) flush(key, batch, out);
    }

    private static void flush(byte[] key, List<byte[]> batch, Consumer<byte[][]> out) {
        byte[][] argv = new byte[batch.size() + 2][];
        argv[0] = ZADD;
        argv[1] = key;
        for (int i = 0; i < batch.size(); i++) argv[i + 2] = batch.get(i);
        out.accept(argv);
        batch.clear();
    }
}
