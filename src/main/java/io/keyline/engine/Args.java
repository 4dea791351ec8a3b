package io.keyline.engine;

import io.keyline.util.Bytes;
import io.keyline.util.DoubleFormat;

/** Argument parsing with Redis's error texts. */
public final class Args {
    private Args() {
    }

    /** A 64-bit integer or {@code ERR value is not an integer or out of range}. */
    public static long toLong(byte[] b) {
        return Bytes.parseLongOrThrow(b, NOT_INTEGER);
    }

    /** Shared, stackless and immutable, so the integer fast paths never allocate. */
    private static final RedisException NOT_INTEGER = Errors.notInteger();

    public static long toLong(byte[] b, String error) {
        Long v = Bytes.parseLongOrError(b);
        if (v == null) throw new RedisException(error);
        return v;
    }

    public static int toInt(byte[] b) {
        long v = toLong(b);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw Errors.notInteger();
        return (int) v;
    }

    /** A double or {@code ERR value is not a valid float}. */
    public static double toDouble(byte[] b) {
        double d = DoubleFormat.parseOrNaN(b);
        if (Double.isNaN(d)) throw new RedisException(Errors.NOT_FLOAT);
        return d;
    }

    public static boolean is(byte[] arg, String lowerName) {
        return Bytes.equalsIgnoreCase(arg, lowerName);
    }

    public static String lower(byte[] b) {
        return Bytes.lower(b);
    }

    public static String str(byte[] b) {
        return Bytes.str(b);
    }
}
