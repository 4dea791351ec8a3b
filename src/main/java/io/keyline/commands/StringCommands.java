package io.keyline.commands;

import io.keyline.engine.Handler;
import io.keyline.engine.KeySpec;

import io.keyline.engine.Args;
import io.keyline.engine.CallContext;
import io.keyline.pubsub.KeyspaceEvents;
import io.keyline.engine.CommandTable;
import io.keyline.engine.Errors;
import io.keyline.engine.RedisException;

import io.keyline.engine.CommandSpec.Flag;
import io.keyline.util.Bytes;
import io.keyline.store.Database;
import io.keyline.store.Entry;
import io.keyline.store.LongDouble;
import io.keyline.store.MutableString;
import io.keyline.store.Strings;
import io.keyline.store.StringEncoding;

import java.nio.charset.StandardCharsets;

/**
 * String commands. SET stores the request's {@code byte[]}, or copies a long value into the stored
 * array of the same length ({@link Database#setReusing});
 * APPEND and SETRANGE convert the value to a {@link MutableString} and change it in place
 * (amortised growth); INCR and friends rewrite a short number in place when its length allows
 * ({@link Database#addToInteger}), else store a new array. Read strings through {@link Strings}.
 */
final class StringCommands {
    static final byte[] SET = ascii("SET");
    static final byte[] PXAT = ascii("PXAT");
    static final byte[] KEEPTTL = ascii("KEEPTTL");
    private static final RedisException NOT_INTEGER = Errors.notInteger();
    private static final RedisException OVERFLOW = new RedisException(Errors.OVERFLOW);
    private static final long MIN_PROTO_MAX_BULK_LEN = 1024 * 1024;
    /** The largest byte[] a JVM reliably allocates. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private StringCommands() {
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static final int SET_GET_KEY_FLAGS = KeySpec.bits("RW access update");
    private static final int SET_KEY_FLAGS = KeySpec.bits("OW update");

    /** SET's key reads the old value only with GET (Redis's setGetKeys): for COMMAND GETKEYSANDFLAGS. */
    static int setKeyFlags(byte[][] argv) {
        for (int i = 3; i < argv.length; i++) if (Args.is(argv[i], "get")) return SET_GET_KEY_FLAGS;
        return SET_KEY_FLAGS;
    }

