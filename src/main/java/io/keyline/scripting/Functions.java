package io.keyline.scripting;

import io.keyline.engine.CallContext;
import io.keyline.engine.RedisException;
import io.keyline.engine.ServerContext;
import io.keyline.util.Crc64;
import io.keyline.util.Lzf;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.VarArgFunction;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Redis 7 functions (functions.c / function_lua.c): the libraries of one server, loaded from
 * {@code #!lua name=lib} code whose top level may only call {@code redis.register_function} (and
 * {@code redis.log}), and FCALL running a registered function through {@link Scripting}'s run path.
 * Libraries live in their own Lua state, as in Redis. All methods synchronize on the server's
 * {@link Scripting} (one Lua run at a time).
 */
public final class Functions {
    private static final Map<ServerContext, Functions> BY_SERVER = new WeakHashMap<>();

    /** Redis's script flags, in scripts_flags_def order (FUNCTION LIST shows them in this order). */
    public static final String[] FLAG_NAMES = {"no-writes", "allow-oom", "allow-stale", "no-cluster", "allow-cross-slot-keys"};
    static final int NO_WRITES = 1;
    static final int ALLOW_OOM = 2;

    private static final String BAD_NAME =
            "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long";
    private static final int RDB_OPCODE_FUNCTION2 = 245;
    private static final int RDB_OPCODE_FUNCTION_PRE_GA = 246;
    /** RDB version written in FUNCTION DUMP (Redis 7.2's RDB_VERSION); payloads up to it are accepted. */
    private static final int RDB_VERSION = 11;
    private static final long LOAD_TIMEOUT_MS = 500;

    private final ServerContext server;
    private final Scripting scripting;
    // volatile: FUNCTION STATS reads their sizes without the scripting lock, because it is served while a
    // function runs (and holds that lock); the maps only change under the lock, never while a function runs.
    private volatile Map<String, Library> libraries = new LinkedHashMap<>();
    private volatile Map<String, Fn> functions = new HashMap<>();

    /** Every library chunk's _ENV: empty; its metatable's __index is the load API while loading, the globals after. */
    private LuaTable env;
    private LuaTable envMeta;
    private LuaTable loadApi;
    /** The library whose code is running at load time (register_function adds to it), else null. */
    private Library loading;

    /** One library: its name, full code (shebang included, as FUNCTION LIST WITHCODE shows it) and functions. */
    public static final class Library {
        public final String name;
        public final byte[] code;
        public final Map<String, Fn> functions = new LinkedHashMap<>();

        Library(String name, byte[] code) {
            this.name = name;
            this.code = code;
        }
    }

    /** One registered function. */
    public static final class Fn {
        public final String name;
        public final String description;
        public final int flags;
        final LuaFunction callback;

        Fn(String name, String description, int flags, LuaFunction callback) {
            this.name = name;
            this.description = description;
            this.flags = flags;
            this.callback = callback;
        }
    }

    private Functions(ServerContext server) {
        this.server = server;
        this.scripting = Scripting.of(server);
        server.service(io.keyline.engine.AofPreamble.class, this::rewriteCommands);
    }

    private static final byte[] FUNCTION = "FUNCTION".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LOAD = "LOAD".getBytes(StandardCharsets.US_ASCII);

    /** What an AOF rewrite writes first: FUNCTION LOAD per library, in load order (Redis's rewriteFunctions). */
    private List<byte[][]> rewriteCommands() {
        List<byte[][]> out = new ArrayList<>();
        for (byte[] code : codes()) out.add(new byte[][]{FUNCTION, LOAD, code});
        return out;
    }

    /** The functions of {@code server}, created empty on first call. */
    public static Functions of(ServerContext server) {
        synchronized (BY_SERVER) {
            return BY_SERVER.computeIfAbsent(server, Functions::new);
        }
    }

    // ---- FUNCTION LOAD ------------------------------------------------------------------------

    /** FUNCTION LOAD [REPLACE] code: returns the library's name; a refusal throws Redis's text. */
    public String load(byte[] code, boolean replace) {
        synchronized (scripting) {
            String[] err = new String[1];
            String name = create(code, replace, libraries, functions, !server.loading(), err);
            if (name == null) throw new RedisException("ERR " + err[0]);
            recount();
            return name;
        }
    }

