package io.keyline.command;

import io.keyline.command.CommandSpec.Flag;

/** DBSIZE, FLUSHDB, FLUSHALL, TIME, SHUTDOWN, and the INFO/CONFIG/COMMAND/DEBUG families. */
final class ServerCommands {
    private ServerCommands() {
    }

    static void register(CommandTable t) {
        t.command("dbsize", 1).flags(Flag.READONLY, Flag.FAST).acl("keyspace").group("server")
                .doc("Returns the number of keys in the database.", "1.0.0", "O(1)")
                .handler((c, a) -> c.reply.integer(c.db().size()));
        t.command("flushall", -1).flags(Flag.WRITE, Flag.LOCK_ALL).acl("keyspace", "dangerous").group("server")
                .doc("Removes all keys from all databases.", "1.0.0", "O(N) where N is the total number of keys in all databases")
                .handler(ServerCommands::flushall);
        t.command("flushdb", -1).flags(Flag.WRITE, Flag.LOCK_ALL).acl("keyspace", "dangerous").group("server")
                .doc("Remove all keys from the current database.", "1.0.0", "O(N) where N is the number of keys in the selected database")
                .handler(ServerCommands::flushdb);
    }

    private static void checkFlushMode(byte[][] argv) {
        if (argv.length > 2) throw Errors.syntax();
        if (argv.length == 2 && !Args.is(argv[1], "sync") && !Args.is(argv[1], "async")) throw Errors.syntax();
    }

    /** FLUSHALL [ASYNC | SYNC] */
    static void flushall(Client c, byte[][] argv) {
        checkFlushMode(argv);
        c.server().keyspace().flushAllLocked();
        c.server().watches().touchAll(-1);
        c.changed();
        c.reply.ok();
    }

    /** FLUSHDB [ASYNC | SYNC] */
    static void flushdb(Client c, byte[][] argv) {
        checkFlushMode(argv);
        c.server().keyspace().flushLocked(c.dbIndex());
        c.server().watches().touchAll(c.dbIndex());
        c.changed();
        c.reply.ok();
    }
}
