package io.keyline.command;

import io.keyline.store.Bytes;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * C's x87 {@code long double} (64-bit mantissa) as Redis uses it for INCRBYFLOAT and HINCRBYFLOAT:
 * values are exact binary fractions held in {@link BigDecimal}s, rounded to 64 significant bits after
 * parsing and after each addition, and printed like {@code ld2string(LD_STR_HUMAN)} ({@code %.17Lf}
 * without trailing zeros). So 5.6 + 5000 gives Redis's {@code 5005.60000000000000009}.
 */
public final class LongDouble {
    /** Marker for an infinite value. */
    public static final BigDecimal INFINITE = new BigDecimal("1e5000");
    private static final BigDecimal MAX = new BigDecimal("1.18973149535723176502e4932");
    private static final int MANTISSA_BITS = 64;

    private LongDouble() {
    }

    /** Parses like Redis's string2ld: null when not a number (or NaN), {@link #INFINITE} for infinities. */
    public static BigDecimal parse(byte[] b) {
        if (b.length == 0 || b.length > 5120) return null;
        if (isSpace(b[0]) || isSpace(b[b.length - 1])) return null;
        String s = new String(b, StandardCharsets.US_ASCII);
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        switch (lower) {
            case "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity":
                return INFINITE;
            default:
        }
        for (byte c : b) {
            if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) return null;
        }
        BigDecimal d;
        try {
            d = new BigDecimal(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
        return round(d);
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }

    /** a + b rounded to long double precision; {@link #INFINITE} on overflow. */
    public static BigDecimal add(BigDecimal a, BigDecimal b) {
        return round(a.add(b));
    }

    private static final BigDecimal LOW = new BigDecimal(BigInteger.ONE.shiftLeft(MANTISSA_BITS - 1));
    private static final BigDecimal HIGH = new BigDecimal(BigInteger.ONE.shiftLeft(MANTISSA_BITS));

    /** Rounds an exact value to the nearest value with a 64-bit mantissa (ties to even). */
    static BigDecimal round(BigDecimal d) {
        if (d.signum() == 0) return BigDecimal.ZERO;
        BigDecimal abs = d.abs();
        if (abs.compareTo(MAX) > 0) return INFINITE;
        // Binary exponent e with 2^63 <= |d| / 2^e < 2^64: estimate, then correct.
        int e = (int) Math.floor(abs.unscaledValue().bitLength() - abs.scale() * 3.321928094887362) - MANTISSA_BITS;
        while (true) {
            BigDecimal scaled = scale(abs, -e);
            if (scaled.compareTo(HIGH) >= 0) {
                e++;
            } else if (scaled.compareTo(LOW) < 0) {
                e--;
            } else {
                BigDecimal m = new BigDecimal(scaled.setScale(0, RoundingMode.HALF_EVEN).toBigInteger());
                BigDecimal v = scale(m, e);
                return d.signum() < 0 ? v.negate() : v;
            }
        }
    }

    /** x * 2^k, exactly. */
    private static BigDecimal scale(BigDecimal x, int k) {
        BigDecimal p = new BigDecimal(BigInteger.ONE.shiftLeft(Math.abs(k)));
        return k >= 0 ? x.multiply(p) : x.divide(p);
    }

    /** {@code %.17Lf} with trailing zeros (and a trailing dot) removed. */
    public static byte[] format(BigDecimal v) {
        BigDecimal r = v.setScale(17, RoundingMode.HALF_EVEN).stripTrailingZeros();
        if (r.signum() == 0) return v.signum() < 0 ? "-0".getBytes(StandardCharsets.US_ASCII) : new byte[]{'0'};
        String s = r.scale() < 0 ? r.setScale(0).toPlainString() : r.toPlainString();
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static String str(byte[] b) {
        return Bytes.str(b);
    }
}
