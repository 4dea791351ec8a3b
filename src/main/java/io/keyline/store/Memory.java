package io.keyline.store;

/** Rough heap-footprint estimates (compressed oops, 8-byte alignment) for maxmemory accounting and MEMORY USAGE. */
public final class Memory {
    /** A {@link BoxedEntry}: header, key, value, access. */
    static final long ENTRY = 24;
    /** What a {@link VolatileEntry} adds: its deadline and index, and its reference in the volatile index. */
    static final long VOLATILE_EXTRA = 24;
    /** A blob's reference in the volatile index (its deadline and index are in the blob's length). */
    static final long VOLATILE_INDEX = 8;
    /** A table slot: a one-byte tag and a reference, at the table's average load (between 3/8 and 3/4). */
    static final long SLOT = 9;

    private Memory() {
    }

    public static long array(int length) {
        return (16 + length + 7) & ~7L;
    }

    public static long value(Object v) {
        if (v instanceof byte[] b) return array(b.length);
        if (v instanceof MemorySized s) return s.estimatedBytes();
        return 16;
    }

    /** A key boxed without a TTL (a collection, a large string): slot, entry, key array and value. */
    public static long entry(byte[] key, Object value) {
        return SLOT + ENTRY + array(key.length) + value(value);
    }

    /** What one table slot's key costs, whichever form it has. */
    static long slot(Object slot) {
        if (slot instanceof byte[] blob) {
            return SLOT + array(blob.length) + (SlotLayout.hasTtl(blob) ? VOLATILE_INDEX : 0);
        }
        BoxedEntry e = (BoxedEntry) slot;
        return entry(e.key, e.value) + (e instanceof VolatileEntry ? VOLATILE_EXTRA : 0);
    }
}
