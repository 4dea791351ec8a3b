package io.keyline.commands;

import io.keyline.engine.Handler;
import io.keyline.engine.KeySpec;

import io.keyline.engine.CallContext;
import io.keyline.engine.CommandTable;
import io.keyline.engine.RedisException;

import io.keyline.engine.CommandSpec.Flag;

/** MULTI, EXEC, DISCARD, WATCH, UNWATCH. */
final class TransactionCommands {
    
    private TransactionCommands() {
    }

    static void register(CommandTable t) {
        t.command("multi", 1).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE, Flag.FAST, Flag.ALLOW_BUSY, Flag.NOT_QUEUED)
                .acl("transaction").group("transactions").doc("Starts a transaction.", "1.2.0", "O(1)")
                .handler(Op.MULTI);
        t.command("exec", 1).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE, Flag.SKIP_SLOWLOG, Flag.LOCK_ALL,
                        Flag.NOT_QUEUED, Flag.ENDS_TRANSACTION, Flag.EXECUTES_QUEUED)
                .acl("transaction").group("transactions")
                .doc("Executes all commands in a transaction.", "1.2.0", "Depends on commands in the transaction")
                .handler(Op.EXEC);
        t.command("discard", 1).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE, Flag.FAST, Flag.ALLOW_BUSY,
                        Flag.NOT_QUEUED, Flag.ENDS_TRANSACTION)
                .acl("transaction").group("transactions").doc("Discards a transaction.", "2.0.0", "O(N) where N is the number of queued commands")
                .handler(Op.DISCARD);
        t.command("watch", -2).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE, Flag.FAST, Flag.ALLOW_BUSY, Flag.NOT_QUEUED).keys(1, -1, 1)
                .acl("transaction").group("transactions")
                .doc("Monitors changes to keys to determine the execution of a transaction.", "2.2.0", "O(1) for every key.")
                .keySpec(KeySpec.index(1).range(-1, 1, 0).flags("RO"))
                .handler(Op.WATCH);
        t.command("unwatch", 1).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE, Flag.FAST, Flag.ALLOW_BUSY)
                .acl("transaction").group("transactions").doc("Forgets about watched keys of a transaction.", "2.2.0", "O(1)")
                .handler(Op.UNWATCH);
    }

    /** MULTI */
    static void multi(CallContext c, byte[][] argv) {
        if (c.inMulti()) throw new RedisException("ERR MULTI calls can not be nested");
        c.server().dispatcher().beginMulti(c.client());
        c.reply.ok();
    }

    /** DISCARD */
    static void discard(CallContext c, byte[][] argv) {
        if (!c.inMulti()) throw new RedisException("ERR DISCARD without MULTI");
        c.server().dispatcher().discardMulti(c.client());
        c.reply.ok();
    }

    /** WATCH key [key ...] */
    static void watch(CallContext c, byte[][] argv) {
        if (c.inMulti()) throw new RedisException("ERR WATCH inside MULTI is not allowed");
        // Redis 7: no point in watching more once a watched key changed (EXEC will fail anyway).
        if (!c.client().watchDirtyFlag()) {
            // No lazy expiry here: a key already past its deadline is watched as stale (absent).
            for (int i = 1; i < argv.length; i++) c.server().watches().watch(c.client(), c.dbIndex(), argv[i]);
        }
        c.reply.ok();
    }

    /** UNWATCH */
    static void unwatch(CallContext c, byte[][] argv) {
        c.server().watches().unwatchAll(c.client());
        c.reply.ok();
    }

    /** The handlers of the commands registered above, one class for all of them (see {@link Handler}). */
    private enum Op implements Handler {
        MULTI, EXEC, DISCARD, WATCH, UNWATCH;

        @Override
        public void handle(CallContext c, byte[][] argv) {
            switch (this) {
                case MULTI -> multi(c, argv);
                case EXEC -> c.server().dispatcher().exec(c);
                case DISCARD -> discard(c, argv);
                case WATCH -> watch(c, argv);
                case UNWATCH -> unwatch(c, argv);
            }
        }
    }
}
