package io.keyline.store.type;

import io.keyline.store.EncodingLimits;
import io.keyline.util.Bytes;
import io.keyline.store.Memory;
import io.keyline.store.CollectionValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A Redis set with Redis 7.2's three encodings, converted one way upward:
 * <ul>
 * <li>{@code intset}: a sorted {@code long[]} (binary search) while every member is a canonical
 *     integer and there are at most {@code set-max-intset-entries};</li>
 * <li>{@code listpack}: a small array of members scanned linearly, while there are at most
 *     {@code set-max-listpack-entries} members of at most {@code set-max-listpack-value} bytes;</li>
 * <li>{@code hashtable}: an open-addressing table of the member arrays.</li>
 * </ul>
 * Not thread-safe: the caller holds the key's stripe lock.
 */
public final class SetValue implements CollectionValue, io.keyline.store.TypedValue, io.keyline.store.Copyable,
        io.keyline.store.AofRewritable {
    public static final String INTSET = "intset";
    public static final String LISTPACK = "listpack";
    public static final String HASHTABLE = "hashtable";
    private static final byte[] SADD = "SADD".getBytes(StandardCharsets.US_ASCII);
    /** This object: five references, the size and the member bytes. */
    private static final long HEADER = Memory.object(5L * Memory.REFERENCE + 4 + 8);

    private static final class Table extends MemberTable<byte[]> {
        Table(int capacity) {
            super(capacity);
        }

        @Override
        byte[] memberOf(byte[] element) {
            return element;
        }
    }

    private enum Enc { INTSET, LISTPACK, HASHTABLE }

    private Enc enc;
    private long[] ints;        // INTSET
    private byte[][] list;      // LISTPACK
    private int size;           // INTSET / LISTPACK
    private Table table;        // HASHTABLE
    private long memberBytes;   // LISTPACK / HASHTABLE: sum of member array sizes
    private final EncodingLimits limits;

    /** An empty intset-encoded set with Redis's default thresholds (unit tests). */
    public SetValue() {
        this(EncodingLimits.DEFAULTS);
    }

    /** An empty intset-encoded set (what SUNIONSTORE and friends start from) under a server's thresholds. */
    public SetValue(EncodingLimits limits) {
        this.limits = limits;
        enc = Enc.INTSET;
        ints = new long[4];
    }

    public static SetValue forFirstMember(byte[] first, int sizeHint) {
        return forFirstMember(EncodingLimits.DEFAULTS, first, sizeHint);
    }

    /** The encoding Redis's setTypeCreate picks for a set about to receive {@code sizeHint} members, the first one {@code first}. */
    public static SetValue forFirstMember(EncodingLimits limits, byte[] first, int sizeHint) {
        SetValue s = new SetValue(limits);
        if (Bytes.isLong(first) && sizeHint <= limits.setMaxIntsetEntries) return s;
        if (sizeHint <= limits.setMaxListpackEntries) {
            s.toListpack(Math.max(4, Math.min(sizeHint, 64)));
        } else {
            s.toHashtable(sizeHint);
        }
        return s;
    }

    @Override
    public String typeName() {
        return "set";
    }

    @Override
    public String encoding() {
        return switch (enc) {
            case INTSET -> INTSET;
            case LISTPACK -> LISTPACK;
            case HASHTABLE -> HASHTABLE;
        };
    }

    public int size() {
        return enc == Enc.HASHTABLE ? table.size() : size;
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public long estimatedBytes() {
        return switch (enc) {
            case INTSET -> HEADER + Memory.longArray(ints.length);
            case LISTPACK -> HEADER + Memory.referenceArray(list.length) + memberBytes;
            case HASHTABLE -> HEADER + MemberTable.OBJECT + table.tableBytes() + memberBytes;
        };
    }

    // ---- queries -----------------------------------------------------------------------------

    public boolean contains(byte[] member) {
        switch (enc) {
            case INTSET: {
                Long v = Bytes.parseLongOrError(member);
                return v != null && Arrays.binarySearch(ints, 0, size, v) >= 0;
            }
            case LISTPACK:
                return indexInList(member) >= 0;
            default:
                return table.get(member) != null;
        }
    }

    private int indexInList(byte[] member) {
        for (int i = 0; i < size; i++) if (Arrays.equals(list[i], member)) return i;
        return -1;
    }

    /** Every member, in the encoding's order (ascending for intsets). */
    public void forEach(Consumer<byte[]> action) {
        switch (enc) {
            case INTSET -> {
                for (int i = 0; i < size; i++) action.accept(Bytes.fromLong(ints[i]));
            }
            case LISTPACK -> {
                for (int i = 0; i < size; i++) action.accept(list[i]);
            }
            default -> table.forEach(action);
        }
    }

    public List<byte[]> members() {
        List<byte[]> out = new ArrayList<>(size());
        forEach(out::add);
        return out;
    }

    /** A uniformly random member (the set must not be empty). */
    public byte[] random() {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        return switch (enc) {
            case INTSET -> Bytes.fromLong(ints[rnd.nextInt(size)]);
            case LISTPACK -> list[rnd.nextInt(size)];
            default -> table.random(rnd);
        };
    }

    /** {@code count} distinct random members ({@code count < size()}), as SRANDMEMBER/SPOP with a count. */
    public List<byte[]> randomDistinct(int count) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        if (count * 3L > size()) {
            // Many of them: shuffle the first count of all members (partial Fisher-Yates).
            List<byte[]> all = members();
            for (int i = 0; i < count; i++) {
                int j = i + rnd.nextInt(all.size() - i);
                byte[] t = all.get(i);
                all.set(i, all.get(j));
                all.set(j, t);
            }
            return new ArrayList<>(all.subList(0, count));
        }
        java.util.Set<java.nio.ByteBuffer> seen = new java.util.HashSet<>(count * 2);
        List<byte[]> out = new ArrayList<>(count);
        while (out.size() < count) {
            byte[] m = random();
            if (seen.add(java.nio.ByteBuffer.wrap(m))) out.add(m);
        }
        return out;
    }

    /**
     * One SSCAN step. Small encodings are returned whole with cursor 0, as Redis does; the hashtable
     * is walked with Redis's reverse-binary cursor ({@link MemberTable#scan}), which survives resizes.
     */
    public long scan(long cursor, long count, Consumer<byte[]> emit) {
        if (enc != Enc.HASHTABLE) {
            forEach(emit);
            return 0;
        }
        return table.scan(cursor, count, emit);
    }

    // ---- updates -----------------------------------------------------------------------------

    /** Adds a member; false if it was already there. */
    public boolean add(byte[] member) {
        switch (enc) {
            case INTSET: {
                Long v = Bytes.parseLongOrError(member);
                if (v != null) {
                    int at = Arrays.binarySearch(ints, 0, size, v);
                    if (at >= 0) return false;
                    at = -at - 1;
                    if (size == ints.length) ints = Arrays.copyOf(ints, Math.max(4, size + (size >> 1)));
                    System.arraycopy(ints, at, ints, at + 1, size - at);
                    ints[at] = v;
                    size++;
                    if (size > limits.setMaxIntsetEntries) toHashtable(size);
                    return true;
                }
                if (size < limits.setMaxListpackEntries && member.length <= limits.setMaxListpackValue
                        && maxIntDigits() <= limits.setMaxListpackValue) {
                    toListpack(size + 1);
                } else {
                    toHashtable(size + 1);
                }
                return add(member);
            }
            case LISTPACK: {
                if (indexInList(member) >= 0) return false;
                if (size >= limits.setMaxListpackEntries || member.length > limits.setMaxListpackValue) {
                    toHashtable(size + 1);
                    return add(member);
                }
                if (size == list.length) list = Arrays.copyOf(list, Math.max(4, size + (size >> 1)));
                list[size++] = member;
                memberBytes += Memory.array(member.length);
                return true;
            }
            default: {
                int hash = Bytes.hash(member);
                if (table.getBeforeInsert(member, hash) != null) return false;
                table.insertNew(member, hash);
                memberBytes += Memory.array(member.length);
                return true;
            }
        }
    }

    private int maxIntDigits() {
        if (size == 0) return 0;
        return Math.max(Long.toString(ints[0]).length(), Long.toString(ints[size - 1]).length());
    }

    /** Removes a member; false if it was not there. */
    public boolean remove(byte[] member) {
        switch (enc) {
            case INTSET: {
                Long v = Bytes.parseLongOrError(member);
                if (v == null) return false;
                int at = Arrays.binarySearch(ints, 0, size, v);
                if (at < 0) return false;
                System.arraycopy(ints, at + 1, ints, at, size - at - 1);
                size--;
                return true;
            }
            case LISTPACK: {
                int at = indexInList(member);
                if (at < 0) return false;
                memberBytes -= Memory.array(list[at].length);
                System.arraycopy(list, at + 1, list, at, size - at - 1);
                list[--size] = null;
                return true;
            }
            default: {
                byte[] old = table.remove(member);
                if (old == null) return false;
                memberBytes -= Memory.array(old.length);
                return true;
            }
        }
    }

    private void toListpack(int capacity) {
        byte[][] l = new byte[Math.max(4, capacity)][];
        int n = 0;
        long bytes = 0;
        if (enc == Enc.INTSET) {
            for (int i = 0; i < size; i++) {
                l[n] = Bytes.fromLong(ints[i]);
                bytes += Memory.array(l[n++].length);
            }
        }
        ints = null;
        list = l;
        size = n;
        memberBytes = bytes;
        enc = Enc.LISTPACK;
    }

    private void toHashtable(int capacity) {
        Table t = new Table(Math.max(capacity, size()));
        long bytes = 0;
        if (enc == Enc.INTSET) {
            for (int i = 0; i < size; i++) {
                byte[] m = Bytes.fromLong(ints[i]);
                t.insertNew(m);
                bytes += Memory.array(m.length);
            }
        } else if (enc == Enc.LISTPACK) {
            for (int i = 0; i < size; i++) {
                t.insertNew(list[i]);
                bytes += Memory.array(list[i].length);
            }
        }
        ints = null;
        list = null;
        size = 0;
        table = t;
        memberBytes = bytes;
        enc = Enc.HASHTABLE;
    }

    // ---- whole-value operations --------------------------------------------------------------

    /** An independent copy with the same encoding (COPY). Member arrays are immutable, so shared. */
    @Override
    public SetValue copy() {
        SetValue c = new SetValue(limits);
        c.enc = enc;
        c.size = size;
        c.memberBytes = memberBytes;
        switch (enc) {
            case INTSET -> c.ints = Arrays.copyOf(ints, Math.max(4, size));
            case LISTPACK -> c.list = Arrays.copyOf(list, Math.max(4, size));
            default -> {
                c.ints = null;
                c.table = new Table(table.size());
                table.forEach(c.table::insertNew);
            }
        }
        return c;
    }

    /** The commands that rebuild this set (AOF rewrite): SADD with up to 64 members each. */
    @Override
    public void emit(byte[] key, Consumer<byte[][]> out) {
        List<byte[]> batch = new ArrayList<>(64);
        forEach(m -> {
            batch.add(m);
            if (batch.size() == 64) flush(key, batch, out);
        });
        if (!batch.isEmpty()) flush(key, batch, out);
    }

    private static void flush(byte[] key, List<byte[]> batch, Consumer<byte[][]> out) {
        byte[][] argv = new byte[batch.size() + 2][];
        argv[0] = SADD;
        argv[1] = key;
        for (int i = 0; i < batch.size(); i++) argv[i + 2] = batch.get(i);
        out.accept(argv);
        batch.clear();
    }
}
