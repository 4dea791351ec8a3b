package io.keyline.commands;

import io.keyline.engine.Args;
import io.keyline.engine.CallContext;
import io.keyline.engine.CommandTable;
import io.keyline.engine.Errors;
import io.keyline.engine.Handler;
import io.keyline.engine.PersistenceControl;
import io.keyline.engine.RedisException;

import io.keyline.engine.CommandSpec.Flag;

/**
 * SAVE, BGSAVE, BGREWRITEAOF, LASTSAVE and DEBUG RELOAD's work. SAVE and BGSAVE write the RDB file
 * {@code dir/dbfilename} (BGSAVE from a copy-on-write snapshot, clients keep running), BGREWRITEAOF
 * rewrites the append-only directory; the work itself is done by
 * {@code io.keyline.persistence} through {@link PersistenceControl}.
 */
public final class PersistenceCommands {
    private PersistenceCommands() {
    }

    static void register(CommandTable t) {
        t.command("save", 1).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.NO_ASYNC_LOADING, Flag.NO_MULTI).acl("admin", "slow", "dangerous")
                .group("server").doc("Synchronously saves the database(s) to disk.", "1.0.0",
                        "O(N) where N is the total number of keys in all databases")
                .handler(Op.SAVE);
        t.command("bgsave", -1).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.NO_ASYNC_LOADING).acl("admin", "slow", "dangerous")
                .group("server").doc("Asynchronously saves the database(s) to disk.", "1.0.0",
                        "O(1)")
                .handler(Op.BGSAVE);
        t.command("bgrewriteaof", 1).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.NO_ASYNC_LOADING).acl("admin", "slow", "dangerous")
                .group("server").doc("Asynchronously rewrites the append-only file to disk.", "1.0.0", "O(1)")
                .handler(Op.BGREWRITEAOF);
        t.command("lastsave", 1).flags(Flag.LOADING, Flag.STALE, Flag.FAST).acl("admin", "fast", "dangerous")
                .group("server").doc("Returns the Unix timestamp of the last successful save to disk.", "1.0.0", "O(1)")
                .tips("nondeterministic_output")
                .handler(Op.LASTSAVE);
    }

    private static PersistenceControl control(CallContext c) {
        PersistenceControl p = c.server().service(PersistenceControl.class);
        if (p == null) throw new RedisException("ERR persistence is not available in this server");
        return p;
    }

    /** SAVE */
    static void save(CallContext c, byte[][] argv) {
        PersistenceControl p = control(c);
        if (p.bgsaveInProgress()) throw new RedisException("ERR Background save already in progress");
        p.saveNow();
        c.reply.ok();
    }

    /** BGSAVE [SCHEDULE] */
    static void bgsave(CallContext c, byte[][] argv) {
        boolean schedule = false;
        if (argv.length > 1) {
            if (argv.length == 2 && Args.is(argv[1], "schedule")) schedule = true;
            else throw Errors.syntax();
        }
        c.reply.simple(control(c).bgsave(schedule, c.executingTransaction()));
    }

    /** BGREWRITEAOF */
    static void bgrewriteaof(CallContext c, byte[][] argv) {
        c.reply.simple(control(c).bgrewriteaof(c.executingTransaction()));
    }

    /** LASTSAVE */
    static void lastsave(CallContext c, byte[][] argv) {
        c.reply.integer(control(c).lastSaveSeconds());
    }

    /**
     * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE], as Redis 7.2's debug.c: saves (unless NOSAVE),
     * empties the keyspace (unless NOFLUSH) and loads the snapshot back; MERGE lets a loaded key
     * replace one still in memory (only meaningful with NOFLUSH), without it such a key fails the
     * load. Called by DEBUG's {@code reload} case; needs no LOCK_ALL (the reload takes every stripe
     * itself).
     */
    public static void debugReload(CallContext c, byte[][] argv) {
        boolean save = true, flush = true, merge = false;
        for (int i = 2; i < argv.length; i++) {
            if (Args.is(argv[i], "merge")) merge = true;
            else if (Args.is(argv[i], "noflush")) flush = false;
            else if (Args.is(argv[i], "nosave")) save = false;
            else throw new RedisException("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
        }
        control(c).reload(save, flush, merge);
        c.reply.ok();
    }

    /**
     * DEBUG LOADAOF, as Redis 7.2's debug.c: writes the AOF out, empties the keyspace and loads
     * it back from the AOF; a bare {@code -ERR} if there is none or it fails to load (the data is
     * gone then, as in Redis).
     */
    public static void debugLoadAof(CallContext c, byte[][] argv) {
        if (!control(c).loadAof()) {
            c.reply.error("ERR");
            return;
        }
        c.reply.ok();
    }

    /** The handlers of the commands registered above, one class for all of them (see {@link Handler}). */
    private enum Op implements Handler {
        SAVE, BGSAVE, BGREWRITEAOF, LASTSAVE;

        @Override
        public void handle(CallContext c, byte[][] argv) {
            switch (this) {
                case SAVE -> save(c, argv);
                case BGSAVE -> bgsave(c, argv);
                case BGREWRITEAOF -> bgrewriteaof(c, argv);
                case LASTSAVE -> lastsave(c, argv);
            }
        }
    }
}
