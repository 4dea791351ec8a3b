package io.keyline.scripting;

import io.keyline.engine.CallContext;
import io.keyline.engine.RedisException;
import io.keyline.engine.ServerContext;
import io.keyline.protocol.ReplyWriter;
import io.keyline.util.DoubleFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.Lua51Compiler;
import org.luaj.vm2.lib.Bit32Lib;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.ZeroArgFunction;
import org.luaj.vm2.lib.jse.JseBaseLib;
import org.luaj.vm2.lib.jse.JseMathLib;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scripting engine of one server: one Lua state (LuaJ), created on first use, with Redis's sandbox and
 * {@code redis.*} API, and the cache of EVAL scripts by SHA1. Scripts run one at a time: EVAL holds every
 * stripe lock while a script runs, so the state is never used by two threads at once.
 */
public final class Scripting {
    private static final Map<ServerContext, Scripting> BY_SERVER = new WeakHashMap<>();
    private static final Pattern LUAJ_POSITION = Pattern.compile("^@?(user_script|user_function):(\\d+) ");

    private final ServerContext server;
    private Globals globals;
    private Globals functionGlobals;
    /**
     * The EVAL script cache, by SHA1. Concurrent and outside the run lock (this object's monitor, held while a
     * script runs): SCRIPT LOAD/EXISTS/FLUSH and INFO never wait for a running script, which an event loop
     * must not do (its other clients, SCRIPT KILL among them, would get no answer).
     */
    private final java.util.concurrent.ConcurrentHashMap<String, Script> scripts = new java.util.concurrent.ConcurrentHashMap<>();
    /** What the cached scripts take (used_memory_scripts_eval / used_memory_vm_eval), maintained on load and flush. */
    private final java.util.concurrent.atomic.AtomicLong scriptsMemory = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong scriptsVmMemory = new java.util.concurrent.atomic.AtomicLong();
    /** SCRIPT FLUSH asked for a fresh Lua state: the next run (under the run lock) makes it. */
    private volatile boolean stateFlushed;
    /** Compiles SCRIPT LOAD bodies off the run lock: only the compiler, no sandbox (closures are bound at run). */
    private final Globals compiler;

    /** The running script's state (scripts run one at a time). */
    private CallContext outer;
    private CallContext inner;
    private boolean readOnly;
    /** When a FUNCTION LOAD's top level is stopped (nanoTime). */
    private long stopAtNanos = Long.MAX_VALUE;
    /** A FUNCTION LOAD is running a library's top level (the hook then reports Redis's load timeout). */
    private boolean loadingLibrary;
    /** Error tables made from redis.call/pcall failures: the inner command counted them in errorstats already. */
    private final java.util.Set<LuaTable> callErrors = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private int resp = 2;

    /** The propagation flags of the running script (redis.set_repl): Redis's PROPAGATE_AOF | PROPAGATE_REPL. */
    private int replFlags = REPL_ALL;
    static final int REPL_AOF = 1;
    static final int REPL_REPLICA = 2;
    static final int REPL_ALL = REPL_AOF | REPL_REPLICA;

    private static final class Script {
        final byte[] body;
        final org.luaj.vm2.Prototype proto;
        /** The closure of the last state it ran in (only touched under the run lock). */
        org.luaj.vm2.LuaClosure function;

        Script(byte[] body, org.luaj.vm2.Prototype proto) {
            this.body = body;
            this.proto = proto;
        }
    }

    private Scripting(ServerContext server) {
        this.server = server;
        this.compiler = new Globals();
        LoadState.install(compiler);
        Lua51Compiler.install(compiler);
    }

    /** The scripting engine of {@code server}, created (without a Lua state yet) on first call. */
    public static Scripting of(ServerContext server) {
        synchronized (BY_SERVER) {
            return BY_SERVER.computeIfAbsent(server, Scripting::new);
        }
    }

    public static String sha1hex(byte[] body) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(body);
            StringBuilder sb = new StringBuilder(40);
            for (byte b : d) sb.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** number_of_cached_scripts (no lock: answered while a script runs). */
    public int cachedScripts() {
        return scripts.size();
    }

    /**
     * used_memory_scripts_eval: what the cache itself holds per script (Redis counts the SHA and body sds, the
     * dict entry and the luaScript struct): the body array, the SHA string, the entry and the Script object.
     */
    public long cachedScriptsMemory() {
        return scriptsMemory.get();
    }

    /**
     * used_memory_vm_eval (Redis: lua_gc(LUA_GCCOUNT) of the EVAL Lua state): LuaJ keeps its state in the Java
     * heap with no allocator to ask, so this is an estimate: a created state's base (measured, see
     * {@link #STATE_BASE_BYTES}) plus each cached script's compiled prototype (instructions, constants, nested
     * functions, debug info).
     */
    public long evalVmMemory() {
        return (globals != null || !scripts.isEmpty() ? STATE_BASE_BYTES : 0) + scriptsVmMemory.get();
    }

