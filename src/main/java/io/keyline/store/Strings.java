package io.keyline.store;

/**
 * The one accessor for string values. A string is stored either as a plain {@code byte[]} (SET
 * and friends) or as a {@link MutableString} once APPEND, SETRANGE, SETBIT or BITFIELD changed it
 * in place. Code outside the string commands (HyperLogLog, DEBUG, AOF rewrite...) tests with
 * {@link #isString}, reads with {@link #bytes} (exact bytes; a copy for the mutable form) or, to
 * avoid the copy, {@link #array} + {@link #length}.
 */
public final class Strings {
    private Strings() {
    }

    /** Whether {@code value} is a string value. */
    public static boolean isString(Object value) {
        return value instanceof byte[] || value instanceof MutableString;
    }

    /**
     * The exact bytes of a string value, null for null. For a {@code byte[]} value the stored
     * array itself (callers must not change it, nor keep it past the stripe lock: a plain SET may
     * overwrite a long one in place, {@link Database#setReusing}); for a mutable string a copy.
     */
    public static byte[] bytes(Object value) {
        if (value == null) return null;
        if (value instanceof MutableString m) return m.toBytes();
        return (byte[]) value;
    }

    /** The array holding a string's bytes in [0, {@link #length}) (no copy; read only), null for null. */
    public static byte[] array(Object value) {
        if (value instanceof MutableString m) return m.buffer();
        return (byte[]) value;
    }

    /** The length of a string value in bytes, 0 for null. */
    public static int length(Object value) {
        if (value == null) return 0;
        if (value instanceof MutableString m) return m.length();
        return ((byte[]) value).length;
    }
}
