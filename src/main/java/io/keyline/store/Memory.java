package io.keyline.store;

/** Rough heap-footprint estimates (compressed oops, 8-byte alignment) for maxmemory accounting. */
public final class Memory {
    static final long ENTRY = 32;
    static final long VOLATILE_EXTRA = 16;
    static final long SLOT = 8; // table reference at ~50% load

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

    public static long entry(byte[] key, Object value) {
        return ENTRY + SLOT + array(key.length) + value(value);
    }
}
