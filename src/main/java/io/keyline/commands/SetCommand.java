package io.keyline.commands;

import io.keyline.store.Strings;
import io.keyline.engine.Args;
import io.keyline.engine.CallContext;
import io.keyline.pubsub.KeyspaceEvents;
import io.keyline.engine.Errors;
import io.keyline.engine.RedisException;

import io.keyline.util.Bytes;
import io.keyline.store.Database;
import io.keyline.store.Entry;

/**
 * SET and the commands built on the same core (SETNX, SETEX, PSETEX, GETEX), with Redis's
 * {@code parseExtendedStringArgumentsOrReply} rules: which options may combine, and that option
 * syntax is checked before the expire value is parsed.
 */
final class SetCommand {
    static final int NX = 1, XX = 1 << 1, GET = 1 << 2, KEEPTTL = 1 << 3, PERSIST = 1 << 4;
    static final int EX = 1 << 5, PX = 1 << 6, EXAT = 1 << 7, PXAT = 1 << 8;
    private static final int ANY_EXPIRE = EX | PX | EXAT | PXAT;
    /** For {@code Database.setReusing}: a SET's own arguments are never a stored value. */
    private static final byte[][] NOTHING_IN_FLIGHT = {};

    private SetCommand() {
    }

    /** SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL] */
    static void set(CallContext c, byte[][] argv) {
        if (argv.length == 3) { // the common case, kept allocation-free
            if (c.mayReuseStoredValues()) {
                if (c.db().setReusing(argv[1], argv[2], argv)) c.argumentCopied(2);
            } else c.db().set(argv[1], argv[2], Database.NO_TTL);
            c.modified(argv[1]);
            c.notifyKeyspaceEvent(KeyspaceEvents.STRING, "set", argv[1]);
            c.reply.ok();
            return;
        }
        long parsed = parseOptions(argv, 3, true);
        int flags = (int) parsed;
        int expireIndex = (int) (parsed >>> 32);
        setGeneric(c, flags, argv[1], argv[2], expireIndex == 0 ? null : argv[expireIndex], "set", false);
    }

    /** SETNX key value */
    static void setnx(CallContext c, byte[][] argv) {
        setGeneric(c, NX, argv[1], argv[2], null, "setnx", true);
    }

    /** SETEX key seconds value */
    static void setex(CallContext c, byte[][] argv) {
        setGeneric(c, EX, argv[1], argv[3], argv[2], "setex", false);
    }

    /** PSETEX key milliseconds value */
    static void psetex(CallContext c, byte[][] argv) {
        setGeneric(c, PX, argv[1], argv[3], argv[2], "psetex", false);
    }

    /**
     * Parses SET/GETEX options from {@code argv[from]}: returns the flags in the low 32 bits and the
     * index of the expire value (0 if none) in the high 32 bits. Syntax error as Redis for any
     * option that conflicts with one already given (repeating the same one is allowed).
     */
    static long parseOptions(byte[][] argv, int from, boolean setCommand) {
        int flags = 0;
        int expireIndex = 0;
        for (int i = from; i < argv.length; i++) {
            byte[] a = argv[i];
            boolean hasNext = i + 1 < argv.length;
            if (setCommand && Args.is(a, "nx") && (flags & XX) == 0) {
                flags |= NX;
            } else if (setCommand && Args.is(a, "xx") && (flags & NX) == 0) {
                flags |= XX;
            } else if (setCommand && Args.is(a, "get")) {
                flags |= GET;
            } else if (setCommand && Args.is(a, "keepttl") && (flags & (PERSIST | ANY_EXPIRE)) == 0) {
                flags |= KEEPTTL;
            } else if (!setCommand && Args.is(a, "persist") && (flags & (KEEPTTL | ANY_EXPIRE)) == 0) {
                flags |= PERSIST;
            } else if (hasNext && unitFlag(a) != 0 && (flags & (KEEPTTL | PERSIST | (ANY_EXPIRE & ~unitFlag(a)))) == 0) {
                flags |= unitFlag(a);
                expireIndex = ++i;
            } else {
                throw Errors.syntax();
            }
        }
        return ((long) expireIndex << 32) | flags;
    }

    private static int unitFlag(byte[] a) {
        if (Args.is(a, "ex")) return EX;
        if (Args.is(a, "px")) return PX;
        if (Args.is(a, "exat")) return EXAT;
        if (Args.is(a, "pxat")) return PXAT;
        return 0;
    }

