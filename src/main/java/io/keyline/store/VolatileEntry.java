package io.keyline.store;

/** An entry with a TTL; also indexed in its table's volatile array for the active expiry cycle. */
final class VolatileEntry extends Entry {
    long expireAt;
    int volatileIndex = -1;

    VolatileEntry(int hash, byte[] key, Object value, long expireAt) {
        super(hash, key, value);
        this.expireAt = expireAt;
    }

    @Override
    public long expireAt() {
        return expireAt;
    }
}
