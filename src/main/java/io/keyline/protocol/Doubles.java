package io.keyline.protocol;

import java.math.BigDecimal;

/** Formats and parses doubles the way Redis does in replies and arguments. */
public final class Doubles {
    private Doubles() {
    }

    /**
     * Shortest text that reads back as the same double ({@code inf}, {@code -inf}, {@code nan};
     * integers without a fraction, exponents as {@code 1e+20}), matching Redis 7.2's fpconv output.
     */
    public static String format(double d) {
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        if (Double.isNaN(d)) return "nan";
        if (d == 0) return (1 / d < 0) ? "-0" : "0";
        if (d == Math.rint(d) && Math.abs(d) < 1e17) {
            return Long.toString((long) d);
        }
        String s = Double.toString(d); // shortest round-trip digits (JDK 19+); fine on 17 too
        int e = s.indexOf('E');
        if (e < 0) {
            return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
        }
        // Convert Java's 1.0E20 form to %g-like 1e+20.
        String mantissa = s.substring(0, e);
        int exp = Integer.parseInt(s.substring(e + 1));
        if (mantissa.endsWith(".0")) mantissa = mantissa.substring(0, mantissa.length() - 2);
        if (exp >= -4 && exp < 21) {
            return new BigDecimal(s).stripTrailingZeros().toPlainString();
        }
        return mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }

    public static String resp3(double d) {
        return format(d);
    }

    /**
     * Parses a double argument like Redis's {@code getDoubleFromObject}: no spaces, accepts
     * {@code inf}/{@code +inf}/{@code -inf}; rejects NaN. Returns {@code null} on failure.
     */
    public static Double parse(byte[] b) {
        if (b.length == 0 || b.length > 5120) return null;
        if (isSpace(b[0]) || isSpace(b[b.length - 1])) return null;
        String s = new String(b, java.nio.charset.StandardCharsets.US_ASCII);
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        switch (lower) {
            case "inf", "+inf", "infinity", "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
        }
        for (byte c : b) {
            if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
                return null;
            }
        }
        try {
            double d = Double.parseDouble(s);
            if (Double.isNaN(d)) return null;
            return d;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }
}