    /**
     * The heap a fresh sandboxed LuaJ state (base, string, table, math libraries, redis.*, cjson/cmsgpack/struct/bit,
     * their tables and function objects, about a thousand small objects) is taken to retain: an estimate, of the
     * order of Redis's own fresh Lua state (31-32 KiB), not a measurement.
     */
    static final long STATE_BASE_BYTES = 96 * 1024;

    public boolean exists(String sha) {
        return scripts.containsKey(sha.toLowerCase(Locale.ROOT));
    }

    /** SCRIPT FLUSH: empties the cache; the Lua state is renewed by the next script (a running one keeps its own). */
    public void flush() {
        scripts.clear();
        scriptsMemory.set(0);
        scriptsVmMemory.set(0);
        stateFlushed = true; // a fresh Lua state, as Redis's SCRIPT FLUSH
    }

    /** SCRIPT LOAD / EVAL: compiles and caches {@code body}; returns its SHA1. A compile error throws Redis's text. */
    public String load(byte[] body) {
        String sha = sha1hex(body);
        cache(sha, body);
        return sha;
    }

    /** The cached script of {@code body}, compiled and added if missing. */
    private Script cache(String sha, byte[] body) {
        Script s = scripts.get(sha);
        if (s != null) return s;
        s = new Script(body, compile(body));
        Script had = scripts.putIfAbsent(sha, s);
        if (had != null) return had;
        scriptsMemory.addAndGet(cacheBytes(body));
        scriptsVmMemory.addAndGet(prototypeBytes(s.proto));
        return s;
    }

    /** The cache's own bytes for one script: body array, 40-char SHA string, map node, Script object. */
    private static long cacheBytes(byte[] body) {
        return align(16 + body.length) + (24 + align(16 + 40)) + 32 + 24;
    }

    private static long align(long n) {
        return (n + 7) & ~7L;
    }

    /** A compiled function's heap: its arrays (code, constants, line info, locals, upvalues) and nested functions. */
    static long prototypeBytes(org.luaj.vm2.Prototype p) {
        long n = 80 + align(16 + 4L * p.code.length) + align(16 + 4L * (p.lineinfo == null ? 0 : p.lineinfo.length))
                + align(16 + 4L * p.k.length) + 24L * (p.locvars == null ? 0 : p.locvars.length)
                + 24L * (p.upvalues == null ? 0 : p.upvalues.length);
        for (LuaValue k : p.k) if (k.isstring() && k.type() == LuaValue.TSTRING) n += align(16 + k.rawlen()) + 32;
        if (p.p != null) for (org.luaj.vm2.Prototype sub : p.p) n += 4 + prototypeBytes(sub);
        return n;
    }

    /** Compiles without the run lock: the compiler state is per call (LuaJ's CompileState), nothing shared. */
    private org.luaj.vm2.Prototype compile(byte[] body) {
        try {
            byte[] code = stripShebang(body);
            return ((org.luaj.vm2.LuaClosure) compiler.load(new ByteArrayInputStream(code), "@user_script", "t", compiler)).p;
        } catch (LuaError e) {
            throw new RedisException("ERR Error compiling script (new function): " + luaMessage(e) );
        }
    }

    /** The script's function in the current state (rebound after SCRIPT FLUSH renewed the state). Run lock held. */
    private LuaFunction function(Script s, Globals g) {
        org.luaj.vm2.LuaClosure f = s.function;
        if (f == null || f.upValues.length == 0 || f.upValues[0].getValue() != g) s.function = f = new org.luaj.vm2.LuaClosure(s.proto, g);
        return f;
    }

    private static byte[] stripShebang(byte[] body) {
        if (body.length >= 2 && body[0] == '#' && body[1] == '!') {
            int i = 0;
            while (i < body.length && body[i] != '\n') i++;
            // keep the newline so line numbers stay as Redis reports them
            return java.util.Arrays.copyOfRange(body, i, body.length);
        }
        return body;
    }

