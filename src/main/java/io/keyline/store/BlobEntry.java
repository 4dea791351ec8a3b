package io.keyline.store;

/**
 * A view of a key stored as a blob ({@link SlotLayout}), made for callers that need an
 * {@link Entry}. Key and value are copied out on request; {@link #access(int)} writes through to
 * the blob. The view sees the blob as it is when read: its access clock, and an integer value
 * INCR rewrote in place ({@link Database#addToInteger}), change under it.
 */
final class BlobEntry extends Entry {
    private final byte[] blob;

    BlobEntry(byte[] blob) {
        this.blob = blob;
    }

    @Override
    public byte[] key() {
        return SlotLayout.blobKey(blob);
    }

    @Override
    public Object value() {
        return SlotLayout.blobValue(blob);
    }

    @Override
    public long expireAt() {
        return SlotLayout.blobExpireAt(blob);
    }

    @Override
    public int access() {
        return SlotLayout.blobAccess(blob);
    }

    @Override
    void access(int access) {
        SlotLayout.blobAccess(blob, access);
    }

    @Override
    Object slot() {
        return blob;
    }
}
