package io.keyline.store;

/** A boxed entry with a TTL; also indexed in its table's volatile array for the active expiry cycle. */
final class VolatileEntry extends BoxedEntry {
    final long expireAt;
    int volatileIndex = -1;

    VolatileEntry(byte[] key, int hash, Object value, long expireAt, int access) {
        super(key, hash, value, access);
        this.expireAt = expireAt;
    }

    @Override
    public long expireAt() {
        return expireAt;
    }
}
