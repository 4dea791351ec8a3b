package io.keyline.commands;

import io.keyline.engine.CommandTable;

/**
 * Keyline's command table: the one list of every family and command class, each registering its
 * commands explicitly (no classpath scanning, no family registering another). The engine's
 * {@link CommandTable} knows no family; the server is built with this table.
 */
public final class StandardCommands {
    private StandardCommands() {
    }

    /** The full table. */
    public static CommandTable table() {
        CommandTable t = new CommandTable();
        ConnectionCommands.register(t);
        ClientCommands.register(t);
        ServerCommands.register(t);
        ConfigCommands.register(t);
        CommandCommands.register(t);
        DebugCommands.register(t);
        StringCommands.register(t);
        BitmapCommands.register(t);
        KeyCommands.register(t);
        DumpCommands.register(t);
        MigrateCommand.register(t);
        ObjectCommand.register(t);
        TransactionCommands.register(t);
        ScriptingCommands.register(t);
        FunctionCommands.register(t);
        ListCommands.register(t);
        HashCommands.register(t);
        SetCommands.register(t);
        SortedSetCommands.register(t);
        BlockingZSetCommands.register(t);
        StreamCommands.register(t);
        SortCommand.register(t);
        GeoCommands.register(t);
        HyperLogLogCommands.register(t);
        PersistenceCommands.register(t);
        MonitoringCommands.register(t);
        PubSubCommands.register(t);
        AclCommands.register(t);
        StandaloneCommands.register(t); // after ScriptingCommands: adds SCRIPT DEBUG
        t.clientInfo(new ClientInfo()); // ACL LOG's client-info
        return t;
    }

    /** CLIENT INFO's line of a client, now; a class rather than a lambda: see {@link KeyFinders}. */
    private static final class ClientInfo implements java.util.function.Function<io.keyline.session.Client, String> {
        @Override
        public String apply(io.keyline.session.Client cl) {
            return ClientCommands.describe(cl, System.currentTimeMillis());
        }
    }
}
