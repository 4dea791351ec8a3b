package io.keyline.scripting.lib;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Builds neutral Lua values and describes library results the way the Lua prelude of tools/lua-lib-cases.py does
 * in redis-server, so generated tests compare Keyline's libraries with Redis's output.
 */
final class LibTestSupport {
    private LibTestSupport() {
    }

    static byte[] s(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static Double n(double d) {
        return d;
    }

    static Object lua(Object o) {
        if (o instanceof String str) {
            return s(str);
        }
        if (o instanceof Integer i) {
            return (double) i;
        }
        if (o instanceof Long l) {
            return (double) l;
        }
        return o;
    }

    /** {v1, v2, ...} (nil values leave holes). */
    static LuaTableData arr(Object... values) {
        LuaTableData t = new LuaTableData();
        for (int i = 0; i < values.length; i++) {
            t.append((double) (i + 1), lua(values[i]));
        }
        return t;
    }

    /** {[k1]=v1, [k2]=v2, ...}. */
    static LuaTableData map(Object... kv) {
        LuaTableData t = new LuaTableData();
        for (int i = 0; i < kv.length; i += 2) {
            t.rawSet(lua(kv[i]), lua(kv[i + 1]));
        }
        return t;
    }

    /** {{{...}}}: a table nested {@code depth} deep (the innermost one empty). */
    static LuaTableData nested(int depth) {
        LuaTableData root = new LuaTableData();
        LuaTableData cur = root;
        for (int i = 0; i < depth; i++) {
            LuaTableData next = new LuaTableData();
            cur.append(1.0, next);
            cur = next;
        }
        return root;
    }

    static Object[] args(Object... a) {
        Object[] out = new Object[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = lua(a[i]);
        }
        return out;
    }

    static String call(LuaModule module, String function, Object... a) {
        LibFunction f = (LibFunction) module.fields().get(function);
        try {
            return all(f.call(args(a)));
        } catch (LuaLibError e) {
            return "ERR:" + e.getMessage();
        }
    }

    /** Calls functions in turn on one module; the description of the last call (or the first error). */
    static String seq(LuaModule module, Object[]... calls) {
        String last = "";
        for (Object[] c : calls) {
            Object[] rest = new Object[c.length - 1];
            System.arraycopy(c, 1, rest, 0, rest.length);
            last = call(module, (String) c[0], rest);
            if (last.startsWith("ERR:")) {
                return last;
            }
        }
        return last;
    }

    static Object[] c(Object... callSpec) {
        return callSpec;
    }

    static String cjson(String function, Object... a) {
        return call(CJson.module(), function, a);
    }

    static String cmsgpack(String function, Object... a) {
        return call(CMsgpack.module(), function, a);
    }

    static String struct(String function, Object... a) {
        return call(Struct.module(), function, a);
    }

    static String bit(String function, Object... a) {
        return call(Bit.module(), function, a);
    }

    /** The result of f(g(args)): decode what encode made, both with fresh modules. */
    static String roundTrip(LuaModule encoder, String encode, LuaModule decoder, String decode, Object... a) {
        try {
            Object[] encoded = ((LibFunction) encoder.fields().get(encode)).call(args(a));
            return all(((LibFunction) decoder.fields().get(decode)).call(encoded));
        } catch (LuaLibError e) {
            return "ERR:" + e.getMessage();
        }
    }

    /** struct.unpack(fmt, struct.pack(fmt, ...)). */
    static String structRoundTrip(String format, Object... values) {
        try {
            Object[] packArgs = new Object[values.length + 1];
            packArgs[0] = format;
            System.arraycopy(values, 0, packArgs, 1, values.length);
            byte[] packed = (byte[]) Struct.pack(args(packArgs))[0];
            return all(Struct.unpack(new Object[] {s(format), packed}));
        } catch (LuaLibError e) {
            return "ERR:" + e.getMessage();
        }
    }

    static String all(Object[] values) {
        List<String> parts = new ArrayList<>();
        for (Object v : values) {
            parts.add(d(v));
        }
        return String.join("|", parts);
    }

    static String esc(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            int c = x & 0xff;
            if (c >= 32 && c <= 126) {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.toString();
    }

    private static String sortKey(Object k) {
        if (k instanceof byte[] b) {
            return "string" + new String(b, StandardCharsets.ISO_8859_1);
        }
        if (k instanceof Double dd) {
            return "number" + NumberFormat.g(dd, 14);
        }
        return LuaArgs.typeName(k) + k;
    }

    static String d(Object v) {
        if (v instanceof LuaTableView t) {
            List<Map.Entry<Object, Object>> es = new ArrayList<>();
            t.pairs().forEach(es::add);
            es.sort(Comparator.comparing(e -> sortKey(e.getKey())));
            List<String> o = new ArrayList<>();
            for (Map.Entry<Object, Object> e : es) {
                o.add(d(e.getKey()) + "=" + d(e.getValue()));
            }
            return "{" + String.join(",", o) + "}";
        }
        if (v instanceof byte[] b) {
            return "s:" + esc(b);
        }
        if (v instanceof Double dd) {
            return "n:" + NumberFormat.g(dd, 14);
        }
        if (v == CJson.NULL) {
            return "null";
        }
        if (v == null) {
            return "nil";
        }
        return String.valueOf(v);
    }
}