    /** functionsCreateWithLibraryCtx: compiles {@code code} into {@code libs}/{@code fns}; null and err[0] on failure. */
    private String create(byte[] code, boolean replace, Map<String, Library> libs, Map<String, Fn> fns, boolean timeout,
                          String[] err) {
        if (code.length < 2 || code[0] != '#' || code[1] != '!') {
            err[0] = "Missing library metadata";
            return null;
        }
        int nl = 0;
        while (nl < code.length && code[nl] != '\n') nl++;
        if (nl == code.length) {
            err[0] = "Invalid library metadata";
            return null;
        }
        String[] parts = new String(code, 0, nl, StandardCharsets.ISO_8859_1).trim().split("[ \t\r]+");
        if (parts.length == 0 || parts[0].isEmpty()) {
            err[0] = "Invalid library metadata";
            return null;
        }
        String engine = parts[0].substring(2);
        String name = null;
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].regionMatches(true, 0, "name=", 0, 5)) {
                if (name != null) {
                    err[0] = "Invalid metadata value, name argument was given multiple times";
                    return null;
                }
                name = parts[i].substring(5);
                continue;
            }
            err[0] = "Invalid metadata value given: " + parts[i];
            return null;
        }
        if (name == null) {
            err[0] = "Library name was not given";
            return null;
        }
        if (!validName(name)) {
            err[0] = BAD_NAME;
            return null;
        }
        if (!engine.equalsIgnoreCase("lua")) {
            err[0] = "Engine '" + engine + "' not found";
            return null;
        }
        Library old = libs.get(name);
        if (old != null && !replace) {
            err[0] = "Library '" + name + "' already exists";
            return null;
        }
        Library lib = new Library(name, code);
        // The code after the shebang line, its newline kept so line numbers count as Redis's do.
        byte[] body = Arrays.copyOfRange(code, nl, code.length);
        if (!compileAndRegister(lib, body, timeout, err)) return null;
        if (lib.functions.isEmpty()) {
            err[0] = "No functions registered";
            return null;
        }
        for (Fn f : lib.functions.values()) {
            Fn other = fns.get(f.name);
            if (other != null && (old == null || !old.functions.containsKey(f.name))) {
                err[0] = "Function " + f.name + " already exists";
                return null;
            }
        }
        if (old != null) unlink(libs, fns, old);
        link(libs, fns, lib);
        return name;
    }

    private static boolean validName(String name) {
        if (name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (!(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_')) return false;
        }
        return true;
    }

    private static void link(Map<String, Library> libs, Map<String, Fn> fns, Library lib) {
        libs.put(lib.name, lib);
        for (Fn f : lib.functions.values()) fns.put(f.name, f);
    }

    private static void unlink(Map<String, Library> libs, Map<String, Fn> fns, Library lib) {
        libs.remove(lib.name);
        for (String f : lib.functions.keySet()) fns.remove(f);
    }

    /** luaEngineCreate: compiles the body and runs it with only the load API visible. */
    private boolean compileAndRegister(Library lib, byte[] body, boolean timeout, String[] err) {
        Globals g = scripting.functionState();
        ensureEnv(g);
        LuaFunction chunk;
        try {
            chunk = (LuaFunction) g.load(new ByteArrayInputStream(body), "@user_function", "t", env);
        } catch (LuaError e) {
            err[0] = "Error compiling function: " + Scripting.luaMessage(e);
            return false;
        }
        envMeta.rawset("__index", loadApi);
        loading = lib;
        scripting.beginLibraryLoad(timeout ? LOAD_TIMEOUT_MS : 0);
        try {
            chunk.call();
            return true;
        } catch (LuaError e) {
            err[0] = "Error registering functions: " + loadError(e);
            return false;
        } catch (StackOverflowError e) {
            err[0] = "Error registering functions: stack overflow";
            return false;
        } finally {
            scripting.endLibraryLoad();
            loading = null;
            envMeta.rawset("__index", g);
        }
    }

    /** luaExtractErrorInformation's message: an error table's err field, else the error string. */
    private static String loadError(LuaError e) {
        LuaValue obj = e.getMessageObject();
        if (obj != null && obj.istable() && obj.get("err").isstring()) return obj.get("err").tojstring();
        String msg = Scripting.luaMessage(e);
        // Redis raises the protected-globals error through luaPushError, which gives it an ERR code.
        if (msg.contains("Script attempted to access nonexistent global variable")) msg = "ERR " + msg;
        return msg;
    }

    private static LuaError loadFailure(String msg) {
        LuaTable t = new LuaTable();
        t.rawset("err", LuaValue.valueOf("ERR " + msg));
        return new LuaError(t);
    }

    /** The chunks' shared environment and the load-time API: {@code redis.register_function}, log, LOG_*, version. */
    private void ensureEnv(Globals g) {
        if (env != null) return;
        LuaValue redis = g.get("redis");
        LuaTable api = new LuaTable();
        api.rawset("register_function", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                registerFunction(a);
                return LuaValue.NONE;
            }
        });
        for (String k : new String[]{"log", "LOG_DEBUG", "LOG_VERBOSE", "LOG_NOTICE", "LOG_WARNING", "REDIS_VERSION",
                "REDIS_VERSION_NUM"}) {
            api.rawset(k, redis.get(k));
        }
        LuaTable missing = new LuaTable();
        missing.rawset("__index", new TwoArgFunction() {
            @Override
            public LuaValue call(LuaValue t, LuaValue k) {
                throw new LuaError("Script attempted to access nonexistent global variable '" + k.tojstring() + "'", 2);
            }
        });
        api.setmetatable(missing);
        loadApi = new LuaTable();
        loadApi.rawset("redis", api);
        loadApi.setmetatable(missing);
        // A Globals (not a plain table): LuaJ gives a closure the debug hooks of its environment only when that
        // environment is a Globals, and FUNCTION KILL / the load timeout go through the count hook.
        Globals hooked = new Globals();
        hooked.debuglib = g.debuglib;
        hooked.running = g.running;
        env = hooked;
        envMeta = new LuaTable();
        envMeta.rawset("__index", g);
        envMeta.rawset("__newindex", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                throw new LuaError("Attempt to modify a readonly table", 2);
            }
        });
        envMeta.rawset("__metatable", LuaValue.FALSE);
        env.setmetatable(envMeta);
    }

    /** redis.register_function(name, fn) or redis.register_function{function_name=, callback=, flags=, description=}. */
    private void registerFunction(Varargs a) {
        Library lib = loading;
        if (lib == null) throw loadFailure("redis.register_function can only be called on FUNCTION LOAD command");
        int argc = a.narg();
        if (argc < 1 || argc > 2) throw loadFailure("wrong number of arguments to redis.register_function");
        String name;
        String desc = null;
        int flags = 0;
        LuaFunction callback;
        if (argc == 1) {
            if (!a.arg1().istable()) {
                throw loadFailure("calling redis.register_function with a single argument is only applicable to Lua "
                        + "table (representing named arguments).");
            }
            LuaTable t = (LuaTable) a.arg1();
            name = null;
            callback = null;
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs n = t.next(k);
                if ((k = n.arg1()).isnil()) break;
                LuaValue v = n.arg(2);
                if (!k.isstring()) throw loadFailure("named argument key given to redis.register_function is not a string");
                String key = k.tojstring().toLowerCase(Locale.ROOT);
                switch (key) {
                    case "function_name" -> {
                        if (!v.isstring()) {
                            throw loadFailure("function_name argument given to redis.register_function must be a string");
                        }
                        name = v.tojstring();
                    }
                    case "description" -> {
                        if (!v.isstring()) {
                            throw loadFailure("description argument given to redis.register_function must be a string");
                        }
                        desc = v.tojstring();
                    }
                    case "callback" -> {
                        if (!v.isfunction()) {
                            throw loadFailure("callback argument given to redis.register_function must be a function");
                        }
                        callback = (LuaFunction) v;
                    }
                    case "flags" -> {
                        if (!v.istable()) {
                            throw loadFailure("flags argument to redis.register_function must be a table representing "
                                    + "function flags");
                        }
                        flags = readFlags((LuaTable) v);
                        if (flags < 0) throw loadFailure("unknown flag given");
                    }
                    default -> throw loadFailure("unknown argument given to redis.register_function");
                }
            }
            if (name == null) throw loadFailure("redis.register_function must get a function name argument");
            if (callback == null) throw loadFailure("redis.register_function must get a callback argument");
        } else {
            if (!a.arg1().isstring()) throw loadFailure("first argument to redis.register_function must be a string");
            if (!a.arg(2).isfunction()) throw loadFailure("second argument to redis.register_function must be a function");
            name = a.arg1().tojstring();
            callback = (LuaFunction) a.arg(2);
        }
        if (!validName(name)) throw loadFailure(BAD_NAME);
        if (lib.functions.containsKey(name)) throw loadFailure("Function already exists in the library");
        lib.functions.put(name, new Fn(name, desc, flags, callback));
    }

    /** The flags table {'no-writes', ...} (case-insensitive, as strcasecmp); -1 on an unknown flag. */
    private static int readFlags(LuaTable t) {
        int flags = 0;
        for (int j = 1; ; j++) {
            LuaValue v = t.get(j);
            if (v.isnil()) break;
            if (!v.isstring()) return -1;
            String s = v.tojstring();
            int found = -1;
            for (int i = 0; i < FLAG_NAMES.length; i++) if (FLAG_NAMES[i].equalsIgnoreCase(s)) found = i;
            if (found < 0) return -1;
            flags |= 1 << found;
        }
        return flags;
    }

    // ---- FCALL --------------------------------------------------------------------------------

    /** FCALL / FCALL_RO function numkeys key... arg...: runs the function, its reply written to {@code c.reply}. */
    public void fcall(CallContext c, byte[][] argv, boolean ro) {
        synchronized (scripting) {
            Fn f = functions.get(new String(argv[1], StandardCharsets.ISO_8859_1));
            if (f == null) throw new RedisException("ERR Function not found");
            long numkeys;
            try {
                numkeys = Long.parseLong(new String(argv[2], StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new RedisException("ERR Bad number of keys provided");
            }
            if (numkeys > argv.length - 3) throw new RedisException("ERR Number of keys can't be greater than number of args");
            if (numkeys < 0) throw new RedisException("ERR Number of keys can't be negative");
            checkFlags(c, f, ro);
            LuaTable keys = new LuaTable();
            LuaTable args = new LuaTable();
            Scripting.fillKeysAndArgs(argv, (int) numkeys, keys, args);
            scripting.run(c, f.callback, LuaValue.varargsOf(keys, args), ro || (f.flags & NO_WRITES) != 0, f.name,
                    "user_function", argv);
        }
    }

    /** scriptPrepareForRun's checks of the function's flags. */
    private void checkFlags(CallContext c, Fn f, boolean ro) {
        boolean loadingData = server.loading();
        if ((f.flags & ALLOW_OOM) == 0 && !loadingData) {
            long mm = server.keyspace().maxMemory();
            if (mm > 0 && server.keyspace().usedMemory() >= mm && !server.keyspace().freeUntilUnderLimit()) {
                throw new RedisException("OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'");
            }
        }
        if ((f.flags & NO_WRITES) == 0) {
            String err = loadingData ? null : server.writeError();
            if (err != null) {
                if (err.startsWith("MISCONF Errors writing to the AOF")) throw new RedisException(err);
                throw new RedisException("MISCONF Redis is configured to save RDB snapshots, but it's currently unable "
                        + "to persist to disk. Writable scripts are blocked. Use 'no-writes' flag for read only scripts.");
            }
            if (ro) throw new RedisException("ERR Can not execute a script with write flag using *_ro command.");
        }
    }

    // ---- DELETE, LIST, FLUSH, STATS -----------------------------------------------------------

    /** FUNCTION DELETE: false if there is no such library. */
    public boolean delete(String name) {
        synchronized (scripting) {
            Library lib = libraries.get(name);
            if (lib == null) return false;
            unlink(libraries, functions, lib);
            recount();
            return true;
        }
    }

    /** FUNCTION FLUSH. */
    public void flush() {
        synchronized (scripting) {
            libraries = new LinkedHashMap<>();
            functions = new HashMap<>();
            recount();
        }
    }

    /** A snapshot of the libraries, in load order. */
    public List<Library> libraries() {
        synchronized (scripting) {
            return new ArrayList<>(libraries.values());
        }
    }

    public int functionCount() {
        return functions.size(); // no lock: see the fields
    }

    /** The code of every library, in load order: what an AOF rewrite writes as FUNCTION LOAD commands. */
    public List<byte[]> codes() {
        synchronized (scripting) {
            List<byte[]> out = new ArrayList<>(libraries.size());
            for (Library l : libraries.values()) out.add(l.code);
            return out;
        }
    }

    // ---- DUMP / RESTORE -----------------------------------------------------------------------

    /**
     * FUNCTION DUMP: per library RDB_OPCODE_FUNCTION2 and its code as an RDB string (LZF-compressed when
     * longer than 20 bytes and compressible, as rdbSaveRawString with rdbcompression on), then the RDB
     * version (2 bytes LE) and the CRC64 of all that (8 bytes LE).
     */
    public byte[] dump() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] code : codes()) {
            out.write(RDB_OPCODE_FUNCTION2);
            writeRdbString(out, code);
        }
        out.write(RDB_VERSION & 0xff);
        out.write((RDB_VERSION >> 8) & 0xff);
        byte[] body = out.toByteArray();
        long crc = Crc64.crc64(body, body.length);
        for (int i = 0; i < 8; i++) out.write((int) (crc >>> (8 * i)) & 0xff);
        return out.toByteArray();
    }

    static void writeRdbString(ByteArrayOutputStream out, byte[] s) {
        if (s.length > 20) {
            byte[] z = Lzf.compress(s, s.length - 4);
            if (z != null) {
                out.write(0xC3); // RDB_ENCVAL << 6 | RDB_ENC_LZF
                writeRdbLength(out, z.length);
                writeRdbLength(out, s.length);
                out.writeBytes(z);
                return;
            }
        }
        writeRdbLength(out, s.length);
        out.writeBytes(s);
    }

    private static void writeRdbLength(ByteArrayOutputStream out, long len) {
        if (len < (1 << 6)) {
            out.write((int) len);
        } else if (len < (1 << 14)) {
            out.write((int) ((len >> 8) | 0x40));
            out.write((int) (len & 0xff));
        } else if (len <= 0xffffffffL) {
            out.write(0x80);
            for (int i = 3; i >= 0; i--) out.write((int) (len >>> (8 * i)) & 0xff);
        } else {
            out.write(0x81);
            for (int i = 7; i >= 0; i--) out.write((int) (len >>> (8 * i)) & 0xff);
        }
    }

    /** The policy of FUNCTION RESTORE. */
    public enum RestorePolicy { APPEND, REPLACE, FLUSH }

    /** FUNCTION RESTORE payload policy: a refusal throws Redis's text and leaves the libraries as they were. */
    public void restore(byte[] payload, RestorePolicy policy) {
        int n = payload.length;
        if (!verifyPayload(payload)) throw new RedisException("ERR DUMP payload version or checksum are wrong");
        synchronized (scripting) {
            Map<String, Library> libs = new LinkedHashMap<>();
            Map<String, Fn> fns = new HashMap<>();
            int[] pos = {0};
            String[] err = new String[1];
            while (n - pos[0] > 10) {
                int type = payload[pos[0]++] & 0xff;
                if (type == RDB_OPCODE_FUNCTION_PRE_GA) throw new RedisException("ERR Pre-GA function format not supported");
                if (type != RDB_OPCODE_FUNCTION2) throw new RedisException("ERR given type is not a function");
                byte[] code = readRdbString(payload, pos, n - 10);
                if (code == null) throw new RedisException("ERR failed loading the given functions payload");
                if (create(code, false, libs, fns, false, err) == null) throw new RedisException("ERR " + err[0]);
            }
            if (policy == RestorePolicy.FLUSH) {
                libraries = libs;
                functions = fns;
                recount();
                return;
            }
            join(libs, fns, policy == RestorePolicy.REPLACE);
        }
    }

    /** libraryJoin: adds {@code libs} to the current libraries; a collision aborts with nothing changed. */
    private void join(Map<String, Library> libs, Map<String, Fn> fns, boolean replace) {
        Map<String, Library> dstLibs = new LinkedHashMap<>(libraries);
        Map<String, Fn> dstFns = new HashMap<>(functions);
        for (Library l : libs.values()) {
            Library old = dstLibs.get(l.name);
            if (old == null) continue;
            if (!replace) throw new RedisException("ERR Library " + l.name + " already exists");
            unlink(dstLibs, dstFns, old);
        }
        for (String f : fns.keySet()) {
            if (dstFns.containsKey(f)) throw new RedisException("ERR Function " + f + " already exists");
        }
        for (Library l : libs.values()) link(dstLibs, dstFns, l);
        libraries = dstLibs;
        functions = dstFns;
        recount();
    }

    /** used_memory_functions and used_memory_vm_functions, recomputed under the lock after every change. */
    private volatile long overheadBytes = FUNCTIONS_BASE_BYTES;
    private volatile long vmBytes;
    /** Redis 7.2's used_memory_functions with no library (the library context and its empty dicts). */
    private static final long FUNCTIONS_BASE_BYTES = 184;

    private void recount() {
        long overhead = FUNCTIONS_BASE_BYTES;
        long vm = 0;
        for (Library l : libraries.values()) {
            // the library: its name, its code (kept for FUNCTION LIST WITHCODE / DUMP), its map entry
            overhead += 64 + 2L * l.name.length() + 16 + l.code.length + 48;
            for (Fn f : l.functions.values()) {
                overhead += 64 + 2L * f.name.length() + (f.description == null ? 0 : 2L * f.description.length()) + 96;
                if (f.callback instanceof org.luaj.vm2.LuaClosure c) vm += Scripting.prototypeBytes(c.p);
            }
        }
        overheadBytes = overhead;
        vmBytes = vm;
    }

    /** used_memory_functions: what the function registry holds (libraries, their code, the functions). */
    public long memoryOverhead() {
        return overheadBytes;
    }

    /** used_memory_vm_functions: the functions' Lua state (estimated as {@link Scripting#evalVmMemory}). */
    public long vmMemory() {
        return (libraries.isEmpty() ? 0 : Scripting.STATE_BASE_BYTES) + vmBytes;
    }

    /** verifyDumpPayload: at least 10 bytes, an RDB version Keyline reads (≤ 11), and a matching CRC64. */
    static boolean verifyPayload(byte[] p) {
        int n = p.length;
        if (n < 10) return false;
        int ver = (p[n - 10] & 0xff) | (p[n - 9] & 0xff) << 8;
        if (ver > RDB_VERSION) return false;
        long crc = 0;
        for (int i = 0; i < 8; i++) crc |= (long) (p[n - 8 + i] & 0xff) << (8 * i);
        return Crc64.crc64(p, n - 8) == crc;
    }

    /** An RDB string at pos[0] (plain, integer-encoded or LZF), reading no further than {@code end}; null if malformed. */
    static byte[] readRdbString(byte[] p, int[] pos, int end) {
        if (pos[0] >= end) return null;
        int first = p[pos[0]] & 0xff;
        if ((first >> 6) == 3) {
            pos[0]++;
            int enc = first & 0x3f;
            switch (enc) {
                case 0, 1, 2 -> {
                    int size = 1 << enc;
                    if (pos[0] + size > end) return null;
                    long v = 0;
                    for (int i = 0; i < size; i++) v |= (long) (p[pos[0] + i] & 0xff) << (8 * i);
                    if (size == 1) v = (byte) v;
                    else if (size == 2) v = (short) v;
                    else v = (int) v;
                    pos[0] += size;
                    return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
                }
                case 3 -> {
                    long clen = readRdbLength(p, pos, end);
                    long len = readRdbLength(p, pos, end);
                    if (clen < 0 || len < 0 || pos[0] + clen > end || len > Integer.MAX_VALUE) return null;
                    byte[] out = Lzf.decompress(p, pos[0], (int) clen, (int) len);
                    pos[0] += (int) clen;
                    return out;
                }
                default -> {
                    return null;
                }
            }
        }
        long len = readRdbLength(p, pos, end);
        if (len < 0 || pos[0] + len > end) return null;
        byte[] out = Arrays.copyOfRange(p, pos[0], pos[0] + (int) len);
        pos[0] += (int) len;
        return out;
    }

    private static long readRdbLength(byte[] p, int[] pos, int end) {
        if (pos[0] >= end) return -1;
        int b = p[pos[0]++] & 0xff;
        switch (b >> 6) {
            case 0:
                return b & 0x3f;
            case 1:
                if (pos[0] >= end) return -1;
                return ((long) (b & 0x3f) << 8) | (p[pos[0]++] & 0xff);
            default:
                int size = b == 0x80 ? 4 : b == 0x81 ? 8 : -1;
                if (size < 0 || pos[0] + size > end) return -1;
                long v = 0;
                for (int i = 0; i < size; i++) v = (v << 8) | (p[pos[0]++] & 0xff);
                return v;
        }
    }

    /** For tests and INFO: the number of libraries. */
    public int libraryCount() {
        return libraries.size(); // no lock: see the fields
    }

    static Collection<String> flagNames(int flags) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < FLAG_NAMES.length; i++) if ((flags & (1 << i)) != 0) out.add(FLAG_NAMES[i]);
        return out;
    }
}
