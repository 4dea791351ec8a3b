package io.keyline.scripting.lib;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** C's printf {@code %.<p>g} for doubles (Lua's tostring is %.14g; cjson uses encode_number_precision). */
public final class NumberFormat {
    private NumberFormat() {
    }

    public static String g(double d, int precision) {
        if (Double.isNaN(d)) {
            return (Double.doubleToRawLongBits(d) < 0) ? "-nan" : "nan";
        }
        if (Double.isInfinite(d)) {
            return d < 0 ? "-inf" : "inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        int p = precision == 0 ? 1 : precision;
        BigDecimal rounded = new BigDecimal(d).round(new MathContext(p, RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= p) {
            BigDecimal unscaled = new BigDecimal(rounded.unscaledValue()).stripTrailingZeros();
            String digits = unscaled.unscaledValue().abs().toString();
            StringBuilder sb = new StringBuilder();
            if (d < 0) {
                sb.append('-');
            }
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(exponent < 0 ? '-' : '+');
            int ax = Math.abs(exponent);
            if (ax < 10) {
                sb.append('0');
            }
            sb.append(ax);
            return sb.toString();
        }
        String plain = rounded.stripTrailingZeros().toPlainString();
        return plain;
    }
}
