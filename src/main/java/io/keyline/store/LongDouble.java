package io.keyline.store;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Redis's {@code long double} arithmetic for INCRBYFLOAT (and HINCRBYFLOAT): x87 80-bit extended
 * precision, i.e. a 64-bit mantissa, emulated exactly with BigDecimal. Parsing follows
 * {@code string2ld} (strtold, no surrounding spaces, no NaN, no overflow/underflow to zero) and
 * formatting follows {@code ld2string(..., LD_STR_HUMAN)}: {@code %.17Lf} with trailing zeros
 * stripped and {@code -0} shown as {@code 0}. So {@code 10.5 + 0.1} gives {@code 10.6} exactly as
 * Redis does, and long sums show the same rounding noise Redis shows.
 */
public final class LongDouble {
    /** Binary exponent limits of the 80-bit format (normal numbers). */
    private static final int MAX_EXPONENT = 16383;
    private static final int MIN_EXPONENT = -16382;
    private static final int MANTISSA_BITS = 64;
    /** Redis's MAX_LONG_DOUBLE_CHARS. */
    private static final int MAX_CHARS = 5 * 1024;

    /** A parsed value: a finite exact binary value, or an infinity. */
    public record Value(BigDecimal finite, int infinity) {
        public boolean isInfinite() {
            return infinity != 0;
        }
    }

    private LongDouble() {
    }

    /** Parses like Redis's {@code string2ld}; null when Redis would answer "not a valid float". */
    public static Value parse(byte[] text) {
        int n = text.length;
        if (n == 0 || n >= MAX_CHARS) return null;
        String s = new String(text, java.nio.charset.StandardCharsets.ISO_8859_1);
        String body = s;
        int sign = 1;
        if (body.startsWith("-") || body.startsWith("+")) {
            if (body.charAt(0) == '-') sign = -1;
            body = body.substring(1);
        }
        String lower = body.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("inf") || lower.equals("infinity")) return new Value(null, sign);
        if (lower.startsWith("0x")) {
            BigDecimal hex = parseHex(lower.substring(2));
            if (hex == null) return null;
            return checked(sign < 0 ? hex.negate() : hex);
        }
        for (int i = 0; i < n; i++) {
            byte c = text[i];
            if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) return null;
        }
        BigDecimal exact;
        try {
            exact = new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
        return checked(exact);
    }

    /** Rounds a parsed exact value, rejecting what strtold reports as overflow or underflow. */
    private static Value checked(BigDecimal exact) {
        if (exact.signum() == 0) return new Value(BigDecimal.ZERO, 0);
        long decimalExponent = (long) exact.precision() - exact.scale();
        if (decimalExponent > 4934) return null;  // overflows to HUGE_VAL: rejected
        if (decimalExponent < -4952) return null; // underflows to zero: rejected
        Value v = round(exact);
        if (v.isInfinite()) return null;
        if (v.finite().signum() == 0) return null;
        return v;
    }

    /** strtold's hexadecimal form after "0x": hex digits, an optional point, an optional p exponent. */
    private static BigDecimal parseHex(String s) {
        int p = s.indexOf('p');
        String digits = p < 0 ? s : s.substring(0, p);
        long exponent = 0;
        if (p >= 0) {
            String e = s.substring(p + 1);
            if (!e.matches("[+-]?[0-9]{1,6}")) return null;
            exponent = Long.parseLong(e.startsWith("+") ? e.substring(1) : e);
        }
        int dot = digits.indexOf('.');
        String whole = dot < 0 ? digits : digits.substring(0, dot) + digits.substring(dot + 1);
        if (whole.isEmpty() || !whole.matches("[0-9a-f]+")) return null;
        if (dot >= 0) exponent -= 4L * (digits.length() - dot - 1);
        BigInteger mantissa = new BigInteger(whole, 16);
        if (Math.abs(exponent) > 20000) return null;
        return exponent >= 0 ? new BigDecimal(mantissa.shiftLeft((int) exponent))
                : new BigDecimal(mantissa.multiply(BigInteger.valueOf(5).pow((int) -exponent)), (int) -exponent);
    }

    /** The sum as the x87 FPU computes it (round to nearest even on 64 mantissa bits). */
    public static Value add(Value a, Value b) {
        if (a.isInfinite() || b.isInfinite()) {
            if (a.isInfinite() && b.isInfinite() && a.infinity() != b.infinity()) return null; // NaN
            return new Value(null, a.isInfinite() ? a.infinity() : b.infinity());
        }
        return round(a.finite().add(b.finite()));
    }

    /** Redis's LD_STR_HUMAN text of a finite value. */
    public static String format(Value v) {
        String s = v.finite().setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        int end = s.length();
        if (s.indexOf('.') >= 0) {
            while (s.charAt(end - 1) == '0') end--;
            if (s.charAt(end - 1) == '.') end--;
        }
        s = s.substring(0, end);
        return s.equals("-0") ? "0" : s;
    }

    /** Rounds an exact decimal to the nearest 80-bit long double (an infinity on overflow). */
    static Value round(BigDecimal x) {
        int sign = x.signum();
        if (sign == 0) return new Value(BigDecimal.ZERO, 0);
        BigDecimal abs = x.abs();
        BigInteger p, q;
        if (abs.scale() <= 0) {
            p = abs.toBigIntegerExact();
            q = BigInteger.ONE;
        } else {
            p = abs.unscaledValue();
            q = BigInteger.TEN.pow(abs.scale());
        }
        // e = floor(log2(p/q))
        int e = p.bitLength() - q.bitLength();
        if (compareShifted(p, q, e) < 0) e--;
        if (e > MAX_EXPONENT) return new Value(null, sign);
        int precisionBits = MANTISSA_BITS;
        if (e < MIN_EXPONENT) {
            precisionBits -= MIN_EXPONENT - e; // subnormal: fewer mantissa bits
            if (precisionBits <= 0) return new Value(BigDecimal.ZERO, 0);
        }
        int shift = precisionBits - 1 - e; // mantissa = round(p/q * 2^shift)
        BigInteger num = shift >= 0 ? p.shiftLeft(shift) : p;
        BigInteger den = shift >= 0 ? q : q.shiftLeft(-shift);
        BigInteger[] qr = num.divideAndRemainder(den);
        BigInteger m = qr[0];
        int half = qr[1].shiftLeft(1).compareTo(den);
        if (half > 0 || (half == 0 && m.testBit(0))) m = m.add(BigInteger.ONE);
        if (m.bitLength() > precisionBits) {
            m = m.shiftRight(1);
            shift--;
            if (precisionBits - 1 - shift > MAX_EXPONENT) return new Value(null, sign);
        }
        BigDecimal value = shift <= 0
                ? new BigDecimal(m.shiftLeft(-shift))
                : new BigDecimal(m.multiply(BigInteger.valueOf(5).pow(shift)), shift);
        return new Value(sign < 0 ? value.negate() : value, 0);
    }

    /** Compares p with q * 2^e. */
    private static int compareShifted(BigInteger p, BigInteger q, int e) {
        return e >= 0 ? p.compareTo(q.shiftLeft(e)) : p.shiftLeft(-e).compareTo(q);
    }
}
