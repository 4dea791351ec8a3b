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
import io.keyline.protocol.ReplyWriter;
import io.keyline.util.Bytes;
import io.keyline.store.Database;
import io.keyline.store.LongDouble;
import io.keyline.store.type.HashValue;
import io.keyline.util.Glob;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Hash commands (Redis's {@code t_hash.c}). Values are {@link HashValue}s; an emptied hash is deleted. */
final class HashCommands {
    static final byte[] HSET = "HSET".getBytes(StandardCharsets.US_ASCII);

    private HashCommands() {
    }

    static void register(CommandTable t) {
        t.command("hset", -4).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl("hash").group("hash")
                .doc("Creates or modifies the value of a field in a hash.", "2.0.0",
                        "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW update"))
                .handler(Op.HSET);
        t.command("hsetnx", 4).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl("hash").group("hash")
                .doc("Sets the value of a field in a hash only when the field doesn't exist.", "2.0.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW insert"))
                .handler(Op.HSETNX);
        t.command("hget", 3).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl("hash").group("hash")
                .doc("Returns the value of a field in a hash.", "2.0.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.HGET);
        t.command("hmget", -3).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl("hash").group("hash")
                .doc("Returns the values of all fields in a hash.", "2.0.0", "O(N) where N is the number of fields being requested.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.HMGET);
        t.command("hmset", -4).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl("hash").group("hash")
                .doc("Sets the values of multiple fields.", "2.0.0", "O(N) where N is the number of fields being set.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW update"))
                .handler(Op.HMSET);
        t.command("hdel", -3).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl("hash").group("hash")
                .doc("Deletes one or more fields and their values from a hash. Deletes the hash if no fields remain.", "2.0.0",
                        "O(N) where N is the number of fields to be removed.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW delete"))
                .handler(Op.HDEL);
        t.command("hlen", 2).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl("hash").group("hash")
                .doc("Returns the number of fields in a hash.", "2.0.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO"))
                .handler(Op.HLEN);
        t.command("hstrlen", 3).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl("hash").group("hash")
                .doc("Returns the length of the value of a field.", "3.2.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO"))
                .handler(Op.HSTRLEN);
        t.command("hexists", 3).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl("hash").group("hash")
                .doc("Determines whether a field exists in a hash.", "2.0.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO"))
                .handler(Op.HEXISTS);
        t.command("hkeys", 2).flags(Flag.READONLY).keys(1, 1, 1).acl("hash").group("hash")
                .doc("Returns all fields in a hash.", "2.0.0", "O(N) where N is the size of the hash.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .tips("nondeterministic_output_order")
                .handler(Op.HKEYS);
        t.command("hvals", 2).flags(Flag.READONLY).keys(1, 1, 1).acl("hash").group("hash")
                .doc("Returns all values in a hash.", "2.0.0", "O(N) where N is the size of the hash.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .tips("nondeterministic_output_order")
                .handler(Op.HVALS);
        t.command("hgetall", 2).flags(Flag.READONLY).keys(1, 1, 1).acl("hash").group("hash")
                .doc("Returns all fields and values in a hash.", "2.0.0", "O(N) where N is the size of the hash.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .tips("nondeterministic_output_order")
                .handler(Op.HGETALL);
        t.command("hincrby", 4).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl("hash").group("hash")
                .doc("Increments the integer value of a field in a hash by a number. Uses 0 as initial value if the field doesn't exist.",
                        "2.0.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW access update"))
                .handler(Op.HINCRBY);
        t.command("hincrbyfloat", 4).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl("hash").group("hash")
                .doc("Increments the floating point value of a field by a number. Uses 0 as initial value if the field doesn't exist.",
                        "2.6.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW access update"))
                .handler(Op.HINCRBYFLOAT);
        t.command("hrandfield", -2).flags(Flag.READONLY).keys(1, 1, 1).acl("hash").group("hash")
                .doc("Returns one or more random fields from a hash.", "6.2.0",
                        "O(N) where N is the number of fields returned")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .tips("nondeterministic_output")
                .handler(Op.HRANDFIELD);
        t.command("hscan", -3).flags(Flag.READONLY).keys(1, 1, 1).acl("hash").group("hash")
                .doc("Iterates over fields and values of a hash.", "2.8.0",
                        "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .tips("nondeterministic_output")
                .handler(Op.HSCAN);
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Sets pairs {@code argv[from..]} into the hash at key (created if absent); returns new fields. */
    private static long setPairs(CallContext c, byte[] key, byte[][] argv, int from) {
        Database db = c.db();
        HashValue h = db.getForWrite(key, HashValue.class);
        if (h == null) h = db.add(key, new HashValue(c.server().encodingLimits()));
        long before = db.beginUpdate(h);
        long added = 0;
        for (int i = from; i + 1 < argv.length; i += 2) {
            if (h.put(argv[i], argv[i + 1])) added++;
        }
        db.endUpdate(key, h, before);
        return added;
    }

    // ---- writes -------------------------------------------------------------------------------

    /** HSET key field value [field value ...] */
    static void hset(CallContext c, byte[][] argv) {
        if (argv.length % 2 == 1) throw Errors.wrongArgs("hset");
        long added = setPairs(c, argv[1], argv, 2);
        c.modified(argv[1]);
        c.notifyKeyspaceEvent(KeyspaceEvents.HASH, "hset", argv[1]);
        c.reply.integer(added);
    }

    /** HMSET key field value [field value ...] */
    static void hmset(CallContext c, byte[][] argv) {
        if (argv.length % 2 == 1) throw Errors.wrongArgs("hmset");
        setPairs(c, argv[1], argv, 2);
        c.modified(argv[1]);
        c.notifyKeyspaceEvent(KeyspaceEvents.HASH, "hset", argv[1]);
        c.reply.ok();
    }

    /** HSETNX key field value */
    static void hsetnx(CallContext c, byte[][] argv) {
        HashValue h = c.db().getForWrite(argv[1], HashValue.class);
        if (h != null && h.contains(argv[2])) {
            c.reply.integer(0);
            return;
        }
        setPairs(c, argv[1], argv, 2);
        c.modified(argv[1]);
        c.notifyKeyspaceEvent(KeyspaceEvents.HASH, "hset", argv[1]);
        c.reply.integer(1);
    }

    /** HDEL key field [field ...] */
    static void hdel(CallContext c, byte[][] argv) {
        Database db = c.db();
        byte[] key = argv[1];
        HashValue h = db.getForWrite(key, HashValue.class);
        if (h == null) {
            c.reply.integer(0);
            return;
        }
        long before = db.beginUpdate(h);
        long deleted = 0;
        for (int i = 2; i < argv.length && !h.isEmpty(); i++) if (h.remove(argv[i])) deleted++;
        if (deleted > 0) {
            db.endUpdate(key, h, before);
            c.modified(key);
            c.notifyKeyspaceEvent(KeyspaceEvents.HASH, "hdel", key);
            if (h.isEmpty()) c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", key);
        }
        c.reply.integer(deleted);
    }

    /** HINCRBY key field increment */
    static void hincrby(CallContext c, byte[][] argv) {
        long incr = Args.toLong(argv[3]);
        HashValue h = c.db().getForWrite(argv[1], HashValue.class);
        long current = 0;
        byte[] old = h == null ? null : h.get(argv[2]);
        if (old != null) {
            Long v = Bytes.parseLongOrError(old);
            if (v == null) throw new RedisException("ERR hash value is not an integer");
            current = v;
        }
        if ((incr < 0 && current < 0 && incr < Long.MIN_VALUE - current)
                || (incr > 0 && current > 0 && incr > Long.MAX_VALUE - current)) {
            throw new RedisException(Errors.OVERFLOW);
        }
        long result = current + incr;
        setPairs(c, argv[1], new byte[][]{argv[2], Bytes.fromLong(result)}, 0);
        c.modified(argv[1]);
        c.notifyKeyspaceEvent(KeyspaceEvents.HASH, "hincrby", argv[1]);
        c.reply.integer(result);
    }

    /** HINCRBYFLOAT key field increment (logged as HSET with the result; C long double arithmetic) */
    static void hincrbyfloat(CallContext c, byte[][] argv) {
        LongDouble.Value incr = LongDouble.parse(argv[3]);
        if (incr == null) throw new RedisException(Errors.NOT_FLOAT);
        if (incr.isInfinite()) throw new RedisException("ERR value is NaN or Infinity");
        HashValue h = c.db().getForWrite(argv[1], HashValue.class);
        byte[] old = h == null ? null : h.get(argv[2]);
        LongDouble.Value current = new LongDouble.Value(BigDecimal.ZERO, 0);
        if (old != null) {
            current = LongDouble.parse(old);
            if (current == null) throw new RedisException("ERR hash value is not a float");
        }
        LongDouble.Value sum = LongDouble.add(current, incr);
        if (sum == null || sum.isInfinite()) throw new RedisException("ERR increment would produce NaN or Infinity");
        byte[] result = LongDouble.format(sum).getBytes(StandardCharsets.US_ASCII);
        setPairs(c, argv[1], new byte[][]{argv[2], result}, 0);
        c.modified(argv[1]);
        c.notifyKeyspaceEvent(KeyspaceEvents.HASH, "hincrbyfloat", argv[1]);
        c.propagateAs(HSET, argv[1], argv[2], result);
        c.reply.bulk(result);
    }

    // ---- reads --------------------------------------------------------------------------------

    /** HGET key field */
    static void hget(CallContext c, byte[][] argv) {
        HashValue h = c.db().get(argv[1], HashValue.class);
        c.reply.bulk(h == null ? null : h.get(argv[2]));
    }

    /** HMGET key field [field ...] */
    static void hmget(CallContext c, byte[][] argv) {
        HashValue h = c.db().get(argv[1], HashValue.class);
        c.reply.arrayHeader(argv.length - 2);
        for (int i = 2; i < argv.length; i++) c.reply.bulk(h == null ? null : h.get(argv[i]));
    }

    /** HLEN key */
    static void hlen(CallContext c, byte[][] argv) {
        HashValue h = c.db().get(argv[1], HashValue.class);
        c.reply.integer(h == null ? 0 : h.size());
    }

    /** HSTRLEN key field */
    static void hstrlen(CallContext c, byte[][] argv) {
        HashValue h = c.db().get(argv[1], HashValue.class);
        byte[] v = h == null ? null : h.get(argv[2]);
        c.reply.integer(v == null ? 0 : v.length);
    }

    /** HEXISTS key field */
    static void hexists(CallContext c, byte[][] argv) {
        HashValue h = c.db().get(argv[1], HashValue.class);
        c.reply.integer(h != null && h.contains(argv[2]) ? 1 : 0);
    }

    /** HKEYS key */
    static void hkeys(CallContext c, byte[][] argv) {
        HashValue h = c.db().get(argv[1], HashValue.class);
        if (h == null) {
            c.reply.emptyArray();
            return;
        }
        ReplyWriter r = c.reply;
        r.arrayHeader(h.size());
        h.forEach((f, v) -> r.bulk(f));
    }

    /** HVALS key */
    static void hvals(CallContext c, byte[][] argv) {
        HashValue h = c.db().get(argv[1], HashValue.class);
        if (h == null) {
            c.reply.emptyArray();
            return;
        }
        ReplyWriter r = c.reply;
        r.arrayHeader(h.size());
        h.forEach((f, v) -> r.bulk(v));
    }

    /** HGETALL key (a map in RESP3) */
    static void hgetall(CallContext c, byte[][] argv) {
        HashValue h = c.db().get(argv[1], HashValue.class);
        ReplyWriter r = c.reply;
        r.mapHeader(h == null ? 0 : h.size());
        if (h == null) return;
        h.forEach((f, v) -> {
            r.bulk(f);
            r.bulk(v);
        });
    }

    /** HRANDFIELD key [count [WITHVALUES]] */
    static void hrandfield(CallContext c, byte[][] argv) {
        if (argv.length == 2) {
            HashValue h = c.db().get(argv[1], HashValue.class);
            byte[][] pair = h == null ? null : h.randomPair(ThreadLocalRandom.current());
            c.reply.bulk(pair == null ? null : pair[0]);
            return;
        }
        long count = Args.toLong(argv[2]);
        if (count == Long.MIN_VALUE) {
            throw new RedisException("ERR value is out of range, value must between " + -Long.MAX_VALUE + " and " + Long.MAX_VALUE);
        }
        boolean withValues = false;
        if (argv.length > 4 || (argv.length == 4 && !Args.is(argv[3], "withvalues"))) throw Errors.syntax();
        if (argv.length == 4) {
            withValues = true;
            if (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2) throw new RedisException("ERR value is out of range");
        }
        HashValue h = c.db().get(argv[1], HashValue.class);
        ReplyWriter r = c.reply;
        if (h == null || count == 0) {
            r.emptyArray();
            return;
        }
        boolean pairsAsArrays = withValues && r.resp3();
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        if (count < 0 || count == 1) {
            long n = Math.abs(count);
            r.arrayHeader(withValues && !r.resp3() ? n * 2 : n);
            for (long i = 0; i < n; i++) writePair(r, h.randomPair(rnd), withValues, pairsAsArrays);
            return;
        }
        int size = h.size();
        List<byte[][]> all = new ArrayList<>(size);
        h.forEach((f, v) -> all.add(new byte[][]{f, v}));
        if (count < size) {
            // Partial Fisher-Yates: the first `count` slots become a uniform sample without repeats.
            for (int i = 0; i < count; i++) Collections.swap(all, i, i + rnd.nextInt(size - i));
        }
        int n = (int) Math.min(count, size);
        r.arrayHeader(withValues && !r.resp3() ? n * 2L : n);
        for (int i = 0; i < n; i++) writePair(r, all.get(i), withValues, pairsAsArrays);
    }

    private static void writePair(ReplyWriter r, byte[][] pair, boolean withValues, boolean asArray) {
        if (asArray) r.arrayHeader(2);
        r.bulk(pair[0]);
        if (withValues) r.bulk(pair[1]);
    }

    /** HSCAN key cursor [MATCH pattern] [COUNT count] */
    static void hscan(CallContext c, byte[][] argv) {
        long cursor = parseCursor(argv[2]);
        HashValue h = c.db().get(argv[1], HashValue.class);
        ReplyWriter r = c.reply;
        if (h == null) {
            r.arrayHeader(2);
            r.bulk(new byte[]{'0'});
            r.emptyArray();
            return;
        }
        long count = 10;
        byte[] pattern = null;
        for (int j = 3; j < argv.length; j++) {
            boolean more = j + 1 < argv.length;
            if (Args.is(argv[j], "count") && more) {
                count = Args.toLong(argv[++j]);
                if (count < 1) throw Errors.syntax();
            } else if (Args.is(argv[j], "match") && more) {
                pattern = argv[++j];
                if (pattern.length == 1 && pattern[0] == '*') pattern = null;
            } else {
                throw Errors.syntax();
            }
        }
        List<byte[]> out = new ArrayList<>();
        byte[] p = pattern;
        long next = h.scan(cursor, count, (f, v) -> {
            if (p != null && !Glob.match(p, f, false)) return;
            out.add(f);
            out.add(v);
        });
        r.arrayHeader(2);
        r.bulk(Long.toUnsignedString(next).getBytes(StandardCharsets.US_ASCII));
        r.arrayHeader(out.size());
        for (byte[] b : out) r.bulk(b);
    }

    /** A SCAN cursor: an unsigned decimal, else {@code ERR invalid cursor}. */
    static long parseCursor(byte[] arg) {
        try {
            String s = Bytes.str(arg);
            boolean negative = !s.isEmpty() && s.charAt(0) == '-';
            if (!s.isEmpty() && (negative || s.charAt(0) == '+')) s = s.substring(1);
            if (s.isEmpty() || s.charAt(0) == '+' || s.charAt(0) == '-') throw new NumberFormatException();
            long v = Long.parseUnsignedLong(s); // strtoul: "-1" wraps around as in C
            return negative ? -v : v;
        } catch (NumberFormatException e) {
            throw new RedisException(Errors.INVALID_CURSOR);
        }
    }

    /** The handlers of the commands registered above, one class for all of them (see {@link Handler}). */
    private enum Op implements Handler {
        HSET, HSETNX, HGET, HMGET, HMSET, HDEL, HLEN, HSTRLEN, HEXISTS, HKEYS, HVALS, HGETALL, HINCRBY, HINCRBYFLOAT,
        HRANDFIELD, HSCAN;

        @Override
        public void handle(CallContext c, byte[][] argv) {
            switch (this) {
                case HSET -> hset(c, argv);
                case HSETNX -> hsetnx(c, argv);
                case HGET -> hget(c, argv);
                case HMGET -> hmget(c, argv);
                case HMSET -> hmset(c, argv);
                case HDEL -> hdel(c, argv);
                case HLEN -> hlen(c, argv);
                case HSTRLEN -> hstrlen(c, argv);
                case HEXISTS -> hexists(c, argv);
                case HKEYS -> hkeys(c, argv);
                case HVALS -> hvals(c, argv);
                case HGETALL -> hgetall(c, argv);
                case HINCRBY -> hincrby(c, argv);
                case HINCRBYFLOAT -> hincrbyfloat(c, argv);
                case HRANDFIELD -> hrandfield(c, argv);
                case HSCAN -> hscan(c, argv);
            }
        }
    }
}
