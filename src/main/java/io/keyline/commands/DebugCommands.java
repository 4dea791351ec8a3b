package io.keyline.commands;

import io.keyline.engine.Handler;
import io.keyline.store.Strings;
import io.keyline.engine.KeySpec;

import io.keyline.engine.Args;
import io.keyline.engine.CallContext;
import io.keyline.engine.CommandSpec;
import io.keyline.engine.CommandTable;
import io.keyline.engine.Errors;
import io.keyline.engine.Help;
import io.keyline.engine.RedisException;

import io.keyline.engine.CommandSpec.Flag;
import io.keyline.protocol.Doubles;
import io.keyline.util.Bytes;
import io.keyline.store.Database;
import io.keyline.store.Entry;
import io.keyline.store.Keyspace;
import io.keyline.store.Memory;
import io.keyline.store.StringEncoding;
import io.keyline.store.type.HashValue;
import io.keyline.store.type.ListValue;
import io.keyline.store.type.SetValue;
import io.keyline.store.type.SortedSetValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * DEBUG (the subset tests and tools use) and MEMORY. DEBUG is allowed according to
 * {@code enable-debug-command} (no / yes / local), exactly as Redis checks it.
 */
final class DebugCommands {
    /**
     * Looked up when used rather than held in a static field: the launcher builds the command table
     * while it sets up SLF4J, and a logger obtained meanwhile could make this thread SLF4J's
     * initialiser (see io.keyline.server.StartAhead).
     */
    private static Logger log() {
        return LoggerFactory.getLogger(DebugCommands.class);
    }
    private static final String NOT_ALLOWED = "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", "
            + "you can run it from a local connection, otherwise you need to set this option in the configuration file, "
            + "and then restart the server.";

    private DebugCommands() {
    }

