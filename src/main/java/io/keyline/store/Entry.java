package io.keyline.store;

/**
 * One key as callers see it: its key, value, TTL and LRU/LFU clock. The table itself holds either
 * a compact blob ({@link SlotLayout}; the caller then gets a {@link BlobEntry} view of it) or, for
 * values that do not fit one, a {@link BoxedEntry}. A write replaces what the table holds and
 * never changes a key's bytes, a deadline or a boxed string's bytes in place, so those stay valid
 * after the stripe lock; but INCR rewrites a blob's integer value in place
 * ({@link Database#addToInteger}), so read {@link #value()} under the lock that found the entry
 * (it is a copy for a blob: keep that).
 */
public abstract class Entry {
    Entry() {
    }

    /** The key (a copy for a blob: compare by content, never by identity). */
    public abstract byte[] key();

    /** The value: a {@code byte[]} for strings (a copy for a blob) or a data-type object. */
    public abstract Object value();

    /** Epoch ms deadline, or -1 when the key has no TTL. */
    public abstract long expireAt();

    /** The 24-bit LRU clock or LFU counter, depending on the policy. */
    public abstract int access();

    abstract void access(int access);

    /** What the table holds for this key: the blob a view reads, or the boxed entry itself. */
    abstract Object slot();

    /** Heap bytes this key costs, its share of the table included (MEMORY USAGE, maxmemory). */
    public long footprint() {
        return Memory.slot(slot());
    }
}
