package io.keyline.store;

/**
 * A key whose value does not fit a blob (a collection, a {@link MutableString}, a string over
 * {@link SlotLayout#MAX_INLINE_VALUE} bytes or one whose encoding is tracked by identity, or a key
 * over {@link SlotLayout#MAX_INLINE_KEY} bytes): held in the table as an object of its own.
 * Immutable but for the access clock: a write stores a new one.
 */
class BoxedEntry extends Entry {
    final byte[] key;
    final Object value;
    int access;

    BoxedEntry(byte[] key, Object value, int access) {
        this.key = key;
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
