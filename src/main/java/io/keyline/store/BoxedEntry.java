package io.keyline.store;

/**
 * A key whose value does not fit a blob (a collection, a {@link MutableString}, a string over
 * {@link SlotLayout#MAX_INLINE_VALUE} bytes or one whose encoding is tracked by identity, or a key
 * over {@link SlotLayout#MAX_INLINE_KEY} bytes): held in the table as an object of its own.
 * Immutable but for the access clock and, under the stripe lock, the bytes of a string array that
 * {@link Database#setReusing} overwrites with a value of the same length: any other write stores a new one.
 *
 * <p>Keeps its key's {@link io.keyline.util.Bytes#hash}: the table's resize, backward-shift delete
 * and SCAN need each slot's whole hash, and recomputing it from the key array of a boxed entry (a
 * second object, often cold) was ~15% of an MSET -P 16 profile with 1 KB values. With compact
 * object headers and no compressed references the int fits the padding of this object (28 to 32
 * bytes: free); a {@link VolatileEntry} grows from 40 to 48 bytes. Blobs (the common small key) do
 * not store it: their key is in the same array as the rest, and 4 bytes a blob would show in the
 * memory row.
 */
class BoxedEntry extends Entry {
    final byte[] key;
    final Object value;
    final int hash;
    int access;

    /** {@code hash} must be {@code Bytes.hash(key)}: callers have it at hand from the lookup. */
    BoxedEntry(byte[] key, int hash, Object value, int access) {
        this.key = key;
        this.hash = hash;
        this.value = value;
        this.access = access;
    }

    @Override
    public byte[] key() {
        return key;
    }

    @Override
    public Object value() {
        return value;
    }

    @Override
    public long expireAt() {
        return -1;
    }

    @Override
    public int access() {
        return access;
    }

    @Override
    void access(int access) {
        this.access = access;
    }

    @Override
    Object slot() {
        return this;
    }
}
