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
import io.keyline.store.Copyable;
import io.keyline.store.Database;
import io.keyline.store.Entry;
import io.keyline.store.Keyspace;
import io.keyline.store.TypedValue;
import io.keyline.util.Glob;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Generic key commands: DEL, EXISTS, TYPE, the EXPIRE and TTL families, KEYS, RANDOMKEY, RENAME,
 * COPY, MOVE, SWAPDB, TOUCH. SCAN and OBJECT have classes of their own.
 */
final class KeyCommands {
    static final byte[] DEL = StringCommands.ascii("DEL");
    static final byte[] PEXPIREAT = StringCommands.ascii("PEXPIREAT");
    static final byte[] PERSIST = StringCommands.ascii("PERSIST");
    private static final String SAME_OBJECT = "ERR source and destination objects are the same";

    private KeyCommands() {
    }

    static void register(CommandTable t) {
        t.command("del", -2).flags(Flag.WRITE).keys(1, -1, 1).acl("keyspace").group("generic")
                .doc("Deletes one or more keys.", "1.0.0", "O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).")
                .keySpec(KeySpec.index(1).range(-1, 1, 0).flags("RM delete"))
                .tips("request_policy:multi_shard", "response_policy:agg_sum")
                .handler(Op.DEL);
        t.command("unlink", -2).flags(Flag.WRITE, Flag.FAST).keys(1, -1, 1).acl("keyspace").group("generic")
                .doc("Asynchronously deletes one or more keys.", "4.0.0", "O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.")
                .keySpec(KeySpec.index(1).range(-1, 1, 0).flags("RM delete"))
                .tips("request_policy:multi_shard", "response_policy:agg_sum")
                .handler(Op.UNLINK);
        t.command("exists", -2).flags(Flag.READONLY, Flag.FAST).keys(1, -1, 1).acl("keyspace").group("generic")
                .doc("Determines whether one or more keys exist.", "1.0.0", "O(N) where N is the number of keys to check.")
                .keySpec(KeySpec.index(1).range(-1, 1, 0).flags("RO"))
                .tips("request_policy:multi_shard", "response_policy:agg_sum")
                .handler(Op.EXISTS);
        t.command("type", 2).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl("keyspace").group("generic")
                .doc("Determines the type of value stored at a key.", "1.0.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO"))
                .handler(Op.TYPE);
        t.command("touch", -2).flags(Flag.READONLY, Flag.FAST).keys(1, -1, 1).acl("keyspace").group("generic")
                .doc("Returns the number of existing keys out of those specified after updating the time they were last accessed.", "3.2.1",
                        "O(N) where N is the number of keys that will be touched.")
                .keySpec(KeySpec.index(1).range(-1, 1, 0).flags("RO"))
                .tips("request_policy:multi_shard", "response_policy:agg_sum")
                .handler(Op.TOUCH);
        t.command("expire", -3).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl("keyspace").group("generic")
                .doc("Sets the expiration time of a key in seconds.", "1.0.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW update"))
                .handler(Op.EXPIRE);
        t.command("pexpire", -3).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl("keyspace").group("generic")
                .doc("Sets the expiration time of a key in milliseconds.", "2.6.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW update"))
                .handler(Op.PEXPIRE);
        t.command("expireat", -3).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl("keyspace").group("generic")
                .doc("Sets the expiration time of a key to a Unix timestamp.", "1.2.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW update"))
                .handler(Op.EXPIREAT);
        t.command("pexpireat", -3).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl("keyspace").group("generic")
                .doc("Sets the expiration time of a key to a Unix milliseconds timestamp.", "2.6.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW update"))
                .handler(Op.PEXPIREAT);
        t.command("ttl", 2).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl("keyspace").group("generic")
                .doc("Returns the expiration time in seconds of a key.", "1.0.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .tips("nondeterministic_output")
                .handler(Op.TTL);
        t.command("pttl", 2).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl("keyspace").group("generic")
                .doc("Returns the expiration time in milliseconds of a key.", "2.6.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .tips("nondeterministic_output")
                .handler(Op.PTTL);
        t.command("expiretime", 2).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl("keyspace").group("generic")
                .doc("Returns the expiration time of a key as a Unix timestamp.", "7.0.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.EXPIRETIME);
        t.command("pexpiretime", 2).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl("keyspace").group("generic")
                .doc("Returns the expiration time of a key as a Unix milliseconds timestamp.", "7.0.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.PEXPIRETIME);
        t.command("persist", 2).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl("keyspace").group("generic")
                .doc("Removes the expiration time of a key.", "2.2.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW update"))
                .handler(Op.PERSIST);
        t.command("keys", 2).flags(Flag.READONLY).acl("keyspace", "dangerous").group("generic")
                .doc("Returns all key names that match a pattern.", "1.0.0", "O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.")
                .tips("request_policy:all_shards", "nondeterministic_output_order")
                .handler(Op.KEYS);
        t.command("scan", -2).flags(Flag.READONLY).acl("keyspace").group("generic")
                .doc("Iterates over the key names in the database.", "2.8.0", "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.")
                .tips("nondeterministic_output", "request_policy:special")
                .handler(Op.SCAN);
        t.command("randomkey", 1).flags(Flag.READONLY).acl("keyspace").group("generic")
                .doc("Returns a random key name from the database.", "1.0.0", "O(1)")
                .tips("request_policy:all_shards", "nondeterministic_output")
                .handler(Op.RANDOMKEY);
        t.command("rename", 3).flags(Flag.WRITE).keys(1, 2, 1).acl("keyspace").group("generic")
                .doc("Renames a key and overwrites the destination.", "1.0.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW access delete"))
                .keySpec(KeySpec.index(2).range(0, 1, 0).flags("OW update"))
                .handler(Op.RENAME);
        t.command("renamenx", 3).flags(Flag.WRITE, Flag.FAST).keys(1, 2, 1).acl("keyspace").group("generic")
                .doc("Renames a key only when the target key name doesn't exist.", "1.0.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW access delete"))
                .keySpec(KeySpec.index(2).range(0, 1, 0).flags("OW insert"))
                .handler(Op.RENAMENX);
        t.command("copy", -3).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 2, 1).acl("keyspace").group("generic")
                .doc("Copies the value of a key to a new key.", "6.2.0", "O(N) worst case for collections, where N is the number of nested items. O(1) for string values.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .keySpec(KeySpec.index(2).range(0, 1, 0).flags("OW update"))
                .handler(Op.COPY);
        t.command("move", 3).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl("keyspace").group("generic")
                .doc("Moves a key to another database.", "1.0.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW access update"))
                .handler(Op.MOVE);
        t.command("swapdb", 3).flags(Flag.WRITE, Flag.FAST, Flag.LOCK_ALL).acl("keyspace", "dangerous").group("server")
                .doc("Swaps two Redis databases.", "4.0.0", "O(N) where N is the count of clients watching or blocking on keys from both databases.")
                .handler(Op.SWAPDB);
    }

    /** DEL key [key ...] and UNLINK key [key ...] (freed at once here; UNLINK still counts in lazyfreed_objects, see LazyFree) */
    static void del(CallContext c, byte[][] argv) {
        boolean lazy = Args.is(argv[0], "unlink") || c.server().config().getBool("lazyfree-lazy-user-del");
        long n = 0;
        for (int i = 1; i < argv.length; i++) {
            Object removed = c.db().remove(argv[i]);
            if (removed != null) {
                if (lazy) LazyFree.deleted(c.server().stats(), removed);
                c.modified(argv[i]);
                c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", argv[i]);
                n++;
            }
        }
        c.reply.integer(n);
    }

    /** EXISTS key [key ...] */
    static void exists(CallContext c, byte[][] argv) {
        long n = 0;
        for (int i = 1; i < argv.length; i++) if (c.db().peek(argv[i]) != null) n++;
        c.reply.integer(n);
    }

    /** TYPE key */
    static void type(CallContext c, byte[][] argv) {
        Entry e = c.db().peek(argv[1]);
        c.reply.simple(TypedValue.typeOf(e == null ? null : e.value()));
    }

    /** TOUCH key [key ...] */
    static void touch(CallContext c, byte[][] argv) {
        long n = 0;
        for (int i = 1; i < argv.length; i++) if (c.db().lookup(argv[i]) != null) n++;
        c.reply.integer(n);
    }

    private static final int NX = 1, XX = 2, GT = 4, LT = 8;

    /**
     * EXPIRE / PEXPIRE / EXPIREAT / PEXPIREAT key time [NX | XX | GT | LT]: Redis's
     * expireGenericCommand. A deadline already past deletes the key (logged as DEL); any other is
     * logged as PEXPIREAT with the absolute time.
     */
    static void expire(CallContext c, byte[][] argv, long basetime, boolean seconds, String command) {
        int flags = expireFlags(argv);
        long when = Args.toLong(argv[2]);
        if (seconds) {
            if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) throw SetCommand.invalidExpire(command);
            when *= 1000;
        }
        if (when > Long.MAX_VALUE - basetime) throw SetCommand.invalidExpire(command);
        when += basetime;
        byte[] key = argv[1];
        Database db = c.db();
        Entry e = db.lookupWrite(key);
        if (e == null) {
            c.reply.integer(0);
            return;
        }
        long current = e.expireAt();
        if (((flags & NX) != 0 && current != -1)
                || ((flags & XX) != 0 && current == -1)
                || ((flags & GT) != 0 && (current == -1 || when <= current))
                || ((flags & LT) != 0 && current != -1 && when >= current)) {
            c.reply.integer(0);
            return;
        }
        if (SetCommand.alreadyExpired(c, when)) {
            db.delete(key);
            c.modified(key);
            c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", key);
            c.propagateAs(DEL, key);
        } else {
            db.setExpire(key, when);
            c.modified(key);
            c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "expire", key);
            c.propagateAs(PEXPIREAT, key, Bytes.fromLong(when));
        }
        c.reply.integer(1);
    }

    private static int expireFlags(byte[][] argv) {
        int flags = 0;
        for (int i = 3; i < argv.length; i++) {
            byte[] a = argv[i];
            if (Args.is(a, "nx")) flags |= NX;
            else if (Args.is(a, "xx")) flags |= XX;
            else if (Args.is(a, "gt")) flags |= GT;
            else if (Args.is(a, "lt")) flags |= LT;
            else throw new RedisException("ERR Unsupported option " + Bytes.str(a));
        }
        if ((flags & NX) != 0 && (flags & (XX | GT | LT)) != 0) {
            throw new RedisException("ERR NX and XX, GT or LT options at the same time are not compatible");
        }
        if ((flags & GT) != 0 && (flags & LT) != 0) {
            throw new RedisException("ERR GT and LT options at the same time are not compatible");
        }
        return flags;
    }

    /** TTL / PTTL / EXPIRETIME / PEXPIRETIME key */
    static void ttl(CallContext c, byte[] key, boolean millis, boolean absolute) {
        Entry e = c.db().peek(key);
        if (e == null) {
            c.reply.integer(-2);
            return;
        }
        long at = e.expireAt();
        if (at < 0) {
            c.reply.integer(-1);
            return;
        }
        long ttl = absolute ? at : at - SetCommand.now(c);
        if (ttl < 0) ttl = 0;
        c.reply.integer(millis ? ttl : (ttl + 500) / 1000);
    }

    /** PERSIST key */
    static void persist(CallContext c, byte[][] argv) {
        if (c.db().persist(argv[1])) {
            c.modified(argv[1]);
            c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "persist", argv[1]);
            c.reply.integer(1);
        } else {
            c.reply.integer(0);
        }
    }

    /** KEYS pattern */
    static void keys(CallContext c, byte[][] argv) {
        byte[] pattern = argv[1];
        boolean all = pattern.length == 1 && pattern[0] == '*';
        List<byte[]> out = new ArrayList<>();
        for (Iterator<Entry> it = c.db().iterator(); it.hasNext(); ) {
            byte[] key = it.next().key();
            if (all || Glob.match(pattern, key, false)) out.add(key);
        }
        c.reply.arrayHeader(out.size());
        for (byte[] k : out) c.reply.bulk(k);
    }

    /** RANDOMKEY */
    static void randomkey(CallContext c, byte[][] argv) {
        Entry e = c.db().randomEntry();
        if (e == null) c.reply.nullBulk();
        else c.reply.bulk(e.key());
    }

    /** RENAME key newkey / RENAMENX key newkey */
    static void rename(CallContext c, byte[][] argv, boolean nx) {
        byte[] src = argv[1], dst = argv[2];
        Database db = c.db();
        if (db.lookupWrite(src) == null) throw new RedisException(Errors.NO_SUCH_KEY);
        if (java.util.Arrays.equals(src, dst)) {
            if (nx) c.reply.integer(0);
            else c.reply.ok();
            return;
        }
        if (nx && db.exists(dst)) {
            c.reply.integer(0);
            return;
        }
        db.rename(src, dst);
        c.modified(src);
        c.modified(dst);
        c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "rename_from", src);
        c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "rename_to", dst);
        if (nx) c.reply.integer(1);
        else c.reply.ok();
    }

    /** COPY source destination [DB destination-db] [REPLACE] */
    static void copy(CallContext c, byte[][] argv) {
        boolean replace = false;
        Database target = c.db();
        for (int j = 3; j < argv.length; j++) {
            if (Args.is(argv[j], "replace")) {
                replace = true;
            } else if (Args.is(argv[j], "db") && j + 1 < argv.length) {
                target = database(c, Args.toLong(argv[++j]));
            } else {
                throw Errors.syntax();
            }
        }
        byte[] key = argv[1], newKey = argv[2];
        Database source = c.db();
        if (source == target && java.util.Arrays.equals(key, newKey)) throw new RedisException(SAME_OBJECT);
        Entry e = source.lookup(key);
        if (e == null) {
            c.reply.integer(0);
            return;
        }
        long expireAt = e.expireAt();
        Object value = e.value();
        if (target.exists(newKey)) {
            if (!replace) {
                c.reply.integer(0);
                return;
            }
            target.delete(newKey);
        }
        target.set(newKey, Copyable.copyForNewKey(value), expireAt >= 0 ? expireAt : Database.NO_TTL);
        c.modified(target, newKey);
        c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "copy_to", newKey, target);
        c.reply.integer(1);
    }

    /** MOVE key db */
    static void move(CallContext c, byte[][] argv) {
        Database target = database(c, intArg(argv[2]));
        Database source = c.db();
        if (target == source) throw new RedisException(SAME_OBJECT);
        byte[] key = argv[1];
        if (source.lookupWrite(key) == null || !source.moveTo(key, target)) {
            c.reply.integer(0);
            return;
        }
        c.modified(key);
        c.modified(target, key);
        c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "move_from", key);
        c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "move_to", key, target);
        c.reply.integer(1);
    }

    /** SWAPDB index1 index2 (runs with every stripe locked) */
    static void swapdb(CallContext c, byte[][] argv) {
        long rawA = Args.toLong(argv[1], "ERR invalid first DB index");
        long rawB = Args.toLong(argv[2], "ERR invalid second DB index");
        if (rawA != (int) rawA) throw new RedisException("ERR invalid first DB index");
        if (rawB != (int) rawB) throw new RedisException("ERR invalid second DB index");
        Keyspace ks = c.server().keyspace();
        int a = (int) rawA, b = (int) rawB;
        if (a < 0 || a >= ks.databaseCount() || b < 0 || b >= ks.databaseCount()) {
            throw new RedisException(Errors.DB_INDEX);
        }
        if (a != b) {
            c.server().watches().touchSwap(a, b); // before the swap: it compares both sides' keys
            ks.swapLocked(a, b);
            // Clients blocked on keys of either database may now find data there (Redis's scanDatabaseForReadyKeys).
            c.server().blocking().databaseChanged(a);
            c.server().blocking().databaseChanged(b);
        }
        c.changed();
        c.reply.ok();
    }

    /** Redis's getIntFromObjectOrReply: its own message for a 64-bit value outside the int range. */
    static int intArg(byte[] arg) {
        long v = Args.toLong(arg);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new RedisException("ERR value is out of range, value must between -2147483648 and 2147483647");
        }
        return (int) v;
    }

    /** The database with that index, or Redis's "DB index is out of range". */
    static Database database(CallContext c, long index) {
        Keyspace ks = c.server().keyspace();
        if (index < 0 || index >= ks.databaseCount()) throw new RedisException(Errors.DB_INDEX);
        return ks.db((int) index);
    }

    /** The handlers of the commands registered above, one class for all of them (see {@link Handler}). */
    private enum Op implements Handler {
        DEL, UNLINK, EXISTS, TYPE, TOUCH, EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT, TTL, PTTL, EXPIRETIME, PEXPIRETIME,
        PERSIST, KEYS, SCAN, RANDOMKEY, RENAME, RENAMENX, COPY, MOVE, SWAPDB;

        @Override
        public void handle(CallContext c, byte[][] argv) {
            switch (this) {
                case DEL -> del(c, argv);
                case UNLINK -> del(c, argv);
                case EXISTS -> exists(c, argv);
                case TYPE -> type(c, argv);
                case TOUCH -> touch(c, argv);
                case EXPIRE -> expire(c, argv, SetCommand.now(c), true, "expire");
                case PEXPIRE -> expire(c, argv, SetCommand.now(c), false, "pexpire");
                case EXPIREAT -> expire(c, argv, 0, true, "expireat");
                case PEXPIREAT -> expire(c, argv, 0, false, "pexpireat");
                case TTL -> ttl(c, argv[1], false, false);
                case PTTL -> ttl(c, argv[1], true, false);
                case EXPIRETIME -> ttl(c, argv[1], false, true);
                case PEXPIRETIME -> ttl(c, argv[1], true, true);
                case PERSIST -> persist(c, argv);
                case KEYS -> keys(c, argv);
                case SCAN -> ScanCommand.scan(c, argv);
                case RANDOMKEY -> randomkey(c, argv);
                case RENAME -> rename(c, argv, false);
                case RENAMENX -> rename(c, argv, true);
                case COPY -> copy(c, argv);
                case MOVE -> move(c, argv);
                case SWAPDB -> swapdb(c, argv);
            }
        }
    }
}
