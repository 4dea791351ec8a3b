package io.keyline.scripting;

import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

import java.nio.charset.StandardCharsets;

/**
 * Converts a command's RESP reply (as the command wrote it) to a Lua value, as Redis's
 * {@code redisProtocolToLuaType}: integers to numbers, bulk strings to strings, nulls to false (RESP2) / nil
 * (RESP3), arrays to tables, status to {@code {ok=...}}, errors to {@code {err=...}}; under RESP3 maps to
 * {@code {map={...}}}, sets to {@code {set={...}}}, doubles to {@code {double=n}}, big numbers to
 * {@code {big_number=s}}, booleans to booleans, verbatim strings to {@code {verbatim_string={format=,string=}}}.
 */
final class RespToLua {
    private final byte[] b;
    private int p;

    private RespToLua(byte[] b) {
        this.b = b;
    }

    static LuaValue convert(byte[] resp) {
        return new RespToLua(resp).value();
    }

    private String line() {
        int start = p;
        while (b[p] != '\r') p++;
        String s = new String(b, start, p - start, StandardCharsets.ISO_8859_1);
        p += 2;
        return s;
    }

    private byte[] bytesLine() {
        int start = p;
        while (b[p] != '\r') p++;
        byte[] out = java.util.Arrays.copyOfRange(b, start, p);
        p += 2;
        return out;
    }

    private static LuaTable field(String name, LuaValue v) {
        LuaTable t = new LuaTable();
        t.rawset(name, v);
        return t;
    }

    private LuaValue value() {
        byte type = b[p++];
        switch (type) {
            case ':':
                return LuaValue.valueOf((double) Long.parseLong(line()));
            case '$': {
                int n = Integer.parseInt(line());
                if (n < 0) return LuaValue.FALSE;
                byte[] data = java.util.Arrays.copyOfRange(b, p, p + n);
                p += n + 2;
                return LuaString.valueUsing(data);
            }
            case '+':
                return field("ok", LuaString.valueUsing(bytesLine()));
            case '-':
                return field("err", LuaString.valueUsing(bytesLine()));
            case '*': {
                int n = Integer.parseInt(line());
                if (n < 0) return LuaValue.FALSE;
                LuaTable t = new LuaTable(n, 0);
                for (int i = 1; i <= n; i++) t.rawset(i, value());
                return t;
            }
            case '%': {
                int n = Integer.parseInt(line());
                LuaTable m = new LuaTable();
                for (int i = 0; i < n; i++) {
                    LuaValue k = value();
                    m.rawset(k, value());
                }
                return field("map", m);
            }
            case '~': {
                int n = Integer.parseInt(line());
                LuaTable s = new LuaTable();
                for (int i = 0; i < n; i++) s.rawset(value(), LuaValue.TRUE);
                return field("set", s);
            }
            case '_':
                line();
                return LuaValue.NIL;
            case '#':
                return LuaValue.valueOf(line().equals("t"));
            case ',': {
                String d = line();
                double v = d.equals("inf") ? Double.POSITIVE_INFINITY : d.equals("-inf") ? Double.NEGATIVE_INFINITY
                        : d.equals("nan") ? Double.NaN : Double.parseDouble(d);
                return field("double", LuaValue.valueOf(v));
            }
            case '(':
                return field("big_number", LuaValue.valueOf(line()));
            case '=': {
                int n = Integer.parseInt(line());
                String fmt = new String(b, p, 3, StandardCharsets.ISO_8859_1);
                byte[] data = java.util.Arrays.copyOfRange(b, p + 4, p + n);
                p += n + 2;
                LuaTable v = new LuaTable();
                v.rawset("format", LuaValue.valueOf(fmt));
                v.rawset("string", LuaString.valueUsing(data));
                return field("verbatim_string", v);
            }
            case '>': {
                int n = Integer.parseInt(line());
                LuaTable t = new LuaTable(n, 0);
                for (int i = 1; i <= n; i++) t.rawset(i, value());
                return t;
            }
            case '|': { // attribute: skipped, as Redis does
                int n = Integer.parseInt(line());
                for (int i = 0; i < 2 * n; i++) value();
                return value();
            }
            default:
                throw new IllegalStateException("unexpected reply type " + (char) type);
        }
    }
}
