package org.luaj.vm2.compiler;

import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Pattern;
import org.luaj.vm2.Lua;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;

/**
 * LuaJ's compiler with Lua 5.1's lexer rules and syntax-error texts, as Redis's Lua reports them:
 * {@code user_script:1: unexpected symbol near '<eof>'} where LuaJ says {@code unexpected symbol 286 (Ğ)},
 * {@code '<eof>' expected near 'end'} where LuaJ says {@code '<eos>' expected}, {@code malformed number near '12abc'}
 * where LuaJ lets a {@code NumberFormatException} escape, and {@code break} outside a loop reported where it stands;
 * and tail calls only of upvalues, so that an error in {@code return t:m()} names {@code m} and its line.
 *
 * <p>LuaJ's parser is kept; only the lexer is a subclass ({@link Lexer}), created by {@link #compile} in place of
 * {@code LuaC.CompileState}'s private parser entry (same steps). The overridden members are package-private in
 * LuaJ, hence this package; the class is compiled against LuaJ 3.0.1 (pom's {@code luaj.version}), so a LuaJ whose
 * lexer changed shape fails the build rather than the server.
 */
public final class Lua51Compiler implements Globals.Compiler {
    /** The one instance: it holds no state, each compile has its own lexer. */
    public static final Lua51Compiler INSTANCE = new Lua51Compiler();

    private Lua51Compiler() {
    }

    /** LuaC's loader and this compiler on {@code g} (for {@code load}/{@code loadstring} and chunk loading). */
    public static void install(Globals g) {
        LuaC.install(g);
        g.compiler = INSTANCE;
    }

    @Override
    public Prototype compile(InputStream stream, String chunkname) throws IOException {
        LuaC.CompileState state = new LuaC.CompileState();
        Lexer lexer = new Lexer(state, stream);
        FuncState main = new FuncState();
        lexer.fs = main;
        lexer.setinput(state, stream.read(), stream, LuaValue.valueOf(chunkname));
        main.f = new Prototype();
        main.f.source = LuaValue.valueOf(chunkname);
        try {
            lexer.mainfunc(main);
        } catch (NumberFormatException e) {
            // LuaJ's str2d parses the numeral with Double.parseDouble, which throws where 5.1 reports the token
            lexer.lexerror("malformed number", LexState.TK_NUMBER);
        }
        withoutTailCalls(main.f);
        return main.f;
    }

    /**
     * Turns tail calls into a plain call followed by the return already emitted after it (C = 0: all results, as
     * the tail call passes them), except calls of an upvalue. LuaJ runs a tail call after the calling frame is
     * gone, so an error there ({@code return t:bad()}, {@code return redis.nosuch()}, a failing
     * {@code return redis.call(...)}, {@code local d = cjson.decode return d('{')}) knew neither its line nor the
     * name of what was called; Lua 5.1 reports both (it runs a C function called in tail position as a plain call).
     * A function recurses through an upvalue ({@code local function loop(n) ... return loop(n - 1) end}), so those
     * stay tail calls and tail recursion still runs in constant stack.
     */
    private static void withoutTailCalls(Prototype p) {
        for (int pc = 0; pc < p.code.length; pc++) {
            int i = p.code[pc];
            if (Lua.GET_OPCODE(i) == Lua.OP_TAILCALL && !calleeIsUpvalue(p.code, pc, Lua.GETARG_A(i))) {
                p.code[pc] = (i & Lua.MASK_NOT_OP & Lua.MASK_NOT_C) | (Lua.OP_CALL << Lua.POS_OP);
            }
        }
        if (p.p != null) for (Prototype nested : p.p) withoutTailCalls(nested);
    }

    /** Whether the last instruction before {@code pc} that sets register {@code a} reads an upvalue. */
    private static boolean calleeIsUpvalue(int[] code, int pc, int a) {
        for (int at = pc - 1; at >= 0; at--) {
            int i = code[at];
            if (Lua.GETARG_A(i) != a) continue;
            switch (Lua.GET_OPCODE(i)) {
                case Lua.OP_GETUPVAL:
                    return true;
                case Lua.OP_GETTABLE, Lua.OP_SELF, Lua.OP_MOVE, Lua.OP_LOADK, Lua.OP_LOADKX, Lua.OP_LOADBOOL,
                        Lua.OP_LOADNIL, Lua.OP_GETTABUP, Lua.OP_NEWTABLE, Lua.OP_ADD, Lua.OP_SUB, Lua.OP_MUL,
                        Lua.OP_DIV, Lua.OP_MOD, Lua.OP_POW, Lua.OP_UNM, Lua.OP_NOT, Lua.OP_LEN, Lua.OP_CONCAT,
                        Lua.OP_CALL, Lua.OP_CLOSURE, Lua.OP_VARARG:
                    return false;
                default:
                    break; // reads register a (a comparison, a store): keep looking
            }
        }
        return false;
    }

    /** LuaJ's lexer with 5.1's numerals, reserved words and error texts. */
    static final class Lexer extends LexState {
        private static final Pattern LUAJ_UNEXPECTED_SYMBOL = Pattern.compile("^unexpected symbol \\d+ \\(.*\\)$", Pattern.DOTALL);
        /** LexState's current token; its class is private to LexState, so its number is read by reflection. */
        private static final java.lang.reflect.Field CURRENT_TOKEN;
        private static final java.lang.reflect.Field TOKEN_NUMBER;

        static {
            try {
                CURRENT_TOKEN = LexState.class.getDeclaredField("t");
                TOKEN_NUMBER = Class.forName("org.luaj.vm2.compiler.LexState$Token").getDeclaredField("token");
                CURRENT_TOKEN.setAccessible(true);
                TOKEN_NUMBER.setAccessible(true);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e); // LuaJ's lexer is not 3.0.1's: caught by the tests
            }
        }

        Lexer(LuaC.CompileState state, InputStream stream) {
            super(state, stream);
        }

        /** 5.1's luaX_lexerror: the position, the message, then the token's text. */
        @Override
        void lexerror(String msg, int token) {
            String text = msg;
            if (LUAJ_UNEXPECTED_SYMBOL.matcher(text).matches()) text = "unexpected symbol";
            else if (text.equals("syntax error")) text = "'=' expected"; // 5.2's exprstat; 5.1's assignment checks '='
            String where = Lua.chunkid(source.tojstring()) + ":" + linenumber + ": ";
            throw new LuaError(where + text + (token != 0 ? " near '" + txtToken(token) + "'" : ""));
        }

        @Override
        String token2str(int token) {
            return token == TK_EOS ? "<eof>" : super.token2str(token);
        }

        @Override
        String txtToken(int token) {
            if (token == TK_NAME || token == TK_STRING || token == TK_NUMBER) {
                int n = nbuff;
                while (n > 0 && buff[n - 1] == '\0') n--; // read_numeral's terminator
                return new String(buff, 0, n);
            }
            return token2str(token);
        }

        /** 5.1 reports {@code break} outside a loop where it stands; LuaJ only at the function's end. */
        @Override
        void gotostat(int pc) {
            if (currentToken() == TK_BREAK && !insideLoop()) {
                next();
                syntaxerror("no loop to break");
            }
            super.gotostat(pc);
        }

        private int currentToken() {
            try {
                return TOKEN_NUMBER.getInt(CURRENT_TOKEN.get(this));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        private boolean insideLoop() {
            for (FuncState.BlockCnt b = fs.bl; b != null; b = b.previous) {
                if (b.isloop) return true;
            }
            return false;
        }
    }
}
