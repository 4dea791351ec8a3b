package io.keyline.store.type;

import io.keyline.store.EncodingLimits;
import io.keyline.util.Bytes;
import io.keyline.store.Memory;
import io.keyline.store.AofRewritable;
import io.keyline.store.Copyable;
import io.keyline.store.HashLike;
import io.keyline.store.CollectionValue;
import io.keyline.store.TypedValue;

import java.util.ArrayList;
import java.util.Set;
import java.util.HashSet;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * A Redis hash. Small hashes are one packed byte array of length-prefixed field/value pairs in
 * insertion order (Redis's {@code listpack}: linear lookups, about two bytes of overhead per string); once a hash has more than
 * {@code hash-max-listpack-entries} fields or a field or value longer than
 * {@code hash-max-listpack-value} bytes it becomes an open-addressing hash table ({@code hashtable})
 * and never converts back, as in Redis.
 *
 * <p>The table ({@link FieldTable}) uses linear probing with backward-shift deletion, so every field
 * sits in the run of occupied slots that starts at its home slot ({@code hash & mask}). That lets
 * {@link #scan} walk home slots in Redis's reverse-binary cursor order with Redis's guarantee: a
 * field present for the whole scan is returned at least once, across growth and shrinking. It
 * resizes incrementally, a few fields per write, as Redis's dict does.
 *
 * <p>Fields and values are immutable, shared byte arrays. Not thread-safe (the key's stripe lock).
 */
public final class HashValue implements CollectionValue, TypedValue, Copyable, AofRewritable, HashLike {
    public static final String ENCODING_LISTPACK = "listpack";
    public static final String ENCODING_HASHTABLE = "hashtable";
    /** This object: three references and two ints. */
    private static final long OBJECT_HEAP = Memory.object(3L * Memory.REFERENCE + 8);

    // listpack: packed[0..used) = (varint length, bytes) of field 0, value 0, field 1, value 1...
    private byte[] packed;
    private int used;
    private int count;

    // hashtable (packed == null)
    private FieldTable table;

    /** The thresholds {@link #put(byte[], byte[])} converts at (hash-max-listpack-entries / -value). */
    private final EncodingLimits limits;

    /** A hash with Redis's default thresholds (values built outside a server, unit tests). */
    public HashValue() {
        this(EncodingLimits.DEFAULTS);
    }

    /** An empty hash that converts to a hashtable at {@code limits}' thresholds (read at each write). */
    public HashValue(EncodingLimits limits) {
        this.limits = limits;
        packed = new byte[16];
    }

    @Override
    public String typeName() {
        return "hash";
    }

    @Override
    public String encoding() {
        return packed != null ? ENCODING_LISTPACK : ENCODING_HASHTABLE;
    }

    public boolean isListpack() {
        return packed != null;
    }

    public int size() {
        return packed != null ? count : table.size();
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public long estimatedBytes() {
        if (packed != null) return OBJECT_HEAP + Memory.array(packed.length);
        return OBJECT_HEAP + FieldTable.OBJECT + table.tableBytes() + table.dataHeap();
    }

    // ---- lookups ----------------------------------------------------------------------------------

    // ---- the packed form: each string is a LEB128 length followed by its bytes ---------------------

    private static int varintSize(int v) {
        int n = 1;
        while ((v >>>= 7) != 0) n++;
        return n;
    }

    private static int entrySize(byte[] b) {
        return varintSize(b.length) + b.length;
    }

    /** Length of the string starting at {@code pos}. */
    private int lengthAt(int pos) {
        int v = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = packed[pos++];
            v |= (x & 0x7f) << shift;
            if (x >= 0) return v;
        }
    }

    /** Position just after the string starting at {@code pos}. */
    private int skip(int pos) {
        int len = lengthAt(pos);
        return pos + varintSize(len) + len;
    }

    private byte[] stringAt(int pos) {
        int len = lengthAt(pos);
        int start = pos + varintSize(len);
        return Arrays.copyOfRange(packed, start, start + len);
    }

    private int write(int pos, byte[] b) {
        int v = b.length;
        while ((v & ~0x7f) != 0) {
            packed[pos++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        packed[pos++] = (byte) v;
        System.arraycopy(b, 0, packed, pos, b.length);
        return pos + b.length;
    }

    private boolean equalsAt(int pos, byte[] b) {
        int len = lengthAt(pos);
        if (len != b.length) return false;
        int start = pos + varintSize(len);
        return Arrays.equals(packed, start, start + len, b, 0, b.length);
    }

    /** Position of the pair whose field is {@code field}, or -1. */
    private int listpackFind(byte[] field) {
        for (int pos = 0; pos < used; pos = skip(skip(pos))) if (equalsAt(pos, field)) return pos;
        return -1;
    }

    /** Makes room: replaces packed[from..to) by {@code newLength} bytes (contents to be written). */
    private void splice(int from, int to, int newLength) {
        int delta = newLength - (to - from);
        if (used + delta > packed.length) {
            packed = Arrays.copyOf(packed, Math.max(used + delta, packed.length + (packed.length >> 1)));
        }
        System.arraycopy(packed, to, packed, to + delta, used - to);
        used += delta;
        if (packed.length > 64 && used < packed.length / 4) packed = Arrays.copyOf(packed, Math.max(16, used * 2));
    }

    /** The value of {@code field}, or null. */
    @Override
    public byte[] get(byte[] field) {
        if (packed != null) {
            int pos = listpackFind(field);
            return pos < 0 ? null : stringAt(skip(pos));
        }
        return table.get(field, Bytes.hash(field));
    }

    public boolean contains(byte[] field) {
        return get(field) != null;
    }

    /**
     * A hash from {@code flat} = field, value, field, value... (a loaded RDB or RESTORE payload), built
     * in one pass: the packed array is sized once and written in order, or the table is filled
     * directly, where {@link #put} would search the listpack for every field (quadratic: a
     * 60,000-field listpack took minutes). Null if a field repeats (a corrupt payload).
     */
    public static HashValue fromPairs(EncodingLimits limits, List<byte[]> flat) {
        int n = flat.size() / 2;
        HashValue h = new HashValue(limits);
        boolean fits = n <= limits.hashMaxListpackEntries;
        int bytes = 0;
        for (int i = 0; i < 2 * n && fits; i++) {
            byte[] b = flat.get(i);
            fits = b.length <= limits.hashMaxListpackValue;
            bytes += entrySize(b);
        }
        if (fits) {
            // Repeated fields checked with a set, not by a search per field.
            Set<ByteBuffer> seen = new HashSet<>(Math.max(16, n * 2));
            for (int i = 0; i < 2 * n; i += 2) if (!seen.add(ByteBuffer.wrap(flat.get(i)))) return null;
            h.packed = new byte[Math.max(16, bytes)];
            int at = 0;
            for (int i = 0; i < 2 * n; i++) at = h.write(at, flat.get(i));
            h.used = at;
            h.count = n;
            return h;
        }
        h.packed = null;
        h.table = new FieldTable(n);
        for (int i = 0; i < 2 * n; i += 2) {
            if (!h.table.put(flat.get(i), Bytes.hash(flat.get(i)), flat.get(i + 1))) return null;
        }
        return h;
    }

    // ---- writes -----------------------------------------------------------------------------------

    /** Sets {@code field} to {@code value}, converting at this hash's limits; true when the field is new. */
    public boolean put(byte[] field, byte[] value) {
        return put(field, value, limits.hashMaxListpackEntries, limits.hashMaxListpackValue);
    }

    /**
     * Sets {@code field} to {@code value}; true when the field is new. {@code maxEntries} and
     * {@code maxValue} are explicit hash-max-listpack-entries / -value (tests of the conversion).
     */
    public boolean put(byte[] field, byte[] value, long maxEntries, long maxValue) {
        if (packed != null) {
            if (field.length > maxValue || value.length > maxValue) {
                toHashtable();
            } else {
                int pos = listpackFind(field);
                if (pos >= 0) {
                    int valuePos = skip(pos);
                    splice(valuePos, skip(valuePos), entrySize(value));
                    write(valuePos, value);
                    return false;
                }
                if (count + 1 > maxEntries) {
                    toHashtable();
                } else {
                    int at = used;
                    splice(at, at, entrySize(field) + entrySize(value));
                    write(write(at, field), value);
                    count++;
                    return true;
                }
            }
        }
        return table.put(field, Bytes.hash(field), value);
    }

    private void toHashtable() {
        List<byte[]> all = new ArrayList<>(count * 2);
        forEach((f, v) -> {
            all.add(f);
            all.add(v);
        });
        int n = count;
        packed = null;
        used = 0;
        count = 0;
        table = new FieldTable(n);
        for (int i = 0; i < all.size(); i += 2) table.put(all.get(i), Bytes.hash(all.get(i)), all.get(i + 1));
    }

    /** Removes {@code field}; true if it was there. */
    public boolean remove(byte[] field) {
        if (packed != null) {
            int pos = listpackFind(field);
            if (pos < 0) return false;
            splice(pos, skip(skip(pos)), 0);
            count--;
            return true;
        }
        return table.remove(field, Bytes.hash(field));
    }

    // ---- iteration --------------------------------------------------------------------------------

    /** Every field/value pair (listpack: insertion order). */
    public void forEach(BiConsumer<byte[], byte[]> out) {
        if (packed != null) {
            for (int pos = 0; pos < used; ) {
                int valuePos = skip(pos);
                out.accept(stringAt(pos), stringAt(valuePos));
                pos = skip(valuePos);
            }
            return;
        }
        table.forEach(out);
    }

    /** A random pair as {field, value}, or null when empty. */
    public byte[][] randomPair(RandomGenerator rnd) {
        if (size() == 0) return null;
        if (packed != null) {
            int pos = 0;
            for (int i = rnd.nextInt(count); i > 0; i--) pos = skip(skip(pos));
            return new byte[][]{stringAt(pos), stringAt(skip(pos))};
        }
        return table.randomPair(rnd);
    }

    /**
     * One HSCAN step from {@code cursor}: emits field, value (in pairs to {@code out}) for at least
     * {@code count} home slots' worth of fields (or everything for a listpack) and returns the next
     * cursor, 0 when done.
     */
    public long scan(long cursor, long countHint, BiConsumer<byte[], byte[]> out) {
        if (packed != null) {
            forEach(out);
            return 0;
        }
        return table.scan(cursor, countHint, out);
    }

    // ---- copy and rewrite -------------------------------------------------------------------------

    @Override
    public HashValue copy() {
        HashValue c = new HashValue(limits);
        if (packed != null) {
            c.packed = Arrays.copyOf(packed, used);
            c.used = used;
            c.count = count;
        } else {
            c.packed = null;
            c.table = table.copy();
        }
        return c;
    }

    private static final byte[] HSET = {'H', 'S', 'E', 'T'};

    /** Emits HSET commands (64 field/value pairs each) that rebuild this hash under {@code key}. */
    @Override
    public void emit(byte[] key, Consumer<byte[][]> out) {
        int total = size();
        int[] done = {0};
        byte[][][] cmd = {null};
        int[] pos = {0};
        forEach((f, v) -> {
            if (cmd[0] == null) {
                int n = Math.min(64, total - done[0]);
                cmd[0] = new byte[2 + 2 * n][];
                cmd[0][0] = HSET;
                cmd[0][1] = key;
                pos[0] = 2;
            }
            cmd[0][pos[0]++] = f;
            cmd[0][pos[0]++] = v;
            done[0]++;
            if (pos[0] == cmd[0].length) {
                out.accept(cmd[0]);
                cmd[0] = null;
            }
        });
    }
}
