package io.keyline.store;

/**
 * A mutable value that COPY can duplicate; every mutable data type must implement this with a deep
 * copy (the copy and the original must never share mutable state). A snapshot shares string arrays
 * and a hash's values ({@link #copyOf}); a second key gets its own array when the string is long enough for
 * {@link Database#setReusing} to overwrite it in place ({@link #copyForNewKey}), and a hash's long values
 * ({@link #copy}).
 */
public interface Copyable {
    /** An independent deep copy of this value. */
    Object copy();

    /**
     * A deep copy for a snapshot's copy on first touch, which may share arrays that are overwritten
     * in place only while no snapshot runs ({@link Database#inPlaceWritesAllowed}): a hash's long
     * values. Such a copy must not outlive the snapshot.
     */
    default Object copyForSnapshot() {
        return copy();
    }

    /** A value safe to hold while a snapshot runs: the same array for strings, {@link #copyForSnapshot} otherwise. */
    static Object copyOf(Object value) {
        if (value instanceof byte[]) return value;
        if (value instanceof Copyable c) return c.copyForSnapshot();
        throw new IllegalStateException("value of " + value.getClass().getName() + " cannot be copied");
    }

    /**
     * A value to store under a second key (COPY): as {@link #copyOf}, but a string array that
     * {@link Database#setReusing} could overwrite in place is copied. Shorter ones stay shared:
     * they are stored inline (copied) or never overwritten, and sharing keeps an encoding that
     * {@link StringEncoding} tracks by the array's identity, as Redis's dupStringObject does.
     */
    static Object copyForNewKey(Object value) {
        if (value instanceof byte[] b) return b.length > SlotLayout.MAX_INLINE_VALUE ? b.clone() : b;
        if (value instanceof Copyable c) return c.copy();
        throw new IllegalStateException("value of " + value.getClass().getName() + " cannot be copied");
    }
}
