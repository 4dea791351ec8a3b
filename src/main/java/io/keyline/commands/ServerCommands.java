package io.keyline.commands;

import io.keyline.engine.Args;
import io.keyline.engine.CallContext;
import io.keyline.engine.CommandTable;
import io.keyline.engine.Errors;
import io.keyline.engine.Handler;
import io.keyline.engine.PersistenceControl;
import io.keyline.engine.RedisException;

import io.keyline.engine.CommandSpec.Flag;

import java.util.Set;

/**
 * DBSIZE, FLUSHDB, FLUSHALL, INFO, TIME, SHUTDOWN; registers the CONFIG, COMMAND, DEBUG and MEMORY
 * families, which live in their own classes.
 */
final class ServerCommands {
    private ServerCommands() {
    }

    static void register(CommandTable t) {
        t.command("dbsize", 1).flags(Flag.READONLY, Flag.FAST).acl("keyspace").group("server")
                .doc("Returns the number of keys in the database.", "1.0.0", "O(1)")
                .tips("request_policy:all_shards", "response_policy:agg_sum")
                .handler(Op.DBSIZE);
        t.command("flushall", -1).flags(Flag.WRITE, Flag.LOCK_ALL).acl("keyspace", "dangerous").group("server")
                .doc("Removes all keys from all databases.", "1.0.0", "O(N) where N is the total number of keys in all databases")
                .tips("request_policy:all_shards", "response_policy:all_succeeded")
                .beforeLocks(Op.KILL_BGSAVE_BEFORE_FLUSHALL)
                .handler(Op.FLUSHALL);
        t.command("flushdb", -1).flags(Flag.WRITE, Flag.LOCK_ALL).acl("keyspace", "dangerous").group("server")
                .doc("Remove all keys from the current database.", "1.0.0", "O(N) where N is the number of keys in the selected database")
                .tips("request_policy:all_shards", "response_policy:all_succeeded")
                .handler(Op.FLUSHDB);
        t.command("info", -1).flags(Flag.LOADING, Flag.STALE).acl("dangerous").group("server")
                .doc("Returns information and statistics about the server.", "1.0.0", "O(1)")
                .tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special")
                .handler(Op.INFO);
        t.command("monitor", 1).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE).group("server")
                .doc("Listens for all requests received by the server in real-time.", "1.0.0", null)
                .handler(Op.MONITOR);
        t.command("time", 1).flags(Flag.LOADING, Flag.STALE, Flag.FAST).group("server")
                .doc("Returns the server time.", "2.6.0", "O(1)")
                .tips("nondeterministic_output")
                .handler(Op.TIME);
        t.command("shutdown", -1).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE, Flag.NO_MULTI, Flag.ALLOW_BUSY)
                .group("server").doc("Synchronously saves the database(s) to disk and shuts down the Redis server.", "1.0.0",
                        "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)")
                .handler(Op.SHUTDOWN);
    }

    private static void checkFlushMode(byte[][] argv) {
        if (!validFlushMode(argv)) throw Errors.syntax();
    }

    /**
     * Before FLUSHALL takes every lock: a running BGSAVE is killed now (the handler would kill it
     * anyway), so taking the locks does not first copy the stripes its snapshot still owes.
     */
    private static void killBgsaveBeforeFlushall(CallContext c, byte[][] argv) {
        if (!validFlushMode(argv)) return; // the handler refuses it: nothing to kill
        PersistenceControl p = c.server().service(PersistenceControl.class);
        if (p != null) p.killBgsave();
    }

    private static boolean validFlushMode(byte[][] argv) {
        return argv.length == 1 || (argv.length == 2 && (Args.is(argv[1], "sync") || Args.is(argv[1], "async")));
    }

    /** FLUSHALL [ASYNC | SYNC]; then, as Redis 7.2's flushAllDataAndResetRDB, the BGSAVE killed and the empty dataset saved. */
    static void flushall(CallContext c, byte[][] argv) {
        checkFlushMode(argv);
        c.server().watches().touchAll(-1); // before the flush: it tells stored keys from absent ones
        if (LazyFree.lazyFlush(c.server(), argv)) {
            for (int db = 0; db < c.server().keyspace().databaseCount(); db++) {
                LazyFree.flushed(c.server().stats(), LazyFree.keysIn(c.server().keyspace(), db));
            }
        }
        c.server().keyspace().flushAllLocked();
        c.server().tracking().invalidateOnFlush(c.client()); // Redis's trackingInvalidateKeysOnFlush
        c.changed();
        PersistenceControl p = c.server().service(PersistenceControl.class);
        if (p != null && p.flushedAll()) c.savedItsChanges();
        c.reply.ok();
    }

    /** FLUSHDB [ASYNC | SYNC] */
    static void flushdb(CallContext c, byte[][] argv) {
        checkFlushMode(argv);
        c.server().watches().touchAll(c.dbIndex()); // before the flush: it tells stored keys from absent ones
        if (LazyFree.lazyFlush(c.server(), argv)) {
            LazyFree.flushed(c.server().stats(), LazyFree.keysIn(c.server().keyspace(), c.dbIndex()));
        }
        c.server().keyspace().flushLocked(c.dbIndex());
        c.server().tracking().invalidateOnFlush(c.client()); // Redis's trackingInvalidateKeysOnFlush
        c.changed();
        c.reply.ok();
    }

    /** INFO [section [section ...]] */
    static void info(CallContext c, byte[][] argv) {
        Set<String> sections = Info.sections(argv, 1);
        c.reply.verbatim(Info.generate(c.server(), sections));
    }

    /** TIME: from the server's clock, so an embedded server on a manual clock agrees with EXPIREAT. */
    static void time(CallContext c, byte[][] argv) {
        long micros = c.clock().micros();
        c.reply.arrayHeader(2);
        c.reply.bulkLong(Math.floorDiv(micros, 1_000_000L));
        c.reply.bulkLong(Math.floorMod(micros, 1_000_000L));
    }

    /** SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT] */
    static void shutdown(CallContext c, byte[][] argv) {
        boolean nosave = false, save = false, now = false, force = false, abort = false;
        for (int i = 1; i < argv.length; i++) {
            if (Args.is(argv[i], "nosave")) nosave = true;
            else if (Args.is(argv[i], "save")) save = true;
            else if (Args.is(argv[i], "now")) now = true;
            else if (Args.is(argv[i], "force")) force = true;
            else if (Args.is(argv[i], "abort")) abort = true;
            else throw Errors.syntax();
        }
        if ((abort && (nosave || save || now || force)) || (nosave && save)) throw Errors.syntax();
        // Keyline shuts down at once, so there is never a shutdown in progress to abort.
        if (abort) throw new RedisException("ERR No shutdown in progress.");
        // As Redis: while a script runs past busy-reply-threshold only SHUTDOWN NOSAVE stops the server.
        String busy = nosave ? null : c.server().scriptThread().busyError();
        if (busy != null) throw new RedisException(busy);
        // SAVE, or a save policy without NOSAVE, writes dump.rdb first; a failed save keeps the server up unless FORCE
        PersistenceControl p = c.server().service(PersistenceControl.class);
        if (p != null) p.prepareShutdown(save, nosave, force);
        c.server().shutdownHandler().shutdown(nosave);
        c.client().closeAfterReply(true); // like Redis, the client gets no reply: the connection just closes
    }

    /**
     * MONITOR, as Redis's monitorCommand: refused inside EXEC (a transaction's client may not block),
     * ignored without a reply by a client already monitoring, else +OK and from then on every
     * command the server runs (see engine.Monitors).
     */
    static void monitor(CallContext c, byte[][] argv) {
        if (c.executingTransaction()) throw new RedisException("ERR MONITOR isn't allowed for DENY BLOCKING client");
        if (c.client().monitor()) return;
        c.server().monitors().add(c.client());
        c.reply.ok();
    }

    /** The handlers of the commands registered above, one class for all of them (see {@link Handler}). */
    private enum Op implements Handler {
        DBSIZE, FLUSHALL, FLUSHDB, INFO, MONITOR, TIME, SHUTDOWN,
        /** FLUSHALL's {@code beforeLocks} step, not a command of its own. */
        KILL_BGSAVE_BEFORE_FLUSHALL;

        @Override
        public void handle(CallContext c, byte[][] argv) {
            switch (this) {
                case DBSIZE -> c.reply.integer(c.db().size());
                case FLUSHALL -> flushall(c, argv);
                case FLUSHDB -> flushdb(c, argv);
                case INFO -> info(c, argv);
                case MONITOR -> monitor(c, argv);
                case TIME -> time(c, argv);
                case SHUTDOWN -> shutdown(c, argv);
                case KILL_BGSAVE_BEFORE_FLUSHALL -> killBgsaveBeforeFlushall(c, argv);
            }
        }
    }
}
