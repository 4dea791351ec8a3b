package io.keyline.store;

/**
 * A mutable value that COPY can duplicate; every mutable data type must implement this with a deep
 * copy (the copy and the original must never share mutable state). A snapshot shares string arrays
 * ({@link #copyOf}); a second key gets its own array when the string is long enough for
 * {@link Database#setReusing} to overwrite it in place ({@link #copyForNewKey}).
 */
public interface Copyable {
    /** An independent deep copy of this value. */
    Object copy();

    /** A value safe to store under a second key: the same array for strings, a deep copy otherwise. */
    static Object copyOf(Object value) {
        if (value instanceof byte[]) return value;
        if (value instanceof Copyable c) return c.copy();
        throw new IllegalStateException("value of " + value.getClass().getName() + " cannot be copied");
    }

    /**
     * A value to store under a second key (COPY): as {@link #copyOf}, but a string array that
     * {@link Database#setReusing} could overwrite in place is copied. Shorter ones stay shared:
     * they are stored inline (copied) or never overwritten, and sharing keeps an encoding that
     * {@link StringEncoding} tracks by the array's identity, as Redis's dupStringObject does.
     */
    static Object copyForNewKey(Object value) {
        if (value instanceof byte[] b && b.length > SlotLayout.MAX_INLINE_VALUE) return b.clone();
        return copyOf(value);
    }
}