    static void register(CommandTable t) {
        t.command("get", 2).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl("string").group("string")
                .doc("Returns the string value of a key.", "1.0.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.GET);
        t.command("set", -3).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1).acl("string").group("string")
                .doc("Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.", "1.0.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW access update variable_flags")
                        .notes("RW and ACCESS due to the optional `GET` argument")
                        .actualFlags(KeyFlags.SET))
                .handler(Op.SET);
        t.command("setnx", 3).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl("string").group("string")
                .doc("Set the string value of a key only when the key doesn't exist.", "1.0.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("OW insert"))
                .handler(Op.SETNX);
        t.command("setex", 4).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1).acl("string").group("string")
                .doc("Sets the string value and expiration time of a key. Creates the key if it doesn't exist.", "2.0.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("OW update"))
                .handler(Op.SETEX);
        t.command("psetex", 4).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1).acl("string").group("string")
                .doc("Sets both string value and expiration time in milliseconds of a key. The key is created if it doesn't exist.", "2.6.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("OW update"))
                .handler(Op.PSETEX);
        t.command("getset", 3).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl("string").group("string")
                .doc("Returns the previous string value of a key after setting it to a new value.", "1.0.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW access update"))
                .handler(Op.GETSET);
        t.command("getdel", 2).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl("string").group("string")
                .doc("Returns the string value of a key after deleting the key.", "6.2.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW access delete"))
                .handler(Op.GETDEL);
        t.command("getex", -2).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl("string").group("string")
                .doc("Returns the string value of a key after setting its expiration time.", "6.2.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW access update")
                        .notes("RW and UPDATE because it changes the TTL"))
                .handler(Op.GETEX);
        t.command("mget", -2).flags(Flag.READONLY, Flag.FAST).keys(1, -1, 1).acl("string").group("string")
                .doc("Atomically returns the string values of one or more keys.", "1.0.0", "O(N) where N is the number of keys to retrieve.")
                .keySpec(KeySpec.index(1).range(-1, 1, 0).flags("RO access"))
                .tips("request_policy:multi_shard")
                .handler(Op.MGET);
        t.command("mset", -3).flags(Flag.WRITE, Flag.DENYOOM).keys(1, -1, 2).acl("string").group("string")
                .doc("Atomically creates or modifies the string values of one or more keys.", "1.0.1", "O(N) where N is the number of keys to set.")
                .keySpec(KeySpec.index(1).range(-1, 2, 0).flags("OW update"))
                .tips("request_policy:multi_shard", "response_policy:all_succeeded")
                .handler(Op.MSET);
        t.command("msetnx", -3).flags(Flag.WRITE, Flag.DENYOOM).keys(1, -1, 2).acl("string").group("string")
                .doc("Atomically modifies the string values of one or more keys only when all keys don't exist.", "1.0.1",
                        "O(N) where N is the number of keys to set.")
                .keySpec(KeySpec.index(1).range(-1, 2, 0).flags("OW insert"))
                .tips("request_policy:multi_shard", "response_policy:agg_min")
                .handler(Op.MSETNX);
        t.command("append", 3).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl("string").group("string")
                .doc("Appends a string to the value of a key. Creates the key if it doesn't exist.", "2.0.0",
                        "O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW insert"))
                .handler(Op.APPEND);
        t.command("strlen", 2).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl("string").group("string")
                .doc("Returns the length of a string value.", "2.2.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO"))
                .handler(Op.STRLEN);
        String rangeComplexity = "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.";
        t.command("getrange", 4).flags(Flag.READONLY).keys(1, 1, 1).acl("string").group("string")
                .doc("Returns a substring of the string stored at a key.", "2.4.0", rangeComplexity)
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.GETRANGE);
        t.command("substr", 4).flags(Flag.READONLY).keys(1, 1, 1).acl("string").group("string")
                .doc("Returns a substring from a string value.", "1.0.0", rangeComplexity)
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.SUBSTR);
        t.command("setrange", 4).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1).acl("string").group("string")
                .doc("Overwrites a part of a string value with another by an offset. Creates the key if it doesn't exist.", "2.2.0",
                        "O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW update"))
                .handler(Op.SETRANGE);
        t.command("incr", 2).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl("string").group("string")
                .doc("Increments the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.", "1.0.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW access update"))
                .handler(Op.INCR);
        t.command("decr", 2).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl("string").group("string")
                .doc("Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.", "1.0.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW access update"))
                .handler(Op.DECR);
        t.command("incrby", 3).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl("string").group("string")
                .doc("Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn't exist.", "1.0.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW access update"))
                .handler(Op.INCRBY);
        t.command("decrby", 3).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl("string").group("string")
                .doc("Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn't exist.", "1.0.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW access update"))
                .handler(Op.DECRBY);
        t.command("incrbyfloat", 3).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl("string").group("string")
                .doc("Increment the floating point value of a key by a number. Uses 0 as initial value if the key doesn't exist.", "2.6.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW access update"))
                .handler(Op.INCRBYFLOAT);
        t.command("lcs", -3).flags(Flag.READONLY).keys(1, 2, 1).acl("string").group("string")
                .doc("Finds the longest common substring.", "7.0.0", "O(N*M) where N and M are the lengths of s1 and s2, respectively")
                .keySpec(KeySpec.index(1).range(1, 1, 0).flags("RO access"))
                .handler(Op.LCS);
    }

    /** GET key */
    static void get(CallContext c, byte[][] argv) {
        if (!c.db().readString(argv[1], c.reply)) c.reply.nullBulk();
    }

    /** The string at {@code key} (a byte[] or a MutableString, read with {@link Strings}), null if absent. */
    static Object string(Database db, byte[] key) {
        return db.getAnyOf(key, STRING_TYPES);
    }

    /** The two classes a string value may have; one array, not a varargs array per GET. */
    private static final Class<?>[] STRING_TYPES = {byte[].class, MutableString.class};

    /** GETSET key value */
    static void getset(CallContext c, byte[][] argv) {
        byte[] old = c.db().get(argv[1], byte[].class);
        c.db().set(argv[1], argv[2], Database.NO_TTL);
        c.modified(argv[1]);
        c.notifyKeyspaceEvent(KeyspaceEvents.STRING, "set", argv[1]);
        c.propagateAs(SET, argv[1], argv[2]);
        c.reply.bulk(old);
    }

    /** GETDEL key */
    static void getdel(CallContext c, byte[][] argv) {
        byte[] old = c.db().get(argv[1], byte[].class);
        if (old != null) {
            c.db().delete(argv[1]);
            c.modified(argv[1]);
            c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", argv[1]);
            c.propagateAs(KeyCommands.DEL, argv[1]);
        }
        c.reply.bulk(old);
    }

    /** MGET key [key ...] */
    static void mget(CallContext c, byte[][] argv) {
        c.reply.arrayHeader(argv.length - 1);
        Database db = c.db();
        for (int i = 1; i < argv.length; i++) {
            Object v = db.get(argv[i]);
            if (Strings.isString(v)) c.reply.bulk(Strings.array(v), 0, Strings.length(v));
            else c.reply.nullBulk();
        }
    }

    /** MSET key value [key value ...] */
    static void mset(CallContext c, byte[][] argv) {
        if (argv.length % 2 == 0) throw Errors.wrongArgs("mset");
        setAll(c, argv);
        c.reply.ok();
    }

    /** MSETNX key value [key value ...] */
    static void msetnx(CallContext c, byte[][] argv) {
        if (argv.length % 2 == 0) throw Errors.wrongArgs("msetnx");
        for (int i = 1; i < argv.length; i += 2) {
            if (c.db().exists(argv[i])) {
                c.reply.integer(0);
                return;
            }
        }
        setAll(c, argv);
        c.reply.integer(1);
    }

    private static void setAll(CallContext c, byte[][] argv) {
        boolean reuse = c.mayReuseStoredValues();
        for (int i = 1; i < argv.length; i += 2) {
            if (reuse) {
                if (c.db().setReusing(argv[i], argv[i + 1], argv)) c.argumentCopied(i + 1);
            } else c.db().set(argv[i], argv[i + 1], Database.NO_TTL);
            c.modified(argv[i]);
            c.notifyKeyspaceEvent(KeyspaceEvents.STRING, "set", argv[i]);
        }
    }

    /** APPEND key value: grows the string in place (amortised, as sds does). */
    static void append(CallContext c, byte[][] argv) {
        Database db = c.db();
        byte[] add = argv[2];
        MutableString m = db.mutableStringForWrite(argv[1]);
        long length;
        if (m == null) {
            db.set(argv[1], add, Database.NO_TTL);
            length = add.length;
        } else {
            checkStringLength(c, (long) m.length() + add.length);
            long before = m.estimatedBytes();
            try {
                m.append(add); // Redis unshares the value into a raw object, even for ""
            } catch (OutOfMemoryError e) {
                throw new RedisException(Errors.OOM);
            }
            db.resized(before, m.estimatedBytes());
            length = m.length();
        }
        c.modified(argv[1]);
        c.notifyKeyspaceEvent(KeyspaceEvents.STRING, "append", argv[1]);
        c.reply.integer(length);
    }

    /** Redis's checkStringLength: a string may not grow past proto-max-bulk-len. */
    private static void checkStringLength(CallContext c, long total) {
        if (total <= MIN_PROTO_MAX_BULK_LEN) return;
        if (total > MAX_ARRAY || total > c.server().config().getLong("proto-max-bulk-len")) {
            throw new RedisException(Errors.MAX_STRING);
        }
    }

    /**
     * A copy of {@code old} grown to {@code length}. A string near the 512 MB limit may not fit in
     * the heap: the command is refused instead of the error escaping the dispatcher.
     */
    private static byte[] allocate(byte[] old, int length) {
        try {
            return java.util.Arrays.copyOf(old, length);
        } catch (OutOfMemoryError e) {
            throw new RedisException(Errors.OOM);
        }
    }

    /** STRLEN key */
    static void strlen(CallContext c, byte[][] argv) {
        c.reply.integer(Strings.length(string(c.db(), argv[1])));
    }

    /** GETRANGE key start end (and SUBSTR key start end) */
    static void getrange(CallContext c, byte[][] argv) {
        long start = Args.toLong(argv[2]);
        long end = Args.toLong(argv[3]);
        Object v = string(c.db(), argv[1]);
        if (v == null) {
            c.reply.bulk(Bytes.EMPTY);
            return;
        }
        byte[] s = Strings.array(v);
        long len = Strings.length(v);
        if (start < 0 && end < 0 && start > end) {
            c.reply.bulk(Bytes.EMPTY);
            return;
        }
        if (start < 0) start = len + start;
        if (end < 0) end = len + end;
        if (start < 0) start = 0;
        if (end < 0) end = 0;
        if (end >= len) end = len - 1;
        if (start > end || len == 0) {
            c.reply.bulk(Bytes.EMPTY);
        } else {
            c.reply.bulk(s, (int) start, (int) (end - start + 1));
        }
    }

    /** SETRANGE key offset value: changes the string in place (created zero-padded if absent). */
    static void setrange(CallContext c, byte[][] argv) {
        long offset = Args.toLong(argv[2]);
        if (offset < 0) throw new RedisException("ERR offset is out of range");
        byte[] value = argv[3];
        Database db = c.db();
        if (value.length == 0) { // nothing written: the value keeps its encoding
            Entry e = db.lookupWrite(argv[1]);
            Object v = e == null ? null : e.value();
            if (v != null && !Strings.isString(v)) Database.typed(v, byte[].class); // WRONGTYPE
            c.reply.integer(Strings.length(v));
            return;
        }
        MutableString m = db.mutableStringForWrite(argv[1]);
        checkStringLength(c, offset > MAX_ARRAY ? Long.MAX_VALUE : offset + value.length);
        boolean created = m == null;
        if (created) m = MutableString.of(null);
        long before = m.estimatedBytes();
        try {
            m.setRange((int) offset, value);
        } catch (OutOfMemoryError e) {
            throw new RedisException(Errors.OOM);
        }
        if (created) db.set(argv[1], m, Database.NO_TTL);
        else db.resized(before, m.estimatedBytes());
        c.modified(argv[1]);
        c.notifyKeyspaceEvent(KeyspaceEvents.STRING, "setrange", argv[1]);
        c.reply.integer(m.length());
    }

    /** INCR key */
    static void incr(CallContext c, byte[][] argv) {
        incrBy(c, argv[1], 1);
    }

    /** DECR key */
    static void decr(CallContext c, byte[][] argv) {
        incrBy(c, argv[1], -1);
    }

    /** INCRBY key increment */
    static void incrby(CallContext c, byte[][] argv) {
        incrBy(c, argv[1], Args.toLong(argv[2]));
    }

    /** DECRBY key decrement */
    static void decrby(CallContext c, byte[][] argv) {
        long decrement = Args.toLong(argv[2]);
        if (decrement == Long.MIN_VALUE) throw new RedisException("ERR decrement would overflow");
        incrBy(c, argv[1], -decrement);
    }

    /** INCR, DECR, INCRBY, DECRBY: the number is read and written where it lies in the store. */
    static void incrBy(CallContext c, byte[] key, long increment) {
        long value = c.db().addToInteger(key, increment, NOT_INTEGER, OVERFLOW);
        c.modified(key);
        c.notifyKeyspaceEvent(KeyspaceEvents.STRING, "incrby", key);
        c.reply.integer(value);
    }

    /** INCRBYFLOAT key increment */
    static void incrbyfloat(CallContext c, byte[][] argv) {
        Database db = c.db();
        Entry e = db.entryForWrite(argv[1], byte[].class);
        LongDouble.Value value = e == null ? LongDouble.parse(ZERO) : LongDouble.parse(Strings.bytes(e.value()));
        LongDouble.Value increment = value == null ? null : LongDouble.parse(argv[2]);
        if (value == null || increment == null) throw new RedisException(Errors.NOT_FLOAT);
        LongDouble.Value sum = LongDouble.add(value, increment);
        if (sum == null || sum.isInfinite()) throw new RedisException("ERR increment would produce NaN or Infinity");
        // createStringObject: embstr even when the sum prints as an integer ("2")
        byte[] text = StringEncoding.created(LongDouble.format(sum).getBytes(StandardCharsets.US_ASCII));
        if (e == null) db.set(argv[1], text, Database.NO_TTL);
        else db.update(e, text);
        c.modified(argv[1]);
        c.notifyKeyspaceEvent(KeyspaceEvents.STRING, "incrbyfloat", argv[1]);
        // Logged as the resulting value, so replaying never depends on float formatting.
        c.propagateAs(SET, argv[1], text, KEEPTTL);
        c.reply.bulk(text);
    }

    private static final byte[] ZERO = {'0'};

    /** The handlers of the commands registered above, one class for all of them (see {@link Handler}). */
    private enum Op implements Handler {
        GET, SET, SETNX, SETEX, PSETEX, GETSET, GETDEL, GETEX, MGET, MSET, MSETNX, APPEND, STRLEN, GETRANGE, SUBSTR,
        SETRANGE, INCR, DECR, INCRBY, DECRBY, INCRBYFLOAT, LCS;

        @Override
        public void handle(CallContext c, byte[][] argv) {
            switch (this) {
                case GET -> get(c, argv);
                case SET -> SetCommand.set(c, argv);
                case SETNX -> SetCommand.setnx(c, argv);
                case SETEX -> SetCommand.setex(c, argv);
                case PSETEX -> SetCommand.psetex(c, argv);
                case GETSET -> getset(c, argv);
                case GETDEL -> getdel(c, argv);
                case GETEX -> SetCommand.getex(c, argv);
                case MGET -> mget(c, argv);
                case MSET -> mset(c, argv);
                case MSETNX -> msetnx(c, argv);
                case APPEND -> append(c, argv);
                case STRLEN -> strlen(c, argv);
                case GETRANGE -> getrange(c, argv);
                case SUBSTR -> getrange(c, argv);
                case SETRANGE -> setrange(c, argv);
                case INCR -> incr(c, argv);
                case DECR -> decr(c, argv);
                case INCRBY -> incrby(c, argv);
                case DECRBY -> decrby(c, argv);
                case INCRBYFLOAT -> incrbyfloat(c, argv);
                case LCS -> LcsCommand.lcs(c, argv);
            }
        }
    }
}
