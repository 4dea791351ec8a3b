package io.keyline.command;

/** Placeholder for the Persistence family; registered in {@link CommandTable#standard()}. */
final class PersistenceCommands {
    private PersistenceCommands() {
    }

    static void register(CommandTable t) {
    }
}
