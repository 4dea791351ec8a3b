package io.keyline.scripting.lib;

import java.nio.charset.StandardCharsets;

/** Lua 5.1's argument checks and conversions (luaL_checknumber, luaL_checklstring, lua_typename...). */
public final class LuaArgs {
    private LuaArgs() {
    }

    public static Object arg(Object[] args, int n) {
        return n <= args.length ? args[n - 1] : null;
    }

    public static boolean isNone(Object[] args, int n) {
        return n > args.length;
    }

    public static boolean isNoneOrNil(Object[] args, int n) {
        return n > args.length || args[n - 1] == null;
    }

    public static String typeName(Object v) {
        if (v == null) {
            return "nil";
        }
        if (v instanceof Boolean) {
            return "boolean";
        }
        if (v instanceof Double) {
            return "number";
        }
        if (v instanceof byte[]) {
            return "string";
        }
        if (v instanceof LuaTableView) {
            return "table";
        }
        if (v == CJson.NULL) {
            return "userdata";
        }
        if (v instanceof LuaOpaque o) {
            return o.typeName();
        }
        if (v instanceof LibFunction) {
            return "function";
        }
        return "userdata";
    }

    /** lua_tonumber: a number, or a string Lua converts; null otherwise. */
    public static Double toNumber(Object v) {
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof byte[] s) {
            return str2number(s);
        }
        return null;
    }

    /** luaO_str2d: strtod (or strtoul base 16 for "0x"), surrounding whitespace allowed, nothing else. */
    public static Double str2number(byte[] s) {
        int len = 0;
        while (len < s.length && s[len] != 0) {
            len++;
        }
        CStrtod.Result r = CStrtod.parse(s, 0, len);
        if (r == null) {
            return null;
        }
        double value = r.value();
        int end = r.end();
        if (end < len && (s[end] == 'x' || s[end] == 'X')) {
            CStrtod.Result h = CStrtod.parseUnsignedHexLong(s, 0, len);
            if (h == null) {
                return null;
            }
            value = h.value();
            end = h.end();
        }
        while (end < len && CStrtod.isSpace(s[end])) {
            end++;
        }
        return end == len ? value : null;
    }

    public static double checkNumber(Object[] args, int n, String function) {
        Object v = arg(args, n);
        Double d = toNumber(v);
        if (d == null) {
            throw typeError(args, n, function, "number");
        }
        return d;
    }

    /** luaL_checkinteger (lua_Integer is ptrdiff_t; the conversion rounds as Lua 5.1's lua_number2integer). */
    public static long checkInteger(Object[] args, int n, String function) {
        return toInteger(checkNumber(args, n, function));
    }

    public static long optInteger(Object[] args, int n, String function, long def) {
        return isNoneOrNil(args, n) ? def : checkInteger(args, n, function);
    }

    public static long toInteger(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d) || Math.abs(d) >= 9.2e18) {
            return Long.MIN_VALUE;
        }
        return (long) Math.rint(d);
    }

    public static byte[] checkString(Object[] args, int n, String function) {
        Object v = arg(args, n);
        if (v instanceof byte[] s) {
            return s;
        }
        if (v instanceof Double d) {
            return NumberFormat.g(d, 14).getBytes(StandardCharsets.ISO_8859_1);
        }
        throw typeError(args, n, function, "string");
    }

    public static LuaLibError typeError(Object[] args, int n, String function, String expected) {
        String got = isNone(args, n) ? "no value" : typeName(arg(args, n));
        return LuaLibError.arg(n, function, expected + " expected, got " + got);
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
