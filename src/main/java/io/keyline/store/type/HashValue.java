package io.keyline.store.type;

import io.keyline.store.Bytes;
import io.keyline.store.Memory;
import io.keyline.store.Copyable;
import io.keyline.store.MemorySized;
import io.keyline.store.TypedValue;

import java.util.Arrays;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * A Redis hash. Small hashes are a flat array of field/value pairs in insertion order (Redis's
 * {@code listpack}: linear lookups, tiny footprint); once a hash has more than
 * {@code hash-max-listpack-entries} fields or a field or value longer than
 * {@code hash-max-listpack-value} bytes it becomes an open-addressing hash table ({@code hashtable})
 * and never converts back, as in Redis.
 *
 * <p>The table uses linear probing with backward-shift deletion, so every field sits in the run of
 * occupied slots that starts at its home slot ({@code hash & mask}). That lets {@link #scan} walk
 * home slots in Redis's reverse-binary cursor order with Redis's guarantee: a field present for
 * the whole scan is returned at least once, even across table growth.
 *
 * <p>Fields and values are immutable, shared byte arrays. Not thread-safe (the key's stripe lock).
 */
public final class HashValue implements MemorySized, TypedValue, Copyable {
    public static final String ENCODING_LISTPACK = "listpack";
    public static final String ENCODING_HASHTABLE = "hashtable";
    private static final long OBJECT_HEAP = 40;

    // listpack: pairs[2i] = field, pairs[2i+1] = value, i < count
    private byte[][] pairs;
    private int count;

    // hashtable (pairs == null): parallel arrays, power-of-two length
    private int[] hashes;
    private byte[][] fields;
    private byte[][] values;
    private int tableSize;

    private long dataHeap;

    public HashValue() {
        pairs = new byte[8][];
    }

    @Override
    public String typeName() {
        return "hash";
    }

    @Override
    public String encoding() {
        return pairs != null ? ENCODING_LISTPACK : ENCODING_HASHTABLE;
    }

    public boolean isListpack() {
        return pairs != null;
    }

    public int size() {
        return pairs != null ? count : tableSize;
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public long estimatedBytes() {
        if (pairs != null) return OBJECT_HEAP + Memory.array(pairs.length * 4) + dataHeap;
        return OBJECT_HEAP + 3L * Memory.array(fields.length * 4) + dataHeap;
    }

    private static long heapOf(byte[] b) {
        return Memory.array(b.length);
    }

    // ---- lookups ----------------------------------------------------------------------------------

    private int listpackIndex(byte[] field) {
        for (int i = 0; i < count; i++) if (Arrays.equals(pairs[2 * i], field)) return i;
        return -1;
    }

    private int slotOf(byte[] field, int hash) {
        int mask = fields.length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            byte[] f = fields[i];
            if (f == null) return -1;
            if (hashes[i] == hash && Arrays.equals(f, field)) return i;
        }
    }

    /** The value of {@code field}, or null. */
    public byte[] get(byte[] field) {
        if (pairs != null) {
            int i = listpackIndex(field);
            return i < 0 ? null : pairs[2 * i + 1];
        }
        int s = slotOf(field, Bytes.hash(field));
        return s < 0 ? null : values[s];
    }

    public boolean contains(byte[] field) {
        return get(field) != null;
    }

    // ---- writes -----------------------------------------------------------------------------------

    /**
     * Sets {@code field} to {@code value}; true when the field is new. {@code maxEntries} and
     * {@code maxValue} are the current hash-max-listpack-entries / -value.
     */
    public boolean put(byte[] field, byte[] value, long maxEntries, long maxValue) {
        if (pairs != null) {
            if (field.length > maxValue || value.length > maxValue) {
                toHashtable();
            } else {
                int i = listpackIndex(field);
                if (i >= 0) {
                    byte[] old = pairs[2 * i + 1];
                    pairs[2 * i + 1] = value;
                    dataHeap += heapOf(value) - heapOf(old);
                    return false;
                }
                if (count + 1 > maxEntries) {
                    toHashtable();
                } else {
                    if (2 * count + 2 > pairs.length) pairs = Arrays.copyOf(pairs, Math.max(8, pairs.length * 2));
                    pairs[2 * count] = field;
                    pairs[2 * count + 1] = value;
                    count++;
                    dataHeap += heapOf(field) + heapOf(value);
                    return true;
                }
            }
        }
        return tablePut(field, Bytes.hash(field), value);
    }

    private boolean tablePut(byte[] field, int hash, byte[] value) {
        int mask = fields.length - 1;
        int i = hash & mask;
        for (; fields[i] != null; i = (i + 1) & mask) {
            if (hashes[i] == hash && Arrays.equals(fields[i], field)) {
                dataHeap += heapOf(value) - heapOf(values[i]);
                values[i] = value;
                return false;
            }
        }
        fields[i] = field;
        values[i] = value;
        hashes[i] = hash;
        tableSize++;
        dataHeap += heapOf(field) + heapOf(value);
        if (tableSize * 4L > fields.length * 3L) resize(fields.length * 2);
        return true;
    }

    private void toHashtable() {
        byte[][] p = pairs;
        int n = count;
        pairs = null;
        count = 0;
        allocateTable(Math.max(16, Integer.highestOneBit(Math.max(1, n * 2)) * 2));
        long heap = dataHeap;
        for (int i = 0; i < n; i++) tablePut(p[2 * i], Bytes.hash(p[2 * i]), p[2 * i + 1]);
        dataHeap = heap;
    }

    private void allocateTable(int capacity) {
        hashes = new int[capacity];
        fields = new byte[capacity][];
        values = new byte[capacity][];
        tableSize = 0;
    }

    private void resize(int capacity) {
        int[] oh = hashes;
        byte[][] of = fields;
        byte[][] ov = values;
        int n = tableSize;
        allocateTable(capacity);
        int mask = capacity - 1;
        for (int j = 0; j < of.length; j++) {
            if (of[j] == null) continue;
            int i = oh[j] & mask;
            while (fields[i] != null) i = (i + 1) & mask;
            fields[i] = of[j];
            values[i] = ov[j];
            hashes[i] = oh[j];
        }
        tableSize = n;
    }

    /** Removes {@code field}; true if it was there. */
    public boolean remove(byte[] field) {
        if (pairs != null) {
            int i = listpackIndex(field);
            if (i < 0) return false;
            dataHeap -= heapOf(pairs[2 * i]) + heapOf(pairs[2 * i + 1]);
            System.arraycopy(pairs, 2 * i + 2, pairs, 2 * i, 2 * (count - i - 1));
            count--;
            pairs[2 * count] = null;
            pairs[2 * count + 1] = null;
            return true;
        }
        int s = slotOf(field, Bytes.hash(field));
        if (s < 0) return false;
        dataHeap -= heapOf(fields[s]) + heapOf(values[s]);
        deleteSlot(s);
        tableSize--;
        if (fields.length > 16 && tableSize * 8L < fields.length) resize(Math.max(16, fields.length / 2));
        return true;
    }

    /** Backward-shift deletion: keeps every entry reachable from its home slot without tombstones. */
    private void deleteSlot(int hole) {
        int mask = fields.length - 1;
        int i = hole;
        while (true) {
            i = (i + 1) & mask;
            if (fields[i] == null) break;
            int home = hashes[i] & mask;
            // Move entry i into the hole if its home is not in (hole, i] (cyclically).
            boolean homeBetween = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
            if (!homeBetween) {
                fields[hole] = fields[i];
                values[hole] = values[i];
                hashes[hole] = hashes[i];
                hole = i;
            }
        }
        fields[hole] = null;
        values[hole] = null;
        hashes[hole] = 0;
    }

    // ---- iteration --------------------------------------------------------------------------------

    /** Every field/value pair (listpack: insertion order). */
    public void forEach(BiConsumer<byte[], byte[]> out) {
        if (pairs != null) {
            for (int i = 0; i < count; i++) out.accept(pairs[2 * i], pairs[2 * i + 1]);
            return;
        }
        for (int i = 0; i < fields.length; i++) if (fields[i] != null) out.accept(fields[i], values[i]);
    }

    /** A random pair as {field, value}, or null when empty. */
    public byte[][] randomPair(RandomGenerator rnd) {
        if (size() == 0) return null;
        if (pairs != null) {
            int i = rnd.nextInt(count);
            return new byte[][]{pairs[2 * i], pairs[2 * i + 1]};
        }
        while (true) {
            int i = rnd.nextInt(fields.length);
            if (fields[i] != null) return new byte[][]{fields[i], values[i]};
        }
    }

    /**
     * One HSCAN step from {@code cursor}: emits field, value (in pairs to {@code out}) for at least
     * {@code count} home slots' worth of fields (or everything for a listpack) and returns the next
     * cursor, 0 when done.
     */
    public long scan(long cursor, long countHint, BiConsumer<byte[], byte[]> out) {
        if (pairs != null) {
            forEach(out);
            return 0;
        }
        int mask = fields.length - 1;
        int v = (int) cursor;
        long maxSteps = Math.max(1, countHint) * 10;
        long emitted = 0;
        do {
            int home = v & mask;
            // Fields whose home is `home` sit in the run of occupied slots starting there.
            for (int i = home; fields[i] != null; i = (i + 1) & mask) {
                if ((hashes[i] & mask) == home) {
                    out.accept(fields[i], values[i]);
                    emitted++;
                }
            }
            // Redis's reverse-binary increment of the cursor over the mask's bits.
            v |= ~mask;
            v = Integer.reverse(Integer.reverse(v) + 1);
            maxSteps--;
        } while (v != 0 && emitted < countHint && maxSteps > 0);
        return v & 0xffffffffL;
    }

    // ---- copy and rewrite -------------------------------------------------------------------------

    @Override
    public Object copy() {
        return deepCopy();
    }

    public HashValue deepCopy() {
        HashValue c = new HashValue();
        if (pairs != null) {
            c.pairs = pairs.clone();
            c.count = count;
        } else {
            c.pairs = null;
            c.hashes = hashes.clone();
            c.fields = fields.clone();
            c.values = values.clone();
            c.tableSize = tableSize;
        }
        c.dataHeap = dataHeap;
        return c;
    }

    private static final byte[] HSET = {'H', 'S', 'E', 'T'};

    /** Emits HSET commands (64 field/value pairs each) that rebuild this hash under {@code key}. */
    public void rewrite(byte[] key, Consumer<byte[][]> out) {
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