    static void register(CommandTable t) {
        t.command("debug", -2).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE, Flag.PROTECTED).group("server")
                .doc("A container for debugging commands.", "1.0.0", "Depends on subcommand.")
                .handler(Op.DEBUG);
        CommandSpec memory = t.command("memory", -2).group("server")
                .doc("A container for memory diagnostics commands.", "4.0.0", "Depends on subcommand.").handler(null);
        t.subcommand(memory, "usage", -3).flags(Flag.READONLY).keys(2, 2, 1)
                .doc("Estimates the memory usage of a key.", "4.0.0", "O(N) where N is the number of samples.")
                .keySpec(KeySpec.index(2).range(0, 1, 0).flags("RO"))
                .handler(Op.MEMORY_USAGE);
        t.subcommand(memory, "stats", 2).doc("Returns details about memory usage.", "4.0.0", "O(1)")
                .tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special")
                .handler(Op.MEMORY_STATS);
        t.subcommand(memory, "doctor", 2).doc("Outputs a memory problems report.", "4.0.0", "O(1)")
                .tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special")
                .handler(Op.MEMORY_DOCTOR);
        t.subcommand(memory, "malloc-stats", 2).doc("Returns the allocator statistics.", "4.0.0", "Depends on how much memory is allocated, could be slow")
                .tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special")
                .handler(Op.MEMORY_MALLOC_STATS);
        t.subcommand(memory, "purge", 2).doc("Asks the allocator to release memory.", "4.0.0", "Depends on how much memory is allocated, could be slow")
                .tips("request_policy:all_shards", "response_policy:all_succeeded")
                .handler(Op.MEMORY_PURGE);
        t.subcommand(memory, "help", 2).flags(Flag.LOADING, Flag.STALE)
                .doc("Returns helpful text about the different subcommands.", "4.0.0", "O(1)")
                .handler(Op.MEMORY_HELP);
    }

    // ---- DEBUG -------------------------------------------------------------------------------

    /** DEBUG subcommand [arg ...] */
    static void debug(CallContext c, byte[][] argv) {
        String mode = c.server().config().get("enable-debug-command");
        if (!(mode.equals("yes") || (mode.equals("local") && Clients.isLocal(c)))) throw new RedisException(NOT_ALLOWED);
        String sub = Args.lower(argv[1]);
        switch (sub) {
            case "help" -> help(c);
            case "sleep" -> sleep(c, argv);
            case "set-active-expire" -> {
                if (argv.length != 3) throw Clients.subcommandSyntax("DEBUG", argv[1]);
                boolean on = atoi(argv[2]) != 0;
                c.server().config().set("active-expire-enabled", on ? "yes" : "no", true);
                c.reply.ok();
            }
            case "object" -> object(c, argv);
            case "digest" -> {
                if (argv.length != 2) throw Clients.subcommandSyntax("DEBUG", argv[1]);
                c.reply.simple(hex(datasetDigest(c.server().keyspace())));
            }
            case "digest-value" -> digestValue(c, argv);
            case "protocol" -> protocol(c, argv);
            case "log" -> {
                if (argv.length != 3) throw Clients.subcommandSyntax("DEBUG", argv[1]);
                log().warn("DEBUG LOG: {}", Args.str(argv[2]));
                c.reply.ok();
            }
            case "error" -> {
                if (argv.length != 3) throw Clients.subcommandSyntax("DEBUG", argv[1]);
                c.reply.error(Args.str(argv[2]));
            }
            case "reload" -> PersistenceCommands.debugReload(c, argv);
            case "loadaof" -> PersistenceCommands.debugLoadAof(c, argv);
            case "quicklist-packed-threshold" -> quicklistPackedThreshold(c, argv);
            default -> throw Clients.subcommandSyntax("DEBUG", argv[1]);
        }
    }

    private static void help(CallContext c) {
        Help.reply(c, "DEBUG",
                "DIGEST",
                "    Output a hex signature representing the current DB content.",
                "DIGEST-VALUE <key> [<key> ...]",
                "    Output a hex signature of the values of all the specified keys.",
                "ERROR <string>",
                "    Return a Redis protocol error with <string> as message. Useful for clients",
                "    unit tests to simulate Redis errors.",
                "LOADAOF",
                "    Flush the AOF buffers on disk and reload the AOF in memory.",
                "LOG <message>",
                "    Write <message> to the server log.",
                "OBJECT <key>",
                "    Show low level info about `key` and associated value.",
                "PROTOCOL <type>",
                "    Reply with a test value of the specified type. <type> can be: string,",
                "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
                "    true, false.",
                "QUICKLIST-PACKED-THRESHOLD <size>",
                "    Sets the threshold for elements to be inserted as plain vs packed nodes",
                "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
                "RELOAD [option ...]",
                "    Save the snapshot on disk and reload it back to memory. Valid <option> values:",
                "    * MERGE: conflicting keys will be loaded from the snapshot.",
                "    * NOFLUSH: the existing database will not be removed before load, but",
                "      conflicting keys will fail the load.",
                "    * NOSAVE: the database will be loaded from an existing snapshot.",
                "SET-ACTIVE-EXPIRE <0|1>",
                "    Setting it to 0 disables expiring keys in background when they are not",
                "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
                "    default.",
                "SLEEP <seconds>",
                "    Stop the server for <seconds>. Decimals allowed.");
    }

    /**
     * DEBUG QUICKLIST-PACKED-THRESHOLD size: the element length from which a quicklist stores an
     * element in a plain node of its own. {@code size} in Redis's memory syntax (memtoull).
     */
    private static void quicklistPackedThreshold(CallContext c, byte[][] argv) {
        if (argv.length != 3) throw Clients.subcommandSyntax("DEBUG", argv[1]);
        long bytes = memtoull(argv[2]);
        if (bytes < 0 || !io.keyline.store.type.ListValue.setPackedThreshold(bytes)) {
            throw new RedisException("ERR argument must be a memory value bigger than 1 and smaller than 4gb");
        }
        c.reply.ok();
    }

    /**
     * Redis's memtoull: digits then an optional unit (b, k = 1000, kb = 1024, m, mb, g, gb, any
     * case); no sign, no spaces. No digits reads as 0 (strtoull). -1 when malformed or beyond
     * 2^63 (every such size is out of range for the callers anyway).
     */
    static long memtoull(byte[] arg) {
        String s = Args.str(arg);
        if (s.startsWith("-")) return -1;
        int u = 0;
        while (u < s.length() && s.charAt(u) >= '0' && s.charAt(u) <= '9') u++;
        long mul = switch (s.substring(u).toLowerCase(java.util.Locale.ROOT)) {
            case "", "b" -> 1;
            case "k" -> 1000;
            case "kb" -> 1024;
            case "m" -> 1000 * 1000;
            case "mb" -> 1024 * 1024;
            case "g" -> 1000L * 1000 * 1000;
            case "gb" -> 1024L * 1024 * 1024;
            default -> -1;
        };
        if (mul < 0 || u >= 128) return -1;
        if (u == 0) return 0;
        try {
            return Math.multiplyExact(Long.parseLong(s.substring(0, u)), mul);
        } catch (NumberFormatException | ArithmeticException e) {
            return -1;
        }
    }

    /** C's atoi: leading digits with optional sign, 0 when there are none. */
    private static long atoi(byte[] b) {
        String s = Args.str(b).trim();
        int i = 0;
        boolean neg = false;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) neg = s.charAt(i++) == '-';
        long v = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i)) && v < Integer.MAX_VALUE) v = v * 10 + (s.charAt(i++) - '0');
        return neg ? -v : v;
    }

    /**
     * DEBUG SLEEP seconds: pauses this connection's event loop thread, holding no stripe lock, so
     * clients on other event loops carry on (Redis would stop everything).
     */
    private static void sleep(CallContext c, byte[][] argv) {
        if (argv.length != 3) throw Clients.subcommandSyntax("DEBUG", argv[1]);
        double seconds;
        try {
            seconds = Double.parseDouble(Args.str(argv[2]).trim());
        } catch (NumberFormatException e) {
            seconds = 0; // strtod semantics: garbage reads as 0
        }
        long nanos = (long) (Math.max(0, seconds) * 1e9);
        if (nanos > 0) {
            try {
                Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        c.reply.ok();
    }

    /** DEBUG OBJECT key: Redis's one-line description. DEBUG declares no keys, so it takes the stripe itself. */
    private static void object(CallContext c, byte[][] argv) {
        if (argv.length != 3) throw Clients.subcommandSyntax("DEBUG", argv[1]);
        Keyspace ks = c.server().keyspace();
        int stripe = ks.stripeOf(argv[2]);
        ks.lock(stripe);
        String line;
        try {
            Entry e = c.db().lookupNoTouch(argv[2]);
            if (e == null) throw new RedisException(Errors.NO_SUCH_KEY);
            Object v = e.value();
            long idle = ks.idleSeconds(e);
            long lru = ((ks.clock().millis() / 1000) - idle) & ((1 << 24) - 1);
            line = String.format(Locale.ROOT, "Value at:0x%x refcount:%d encoding:%s serializedlength:%d lru:%d lru_seconds_idle:%d",
                    0x7f0000000000L | (System.identityHashCode(v) * 16L), refcount(c, v), encoding(v), serializedLength(v), lru, idle);
        } finally {
            ks.unlock(stripe);
        }
        c.reply.simple(line);
    }

    /** Redis shares the integers 0..9999 (refcount INT_MAX) unless an LRU/LFU policy needs per-key objects. */
    private static long refcount(CallContext c, Object v) {
        if (v instanceof byte[] b && b.length <= 4 && StringEncoding.of(b).equals(StringEncoding.INT)) {
            Long n = Bytes.parseLongOrError(b);
            String policy = c.server().config().get("maxmemory-policy");
            if (n != null && n >= 0 && n < 10000 && !policy.contains("lru") && !policy.contains("lfu")) return Integer.MAX_VALUE;
        }
        return 1;
    }

    /** Redis's encoding name (OBJECT ENCODING's logic; {@link io.keyline.store.TypedValue} for non-strings). */
    static String encoding(Object v) {
        return ObjectCommand.encodingOf(v);
    }

    private static long serializedLength(Object v) {
        if (Strings.isString(v)) {
            byte[] b = Strings.bytes(v);
            Long n = b.length <= 20 ? Bytes.parseLongOrError(b) : null;
            if (n != null) {
                if (n >= Byte.MIN_VALUE && n <= Byte.MAX_VALUE) return 2;
                if (n >= Short.MIN_VALUE && n <= Short.MAX_VALUE) return 3;
                if (n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) return 5;
            }
            int prefix = b.length < 64 ? 1 : b.length < 16384 ? 2 : 5;
            return prefix + b.length;
        }
        return Memory.value(v);
    }

    /** DEBUG DIGEST-VALUE key [key ...] */
    private static void digestValue(CallContext c, byte[][] argv) {
        Keyspace ks = c.server().keyspace();
        c.reply.arrayHeader(argv.length - 2);
        for (int i = 2; i < argv.length; i++) {
            int stripe = ks.stripeOf(argv[i]);
            ks.lock(stripe);
            byte[] digest = new byte[20];
            try {
                // Like Redis (a dictFind, not a lookup): logically expired keys are digested, not deleted.
                Entry e = c.db().findIncludingExpired(argv[i]);
                if (e != null) objectDigest(digest, e);
            } finally {
                ks.unlock(stripe);
            }
            c.reply.simple(hex(digest));
        }
    }

    // ---- digests (Redis 7.2's debug.c scheme) ---------------------------------------------------

    static byte[] datasetDigest(Keyspace ks) {
        byte[] total = new byte[20];
        for (int d = 0; d < ks.databaseCount(); d++) {
            Database db = ks.db(d);
            if (db.size() == 0) continue;
            mixDigest(total, new byte[]{(byte) (d >>> 24), (byte) (d >>> 16), (byte) (d >>> 8), (byte) d});
            // Every entry, logically expired ones included, as Redis walks its dict.
            for (int stripe = 0; stripe < ks.stripes(); stripe++) {
                ks.lock(stripe);
                try {
                    db.forEachInStripe(stripe, e -> {
                        byte[] digest = new byte[20];
                        mixDigest(digest, e.key());
                        objectDigest(digest, e);
                        xorDigest(total, digest); // final ^= SHA1(key-value digest), as Redis does
                    });
                } finally {
                    ks.unlock(stripe);
                }
            }
        }
        return total;
    }

    /**
     * Redis's {@code xorObjectDigest}: the type code, then the value (strings and list elements
     * mixed in order; set members xored; each hash field/value pair and each sorted-set member/score
     * pair mixed into its own digest whose SHA1 is xored in, so order never matters), then {@code !!expire!!}
     * xored in when the key has a TTL. Sorted-set scores are written as Redis 7.2 writes them here
     * ({@code fpconv_dtoa}, e.g. {@code 0.1}); Redis 7.0 used {@code %.17g} ({@code 0.10000000000000001}),
     * so digests of non-integer scores differ from a 7.0 server.
     */
    private static void objectDigest(byte[] digest, Entry e) {
        Object v = e.value();
        int type = typeCode(v);
        mixDigest(digest, new byte[]{(byte) (type >>> 24), (byte) (type >>> 16), (byte) (type >>> 8), (byte) type});
        if (Strings.isString(v)) {
            mixDigest(digest, Strings.bytes(v));
        } else if (v instanceof ListValue list) {
            list.forEach(element -> mixDigest(digest, element));
        } else if (v instanceof SetValue set) {
            set.forEach(member -> xorDigest(digest, member));
        } else if (v instanceof HashValue hash) {
            hash.forEach((field, value) -> {
                byte[] pair = new byte[20];
                mixDigest(pair, field);
                mixDigest(pair, value);
                xorDigest(digest, pair);
            });
        } else if (v instanceof SortedSetValue zset) {
            zset.forEach((member, score) -> {
                byte[] pair = new byte[20];
                mixDigest(pair, member);
                mixDigest(pair, io.keyline.util.DoubleFormat.dtoa(score).getBytes(StandardCharsets.US_ASCII));
                xorDigest(digest, pair);
            });
        } else if (v instanceof io.keyline.store.type.StreamValue stream) {
            // debug.c: each entry as "ms.seq", then its fields and values, in ID order.
            stream.forEach(io.keyline.store.type.StreamValue.Id.ZERO, io.keyline.store.type.StreamValue.Id.MAX, false,
                    (id, fields) -> {
                        mixDigest(digest, (Long.toUnsignedString(id.ms()) + "." + Long.toUnsignedString(id.seq()))
                                .getBytes(StandardCharsets.US_ASCII));
                        for (byte[] f : fields) mixDigest(digest, f);
                        return true;
                    });
        } else {
            // A type added later must teach the digest its layout (Redis's stream digest, for one).
            throw new RedisException("ERR DEBUG DIGEST does not support values of type " + io.keyline.store.TypedValue.typeOf(v));
        }
        if (e.expireAt() >= 0) xorDigest(digest, "!!expire!!".getBytes(StandardCharsets.US_ASCII));
    }

    /** Redis's OBJ_STRING..OBJ_STREAM codes (0..6), from the TYPE name. */
    private static int typeCode(Object v) {
        return switch (io.keyline.store.TypedValue.typeOf(v)) {
            case "string" -> 0;
            case "list" -> 1;
            case "set" -> 2;
            case "zset" -> 3;
            case "hash" -> 4;
            case "stream" -> 6;
            default -> 5;
        };
    }

    private static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void xor(byte[] digest, byte[] other) {
        for (int i = 0; i < 20; i++) digest[i] ^= other[i];
    }

    /** digest ^= SHA1(data) */
    private static void xorDigest(byte[] digest, byte[] data) {
        xor(digest, sha1(data));
    }

    /** digest = SHA1(digest ^ SHA1(data)): order-sensitive mixing. */
    private static void mixDigest(byte[] digest, byte[] data) {
        xorDigest(digest, data);
        System.arraycopy(sha1(digest), 0, digest, 0, 20);
    }

    private static String hex(byte[] digest) {
        StringBuilder sb = new StringBuilder(40);
        for (byte b : digest) sb.append(Character.forDigit((b >>> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        return sb.toString();
    }

    // ---- DEBUG PROTOCOL ------------------------------------------------------------------------

    /** DEBUG PROTOCOL type: Redis's sample reply of each RESP type. */
    private static void protocol(CallContext c, byte[][] argv) {
        if (argv.length != 3) throw Clients.subcommandSyntax("DEBUG", argv[1]);
        var r = c.reply;
        switch (Args.lower(argv[2])) {
            case "string" -> r.bulk("Hello World");
            case "integer" -> r.integer(12345);
            case "double" -> r.doubleValue(3.141);
            case "bignum" -> r.bigNumber("1234567999999999999999999999999999999");
            case "null" -> r.nullBulk();
            case "array" -> {
                r.arrayHeader(3);
                for (int j = 0; j < 3; j++) r.integer(j);
            }
            case "set" -> {
                r.setHeader(3);
                for (int j = 0; j < 3; j++) r.integer(j);
            }
            case "map" -> {
                r.mapHeader(3);
                for (int j = 0; j < 3; j++) {
                    r.integer(j);
                    r.bool(j == 1);
                }
            }
            case "attrib" -> {
                if (r.resp3()) {
                    r.attributeHeader(1);
                    r.bulk("key-popularity");
                    r.arrayHeader(2);
                    r.bulk("key:123");
                    r.integer(90);
                }
                r.bulk("Some real reply following the attribute");
            }
            case "push" -> {
                if (!r.resp3()) throw new RedisException("ERR RESP2 is not supported by this command");
                r.pushHeader(2);
                r.bulk("server-cpu-usage");
                r.integer(42);
                r.bulk("Some real reply following the push reply");
            }
            case "true" -> r.bool(true);
            case "false" -> r.bool(false);
            case "verbatim" -> r.verbatim("This is a verbatim\nstring");
            default -> throw new RedisException("ERR Wrong protocol type name. Please use one of the following: "
                    + "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
        }
    }

    // ---- MEMORY ------------------------------------------------------------------------------

    /** MEMORY USAGE key [SAMPLES count] */
    static void memoryUsage(CallContext c, byte[][] argv) {
        for (int j = 3; j < argv.length; j++) {
            if (Args.is(argv[j], "samples") && j + 1 < argv.length) {
                if (Args.toLong(argv[j + 1]) < 0) throw Errors.syntax();
                j++;
            } else {
                throw Errors.syntax();
            }
        }
        Entry e = c.db().lookupNoTouch(argv[2]);
        if (e == null) {
            c.reply.nullBulk();
            return;
        }
        long bytes = e.footprint();
        c.reply.integer(bytes);
    }

    /** MEMORY STATS: the subset of Redis's fields Keyline can measure. */
    static void memoryStats(CallContext c, byte[][] argv) {
        Keyspace ks = c.server().keyspace();
        long used = ks.usedMemory();
        long keys = ks.keyCount();
        long peak = Math.max(used, Info.Rates.of(c.server()).peak(used));
        var r = c.reply;
        r.mapHeader(9);
        r.bulk("peak.allocated");
        r.integer(peak);
        r.bulk("total.allocated");
        r.integer(used);
        r.bulk("startup.allocated");
        r.integer(0);
        r.bulk("overhead.total");
        r.integer(0);
        r.bulk("keys.count");
        r.integer(keys);
        r.bulk("keys.bytes-per-key");
        r.integer(keys == 0 ? 0 : used / keys);
        r.bulk("dataset.bytes");
        r.integer(used);
        r.bulk("dataset.percentage");
        r.doubleValue(used == 0 ? 0 : 100.0);
        r.bulk("peak.percentage");
        r.doubleValue(peak == 0 ? 0 : used * 100.0 / peak);
    }

    /** MEMORY DOCTOR */
    static void memoryDoctor(CallContext c, byte[][] argv) {
        long used = c.server().keyspace().usedMemory();
        if (used < 5L * 1024 * 1024) {
            c.reply.verbatim("Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. "
                    + "Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n");
        } else {
            c.reply.verbatim("Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n");
        }
    }

    /** The handlers of the commands registered above, one class for all of them (see {@link Handler}). */
    private enum Op implements Handler {
        DEBUG, MEMORY_USAGE, MEMORY_STATS, MEMORY_DOCTOR, MEMORY_MALLOC_STATS, MEMORY_PURGE, MEMORY_HELP;

        @Override
        public void handle(CallContext c, byte[][] argv) {
            switch (this) {
                case DEBUG -> debug(c, argv);
                case MEMORY_USAGE -> memoryUsage(c, argv);
                case MEMORY_STATS -> memoryStats(c, argv);
                case MEMORY_DOCTOR -> memoryDoctor(c, argv);
                case MEMORY_MALLOC_STATS -> c.reply.verbatim("Stats not supported for the current allocator");
                case MEMORY_PURGE -> c.reply.ok();
                case MEMORY_HELP -> Help.reply(c, "MEMORY",
                    "DOCTOR",
                    "    Return memory problems reports.",
                    "MALLOC-STATS",
                    "    Return internal statistics report from the memory allocator.",
                    "PURGE",
                    "    Attempt to purge dirty pages for reclamation by the allocator.",
                    "STATS",
                    "    Return information about the memory usage of the server.",
                    "USAGE <key> [SAMPLES <count>]",
                    "    Return memory in bytes used by <key> and its value. Nested values are",
                    "    sampled up to <count> times (default: 5, 0 means sample all).");
            }
        }
    }
}
