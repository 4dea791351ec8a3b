package io.keyline.command;

import io.keyline.command.CommandSpec.Flag;

/**
 * SAVE, BGSAVE, BGREWRITEAOF, LASTSAVE and DEBUG RELOAD's work. Keyline's snapshot is an AOF base
 * file (a rewrite), so SAVE and BGSAVE rewrite the append-only directory; the work itself is done by
 * {@code io.keyline.persistence} through {@link PersistenceControl}.
 */
public final class PersistenceCommands {
    private PersistenceCommands() {
    }

    static void register(CommandTable t) {
        t.command("save", 1).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.NO_ASYNC_LOADING, Flag.NO_MULTI).acl("admin", "slow", "dangerous")
                .group("server").doc("Synchronously saves the database(s) to disk.", "1.0.0",
                        "O(N) where N is the total number of keys in all databases")
                .handler(PersistenceCommands::save);
        t.command("bgsave", -1).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.NO_ASYNC_LOADING).acl("admin", "slow", "dangerous")
                .group("server").doc("Asynchronously saves the database(s) to disk.", "1.0.0",
                        "O(1)")
                .handler(PersistenceCommands::bgsave);
        t.command("bgrewriteaof", 1).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.NO_ASYNC_LOADING).acl("admin", "slow", "dangerous")
                .group("server").doc("Asynchronously rewrites the append-only file to disk.", "1.0.0", "O(1)")
                .handler(PersistenceCommands::bgrewriteaof);
        t.command("lastsave", 1).flags(Flag.LOADING, Flag.STALE, Flag.FAST).acl("admin", "fast", "dangerous")
                .group("server").doc("Returns the Unix timestamp of the last successful save to disk.", "1.0.0", "O(1)")
                .tips("nondeterministic_output")
                .handler(PersistenceCommands::lastsave);
    }

    private static PersistenceControl control(CallContext c) {
        PersistenceControl p = c.server().service(PersistenceControl.class);
        if (p == null) throw new RedisException("ERR persistence is not available in this server");
        return p;
    }

    /** SAVE */
    static void save(CallContext c, byte[][] argv) {
        PersistenceControl p = control(c);
        if (p.rewriteInProgress()) throw new RedisException("ERR Background save already in progress");
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
        PersistenceControl p = control(c);
        if (!p.rewriteInBackground()) {
            if (schedule) {
                p.scheduleRewrite();
                c.reply.simple("Background saving scheduled");
                return;
            }
            throw new RedisException("ERR Background save already in progress");
        }
        c.reply.simple("Background saving started");
    }

    /** BGREWRITEAOF */
    static void bgrewriteaof(CallContext c, byte[][] argv) {
        if (!control(c).rewriteInBackground()) {
            throw new RedisException("ERR Background append only file rewriting already in progress");
        }
        c.reply.simple("Background append only file rewriting started");
    }

    /** LASTSAVE */
    static void lastsave(CallContext c, byte[][] argv) {
        c.reply.integer(control(c).lastSaveSeconds());
    }

    /**
     * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: saves (unless NOSAVE), empties the keyspace (unless
     * NOFLUSH or MERGE) and loads the snapshot back. Called by DEBUG's {@code reload} case; needs
     * no LOCK_ALL (the reload takes every stripe itself).
     */
    public static void debugReload(CallContext c, byte[][] argv) {
        boolean save = true, flush = true;
        for (int i = 2; i < argv.length; i++) {
            if (Args.is(argv[i], "nosave")) save = false;
            else if (Args.is(argv[i], "noflush") || Args.is(argv[i], "merge")) flush = false;
            else throw new RedisException("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
        }
        control(c).reload(save, flush);
        c.reply.ok();
    }
}
