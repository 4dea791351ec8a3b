package io.keyline.commands;

import io.keyline.engine.CommandTable;

/**
 * Keyline's command table: every family registers itself here, explicitly (no classpath scanning).
 * The engine's {@link CommandTable} knows no family; the server is built with this table.
 */
public final class StandardCommands {
    private StandardCommands() {
    }

    /** The full table. */
    public static CommandTable table() {
        CommandTable t = new CommandTable();
        ConnectionCommands.register(t);
        ServerCommands.register(t);
        StringCommands.register(t);
        KeyCommands.register(t);
        TransactionCommands.register(t);
        ListCommands.register(t);
        HashCommands.register(t);
        SetCommands.register(t);
        SortedSetCommands.register(t);
        PersistenceCommands.register(t);
        Extensions.register(t);
        MonitoringCommands.register(t);
        PubSubCommands.register(t);
        return t;
    }
}
