package io.keyline.store;

/**
 * Heap-footprint estimates for maxmemory accounting and MEMORY USAGE, in the running JVM's object layout.
 *
 * <p>The layout differs by JVM: the launcher's default (JDK 25, generational ZGC, compact object headers) has
 * 8-byte references, 8-byte object headers and byte arrays whose data starts at offset 12; JDK 17 with G1 (the
 * tests, embedded use) has compressed 4-byte references, 12-byte headers and array data at 16. Constants for
 * one of them were 10-40% off under the other (bench/results/2026-12-08-memory-truth.md), so the sizes here are
 * read once from {@code sun.misc.Unsafe}'s array constants: plain static fields, set when that class (which Netty
 * loads anyway) initialises; reading them is no memory access and loads nothing else. Objects are assumed
 * 8-byte aligned (the JVM's default ObjectAlignmentInBytes).
 */
public final class Memory {
    /** Bytes of a reference: 4 with compressed oops, 8 without (ZGC). */
    public static final int REFERENCE = sun.misc.Unsafe.ARRAY_OBJECT_INDEX_SCALE;
    /** Bytes of a plain object's header: an array's data starts after the header and its 4-byte length. */
    public static final int HEADER = sun.misc.Unsafe.ARRAY_INT_BASE_OFFSET - 4;
    private static final int BYTE_BASE = sun.misc.Unsafe.ARRAY_BYTE_BASE_OFFSET;
    private static final int INT_BASE = sun.misc.Unsafe.ARRAY_INT_BASE_OFFSET;
    private static final int LONG_BASE = sun.misc.Unsafe.ARRAY_LONG_BASE_OFFSET;
    private static final int REFERENCE_BASE = sun.misc.Unsafe.ARRAY_OBJECT_BASE_OFFSET;

    /** A {@link BoxedEntry}: key and value references, hash and access clock. */
    static final long ENTRY = object(2 * REFERENCE + 8);
    /**
     * What a {@link VolatileEntry} adds to a boxed entry (its deadline and index) and its reference in the
     * volatile index.
     */
    static final long VOLATILE_EXTRA = object(2 * REFERENCE + 8 + 8 + 4) - ENTRY + REFERENCE;
    /** A blob's reference in the volatile index (its deadline and index are in the blob's length). */
    static final long VOLATILE_INDEX = REFERENCE;
    /**
     * A key table slot: a one-byte tag and a reference, at the table's average load (between 3/8 and 3/4, so
     * ~1.8 slots a key): 9 bytes a key with compressed references, 16 without.
     */
    static final long SLOT = (1 + REFERENCE) * 9 / 5;

    private Memory() {
    }

    /** {@code bytes} rounded up to the 8-byte object alignment. */
    public static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }

    /** An object with {@code fieldBytes} of fields (references count {@link #REFERENCE} each). */
    public static long object(long fieldBytes) {
        return align(HEADER + fieldBytes);
    }

    /** A {@code byte[]} of {@code length}. */
    public static long array(int length) {
        return align(BYTE_BASE + (long) length);
    }

    /** An {@code int[]} of {@code length}. */
    public static long intArray(long length) {
        return align(INT_BASE + 4 * length);
    }

    /** A {@code long[]} or {@code double[]} of {@code length}. */
    public static long longArray(long length) {
        return align(LONG_BASE + 8 * length);
    }

    /** An array of {@code length} references. */
    public static long referenceArray(long length) {
        return align(REFERENCE_BASE + (long) REFERENCE * length);
    }

    public static long value(Object v) {
        if (v instanceof byte[] b) return array(b.length);
        if (v instanceof MemorySized s) return s.estimatedBytes();
        return object(0);
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
