package io.keyline.commands;

import io.keyline.engine.Handler;
import io.keyline.engine.KeySpec;

import io.keyline.engine.Args;
import io.keyline.engine.CallContext;
import io.keyline.pubsub.KeyspaceEvents;
import io.keyline.engine.CommandSpec;
import io.keyline.engine.CommandTable;
import io.keyline.engine.Errors;
import io.keyline.engine.RedisException;

import io.keyline.engine.CommandSpec.Flag;
import io.keyline.protocol.Doubles;
import io.keyline.protocol.ReplyWriter;
import io.keyline.util.Bytes;
import io.keyline.store.Database;
import io.keyline.store.type.SetValue;
import io.keyline.store.type.SortedSetValue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Sorted set commands (ZADD ... ZSCAN) over {@link SortedSetValue}. */
final class SortedSetCommands {
    static final byte[] ZPOPMIN = "ZPOPMIN".getBytes(StandardCharsets.US_ASCII);
    static final byte[] ZPOPMAX = "ZPOPMAX".getBytes(StandardCharsets.US_ASCII);
    private static final String NAN_RESULT = "ERR resulting score is not a number (NaN)";
    private static final String RANGE_NOT_FLOAT = "ERR min or max is not a float";
    private static final String LEX_RANGE_INVALID = "ERR min or max not valid string range item";

    private SortedSetCommands() {
    }

    private static CommandSpec.Builder z(CommandTable t, String name, int arity, String summary, String since, String complexity) {
        return t.command(name, arity).acl("sortedset").group("sorted-set").doc(summary, since, complexity);
    }

