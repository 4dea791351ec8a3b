package io.keyline.scripting;

import io.keyline.protocol.ReplyWriter;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes a script's return value as a reply, as Redis's {@code luaReplyToRedisReply}: numbers as integers
 * (truncated), strings as bulk strings, true as 1 (RESP3: #t), false and nil as null, {@code {ok=}} as status,
 * {@code {err=}} as error, tables as arrays up to the first nil; under RESP3 {@code {map=}}, {@code {set=}},
 * {@code {double=}}, {@code {big_number=}}.
 */
final class LuaToResp {
    private LuaToResp() {
    }

    static void write(LuaValue v, ReplyWriter w, int scriptResp) {
        write(v, w, scriptResp, 0);
    }

    private static void write(LuaValue v, ReplyWriter w, int scriptResp, int depth) {
        switch (v.type()) {
            case LuaValue.TNUMBER:
                w.integer(toLongLikeC(v.todouble()));
                return;
            case LuaValue.TSTRING: {
                LuaString s = v.checkstring();
                w.bulk(s.m_bytes, s.m_offset, s.m_length);
                return;
            }
            case LuaValue.TBOOLEAN:
                if (scriptResp == 3) w.bool(v.toboolean());
                else if (v.toboolean()) w.integer(1);
                else w.nullBulk();
                return;
            case LuaValue.TTABLE: {
                if (depth > 1000) {
                    w.error("ERR reached lua stack limit");
                    return;
                }
                LuaTable t = (LuaTable) v;
                LuaValue err = t.rawget("err");
                if (err.isstring()) {
                    String e = err.tojstring();
                    w.error(e.replace('\r', ' ').replace('\n', ' '));
                    return;
                }
                LuaValue ok = t.rawget("ok");
                if (ok.isstring()) {
                    w.simple(ok.tojstring().replace('\r', ' ').replace('\n', ' '));
                    return;
                }
                // Redis converts these whatever redis.setresp says; the writer downgrades them for a RESP2 client.
                {
                    LuaValue d = t.rawget("double");
                    if (d.isnumber()) {
                        w.doubleValue(d.todouble());
                        return;
                    }
                    LuaValue big = t.rawget("big_number");
                    if (big.isstring()) {
                        w.bigNumber(big.tojstring());
                        return;
                    }
                    LuaValue map = t.rawget("map");
                    if (map.istable()) {
                        List<LuaValue[]> pairs = pairs((LuaTable) map);
                        w.mapHeader(pairs.size());
                        for (LuaValue[] kv : pairs) {
                            write(kv[0], w, scriptResp, depth + 1);
                            write(kv[1], w, scriptResp, depth + 1);
                        }
                        return;
                    }
                    LuaValue set = t.rawget("set");
                    if (set.istable()) {
                        List<LuaValue[]> pairs = pairs((LuaTable) set);
                        w.setHeader(pairs.size());
                        for (LuaValue[] kv : pairs) write(kv[0], w, scriptResp, depth + 1);
                        return;
                    }
                }
                int n = 0;
                while (!t.rawget(n + 1).isnil()) n++;
                w.arrayHeader(n);
                for (int i = 1; i <= n; i++) write(t.rawget(i), w, scriptResp, depth + 1);
                return;
            }
            default:
                w.nullBulk();
        }
    }

    private static List<LuaValue[]> pairs(LuaTable t) {
        List<LuaValue[]> out = new ArrayList<>();
        LuaValue k = LuaValue.NIL;
        while (true) {
            org.luaj.vm2.Varargs n = t.next(k);
            if ((k = n.arg1()).isnil()) break;
            out.add(new LuaValue[]{k, n.arg(2)});
        }
        return out;
    }

    /**
     * Redis converts a Lua number with a C cast to long long: on x86-64 a value out of range (or NaN)
     * gives LLONG_MIN, where Java's cast saturates to Long.MAX_VALUE.
     */
    static long toLongLikeC(double d) {
        if (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) return Long.MIN_VALUE;
        return (long) d;
    }
}
