package io.keyline.protocol;

import io.keyline.util.DoubleFormat;

/**
 * Doubles as Redis 7.2 writes them in replies and reads them in arguments. The conversions live in
 * {@link DoubleFormat} (a leaf the store uses too); this keeps the protocol's name for them.
 */
public final class Doubles {
    private Doubles() {
    }

    /** Redis 7.2's {@code d2string}: the text used for doubles in RESP2 and RESP3 replies. */
    public static String format(double d) {
        return DoubleFormat.format(d);
    }

    /** The RESP3 double text ({@code ,<text>}); the same as {@link #format} in Redis 7.2. */
    public static String resp3(double d) {
        return DoubleFormat.format(d);
    }

    /** Parses a double argument like Redis's {@code string2d}; null on failure (see {@link DoubleFormat#parse}). */
    public static Double parse(byte[] b) {
        return DoubleFormat.parse(b);
    }
}
