package io.keyline.scripting.lib;

/** glibc strtod (and strtoul base 16) over bytes: the longest valid prefix, as C parses numbers. */
final class CStrtod {
    record Result(double value, int end) {
    }

    private CStrtod() {
    }

    static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }

    private static int at(byte[] s, int i, int end) {
        return i < end ? (s[i] & 0xff) : -1;
    }

    private static boolean matchIgnoreCase(byte[] s, int i, int end, String word) {
        if (i + word.length() > end) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if (Character.toLowerCase((char) (s[i + k] & 0xff)) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** Parses from {@code start}; null when no conversion is performed (endptr == start). */
    static Result parse(byte[] s, int start, int end) {
        int i = start;
        while (i < end && isSpace(s[i])) {
            i++;
        }
        boolean negative = false;
        if (at(s, i, end) == '+' || at(s, i, end) == '-') {
            negative = at(s, i, end) == '-';
            i++;
        }
        if (matchIgnoreCase(s, i, end, "inf")) {
            int e = i + 3;
            if (matchIgnoreCase(s, i, end, "infinity")) {
                e = i + 8;
            }
            return new Result(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY, e);
        }
        if (matchIgnoreCase(s, i, end, "nan")) {
            int e = i + 3;
            if (at(s, e, end) == '(') {
                int k = e + 1;
                while (k < end && (Character.isLetterOrDigit((char) (s[k] & 0xff)) || s[k] == '_')) {
                    k++;
                }
                if (at(s, k, end) == ')') {
                    e = k + 1;
                }
            }
            return new Result(negative ? -Double.NaN : Double.NaN, e);
        }
        if (at(s, i, end) == '0' && (at(s, i + 1, end) | 0x20) == 'x') {
            Result hex = parseHexFloat(s, i + 2, end, negative);
            if (hex != null) {
                return hex;
            }
            // "0x" without hex digits: the "0" alone is the number
            return new Result(negative ? -0.0 : 0.0, i + 1);
        }
        int digitsStart = i;
        int mantissaDigits = 0;
        while (i < end && Character.isDigit(s[i])) {
            i++;
            mantissaDigits++;
        }
        if (at(s, i, end) == '.') {
            i++;
            while (i < end && Character.isDigit(s[i])) {
                i++;
                mantissaDigits++;
            }
        }
        if (mantissaDigits == 0) {
            return null;
        }
        int mantissaEnd = i;
        if ((at(s, i, end) | 0x20) == 'e') {
            int k = i + 1;
            if (at(s, k, end) == '+' || at(s, k, end) == '-') {
                k++;
            }
            if (k < end && Character.isDigit(s[k])) {
                while (k < end && Character.isDigit(s[k])) {
                    k++;
                }
                i = k;
            }
        }
        String text = new String(s, digitsStart, i - digitsStart, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (text.startsWith(".")) {
            text = "0" + text;
        }
        if (mantissaEnd > digitsStart && s[mantissaEnd - 1] == '.' && mantissaEnd == i) {
            text = text + "0";
        } else if (text.contains(".e") || text.contains(".E")) {
            text = text.replace(".e", ".0e").replace(".E", ".0E");
        }
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return null;
        }
        return new Result(negative ? -v : v, i);
    }

    private static Result parseHexFloat(byte[] s, int i, int end, boolean negative) {
        StringBuilder digits = new StringBuilder();
        int k = i;
        boolean any = false;
        while (k < end && Character.digit((char) (s[k] & 0xff), 16) >= 0) {
            digits.append((char) s[k]);
            k++;
            any = true;
        }
        StringBuilder frac = new StringBuilder();
        if (at(s, k, end) == '.') {
            int f = k + 1;
            while (f < end && Character.digit((char) (s[f] & 0xff), 16) >= 0) {
                frac.append((char) s[f]);
                f++;
            }
            if (any || frac.length() > 0) {
                k = f;
                any = true;
            }
        }
        if (!any) {
            return null;
        }
        String exp = "0";
        if ((at(s, k, end) | 0x20) == 'p') {
            int e = k + 1;
            int signAt = e;
            if (at(s, e, end) == '+' || at(s, e, end) == '-') {
                e++;
            }
            if (e < end && Character.isDigit(s[e])) {
                while (e < end && Character.isDigit(s[e])) {
                    e++;
                }
                exp = new String(s, signAt, e - signAt, java.nio.charset.StandardCharsets.ISO_8859_1);
                k = e;
            }
        }
        double v = Double.parseDouble("0x" + (digits.length() == 0 ? "0" : digits) + "."
                + (frac.length() == 0 ? "0" : frac) + "p" + exp);
        return new Result(negative ? -v : v, k);
    }

    /** strtoul(s, &end, 16) as Lua 5.1's luaO_str2d falls back to for "0x..." (value as double, no wrap). */
    static Result parseUnsignedHexLong(byte[] s, int start, int end) {
        int i = start;
        while (i < end && isSpace(s[i])) {
            i++;
        }
        boolean negative = false;
        if (at(s, i, end) == '+' || at(s, i, end) == '-') {
            negative = at(s, i, end) == '-';
            i++;
        }
        if (at(s, i, end) == '0' && (at(s, i + 1, end) | 0x20) == 'x') {
            i += 2;
        }
        long v = 0;
        boolean overflow = false;
        int digitsStart = i;
        while (i < end && Character.digit((char) (s[i] & 0xff), 16) >= 0) {
            int dgt = Character.digit((char) (s[i] & 0xff), 16);
            if (Long.compareUnsigned(v, 0x0fffffffffffffffL) > 0) {
                overflow = true;
            }
            v = v * 16 + dgt;
            i++;
        }
        if (i == digitsStart) {
            return null;
        }
        if (overflow) {
            v = -1L;
        } else if (negative) {
            v = -v;
        }
        double d = v >= 0 ? (double) v : (double) (v >>> 1) * 2.0 + (v & 1);
        return new Result(d, i);
    }
}
