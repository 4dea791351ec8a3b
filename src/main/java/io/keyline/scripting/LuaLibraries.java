package io.keyline.scripting;

import io.keyline.scripting.lib.Bit;
import io.keyline.scripting.lib.CJson;
import io.keyline.scripting.lib.CMsgpack;
import io.keyline.scripting.lib.LibFunction;
import io.keyline.scripting.lib.LuaLibError;
import io.keyline.scripting.lib.LuaModule;
import io.keyline.scripting.lib.LuaOpaque;
import io.keyline.scripting.lib.LuaTableData;
import io.keyline.scripting.lib.LuaTableView;
import io.keyline.scripting.lib.Struct;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

import java.util.AbstractMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The binding point for the Lua libraries Redis ships besides the standard ones: {@code cjson}, {@code cmsgpack},
 * {@code struct} and {@code bit}. {@link #install} is called once per Lua state, after the standard libraries are
 * loaded and before the sandbox is applied (so the library tables become read-only and the globals protection
 * covers them like the others).
 *
 * <p>The libraries themselves are engine-independent ({@code io.keyline.scripting.lib}, a neutral value model);
 * this class adapts them to LuaJ: Lua strings pass as byte arrays (binary-safe), numbers as doubles, tables as
 * views iterated with {@code next}, {@code cjson.null} as one userdata, and a {@link LuaLibError} becomes a
 * {@link LuaError} raised at the calling script's position (as luaL_error's {@code luaL_where(L, 1)}).
 */
public final class LuaLibraries {
    /** cjson.null: Redis's NULL light userdata ({@code tostring} gives "userdata: (nil)"). */
    static final LuaUserdata CJSON_NULL = new LuaUserdata(CJson.NULL) {
        @Override
        public LuaValue tostring() {
            return LuaValue.valueOf("userdata: (nil)");
        }

        @Override
        public String tojstring() {
            return "userdata: (nil)";
        }
    };

    private LuaLibraries() {
    }

    /** Installs cjson, cmsgpack, struct and bit as globals of {@code globals}. */
    public static void install(Globals globals) {
        for (LuaModule m : new LuaModule[] {CJson.module(), CMsgpack.module(), Struct.module(), Bit.module()}) {
            globals.rawset(m.name(), toTable(m));
        }
    }

    static LuaTable toTable(LuaModule m) {
        LuaTable t = new LuaTable();
        for (Map.Entry<String, Object> e : m.fields().entrySet()) {
            t.rawset(e.getKey(), toLua(e.getValue(), e.getKey()));
        }
        return t;
    }

    private static LuaValue function(String name, LibFunction f) {
        VarArgFunction fn = new VarArgFunction() {
            {
                this.name = name;
            }

            @Override
            public Varargs invoke(Varargs args) {
                Object[] in = new Object[args.narg()];
                for (int i = 0; i < in.length; i++) {
                    in[i] = fromLua(args.arg(i + 1));
                }
                Object[] out;
                ScriptMemory.check(); // cjson/cmsgpack decoding, struct.pack: see ScriptMemory
                try {
                    out = f.call(in);
                } catch (OutOfMemoryError e) {
                    throw new ScriptMemory.Exceeded();
                } catch (LuaLibError e) {
                    // luaL_error: the position of the calling Lua code when there is one ("user_script:1: ..."), none
                    // when pcall called the function directly; LuaJ records it and LuaError.getMessage writes it
                    throw new LuaError(e.getMessage());
                }
                LuaValue[] values = new LuaValue[out.length];
                for (int i = 0; i < out.length; i++) {
                    values[i] = toLua(out[i], null);
                }
                return LuaValue.varargsOf(values);
            }
        };
        return fn;
    }

    /** A neutral value as a LuaJ value. */
    static LuaValue toLua(Object v, String functionName) {
        if (v == null) {
            return LuaValue.NIL;
        }
        if (v instanceof Boolean b) {
            return LuaValue.valueOf(b);
        }
        if (v instanceof Double d) {
            return LuaValue.valueOf(d);
        }
        if (v instanceof byte[] s) {
            return LuaString.valueUsing(s);
        }
        if (v == CJson.NULL) {
            return CJSON_NULL;
        }
        if (v instanceof LuaTableData t) {
            LuaTable out = new LuaTable();
            for (Map.Entry<Object, Object> e : t.entries()) {
                out.rawset(toLua(e.getKey(), null), toLua(e.getValue(), null));
            }
            return out;
        }
        if (v instanceof LuaModule m) {
            return toTable(m);
        }
        if (v instanceof LibFunction f) {
            return function(functionName == null ? "?" : functionName, f);
        }
        if (v instanceof LuaJTable view) {
            return view.table;
        }
        throw new IllegalArgumentException("not a Lua value: " + v.getClass());
    }

    /** A LuaJ value in the libraries' neutral model. */
    static Object fromLua(LuaValue v) {
        switch (v.type()) {
            case LuaValue.TNIL:
                return null;
            case LuaValue.TBOOLEAN:
                return v.toboolean();
            case LuaValue.TNUMBER:
                return v.todouble();
            case LuaValue.TSTRING: {
                LuaString s = v.checkstring();
                byte[] b = new byte[s.m_length];
                System.arraycopy(s.m_bytes, s.m_offset, b, 0, s.m_length);
                return b;
            }
            case LuaValue.TTABLE:
                return new LuaJTable((LuaTable) v);
            case LuaValue.TUSERDATA:
                return v.touserdata() == CJson.NULL ? CJson.NULL : new LuaOpaque("userdata");
            default:
                return new LuaOpaque(v.typename());
        }
    }

    /** A LuaJ table seen by the libraries: pairs in {@code next} order. */
    private static final class LuaJTable implements LuaTableView {
        final LuaTable table;

        LuaJTable(LuaTable table) {
            this.table = table;
        }

        @Override
        public Iterable<Map.Entry<Object, Object>> pairs() {
            return () -> new Iterator<>() {
                LuaValue key = LuaValue.NIL;
                Varargs next = table.next(LuaValue.NIL);

                @Override
                public boolean hasNext() {
                    return !next.arg1().isnil();
                }

                @Override
                public Map.Entry<Object, Object> next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    key = next.arg1();
                    LuaValue value = next.arg(2);
                    next = table.next(key);
                    return new AbstractMap.SimpleImmutableEntry<>(fromLua(key), fromLua(value));
                }
            };
        }

        @Override
        public Object rawGet(long index) {
            return fromLua(index <= Integer.MAX_VALUE && index >= Integer.MIN_VALUE
                    ? table.rawget((int) index) : table.rawget(LuaValue.valueOf((double) index)));
        }

        @Override
        public long length() {
            return table.rawlen();
        }
    }
}
