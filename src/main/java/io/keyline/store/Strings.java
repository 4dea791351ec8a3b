package io.keyline.store;

/**
 * The one accessor for string values. A string value is stored today as a {@code byte[]}; code
 * outside the string commands (HyperLogLog, bitmaps, DEBUG, AOF rewrite...) should read strings
 * through {@link #bytes(Object)} / {@link #length(Object)} and test with {@link #isString(Object)}
 * so the representation may change (a growable buffer for APPEND/SETRANGE/SETBIT) without
 * touching them.
 */
public final class Strings {
    private Strings() {
    }

    /** Whether {@code value} is a string value. */
    public static boolean isString(Object value) {
        return value instanceof byte[];
    }

    /** The bytes of a string value (not a copy: callers must not change it), null for null. */
    public static byte[] bytes(Object value) {
        return (byte[]) value;
    }

    /** The length of a string value in bytes, 0 for null. */
    public static int length(Object value) {
        return value == null ? 0 : ((byte[]) value).length;
    }
}
