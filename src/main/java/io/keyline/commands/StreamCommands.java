package io.keyline.commands;

import io.keyline.engine.Args;
import io.keyline.engine.CallContext;
import io.keyline.engine.CommandSpec;
import io.keyline.engine.CommandSpec.Flag;
import io.keyline.engine.CommandTable;
import io.keyline.engine.Errors;
import io.keyline.engine.Handler;
import io.keyline.engine.Help;
import io.keyline.engine.KeySpec;
import io.keyline.engine.RedisException;
import io.keyline.protocol.ReplyWriter;
import io.keyline.pubsub.KeyspaceEvents;
import io.keyline.store.Database;
import io.keyline.store.type.StreamValue;
import io.keyline.store.type.StreamValue.Group;
import io.keyline.store.type.StreamValue.Id;
import io.keyline.store.type.StreamValue.Nack;
import io.keyline.util.Bytes;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/** Stream commands (XADD ... XINFO) over {@link StreamValue}, ported from Redis 7.2's t_stream.c. */
final class StreamCommands {
    private static final String INVALID_ID = "ERR Invalid stream ID specified as stream command argument";

    private StreamCommands() {
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static void register(CommandTable t) {
        t.command("xadd", -5).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl("stream").group("stream")
                .doc("Appends a new message to a stream. Creates the key if it doesn't exist.", "5.0.0",
                        "O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW update"))
                .tips("nondeterministic_output")
                .handler(Op.XADD);
        t.command("xrange", -4).flags(Flag.READONLY).keys(1, 1, 1).acl("stream").group("stream")
                .doc("Returns the messages from a stream within a range of IDs.", "5.0.0",
                        "O(N) with N being the number of elements being returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.XRANGE);
        t.command("xrevrange", -4).flags(Flag.READONLY).keys(1, 1, 1).acl("stream").group("stream")
                .doc("Returns the messages from a stream within a range of IDs in reverse order.", "5.0.0",
                        "O(N) with N being the number of elements returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.XREVRANGE);
        t.command("xlen", 2).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl("stream").group("stream")
                .doc("Return the number of messages in a stream.", "5.0.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO"))
                .handler(Op.XLEN);
        t.command("xdel", -3).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl("stream").group("stream")
                .doc("Returns the number of messages after removing them from a stream.", "5.0.0",
                        "O(1) for each single item to delete in the stream, regardless of the stream size.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW delete"))
                .handler(Op.XDEL);
        t.command("xtrim", -4).flags(Flag.WRITE).keys(1, 1, 1).acl("stream").group("stream")
                .doc("Deletes messages from the beginning of a stream.", "5.0.0",
                        "O(N), with N being the number of evicted entries. Constant times are very small however, since entries are organized in macro nodes containing multiple entries that can be released with a single deallocation.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW delete"))
                .tips("nondeterministic_output")
                .handler(Op.XTRIM);
        t.command("xread", -4).flags(Flag.READONLY, Flag.BLOCKING).keys(KeyFinders.XREAD).acl("stream").group("stream")
                .doc("Returns messages from multiple streams with IDs greater than the ones requested. Blocks until a message is available otherwise.", "5.0.0",
                        "")
                .keySpec(KeySpec.keyword("STREAMS", 1).range(-1, 1, 2).flags("RO access"))
                .handler(Op.XREAD);
        t.command("xreadgroup", -7).flags(Flag.WRITE, Flag.BLOCKING).keys(KeyFinders.XREAD).acl("stream").group("stream")
                .doc("Returns new or historical messages from a stream for a consumer in a group. Blocks until a message is available otherwise.", "5.0.0",
                        "For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.")
                .keySpec(KeySpec.keyword("STREAMS", 4).range(-1, 1, 2).flags("RW access"))
                .handler(Op.XREADGROUP);
        t.command("xsetid", -3).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl("stream").group("stream")
                .doc("An internal command for replicating stream values.", "5.0.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW update"))
                .handler(Op.XSETID);
        t.command("xack", -4).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl("stream").group("stream")
                .doc("Returns the number of messages that were successfully acknowledged by the consumer group member of a stream.", "5.0.0",
                        "O(1) for each message ID processed.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW update"))
                .handler(Op.XACK);
        t.command("xpending", -3).flags(Flag.READONLY).keys(1, 1, 1).acl("stream").group("stream")
                .doc("Returns the information and entries from a stream consumer group's pending entries list.", "5.0.0",
                        "O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter. When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .tips("nondeterministic_output")
                .handler(Op.XPENDING);
        t.command("xclaim", -6).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl("stream").group("stream")
                .doc("Changes, or acquires, ownership of a message in a consumer group, as if the message was delivered a consumer group member.", "5.0.0",
                        "O(log N) with N being the number of messages in the PEL of the consumer group.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW update"))
                .tips("nondeterministic_output")
                .handler(Op.XCLAIM);
        t.command("xautoclaim", -6).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl("stream").group("stream")
                .doc("Changes, or acquires, ownership of messages in a consumer group, as if the messages were delivered to as consumer group member.", "6.2.0",
                        "O(1) if COUNT is small.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW update"))
                .tips("nondeterministic_output")
                .handler(Op.XAUTOCLAIM);
        CommandSpec xgroup = t.command("xgroup", -2).group("stream")
                .doc("A container for consumer groups commands.", "5.0.0", "Depends on subcommand.").handler(null);
        t.subcommand(xgroup, "create", -5).flags(Flag.WRITE, Flag.DENYOOM).keys(2, 2, 1).acl("stream").group("stream")
                .doc("Creates a consumer group.", "5.0.0", "O(1)")
                .keySpec(KeySpec.index(2).range(0, 1, 0).flags("RW insert"))
                .handler(Op.XGROUP_CREATE);
        t.subcommand(xgroup, "createconsumer", 5).flags(Flag.WRITE, Flag.DENYOOM).keys(2, 2, 1).acl("stream").group("stream")
                .doc("Creates a consumer in a consumer group.", "6.2.0", "O(1)")
                .keySpec(KeySpec.index(2).range(0, 1, 0).flags("RW insert"))
                .handler(Op.XGROUP_CREATECONSUMER);
        t.subcommand(xgroup, "delconsumer", 5).flags(Flag.WRITE).keys(2, 2, 1).acl("stream").group("stream")
                .doc("Deletes a consumer from a consumer group.", "5.0.0", "O(1)")
                .keySpec(KeySpec.index(2).range(0, 1, 0).flags("RW delete"))
                .handler(Op.XGROUP_DELCONSUMER);
        t.subcommand(xgroup, "destroy", 4).flags(Flag.WRITE).keys(2, 2, 1).acl("stream").group("stream")
                .doc("Destroys a consumer group.", "5.0.0",
                        "O(N) where N is the number of entries in the group's pending entries list (PEL).")
                .keySpec(KeySpec.index(2).range(0, 1, 0).flags("RW delete"))
                .handler(Op.XGROUP_DESTROY);
        t.subcommand(xgroup, "setid", -5).flags(Flag.WRITE).keys(2, 2, 1).acl("stream").group("stream")
                .doc("Sets the last-delivered ID of a consumer group.", "5.0.0", "O(1)")
                .keySpec(KeySpec.index(2).range(0, 1, 0).flags("RW update"))
                .handler(Op.XGROUP_SETID);
        t.subcommand(xgroup, "help", 2).flags(Flag.LOADING, Flag.STALE).acl("stream").group("stream")
                .doc("Returns helpful text about the different subcommands.", "5.0.0", "O(1)")
                .handler(Op.XGROUP_HELP);
        CommandSpec xinfo = t.command("xinfo", -2).group("stream")
                .doc("A container for stream introspection commands.", "5.0.0", "Depends on subcommand.").handler(null);
        t.subcommand(xinfo, "stream", -3).flags(Flag.READONLY).keys(2, 2, 1).acl("stream").group("stream")
                .doc("Returns information about a stream.", "5.0.0", "O(1)")
                .keySpec(KeySpec.index(2).range(0, 1, 0).flags("RO access"))
                .handler(Op.XINFO_STREAM);
        t.subcommand(xinfo, "groups", 3).flags(Flag.READONLY).keys(2, 2, 1).acl("stream").group("stream")
                .doc("Returns a list of the consumer groups of a stream.", "5.0.0", "O(1)")
                .keySpec(KeySpec.index(2).range(0, 1, 0).flags("RO access"))
                .handler(Op.XINFO_GROUPS);
        t.subcommand(xinfo, "consumers", 4).flags(Flag.READONLY).keys(2, 2, 1).acl("stream").group("stream")
                .doc("Returns a list of the consumers in a consumer group.", "5.0.0", "O(1)")
                .keySpec(KeySpec.index(2).range(0, 1, 0).flags("RO access"))
                .tips("nondeterministic_output")
                .handler(Op.XINFO_CONSUMERS);
        t.subcommand(xinfo, "help", 2).flags(Flag.LOADING, Flag.STALE).acl("stream").group("stream")
                .doc("Returns helpful text about the different subcommands.", "5.0.0", "O(1)")
                .handler(Op.XINFO_HELP);
    }

    /** Keys of XREAD/XREADGROUP: the first half of the arguments after STREAMS. */
    static int[] xreadKeys(byte[][] argv) {
        for (int i = 1; i < argv.length; i++) {
            if (Args.is(argv[i], "streams")) {
                int n = (argv.length - i - 1) / 2;
                int[] out = new int[n];
                for (int k = 0; k < n; k++) out[k] = i + 1 + k;
                return out;
            }
        }
        return CommandSpec.NO_KEYS;
    }

    // ---- IDs ------------------------------------------------------------------------------------

    /** streamParseID: "ms-seq" or "ms" (seq = missingSeq); null if invalid. {@code seqGiven[0]} reports a seq. */
    static Id parseId(byte[] a, long missingSeq, boolean strict, boolean[] seqGiven) {
        String s = new String(a, StandardCharsets.US_ASCII);
        if (s.length() > 127) return null;
        if (!strict && s.equals("-")) return Id.ZERO;
        if (!strict && s.equals("+")) return Id.MAX;
        int dash = s.indexOf('-');
        try {
            if (dash < 0) {
                // streamGenericParseIDOrReply: a bare "ms" is ms-<missingSeq> with the seq given (only "ms-*" is not)
                if (seqGiven != null) seqGiven[0] = true;
                return new Id(parseU64(s), missingSeq);
            }
            long ms = parseU64(s.substring(0, dash));
            String seqPart = s.substring(dash + 1);
            if (seqGiven != null && seqPart.equals("*")) {
                seqGiven[0] = false;
                return new Id(ms, 0);
            }
            if (seqGiven != null) seqGiven[0] = true;
            return new Id(ms, parseU64(seqPart));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long parseU64(String s) {
        if (s.isEmpty() || s.charAt(0) == '+' || s.charAt(0) == '-') throw new NumberFormatException();
        return Long.parseUnsignedLong(s);
    }

    static Id idOrError(byte[] a, long missingSeq) {
        Id id = parseId(a, missingSeq, false, null);
        if (id == null) throw new RedisException(INVALID_ID);
        return id;
    }

    static Id strictIdOrError(byte[] a, long missingSeq) {
        Id id = parseId(a, missingSeq, true, null);
        if (id == null) throw new RedisException(INVALID_ID);
        return id;
    }

    // ---- replies --------------------------------------------------------------------------------

    static void replyEntry(ReplyWriter r, Id id, byte[][] fields) {
        r.arrayHeader(2);
        r.bulk(id.bytes());
        if (fields == null) {
            r.nullArray();
            return;
        }
        r.arrayHeader(fields.length);
        for (byte[] f : fields) r.bulk(f);
    }

    // ---- XADD / XTRIM ---------------------------------------------------------------------------

    /** Parsed trim arguments (streamParseAddOrTrimArgsOrReply). */
    static final class TrimArgs {
        int strategy; // 0 none, 1 maxlen, 2 minid
        boolean approx;
        long maxLen;
        Id minId;
        long limit = -1;
        boolean noMkStream;
        Id id;
        boolean seqGiven = true;
        boolean idGiven;
        int fieldsAt;
        int nodeMaxEntries;
        int approxAt = -1;
        int thresholdAt = -1;
    }

    /** streamRewriteApproxSpecifier + streamRewriteTrimArgument: an approximate trim replays exactly. */
    private static void rewriteApprox(byte[][] prop, TrimArgs a, StreamValue s) {
        if (!a.approx || a.approxAt < 0) return;
        prop[a.approxAt] = b("=");
        prop[a.thresholdAt] = a.strategy == 1 ? b(Long.toString(s.length())) : s.firstId().bytes();
    }

    static TrimArgs parseTrim(byte[][] argv, boolean xadd, int nodeMaxEntries) {
        TrimArgs a = new TrimArgs();
        a.nodeMaxEntries = nodeMaxEntries;
        int i = 2;
        boolean limitGiven = false;
        for (; i < argv.length; i++) {
            int more = argv.length - 1 - i;
            // Matched in place, case-insensitively: no lower-cased String per option on the XADD path.
            byte[] opt = argv[i];
            if (xadd && opt.length == 1 && opt[0] == '*') break;
            boolean isMaxLen = Args.is(opt, "maxlen");
            if ((isMaxLen || Args.is(opt, "minid")) && more >= 1) {
                if (a.strategy != 0 && a.strategy != (isMaxLen ? 1 : 2)
                        || a.strategy != 0) {
                    if (a.strategy != (isMaxLen ? 1 : 2)) {
                        throw new RedisException("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
                    }
                }
                a.strategy = isMaxLen ? 1 : 2;
                byte[] next = argv[i + 1];
                if (more >= 2 && (next.length == 1 && (next[0] == '~' || next[0] == '='))) {
                    a.approx = next[0] == '~';
                    a.approxAt = i + 1;
                    i++;
                }
                a.thresholdAt = i + 1;
                if (a.strategy == 1) {
                    a.maxLen = Args.toLong(argv[i + 1]);
                    if (a.maxLen < 0) throw new RedisException("ERR The MAXLEN argument must be >= 0.");
                } else {
                    a.minId = strictIdOrError(argv[i + 1], 0);
                }
                i++;
            } else if (Args.is(opt, "limit") && more >= 1) {
                a.limit = Args.toLong(argv[i + 1]);
                if (a.limit < 0) throw new RedisException("ERR The LIMIT argument must be >= 0.");
                limitGiven = true;
                i++;
            } else if (xadd && Args.is(opt, "nomkstream")) {
                a.noMkStream = true;
            } else if (xadd) {
                boolean[] sg = new boolean[1];
                a.id = parseId(argv[i], 0, true, sg);
                if (a.id == null) throw new RedisException(INVALID_ID);
                a.seqGiven = sg[0];
                a.idGiven = true;
                break;
            } else {
                throw Errors.syntax();
            }
        }
        if (limitGiven && a.strategy == 0) {
            throw new RedisException("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
        }
        if (!xadd && a.strategy == 0) throw new RedisException("ERR syntax error, XTRIM must be called with a trimming strategy");
        if (limitGiven && !a.approx) {
            throw new RedisException("ERR syntax error, LIMIT cannot be used without the special ~ option");
        }
        if (a.limit < 0) a.limit = 100L * nodeMaxEntries; // Redis: 100 * stream-node-max-entries, 10000 if that is 0
        if (a.limit <= 0 && !limitGiven) a.limit = 10000;
        if (!a.approx) a.limit = 0;
        a.fieldsAt = i + 1;
        return a;
    }

    private static long trim(StreamValue s, TrimArgs a) {
        s.nodeMaxEntries(a.nodeMaxEntries);
        if (a.strategy == 1) return s.trimMaxLen(a.maxLen, a.approx ? a.limit : 0, a.approx);
        if (a.strategy == 2) return s.trimMinId(a.minId, a.approx ? a.limit : 0, a.approx);
        return 0;
    }

    /** XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...] */
    static void xadd(CallContext c, byte[][] argv) {
        TrimArgs a = parseTrim(argv, true, c.server().encodingLimits().streamNodeMaxEntries);
        int nFields = argv.length - a.fieldsAt;
        if (nFields < 2 || nFields % 2 != 0) throw Errors.wrongArgs("xadd");
        if (a.idGiven && a.seqGiven && a.id.isZero()) {
            throw new RedisException("ERR The ID specified in XADD must be greater than 0-0");
        }
        Database db = c.db();
        StreamValue s = db.getForWrite(argv[1], StreamValue.class);
        if (s == null) {
            if (a.noMkStream) {
                c.reply.nullBulk();
                return;
            }
        }
        Id last = s == null ? Id.ZERO : s.lastId();
        if (last.ms() == -1L && last.seq() == -1L) {
            throw new RedisException("ERR The stream has exhausted the last possible ID, unable to add more items");
        }
        Id id;
        if (!a.idGiven) {
            long ms = c.now();
            id = Long.compareUnsigned(ms, last.ms()) > 0 ? new Id(ms, 0) : last.next();
        } else if (!a.seqGiven) {
            if (Long.compareUnsigned(a.id.ms(), last.ms()) < 0) {
                throw new RedisException("ERR The ID specified in XADD is equal or smaller than the target stream top item");
            } else if (a.id.ms() == last.ms()) {
                if (last.seq() == -1L) {
                    throw new RedisException("ERR The ID specified in XADD is equal or smaller than the target stream top item");
                }
                id = new Id(last.ms(), last.seq() + 1);
                if (s == null || s.entriesAdded() == 0 && last.isZero()) id = new Id(a.id.ms(), a.id.ms() == 0 ? 1 : 0);
            } else {
                id = new Id(a.id.ms(), 0);
            }
        } else {
            id = a.id;
            if (id.compareTo(last) <= 0) {
                throw new RedisException("ERR The ID specified in XADD is equal or smaller than the target stream top item");
            }
        }
        if (s == null) s = db.add(argv[1], new StreamValue());
        long before = db.beginUpdate(s);
        io.keyline.store.EncodingLimits lim = c.server().encodingLimits();
        s.append(id, argv, a.fieldsAt, argv.length, lim.streamNodeMaxEntries, lim.streamNodeMaxBytes);
        byte[] idBytes = id.bytes(); // the reply and the propagated argv share one copy
        c.reply.bulk(idBytes);
        c.notifyKeyspaceEvent(KeyspaceEvents.STREAM, "xadd", argv[1]);
        long trimmed = trim(s, a);
        db.endUpdate(argv[1], s, before);
        if (trimmed > 0) c.notifyKeyspaceEvent(KeyspaceEvents.STREAM, "xtrim", argv[1]);
        c.modified(argv[1]);
        // Propagate the ID actually used (and an exact trim), as Redis rewrites argv.
        byte[][] prop = argv.clone();
        prop[a.fieldsAt - 1] = idBytes;
        rewriteApprox(prop, a, s);
        c.propagateAs(prop);
    }

    /** XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count] */
    static void xtrim(CallContext c, byte[][] argv) {
        Database db = c.db();
        StreamValue s = db.getForWrite(argv[1], StreamValue.class);
        TrimArgs a = parseTrim(argv, false, c.server().encodingLimits().streamNodeMaxEntries);
        if (a.strategy == 0) throw Errors.syntax();
        if (s == null) {
            c.reply.integer(0);
            return;
        }
        long before = db.beginUpdate(s);
        long n = trim(s, a);
        db.endUpdate(argv[1], s, before);
        if (n > 0) {
            c.notifyKeyspaceEvent(KeyspaceEvents.STREAM, "xtrim", argv[1]);
            c.modified(argv[1]);
        }
        byte[][] prop = argv.clone();
        rewriteApprox(prop, a, s);
        c.propagateAs(prop);
        c.reply.integer(n);
    }

    // ---- reads ----------------------------------------------------------------------------------

    /** XRANGE key start end [COUNT count] / XREVRANGE key end start [COUNT count] */
    static void xrange(CallContext c, byte[][] argv, boolean rev) {
        byte[] startArg = rev ? argv[3] : argv[2];
        byte[] endArg = rev ? argv[2] : argv[3];
        Id start = rangeBound(startArg, true);
        Id end = rangeBound(endArg, false);
        long count = -1;
        for (int i = 4; i < argv.length; i++) {
            if (Args.is(argv[i], "count") && i + 1 < argv.length) {
                count = Args.toLong(argv[++i]);
                if (count < 0) count = 0;
            } else {
                throw Errors.syntax();
            }
        }
        StreamValue s = c.db().get(argv[1], StreamValue.class);
        if (s != null && count == 0) {
            // xrangeGenericCommand: COUNT 0 (or negative) on an existing stream is a null array
            c.reply.nullArray();
            return;
        }
        if (s == null || start == null || end == null || start.compareTo(end) > 0) {
            c.reply.arrayHeader(0);
            return;
        }
        // The reply count is not known before the walk: collect, then write.
        List<Id> ids = new ArrayList<>();
        List<byte[][]> fields = new ArrayList<>();
        long max = count;
        s.forEach(start, end, rev, (id, f) -> {
            ids.add(id);
            fields.add(f);
            return max < 0 || ids.size() < max;
        });
        c.reply.arrayHeader(ids.size());
        for (int i = 0; i < ids.size(); i++) replyEntry(c.reply, ids.get(i), fields.get(i));
    }

    /** A range bound: "-", "+", an ID (missing seq 0 for a start, max for an end), or "(id" exclusive. Null = empty range. */
    private static Id rangeBound(byte[] arg, boolean start) {
        boolean exclusive = arg.length > 1 && arg[0] == '(';
        if (exclusive) {
            Id id = parseId(java.util.Arrays.copyOfRange(arg, 1, arg.length), start ? 0 : -1L, true, null);
            if (id == null) throw new RedisException(INVALID_ID);
            Id moved = start ? id.next() : id.prev();
            if (moved == null) {
                throw new RedisException(start ? "ERR invalid start ID for the interval" : "ERR invalid end ID for the interval");
            }
            return moved;
        }
        return idOrError(arg, start ? 0 : -1L);
    }

    /** XLEN key */
    static void xlen(CallContext c, byte[][] argv) {
        StreamValue s = c.db().get(argv[1], StreamValue.class);
        c.reply.integer(s == null ? 0 : s.length());
    }

    /** XDEL key id [id ...] */
    static void xdel(CallContext c, byte[][] argv) {
        List<Id> ids = new ArrayList<>();
        for (int i = 2; i < argv.length; i++) ids.add(strictIdOrError(argv[i], 0));
        Database db = c.db();
        StreamValue s = db.getForWrite(argv[1], StreamValue.class);
        long deleted = 0;
        if (s != null) {
            long before = db.beginUpdate(s);
            for (Id id : ids) if (s.delete(id)) deleted++;
            db.endUpdate(argv[1], s, before);
        }
        if (deleted > 0) {
            c.notifyKeyspaceEvent(KeyspaceEvents.STREAM, "xdel", argv[1]);
            c.modified(argv[1]);
        }
        c.reply.integer(deleted);
    }

    /** XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id] */
    static void xsetid(CallContext c, byte[][] argv) {
        Id id = strictIdOrError(argv[2], 0);
        long entriesAdded = -1;
        Id maxXdel = null;
        for (int i = 3; i < argv.length; i++) {
            int more = argv.length - 1 - i;
            if (Args.is(argv[i], "entriesadded") && more >= 1) {
                entriesAdded = Args.toLong(argv[++i]);
                if (entriesAdded < 0) throw new RedisException("ERR entries_added must be positive");
            } else if (Args.is(argv[i], "maxdeletedid") && more >= 1) {
                maxXdel = strictIdOrError(argv[++i], 0);
                if (id.compareTo(maxXdel) < 0) {
                    throw new RedisException("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
                }
            } else {
                throw Errors.syntax();
            }
        }
        Database db = c.db();
        StreamValue s = db.getForWrite(argv[1], StreamValue.class);
        if (s == null) throw new RedisException(Errors.NO_SUCH_KEY);
        if (s.length() > 0) {
            if (id.compareTo(s.last().getKey()) < 0) {
                throw new RedisException("ERR The ID specified in XSETID is smaller than the target stream top item");
            }
            if (entriesAdded != -1 && s.length() > entriesAdded) {
                throw new RedisException("ERR The entries_added specified in XSETID is smaller than the target stream length");
            }
        }
        s.setLastId(id);
        if (entriesAdded != -1) s.setEntriesAdded(entriesAdded);
        if (maxXdel != null) s.setMaxDeletedId(maxXdel);
        c.reply.ok();
        c.notifyKeyspaceEvent(KeyspaceEvents.STREAM, "xsetid", argv[1]);
        c.modified(argv[1]);
    }

    /** XREAD [COUNT count] [BLOCK ms] STREAMS key [key ...] id [id ...] / XREADGROUP GROUP g c [COUNT] [BLOCK] [NOACK] STREAMS ... */
    static void xread(CallContext c, byte[][] argv, boolean group) {
        String cmd = group ? "xreadgroup" : "xread";
        long count = 0;
        long timeout = -1;
        boolean noack = false;
        byte[] groupName = null;
        byte[] consumerName = null;
        int streamsAt = -1;
        for (int i = 1; i < argv.length; i++) {
            int more = argv.length - 1 - i;
            String o = Args.lower(argv[i]);
            if (o.equals("block") && more >= 1) {
                Long t = Bytes.parseLongOrError(argv[++i]);
                if (t == null) throw new RedisException("ERR timeout is not an integer or out of range");
                if (t < 0) throw new RedisException("ERR timeout is negative");
                timeout = t;
            } else if (o.equals("count") && more >= 1) {
                count = Args.toLong(argv[++i]);
                if (count < 0) count = 0;
            } else if (o.equals("streams") && more >= 1) {
                streamsAt = i + 1;
                break;
            } else if (o.equals("group") && more >= 2) {
                if (!group) throw new RedisException("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
                groupName = argv[i + 1];
                consumerName = argv[i + 2];
                i += 2;
            } else if (o.equals("noack")) {
                if (!group) throw new RedisException("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
                noack = true;
            } else {
                throw Errors.syntax();
            }
        }
        if (streamsAt < 0) throw Errors.syntax();
        int nargs = argv.length - streamsAt;
        if (nargs % 2 != 0) {
            throw new RedisException("ERR Unbalanced '" + cmd + "' list of streams: for each stream key an ID or '" + (group ? ">" : "$") + "' must be specified.");
        }
        if (group && groupName == null) throw new RedisException("ERR Missing GROUP option for XREADGROUP");
        int n = nargs / 2;
        Database db = c.db();
        Id[] ids = new Id[n];
        Group[] groups = new Group[n];
        boolean[] newOnly = new boolean[n];
        StreamValue[] streams = new StreamValue[n];
        for (int k = 0; k < n; k++) {
            byte[] key = argv[streamsAt + k];
            byte[] idArg = argv[streamsAt + n + k];
            StreamValue s = group ? db.getForWrite(key, StreamValue.class) : db.get(key, StreamValue.class);
            streams[k] = s;
            if (group) {
                Group g = s == null ? null : s.group(StreamValue.name(groupName));
                if (g == null && c.isReprocessing()) {
                    throw new RedisException("NOGROUP the consumer group this client was blocked on no longer exists");
                }
                if (g == null) {
                    throw new RedisException("NOGROUP No such key '" + Args.str(key) + "' or consumer group '"
                            + Args.str(groupName) + "' in XREADGROUP with GROUP option");
                }
                groups[k] = g;
            }
            String ia = new String(idArg, StandardCharsets.US_ASCII);
            if (ia.equals("$")) {
                if (group) throw new RedisException("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.");
                ids[k] = s == null ? Id.ZERO : s.lastId();
            } else if (ia.equals(">")) {
                if (!group) throw new RedisException("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.");
                newOnly[k] = true;
                ids[k] = groups[k].lastId;
            } else if (ia.equals("+")) {
                if (group) throw new RedisException(INVALID_ID);
                ids[k] = s == null || s.length() == 0 ? Id.ZERO : s.last().getKey().prev(); // last entry
                if (s != null && s.length() > 0 && ids[k] == null) ids[k] = Id.ZERO;
                if (s != null && s.length() > 0) newOnly[k] = true; // marker: serve the last entry
            } else {
                ids[k] = strictIdOrError(idArg, 0);
            }
        }
        // Serve.
        int withData = 0;
        for (int k = 0; k < n; k++) {
            StreamValue s = streams[k];
            if (s == null) continue;
            if (group && !newOnly[k]) {
                withData++; // history always answers
            } else if (!group && newOnly[k] && Args.str(argv[streamsAt + n + k]).equals("+")) {
                withData++;
            } else if (s.length() > 0 && s.lastId().compareTo(ids[k]) > 0 && s.higherId(ids[k]) != null) {
                withData++;
            }
        }
        if (withData > 0) {
            if (c.client().protocol() >= 3) c.reply.mapHeader(withData);
            else c.reply.arrayHeader(withData);
            for (int k = 0; k < n; k++) {
                StreamValue s = streams[k];
                if (s == null) continue;
                byte[] key = argv[streamsAt + k];
                boolean plus = !group && newOnly[k] && Args.str(argv[streamsAt + n + k]).equals("+");
                if (group && !newOnly[k]) {
                    if (c.client().protocol() < 3) c.reply.arrayHeader(2);
                    c.reply.bulk(key);
                    replyHistory(c, key, s, groups[k], groupName, consumerName, ids[k], count);
                    continue;
                }
                if (plus) {
                    if (c.client().protocol() < 3) c.reply.arrayHeader(2);
                    c.reply.bulk(key);
                    Map.Entry<Id, byte[][]> last = s.last();
                    c.reply.arrayHeader(1);
                    replyEntry(c.reply, last.getKey(), last.getValue());
                    continue;
                }
                Id from = ids[k].next();
                if (from == null) continue;
                List<Id> delivered = new ArrayList<>();
                List<byte[][]> fields = new ArrayList<>();
                long cap = count;
                s.forEach(from, Id.MAX, false, (id, f) -> {
                    delivered.add(id);
                    fields.add(f);
                    return cap <= 0 || delivered.size() < cap;
                });
                if (delivered.isEmpty()) continue;
                if (c.client().protocol() < 3) c.reply.arrayHeader(2);
                c.reply.bulk(key);
                c.reply.arrayHeader(delivered.size());
                for (int i = 0; i < delivered.size(); i++) replyEntry(c.reply, delivered.get(i), fields.get(i));
                if (group) deliver(c, key, s, groups[k], consumerName, groupName, delivered, noack);
            }
            return;
        }
        if (group) {
            // Nothing new: the consumer is still created/seen, as streamLookupConsumer + create do.
            for (int k = 0; k < n; k++) touchConsumer(c, argv[streamsAt + k], streams[k], groups[k], consumerName, false, true);
        }
        if (timeout < 0 || !c.mayBlock()) {
            if (c.client().protocol() >= 3) c.reply.nullBulk();
            else c.reply.nullArray();
            return;
        }
        // Redis rewrites '$' to the last ID so the re-run after a wake-up reads only newer entries.
        for (int k = 0; k < n; k++) {
            if (Args.str(argv[streamsAt + n + k]).equals("$")) argv[streamsAt + n + k] = ids[k].bytes();
        }
        byte[][] keys = java.util.Arrays.copyOfRange(argv, streamsAt, streamsAt + n);
        c.blockForStream(keys, timeout, StreamValue.class, group);
    }

    private static StreamValue.Consumer touchConsumer(CallContext c, byte[] key, StreamValue s, Group g, byte[] consumerName, boolean active,
                                                       boolean announce) {
        String cn = StreamValue.name(consumerName);
        StreamValue.Consumer cons = g.consumer(cn);
        long now = c.now();
        if (cons == null) {
            cons = g.createConsumer(cn, now);
            if (announce) {
                // streamCreateConsumer(SCC_DEFAULT): notified, dirty, propagated as XGROUP CREATECONSUMER.
                c.notifyKeyspaceEvent(KeyspaceEvents.STREAM, "xgroup-createconsumer", key);
                c.modified(key);
                c.propagateAs(b("XGROUP"), b("CREATECONSUMER"), key, StreamValue.nameBytes(g.name), consumerName);
            }
        }
        cons.seenTime = now;
        if (active) cons.activeTime = now;
        return cons;
    }

    /** Adds delivered entries to the PEL (unless NOACK), advances the group, and propagates as Redis does. */
    private static void deliver(CallContext c, byte[] key, StreamValue s, Group g, byte[] consumerName, byte[] groupName,
                                List<Id> delivered, boolean noack) {
        // Only a delivery that creates PEL entries counts as activity (streamReplyWithRange sets
        // active_time inside its !NOACK branch), so NOACK reads leave active-time alone.
        StreamValue.Consumer cons = touchConsumer(c, key, s, g, consumerName, !noack, true);
        long now = c.now();
        boolean propagateLastId = false;
        for (Id id : delivered) {
            if (id.compareTo(g.lastId) > 0) {
                if (g.entriesRead != StreamValue.INVALID_ENTRIES_READ && !s.rangeHasTombstones(id)) {
                    g.entriesRead++;
                } else if (s.entriesAdded() != 0) {
                    g.entriesRead = s.estimateDistanceFromFirstEverEntry(id);
                }
                g.lastId = id;
                // Redis 7.2 propagates the group's ID and entries-read unconditionally (#9127: the
                // XCLAIMs carry LASTID but not entries-read, so an AOF replay would lose it).
                propagateLastId = true;
            }
            if (!noack) {
                Nack nack = new Nack(cons, now, 1);
                Nack old = g.pel.put(id, nack);
                if (old != null) old.consumer.pel.remove(id);
                cons.pel.put(id, nack);
                c.propagateAs(xclaimPropagation(key, groupName, consumerName, id, nack, g));
            }
        }
        if (propagateLastId) {
            c.propagateAs(b("XGROUP"), b("SETID"), key, groupName, g.lastId.bytes(), b("ENTRIESREAD"), b(Long.toString(g.entriesRead)));
        }
        c.modified(key);
    }

    /** streamPropagateXCLAIM: XCLAIM key group consumer 0 id TIME ms RETRYCOUNT n FORCE JUSTID LASTID last. */
    private static byte[][] xclaimPropagation(byte[] key, byte[] group, byte[] consumer, Id id, Nack nack, Group g) {
        return new byte[][] {b("XCLAIM"), key, group, consumer, b("0"), id.bytes(), b("TIME"),
                b(Long.toString(nack.deliveryTime)), b("RETRYCOUNT"), b(Long.toString(nack.deliveryCount)), b("FORCE"),
                b("JUSTID"), b("LASTID"), g.lastId.bytes()};
    }

    /** XREADGROUP with an explicit ID: the consumer's own pending entries after {@code from}. */
    private static void replyHistory(CallContext c, byte[] key, StreamValue s, Group g, byte[] groupName, byte[] consumerName,
                                     Id from, long count) {
        StreamValue.Consumer cons = touchConsumer(c, key, s, g, consumerName, false, true);
        NavigableMap<Id, Nack> tail = cons.pel.tailMap(from, false);
        long m = count > 0 ? Math.min(count, tail.size()) : tail.size();
        c.reply.arrayHeader(m);
        long i = 0;
        for (Map.Entry<Id, Nack> e : tail.entrySet()) {
            if (i++ == m) break;
            byte[][] f = s.get(e.getKey());
            replyEntry(c.reply, e.getKey(), f);
            // A deleted entry is answered as [id, nil] and is no delivery (streamReplyWithRangeFromConsumerPEL).
            if (f == null) continue;
            // History reads count as a new delivery, as streamReplyWithRangeFromConsumerPEL does.
            e.getValue().deliveryTime = c.now();
            e.getValue().deliveryCount++;
            c.modified(key);
            c.propagateAs(xclaimPropagation(key, groupName, consumerName, e.getKey(), e.getValue(), g));
        }
    }

    // ---- groups ---------------------------------------------------------------------------------

    private static RedisException noGroup(byte[] key, byte[] group) {
        return new RedisException("NOGROUP No such key '" + Args.str(key) + "' or consumer group '" + Args.str(group) + "'");
    }

    private static final String NEED_KEY = "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.";

    private static Group requireGroup(StreamValue s, byte[] key, byte[] group) {
        if (s == null) throw new RedisException(NEED_KEY);
        Group g = s.group(StreamValue.name(group));
        if (g == null) {
            throw new RedisException("NOGROUP No such consumer group '" + Args.str(group) + "' for key name '" + Args.str(key) + "'");
        }
        return g;
    }

    /** XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD n] */
    static void xgroupCreate(CallContext c, byte[][] argv) {
        boolean mkstream = false;
        long entriesRead = StreamValue.INVALID_ENTRIES_READ;
        for (int i = 5; i < argv.length; i++) {
            if (Args.is(argv[i], "mkstream")) {
                mkstream = true;
            } else if (Args.is(argv[i], "entriesread") && i + 1 < argv.length) {
                entriesRead = Args.toLong(argv[++i]);
                if (entriesRead < 0 && entriesRead != StreamValue.INVALID_ENTRIES_READ) {
                    throw new RedisException("ERR value for ENTRIESREAD must be positive or -1");
                }
            } else {
                throw Clients.subcommandSyntax("XGROUP", argv[1]); // addReplySubcommandSyntaxError
            }
        }
        Database db = c.db();
        StreamValue s = db.getForWrite(argv[2], StreamValue.class);
        if (s == null && !mkstream) throw new RedisException(NEED_KEY);
        Id id;
        if (Args.str(argv[4]).equals("$")) {
            id = s == null ? Id.ZERO : s.lastId();
        } else {
            id = strictIdOrError(argv[4], 0);
        }
        if (s == null) {
            s = db.add(argv[2], new StreamValue());
        }
        long before = db.beginUpdate(s);
        Group g = s.createGroup(StreamValue.name(argv[3]), id, entriesRead);
        db.endUpdate(argv[2], s, before);
        if (g == null) throw new RedisException("BUSYGROUP Consumer Group name already exists");
        c.reply.ok();
        c.notifyKeyspaceEvent(KeyspaceEvents.STREAM, "xgroup-create", argv[2]);
        c.modified(argv[2]);
    }

    /** XGROUP SETID key group id|$ [ENTRIESREAD n] */
    static void xgroupSetId(CallContext c, byte[][] argv) {
        long entriesRead = StreamValue.INVALID_ENTRIES_READ;
        for (int i = 5; i < argv.length; i++) {
            if (Args.is(argv[i], "entriesread") && i + 1 < argv.length) {
                entriesRead = Args.toLong(argv[++i]);
                if (entriesRead < 0 && entriesRead != StreamValue.INVALID_ENTRIES_READ) {
                    throw new RedisException("ERR value for ENTRIESREAD must be positive or -1");
                }
            } else {
                throw Clients.subcommandSyntax("XGROUP", argv[1]); // addReplySubcommandSyntaxError
            }
        }
        StreamValue s = c.db().getForWrite(argv[2], StreamValue.class);
        Group g = requireGroup(s, argv[2], argv[3]);
        Id id;
        if (Args.str(argv[4]).equals("$")) {
            id = s.lastId();
        } else {
            id = strictIdOrError(argv[4], 0);
        }
        g.lastId = id;
        g.entriesRead = entriesRead;
        c.reply.ok();
        c.notifyKeyspaceEvent(KeyspaceEvents.STREAM, "xgroup-setid", argv[2]);
        c.modified(argv[2]);
    }

    /** XGROUP DESTROY key group */
    static void xgroupDestroy(CallContext c, byte[][] argv) {
        Database db = c.db();
        StreamValue s = db.getForWrite(argv[2], StreamValue.class);
        if (s == null) throw new RedisException(NEED_KEY);
        long before = db.beginUpdate(s);
        boolean ok = s.destroyGroup(StreamValue.name(argv[3]));
        db.endUpdate(argv[2], s, before);
        if (ok) {
            c.notifyKeyspaceEvent(KeyspaceEvents.STREAM, "xgroup-destroy", argv[2]);
            c.modified(argv[2]); // wakes XREADGROUP clients, which then fail with NOGROUP
        }
        c.reply.integer(ok ? 1 : 0);
    }

    /** XGROUP CREATECONSUMER key group consumer */
    static void xgroupCreateConsumer(CallContext c, byte[][] argv) {
        StreamValue s = c.db().getForWrite(argv[2], StreamValue.class);
        Group g = requireGroup(s, argv[2], argv[3]);
        boolean created = g.createConsumer(StreamValue.name(argv[4]), c.now()) != null;
        if (created) {
            c.notifyKeyspaceEvent(KeyspaceEvents.STREAM, "xgroup-createconsumer", argv[2]);
            c.modified(argv[2]);
        }
        c.reply.integer(created ? 1 : 0);
    }

    /** XGROUP DELCONSUMER key group consumer */
    static void xgroupDelConsumer(CallContext c, byte[][] argv) {
        StreamValue s = c.db().getForWrite(argv[2], StreamValue.class);
        Group g = requireGroup(s, argv[2], argv[3]);
        long pending = g.deleteConsumer(StreamValue.name(argv[4]));
        if (pending >= 0) {
            c.notifyKeyspaceEvent(KeyspaceEvents.STREAM, "xgroup-delconsumer", argv[2]);
            c.modified(argv[2]);
        }
        c.reply.integer(Math.max(0, pending));
    }

    static void xgroupHelp(CallContext c, byte[][] argv) {
        Help.reply(c, "XGROUP",
                "CREATE <key> <groupname> <id|$> [option]",
                "    Create a new consumer group. Options are:",
                "    * MKSTREAM",
                "      Create the empty stream if it does not exist.",
                "    * ENTRIESREAD entries_read",
                "      Set the group's entries_read counter (internal use).",
                "CREATECONSUMER <key> <groupname> <consumer>",
                "    Create a new consumer in the specified group.",
                "DELCONSUMER <key> <groupname> <consumer>",
                "    Remove the specified consumer.",
                "DESTROY <key> <groupname>",
                "    Remove the specified group.",
                "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
                "    Set the current group ID and entries_read counter.");
    }

    // ---- XACK / XPENDING / XCLAIM / XAUTOCLAIM --------------------------------------------------

    /** XACK key group id [id ...] */
    static void xack(CallContext c, byte[][] argv) {
        List<Id> ids = new ArrayList<>();
        for (int i = 3; i < argv.length; i++) ids.add(strictIdOrError(argv[i], 0));
        StreamValue s = c.db().getForWrite(argv[1], StreamValue.class);
        Group g = s == null ? null : s.group(StreamValue.name(argv[2]));
        long acked = 0;
        if (g != null) {
            for (Id id : ids) {
                Nack n = g.pel.remove(id);
                if (n != null) {
                    n.consumer.pel.remove(id);
                    acked++;
                }
            }
        }
        if (acked > 0) c.modified(argv[1]);
        c.reply.integer(acked);
    }

    /** XPENDING key group [[IDLE min-idle] start end count [consumer]] */
    static void xpending(CallContext c, byte[][] argv) {
        boolean extended = argv.length > 3;
        long minIdle = 0;
        Id start = null;
        Id end = null;
        long count = 0;
        byte[] consumerArg = null;
        if (extended) {
            int i = 3;
            if (Args.is(argv[i], "idle")) {
                if (argv.length < 8) throw Errors.syntax();
                minIdle = Args.toLong(argv[i + 1]);
                if (minIdle < 0) minIdle = 0;
                i += 2;
            }
            if (argv.length - i < 3 || argv.length - i > 4) throw Errors.syntax();
            start = rangeBound(argv[i], true);
            end = rangeBound(argv[i + 1], false);
            count = Args.toLong(argv[i + 2]);
            if (count < 0) count = 0;
            if (argv.length - i == 4) consumerArg = argv[i + 3];
        }
        StreamValue s = c.db().get(argv[1], StreamValue.class);
        Group g = s == null ? null : s.group(StreamValue.name(argv[2]));
        if (g == null) throw noGroup(argv[1], argv[2]);
        if (!extended) {
            c.reply.arrayHeader(4);
            c.reply.integer(g.pel.size());
            if (g.pel.isEmpty()) {
                c.reply.nullBulk();
                c.reply.nullBulk();
                c.reply.nullArray();
                return;
            }
            c.reply.bulk(g.pel.firstKey().bytes());
            c.reply.bulk(g.pel.lastKey().bytes());
            List<StreamValue.Consumer> with = new ArrayList<>();
            for (StreamValue.Consumer cons : g.consumers.values()) if (!cons.pel.isEmpty()) with.add(cons);
            c.reply.arrayHeader(with.size());
            for (StreamValue.Consumer cons : with) {
                c.reply.arrayHeader(2);
                c.reply.bulk(StreamValue.nameBytes(cons.name));
                c.reply.bulk(b(Long.toString(cons.pel.size())));
            }
            return;
        }
        NavigableMap<Id, Nack> pel = g.pel;
        if (consumerArg != null) {
            StreamValue.Consumer cons = g.consumer(StreamValue.name(consumerArg));
            pel = cons == null ? new java.util.TreeMap<>() : cons.pel;
        }
        List<Map.Entry<Id, Nack>> out = new ArrayList<>();
        long now = c.now();
        if (start.compareTo(end) <= 0) {
            for (Map.Entry<Id, Nack> e : pel.subMap(start, true, end, true).entrySet()) {
                if (out.size() >= count) break;
                if (minIdle > 0 && now - e.getValue().deliveryTime < minIdle) continue;
                out.add(e);
            }
        }
        c.reply.arrayHeader(out.size());
        for (Map.Entry<Id, Nack> e : out) {
            Nack n = e.getValue();
            c.reply.arrayHeader(4);
            c.reply.bulk(e.getKey().bytes());
            c.reply.bulk(StreamValue.nameBytes(n.consumer.name));
            c.reply.integer(Math.max(0, now - n.deliveryTime));
            c.reply.integer(n.deliveryCount);
        }
    }

    /** XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME ms] [RETRYCOUNT n] [FORCE] [JUSTID] [LASTID id] */
    static void xclaim(CallContext c, byte[][] argv) {
        long minIdle = Args.toLong(argv[4], "ERR Invalid min-idle-time argument for XCLAIM");
        if (minIdle < 0) minIdle = 0;
        int j = 5;
        List<Id> ids = new ArrayList<>();
        for (; j < argv.length; j++) {
            Id id = parseId(argv[j], 0, true, null);
            if (id == null) break;
            ids.add(id);
        }
        long now = c.now();
        long deliveryTime = -1;
        long retryCount = -1;
        boolean force = false;
        boolean justId = false;
        Id lastId = null;
        for (; j < argv.length; j++) {
            int more = argv.length - 1 - j;
            String o = Args.lower(argv[j]);
            if (o.equals("force")) {
                force = true;
            } else if (o.equals("justid")) {
                justId = true;
            } else if (o.equals("idle") && more >= 1) {
                long idle = Args.toLong(argv[++j], "ERR Invalid IDLE option argument for XCLAIM");
                deliveryTime = now - idle;
            } else if (o.equals("time") && more >= 1) {
                deliveryTime = Args.toLong(argv[++j], "ERR Invalid TIME option argument for XCLAIM");
            } else if (o.equals("retrycount") && more >= 1) {
                retryCount = Args.toLong(argv[++j], "ERR Invalid RETRYCOUNT option argument for XCLAIM");
            } else if (o.equals("lastid") && more >= 1) {
                lastId = strictIdOrError(argv[++j], 0);
            } else {
                throw new RedisException("ERR Unrecognized XCLAIM option '" + Args.str(argv[j]) + "'");
            }
        }
        if (deliveryTime != -1) {
            // A bogus time (negative, or in the future) means now, as xclaimCommand does.
            if (deliveryTime < 0 || deliveryTime > now) deliveryTime = now;
        } else {
            deliveryTime = now;
        }
        StreamValue s = c.db().getForWrite(argv[1], StreamValue.class);
        Group g = s == null ? null : s.group(StreamValue.name(argv[2]));
        if (g == null) throw noGroup(argv[1], argv[2]);
        if (lastId != null && lastId.compareTo(g.lastId) > 0) g.lastId = lastId;
        StreamValue.Consumer cons = null;
        List<Id> claimed = new ArrayList<>();
        List<byte[][]> claimedFields = new ArrayList<>();
        for (Id id : ids) {
            Nack n = g.pel.get(id);
            byte[][] fields = s.get(id);
            boolean forced = false;
            if (force && n == null && fields != null) {
                if (cons == null) cons = touchConsumer(c, argv[1], s, g, argv[3], false, false);
                n = new Nack(cons, now, 1); // streamCreateNACK: one delivery
                g.pel.put(id, n);
                cons.pel.put(id, n);
                forced = true;
            }
            if (n == null) continue;
            if (fields == null) {
                // Deleted from the stream: drop from the PEL, as Redis 7 does.
                g.pel.remove(id);
                n.consumer.pel.remove(id);
                c.propagateAs(b("XCLAIM"), argv[1], argv[2], argv[3], b("0"), id.bytes(), b("TIME"), b("0"),
                        b("RETRYCOUNT"), b("0"), b("FORCE"), b("JUSTID"), b("LASTID"), g.lastId.bytes());
                continue;
            }
            // A NACK just made by FORCE has no owner in Redis, and min-idle is not checked for it.
            if (!forced && minIdle > 0 && now - n.deliveryTime < minIdle) continue;
            if (cons == null) cons = touchConsumer(c, argv[1], s, g, argv[3], false, false);
            if (n.consumer != cons) {
                n.consumer.pel.remove(id);
                cons.pel.put(id, n);
                n.consumer = cons;
            }
            n.deliveryTime = deliveryTime;
            if (retryCount >= 0) n.deliveryCount = retryCount;
            else if (!justId) n.deliveryCount++;
            cons.activeTime = now;
            claimed.add(id);
            claimedFields.add(fields);
            c.propagateAs(xclaimPropagation(argv[1], argv[2], argv[3], id, n, g));
        }
        c.reply.arrayHeader(claimed.size());
        for (int i = 0; i < claimed.size(); i++) {
            if (justId) c.reply.bulk(claimed.get(i).bytes());
            else replyEntry(c.reply, claimed.get(i), claimedFields.get(i));
        }
        if (!claimed.isEmpty()) {
            c.notifyKeyspaceEvent(KeyspaceEvents.STREAM, "xclaim", argv[1]);
            c.modified(argv[1]);
        }
    }

    /** XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID] */
    static void xautoclaim(CallContext c, byte[][] argv) {
        long minIdle = Args.toLong(argv[4], "ERR Invalid min-idle-time argument for XAUTOCLAIM");
        if (minIdle < 0) minIdle = 0;
        Id start = rangeBound(argv[5], true);
        long count = 100;
        boolean justId = false;
        for (int j = 6; j < argv.length; j++) {
            int more = argv.length - 1 - j;
            if (Args.is(argv[j], "count") && more >= 1) {
                Long v = Bytes.parseLongOrError(argv[++j]);
                if (v == null || v < 1 || v > Long.MAX_VALUE / 10) {
                    throw new RedisException("ERR COUNT must be > 0");
                }
                count = v;
            } else if (Args.is(argv[j], "justid")) {
                justId = true;
            } else {
                throw Errors.syntax();
            }
        }
        StreamValue s = c.db().getForWrite(argv[1], StreamValue.class);
        Group g = s == null ? null : s.group(StreamValue.name(argv[2]));
        if (g == null) throw noGroup(argv[1], argv[2]);
        long now = c.now();
        long attempts = count * 10;
        List<Id> claimed = new ArrayList<>();
        List<byte[][]> fieldsOut = new ArrayList<>();
        List<Id> deleted = new ArrayList<>();
        StreamValue.Consumer cons = touchConsumer(c, argv[1], s, g, argv[3], false, false);
        Id next = Id.ZERO;
        java.util.Iterator<Map.Entry<Id, Nack>> it = new ArrayList<>(g.pel.tailMap(start, true).entrySet()).iterator();
        boolean exhausted = true;
        while (it.hasNext()) {
            // Deleted IDs count against COUNT too: it limits the size of the reply (t_stream.c).
            if (attempts-- == 0 || claimed.size() + deleted.size() >= count) {
                exhausted = false;
                next = it.next().getKey();
                break;
            }
            Map.Entry<Id, Nack> e = it.next();
            Id id = e.getKey();
            Nack n = e.getValue();
            byte[][] fields = s.get(id);
            if (fields == null) {
                g.pel.remove(id);
                n.consumer.pel.remove(id);
                deleted.add(id);
                c.propagateAs(b("XCLAIM"), argv[1], argv[2], argv[3], b("0"), id.bytes(), b("TIME"), b("0"),
                        b("RETRYCOUNT"), b("0"), b("FORCE"), b("JUSTID"), b("LASTID"), g.lastId.bytes());
                continue;
            }
            if (minIdle > 0 && now - n.deliveryTime < minIdle) continue;
            if (n.consumer != cons) {
                n.consumer.pel.remove(id);
                cons.pel.put(id, n);
                n.consumer = cons;
            }
            n.deliveryTime = now;
            if (!justId) n.deliveryCount++;
            cons.activeTime = now;
            claimed.add(id);
            fieldsOut.add(fields);
            c.propagateAs(xclaimPropagation(argv[1], argv[2], argv[3], id, n, g));
        }
        if (exhausted) next = Id.ZERO;
        c.reply.arrayHeader(3);
        c.reply.bulk(next.bytes());
        c.reply.arrayHeader(claimed.size());
        for (int i = 0; i < claimed.size(); i++) {
            if (justId) c.reply.bulk(claimed.get(i).bytes());
            else replyEntry(c.reply, claimed.get(i), fieldsOut.get(i));
        }
        c.reply.arrayHeader(deleted.size());
        for (Id id : deleted) c.reply.bulk(id.bytes());
        if (!claimed.isEmpty() || !deleted.isEmpty()) {
            c.notifyKeyspaceEvent(KeyspaceEvents.STREAM, "xautoclaim", argv[1]);
            c.modified(argv[1]);
        }
    }

    // ---- XINFO ----------------------------------------------------------------------------------

    static void xinfoStream(CallContext c, byte[][] argv) {
        boolean full = false;
        long count = 10;
        if (argv.length > 3) {
            // xinfoReplyWithStreamInfo answers addReplySubcommandSyntaxError for anything but FULL [COUNT n]
            if (!Args.is(argv[3], "full")) throw Clients.subcommandSyntax("XINFO", argv[1]);
            full = true;
            if (argv.length == 6 && Args.is(argv[4], "count")) {
                count = Args.toLong(argv[5]);
                if (count < 0) count = 10;
            } else if (argv.length != 4) {
                throw Clients.subcommandSyntax("XINFO", argv[1]);
            }
        }
        StreamValue s = c.db().get(argv[2], StreamValue.class);
        if (s == null) throw new RedisException(Errors.NO_SUCH_KEY);
        ReplyWriter r = c.reply;
        r.mapHeader(full ? 9 : 10);
        r.bulk("length");
        r.integer(s.length());
        r.bulk("radix-tree-keys");
        r.integer(s.nodeCount());
        r.bulk("radix-tree-nodes");
        r.integer(Math.max(1, (s.length() + 99) / 100 * 2));
        r.bulk("last-generated-id");
        r.bulk(s.lastId().bytes());
        r.bulk("max-deleted-entry-id");
        r.bulk(s.maxDeletedId().bytes());
        r.bulk("entries-added");
        r.integer(s.entriesAdded());
        r.bulk("recorded-first-entry-id");
        r.bulk(s.firstId().bytes());
        if (!full) {
            r.bulk("groups");
            r.integer(s.groups().size());
            r.bulk("first-entry");
            Map.Entry<Id, byte[][]> f = s.first();
            if (f == null) r.nullBulk();
            else replyEntry(r, f.getKey(), f.getValue());
            r.bulk("last-entry");
            Map.Entry<Id, byte[][]> l = s.last();
            if (l == null) r.nullBulk();
            else replyEntry(r, l.getKey(), l.getValue());
            return;
        }
        r.bulk("entries");
        long n = count == 0 ? s.length() : Math.min(count, s.length());
        r.arrayHeader(n);
        long[] left = {n};
        s.forEach(Id.ZERO, Id.MAX, false, (id, f) -> {
            if (left[0]-- <= 0) return false;
            replyEntry(r, id, f);
            return true;
        });
        r.bulk("groups");
        r.arrayHeader(s.groups().size());
        for (Group g : s.groups().values()) {
            r.mapHeader(7);
            r.bulk("name");
            r.bulk(StreamValue.nameBytes(g.name));
            r.bulk("last-delivered-id");
            r.bulk(g.lastId.bytes());
            r.bulk("entries-read");
            if (g.entriesRead == StreamValue.INVALID_ENTRIES_READ) r.nullBulk();
            else r.integer(g.entriesRead);
            r.bulk("lag");
            Long lag = s.lag(g);
            if (lag == null) r.nullBulk();
            else r.integer(lag);
            r.bulk("pel-count");
            r.integer(g.pel.size());
            r.bulk("pending");
            long pn = count == 0 ? g.pel.size() : Math.min(count, g.pel.size());
            r.arrayHeader(pn);
            long k = 0;
            for (Map.Entry<Id, Nack> e : g.pel.entrySet()) {
                if (k++ == pn) break;
                r.arrayHeader(4);
                r.bulk(e.getKey().bytes());
                r.bulk(StreamValue.nameBytes(e.getValue().consumer.name));
                r.integer(e.getValue().deliveryTime);
                r.integer(e.getValue().deliveryCount);
            }
            r.bulk("consumers");
            r.arrayHeader(g.consumers.size());
            for (StreamValue.Consumer cons : g.consumers.values()) {
                r.mapHeader(5);
                r.bulk("name");
                r.bulk(StreamValue.nameBytes(cons.name));
                r.bulk("seen-time");
                r.integer(cons.seenTime);
                r.bulk("active-time");
                r.integer(cons.activeTime);
                r.bulk("pel-count");
                r.integer(cons.pel.size());
                r.bulk("pending");
                long cn = count == 0 ? cons.pel.size() : Math.min(count, cons.pel.size());
                r.arrayHeader(cn);
                long q = 0;
                for (Map.Entry<Id, Nack> e : cons.pel.entrySet()) {
                    if (q++ == cn) break;
                    r.arrayHeader(3);
                    r.bulk(e.getKey().bytes());
                    r.integer(e.getValue().deliveryTime);
                    r.integer(e.getValue().deliveryCount);
                }
            }
        }
    }

    static void xinfoGroups(CallContext c, byte[][] argv) {
        StreamValue s = c.db().get(argv[2], StreamValue.class);
        if (s == null) throw new RedisException(Errors.NO_SUCH_KEY);
        ReplyWriter r = c.reply;
        r.arrayHeader(s.groups().size());
        for (Group g : s.groups().values()) {
            r.mapHeader(6);
            r.bulk("name");
            r.bulk(StreamValue.nameBytes(g.name));
            r.bulk("consumers");
            r.integer(g.consumers.size());
            r.bulk("pending");
            r.integer(g.pel.size());
            r.bulk("last-delivered-id");
            r.bulk(g.lastId.bytes());
            r.bulk("entries-read");
            if (g.entriesRead == StreamValue.INVALID_ENTRIES_READ) r.nullBulk();
            else r.integer(g.entriesRead);
            r.bulk("lag");
            Long lag = s.lag(g);
            if (lag == null) r.nullBulk();
            else r.integer(lag);
        }
    }

    static void xinfoConsumers(CallContext c, byte[][] argv) {
        StreamValue s = c.db().get(argv[2], StreamValue.class);
        if (s == null) throw new RedisException(Errors.NO_SUCH_KEY);
        Group g = s.group(StreamValue.name(argv[3]));
        if (g == null) {
            throw new RedisException("NOGROUP No such consumer group '" + Args.str(argv[3]) + "' for key name '" + Args.str(argv[2]) + "'");
        }
        long now = c.now();
        ReplyWriter r = c.reply;
        r.arrayHeader(g.consumers.size());
        for (StreamValue.Consumer cons : g.consumers.values()) {
            r.mapHeader(4);
            r.bulk("name");
            r.bulk(StreamValue.nameBytes(cons.name));
            r.bulk("pending");
            r.integer(cons.pel.size());
            r.bulk("idle");
            r.integer(Math.max(0, now - cons.seenTime));
            r.bulk("inactive");
            r.integer(cons.activeTime == -1 ? -1 : Math.max(0, now - cons.activeTime));
        }
    }

    static void xinfoHelp(CallContext c, byte[][] argv) {
        Help.reply(c, "XINFO",
                "CONSUMERS <key> <groupname>",
                "    Show consumers of <groupname>.",
                "GROUPS <key>",
                "    Show the stream consumer groups.",
                "STREAM <key> [FULL [COUNT <count>]",
                "    Show information about the stream.");
    }

    /** The handlers of the commands registered above, one class for all of them (see {@link Handler}). */
    private enum Op implements Handler {
        XADD, XRANGE, XREVRANGE, XLEN, XDEL, XTRIM, XREAD, XREADGROUP, XSETID, XACK, XPENDING, XCLAIM, XAUTOCLAIM,
        XGROUP_CREATE, XGROUP_CREATECONSUMER, XGROUP_DELCONSUMER, XGROUP_DESTROY, XGROUP_SETID, XGROUP_HELP,
        XINFO_STREAM, XINFO_GROUPS, XINFO_CONSUMERS, XINFO_HELP;

        @Override
        public void handle(CallContext c, byte[][] argv) {
            switch (this) {
                case XADD -> xadd(c, argv);
                case XRANGE -> xrange(c, argv, false);
                case XREVRANGE -> xrange(c, argv, true);
                case XLEN -> xlen(c, argv);
                case XDEL -> xdel(c, argv);
                case XTRIM -> xtrim(c, argv);
                case XREAD -> xread(c, argv, false);
                case XREADGROUP -> xread(c, argv, true);
                case XSETID -> xsetid(c, argv);
                case XACK -> xack(c, argv);
                case XPENDING -> xpending(c, argv);
                case XCLAIM -> xclaim(c, argv);
                case XAUTOCLAIM -> xautoclaim(c, argv);
                case XGROUP_CREATE -> xgroupCreate(c, argv);
                case XGROUP_CREATECONSUMER -> xgroupCreateConsumer(c, argv);
                case XGROUP_DELCONSUMER -> xgroupDelConsumer(c, argv);
                case XGROUP_DESTROY -> xgroupDestroy(c, argv);
                case XGROUP_SETID -> xgroupSetId(c, argv);
                case XGROUP_HELP -> xgroupHelp(c, argv);
                case XINFO_STREAM -> xinfoStream(c, argv);
                case XINFO_GROUPS -> xinfoGroups(c, argv);
                case XINFO_CONSUMERS -> xinfoConsumers(c, argv);
                case XINFO_HELP -> xinfoHelp(c, argv);
            }
        }
    }
}