    /** Redis's setGenericCommand. {@code integerReply}: SETNX's 1/0 instead of OK/nil. */
    static void setGeneric(CallContext c, int flags, byte[] key, byte[] value, byte[] expire, String command, boolean integerReply) {
        long deadline = expire == null ? 0 : deadline(c, flags, expire, command);
        Database db = c.db();
        boolean get = (flags & GET) != 0;
        // With GET this is first a read (a keyspace hit or miss), as in Redis.
        Entry e = get ? db.lookup(key) : db.lookupWrite(key);
        Object old = e == null ? null : e.value();
        if (get && old != null && !Strings.isString(old)) Database.typed(old, byte[].class); // WRONGTYPE
        boolean found = old != null;
        if (((flags & NX) != 0 && found) || ((flags & XX) != 0 && !found)) {
            if (get) c.reply.bulk(Strings.bytes(old));
            else if (integerReply) c.reply.integer(0);
            else c.reply.nullBulk();
            return;
        }
        if (expire != null && alreadyExpired(c, deadline)) {
            // An EXAT/PXAT deadline already past: the key ends up absent (logged as DEL).
            if (found) {
                db.delete(key);
                c.modified(key);
                c.propagateAs(KeyCommands.DEL, key);
            }
            // Redis stores the key with its past deadline ("set", "expire") and expires it on the
            // next access or active cycle ("expired"); Keyline drops it at once: the same events.
            c.notifyKeyspaceEvent(KeyspaceEvents.STRING, "set", key);
            c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "expire", key);
            c.notifyKeyspaceEvent(KeyspaceEvents.EXPIRED, "expired", key);
        } else {
            if (expire == null && (flags & (KEEPTTL | GET)) == 0 && c.mayReuseStoredValues()) {
                db.setReusing(key, value, NOTHING_IN_FLIGHT); // GET reads the old value after this
            } else {
                db.set(key, value, expire != null ? deadline : (flags & KEEPTTL) != 0 ? Database.KEEP_TTL : Database.NO_TTL);
            }
            c.modified(key);
            c.notifyKeyspaceEvent(KeyspaceEvents.STRING, "set", key);
            if (expire != null) c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "expire", key);
            if (expire != null && ((flags & PXAT) == 0 || get)) {
                c.propagateAs(StringCommands.SET, key, value, StringCommands.PXAT, Bytes.fromLong(deadline));
            } else if (get) {
                c.propagateAs((flags & KEEPTTL) != 0 ? new byte[][]{StringCommands.SET, key, value, StringCommands.KEEPTTL}
                        : new byte[][]{StringCommands.SET, key, value});
            }
        }
        if (get) c.reply.bulk(Strings.bytes(old));
        else if (integerReply) c.reply.integer(1);
        else c.reply.ok();
    }

    /** GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST] */
    static void getex(CallContext c, byte[][] argv) {
        long parsed = parseOptions(argv, 2, false);
        int flags = (int) parsed;
        int expireIndex = (int) (parsed >>> 32);
        byte[] key = argv[1];
        Database db = c.db();
        Entry e = db.lookup(key);
        if (e == null) {
            c.reply.nullBulk();
            return;
        }
        byte[] value = Database.typed(e.value(), byte[].class);
        long deadline = expireIndex == 0 ? 0 : deadline(c, flags, argv[expireIndex], "getex");
        c.reply.bulk(value);
        if (expireIndex != 0 && alreadyExpired(c, deadline)) {
            db.delete(key);
            c.modified(key);
            c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", key);
            c.propagateAs(KeyCommands.DEL, key);
        } else if (expireIndex != 0) {
            db.setExpire(key, deadline);
            c.modified(key);
            c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "expire", key);
            c.propagateAs(KeyCommands.PEXPIREAT, key, Bytes.fromLong(deadline));
        } else if ((flags & PERSIST) != 0 && db.persist(key)) {
            c.modified(key);
            c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "persist", key);
            c.propagateAs(KeyCommands.PERSIST, key);
        }
    }

    /**
     * Absolute deadline in ms for an EX/PX/EXAT/PXAT value, with Redis's
     * {@code getExpireMillisecondsOrReply} errors (non-positive values, overflow).
     */
    static long deadline(CallContext c, int flags, byte[] value, String command) {
        long v = Args.toLong(value);
        boolean seconds = (flags & (EX | EXAT)) != 0;
        if (v <= 0 || (seconds && v > Long.MAX_VALUE / 1000)) throw invalidExpire(command);
        long ms = seconds ? v * 1000 : v;
        if ((flags & (EX | PX)) != 0) {
            try {
                ms = Math.addExact(ms, now(c));
            } catch (ArithmeticException overflow) {
                throw invalidExpire(command);
            }
        }
        return ms;
    }

    static RedisException invalidExpire(String command) {
        return new RedisException(String.format(Errors.INVALID_EXPIRE, command));
    }

    static long now(CallContext c) {
        return c.now();
    }

    /**
     * Redis's checkAlreadyExpired: a deadline in the past removes the key at once, except while the
     * AOF loads, where the key is stored with its deadline and expires afterwards, so replay order
     * (e.g. a later SET ... KEEPTTL) gives the same result as the original run.
     */
    static boolean alreadyExpired(CallContext c, long deadline) {
        return deadline <= now(c) && !c.server().loading();
    }
}
