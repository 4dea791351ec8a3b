package io.keyline.scripting;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Lua 5.1's number text ({@code LUAI_NUMFMT "%.14g"}), which Redis scripts see wherever a number becomes a string.
 * Public because the build patches LuaJ's {@code org.luaj.vm2.LuaDouble.tojstring()} to call {@link #format}
 * and {@code LuaDouble.valueOf(double)} to call {@link #isLuaInteger} (see tools/PatchLuaNumbers.java): LuaJ's own text ({@code Float.toString}, whole doubles printed in full) reaches
 * concatenation, the string library and {@code table.concat}, none of which Keyline can wrap from outside.
 */
public final class LuaNumberText {
    private LuaNumberText() {
    }

    /**
     * Whether LuaJ may hold {@code d} as a {@code LuaInteger}: a whole number in int range, but not -0, which Lua
     * 5.1 keeps as a double (it prints "-0", and {@code cjson.encode} writes {@code -0}).
     */
    public static boolean isLuaInteger(double d) {
        return d == (int) d && !isNegativeZero(d);
    }

    private static boolean isNegativeZero(double d) {
        return Double.doubleToRawLongBits(d) == Long.MIN_VALUE;
    }

    private static final MathContext DIGITS = new MathContext(14, RoundingMode.HALF_EVEN);

    /**
     * C's {@code printf("%.14g", d)}: rounds the double's exact binary value (as glibc does, not Java's Formatter,
     * which rounds the shortest decimal text), strips trailing zeros, exponent with at least two digits.
     */
    public static String format(double d) {
        if (isNegativeZero(d)) return "-0";
        // Whole numbers of up to 14 digits print in full (the common case: no BigDecimal).
        if (d == (long) d && Math.abs(d) < 1e14) return Long.toString((long) d);
        // glibc prints NaN's sign bit: x86's default NaN (0/0, inf-inf) is negative, "-nan"; -(0/0) is "nan". LuaJ's
        // own NaN constant is patched to the negative one (tools/PatchLuaNumbers.java); the JVM's arithmetic on x86
        // produces and propagates NaNs as the CPU does.
        if (Double.isNaN(d)) return Double.doubleToRawLongBits(d) < 0 ? "-nan" : "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        BigDecimal r = new BigDecimal(d).round(DIGITS);
        int exp = r.precision() - r.scale() - 1;
        if (exp >= -4 && exp < 14) return r.stripTrailingZeros().toPlainString();
        String digits = r.unscaledValue().abs().toString();
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') end--;
        StringBuilder sb = new StringBuilder(24);
        if (d < 0) sb.append('-');
        sb.append(digits.charAt(0));
        if (end > 1) sb.append('.').append(digits, 1, end);
        sb.append('e').append(exp < 0 ? '-' : '+');
        int a = Math.abs(exp);
        if (a < 10) sb.append('0');
        return sb.append(a).toString();
    }
}
