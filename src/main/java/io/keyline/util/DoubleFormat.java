package io.keyline.util;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Formats and parses doubles the way Redis 7.2 does (replies, arguments, and the sorted-set scores
 * an AOF rewrite writes). A leaf: the store and the protocol both use it, it uses neither.
 *
 * <p>{@link #format} is Redis 7.2's {@code d2string}: {@code nan}, {@code inf}, {@code -inf},
 * {@code 0}/{@code -0}; integral values within ±2^62 as plain integers; everything else through
 * {@code fpconv_dtoa}, a Grisu2 shortest-digits conversion with its own layout ({@code 0.1},
 * {@code 1.5}, {@code 1e+20}, {@code 1e-7}, {@code 0.00001}, {@code 12345678901234567000}). The
 * Grisu2 steps below follow that algorithm step by step (same cached powers, same rounding), so the
 * digits are the ones Redis prints, including the rare cases where Grisu2 is not the shortest.
 */
public final class DoubleFormat {
    private static final long FRAC_MASK = 0x000FFFFFFFFFFFFFL;
    private static final long EXP_MASK = 0x7FF0000000000000L;
    private static final long HIDDEN_BIT = 0x0010000000000000L;
    private static final long SIGN_MASK = 0x8000000000000000L;
    private static final int EXP_BIAS = 1023 + 52;

    private static final int CACHED_POWERS = 87;
    private static final int POWER_STEP = 8;
    private static final int FIRST_POWER = -348;
    private static final int EXP_MAX = -32;
    private static final int EXP_MIN = -60;

    private static final long[] TENS = {
            -8446744073709551616L /* 10^19 as unsigned */, 1000000000000000000L, 100000000000000000L,
            10000000000000000L, 1000000000000000L, 100000000000000L, 10000000000000L, 1000000000000L,
            100000000000L, 10000000000L, 1000000000L, 100000000L, 10000000L, 1000000L, 100000L, 10000L,
            1000L, 100L, 10L, 1L};

    /** 10^(FIRST_POWER + i*POWER_STEP) as a normalized 64-bit mantissa (rounded to nearest) and exponent. */
    private static final long[] POWER_FRAC = new long[CACHED_POWERS];
    private static final int[] POWER_EXP = new int[CACHED_POWERS];

    static {
        BigInteger ten = BigInteger.TEN;
        for (int i = 0; i < CACHED_POWERS; i++) {
            int k = FIRST_POWER + i * POWER_STEP;
            // Find e such that 2^63 <= 10^k / 2^e < 2^64, then round 10^k / 2^e to nearest.
            BigInteger num = k >= 0 ? ten.pow(k) : BigInteger.ONE;
            BigInteger den = k >= 0 ? BigInteger.ONE : ten.pow(-k);
            int e = num.bitLength() - den.bitLength() - 64;
            BigInteger q;
            while (true) {
                BigInteger n = e >= 0 ? num : num.shiftLeft(-e);
                BigInteger d = e >= 0 ? den.shiftLeft(e) : den;
                BigInteger[] qr = n.divideAndRemainder(d);
                q = qr[0];
                if (qr[1].shiftLeft(1).compareTo(d) >= 0) q = q.add(BigInteger.ONE);
                if (q.bitLength() > 64) {
                    e++;
                } else if (q.bitLength() < 64) {
                    e--;
                } else {
                    break;
                }
            }
            POWER_FRAC[i] = q.longValue();
            POWER_EXP[i] = e;
        }
    }

    private DoubleFormat() {
    }

    /** Redis 7.2's {@code d2string}: the text used for doubles in RESP2 and RESP3 replies. */
    public static String format(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        if (d == 0) return (1 / d < 0) ? "-0" : "0";
        // double2ll: integers that are safely representable print as integers.
        if (d >= -(double) (Long.MAX_VALUE / 2) && d <= (double) (Long.MAX_VALUE / 2)) {
            long l = (long) d;
            if (l == d) return Long.toString(l);
        }
        return dtoa(d);
    }

    /**
     * Redis's {@code fpconv_dtoa}: Grisu2 digits laid out as described in the class comment. Public
     * for DEBUG DIGEST, which writes sorted-set scores with it directly (not through d2string).
     */
    public static String dtoa(double d) {
        long bits = Double.doubleToRawLongBits(d);
        StringBuilder sb = new StringBuilder(24);
        boolean negative = (bits & SIGN_MASK) != 0;
        if (negative) sb.append('-');
        if (d == 0) return sb.append('0').toString();
        if ((bits & EXP_MASK) == EXP_MASK) return sb.append((bits & FRAC_MASK) != 0 ? "nan" : "inf").toString();
        byte[] digits = new byte[18];
        int[] k = new int[1];
        int ndigits = grisu2(bits, digits, k);
        emitDigits(digits, ndigits, sb, k[0], negative);
        return sb.toString();
    }

    // ---- Grisu2 (a "fp" is a 64-bit unsigned mantissa and a binary exponent) ---------------------

    private static int grisu2(long bits, byte[] digits, int[] kOut) {
        long frac = bits & FRAC_MASK;
        int exp = (int) ((bits & EXP_MASK) >>> 52);
        if (exp != 0) {
            frac += HIDDEN_BIT;
            exp -= EXP_BIAS;
        } else {
            exp = -EXP_BIAS + 1;
        }
        // Boundaries m+ and m- (normalized to the same exponent).
        long upperFrac = (frac << 1) + 1;
        int upperExp = exp - 1;
        while ((upperFrac & (HIDDEN_BIT << 1)) == 0) {
            upperFrac <<= 1;
            upperExp--;
        }
        int uShift = 64 - 52 - 2;
        upperFrac <<= uShift;
        upperExp -= uShift;
        int lShift = frac == HIDDEN_BIT ? 2 : 1;
        long lowerFrac = (frac << lShift) - 1;
        int lowerExp = exp - lShift;
        lowerFrac <<= lowerExp - upperExp;

        // Normalize w.
        long wFrac = frac;
        int wExp = exp;
        while ((wFrac & HIDDEN_BIT) == 0) {
            wFrac <<= 1;
            wExp--;
        }
        int shift = 64 - 52 - 1;
        wFrac <<= shift;
        wExp -= shift;

        // Cached power of ten.
        double oneLogTen = 0.30102999566398114;
        int approx = (int) (-(upperExp + CACHED_POWERS) * oneLogTen);
        int idx = (approx - FIRST_POWER) / POWER_STEP;
        while (true) {
            int current = upperExp + POWER_EXP[idx] + 64;
            if (current < EXP_MIN) {
                idx++;
                continue;
            }
            if (current > EXP_MAX) {
                idx--;
                continue;
            }
            break;
        }
        int k = FIRST_POWER + idx * POWER_STEP;
        long cpFrac = POWER_FRAC[idx];
        int cpExp = POWER_EXP[idx];

        wFrac = multiply(wFrac, cpFrac);
        long upper = multiply(upperFrac, cpFrac);
        long lower = multiply(lowerFrac, cpFrac);
        int oneExp = upperExp + cpExp + 64;
        lower++;
        upper--;
        kOut[0] = -k;
        return generateDigits(wFrac, upper, lower, oneExp, digits, kOut);
    }

    /** The high 64 bits of the 128-bit product, rounded (as fpconv's {@code multiply}). */
    private static long multiply(long a, long b) {
        long lomask = 0xFFFFFFFFL;
        long ahBl = (a >>> 32) * (b & lomask);
        long alBh = (a & lomask) * (b >>> 32);
        long alBl = (a & lomask) * (b & lomask);
        long ahBh = (a >>> 32) * (b >>> 32);
        long tmp = (ahBl & lomask) + (alBh & lomask) + (alBl >>> 32);
        tmp += 1L << 31;
        return ahBh + (ahBl >>> 32) + (alBh >>> 32) + (tmp >>> 32);
    }

    private static int generateDigits(long w, long upper, long lower, int oneExp, byte[] digits, int[] k) {
        long wfrac = upper - w;
        long delta = upper - lower;
        int shift = -oneExp;
        long one = 1L << shift;
        long part1 = upper >>> shift;
        long part2 = upper & (one - 1);

        int idx = 0;
        int kappa = 10;
        for (int divp = 10; kappa > 0; divp++) {
            long div = TENS[divp];
            long digit = part1 / div;
            if (digit != 0 || idx != 0) digits[idx++] = (byte) (digit + '0');
            part1 -= digit * div;
            kappa--;
            long tmp = (part1 << shift) + part2;
            if (Long.compareUnsigned(tmp, delta) <= 0) {
                k[0] += kappa;
                roundDigit(digits, idx, delta, tmp, div << shift, wfrac);
                return idx;
            }
        }
        int unit = 18;
        while (true) {
            part2 *= 10;
            delta *= 10;
            kappa--;
            long digit = part2 >>> shift;
            if (digit != 0 || idx != 0) digits[idx++] = (byte) (digit + '0');
            part2 &= one - 1;
            if (Long.compareUnsigned(part2, delta) < 0) {
                k[0] += kappa;
                roundDigit(digits, idx, delta, part2, one, wfrac * TENS[unit]);
                return idx;
            }
            unit--;
        }
    }

    private static void roundDigit(byte[] digits, int ndigits, long delta, long rem, long kappa, long frac) {
        while (Long.compareUnsigned(rem, frac) < 0 && Long.compareUnsigned(delta - rem, kappa) >= 0
                && (Long.compareUnsigned(rem + kappa, frac) < 0
                || Long.compareUnsigned(frac - rem, rem + kappa - frac) > 0)) {
            digits[ndigits - 1]--;
            rem += kappa;
        }
    }

    private static void emitDigits(byte[] digits, int ndigits, StringBuilder dest, int k, boolean negative) {
        int exp = Math.abs(k + ndigits - 1);
        // A plain integer.
        if (k >= 0 && exp < ndigits + 7) {
            appendDigits(dest, digits, 0, ndigits);
            for (int i = 0; i < k; i++) dest.append('0');
            return;
        }
        // A decimal without exponent.
        if (k < 0 && (k > -7 || exp < 4)) {
            int offset = ndigits - Math.abs(k);
            if (offset <= 0) {
                dest.append("0.");
                for (int i = 0; i < -offset; i++) dest.append('0');
                appendDigits(dest, digits, 0, ndigits);
            } else {
                appendDigits(dest, digits, 0, offset);
                dest.append('.');
                appendDigits(dest, digits, offset, ndigits - offset);
            }
            return;
        }
        // Scientific notation: the exponent has no leading zeros (1e+20, 1e-7, 1.5e+300).
        ndigits = Math.min(ndigits, 18 - (negative ? 1 : 0));
        dest.append((char) digits[0]);
        if (ndigits > 1) {
            dest.append('.');
            appendDigits(dest, digits, 1, ndigits - 1);
        }
        dest.append('e').append(k + ndigits - 1 < 0 ? '-' : '+').append(exp);
    }

    private static void appendDigits(StringBuilder dest, byte[] digits, int from, int count) {
        for (int i = from; i < from + count; i++) dest.append((char) digits[i]);
    }

    // ---- parsing -----------------------------------------------------------------------------

    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
        1e19, 1e20, 1e21, 1e22,
    };

    /**
     * {@link #parse} without boxing: NaN on failure (NaN is never a valid argument). Scores such as
     * {@code 12345}, {@code -3.25} or {@code 0.1} — at most 15 digits, no exponent — take Clinger's
     * fast path: the digits as a long (exact below 2^53) divided by an exact power of ten is the
     * correctly rounded double, as {@code strtod} gives; everything else goes through {@link #parse}.
     * (ZADD at -P 16 spent a visible share of its time building a String per score.)
     */
    public static double parseOrNaN(byte[] b) {
        int n = b.length;
        if (n == 0 || n > 17) return slowParse(b);
        int i = 0;
        boolean negative = false;
        if (b[0] == '-' || b[0] == '+') {
            negative = b[0] == '-';
            i = 1;
        }
        long mantissa = 0;
        int digits = 0;
        int fraction = -1; // digits after the point, -1 before a point is seen
        for (; i < n; i++) {
            int c = b[i];
            if (c >= '0' && c <= '9') {
                mantissa = mantissa * 10 + (c - '0');
                digits++;
                if (fraction >= 0) fraction++;
            } else if (c == '.' && fraction < 0) {
                fraction = 0;
            } else {
                return slowParse(b);
            }
        }
        if (digits == 0 || digits > 15) return slowParse(b);
        double d = fraction > 0 ? mantissa / POWERS_OF_TEN[fraction] : (double) mantissa;
        return negative ? -d : d;
    }

    private static double slowParse(byte[] b) {
        Double d = parse(b);
        return d == null ? Double.NaN : d;
    }

    /**
     * Parses a double argument like Redis's {@code string2d} ({@code strtod} on the whole
     * argument): no leading or trailing blanks, {@code inf}/{@code infinity} in any case with an
     * optional sign, hexadecimal floats ({@code 0x1A}, {@code 0x1p-2}); rejects NaN, and values
     * that overflow to infinity or underflow to zero. Returns {@code null} on failure.
     */
    public static Double parse(byte[] b) {
        if (b.length == 0 || b.length > 5120) return null;
        if (isSpace(b[0])) return null;
        String s = new String(b, StandardCharsets.ISO_8859_1);
        int signEnd = (b[0] == '+' || b[0] == '-') ? 1 : 0;
        String body = s.substring(signEnd);
        boolean negative = b[0] == '-';
        if (body.equalsIgnoreCase("inf") || body.equalsIgnoreCase("infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        double d;
        if (body.length() > 2 && body.charAt(0) == '0' && (body.charAt(1) == 'x' || body.charAt(1) == 'X')) {
            d = parseHex(body.substring(2));
            if (Double.isNaN(d)) return null;
            if (negative) d = -d;
        } else {
            if (!isDecimal(body)) return null;
            try {
                d = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if (Double.isInfinite(d)) return null;              // ERANGE overflow
        if (d == 0 && hasNonZeroDigit(body)) return null;  // ERANGE underflow to zero
        return d;
    }

    /** strtod's decimal syntax: digits with an optional '.', at least one digit, optional exponent. */
    private static boolean isDecimal(String s) {
        int i = 0, n = s.length(), digits = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
                digits++;
            }
        }
        if (digits == 0) return false;
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
            int expDigits = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
                expDigits++;
            }
            if (expDigits == 0) return false;
        }
        return i == n;
    }

    /** Hex mantissa with optional fraction and optional binary exponent ({@code p}); NaN if malformed. */
    private static double parseHex(String s) {
        String mantissa = s;
        String exponent = "0";
        int p = Math.max(s.indexOf('p'), s.indexOf('P'));
        if (p >= 0) {
            mantissa = s.substring(0, p);
            exponent = s.substring(p + 1);
            if (exponent.startsWith("+")) exponent = exponent.substring(1);
            if (exponent.isEmpty() || !exponent.matches("-?[0-9]+")) return Double.NaN;
        }
        if (!mantissa.matches("[0-9a-fA-F]*(\\.[0-9a-fA-F]*)?") || mantissa.replace(".", "").isEmpty()) return Double.NaN;
        try {
            return Double.parseDouble("0x" + (mantissa.startsWith(".") ? "0" + mantissa : mantissa) + "p" + exponent);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static boolean hasNonZeroDigit(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 'e' || c == 'E' || c == 'p' || c == 'P') break;
            if (c >= '1' && c <= '9') return true;
            if (i > 1 && (c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') && (s.startsWith("0x") || s.startsWith("0X"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }
}
