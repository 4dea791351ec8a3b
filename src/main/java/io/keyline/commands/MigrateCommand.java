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
import io.keyline.pubsub.KeyspaceEvents;
import io.keyline.store.Database;
import io.keyline.store.Entry;
import io.keyline.util.Bytes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * MIGRATE (Redis 7.2's {@code cluster.c} migrateCommand) and RESTORE-ASKING: keys move to another server as
 * RESTORE commands carrying DUMP payloads, over a connection cached per target ({@link MigrateSockets}).
 *
 * <p>Redis blocks its only thread for the whole transfer. Keyline runs MIGRATE off the event loop (flag
 * {@code NETWORK_IO}: the calling connection is suspended, the loop serves its other clients) and holds the
 * keys' stripes only while it touches them, never across a network wait:
 * <ol>
 *   <li>under the keys' locks: look the keys up and serialize them (the DUMP payloads and TTLs);</li>
 *   <li>without locks: AUTH, SELECT when the connection's database differs, the RESTOREs, their replies;</li>
 *   <li>under the keys' locks again, unless COPY: delete each key the target acknowledged, logging one DEL for
 *   them to the AOF before the locks are released, as Redis rewrites the command as DEL.</li>
 * </ol>
 * Between 1 and 3 another client may change a key. Redis cannot see that; Keyline deletes a key in step 3 only if
 * it still serializes to what was sent (same value and deadline), and otherwise keeps it: the newer write is not
 * lost, and the outcome is that of a MIGRATE COPY followed by that write.
 */
final class MigrateCommand {
    private static final byte[] RESTORE = StringCommands.ascii("RESTORE");
    private static final byte[] REPLACE = StringCommands.ascii("REPLACE");
    private static final byte[] SELECT = StringCommands.ascii("SELECT");
    private static final byte[] AUTH = StringCommands.ascii("AUTH");

    private MigrateCommand() {
    }

    static void register(CommandTable t) {
        t.command("migrate", -6).flags(Flag.WRITE, Flag.NETWORK_IO).keys(3, 3, 1).keys(KeyFinders.MIGRATE)
                .acl("keyspace", "dangerous").group("generic")
                .doc("Atomically transfers a key from one Redis instance to another.", "2.6.0",
                        "This command actually executes a DUMP+DEL in the source instance, and a RESTORE in the target instance. See the pages of these commands for time complexity. Also an O(N) data transfer between the two instances is performed.")
                .keySpec(KeySpec.index(3).range(0, 1, 0).flags("RW access delete"))
                .keySpec(KeySpec.keyword("KEYS", -2).range(-1, 1, 0).flags("RW access delete incomplete"))
                .tips("nondeterministic_output")
                .handler(Op.MIGRATE);
        // What MIGRATE sends in cluster mode (to a node still importing the slot); Keyline is never a cluster node,
        // so it sends RESTORE, but answers RESTORE-ASKING as Redis does: as RESTORE.
        t.command("restore-asking", -4).flags(Flag.WRITE, Flag.DENYOOM, Flag.ASKING).keys(1, 1, 1)
                .acl("keyspace", "dangerous").group("server")
                .doc("An internal command for migrating keys in a cluster.", "3.0.0",
                        "O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("OW update"))
                .handler(Op.RESTORE_ASKING);
    }

    /** Redis's migrateGetKeys: argv[3], or every argument after KEYS when argv[3] is empty. */
    static int[] keys(byte[][] argv) {
        if (argv.length < 4) return new int[0];
        for (int i = 6; i < argv.length; i++) {
            if (Args.is(argv[i], "keys")) {
                if (argv[3].length > 0) return new int[0];
                int[] k = new int[argv.length - i - 1];
                for (int j = 0; j < k.length; j++) k[j] = i + 1 + j;
                return k;
            }
            if (Args.is(argv[i], "auth")) i += 1;
            else if (Args.is(argv[i], "auth2")) i += 2;
        }
        return new int[]{3};
    }

    /** The keys found in step 1, what was sent for them, and which the target acknowledged. */
    private static final class Batch {
        final byte[][] keys;
        final long[] expireAt;
        final long[] ttl;
        final byte[][] payloads;
        final boolean[] acked;
        int count;

        Batch(int n) {
            keys = new byte[n][];
            expireAt = new long[n];
            ttl = new long[n];
            payloads = new byte[n][];
            acked = new boolean[n];
        }
    }

    /**
     * MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH password]
     * [AUTH2 username password] [KEYS key [key ...]]
     */
    static void migrate(CallContext c, byte[][] argv) {
        boolean copy = false, replace = false;
        byte[] username = null, password = null;
        int firstKey = 3, numKeys = 1;
        for (int j = 6; j < argv.length; j++) {
            int more = argv.length - 1 - j;
            if (Args.is(argv[j], "copy")) {
                copy = true;
            } else if (Args.is(argv[j], "replace")) {
                replace = true;
            } else if (Args.is(argv[j], "auth")) {
                if (more < 1) throw new RedisException(Errors.SYNTAX);
                password = argv[++j];
            } else if (Args.is(argv[j], "auth2")) {
                if (more < 2) throw new RedisException(Errors.SYNTAX);
                username = argv[++j];
                password = argv[++j];
            } else if (Args.is(argv[j], "keys")) {
                if (argv[3].length != 0) {
                    throw new RedisException("ERR When using MIGRATE KEYS option, the key argument must be set to the empty string");
                }
                firstKey = j + 1;
                numKeys = argv.length - j - 1;
                break; // all the remaining arguments are keys
            } else {
                throw new RedisException(Errors.SYNTAX);
            }
        }
        long timeout = Args.toLong(argv[5]);
        long dbid = Args.toLong(argv[4]);
        if (timeout <= 0) timeout = 1000;
        byte[][] keys = Arrays.copyOfRange(argv, firstKey, firstKey + numKeys);
        Batch batch = new Batch(numKeys);
        c.underKeyLocks(keys, () -> serialize(c, keys, batch));
        if (batch.count == 0) {
            // Not an error: often a key expired meanwhile.
            c.reply.simple("NOKEY");
            return;
        }
        transfer(c, argv, batch, dbid, timeout, copy, replace, username, password);
    }

    /** Step 1, under the keys' locks: the payloads, with the TTLs as of now (at least 1 ms). */
    private static void serialize(CallContext c, byte[][] keys, Batch b) {
        var config = c.server().config();
        int version = (int) config.getLong("rdb-version");
        boolean compress = config.getBool("rdbcompression");
        for (byte[] key : keys) {
            Entry e = c.db().lookup(key);
            if (e == null) continue;
            long ttl = 0;
            if (e.expireAt() != -1) {
                ttl = e.expireAt() - c.now();
                if (ttl < 0) continue;
                if (ttl < 1) ttl = 1;
            }
            byte[] payload = Dump.payload(e.value(), version, compress, c.server().encodingLimits().streamNodeMaxEntries);
            if (payload == null) throw new RedisException("ERR this value cannot be serialized");
            int i = b.count++;
            b.keys[i] = key;
            b.expireAt[i] = e.expireAt();
            b.ttl[i] = ttl;
            b.payloads[i] = payload;
        }
    }

    /** Step 2 and 3: the exchange with the target (one retry on a fresh connection, as Redis), then the deletes. */
    private static void transfer(CallContext c, byte[][] argv, Batch b, long dbid, long timeout, boolean copy,
                                 boolean replace, byte[] username, byte[] password) {
        MigrateSockets sockets = MigrateSockets.of(c.server());
        String host = Bytes.str(argv[1]);
        long port = atoi(argv[2]);
        boolean mayRetry = true;
        while (true) {
            // As Redis: the port is atoi's, then getaddrinfo's (a negative one fails to resolve, a large one wraps).
            MigrateSockets.Target t = port < 0 ? null : sockets.take(host, (int) (port & 0xffff), timeout);
            if (t == null) throw new RedisException("IOERR error or timeout connecting to the client");
            boolean select = t.lastDbid != dbid;
            ByteArrayOutputStream cmd = commands(b, dbid, select, replace, username, password);
            boolean writeError = false;
            String authReply = null, selectReply = null;
            try {
                try {
                    t.write(cmd.toByteArray(), cmd.size(), timeout);
                } catch (IOException e) {
                    writeError = true;
                    throw e;
                }
                if (password != null) authReply = t.readLine(timeout);
                if (select) selectReply = t.readLine(timeout);
            } catch (IOException e) {
                t.close();
                if (!(e instanceof SocketTimeoutException) && mayRetry) { // the cached connection was closed: retry
                    mayRetry = false;
                    continue;
                }
                throw ioError(writeError);
            }
            String error = null;
            boolean socketError = false, timedOut = false;
            int j;
            for (j = 0; j < b.count; j++) {
                String line;
                try {
                    line = t.readLine(timeout);
                } catch (IOException e) {
                    socketError = true;
                    timedOut = e instanceof SocketTimeoutException;
                    break;
                }
                boolean authFailed = authReply != null && authReply.startsWith("-");
                boolean selectFailed = selectReply != null && selectReply.startsWith("-");
                if (authFailed || selectFailed || line.startsWith("-")) {
                    if (error == null) {
                        t.lastDbid = -1; // the SELECT may not have happened
                        error = (authFailed ? authReply : selectFailed ? selectReply : line).substring(1);
                    }
                } else {
                    b.acked[j] = true;
                }
            }
            // Retried only when certainly nothing was processed: the first reply could not be read.
            if (error == null && socketError && j == 0 && mayRetry && !timedOut) {
                t.close();
                mayRetry = false;
                continue;
            }
            if (socketError) {
                t.close();
            } else {
                if (error == null) t.lastDbid = dbid;
                sockets.release(t);
            }
            if (!copy) deleteAcknowledged(c, b);
            if (error == null && socketError) throw ioError(false);
            if (error != null) throw new RedisException("ERR Target instance replied with error: " + error);
            c.reply.ok();
            return;
        }
    }

    /** C's atoi, as Redis reads MIGRATE's port: leading blanks, a sign, then digits up to the first other byte. */
    static long atoi(byte[] s) {
        int i = 0;
        while (i < s.length && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))) i++;
        boolean negative = i < s.length && s[i] == '-';
        if (i < s.length && (s[i] == '-' || s[i] == '+')) i++;
        long v = 0;
        while (i < s.length && s[i] >= '0' && s[i] <= '9' && v < Integer.MAX_VALUE) v = v * 10 + (s[i++] - '0');
        return negative ? -v : v;
    }

    private static RedisException ioError(boolean writing) {
        return new RedisException("IOERR error or timeout " + (writing ? "writing" : "reading") + " to target instance");
    }

    /** [AUTH [username] password] [SELECT db] then RESTORE key ttl payload [REPLACE] per key, in RESP. */
    private static ByteArrayOutputStream commands(Batch b, long dbid, boolean select, boolean replace,
                                                  byte[] username, byte[] password) {
        int size = 64;
        for (int i = 0; i < b.count; i++) size += b.keys[i].length + b.payloads[i].length + 64;
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        if (password != null) {
            header(out, '*', username != null ? 3 : 2);
            bulk(out, AUTH);
            if (username != null) bulk(out, username);
            bulk(out, password);
        }
        if (select) {
            header(out, '*', 2);
            bulk(out, SELECT);
            bulk(out, ascii(dbid));
        }
        for (int i = 0; i < b.count; i++) {
            // Redis sends RESTORE-ASKING instead when it runs as a cluster node; Keyline never does.
            header(out, '*', replace ? 5 : 4);
            bulk(out, RESTORE);
            bulk(out, b.keys[i]);
            bulk(out, ascii(b.ttl[i]));
            bulk(out, b.payloads[i]);
            if (replace) bulk(out, REPLACE);
        }
        return out;
    }

    /** Step 3, under the keys' locks: delete what the target took, if it is still what was sent; log one DEL. */
    private static void deleteAcknowledged(CallContext c, Batch b) {
        int n = 0;
        for (int i = 0; i < b.count; i++) if (b.acked[i]) n++;
        if (n == 0) return;
        byte[][] acked = new byte[n][];
        n = 0;
        for (int i = 0; i < b.count; i++) if (b.acked[i]) acked[n++] = b.keys[i];
        c.underKeyLocks(acked, () -> {
            var config = c.server().config();
            int version = (int) config.getLong("rdb-version");
            boolean compress = config.getBool("rdbcompression");
            Database db = c.db();
            byte[][] del = new byte[acked.length + 1][];
            del[0] = KeyCommands.DEL;
            int d = 1;
            for (int i = 0; i < b.count; i++) {
                if (!b.acked[i]) continue;
                byte[] key = b.keys[i];
                Entry e = db.peek(key);
                if (e == null || e.expireAt() != b.expireAt[i] || !Arrays.equals(b.payloads[i],
                        Dump.payload(e.value(), version, compress, c.server().encodingLimits().streamNodeMaxEntries))) {
                    continue; // changed (or gone) since it was sent: keep the newer write
                }
                db.remove(key);
                c.modified(key);
                c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", key);
                del[d++] = key;
            }
            if (d > 1) c.propagateAs(d == del.length ? del : Arrays.copyOf(del, d));
        });
    }

    private static void header(ByteArrayOutputStream out, char type, long n) {
        out.write(type);
        out.writeBytes(ascii(n));
        out.write('\r');
        out.write('\n');
    }

    private static void bulk(ByteArrayOutputStream out, byte[] b) {
        header(out, '$', b.length);
        out.writeBytes(b);
        out.write('\r');
        out.write('\n');
    }

    private static byte[] ascii(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    /** The handlers of the commands registered above, one class for all of them (see {@link Handler}). */
    private enum Op implements Handler {
        MIGRATE, RESTORE_ASKING;

        @Override
        public void handle(CallContext c, byte[][] argv) {
            switch (this) {
                case MIGRATE -> migrate(c, argv);
                case RESTORE_ASKING -> DumpCommands.restore(c, argv);
            }
        }
    }
}
