package io.keyline.scripting;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.luaj.vm2.Globals;
import org.luaj.vm2.Lua;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.lib.DebugLib;
import org.luaj.vm2.lib.OneArgFunction;

/**
 * Lua 5.1's wording for the VM's runtime type errors, which name the value at fault
 * ({@code attempt to index field 'a' (a nil value)}, {@code attempt to call method 'bad' (a nil value)},
 * {@code attempt to perform arithmetic on local 'z' (a nil value)}, {@code attempt to compare table with number})
 * where LuaJ says {@code attempt to index ? (a nil value)}, {@code attempt to call nil},
 * {@code attempt to perform arithmetic __add on nil and number}.
 *
 * <p>Installed as the main Lua thread's error function: LuaJ calls it once, from the closure whose instruction
 * failed, while that closure's debug-library call frame (its prototype and pc) is still on the stack. From the
 * failing instruction and the frame's registers this rebuilds 5.1's {@code luaG_typeerror} text, naming the operand
 * with LuaJ's port of {@code getobjname}. Inside {@code pcall} LuaJ clears the error function, so a script that
 * catches such an error still sees LuaJ's text (docs/scripting-engine.md). The debug library's frames are
 * package-private in LuaJ: read by reflection once; if that fails, errors keep LuaJ's text.
 */
final class LuaErrorNames extends OneArgFunction {
    private static final Pattern TYPE_ERROR = Pattern.compile(
            "^((?:[^\\n]*?:\\d+:? )?)(?:attempt to (?:index|call|perform arithmetic|get length|compare|concatenate)\\b|index expected, got )[^\\n]*$");
    /** LuaJ's position ("@user_script:1 "), written as Lua 5.1's ("user_script:1: ") in a rewritten message. */
    private static final Pattern LUAJ_POSITION = Pattern.compile("^@?(.*?):(\\d+):? $");

    private static final Method CALLSTACK;
    private static final Field FRAMES;
    private static final Field CALLS;
    private static final Field FRAME_F;
    private static final Field FRAME_PC;
    private static final Field FRAME_STACK;
    private static final Field NAME;
    private static final Field NAMEWHAT;

