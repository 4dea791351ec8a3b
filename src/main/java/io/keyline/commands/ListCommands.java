package io.keyline.commands;

import io.keyline.engine.Handler;
import io.keyline.engine.KeySpec;

import io.keyline.engine.Args;
import io.keyline.engine.BlockingRegistry;
import io.keyline.engine.CallContext;
import io.keyline.pubsub.KeyspaceEvents;
import io.keyline.engine.CommandSpec;
import io.keyline.engine.CommandTable;
import io.keyline.engine.Errors;
import io.keyline.engine.KeyFinder;
import io.keyline.engine.RedisException;

import io.keyline.engine.CommandSpec.Flag;
import io.keyline.protocol.ReplyWriter;
import io.keyline.store.Database;
import io.keyline.store.type.ListValue;

import java.nio.charset.StandardCharsets;

/**
 * List commands (Redis's {@code t_list.c}): pushes, pops, ranges, LPOS, LMOVE, LMPOP and the
 * blocking variants, which wait through the {@link BlockingRegistry}. Values are {@link ListValue}s;
 * an emptied list is deleted.
 */
final class ListCommands {
    static final byte[] LPOP = ascii("LPOP");
    static final byte[] RPOP = ascii("RPOP");
    static final byte[] LMOVE = ascii("LMOVE");
    static final byte[] RPOPLPUSH = ascii("RPOPLPUSH");
    static final byte[] LEFT = ascii("LEFT");
    static final byte[] RIGHT = ascii("RIGHT");
    private static final String RANK_ZERO = "ERR RANK can't be zero: use 1 to start from the first match, "
            + "2 from the second ... or use negative to start from the end of the list";

