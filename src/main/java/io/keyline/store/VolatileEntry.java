package io.keyline.store;

/** A boxed entry with a TTL; also indexed in its table's volatile array for the active expiry cycle. */
final class VolatileEntry extends BoxedEntry {
    final long expireAt;
    int volatileIndex = -1;

    VolatileEntry(byte[] key, Object value, long expireAt, int access) {
        super(key, value, access);
        this.expireAt = expireAt;
    }

    @Override
    public long expireAt() {
        return expireAt;
    }
}
