package io.keyline.store;

/**
 * One key in a {@link KeyTable} bucket chain. The value is a {@code byte[]} for strings or a
 * data-type object. {@code access} holds the LRU clock or the LFU counter, depending on the policy.
 * 32 bytes with compressed references: header, hash, key, value, next, access.
 */
public class Entry {
    final int hash;
    final byte[] key;
    Object value;
    Entry next;
    int access;

    Entry(int hash, byte[] key, Object value) {
        this.hash = hash;
        this.key = key;
        this.value = value;
    }

    public byte[] key() {
        return key;
    }

    public Object value() {
        return value;
    }

    /** Epoch ms deadline, or -1 when the key has no TTL. */
    public long expireAt() {
        return -1;
    }

    public int access() {
        return access;
    }
}