    static void register(CommandTable t) {
        z(t, "zadd", -4, "Adds one or more members to a sorted set, or updates their scores. Creates the key if it doesn't exist.",
                "1.2.0", "O(log(N)) for each item added, where N is the number of elements in the sorted set.")
                .flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1)
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW update"))
                .handler(Op.ZADD);
        z(t, "zincrby", 4, "Increments the score of a member in a sorted set.", "1.2.0",
                "O(log(N)) where N is the number of elements in the sorted set.")
                .flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1)
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW access update"))
                .handler(Op.ZINCRBY);
        z(t, "zrem", -3, "Removes one or more members from a sorted set. Deletes the sorted set if all members were removed.",
                "1.2.0", "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.")
                .flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1)
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW delete"))
                .handler(Op.ZREM);
        z(t, "zcard", 2, "Returns the number of members in a sorted set.", "1.2.0", "O(1)")
                .flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1)
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO"))
                .handler(Op.ZCARD);
        z(t, "zscore", 3, "Returns the score of a member in a sorted set.", "1.2.0", "O(1)")
                .flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1)
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.ZSCORE);
        z(t, "zmscore", -3, "Returns the score of one or more members in a sorted set.", "6.2.0",
                "O(N) where N is the number of members being requested.")
                .flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1)
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.ZMSCORE);
        z(t, "zrank", -3, "Returns the index of a member in a sorted set ordered by ascending scores.", "2.0.0", "O(log(N))")
                .flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1)
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.ZRANK);
        z(t, "zrevrank", -3, "Returns the index of a member in a sorted set ordered by descending scores.", "2.0.0", "O(log(N))")
                .flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1)
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.ZREVRANK);
        z(t, "zcount", 4, "Returns the count of members in a sorted set that have scores within a range.", "2.0.0",
                "O(log(N)) with N being the number of elements in the sorted set.")
                .flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1)
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.ZCOUNT);
        z(t, "zlexcount", 4, "Returns the number of members in a sorted set within a lexicographical range.", "2.8.9",
                "O(log(N)) with N being the number of elements in the sorted set.")
                .flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1)
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.ZLEXCOUNT);
        String rangeCx = "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.";
        z(t, "zrange", -4, "Returns members in a sorted set within a range of indexes.", "1.2.0", rangeCx)
                .flags(Flag.READONLY).keys(1, 1, 1)
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.ZRANGE);
        z(t, "zrangestore", -5, "Stores a range of members from sorted set in a key.", "6.2.0",
                "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.")
                .flags(Flag.WRITE, Flag.DENYOOM).keys(1, 2, 1)
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("OW update"))
                .keySpec(KeySpec.index(2).range(0, 1, 0).flags("RO access"))
                .handler(Op.ZRANGESTORE);
        z(t, "zrevrange", -4, "Returns members in a sorted set within a range of indexes in reverse order.", "1.2.0", rangeCx)
                .flags(Flag.READONLY).keys(1, 1, 1)
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.ZREVRANGE);
        z(t, "zrangebyscore", -4, "Returns members in a sorted set within a range of scores.", "1.0.5", rangeCx)
                .flags(Flag.READONLY).keys(1, 1, 1)
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.ZRANGEBYSCORE);
        z(t, "zrevrangebyscore", -4, "Returns members in a sorted set within a range of scores in reverse order.", "2.2.0", rangeCx)
                .flags(Flag.READONLY).keys(1, 1, 1)
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.ZREVRANGEBYSCORE);
        z(t, "zrangebylex", -4, "Returns members in a sorted set within a lexicographical range.", "2.8.9", rangeCx)
                .flags(Flag.READONLY).keys(1, 1, 1)
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.ZRANGEBYLEX);
        z(t, "zrevrangebylex", -4, "Returns members in a sorted set within a lexicographical range in reverse order.", "2.8.9", rangeCx)
                .flags(Flag.READONLY).keys(1, 1, 1)
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.ZREVRANGEBYLEX);
        String remCx = "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.";
        z(t, "zremrangebyrank", 4, "Removes members in a sorted set within a range of indexes. Deletes the sorted set if all members were removed.",
                "2.0.0", remCx).flags(Flag.WRITE).keys(1, 1, 1)
                        .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW delete"))
                        .handler(Op.ZREMRANGEBYRANK);
        z(t, "zremrangebyscore", 4, "Removes members in a sorted set within a range of scores. Deletes the sorted set if all members were removed.",
                "1.2.0", remCx).flags(Flag.WRITE).keys(1, 1, 1)
                        .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW delete"))
                        .handler(Op.ZREMRANGEBYSCORE);
        z(t, "zremrangebylex", 4, "Removes members in a sorted set within a lexicographical range. Deletes the sorted set if all members were removed.",
                "2.8.9", remCx).flags(Flag.WRITE).keys(1, 1, 1)
                        .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW delete"))
                        .handler(Op.ZREMRANGEBYLEX);
        String popCx = "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.";
        z(t, "zpopmin", -2, "Returns the lowest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.",
                "5.0.0", popCx).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1)
                        .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW access delete"))
                        .handler(Op.ZPOPMIN);
        z(t, "zpopmax", -2, "Returns the highest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.",
                "5.0.0", popCx).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1)
                        .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW access delete"))
                        .handler(Op.ZPOPMAX);
        z(t, "zmpop", -4, "Returns the highest- or lowest-scoring members from one or more sorted sets after removing them. Deletes the sorted set if the last member was popped.",
                "7.0.0", "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.")
                .flags(Flag.WRITE).keys(SetCommands.numKeysAt(1))
                .keySpec(KeySpec.index(1).keynum(0, 1, 1).flags("RW access delete"))
                .handler(Op.ZMPOP);
        z(t, "zrandmember", -2, "Returns one or more random members from a sorted set.", "6.2.0",
                "O(N) where N is the number of members returned")
                .flags(Flag.READONLY).keys(1, 1, 1)
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .tips("nondeterministic_output")
                .handler(Op.ZRANDMEMBER);
        String unionCx = "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.";
        String interCx = "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.";
        String diffCx = "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.";
        z(t, "zunion", -3, "Returns the union of multiple sorted sets.", "6.2.0", unionCx)
                .flags(Flag.READONLY).keys(SetCommands.numKeysAt(1))
                .keySpec(KeySpec.index(1).keynum(0, 1, 1).flags("RO access"))
                .handler(Op.ZUNION);
        z(t, "zinter", -3, "Returns the intersect of multiple sorted sets.", "6.2.0", interCx)
                .flags(Flag.READONLY).keys(SetCommands.numKeysAt(1))
                .keySpec(KeySpec.index(1).keynum(0, 1, 1).flags("RO access"))
                .handler(Op.ZINTER);
        z(t, "zdiff", -3, "Returns the difference between multiple sorted sets.", "6.2.0", diffCx)
                .flags(Flag.READONLY).keys(SetCommands.numKeysAt(1))
                .keySpec(KeySpec.index(1).keynum(0, 1, 1).flags("RO access"))
                .handler(Op.ZDIFF);
        z(t, "zunionstore", -4, "Stores the union of multiple sorted sets in a key.", "2.0.0", unionCx)
                .flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1).keys(SetCommands.numKeysAt(2, true))
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("OW update"))
                .keySpec(KeySpec.index(2).keynum(0, 1, 1).flags("RO access"))
                .handler(Op.ZUNIONSTORE);
        z(t, "zinterstore", -4, "Stores the intersect of multiple sorted sets in a key.", "2.0.0", interCx)
                .flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1).keys(SetCommands.numKeysAt(2, true))
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("OW update"))
                .keySpec(KeySpec.index(2).keynum(0, 1, 1).flags("RO access"))
                .handler(Op.ZINTERSTORE);
        z(t, "zdiffstore", -4, "Stores the difference of multiple sorted sets in a key.", "6.2.0", diffCx)
                .flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1).keys(SetCommands.numKeysAt(2, true))
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("OW update"))
                .keySpec(KeySpec.index(2).keynum(0, 1, 1).flags("RO access"))
                .handler(Op.ZDIFFSTORE);
        z(t, "zintercard", -3, "Returns the number of members of the intersect of multiple sorted sets.", "7.0.0",
                "O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.")
                .flags(Flag.READONLY).keys(SetCommands.numKeysAt(1))
                .keySpec(KeySpec.index(1).keynum(0, 1, 1).flags("RO access"))
                .handler(Op.ZINTERCARD);
        z(t, "zscan", -3, "Iterates over members and scores of a sorted set.", "2.8.0",
                "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.")
                .flags(Flag.READONLY).keys(1, 1, 1)
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .tips("nondeterministic_output")
                .handler(Op.ZSCAN);
    }

    // ---- helpers -----------------------------------------------------------------------------

    enum Type { AUTO, RANK, SCORE, LEX }

    enum Dir { AUTO, FORWARD, REVERSE }

    enum SetOp { UNION, INTER, DIFF }

    /** Members and scores collected for a reply. */
    static final class Elements implements SortedSetValue.ElementConsumer {
        final List<byte[]> members = new ArrayList<>();
        double[] scores = new double[8];

        @Override
        public void accept(byte[] member, double score) {
            if (members.size() == scores.length) scores = Arrays.copyOf(scores, scores.length * 2);
            scores[members.size()] = score;
            members.add(member);
        }

        int size() {
            return members.size();
        }
    }

    /** WITHSCORES reply: RESP3 an array of [member, double] pairs, RESP2 a flat array. */
    static void replyWithScores(ReplyWriter r, Elements e) {
        if (r.resp3()) {
            replyPairs(r, e);
            return;
        }
        r.arrayHeader(2L * e.size());
        for (int i = 0; i < e.size(); i++) {
            r.bulk(e.members.get(i));
            r.doubleValue(e.scores[i]);
        }
    }

    /** An array of [member, score] pairs in both protocols (ZMPOP). */
    static void replyPairs(ReplyWriter r, Elements e) {
        r.arrayHeader(e.size());
        for (int i = 0; i < e.size(); i++) {
            r.arrayHeader(2);
            r.bulk(e.members.get(i));
            r.doubleValue(e.scores[i]);
        }
    }

    static void replyMembers(ReplyWriter r, Elements e, boolean withScores) {
        if (withScores) {
            replyWithScores(r, e);
            return;
        }
        r.arrayHeader(e.size());
        for (byte[] m : e.members) r.bulk(m);
    }

    /** A score-range bound like Redis's strtod-based parsing: leading spaces allowed, empty reads as 0. */
    private static double parseBound(byte[] b, int from) {
        int i = from;
        while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r' || b[i] == 0x0b || b[i] == '\f')) i++;
        if (i == b.length) {
            if (i == from) return 0;
            throw new RedisException(RANGE_NOT_FLOAT);
        }
        Double d = Doubles.parse(Arrays.copyOfRange(b, i, b.length));
        if (d == null) throw new RedisException(RANGE_NOT_FLOAT);
        return d;
    }

    /** [lo, hi) ascending ranks of the elements with scores in the range {@code min max} (Redis syntax). */
    static long[] scoreRanks(SortedSetValue z, byte[] minArg, byte[] maxArg) {
        boolean minEx = minArg.length > 0 && minArg[0] == '(';
        boolean maxEx = maxArg.length > 0 && maxArg[0] == '(';
        double min = parseBound(minArg, minEx ? 1 : 0);
        double max = parseBound(maxArg, maxEx ? 1 : 0);
        if (z == null) return new long[] {0, 0};
        long lo = z.countBelow(min, minEx);
        long hi = z.countBelow(max, !maxEx);
        return new long[] {lo, Math.max(lo, hi)};
    }

    /** Validates a lex range item ({@code [x (x - +}). */
    private static void checkLexItem(byte[] b) {
        if (b.length == 0) throw new RedisException(LEX_RANGE_INVALID);
        switch (b[0]) {
            case '+', '-':
                if (b.length != 1) throw new RedisException(LEX_RANGE_INVALID);
                return;
            case '[', '(':
                return;
            default:
                throw new RedisException(LEX_RANGE_INVALID);
        }
    }

    /** [lo, hi) ascending ranks of the elements within the lex range {@code min max}. */
    static long[] lexRanks(SortedSetValue z, byte[] min, byte[] max) {
        checkLexItem(min);
        checkLexItem(max);
        if (z == null) return new long[] {0, 0};
        long n = z.size();
        long lo = switch (min[0]) {
            case '-' -> 0;
            case '+' -> n;
            default -> z.countLexBelow(Arrays.copyOfRange(min, 1, min.length), min[0] == '(');
        };
        long hi = switch (max[0]) {
            case '+' -> n;
            case '-' -> 0;
            default -> z.countLexBelow(Arrays.copyOfRange(max, 1, max.length), max[0] == '[');
        };
        return new long[] {lo, Math.max(lo, hi)};
    }

    /** [lo, hi) ascending ranks for a Redis start/stop index pair (negative from the end). */
    static long[] indexRanks(long n, long start, long end) {
        if (start < 0) start += n;
        if (end < 0) end += n;
        if (start < 0) start = 0;
        if (start > end || start >= n) return new long[] {0, 0};
        if (end >= n) end = n - 1;
        return new long[] {start, end + 1};
    }

    // ---- ZADD / ZINCRBY ----------------------------------------------------------------------

    private static final int NX = 1, XX = 2, GT = 4, LT = 8, CH = 16, INCR = 32;

    /** ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...] */
    static void zadd(CallContext c, byte[][] argv) {
        int flags = 0;
        int i = 2;
        for (; i < argv.length; i++) {
            byte[] a = argv[i];
            if (Args.is(a, "nx")) flags |= NX;
            else if (Args.is(a, "xx")) flags |= XX;
            else if (Args.is(a, "gt")) flags |= GT;
            else if (Args.is(a, "lt")) flags |= LT;
            else if (Args.is(a, "ch")) flags |= CH;
            else if (Args.is(a, "incr")) flags |= INCR;
            else break;
        }
        int elements = argv.length - i;
        if (elements % 2 != 0 || elements == 0) throw Errors.syntax();
        elements /= 2;
        if ((flags & NX) != 0 && (flags & XX) != 0) throw new RedisException("ERR XX and NX options at the same time are not compatible");
        if (((flags & GT) != 0 && (flags & NX) != 0) || ((flags & LT) != 0 && (flags & NX) != 0) || ((flags & GT) != 0 && (flags & LT) != 0)) {
            throw new RedisException("ERR GT, LT, and/or NX options at the same time are not compatible");
        }
        if ((flags & INCR) != 0 && elements > 1) throw new RedisException("ERR INCR option supports a single increment-element pair");
        double[] scores = new double[elements];
        int maxLen = 0;
        for (int j = 0; j < elements; j++) {
            scores[j] = Args.toDouble(argv[i + 2 * j]);
            maxLen = Math.max(maxLen, argv[i + 2 * j + 1].length);
        }
        Database db = c.db();
        SortedSetValue z = db.getForWrite(argv[1], SortedSetValue.class);
        if (z == null) {
            if ((flags & XX) != 0) {
                if ((flags & INCR) != 0) c.reply.nullBulk();
                else c.reply.integer(0);
                return;
            }
            z = db.add(argv[1], new SortedSetValue(c.server().encodingLimits(), elements, maxLen));
        }
        long before = db.beginUpdate(z);
        long added = 0, updated = 0, processed = 0;
        double[] last = new double[1];
        try {
            for (int j = 0; j < elements; j++) {
                int r = add(z, argv[i + 2 * j + 1], scores[j], flags, last);
                if (r == ADDED) added++;
                else if (r == UPDATED) updated++;
                if (r != NOP) processed++;
            }
        } finally {
            db.endUpdate(argv[1], z, before);
            if (added + updated > 0) {
                c.modified(argv[1]);
                c.notifyKeyspaceEvent(KeyspaceEvents.ZSET, (flags & INCR) != 0 ? "zincr" : "zadd", argv[1]);
            }
        }
        if ((flags & INCR) != 0) {
            if (processed > 0) c.reply.doubleValue(last[0]);
            else c.reply.nullBulk();
        } else {
            c.reply.integer((flags & CH) != 0 ? added + updated : added);
        }
    }

    private static final int NOP = 0, ADDED = 1, UPDATED = 2, UNCHANGED = 3;
    /** Redis's zsetAdd: returns NOP, ADDED, UPDATED or UNCHANGED and stores the new score in newScore[0]. */
    private static int add(SortedSetValue z, byte[] member, double score, int flags, double[] newScore) {
        double cur = z.score(member);
        if (!Double.isNaN(cur)) {
            if ((flags & NX) != 0) return NOP;
            if ((flags & INCR) != 0) {
                score += cur;
                if (Double.isNaN(score)) throw new RedisException(NAN_RESULT);
            }
            if (((flags & LT) != 0 && score >= cur) || ((flags & GT) != 0 && score <= cur)) return NOP;
            newScore[0] = score;
            if (score != cur) {
                z.put(member, score);
                return UPDATED;
            }
            return UNCHANGED;
        }
        if ((flags & XX) != 0) return NOP;
        z.put(member, score);
        newScore[0] = score;
        return ADDED;
    }

    /** ZINCRBY key increment member */
    static void zincrby(CallContext c, byte[][] argv) {
        double incr = Args.toDouble(argv[2]);
        Database db = c.db();
        SortedSetValue z = db.getOrCreate(argv[1], SortedSetValue.class,
                () -> new SortedSetValue(c.server().encodingLimits(), 1, argv[3].length));
        long before = db.beginUpdate(z);
        double cur = z.score(argv[3]);
        double next = Double.isNaN(cur) ? incr : cur + incr;
        if (Double.isNaN(next)) {
            db.endUpdate(argv[1], z, before);
            throw new RedisException(NAN_RESULT);
        }
        z.put(argv[3], next);
        db.endUpdate(argv[1], z, before);
        c.modified(argv[1]);
        c.notifyKeyspaceEvent(KeyspaceEvents.ZSET, "zincr", argv[1]);
        c.reply.doubleValue(next);
    }

    // ---- simple reads and removals ----------------------------------------------------------

    /** ZREM key member [member ...] */
    static void zrem(CallContext c, byte[][] argv) {
        Database db = c.db();
        SortedSetValue z = db.getForWrite(argv[1], SortedSetValue.class);
        long removed = 0;
        if (z != null) {
            long before = db.beginUpdate(z);
            for (int i = 2; i < argv.length && !z.isEmpty(); i++) if (z.remove(argv[i])) removed++;
            db.endUpdate(argv[1], z, before);
            if (removed > 0) {
                c.modified(argv[1]);
                notifyRemoved(c, argv[1], z, "zrem");
            }
        }
        c.reply.integer(removed);
    }

    /** ZCARD key */
    static void zcard(CallContext c, byte[][] argv) {
        SortedSetValue z = c.db().get(argv[1], SortedSetValue.class);
        c.reply.integer(z == null ? 0 : z.size());
    }

    /** ZSCORE key member */
    static void zscore(CallContext c, byte[][] argv) {
        SortedSetValue z = c.db().get(argv[1], SortedSetValue.class);
        double s = z == null ? Double.NaN : z.score(argv[2]);
        if (Double.isNaN(s)) c.reply.nullBulk();
        else c.reply.doubleValue(s);
    }

    /** ZMSCORE key member [member ...] */
    static void zmscore(CallContext c, byte[][] argv) {
        SortedSetValue z = c.db().get(argv[1], SortedSetValue.class);
        c.reply.arrayHeader(argv.length - 2);
        for (int i = 2; i < argv.length; i++) {
            double s = z == null ? Double.NaN : z.score(argv[i]);
            if (Double.isNaN(s)) c.reply.nullBulk();
            else c.reply.doubleValue(s);
        }
    }

    /** ZRANK key member [WITHSCORE] / ZREVRANK key member [WITHSCORE] */
    static void zrank(CallContext c, byte[][] argv, boolean reverse) {
        if (argv.length > 4) throw Errors.wrongArgs(reverse ? "zrevrank" : "zrank");
        boolean withScore = false;
        if (argv.length == 4) {
            if (!Args.is(argv[3], "withscore")) throw Errors.syntax();
            withScore = true;
        }
        SortedSetValue z = c.db().get(argv[1], SortedSetValue.class);
        long rank = z == null ? -1 : z.rank(argv[2]);
        if (rank < 0) {
            if (withScore) c.reply.nullArray();
            else c.reply.nullBulk();
            return;
        }
        if (reverse) rank = z.size() - 1 - rank;
        if (withScore) {
            c.reply.arrayHeader(2);
            c.reply.integer(rank);
            c.reply.doubleValue(z.score(argv[2]));
        } else {
            c.reply.integer(rank);
        }
    }

    /** ZCOUNT key min max */
    static void zcount(CallContext c, byte[][] argv) {
        SortedSetValue z = c.db().get(argv[1], SortedSetValue.class);
        long[] r = scoreRanks(z, argv[2], argv[3]);
        c.reply.integer(r[1] - r[0]);
    }

    /** ZLEXCOUNT key min max */
    static void zlexcount(CallContext c, byte[][] argv) {
        SortedSetValue z = c.db().get(argv[1], SortedSetValue.class);
        long[] r = lexRanks(z, argv[2], argv[3]);
        c.reply.integer(r[1] - r[0]);
    }

    // ---- ZRANGE family -----------------------------------------------------------------------

    /**
     * ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES], and the
     * fixed-type variants; {@code keyIndex} is where the source key is (2 for ZRANGESTORE).
     */
    static void zrangeGeneric(CallContext c, byte[][] argv, int keyIndex, boolean store, Type type, Dir dir) {
        boolean withScores = false;
        long offset = 0, limit = -1;
        boolean limitGiven = false;
        for (int j = keyIndex + 3; j < argv.length; j++) {
            int left = argv.length - j - 1;
            if (!store && Args.is(argv[j], "withscores")) {
                withScores = true;
            } else if (Args.is(argv[j], "limit") && left >= 2) {
                offset = Args.toLong(argv[j + 1]);
                limit = Args.toLong(argv[j + 2]);
                limitGiven = true;
                j += 2;
            } else if (dir == Dir.AUTO && Args.is(argv[j], "rev")) {
                dir = Dir.REVERSE;
            } else if (type == Type.AUTO && Args.is(argv[j], "bylex")) {
                type = Type.LEX;
            } else if (type == Type.AUTO && Args.is(argv[j], "byscore")) {
                type = Type.SCORE;
            } else {
                throw Errors.syntax();
            }
        }
        if (dir == Dir.AUTO) dir = Dir.FORWARD;
        if (type == Type.AUTO) type = Type.RANK;
        if (limitGiven && limit != -1 && type == Type.RANK) {
            throw new RedisException("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        }
        if (withScores && type == Type.LEX) {
            throw new RedisException("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        }
        boolean reverse = dir == Dir.REVERSE;
        byte[] minArg = argv[keyIndex + 1], maxArg = argv[keyIndex + 2];
        if (reverse && type != Type.RANK) {
            byte[] t = minArg;
            minArg = maxArg;
            maxArg = t;
        }
        long start = 0, end = 0;
        if (type == Type.RANK) {
            start = Args.toLong(minArg);
            end = Args.toLong(maxArg);
        } else if (type == Type.SCORE) {
            scoreRanks(null, minArg, maxArg); // validates before the key lookup, as Redis
        } else {
            lexRanks(null, minArg, maxArg);
        }
        Database db = c.db();
        byte[] key = argv[keyIndex];
        SortedSetValue z = db.get(key, SortedSetValue.class);
        Elements out = new Elements();
        if (z != null) {
            long[] ranks = switch (type) {
                case SCORE -> scoreRanks(z, minArg, maxArg);
                case LEX -> lexRanks(z, minArg, maxArg);
                default -> {
                    long n = z.size();
                    long[] r = indexRanks(n, start, end);
                    // start/stop count from the end of the set for the reversed forms.
                    yield reverse ? new long[] {n - r[1], n - r[0]} : r;
                }
            };
            long lo = ranks[0], hi = ranks[1];
            if (offset >= 0 && lo < hi) {
                long available = hi - lo - offset;
                long count = limit < 0 ? available : Math.min(limit, available);
                if (count > 0) {
                    long first = reverse ? hi - 1 - offset : lo + offset;
                    z.range(first, count, reverse, out);
                }
            }
        }
        if (store) {
            storeResult(c, "zrangestore", argv[1], out);
            return;
        }
        replyMembers(c.reply, out, withScores);
    }

    /** Replaces dest with a sorted set of these elements (deletes it when empty); replies the count. */
    private static void storeResult(CallContext c, String event, byte[] dest, Elements e) {
        Database db = c.db();
        if (e.size() == 0) {
            if (db.delete(dest)) {
                c.modified(dest);
                c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", dest);
            }
            c.reply.integer(0);
            return;
        }
        int maxLen = 0;
        for (byte[] m : e.members) maxLen = Math.max(maxLen, m.length);
        SortedSetValue z = new SortedSetValue(c.server().encodingLimits(), e.size(), maxLen);
        for (int i = 0; i < e.size(); i++) z.put(e.members.get(i), e.scores[i]);
        db.set(dest, z, Database.NO_TTL); // replaces whatever dest held, TTL included
        c.modified(dest);
        c.notifyKeyspaceEvent(KeyspaceEvents.ZSET, event, dest);
        c.reply.integer(z.size());
    }

    /** ZREMRANGEBYRANK / ZREMRANGEBYSCORE / ZREMRANGEBYLEX key min max */
    static void zremrange(CallContext c, byte[][] argv, Type type) {
        long start = 0, end = 0;
        if (type == Type.RANK) {
            start = Args.toLong(argv[2]);
            end = Args.toLong(argv[3]);
        } else if (type == Type.SCORE) {
            scoreRanks(null, argv[2], argv[3]);
        } else {
            lexRanks(null, argv[2], argv[3]);
        }
        Database db = c.db();
        SortedSetValue z = db.getForWrite(argv[1], SortedSetValue.class);
        if (z == null) {
            c.reply.integer(0);
            return;
        }
        long[] r = switch (type) {
            case SCORE -> scoreRanks(z, argv[2], argv[3]);
            case LEX -> lexRanks(z, argv[2], argv[3]);
            default -> indexRanks(z.size(), start, end);
        };
        if (r[1] <= r[0]) {
            c.reply.integer(0);
            return;
        }
        long before = db.beginUpdate(z);
        int removed = z.removeRange(r[0], r[1] - 1).size();
        db.endUpdate(argv[1], z, before);
        c.modified(argv[1]);
        notifyRemoved(c, argv[1], z, switch (type) {
            case SCORE -> "zremrangebyscore";
            case LEX -> "zremrangebylex";
            default -> "zremrangebyrank";
        });
        c.reply.integer(removed);
    }

    // ---- pops --------------------------------------------------------------------------------

    /** Redis's notification after members left the sorted set, then "del" if it was emptied (and so deleted). */
    static void notifyRemoved(CallContext c, byte[] key, SortedSetValue z, String event) {
        c.notifyKeyspaceEvent(KeyspaceEvents.ZSET, event, key);
        if (z.isEmpty()) c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", key);
    }

    /** Pops up to count elements from the min (or max) end; deletes the key when emptied. */
    static Elements pop(Database db, byte[] key, SortedSetValue z, long count, boolean max) {
        Elements e = new Elements();
        long n = Math.min(count, z.size());
        z.range(max ? z.size() - 1 : 0, n, max, e);
        long before = db.beginUpdate(z);
        for (byte[] m : e.members) z.remove(m);
        db.endUpdate(key, z, before);
        return e;
    }

    /** ZPOPMIN key [count] / ZPOPMAX key [count] */
    static void zpop(CallContext c, byte[][] argv, boolean max) {
        if (argv.length > 3) throw Errors.syntax();
        long count = 1;
        if (argv.length == 3) {
            count = Args.toLong(argv[2], Errors.NOT_POSITIVE); // Redis: the same error for "abc" and -1
            if (count < 0) throw new RedisException(Errors.NOT_POSITIVE);
        }
        Database db = c.db();
        SortedSetValue z = db.getForWrite(argv[1], SortedSetValue.class);
        if (z == null || count == 0) {
            c.reply.emptyArray();
            return;
        }
        Elements e = pop(db, argv[1], z, count, max);
        c.modified(argv[1]);
        notifyRemoved(c, argv[1], z, max ? "zpopmax" : "zpopmin");
        if (argv.length == 3) {
            replyWithScores(c.reply, e);
        } else {
            c.reply.arrayHeader(2);
            c.reply.bulk(e.members.get(0));
            c.reply.doubleValue(e.scores[0]);
        }
    }

    /** Parsed {@code numkeys key [key ...] MIN|MAX [COUNT count]} starting at argv[at]. */
    record MpopArgs(byte[][] keys, boolean max, long count) {
        static MpopArgs parse(byte[][] argv, int at) {
            long numkeys = Args.toLong(argv[at], "ERR numkeys should be greater than 0");
            if (numkeys <= 0) throw new RedisException("ERR numkeys should be greater than 0");
            int whereIndex = at + 1 + (int) Math.min(numkeys, Integer.MAX_VALUE - at - 2);
            if (numkeys > argv.length - at - 2 || whereIndex >= argv.length) throw Errors.syntax();
            boolean max;
            if (Args.is(argv[whereIndex], "min")) max = false;
            else if (Args.is(argv[whereIndex], "max")) max = true;
            else throw Errors.syntax();
            long count = 1;
            boolean countGiven = false;
            for (int j = whereIndex + 1; j < argv.length; j++) {
                if (!countGiven && Args.is(argv[j], "count") && j + 1 < argv.length) {
                    // getRangeLongFromObjectOrReply: one message for "not a number" and "out of range"
                    count = Args.toLong(argv[++j], "ERR count should be greater than 0");
                    if (count <= 0) throw new RedisException("ERR count should be greater than 0");
                    countGiven = true;
                } else {
                    throw Errors.syntax();
                }
            }
            byte[][] keys = Arrays.copyOfRange(argv, at + 1, whereIndex);
            return new MpopArgs(keys, max, count);
        }
    }

    /** Pops from the first non-empty key, replies [key, [[member, score]...]] and logs ZPOPMIN/ZPOPMAX key count. */
    static boolean mpopFrom(CallContext c, MpopArgs a) {
        Database db = c.db();
        ReplyWriter r = c.reply;
        for (byte[] key : a.keys()) {
            SortedSetValue z = db.getForWrite(key, SortedSetValue.class);
            if (z == null) continue;
            Elements e = pop(db, key, z, a.count(), a.max());
            c.modified(key);
            notifyRemoved(c, key, z, a.max() ? "zpopmax" : "zpopmin");
            c.propagateAs(new byte[][] {a.max() ? ZPOPMAX : ZPOPMIN, key, Bytes.fromLong(e.size())});
            r.arrayHeader(2);
            r.bulk(key);
            replyPairs(r, e);
            return true;
        }
        return false;
    }

    /** ZMPOP numkeys key [key ...] MIN|MAX [COUNT count] */
    static void zmpop(CallContext c, byte[][] argv) {
        MpopArgs a = MpopArgs.parse(argv, 1);
        if (!mpopFrom(c, a)) c.reply.nullArray();
    }

    // ---- ZRANDMEMBER ------------------------------------------------------------------------

    /** ZRANDMEMBER key [count [WITHSCORES]] */
    static void zrandmember(CallContext c, byte[][] argv) {
        if (argv.length > 4) throw Errors.syntax();
        SortedSetValue z;
        if (argv.length == 2) {
            z = c.db().get(argv[1], SortedSetValue.class);
            if (z == null) {
                c.reply.nullBulk();
                return;
            }
            Elements e = new Elements();
            z.range(ThreadLocalRandom.current().nextLong(z.size()), 1, false, e);
            c.reply.bulk(e.members.get(0));
            return;
        }
        long count = Args.toLong(argv[2]);
        if (count == Long.MIN_VALUE) {
            throw new RedisException("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
        }
        boolean withScores = false;
        if (argv.length == 4) {
            if (!Args.is(argv[3], "withscores")) throw Errors.syntax();
            withScores = true;
            // The reply has 2 * count entries.
            if (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2) throw new RedisException("ERR value is out of range");
        }
        z = c.db().get(argv[1], SortedSetValue.class);
        if (z == null || count == 0) {
            c.reply.emptyArray();
            return;
        }
        Elements e = new Elements();
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int n = z.size();
        if (count < 0) {
            for (long i = 0; i < -count; i++) z.range(rnd.nextLong(n), 1, false, e);
        } else if (count >= n) {
            z.forEach(e);
        } else {
            // Partial Fisher-Yates over ranks.
            int[] ranks = new int[n];
            for (int i = 0; i < n; i++) ranks[i] = i;
            for (int i = 0; i < count; i++) {
                int j = i + rnd.nextInt(n - i);
                int t = ranks[i];
                ranks[i] = ranks[j];
                ranks[j] = t;
                z.range(ranks[i], 1, false, e);
            }
        }
        replyMembers(c.reply, e, withScores);
    }

    // ---- ZUNION / ZINTER / ZDIFF ------------------------------------------------------------

    private static final class Source {
        final SortedSetValue zset;
        final SetValue set;
        final double weight;

        Source(Object v, double weight) {
            this.zset = v instanceof SortedSetValue z ? z : null;
            this.set = v instanceof SetValue s ? s : null;
            this.weight = weight;
        }

        int size() {
            return zset != null ? zset.size() : set != null ? set.size() : 0;
        }

        /** The member's score in this input, NaN if absent. */
        double score(byte[] m) {
            if (zset != null) return zset.score(m);
            if (set != null) return set.contains(m) ? 1.0 : Double.NaN;
            return Double.NaN;
        }

        void forEach(SortedSetValue.ElementConsumer out) {
            if (zset != null) zset.forEach(out);
            else if (set != null) set.forEach(m -> out.accept(m, 1.0));
        }
    }

    private static double weighted(double score, double weight) {
        double v = score * weight;
        return Double.isNaN(v) ? 0 : v;
    }

    private static double aggregate(double acc, double v, int agg) {
        return switch (agg) {
            case 1 -> Math.min(acc, v);
            case 2 -> Math.max(acc, v);
            default -> {
                double s = acc + v;
                yield Double.isNaN(s) ? 0 : s;
            }
        };
    }

    /** ZUNION/ZINTER/ZDIFF numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES] and their STORE forms. */
    static void zsetop(CallContext c, byte[][] argv, SetOp op, boolean store) {
        int at = store ? 2 : 1;
        long numkeys = Args.toLong(argv[at]);
        if (numkeys < 1) {
            throw new RedisException("ERR at least 1 input key is needed for '" + Args.lower(argv[0]) + "' command");
        }
        if (numkeys > argv.length - at - 1) throw Errors.syntax();
        int n = (int) numkeys;
        double[] weights = new double[n];
        Arrays.fill(weights, 1.0);
        int agg = 0;
        boolean withScores = false;
        for (int j = at + 1 + n; j < argv.length; j++) {
            int left = argv.length - j - 1;
            if (op != SetOp.DIFF && Args.is(argv[j], "weights") && left >= n) {
                for (int k = 0; k < n; k++) {
                    Double w = Doubles.parse(argv[j + 1 + k]);
                    if (w == null) throw new RedisException("ERR weight value is not a float");
                    weights[k] = w;
                }
                j += n;
            } else if (op != SetOp.DIFF && Args.is(argv[j], "aggregate") && left >= 1) {
                byte[] a = argv[++j];
                if (Args.is(a, "sum")) agg = 0;
                else if (Args.is(a, "min")) agg = 1;
                else if (Args.is(a, "max")) agg = 2;
                else throw Errors.syntax();
            } else if (!store && Args.is(argv[j], "withscores")) {
                withScores = true;
            } else {
                throw Errors.syntax();
            }
        }
        Database db = c.db();
        Source[] src = new Source[n];
        for (int k = 0; k < n; k++) {
            Object v = db.getAnyOf(argv[at + 1 + k], SortedSetValue.class, SetValue.class);
            src[k] = new Source(v, weights[k]);
        }
        Elements result = compute(src, op, agg);
        if (store) {
            storeResult(c, op == SetOp.UNION ? "zunionstore" : op == SetOp.INTER ? "zinterstore" : "zdiffstore", argv[1], result);
        }
        else replyMembers(c.reply, result, withScores);
    }

    private static Elements compute(Source[] src, SetOp op, int agg) {
        Map<ByteBuffer, double[]> acc = new HashMap<>();
        Map<ByteBuffer, byte[]> names = new HashMap<>();
        if (op == SetOp.DIFF) {
            Source first = src[0];
            first.forEach((m, s) -> {
                for (int k = 1; k < src.length; k++) if (!Double.isNaN(src[k].score(m))) return;
                ByteBuffer b = ByteBuffer.wrap(m);
                acc.put(b, new double[] {s});
                names.put(b, m);
            });
        } else if (op == SetOp.INTER) {
            Source[] sorted = src.clone();
            Arrays.sort(sorted, Comparator.comparingInt(Source::size));
            if (sorted[0].size() > 0) {
                sorted[0].forEach((m, s) -> {
                    double v = weighted(s, sorted[0].weight);
                    for (int k = 1; k < sorted.length; k++) {
                        double o = sorted[k].score(m);
                        if (Double.isNaN(o)) return;
                        v = aggregate(v, weighted(o, sorted[k].weight), agg);
                    }
                    ByteBuffer b = ByteBuffer.wrap(m);
                    acc.put(b, new double[] {v});
                    names.put(b, m);
                });
            }
        } else {
            Source[] sorted = src.clone();
            Arrays.sort(sorted, Comparator.comparingInt(Source::size));
            for (Source s : sorted) {
                s.forEach((m, score) -> {
                    double v = weighted(score, s.weight);
                    ByteBuffer b = ByteBuffer.wrap(m);
                    double[] cur = acc.get(b);
                    if (cur == null) {
                        acc.put(b, new double[] {v});
                        names.put(b, m);
                    } else {
                        cur[0] = aggregate(cur[0], v, agg);
                    }
                });
            }
        }
        List<byte[]> members = new ArrayList<>(names.values());
        members.sort((a, b) -> {
            double sa = acc.get(ByteBuffer.wrap(a))[0], sb = acc.get(ByteBuffer.wrap(b))[0];
            int cmp = Double.compare(sa == 0.0 ? 0.0 : sa, sb == 0.0 ? 0.0 : sb);
            return cmp != 0 ? cmp : Arrays.compareUnsigned(a, b);
        });
        Elements out = new Elements();
        for (byte[] m : members) out.accept(m, acc.get(ByteBuffer.wrap(m))[0]);
        return out;
    }

    /** ZINTERCARD numkeys key [key ...] [LIMIT limit] */
    static void zintercard(CallContext c, byte[][] argv) {
        long numkeys = Args.toLong(argv[1]);
        if (numkeys < 1) throw new RedisException("ERR at least 1 input key is needed for 'zintercard' command");
        if (numkeys > argv.length - 2) throw Errors.syntax();
        long limit = 0;
        for (int j = 2 + (int) numkeys; j < argv.length; j++) {
            if (Args.is(argv[j], "limit") && j + 1 < argv.length) {
                // getPositiveLongFromObjectOrReply: one message for "not a number" and "negative"
                limit = Args.toLong(argv[++j], "ERR LIMIT can't be negative");
                if (limit < 0) throw new RedisException("ERR LIMIT can't be negative");
            } else {
                throw Errors.syntax();
            }
        }
        Database db = c.db();
        Source[] src = new Source[(int) numkeys];
        for (int k = 0; k < numkeys; k++) {
            Object v = db.getAnyOf(argv[2 + k], SortedSetValue.class, SetValue.class);
            src[k] = new Source(v, 1);
        }
        Elements e = compute(src, SetOp.INTER, 0);
        c.reply.integer(limit > 0 ? Math.min(limit, e.size()) : e.size());
    }

    /** ZSCAN key cursor [MATCH pattern] [COUNT count] */
    static void zscan(CallContext c, byte[][] argv) {
        CollectionScan scan = CollectionScan.parse(argv, 2);
        SortedSetValue z = c.db().get(argv[1], SortedSetValue.class);
        Elements found = new Elements();
        long next = 0;
        if (z != null) next = z.scan(scan.cursor, scan.count, (m, s) -> {
            if (scan.matches(m)) found.accept(m, s);
        });
        c.reply.arrayHeader(2);
        c.reply.bulk(Bytes.fromLong(next));
        c.reply.arrayHeader(2L * found.size());
        for (int i = 0; i < found.size(); i++) {
            c.reply.bulk(found.members.get(i));
            c.reply.bulk(Doubles.format(found.scores[i]).getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** The handlers of the commands registered above, one class for all of them (see {@link Handler}). */
    private enum Op implements Handler {
        ZADD, ZINCRBY, ZREM, ZCARD, ZSCORE, ZMSCORE, ZRANK, ZREVRANK, ZCOUNT, ZLEXCOUNT, ZRANGE, ZRANGESTORE, ZREVRANGE,
        ZRANGEBYSCORE, ZREVRANGEBYSCORE, ZRANGEBYLEX, ZREVRANGEBYLEX, ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX,
        ZPOPMIN, ZPOPMAX, ZMPOP, ZRANDMEMBER, ZUNION, ZINTER, ZDIFF, ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE, ZINTERCARD,
        ZSCAN;

        @Override
        public void handle(CallContext c, byte[][] argv) {
            switch (this) {
                case ZADD -> zadd(c, argv);
                case ZINCRBY -> zincrby(c, argv);
                case ZREM -> zrem(c, argv);
                case ZCARD -> zcard(c, argv);
                case ZSCORE -> zscore(c, argv);
                case ZMSCORE -> zmscore(c, argv);
                case ZRANK -> zrank(c, argv, false);
                case ZREVRANK -> zrank(c, argv, true);
                case ZCOUNT -> zcount(c, argv);
                case ZLEXCOUNT -> zlexcount(c, argv);
                case ZRANGE -> zrangeGeneric(c, argv, 1, false, Type.AUTO, Dir.AUTO);
                case ZRANGESTORE -> zrangeGeneric(c, argv, 2, true, Type.AUTO, Dir.AUTO);
                case ZREVRANGE -> zrangeGeneric(c, argv, 1, false, Type.RANK, Dir.REVERSE);
                case ZRANGEBYSCORE -> zrangeGeneric(c, argv, 1, false, Type.SCORE, Dir.FORWARD);
                case ZREVRANGEBYSCORE -> zrangeGeneric(c, argv, 1, false, Type.SCORE, Dir.REVERSE);
                case ZRANGEBYLEX -> zrangeGeneric(c, argv, 1, false, Type.LEX, Dir.FORWARD);
                case ZREVRANGEBYLEX -> zrangeGeneric(c, argv, 1, false, Type.LEX, Dir.REVERSE);
                case ZREMRANGEBYRANK -> zremrange(c, argv, Type.RANK);
                case ZREMRANGEBYSCORE -> zremrange(c, argv, Type.SCORE);
                case ZREMRANGEBYLEX -> zremrange(c, argv, Type.LEX);
                case ZPOPMIN -> zpop(c, argv, false);
                case ZPOPMAX -> zpop(c, argv, true);
                case ZMPOP -> zmpop(c, argv);
                case ZRANDMEMBER -> zrandmember(c, argv);
                case ZUNION -> zsetop(c, argv, SetOp.UNION, false);
                case ZINTER -> zsetop(c, argv, SetOp.INTER, false);
                case ZDIFF -> zsetop(c, argv, SetOp.DIFF, false);
                case ZUNIONSTORE -> zsetop(c, argv, SetOp.UNION, true);
                case ZINTERSTORE -> zsetop(c, argv, SetOp.INTER, true);
                case ZDIFFSTORE -> zsetop(c, argv, SetOp.DIFF, true);
                case ZINTERCARD -> zintercard(c, argv);
                case ZSCAN -> zscan(c, argv);
            }
        }
    }
}
