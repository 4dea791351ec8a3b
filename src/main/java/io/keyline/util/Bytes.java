package io.keyline.util;

import java.nio.charset.StandardCharsets;

/** Small helpers for binary-safe keys and values. */
public final class Bytes {
    public static final byte[] EMPTY = new byte[0];

    private Bytes() {
    }

    /** A well-mixed 32-bit hash of the bytes (FNV-1a folded through a murmur finalizer). */
    public static int hash(byte[] b) {
        return hash(b, 0, b.length);
    }

    /** {@link #hash(byte[])} of {@code b[offset, offset + length)}: the same value as hashing a copy of that range. */
    public static int hash(byte[] b, int offset, int length) {
        int h = 0x811c9dc5;
        int i = offset;
        int end = offset + length;
        for (; i + 4 <= end; i += 4) {
            int k = (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] << 24);
            k *= 0xcc9e2d51;
            k = Integer.rotateLeft(k, 15);
            k *= 0x1b873593;
            h ^= k;
            h = Integer.rotateLeft(h, 13);
            h = h * 5 + 0xe6546b64;
        }
        for (; i < end; i++) {
            h ^= b[i] & 0xff;
            h *= 0x01000193;
        }
        h ^= length;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    public static byte[] of(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    public static boolean equalsIgnoreCase(byte[] a, String lowerAscii) {
        if (a.length != lowerAscii.length()) return false;
        for (int i = 0; i < a.length; i++) {
            int c = a[i];
            if (c >= 'A' && c <= 'Z') c += 32;
            if (c != lowerAscii.charAt(i)) return false;
        }
        return true;
    }

    /** ASCII lower-case copy as a String (for command and option names). */
    public static String lower(byte[] b) {
        char[] c = new char[b.length];
        for (int i = 0; i < b.length; i++) {
            int x = b[i] & 0xff;
            if (x >= 'A' && x <= 'Z') x += 32;
            c[i] = (char) x;
        }
        return new String(c);
    }

    /**
     * Parses a signed 64-bit integer exactly as Redis's {@code string2ll}: no spaces, no leading
     * {@code +}, no leading zeros, range-checked. Returns {@code fallback}'s sentinel via
     * {@link #isLong} first when the caller needs to know.
     */
    public static boolean isLong(byte[] b) {
        return parseLongOrError(b) != null;
    }

    public static Long parseLongOrError(byte[] b) {
        try {
            return parseLongOrThrow(b, NOT_A_LONG);
        } catch (NotALong e) {
            return null;
        }
    }

    /** Stackless marker for {@link #parseLongOrError}; never escapes this class. */
    private static final class NotALong extends RuntimeException {
        NotALong() {
            super(null, null, false, false);
        }
    }

    private static final NotALong NOT_A_LONG = new NotALong();

    /**
     * As {@link #parseLongOrError} without boxing: returns the value or throws {@code error} (a
     * preallocated stackless exception keeps the INCR path allocation-free).
     */
    public static long parseLongOrThrow(byte[] b, RuntimeException error) {
        return parseLongOrThrow(b, 0, b.length, error);
    }

    /** {@link #parseLongOrThrow(byte[], RuntimeException)} of {@code b[offset, offset + length)}. */
    public static long parseLongOrThrow(byte[] b, int offset, int length, RuntimeException error) {
        if (length == 0 || length > 20) throw error;
        if (length == 1 && b[offset] == '0') return 0L;
        int n = offset + length;
        int i = offset;
        boolean negative = false;
        if (b[offset] == '-') {
            negative = true;
            i++;
            if (length == 1) throw error;
        }
        if (b[i] < '1' || b[i] > '9') throw error;
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long multmin = limit / 10;
        long v = 0;
        for (; i < n; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9 || v < multmin) throw error;
            v *= 10;
            if (v < limit + d) throw error;
            v -= d;
        }
        return negative ? v : -v;
    }

    /** The decimal text of {@code v} as bytes, written directly (no intermediate String). */
    public static byte[] fromLong(long v) {
        byte[] out = new byte[decimalLength(v)];
        putDecimal(v, out, out.length);
        return out;
    }

    /** How many bytes the decimal text of {@code v} takes, its minus sign included. */
    public static int decimalLength(long v) {
        if (v == Long.MIN_VALUE) return 20;
        int digits = v < 0 ? 2 : 1;
        for (long u = Math.abs(v); u >= 10; u /= 10) digits++;
        return digits;
    }

    /**
     * Writes the decimal text of {@code v} into {@code out} so that it ends just before {@code end}
     * ({@link #decimalLength} bytes, from {@code end - decimalLength(v)}): INCR rewrites a stored
     * number where it lies with it.
     */
    public static void putDecimal(long v, byte[] out, int end) {
        // Digits from the negative side: -Long.MIN_VALUE has no positive counterpart.
        long n = v < 0 ? v : -v;
        int pos = end;
        do {
            out[--pos] = (byte) ('0' - n % 10);
            n /= 10;
        } while (n != 0);
        if (v < 0) out[--pos] = '-';
    }
}