    /** The flags of a {@code #!lua flags=...} shebang: true if it declares no-writes. Throws on a bad shebang. */
    static boolean shebangNoWrites(byte[] body) {
        if (body.length < 2 || body[0] != '#' || body[1] != '!') return false;
        int i = 0;
        while (i < body.length && body[i] != '\n') i++;
        String line = new String(body, 0, i, StandardCharsets.UTF_8);
        String[] parts = line.substring(2).trim().split(" +");
        if (!parts[0].equals("lua")) throw new RedisException("ERR Unexpected engine in script shebang: #!" + parts[0]); // Redis echoes parts[0] with its "#!"
        boolean noWrites = false;
        for (int p = 1; p < parts.length; p++) {
            if (!parts[p].startsWith("flags=")) throw new RedisException("ERR Unknown lua shebang option: " + parts[p]);
            for (String f : parts[p].substring(6).split(",")) {
                if (f.isEmpty()) continue;
                switch (f) {
                    case "no-writes": noWrites = true; break;
                    case "allow-oom": case "allow-stale": case "no-cluster": case "allow-cross-slot-keys": break;
                    default: throw new RedisException("ERR Unexpected flag in script shebang: " + f);
                }
            }
        }
        return noWrites;
    }

    /** EVAL / EVALSHA (and the _RO variants): runs the script and writes its reply to {@code c.reply}. */
    public synchronized void eval(CallContext c, byte[][] argv, boolean bySha, boolean ro) {
        long numkeys;
        try {
            numkeys = Long.parseLong(new String(argv[2], StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw new RedisException("ERR value is not an integer or out of range");
        }
        if (numkeys > argv.length - 3) throw new RedisException("ERR Number of keys can't be greater than number of args");
        if (numkeys < 0) throw new RedisException("ERR Number of keys can't be negative");
        String sha;
        Script script;
        if (bySha) {
            sha = new String(argv[1], StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            script = scripts.get(sha);
            if (script == null) throw new RedisException("NOSCRIPT No matching script. Please use EVAL.");
        } else {
            sha = sha1hex(argv[1]);
            script = cache(sha, argv[1]);
        }
        boolean noWrites = shebangNoWrites(script.body);
        Globals g = globals();
        LuaTable keys = new LuaTable();
        LuaTable args = new LuaTable();
        fillKeysAndArgs(argv, (int) numkeys, keys, args);
        rawSetGlobal(g, "KEYS", keys);
        rawSetGlobal(g, "ARGV", args);
        run(c, function(script, g), LuaValue.NONE, ro || noWrites, sha, "user_script", argv);
    }

    /** KEYS and ARGV of an EVAL or FCALL: argv[3 .. 3+numkeys) and the rest, as binary-safe Lua strings. */
    static void fillKeysAndArgs(byte[][] argv, int numkeys, LuaTable keys, LuaTable args) {
        for (int i = 0; i < numkeys; i++) keys.rawset(i + 1, LuaString.valueUsing(argv[3 + i]));
        for (int i = 3 + numkeys, j = 1; i < argv.length; i++, j++) args.rawset(j, LuaString.valueUsing(argv[i]));
    }

    /**
     * The one run path of EVAL and FCALL: calls {@code fn} with {@code fnArgs} as the script of {@code c}
     * (its redis.call going through the dispatcher's script context), writes its reply or its error, in
     * Redis's words naming {@code name} (the SHA1 or the function) and the chunk ({@code user_script} or
     * {@code user_function}), and ends the script (database restored, writes logged).
     */
    synchronized void run(CallContext c, LuaFunction fn, Varargs fnArgs, boolean readOnlyRun, String name, String chunk,
            byte[][] argv) {
        int callerDb = c.dbIndex();
        outer = c;
        inner = c.server().dispatcher().scriptContext(c);
        readOnly = readOnlyRun;
        resp = 2;
        replFlags = REPL_ALL;
        io.keyline.engine.ScriptThread run = c.server().scriptThread();
        run.started(name, "user_function".equals(chunk), argv); // BUSY for others after busy-reply-threshold; SCRIPT KILL polls through the hook
        try {
            LuaValue result;
            try {
                result = invokeCapped(fn, fnArgs);
            } catch (MemoryExceeded e) {
                ScriptMemory.released(); // also after a JVM OutOfMemoryError, which did not go through the cap
                // As Redis 7.2's luaCallFunction for a LUA_ERRMEM (a string, not an error table).
                String err = "ERR Error running script " + name + ", " + ScriptMemory.MESSAGE;
                c.server().stats().countErrorCode(err);
                c.reply.error(err);
                return;
            } catch (LuaError e) {
                String err = scriptError(e, name, chunk);
                if (!callErrors.contains(e.getMessageObject())) c.server().stats().countErrorCode(err);
                c.reply.error(err);
                return;
            } catch (StackOverflowError e) {
                c.reply.error("ERR " + chunk + ":1: stack overflow script: " + name + ", on @" + chunk + ":1.");
                return;
            }
            if (result.istable() && result.rawget("err").isstring() && !callErrors.contains(result)) {
                c.server().stats().countErrorCode(result.rawget("err").tojstring());
            }
            LuaToResp.write(result, c.reply, resp);
        } finally {
            ScriptMemory.scriptEnded();
            run.ended();
            callErrors.clear();
            c.server().dispatcher().endScript(c, inner, callerDb);
            outer = null;
            inner = null;
        }
    }

    /**
     * Runs the script; a script that ran out of memory (ScriptMemory's cap, or one huge array the JVM refused) ends
     * with Redis's LUA_ERRMEM reply, thrown as a {@link TableError} with that text so the caller replies it as is.
     */
    private LuaValue invokeCapped(LuaFunction fn, Varargs fnArgs) {
        try {
            return fn.invoke(fnArgs).arg1();
        } catch (LuaError | OutOfMemoryError e) {
            if (!ScriptMemory.isMemoryError(e)) throw e;
            throw new MemoryExceeded();
        }
    }

    /** The script ran out of memory: replied as Redis 7.2 replies a LUA_ERRMEM. */
    private static final class MemoryExceeded extends LuaError {
        MemoryExceeded() {
            super(LuaValue.valueOf(ScriptMemory.MESSAGE));
        }
    }

    static String luaMessage(LuaError e) {
        String m = e.getMessage();
        if (m == null) return "";
        int trace = m.indexOf("\nstack traceback:"); // added by LuaJ while the debug library (the time hook) is loaded
        if (trace >= 0) m = m.substring(0, trace);
        Matcher mm = LUAJ_POSITION.matcher(m);
        return mm.find() ? mm.replaceFirst("$1:$2: ") : m;
    }

    /** Redis 7's text for a script that raised an error: the message, then where. */
    private String scriptError(LuaError e, String sha, String chunk) {
        LuaValue obj = e.getMessageObject();
        int line = 1;
        String msg;
        if (obj != null && obj.istable() && obj.get("err").isstring()) {
            msg = obj.get("err").tojstring();
            LuaValue l = obj.get("line");
            if (l.isnumber()) line = l.toint();
            else if (e instanceof TableError te && te.line() > 0) line = te.line();
            else line = lineOf(e);
        } else if (e instanceof TableError te && obj != null && obj.isstring()) {
            line = Math.max(1, te.line());
            msg = "ERR " + chunk + ":" + line + ": " + obj.tojstring();
        } else if (obj == null || obj.isnil()) {
            msg = "ERR nil"; // error() with no value; LuaJ's message would read "null"
        } else {
            msg = luaMessage(e);
            Matcher mm = Pattern.compile("^" + chunk + ":(\\d+): ").matcher(msg);
            if (mm.find()) line = Integer.parseInt(mm.group(1));
            if (!msg.isEmpty() && !msg.contains(" ") || !Character.isUpperCase(msg.isEmpty() ? 'a' : msg.charAt(0))) {
                msg = "ERR " + msg;
            } else if (msg.startsWith(chunk)) {
                msg = "ERR " + msg;
            }
        }
        msg = msg.replace('\r', ' ').replace('\n', ' ');
        return msg + " script: " + sha + ", on @" + chunk + ":" + line + ".";
    }

    private int lineOf(LuaError e) {
        String t = e.getMessage();
        if (t != null) {
            Matcher mm = Pattern.compile("user_(?:script|function):(\\d+)").matcher(t);
            if (mm.find()) return Integer.parseInt(mm.group(1));
        }
        return 1;
    }

    /** FUNCTION LOAD runs a library's top level: the count hook stops it after {@code timeoutMs} (0 = never). */
    void beginLibraryLoad(long timeoutMs) {
        loadingLibrary = true;
        stopAtNanos = timeoutMs > 0 ? System.nanoTime() + timeoutMs * 1_000_000 : Long.MAX_VALUE;
    }

    void endLibraryLoad() {
        loadingLibrary = false;
        stopAtNanos = Long.MAX_VALUE;
    }

    // ---- the Lua state ------------------------------------------------------------------------

    /** The Lua state FUNCTION libraries live in: separate from EVAL's (as Redis's), same sandbox and API. */
    synchronized Globals functionState() {
        if (functionGlobals == null) functionGlobals = newState();
        return functionGlobals;
    }


    private Globals globals() {
        if (stateFlushed) {
            stateFlushed = false;
            globals = null;
        }
        if (globals == null) globals = newState();
        return globals;
    }

    /**
     * SCRIPT KILL (and a server stop): a count hook, every 100,000 instructions, raises Redis's "killed"
     * error once {@code ScriptThread.kill} asked the running script to stop (as Redis's luaMaskCountHook).
     * The flag stays set until the script ends, so a pcall catching the error is interrupted again. The
     * debug library is removed from the sandbox afterwards.
     */
    private void installTimeLimit(Globals g) {
        g.load(new org.luaj.vm2.lib.DebugLib());
        LuaValue hook = new ZeroArgFunction() {
            @Override
            public LuaValue call() {
                if (loadingLibrary && System.nanoTime() > stopAtNanos) {
                    LuaTable err = new LuaTable();
                    err.rawset("err", LuaValue.valueOf("ERR FUNCTION LOAD timeout"));
                    throw new LuaError(err);
                }
                if (server.scriptThread().killRequested()) {
                    throw new LuaError(errorTable(io.keyline.engine.ScriptThread.KILLED));
                }
                ScriptMemory.check(); // the heap the VM itself fills (.., table stores): see ScriptMemory
                return LuaValue.NONE;
            }
        };
        g.get("debug").get("sethook").call(hook, LuaValue.valueOf(""), LuaValue.valueOf(ScriptMemory.HOOK_INSTRUCTIONS));
        LuaErrorNames.install(g); // needs the debug library's call frames, loaded above
    }

    private static void rawSetGlobal(Globals g, String name, LuaValue v) {
        g.rawset(name, v);
    }

    private Globals newState() {
        Globals g = new Globals();
        g.load(new JseBaseLib());
        g.load(new org.luaj.vm2.lib.PackageLib());
        g.load(new TableLib());
        g.load(new StringLib());
        g.load(new JseMathLib());
        g.load(new Bit32Lib());
        LoadState.install(g);
        Lua51Compiler.install(g);
        installTimeLimit(g);
        // Lua 5.1 as Redis embeds it.
        LuaTable table = (LuaTable) g.get("table");
        g.rawset("unpack", table.get("unpack"));
        table.rawset("getn", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue t) {
                return LuaValue.valueOf(t.checktable().length());
            }
        });
        LuaTable string = (LuaTable) g.get("string");
        string.rawset("format", new LuaFormat(string.get("format")));
        capMemory(string, (LuaTable) g.get("table"));
        LuaTable math = (LuaTable) g.get("math");
        math.rawset("mod", math.get("fmod"));
        g.rawset("bit32", LuaValue.NIL);
        final LuaValue load = g.get("load");
        g.rawset("loadstring", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                LuaString code = a.checkstring(1);
                if (code.length() > 0 && code.luaByte(0) == 27) {
                    return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf("loadstring: binary chunks are not allowed"));
                }
                return load.invoke(LuaValue.varargsOf(code, a.arg(2).isnil() ? code : a.arg(2), LuaValue.valueOf("t")));
            }
        });
        final LuaValue pcall = g.get("pcall");
        g.rawset("pcall", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                // Redis 7's luaRedisPcall: a caught error table (from redis.call) is handed over as its err text,
                // as the string Lua scripts got before Redis 7 (redis.pcall still returns the table)
                Varargs r = pcall.invoke(a);
                if (r.arg1().toboolean()) return r;
                LuaValue e = r.arg(2);
                if (e.istable() && e.rawget("err").isstring()) return LuaValue.varargsOf(LuaValue.FALSE, e.rawget("err"));
                return r;
            }
        });
        final LuaValue error = g.get("error");
        g.rawset("error", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                // error() / error(nil): a nil message object, so the reply reads "ERR nil" as Redis's (LuaJ would
                // carry a null text, which LuaErrorNames's error function cannot be handed)
                if (a.arg1().isnil()) throw new LuaError(LuaValue.NIL);
                return error.invoke(a);
            }
        });
        final LuaValue tostring = g.get("tostring");
        g.rawset("tostring", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue v) {
                if (v.type() == LuaValue.TNUMBER) return LuaValue.valueOf(formatNumber(v.todouble()));
                return tostring.call(v);
            }
        });
        LuaTable os = new LuaTable();
        final long start = System.nanoTime();
        os.rawset("clock", new ZeroArgFunction() {
            @Override
            public LuaValue call() {
                return LuaValue.valueOf((System.nanoTime() - start) / 1e9);
            }
        });
        g.rawset("os", os);
        for (String name : new String[]{"dofile", "loadfile", "require", "module", "package", "io", "debug",
                "setfenv", "getfenv", "newproxy", "collectgarbage_", "load", "print"}) {
            g.rawset(name, LuaValue.NIL);
        }
        g.rawset("redis", redisTable());
        LuaLibraries.install(g);
        protect(g);
        return g;
    }

    /**
     * The library functions that can build values much larger than their arguments check the heap first
     * (ScriptMemory): string.rep knows its result's size, the others check that the heap is under the cap.
     */
    private static void capMemory(LuaTable string, LuaTable table) {
        final LuaValue rep = string.get("rep");
        string.rawset("rep", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                // the argument errors stay rep's own: only well-typed calls are sized here
                if (a.arg1().isstring() && a.arg(2).isnumber()) {
                    double n = a.arg(2).todouble();
                    long len = a.arg1().strvalue().rawlen(); // a number is repeated as its text
                    if (n >= 1 && len > 0) ScriptMemory.reserve(n * len >= 1e18 ? Long.MAX_VALUE : (long) n * len);
                }
                return rep.invoke(a);
            }
        });
        for (String name : new String[]{"format", "gsub", "upper", "lower", "reverse", "char"}) capped(string, name);
        final LuaValue concat = table.get("concat");
        table.rawset("concat", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                ScriptMemory.reserve(concatSize(a));
                try {
                    return concat.invoke(a);
                } catch (OutOfMemoryError e) {
                    throw new ScriptMemory.Exceeded();
                }
            }
        });
    }

    /** The size table.concat(t, sep, i, j) will build (0 when the arguments are not well-typed: concat says why). */
    private static long concatSize(Varargs a) {
        if (!a.arg1().istable()) return 0;
        LuaTable t = (LuaTable) a.arg1();
        long sep = a.arg(2).isstring() ? a.arg(2).rawlen() : 0;
        long i = a.arg(3).isnumber() ? a.arg(3).tolong() : 1;
        long j = a.arg(4).isnumber() ? a.arg(4).tolong() : t.rawlen();
        long n = 0;
        for (long k = i; k <= j; k++) {
            LuaValue v = t.rawget((int) k);
            if (!v.isstring()) return 0; // concat raises its own error
            n += v.type() == LuaValue.TSTRING ? v.rawlen() : 24;
            if (k < j) n += sep;
            if (n > Integer.MAX_VALUE) return n;
        }
        return n;
    }

    private static void capped(LuaTable lib, String name) {
        final LuaValue f = lib.get(name);
        lib.rawset(name, new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                ScriptMemory.check();
                try {
                    return f.invoke(a);
                } catch (OutOfMemoryError e) {
                    throw new ScriptMemory.Exceeded();
                }
            }
        });
    }

    /** Lua 5.1's {@code %.14g} number formatting (LUAI_NUMFMT). */
    static String formatNumber(double d) {
        return LuaNumberText.format(d);
    }

    /** Redis's globals protection: no new globals, reading a missing one is an error, library tables read-only. */
    private static void protect(Globals g) {
        LuaTable meta = new LuaTable();
        meta.rawset("__newindex", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                throw new LuaError("Attempt to modify a readonly table", 2);
            }
        });
        // _G's own entries live in this backing table, so assigning an existing global (redis = nil) reaches
        // __newindex and is refused as in Redis; only KEYS and ARGV, set per call, stay raw fields.
        final LuaTable globals = new LuaTable();
        meta.rawset("__index", new TwoArgFunction() {
            @Override
            public LuaValue call(LuaValue t, LuaValue k) {
                LuaValue v = globals.rawget(k);
                if (!v.isnil()) return v;
                throw new LuaError("Script attempted to access nonexistent global variable '" + k.tojstring() + "'", 2);
            }
        });
        meta.rawset(READONLY, LuaValue.TRUE);
        g.setmetatable(meta);
        guardRawAccess(g, globals);
        LuaTable ro = new LuaTable();
        ro.rawset("__newindex", meta.rawget("__newindex"));
        for (String lib : new String[]{"string", "table", "math", "os", "redis", "bit", "cjson", "cmsgpack", "struct"}) {
            LuaValue t = g.rawget(lib);
            if (t.istable()) readonly((LuaTable) t);
        }
        java.util.List<LuaValue> names = new java.util.ArrayList<>();
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = g.next(k);
            if ((k = n.arg1()).isnil()) break;
            globals.rawset(k, n.arg(2));
            names.add(k);
        }
        for (LuaValue name : names) g.rawset(name, LuaValue.NIL);
        globals.rawset("_G", g);
    }

    /** Makes {@code t} read-only: its contents move behind a proxy whose __newindex errors. */
    private static void readonly(LuaTable t) {
        // LuaJ has no read-only flag: keep the table but forbid new fields and assignments to existing ones by
        // moving the fields to the metatable's __index.
        LuaTable backing = new LuaTable();
        LuaValue k = LuaValue.NIL;
        java.util.List<LuaValue> ks = new java.util.ArrayList<>();
        while (true) {
            Varargs n = t.next(k);
            if ((k = n.arg1()).isnil()) break;
            backing.rawset(k, n.arg(2));
            ks.add(k);
        }
        for (LuaValue key : ks) t.rawset(key, LuaValue.NIL);
        LuaTable meta = new LuaTable();
        meta.rawset("__index", backing);
        meta.rawset("__newindex", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                throw new LuaError("Attempt to modify a readonly table", 2);
            }
        });
        meta.rawset("__metatable", LuaValue.FALSE);
        meta.rawset(READONLY, LuaValue.TRUE);
        t.setmetatable(meta);
    }

    /** Marks the metatables of Redis's read-only tables (_G and the libraries). */
    private static final LuaValue READONLY = LuaValue.valueOf("__keyline_readonly");

    private static boolean isReadonly(LuaValue v) {
        LuaValue mt = v.istable() ? v.getmetatable() : null;
        return mt != null && mt.rawget(READONLY).toboolean();
    }

    /**
     * Redis's Lua refuses setmetatable and rawset on a read-only table (lua_enablereadonlytable), and
     * getmetatable(_G) is nil. Without this a script could drop _G's metatable and every later script on
     * this state would run unprotected.
     */
    private static void guardRawAccess(Globals g, LuaTable globals) {
        final LuaValue rawget = g.rawget("rawget");
        // _G's entries are in the backing table: rawget(_G, 'redis') still finds them, as in Redis
        g.rawset("rawget", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                Varargs v = rawget.invoke(a);
                return a.arg1() == g && v.arg1().isnil() ? globals.rawget(a.arg(2)) : v;
            }
        });
        final LuaValue setmetatable = g.rawget("setmetatable");
        final LuaValue rawset = g.rawget("rawset");
        final LuaValue getmetatable = g.rawget("getmetatable");
        g.rawset("setmetatable", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                if (isReadonly(a.arg1())) throw new LuaError("Attempt to modify a readonly table", 0);
                return setmetatable.invoke(a);
            }
        });
        g.rawset("rawset", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                if (isReadonly(a.arg1())) throw new LuaError("Attempt to modify a readonly table", 0);
                return rawset.invoke(a);
            }
        });
        g.rawset("getmetatable", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                if (isReadonly(a.arg1())) return LuaValue.NIL;
                return getmetatable.invoke(a);
            }
        });
    }

    // ---- the redis.* API ----------------------------------------------------------------------

    private LuaTable redisTable() {
        LuaTable r = new LuaTable();
        r.rawset("call", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                return redisCall(a, true);
            }
        });
        r.rawset("pcall", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                return redisCall(a, false);
            }
        });
        r.rawset("error_reply", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue msg) {
                if (!msg.isstring()) return errorTable("ERR wrong number or type of arguments");
                String m = msg.tojstring();
                LuaTable t = new LuaTable();
                t.rawset("err", m.startsWith("-") ? LuaValue.valueOf(m.substring(1)) : msg);
                return t;
            }
        });
        r.rawset("status_reply", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue msg) {
                if (!msg.isstring()) return errorTable("ERR wrong number or type of arguments");
                LuaTable t = new LuaTable();
                t.rawset("ok", msg);
                return t;
            }
        });
        r.rawset("sha1hex", new org.luaj.vm2.lib.VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                LuaValue s = args.arg1();
                if (args.narg() != 1 || !s.isstring()) throw apiError("ERR wrong number of arguments");
                LuaString str = s.checkstring();
                byte[] b = java.util.Arrays.copyOfRange(str.m_bytes, str.m_offset, str.m_offset + str.m_length);
                return LuaValue.valueOf(sha1hex(b));
            }
        });
        r.rawset("LOG_DEBUG", 0);
        r.rawset("LOG_VERBOSE", 1);
        r.rawset("LOG_NOTICE", 2);
        r.rawset("LOG_WARNING", 3);
        r.rawset("log", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                if (a.narg() < 2) throw apiError("ERR redis.log() requires two arguments or more.");
                if (!a.arg1().isnumber()) throw apiError("ERR First argument must be a number (log level).");
                int level = a.arg1().toint();
                if (level < 0 || level > 3) throw apiError("ERR Invalid debug level.");
                StringBuilder sb = new StringBuilder();
                for (int i = 2; i <= a.narg(); i++) {
                    if (i > 2) sb.append(' ');
                    sb.append(a.arg(i).tojstring());
                }
                org.slf4j.LoggerFactory.getLogger("io.keyline.scripting.lua").info(sb.toString());
                return LuaValue.NONE;
            }
        });
        r.rawset("setresp", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue v) {
                if (v.isnil()) throw apiError("ERR redis.setresp() requires one argument.");
                int n = v.checkint();
                if (n != 2 && n != 3) throw apiError("ERR RESP version must be 2 or 3.");
                resp = n;
                return LuaValue.NONE;
            }
        });
        r.rawset("REPL_NONE", 0);
        r.rawset("REPL_AOF", 1);
        r.rawset("REPL_SLAVE", 2);
        r.rawset("REPL_REPLICA", 2);
        r.rawset("REPL_ALL", 3);
        r.rawset("set_repl", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                // As Redis 7.2's luaRedisSetReplCommand: one argument (its error text says "two"; fixed only after
                // 7.2), read with lua_tonumber (0 when not a number)
                if (a.narg() != 1) throw apiError("ERR redis.set_repl() requires two arguments.");
                LuaValue num = a.arg1().tonumber();
                int n = num.isnil() ? 0 : (int) num.todouble();
                if ((n & ~REPL_ALL) != 0) throw apiError("ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
                replFlags = n;
                return LuaValue.NONE;
            }
        });
        r.rawset("replicate_commands", new ZeroArgFunction() {
            @Override
            public LuaValue call() {
                return LuaValue.TRUE;
            }
        });
        r.rawset("breakpoint", new ZeroArgFunction() {
            @Override
            public LuaValue call() {
                return LuaValue.FALSE;
            }
        });
        r.rawset("debug", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                return LuaValue.NONE;
            }
        });
        r.rawset("acl_check_cmd", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                if (a.narg() < 1) throw apiError("ERR Please specify at least one argument for this redis lib call");
                byte[][] argv = args(a);
                // The running script's caller's user (Redis's original_client), through the engine's ACL.
                Boolean allowed = server.dispatcher().aclCheckCommand(outer.client(), argv);
                if (allowed == null) throw apiError("ERR Invalid command passed to redis.acl_check_cmd()");
                return LuaValue.valueOf(allowed);
            }
        });
        r.rawset("REDIS_VERSION", "7.2.0");
        r.rawset("REDIS_VERSION_NUM", 0x070200);
        return r;
    }

    /**
     * A number passed to redis.call as Redis 7.2 (with the 7.2.5 fix, redis#13115) converts it, not with Lua's
     * lossy "%.14g": whole numbers within +-2^62 (double2ll) as integers, anything else with fpconv_dtoa
     * (shortest round-trip digits: 1/3 gives "0.3333333333333333"). Redis 7.0 used "%.17g" instead.
     */
    static String argText(double d) {
        if (d == (long) d && Math.abs(d) <= 0x1p62) return Long.toString((long) d);
        return DoubleFormat.dtoa(d);
    }

    private static byte[][] args(Varargs a) {
        int n = a.narg();
        byte[][] argv = new byte[n][];
        for (int i = 1; i <= n; i++) {
            LuaValue v = a.arg(i);
            if (v.type() == LuaValue.TNUMBER) {
                double d = v.todouble();
                argv[i - 1] = argText(d).getBytes(StandardCharsets.US_ASCII);
            } else if (v.type() == LuaValue.TSTRING) {
                LuaString s = v.checkstring();
                argv[i - 1] = java.util.Arrays.copyOfRange(s.m_bytes, s.m_offset, s.m_offset + s.m_length);
            } else {
                throw new LuaError("Lua redis lib command arguments must be strings or integers");
            }
        }
        return argv;
    }

    private Varargs redisCall(Varargs a, boolean raise) {
        if (a.narg() == 0) {
            return fail("ERR Please specify at least one argument for this redis lib call", raise);
        }
        byte[][] argv;
        try {
            argv = args(a);
        } catch (LuaError e) {
            return fail("ERR Lua redis lib command arguments must be strings or integers", raise);
        }
        ByteBuf buf = Unpooled.buffer(64);
        try {
            ReplyWriter w = new ReplyWriter(buf, resp);
            try {
                // Keyline has no replicas: what a script propagates goes to the AOF, so only REPL_AOF decides.
                server.dispatcher().scriptCall(outer, inner, argv, w, readOnly, (replFlags & REPL_AOF) != 0);
            } catch (RedisException e) {
                return fail(e.getMessage(), raise);
            }
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            LuaValue v = RespToLua.convert(bytes);
            if (raise && v.istable() && v.rawget("err").isstring()) {
                LuaTable t = errorTable(v.rawget("err").tojstring());
                callErrors.add(t);
                throw new TableError(t);
            }
            if (v.istable() && v.rawget("err").isstring()) callErrors.add((LuaTable) v);
            return v;
        } finally {
            buf.release();
        }
    }

    /**
     * Errors of the redis.* API are raised as Redis 7 raises them: an error table, which carries no
     * "user_script:N:" position (LuaJ would add one to a string raised from a Java function).
     */
    private LuaError apiError(String msg) {
        return new TableError(errorTable(msg));
    }

    private Varargs fail(String msg, boolean raise) {
        LuaTable t = errorTable(msg);
        callErrors.add(t);
        if (raise) throw new TableError(t);
        return t;
    }

    private LuaTable errorTable(String msg) {
        LuaTable t = new LuaTable();
        t.rawset("err", LuaValue.valueOf(msg));
        return t;
    }
}