    private ListCommands() {
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static void register(CommandTable t) {
        // SORT ... STORE builds lists through this hook, with the limits of the server it runs in
        io.keyline.store.TypeHooks.listFactory = new ListFactory();
        t.command("lpush", -3).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl("list").group("list")
                .doc("Prepends one or more elements to a list. Creates the key if it doesn't exist.", "1.0.0",
                        "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW insert"))
                .handler(Op.LPUSH);
        t.command("rpush", -3).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl("list").group("list")
                .doc("Appends one or more elements to a list. Creates the key if it doesn't exist.", "1.0.0",
                        "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW insert"))
                .handler(Op.RPUSH);
        t.command("lpushx", -3).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl("list").group("list")
                .doc("Prepends one or more elements to a list only when the list exists.", "2.2.0",
                        "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW insert"))
                .handler(Op.LPUSHX);
        t.command("rpushx", -3).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl("list").group("list")
                .doc("Appends an element to a list only when the list exists.", "2.2.0",
                        "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW insert"))
                .handler(Op.RPUSHX);
        t.command("lpop", -2).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl("list").group("list")
                .doc("Returns the first elements in a list after removing it. Deletes the list if the last element was popped.",
                        "1.0.0", "O(N) where N is the number of elements returned")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW access delete"))
                .handler(Op.LPOP);
        t.command("rpop", -2).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl("list").group("list")
                .doc("Returns and removes the last elements of a list. Deletes the list if the last element was popped.",
                        "1.0.0", "O(N) where N is the number of elements returned")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW access delete"))
                .handler(Op.RPOP);
        t.command("llen", 2).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl("list").group("list")
                .doc("Returns the length of a list.", "1.0.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO"))
                .handler(Op.LLEN);
        t.command("lrange", 4).flags(Flag.READONLY).keys(1, 1, 1).acl("list").group("list")
                .doc("Returns a range of elements from a list.", "1.0.0",
                        "O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.LRANGE);
        t.command("lindex", 3).flags(Flag.READONLY).keys(1, 1, 1).acl("list").group("list")
                .doc("Returns an element from a list by its index.", "1.0.0",
                        "O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.LINDEX);
        t.command("lset", 4).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1).acl("list").group("list")
                .doc("Sets the value of an element in a list by its index.", "1.0.0",
                        "O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW update"))
                .handler(Op.LSET);
        t.command("linsert", 5).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1).acl("list").group("list")
                .doc("Inserts an element before or after another element in a list.", "2.2.0",
                        "O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW insert"))
                .handler(Op.LINSERT);
        t.command("lrem", 4).flags(Flag.WRITE).keys(1, 1, 1).acl("list").group("list")
                .doc("Removes elements from a list. Deletes the list if the last element was removed.", "1.0.0",
                        "O(N+M) where N is the length of the list and M is the number of elements removed.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW delete"))
                .handler(Op.LREM);
        t.command("ltrim", 4).flags(Flag.WRITE).keys(1, 1, 1).acl("list").group("list")
                .doc("Removes elements from both ends a list. Deletes the list if all elements were trimmed.", "1.0.0",
                        "O(N) where N is the number of elements to be removed by the operation.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW delete"))
                .handler(Op.LTRIM);
        t.command("lpos", -3).flags(Flag.READONLY).keys(1, 1, 1).acl("list").group("list")
                .doc("Returns the index of matching elements in a list.", "6.0.6",
                        "O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.LPOS);
        t.command("lmove", 5).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 2, 1).acl("list").group("list")
                .doc("Returns an element after popping it from one list and pushing it to another. Deletes the list if the last element was moved.",
                        "6.2.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW access delete"))
                .keySpec(KeySpec.index(2).range(0, 1, 0).flags("RW insert"))
                .handler(Op.LMOVE);
        t.command("rpoplpush", 3).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 2, 1).acl("list").group("list")
                .doc("Returns the last element of a list after removing and pushing it to another list. Deletes the list if the last element was popped.",
                        "1.2.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW access delete"))
                .keySpec(KeySpec.index(2).range(0, 1, 0).flags("RW insert"))
                .handler(Op.RPOPLPUSH);
        t.command("lmpop", -4).flags(Flag.WRITE).keys(ListCommands.numkeysAt(1)).acl("list").group("list")
                .doc("Returns multiple elements from a list after removing them. Deletes the list if the last element was popped.",
                        "7.0.0", "O(N+M) where N is the number of provided keys and M is the number of elements returned.")
                .keySpec(KeySpec.index(1).keynum(0, 1, 1).flags("RW access delete"))
                .handler(Op.LMPOP);
        t.command("blpop", -3).flags(Flag.WRITE, Flag.NOSCRIPT, Flag.BLOCKING).keys(1, -2, 1).acl("list").group("list")
                .doc("Removes and returns the first element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.",
                        "2.0.0", "O(N) where N is the number of provided keys.")
                .keySpec(KeySpec.index(1).range(-2, 1, 0).flags("RW access delete"))
                .handler(Op.BLPOP);
        t.command("brpop", -3).flags(Flag.WRITE, Flag.NOSCRIPT, Flag.BLOCKING).keys(1, -2, 1).acl("list").group("list")
                .doc("Removes and returns the last element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.",
                        "2.0.0", "O(N) where N is the number of provided keys.")
                .keySpec(KeySpec.index(1).range(-2, 1, 0).flags("RW access delete"))
                .handler(Op.BRPOP);
        t.command("brpoplpush", 4).flags(Flag.WRITE, Flag.DENYOOM, Flag.NOSCRIPT, Flag.BLOCKING).keys(1, 2, 1).acl("list").group("list")
                .doc("Pops an element from a list, pushes it to another list and returns it. Block until an element is available otherwise. Deletes the list if the last element was popped.",
                        "2.2.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW access delete"))
                .keySpec(KeySpec.index(2).range(0, 1, 0).flags("RW insert"))
                .handler(Op.BRPOPLPUSH);
        t.command("blmove", 6).flags(Flag.WRITE, Flag.DENYOOM, Flag.NOSCRIPT, Flag.BLOCKING).keys(1, 2, 1).acl("list").group("list")
                .doc("Pops an element from a list, pushes it to another list and returns it. Blocks until an element is available otherwise. Deletes the list if the last element was moved.",
                        "6.2.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW access delete"))
                .keySpec(KeySpec.index(2).range(0, 1, 0).flags("RW insert"))
                .handler(Op.BLMOVE);
        t.command("blmpop", -5).flags(Flag.WRITE, Flag.BLOCKING).keys(ListCommands.numkeysAt(2)).acl("list").group("list")
                .doc("Pops the first element from one of multiple lists. Blocks until an element is available otherwise. Deletes the list if the last element was popped.",
                        "7.0.0", "O(N+M) where N is the number of provided keys and M is the number of elements returned.")
                .keySpec(KeySpec.index(2).keynum(0, 1, 1).flags("RW access delete"))
                .handler(Op.BLMPOP);
    }

    /** Keys of LMPOP (numkeys at 1) and BLMPOP (numkeys at 2): empty when malformed (the handler reports it). */
    static KeyFinder numkeysAt(int numkeysIndex) {
        return new NumkeysAt(numkeysIndex);
    }

    /** A class rather than a lambda: see {@link KeyFinders}. */
    private static final class NumkeysAt implements KeyFinder {
        private final int numkeysIndex;

        NumkeysAt(int numkeysIndex) {
            this.numkeysIndex = numkeysIndex;
        }

        @Override
        public int[] keys(byte[][] argv) {
            if (argv.length <= numkeysIndex) return CommandSpec.NO_KEYS;
            Long n = io.keyline.util.Bytes.parseLongOrError(argv[numkeysIndex]);
            if (n == null || n < 1 || n > argv.length - numkeysIndex - 2) return CommandSpec.NO_KEYS;
            int[] out = new int[(int) (long) n];
            for (int i = 0; i < out.length; i++) out[i] = numkeysIndex + 1 + i;
            return out;
        }
    }

    /** SORT ... STORE's list builder; a class rather than a lambda: see {@link KeyFinders}. */
    private static final class ListFactory implements java.util.function.BiFunction<io.keyline.store.EncodingLimits, java.util.List<byte[]>, Object> {
        @Override
        public Object apply(io.keyline.store.EncodingLimits limits, java.util.List<byte[]> elements) {
            ListValue l = new ListValue(limits);
            // Copies: a GET pattern's values may be strings' stored arrays, which change in place, and a list keeps
            // the arrays it is given.
            for (byte[] e : elements) l.pushRight(e.clone());
            return l;
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** An empty list whose node size follows this server's list-max-listpack-size. */
    private static ListValue newList(CallContext c) {
        return new ListValue(c.server().encodingLimits());
    }

    /** LEFT / RIGHT argument: true for LEFT. */
    private static boolean parseSide(byte[] arg) {
        if (Args.is(arg, "left")) return true;
        if (Args.is(arg, "right")) return false;
        throw Errors.syntax();
    }

    /** Pushes onto the list at key, creating it; returns the new length. */
    /** Redis's pop notification, then "del" if the pop emptied (and so deleted) the list. */
    private static void notifyPopped(CallContext c, byte[] key, ListValue l, boolean left) {
        c.notifyKeyspaceEvent(KeyspaceEvents.LIST, left ? "lpop" : "rpop", key);
        if (l.isEmpty()) c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", key);
    }

    /** Redis's notification after a change that may have emptied (and so deleted) the list. */
    private static void notifyChanged(CallContext c, byte[] key, ListValue l, String event) {
        c.notifyKeyspaceEvent(KeyspaceEvents.LIST, event, key);
        if (l.isEmpty()) c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", key);
    }

    private static long pushInto(CallContext c, byte[] key, ListValue l, boolean left, byte[][] args, int from) {
        Database db = c.db();
        if (l == null) l = db.add(key, newList(c));
        long before = db.beginUpdate(l);
        l.push(left, args, from);
        db.endUpdate(key, l, before);
        return l.size();
    }

    // ---- pushes -------------------------------------------------------------------------------

    /** LPUSH key element [element ...] */
    static void lpush(CallContext c, byte[][] argv) {
        push(c, argv, true, false);
    }

    /** RPUSH key element [element ...] */
    static void rpush(CallContext c, byte[][] argv) {
        push(c, argv, false, false);
    }

    /** LPUSHX key element [element ...] */
    static void lpushx(CallContext c, byte[][] argv) {
        push(c, argv, true, true);
    }

    /** RPUSHX key element [element ...] */
    static void rpushx(CallContext c, byte[][] argv) {
        push(c, argv, false, true);
    }

    private static void push(CallContext c, byte[][] argv, boolean left, boolean onlyIfExists) {
        Database db = c.db();
        byte[] key = argv[1];
        ListValue l = db.getForWrite(key, ListValue.class);
        if (l == null && onlyIfExists) {
            c.reply.integer(0);
            return;
        }
        long len = pushInto(c, key, l, left, argv, 2);
        c.modified(key);
        c.notifyKeyspaceEvent(KeyspaceEvents.LIST, left ? "lpush" : "rpush", key);
        c.reply.integer(len);
    }

    // ---- pops ---------------------------------------------------------------------------------

    /** LPOP key [count] */
    static void lpop(CallContext c, byte[][] argv) {
        pop(c, argv, true);
    }

    /** RPOP key [count] */
    static void rpop(CallContext c, byte[][] argv) {
        pop(c, argv, false);
    }

    private static void pop(CallContext c, byte[][] argv, boolean left) {
        if (argv.length > 3) throw Errors.wrongArgs(left ? "lpop" : "rpop");
        boolean hasCount = argv.length == 3;
        long count = 1;
        if (hasCount) {
            count = Args.toLong(argv[2], Errors.NOT_POSITIVE);
            if (count < 0) throw new RedisException(Errors.NOT_POSITIVE);
        }
        Database db = c.db();
        byte[] key = argv[1];
        ListValue l = db.getForWrite(key, ListValue.class);
        if (l == null) {
            if (hasCount) c.reply.nullArray();
            else c.reply.nullBulk();
            return;
        }
        if (hasCount && count == 0) {
            c.reply.emptyArray();
            return;
        }
        long before = db.beginUpdate(l);
        // The reply writer takes each element straight from the list node (no copy, no sink object per call).
        if (!hasCount) {
            l.pop(left, c.reply);
        } else {
            int n = (int) Math.min(count, l.size());
            c.reply.arrayHeader(n);
            for (int i = 0; i < n; i++) l.pop(left, c.reply.bulks());
            c.reply.endBulks();
        }
        db.endUpdate(key, l, before);
        c.modified(key);
        notifyPopped(c, key, l, left);
    }

    /**
     * Pops up to {@code count} elements and replies {@code [key, [elements]]} (LMPOP/BLMPOP) or, when
     * {@code count < 0}, {@code [key, element]} (BLPOP). Deletes the emptied key.
     */
    private static int popWithKey(Database db, byte[] key, ListValue l, boolean left, long count, ReplyWriter r) {
        long before = db.beginUpdate(l);
        r.arrayHeader(2);
        r.bulk(key);
        int n;
        // Each element goes from the list node straight into the reply, as LPOP's do.
        if (count < 0) {
            l.pop(left, r);
            n = 1;
        } else {
            n = (int) Math.min(count, l.size());
            r.arrayHeader(n);
            for (int i = 0; i < n; i++) l.pop(left, r.bulks());
            r.endBulks();
        }
        db.endUpdate(key, l, before);
        return n;
    }

    // ---- reads --------------------------------------------------------------------------------

    /** LLEN key */
    static void llen(CallContext c, byte[][] argv) {
        ListValue l = c.db().get(argv[1], ListValue.class);
        c.reply.integer(l == null ? 0 : l.size());
    }

    /** LRANGE key start stop */
    static void lrange(CallContext c, byte[][] argv) {
        long start = Args.toLong(argv[2]);
        long end = Args.toLong(argv[3]);
        ListValue l = c.db().get(argv[1], ListValue.class);
        if (l == null) {
            c.reply.emptyArray();
            return;
        }
        long len = l.size();
        if (start < 0) start += len;
        if (end < 0) end += len;
        if (start < 0) start = 0;
        if (start > end || start >= len) {
            c.reply.emptyArray();
            return;
        }
        if (end >= len) end = len - 1;
        c.reply.arrayHeader(end - start + 1);
        // Each element goes from the list node's bytes straight into the reply (no copy, no lambda),
        // short ones through the writer's staging block.
        l.forEachRange((int) start, (int) end, c.reply.bulks());
        c.reply.endBulks();
    }

    /** LINDEX key index */
    static void lindex(CallContext c, byte[][] argv) {
        ListValue l = c.db().get(argv[1], ListValue.class);
        if (l == null) {
            c.reply.nullBulk();
            return;
        }
        int i = l.normalize(Args.toLong(argv[2]));
        c.reply.bulk(i < 0 ? null : l.get(i));
    }

    /** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len] */
    static void lpos(CallContext c, byte[][] argv) {
        long rank = 1;
        long count = -1;
        long maxlen = 0;
        for (int j = 3; j < argv.length; j++) {
            boolean more = j + 1 < argv.length;
            if (Args.is(argv[j], "rank") && more) {
                rank = Args.toLong(argv[++j]);
                if (rank == Long.MIN_VALUE) {
                    throw new RedisException("ERR value is out of range, value must between " + -Long.MAX_VALUE + " and " + Long.MAX_VALUE);
                }
                if (rank == 0) throw new RedisException(RANK_ZERO);
            } else if (Args.is(argv[j], "count") && more) {
                count = Args.toLong(argv[++j], "ERR COUNT can't be negative");
                if (count < 0) throw new RedisException("ERR COUNT can't be negative");
            } else if (Args.is(argv[j], "maxlen") && more) {
                maxlen = Args.toLong(argv[++j], "ERR MAXLEN can't be negative");
                if (maxlen < 0) throw new RedisException("ERR MAXLEN can't be negative");
            } else {
                throw Errors.syntax();
            }
        }
        boolean forward = rank > 0;
        if (rank < 0) rank = -rank;
        ListValue l = c.db().get(argv[1], ListValue.class);
        if (l == null) {
            if (count != -1) c.reply.emptyArray();
            else c.reply.nullBulk();
            return;
        }
        byte[] element = argv[2];
        ListValue.Cursor cur = l.cursor(forward);
        long scanned = 0;
        long matches = 0;
        if (count == -1) {
            while (cur.hasNext() && (maxlen == 0 || scanned < maxlen)) {
                int index = cur.index();
                if (java.util.Arrays.equals(cur.next(), element) && ++matches >= rank) {
                    c.reply.integer(index);
                    return;
                }
                scanned++;
            }
            c.reply.nullBulk();
            return;
        }
        java.util.List<Integer> found = new java.util.ArrayList<>();
        while (cur.hasNext() && (maxlen == 0 || scanned < maxlen)) {
            int index = cur.index();
            if (java.util.Arrays.equals(cur.next(), element) && ++matches >= rank) {
                found.add(index);
                if (count != 0 && matches - rank + 1 >= count) break;
            }
            scanned++;
        }
        c.reply.arrayHeader(found.size());
        for (int i : found) c.reply.integer(i);
    }

    // ---- in-place edits -----------------------------------------------------------------------

    /** LSET key index element */
    static void lset(CallContext c, byte[][] argv) {
        Database db = c.db();
        byte[] key = argv[1];
        ListValue l = db.getForWrite(key, ListValue.class);
        if (l == null) throw new RedisException(Errors.NO_SUCH_KEY);
        int i = l.normalize(Args.toLong(argv[2]));
        if (i < 0) throw new RedisException("ERR index out of range");
        long before = db.beginUpdate(l);
        l.set(i, argv[3]);
        db.endUpdate(key, l, before);
        c.modified(key);
        c.notifyKeyspaceEvent(KeyspaceEvents.LIST, "lset", key);
        c.reply.ok();
    }

    /** LINSERT key BEFORE|AFTER pivot element */
    static void linsert(CallContext c, byte[][] argv) {
        boolean before;
        if (Args.is(argv[2], "before")) before = true;
        else if (Args.is(argv[2], "after")) before = false;
        else throw Errors.syntax();
        Database db = c.db();
        byte[] key = argv[1];
        ListValue l = db.getForWrite(key, ListValue.class);
        if (l == null) {
            c.reply.integer(0);
            return;
        }
        long bytesBefore = db.beginUpdate(l);
        if (!l.insert(argv[3], before, argv[4])) {
            c.reply.integer(-1);
            return;
        }
        db.endUpdate(key, l, bytesBefore);
        c.modified(key);
        c.notifyKeyspaceEvent(KeyspaceEvents.LIST, "linsert", key);
        c.reply.integer(l.size());
    }

    /** LREM key count element */
    static void lrem(CallContext c, byte[][] argv) {
        long count = Args.toLong(argv[2]);
        Database db = c.db();
        byte[] key = argv[1];
        ListValue l = db.getForWrite(key, ListValue.class);
        if (l == null) {
            c.reply.integer(0);
            return;
        }
        long before = db.beginUpdate(l);
        int removed = l.remove(count, argv[3]);
        if (removed > 0) {
            db.endUpdate(key, l, before);
            c.modified(key);
            notifyChanged(c, key, l, "lrem");
        }
        c.reply.integer(removed);
    }

    /** LTRIM key start stop */
    static void ltrim(CallContext c, byte[][] argv) {
        long start = Args.toLong(argv[2]);
        long end = Args.toLong(argv[3]);
        Database db = c.db();
        byte[] key = argv[1];
        ListValue l = db.getForWrite(key, ListValue.class);
        if (l == null) {
            c.reply.ok();
            return;
        }
        long len = l.size();
        if (start < 0) start += len;
        if (end < 0) end += len;
        if (start < 0) start = 0;
        long before = db.beginUpdate(l);
        if (start > end || start >= len) {
            l.trim(1, 0);
        } else {
            if (end >= len) end = len - 1;
            if (start == 0 && end == len - 1) {
                c.reply.ok();
                return;
            }
            l.trim((int) start, (int) end);
        }
        db.endUpdate(key, l, before);
        c.modified(key);
        notifyChanged(c, key, l, "ltrim");
        c.reply.ok();
    }

    // ---- moves --------------------------------------------------------------------------------

    /** LMOVE source destination LEFT|RIGHT LEFT|RIGHT */
    static void lmove(CallContext c, byte[][] argv) {
        boolean fromLeft = parseSide(argv[3]);
        boolean toLeft = parseSide(argv[4]);
        moveOrNull(c, argv[1], argv[2], fromLeft, toLeft);
    }

    /** RPOPLPUSH source destination */
    static void rpoplpush(CallContext c, byte[][] argv) {
        moveOrNull(c, argv[1], argv[2], false, true);
    }

    private static void moveOrNull(CallContext c, byte[] src, byte[] dst, boolean fromLeft, boolean toLeft) {
        Database db = c.db();
        ListValue sl = db.getForWrite(src, ListValue.class);
        if (sl == null) {
            c.reply.nullBulk();
            return;
        }
        c.reply.bulk(move(c, src, sl, dst, fromLeft, toLeft));
        c.modified(src);
        c.modified(dst);
        // Redis's order: the push onto the destination, then the pop (and "del") of the source.
        c.notifyKeyspaceEvent(KeyspaceEvents.LIST, toLeft ? "lpush" : "rpush", dst);
        notifyPopped(c, src, sl, fromLeft);
    }

    /**
     * Pops from the non-empty list {@code sl} at {@code src} and pushes onto {@code dst} (created if
     * absent; WRONGTYPE, checked before anything changes, if it is not a list). Returns the element.
     */
    private static byte[] move(CallContext c, byte[] src, ListValue sl, byte[] dst, boolean fromLeft, boolean toLeft) {
        Database db = c.db();
        ListValue dl = db.getForWrite(dst, ListValue.class);
        long srcBefore = db.beginUpdate(sl);
        byte[] e = sl.pop(fromLeft);
        if (dl == sl) {
            // LMOVE key key: one list, one update (it cannot end empty: the element goes back in)
            if (toLeft) sl.pushLeft(e);
            else sl.pushRight(e);
            db.endUpdate(src, sl, srcBefore);
            return e;
        }
        // The source first: emptied, it gives its key back before a new destination takes one.
        db.endUpdate(src, sl, srcBefore);
        if (dl == null) dl = db.add(dst, newList(c));
        long dstBefore = db.beginUpdate(dl);
        if (toLeft) dl.pushLeft(e);
        else dl.pushRight(e);
        db.endUpdate(dst, dl, dstBefore);
        return e;
    }

    // ---- LMPOP --------------------------------------------------------------------------------

    /** Parsed {@code numkeys key... LEFT|RIGHT [COUNT count]} of LMPOP/BLMPOP. */
    private record MultiPop(byte[][] keys, boolean left, long count) {
    }

    private static MultiPop parseMultiPop(byte[][] argv, int numkeysIndex) {
        long numkeys = Args.toLong(argv[numkeysIndex], "ERR numkeys should be greater than 0");
        if (numkeys < 1) throw new RedisException("ERR numkeys should be greater than 0");
        long whereIndex = numkeysIndex + numkeys + 1;
        if (whereIndex >= argv.length) throw Errors.syntax();
        boolean left = parseSide(argv[(int) whereIndex]);
        long count = -1;
        for (int j = (int) whereIndex + 1; j < argv.length; j++) {
            if (count == -1 && Args.is(argv[j], "count") && j + 1 < argv.length) {
                count = Args.toLong(argv[++j], "ERR count should be greater than 0");
                if (count < 1) throw new RedisException("ERR count should be greater than 0");
            } else {
                throw Errors.syntax();
            }
        }
        byte[][] keys = new byte[(int) numkeys][];
        System.arraycopy(argv, numkeysIndex + 1, keys, 0, keys.length);
        return new MultiPop(keys, left, count == -1 ? 1 : count);
    }

    /** LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count] */
    static void lmpop(CallContext c, byte[][] argv) {
        MultiPop mp = parseMultiPop(argv, 1);
        if (!tryMultiPop(c, mp)) c.reply.nullArray();
    }

    /** Serves LMPOP/BLMPOP from the first non-empty list; false if every list is absent. */
    private static boolean tryMultiPop(CallContext c, MultiPop mp) {
        Database db = c.db();
        for (byte[] key : mp.keys) {
            ListValue l = db.getForWrite(key, ListValue.class);
            if (l == null) continue;
            popWithKey(db, key, l, mp.left, mp.count, c.reply);
            c.modified(key);
            notifyPopped(c, key, l, mp.left);
            c.propagateAs(mp.left ? LPOP : RPOP, key, io.keyline.util.Bytes.fromLong(mp.count));
            return true;
        }
        return false;
    }

    // ---- blocking -----------------------------------------------------------------------------

    /** BLPOP key [key ...] timeout */
    static void blpop(CallContext c, byte[][] argv) {
        blockingPop(c, argv, true);
    }

    /** BRPOP key [key ...] timeout */
    static void brpop(CallContext c, byte[][] argv) {
        blockingPop(c, argv, false);
    }

    private static void blockingPop(CallContext c, byte[][] argv, boolean left) {
        long timeout = BlockingRegistry.parseTimeoutSeconds(argv[argv.length - 1]);
        Database db = c.db();
        byte[][] keys = new byte[argv.length - 2][];
        System.arraycopy(argv, 1, keys, 0, keys.length);
        for (byte[] key : keys) {
            ListValue l = db.getForWrite(key, ListValue.class);
            if (l == null) continue;
            popWithKey(db, key, l, left, -1, c.reply);
            c.modified(key);
            notifyPopped(c, key, l, left);
            c.propagateAs(left ? LPOP : RPOP, key);
            return;
        }
        if (!c.mayBlock()) {
            c.reply.nullArray();
            return;
        }
        c.block(keys, timeout, ListValue.class);
    }

    /** BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count] */
    static void blmpop(CallContext c, byte[][] argv) {
        MultiPop mp = parseMultiPop(argv, 2);
        long timeout = BlockingRegistry.parseTimeoutSeconds(argv[1]);
        if (tryMultiPop(c, mp)) return;
        if (!c.mayBlock()) {
            c.reply.nullArray();
            return;
        }
        c.block(mp.keys, timeout, ListValue.class);
    }

    /** BRPOPLPUSH source destination timeout */
    static void brpoplpush(CallContext c, byte[][] argv) {
        blockingMove(c, argv[1], argv[2], false, true, argv[3], true);
    }

    /** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout */
    static void blmove(CallContext c, byte[][] argv) {
        boolean fromLeft = parseSide(argv[3]);
        boolean toLeft = parseSide(argv[4]);
        blockingMove(c, argv[1], argv[2], fromLeft, toLeft, argv[5], false);
    }

    private static void blockingMove(CallContext c, byte[] src, byte[] dst, boolean fromLeft, boolean toLeft,
                                     byte[] timeoutArg, boolean rpoplpush) {
        long timeout = BlockingRegistry.parseTimeoutSeconds(timeoutArg);
        ListValue sl = c.db().getForWrite(src, ListValue.class);
        if (sl != null) {
            moveOrNull(c, src, dst, fromLeft, toLeft);
            c.propagateAs(moveCommand(src, dst, fromLeft, toLeft, rpoplpush));
            return;
        }
        if (!c.mayBlock()) {
            c.reply.nullBulk();
            return;
        }
        c.block(new byte[][]{src}, timeout, ListValue.class);
    }

    private static byte[][] moveCommand(byte[] src, byte[] dst, boolean fromLeft, boolean toLeft, boolean rpoplpush) {
        if (rpoplpush) return new byte[][]{RPOPLPUSH, src, dst};
        return new byte[][]{LMOVE, src, dst, fromLeft ? LEFT : RIGHT, toLeft ? LEFT : RIGHT};
    }

    /** The handlers of the commands registered above, one class for all of them (see {@link Handler}). */
    private enum Op implements Handler {
        LPUSH, RPUSH, LPUSHX, RPUSHX, LPOP, RPOP, LLEN, LRANGE, LINDEX, LSET, LINSERT, LREM, LTRIM, LPOS, LMOVE,
        RPOPLPUSH, LMPOP, BLPOP, BRPOP, BRPOPLPUSH, BLMOVE, BLMPOP;

        @Override
        public void handle(CallContext c, byte[][] argv) {
            switch (this) {
                case LPUSH -> lpush(c, argv);
                case RPUSH -> rpush(c, argv);
                case LPUSHX -> lpushx(c, argv);
                case RPUSHX -> rpushx(c, argv);
                case LPOP -> lpop(c, argv);
                case RPOP -> rpop(c, argv);
                case LLEN -> llen(c, argv);
                case LRANGE -> lrange(c, argv);
                case LINDEX -> lindex(c, argv);
                case LSET -> lset(c, argv);
                case LINSERT -> linsert(c, argv);
                case LREM -> lrem(c, argv);
                case LTRIM -> ltrim(c, argv);
                case LPOS -> lpos(c, argv);
                case LMOVE -> lmove(c, argv);
                case RPOPLPUSH -> rpoplpush(c, argv);
                case LMPOP -> lmpop(c, argv);
                case BLPOP -> blpop(c, argv);
                case BRPOP -> brpop(c, argv);
                case BRPOPLPUSH -> brpoplpush(c, argv);
                case BLMOVE -> blmove(c, argv);
                case BLMPOP -> blmpop(c, argv);
            }
        }
    }
}