    static {
        Method cs = null;
        Field frames = null, calls = null, f = null, pc = null, stack = null, name = null, namewhat = null;
        try {
            cs = DebugLib.class.getDeclaredMethod("callstack");
            Class<?> stackClass = Class.forName("org.luaj.vm2.lib.DebugLib$CallStack");
            Class<?> frameClass = Class.forName("org.luaj.vm2.lib.DebugLib$CallFrame");
            Class<?> nameWhat = Class.forName("org.luaj.vm2.lib.DebugLib$NameWhat");
            frames = stackClass.getDeclaredField("frame");
            calls = stackClass.getDeclaredField("calls");
            f = frameClass.getDeclaredField("f");
            pc = frameClass.getDeclaredField("pc");
            stack = frameClass.getDeclaredField("stack");
            name = nameWhat.getDeclaredField("name");
            namewhat = nameWhat.getDeclaredField("namewhat");
            for (java.lang.reflect.AccessibleObject o : new java.lang.reflect.AccessibleObject[]{
                cs, frames, calls, f, pc, stack, name, namewhat}) {
                o.setAccessible(true);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            cs = null; // LuaJ's layout changed: keep its own error texts
        }
        CALLSTACK = cs;
        FRAMES = frames;
        CALLS = calls;
        FRAME_F = f;
        FRAME_PC = pc;
        FRAME_STACK = stack;
        NAME = name;
        NAMEWHAT = namewhat;
    }

    private final Globals globals;

    private LuaErrorNames(Globals globals) {
        this.globals = globals;
    }

    /** Makes the 5.1 wording apply to {@code g}'s main thread (needs the debug library loaded). */
    static void install(Globals g) {
        if (CALLSTACK != null && g.debuglib != null) g.running.errorfunc = new LuaErrorNames(g);
    }

    @Override
    public LuaValue call(LuaValue message) {
        if (!message.isstring()) return message;
        Matcher m = TYPE_ERROR.matcher(message.tojstring());
        if (!m.matches()) return message;
        try {
            String text = rewrite(m.group(1));
            return text == null ? message : LuaValue.valueOf(text);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return message;
        }
    }

    private String rewrite(String prefix) throws ReflectiveOperationException {
        Object stack = CALLSTACK.invoke(globals.debuglib);
        int calls = CALLS.getInt(stack);
        if (calls <= 0) return null;
        Object frame = ((Object[]) FRAMES.get(stack))[calls - 1];
        if (!(FRAME_F.get(frame) instanceof LuaClosure closure)) return null;
        int pc = FRAME_PC.getInt(frame);
        LuaValue[] regs = (LuaValue[]) FRAME_STACK.get(frame);
        Prototype p = closure.p;
        if (regs == null || pc < 0 || pc >= p.code.length) return null;
        int i = p.code[pc];
        int a = Lua.GETARG_A(i);
        int b = Lua.GETARG_B(i);
        int c = Lua.GETARG_C(i);
        if (prefix.isEmpty() && p.lineinfo != null && pc < p.lineinfo.length) {
            prefix = p.shortsource() + ":" + p.lineinfo[pc] + ": ";
        }
        Matcher pos = LUAJ_POSITION.matcher(prefix);
        if (pos.matches()) prefix = pos.group(1) + ":" + pos.group(2) + ": ";
        String what;
        switch (Lua.GET_OPCODE(i)) {
            case Lua.OP_GETTABLE, Lua.OP_SELF:
                return prefix + typeError(p, pc, regs, b, "index");
            case Lua.OP_SETTABLE:
                return prefix + typeError(p, pc, regs, a, "index");
            case Lua.OP_GETTABUP, Lua.OP_SETTABUP: {
                int up = Lua.GET_OPCODE(i) == Lua.OP_GETTABUP ? b : a;
                LuaValue v = closure.upValues[up].getValue();
                String name = p.upvalues[up].name == null ? null : p.upvalues[up].name.tojstring();
                if (name == null || "_ENV".equals(name)) return prefix + "attempt to index a " + v.typename() + " value";
                return prefix + "attempt to index upvalue '" + name + "' (a " + v.typename() + " value)";
            }
            case Lua.OP_CALL, Lua.OP_TAILCALL:
                return prefix + typeError(p, pc, regs, a, "call");
            case Lua.OP_ADD, Lua.OP_SUB, Lua.OP_MUL, Lua.OP_DIV, Lua.OP_MOD, Lua.OP_POW: {
                // luaG_aritherror: the first operand that does not convert to a number is the one named
                int bad = rk(p, regs, b).tonumber().isnil() ? b : c;
                if (Lua.ISK(bad)) return prefix + "attempt to perform arithmetic on a " + rk(p, regs, bad).typename() + " value";
                return prefix + typeError(p, pc, regs, bad, "perform arithmetic on");
            }
            case Lua.OP_UNM:
                return prefix + typeError(p, pc, regs, b, "perform arithmetic on");
            case Lua.OP_LEN:
                return prefix + typeError(p, pc, regs, b, "get length of");
            case Lua.OP_LT, Lua.OP_LE: {
                // luaG_ordererror names the types only
                String t1 = rk(p, regs, b).typename();
                String t2 = rk(p, regs, c).typename();
                what = t1.equals(t2) ? "two " + t1 + " values" : t1 + " with " + t2;
                return prefix + "attempt to compare " + what;
            }
            case Lua.OP_CONCAT: {
                // luaV_concat works from the right; luaG_concaterror names the first of a failing pair unless
                // it is a string or number
                int bad = -1;
                if (!concatenable(regs[c]) || !concatenable(regs[c - 1])) {
                    bad = concatenable(regs[c - 1]) ? c : c - 1;
                } else {
                    for (int j = c - 2; j >= b && bad < 0; j--) {
                        if (!concatenable(regs[j])) bad = j;
                    }
                }
                return bad < 0 ? null : prefix + typeError(p, pc, regs, bad, "concatenate");
            }
            default:
                return null;
        }
    }

    private static boolean concatenable(LuaValue v) {
        return v.type() == LuaValue.TSTRING || v.type() == LuaValue.TNUMBER;
    }

    private static LuaValue rk(Prototype p, LuaValue[] regs, int x) {
        return Lua.ISK(x) ? p.k[Lua.INDEXK(x)] : regs[x];
    }

    /** luaG_typeerror: {@code attempt to <op> <kind> '<name>' (a <type> value)}, or unnamed. */
    private static String typeError(Prototype p, int pc, LuaValue[] regs, int reg, String op)
            throws ReflectiveOperationException {
        String type = regs[reg].typename();
        Object nw = DebugLib.getobjname(p, pc, reg);
        if (nw != null) {
            String kind = (String) NAMEWHAT.get(nw);
            String name = (String) NAME.get(nw);
            // 5.1's getobjname knows no "constant"
            if (name != null && kind != null && !"constant".equals(kind)) {
                return "attempt to " + op + " " + kind + " '" + name + "' (a " + type + " value)";
            }
        }
        return "attempt to " + op + " a " + type + " value";
    }
}
