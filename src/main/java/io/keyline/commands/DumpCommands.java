package io.keyline.commands;

import io.keyline.engine.Args;
import io.keyline.engine.CallContext;
import io.keyline.engine.CommandSpec.Flag;
import io.keyline.engine.CommandTable;
import io.keyline.engine.Errors;
import io.keyline.engine.Handler;
import io.keyline.engine.KeySpec;
import io.keyline.engine.RedisException;
import io.keyline.persistence.rdb.Dump;
import io.keyline.persistence.rdb.RdbFormatException;
import io.keyline.pubsub.KeyspaceEvents;
import io.keyline.store.Database;
import io.keyline.store.Entry;
import io.keyline.store.type.StreamValue;

/**
 * DUMP and RESTORE (Redis 7.2's {@code cluster.c}): a value in Redis's own serialization (RDB
 * value, RDB version, CRC64), so keys move between Keyline and Redis with tools such as
 * redis-shake or RIOT. The format lives in {@code persistence.rdb}.
 *
 * <p>{@code sanitize-dump-payload} ({@code no}, {@code yes}, {@code clients}, as Redis) changes nothing here:
 * Keyline always decodes a payload completely (it rebuilds the value in its own structures), so the checks of
 * Redis's deep sanitization (duplicates, stream PEL consistency, listpack integrity) apply in every mode. They
 * come with the rebuilding: a duplicate is found by the insertion that must happen anyway, and the only check
 * a shallow mode could skip (a listpack entry's back-length) is a few byte comparisons per entry, against the
 * entry's copy and insertion ({@code bench/results/2026-12-06-restore-sanitize.md}).
 */
final class DumpCommands {
    private static final byte[] ABSTTL = StringCommands.ascii("ABSTTL");
    private static final String BAD_PAYLOAD = "ERR DUMP payload version or checksum are wrong";
    private static final String BAD_FORMAT = "ERR Bad data format";
    private static final String BUSYKEY = "BUSYKEY Target key name already exists.";

    private DumpCommands() {
    }

    static void register(CommandTable t) {
        t.command("dump", 2).flags(Flag.READONLY).keys(1, 1, 1).acl("keyspace").group("generic")
                .doc("Returns a serialized representation of the value stored at a key.", "2.6.0",
                        "O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .tips("nondeterministic_output")
                .handler(Op.DUMP);
        t.command("restore", -4).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1).acl("keyspace", "dangerous").group("generic")
                .doc("Creates a key from a serialized representation of a value.", "2.6.0",
                        "O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("OW update"))
                .handler(Op.RESTORE);
    }

    /** DUMP key */
    static void dump(CallContext c, byte[][] argv) {
        Entry e = c.db().lookup(argv[1]);
        if (e == null) {
            c.reply.nullBulk();
            return;
        }
        var config = c.server().config();
        byte[] payload = Dump.payload(e.value(), (int) config.getLong("rdb-version"), config.getBool("rdbcompression"),
                c.server().encodingLimits().streamNodeMaxEntries);
        if (payload == null) throw new RedisException("ERR this value cannot be serialized");
        c.reply.bulk(payload);
    }

    /** RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency] */
    static void restore(CallContext c, byte[][] argv) {
        boolean replace = false, absttl = false;
        long idle = -1, freq = -1;
        for (int j = 4; j < argv.length; j++) {
            int additional = argv.length - j - 1;
            if (Args.is(argv[j], "replace")) {
                replace = true;
            } else if (Args.is(argv[j], "absttl")) {
                absttl = true;
            } else if (Args.is(argv[j], "idletime") && additional >= 1 && freq == -1) {
                idle = Args.toLong(argv[++j]);
                if (idle < 0) throw new RedisException("ERR Invalid IDLETIME value, must be >= 0");
            } else if (Args.is(argv[j], "freq") && additional >= 1 && idle == -1) {
                freq = Args.toLong(argv[++j]);
                if (freq < 0 || freq > 255) throw new RedisException("ERR Invalid FREQ value, must be >= 0 and <= 255");
            } else {
                throw new RedisException(Errors.SYNTAX);
            }
        }
        byte[] key = argv[1];
        Database db = c.db();
        if (!replace && db.lookupWrite(key) != null) throw new RedisException(BUSYKEY);
        long ttl = Args.toLong(argv[2]);
        if (ttl < 0) throw new RedisException("ERR Invalid TTL value, must be >= 0");
        byte[] payload = argv[3];
        if (!Dump.verify(payload)) throw new RedisException(BAD_PAYLOAD);
        Object value;
        try {
            value = Dump.value(payload, c.server().encodingLimits());
        } catch (RdbFormatException | IllegalArgumentException | IllegalStateException e) {
            throw new RedisException(BAD_FORMAT);
        }
        if (value instanceof StreamValue s) s.nodeMaxEntries(c.server().encodingLimits().streamNodeMaxEntries);
        boolean deleted = replace && db.delete(key);
        if (ttl != 0 && !absttl) ttl += c.now();
        if (ttl != 0 && SetCommand.alreadyExpired(c, ttl)) {
            if (deleted) {
                c.propagateAs(KeyCommands.DEL, key);
                c.modified(key);
                c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", key);
            }
            c.reply.ok();
            return;
        }
        db.set(key, value, ttl != 0 ? ttl : Database.NO_TTL);
        if (ttl != 0 && !absttl) {
            // Propagated with the absolute deadline, as Redis rewrites the TTL argument and appends ABSTTL.
            byte[][] rewritten = java.util.Arrays.copyOf(argv, argv.length + 1);
            rewritten[2] = StringCommands.ascii(Long.toString(ttl));
            rewritten[argv.length] = ABSTTL;
            c.propagateAs(rewritten);
        }
        Entry e = db.peek(key);
        if (e != null) c.server().keyspace().setAccess(e, freq, idle);
        c.modified(key);
        c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "restore", key);
        c.reply.ok();
    }

    /** The handlers of the commands registered above, one class for all of them (see {@link Handler}). */
    private enum Op implements Handler {
        DUMP, RESTORE;

        @Override
        public void handle(CallContext c, byte[][] argv) {
            switch (this) {
                case DUMP -> dump(c, argv);
                case RESTORE -> restore(c, argv);
            }
        }
    }
}
