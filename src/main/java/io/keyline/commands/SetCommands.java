package io.keyline.commands;

import io.keyline.engine.Handler;
import io.keyline.engine.KeySpec;

import io.keyline.engine.Args;
import io.keyline.engine.CallContext;
import io.keyline.pubsub.KeyspaceEvents;
import io.keyline.engine.CommandSpec;
import io.keyline.engine.CommandTable;
import io.keyline.engine.Errors;
import io.keyline.engine.KeyFinder;
import io.keyline.engine.RedisException;

import io.keyline.engine.CommandSpec.Flag;
import io.keyline.store.Database;
import io.keyline.store.Entry;
import io.keyline.store.type.SetValue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Set commands (SADD ... SSCAN) over {@link SetValue}. */
final class SetCommands {
    static final byte[] SREM = "SREM".getBytes(StandardCharsets.US_ASCII);
    private static final int SPOP_PROPAGATE_BATCH = 1024;

    private SetCommands() {
    }

    static void register(CommandTable t) {
        t.command("sadd", -3).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl("set").group("set")
                .doc("Adds one or more members to a set. Creates the key if it doesn't exist.", "1.0.0",
                        "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW insert"))
                .handler(Op.SADD);
        t.command("srem", -3).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl("set").group("set")
                .doc("Removes one or more members from a set. Deletes the set if the last member was removed.", "1.0.0",
                        "O(N) where N is the number of members to be removed.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW delete"))
                .handler(Op.SREM);
        t.command("scard", 2).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl("set").group("set")
                .doc("Returns the number of members in a set.", "1.0.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO"))
                .handler(Op.SCARD);
        t.command("sismember", 3).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl("set").group("set")
                .doc("Determines whether a member belongs to a set.", "1.0.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO"))
                .handler(Op.SISMEMBER);
        t.command("smismember", -3).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl("set").group("set")
                .doc("Determines whether multiple members belong to a set.", "6.2.0",
                        "O(N) where N is the number of elements being checked for membership")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.SMISMEMBER);
        t.command("smembers", 2).flags(Flag.READONLY).keys(1, 1, 1).acl("set").group("set")
                .doc("Returns all members of a set.", "1.0.0", "O(N) where N is the set cardinality.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .tips("nondeterministic_output_order")
                .handler(Op.SMEMBERS);
        t.command("spop", -2).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl("set").group("set")
                .doc("Returns one or more random members from a set after removing them. Deletes the set if the last member was popped.",
                        "1.0.0", "Without the count argument O(1), otherwise O(N) where N is the value of the passed count.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW access delete"))
                .tips("nondeterministic_output")
                .handler(Op.SPOP);
        t.command("srandmember", -2).flags(Flag.READONLY).keys(1, 1, 1).acl("set").group("set")
                .doc("Get one or multiple random members from a set", "1.0.0",
                        "Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .tips("nondeterministic_output")
                .handler(Op.SRANDMEMBER);
        t.command("smove", 4).flags(Flag.WRITE, Flag.FAST).keys(1, 2, 1).acl("set").group("set")
                .doc("Moves a member from one set to another.", "1.0.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW access delete"))
                .keySpec(KeySpec.index(2).range(0, 1, 0).flags("RW insert"))
                .handler(Op.SMOVE);
        t.command("sinter", -2).flags(Flag.READONLY).keys(1, -1, 1).acl("set").group("set")
                .doc("Returns the intersect of multiple sets.", "1.0.0",
                        "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.")
                .keySpec(KeySpec.index(1).range(-1, 1, 0).flags("RO access"))
                .tips("nondeterministic_output_order")
                .handler(Op.SINTER);
        t.command("sintercard", -3).flags(Flag.READONLY).keys(numKeysAt(1)).acl("set").group("set")
                .doc("Returns the number of members of the intersect of multiple sets.", "7.0.0",
                        "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.")
                .keySpec(KeySpec.index(1).keynum(0, 1, 1).flags("RO access"))
                .handler(Op.SINTERCARD);
        t.command("sinterstore", -3).flags(Flag.WRITE, Flag.DENYOOM).keys(1, -1, 1).acl("set").group("set")
                .doc("Stores the intersect of multiple sets in a key.", "1.0.0",
                        "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW update"))
                .keySpec(KeySpec.index(2).range(-1, 1, 0).flags("RO access"))
                .handler(Op.SINTERSTORE);
        t.command("sunion", -2).flags(Flag.READONLY).keys(1, -1, 1).acl("set").group("set")
                .doc("Returns the union of multiple sets.", "1.0.0", "O(N) where N is the total number of elements in all given sets.")
                .keySpec(KeySpec.index(1).range(-1, 1, 0).flags("RO access"))
                .tips("nondeterministic_output_order")
                .handler(Op.SUNION);
        t.command("sunionstore", -3).flags(Flag.WRITE, Flag.DENYOOM).keys(1, -1, 1).acl("set").group("set")
                .doc("Stores the union of multiple sets in a key.", "1.0.0", "O(N) where N is the total number of elements in all given sets.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("OW update"))
                .keySpec(KeySpec.index(2).range(-1, 1, 0).flags("RO access"))
                .handler(Op.SUNIONSTORE);
        t.command("sdiff", -2).flags(Flag.READONLY).keys(1, -1, 1).acl("set").group("set")
                .doc("Returns the difference of multiple sets.", "1.0.0", "O(N) where N is the total number of elements in all given sets.")
                .keySpec(KeySpec.index(1).range(-1, 1, 0).flags("RO access"))
                .tips("nondeterministic_output_order")
                .handler(Op.SDIFF);
        t.command("sdiffstore", -3).flags(Flag.WRITE, Flag.DENYOOM).keys(1, -1, 1).acl("set").group("set")
                .doc("Stores the difference of multiple sets in a key.", "1.0.0", "O(N) where N is the total number of elements in all given sets.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("OW update"))
                .keySpec(KeySpec.index(2).range(-1, 1, 0).flags("RO access"))
                .handler(Op.SDIFFSTORE);
        t.command("sscan", -3).flags(Flag.READONLY).keys(1, 1, 1).acl("set").group("set")
                .doc("Iterates over members of a set.", "2.8.0",
                        "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .tips("nondeterministic_output")
                .handler(Op.SSCAN);
    }

    /**
     * Keys of a {@code numkeys key [key ...]} command whose numkeys is at argv[at] (SINTERCARD,
     * ZUNION, ZMPOP...), plus argv[1..at-1] when {@code leadingKey} (ZUNIONSTORE's destination).
     */
    static KeyFinder numKeysAt(int at) {
        return numKeysAt(at, false);
    }

    static KeyFinder numKeysAt(int at, boolean leadingKey) {
        return new NumKeysAt(at, leadingKey);
    }

    /** A class rather than a lambda: see {@link KeyFinders}. */
    private static final class NumKeysAt implements KeyFinder {
        private final int at;
        private final boolean leadingKey;

        NumKeysAt(int at, boolean leadingKey) {
            this.at = at;
            this.leadingKey = leadingKey;
        }

        @Override
        public int[] keys(byte[][] argv) {
            if (argv.length <= at) return CommandSpec.NO_KEYS;
            Long n = io.keyline.util.Bytes.parseLongOrError(argv[at]);
            if (n == null || n <= 0 || n > argv.length - at - 1) return leadingKey ? new int[] {1} : CommandSpec.NO_KEYS;
            int lead = leadingKey ? 1 : 0;
            int[] out = new int[lead + n.intValue()];
            if (leadingKey) out[0] = 1;
            for (int i = 0; i < n; i++) out[lead + i] = at + 1 + i;
            return out;
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static void replyMembers(CallContext c, List<byte[]> members) {
        c.reply.setHeader(members.size());
        for (byte[] m : members) c.reply.bulk(m);
    }

    // ---- commands ----------------------------------------------------------------------------

    /** SADD key member [member ...] */
    static void sadd(CallContext c, byte[][] argv) {
        Database db = c.db();
        SetValue s = db.getOrCreate(argv[1], SetValue.class,
                () -> SetValue.forFirstMember(c.server().encodingLimits(), argv[2], argv.length - 2));
        long before = db.beginUpdate(s);
        long added = 0;
        for (int i = 2; i < argv.length; i++) if (s.add(argv[i])) added++;
        db.endUpdate(argv[1], s, before);
        if (added > 0) {
            c.modified(argv[1]);
            c.notifyKeyspaceEvent(KeyspaceEvents.SET, "sadd", argv[1]);
        }
        c.reply.integer(added);
    }

    /** SREM key member [member ...] */
    static void srem(CallContext c, byte[][] argv) {
        Database db = c.db();
        SetValue s = db.getForWrite(argv[1], SetValue.class);
        long removed = 0;
        if (s != null) {
            long before = db.beginUpdate(s);
            for (int i = 2; i < argv.length && !s.isEmpty(); i++) if (s.remove(argv[i])) removed++;
            db.endUpdate(argv[1], s, before);
            if (removed > 0) {
                c.modified(argv[1]);
                notifyRemoved(c, argv[1], s, "srem");
            }
        }
        c.reply.integer(removed);
    }

    /** SCARD key */
    static void scard(CallContext c, byte[][] argv) {
        SetValue s = c.db().get(argv[1], SetValue.class);
        c.reply.integer(s == null ? 0 : s.size());
    }

    /** SISMEMBER key member */
    static void sismember(CallContext c, byte[][] argv) {
        SetValue s = c.db().get(argv[1], SetValue.class);
        c.reply.integer(s != null && s.contains(argv[2]) ? 1 : 0);
    }

    /** SMISMEMBER key member [member ...] */
    static void smismember(CallContext c, byte[][] argv) {
        SetValue s = c.db().get(argv[1], SetValue.class);
        c.reply.arrayHeader(argv.length - 2);
        for (int i = 2; i < argv.length; i++) c.reply.integer(s != null && s.contains(argv[i]) ? 1 : 0);
    }

    /** SMEMBERS key */
    static void smembers(CallContext c, byte[][] argv) {
        SetValue s = c.db().get(argv[1], SetValue.class);
        if (s == null) {
            c.reply.setHeader(0);
            return;
        }
        c.reply.setHeader(s.size());
        s.forEach(c.reply::bulk);
    }

    /** SPOP key [count] */
    static void spop(CallContext c, byte[][] argv) {
        if (argv.length > 3) throw Errors.syntax();
        Database db = c.db();
        if (argv.length == 3) {
            long count = Args.toLong(argv[2], Errors.NOT_POSITIVE); // Redis: the same error for "abc" and -1
            if (count < 0) throw new RedisException(Errors.NOT_POSITIVE);
            SetValue s = db.getForWrite(argv[1], SetValue.class);
            if (s == null || count == 0) {
                c.reply.setHeader(0);
                return;
            }
            List<byte[]> popped = count >= s.size() ? s.members() : s.randomDistinct((int) count);
            long before = db.beginUpdate(s);
            for (byte[] m : popped) s.remove(m);
            db.endUpdate(argv[1], s, before);
            c.modified(argv[1]);
            notifyRemoved(c, argv[1], s, "spop");
            for (int from = 0; from < popped.size(); from += SPOP_PROPAGATE_BATCH) {
                int to = Math.min(popped.size(), from + SPOP_PROPAGATE_BATCH);
                byte[][] srem = new byte[2 + to - from][];
                srem[0] = SREM;
                srem[1] = argv[1];
                for (int i = from; i < to; i++) srem[2 + i - from] = popped.get(i);
                c.propagateAs(srem);
            }
            replyMembers(c, popped);
            return;
        }
        SetValue s = db.getForWrite(argv[1], SetValue.class);
        if (s == null) {
            c.reply.nullBulk();
            return;
        }
        byte[] m = s.random();
        long before = db.beginUpdate(s);
        s.remove(m);
        db.endUpdate(argv[1], s, before);
        c.modified(argv[1]);
        notifyRemoved(c, argv[1], s, "spop");
        c.propagateAs(SREM, argv[1], m);
        c.reply.bulk(m);
    }

    /** SRANDMEMBER key [count] */
    static void srandmember(CallContext c, byte[][] argv) {
        if (argv.length > 3) throw Errors.syntax();
        if (argv.length == 2) {
            SetValue s = c.db().get(argv[1], SetValue.class);
            c.reply.bulk(s == null ? null : s.random());
            return;
        }
        long count = Args.toLong(argv[2]);
        if (count == Long.MIN_VALUE) {
            throw new RedisException("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
        }
        SetValue s = c.db().get(argv[1], SetValue.class);
        if (s == null || count == 0) {
            c.reply.emptyArray();
            return;
        }
        if (count < 0) {
            c.reply.arrayHeader(-count);
            for (long i = 0; i < -count; i++) c.reply.bulk(s.random());
            return;
        }
        List<byte[]> out = count >= s.size() ? s.members() : s.randomDistinct((int) count);
        c.reply.arrayHeader(out.size());
        for (byte[] m : out) c.reply.bulk(m);
    }

    /** SMOVE source destination member */
    static void smove(CallContext c, byte[][] argv) {
        Database db = c.db();
        // Both looked up before either is type-checked: a missing source answers 0 whatever the destination holds.
        io.keyline.store.Entry srcEntry = db.lookupWrite(argv[1]);
        io.keyline.store.Entry dstEntry = db.lookupWrite(argv[2]);
        if (srcEntry == null) {
            c.reply.integer(0);
            return;
        }
        SetValue src = Database.typed(srcEntry.value(), SetValue.class);
        SetValue dst = Database.typed(dstEntry == null ? null : dstEntry.value(), SetValue.class);
        if (src == dst) {
            c.reply.integer(src.contains(argv[3]) ? 1 : 0);
            return;
        }
        long before = db.beginUpdate(src);
        if (!src.remove(argv[3])) {
            c.reply.integer(0);
            return;
        }
        db.endUpdate(argv[1], src, before);
        c.modified(argv[1]);
        notifyRemoved(c, argv[1], src, "srem");
        if (dst == null) dst = db.add(argv[2], SetValue.forFirstMember(c.server().encodingLimits(), argv[3], 1));
        before = db.beginUpdate(dst);
        boolean added = dst.add(argv[3]);
        db.endUpdate(argv[2], dst, before);
        c.modified(argv[2]);
        if (added) c.notifyKeyspaceEvent(KeyspaceEvents.SET, "sadd", argv[2]);
        c.reply.integer(1);
    }

    /** The sets at argv[from..to), null for missing keys; WRONGTYPE if any key holds another type. */
    private static SetValue[] sets(Database db, byte[][] argv, int from, int to) {
        SetValue[] out = new SetValue[to - from];
        for (int i = from; i < to; i++) out[i - from] = db.get(argv[i], SetValue.class);
        return out;
    }

    /** Members of the intersection, stopping after {@code limit} (0 = no limit). */
    private static List<byte[]> inter(SetValue[] sets, long limit) {
        List<byte[]> out = new ArrayList<>();
        for (SetValue s : sets) if (s == null) return out;
        SetValue[] sorted = sets.clone();
        Arrays.sort(sorted, Comparator.comparingInt(SetValue::size));
        SetValue smallest = sorted[0];
        for (byte[] m : smallest.members()) {
            boolean all = true;
            for (int i = 1; i < sorted.length && all; i++) if (sorted[i] != smallest) all = sorted[i].contains(m);
            if (all) {
                out.add(m);
                if (limit > 0 && out.size() >= limit) break;
            }
        }
        return out;
    }

    private static List<byte[]> union(SetValue[] sets) {
        java.util.LinkedHashMap<ByteBuffer, byte[]> seen = new java.util.LinkedHashMap<>();
        for (SetValue s : sets) if (s != null) s.forEach(m -> seen.putIfAbsent(ByteBuffer.wrap(m), m));
        return new ArrayList<>(seen.values());
    }

    private static List<byte[]> diff(SetValue[] sets) {
        List<byte[]> out = new ArrayList<>();
        if (sets[0] == null) return out;
        for (byte[] m : sets[0].members()) {
            boolean keep = true;
            for (int i = 1; i < sets.length && keep; i++) if (sets[i] != null) keep = !sets[i].contains(m);
            if (keep) out.add(m);
        }
        return out;
    }

    /** SINTER key [key ...] */
    static void sinter(CallContext c, byte[][] argv) {
        replyMembers(c, inter(sets(c.db(), argv, 1, argv.length), 0));
    }

    /** SINTERCARD numkeys key [key ...] [LIMIT limit] */
    static void sintercard(CallContext c, byte[][] argv) {
        long numkeys = Args.toLong(argv[1], "ERR numkeys should be greater than 0");
        if (numkeys <= 0) throw new RedisException("ERR numkeys should be greater than 0");
        if (numkeys > argv.length - 2) throw new RedisException("ERR Number of keys can't be greater than number of args");
        long limit = 0;
        for (int i = 2 + (int) numkeys; i < argv.length; i++) {
            if (Args.is(argv[i], "limit") && i + 1 < argv.length) {
                // getPositiveLongFromObjectOrReply: one message for "not a number" and "negative"
                limit = Args.toLong(argv[++i], "ERR LIMIT can't be negative");
                if (limit < 0) throw new RedisException("ERR LIMIT can't be negative");
            } else {
                throw Errors.syntax();
            }
        }
        c.reply.integer(inter(sets(c.db(), argv, 2, 2 + (int) numkeys), limit).size());
    }

    /** SUNION key [key ...] */
    static void sunion(CallContext c, byte[][] argv) {
        replyMembers(c, union(sets(c.db(), argv, 1, argv.length)));
    }

    /** SDIFF key [key ...] */
    static void sdiff(CallContext c, byte[][] argv) {
        replyMembers(c, diff(sets(c.db(), argv, 1, argv.length)));
    }

    /** SINTERSTORE destination key [key ...] */
    static void sinterstore(CallContext c, byte[][] argv) {
        store(c, "sinterstore", argv[1], inter(sets(c.db(), argv, 2, argv.length), 0));
    }

    /** SUNIONSTORE destination key [key ...] */
    static void sunionstore(CallContext c, byte[][] argv) {
        store(c, "sunionstore", argv[1], union(sets(c.db(), argv, 2, argv.length)));
    }

    /** SDIFFSTORE destination key [key ...] */
    static void sdiffstore(CallContext c, byte[][] argv) {
        store(c, "sdiffstore", argv[1], diff(sets(c.db(), argv, 2, argv.length)));
    }

    /** Replaces destination with a set of these members (deletes it if there are none). */
    private static void store(CallContext c, String event, byte[] dest, List<byte[]> members) {
        Database db = c.db();
        if (members.isEmpty()) {
            if (db.delete(dest)) {
                c.modified(dest);
                c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", dest);
            }
            c.reply.integer(0);
            return;
        }
        SetValue s = new SetValue(c.server().encodingLimits());
        for (byte[] m : members) s.add(m);
        db.set(dest, s, Database.NO_TTL); // replaces whatever dest held, TTL included
        c.modified(dest);
        c.notifyKeyspaceEvent(KeyspaceEvents.SET, event, dest);
        c.reply.integer(s.size());
    }

    /** Redis's notification after members left the set, then "del" if it was emptied (and so deleted). */
    private static void notifyRemoved(CallContext c, byte[] key, SetValue s, String event) {
        c.notifyKeyspaceEvent(KeyspaceEvents.SET, event, key);
        if (s.isEmpty()) c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", key);
    }

    /** SSCAN key cursor [MATCH pattern] [COUNT count] */
    static void sscan(CallContext c, byte[][] argv) {
        CollectionScan scan = CollectionScan.parse(argv, 2);
        SetValue s = c.db().get(argv[1], SetValue.class);
        List<byte[]> found = new ArrayList<>();
        long next = 0;
        if (s != null) next = s.scan(scan.cursor, scan.count, m -> {
            if (scan.matches(m)) found.add(m);
        });
        c.reply.arrayHeader(2);
        c.reply.bulk(io.keyline.util.Bytes.fromLong(next));
        c.reply.arrayHeader(found.size());
        for (byte[] m : found) c.reply.bulk(m);
    }

    /** The handlers of the commands registered above, one class for all of them (see {@link Handler}). */
    private enum Op implements Handler {
        SADD, SREM, SCARD, SISMEMBER, SMISMEMBER, SMEMBERS, SPOP, SRANDMEMBER, SMOVE, SINTER, SINTERCARD, SINTERSTORE,
        SUNION, SUNIONSTORE, SDIFF, SDIFFSTORE, SSCAN;

        @Override
        public void handle(CallContext c, byte[][] argv) {
            switch (this) {
                case SADD -> sadd(c, argv);
                case SREM -> srem(c, argv);
                case SCARD -> scard(c, argv);
                case SISMEMBER -> sismember(c, argv);
                case SMISMEMBER -> smismember(c, argv);
                case SMEMBERS -> smembers(c, argv);
                case SPOP -> spop(c, argv);
                case SRANDMEMBER -> srandmember(c, argv);
                case SMOVE -> smove(c, argv);
                case SINTER -> sinter(c, argv);
                case SINTERCARD -> sintercard(c, argv);
                case SINTERSTORE -> sinterstore(c, argv);
                case SUNION -> sunion(c, argv);
                case SUNIONSTORE -> sunionstore(c, argv);
                case SDIFF -> sdiff(c, argv);
                case SDIFFSTORE -> sdiffstore(c, argv);
                case SSCAN -> sscan(c, argv);
            }
        }
    }
}
