package io.keyline.command;

/** Placeholder for the Set family; registered in {@link CommandTable#standard()}. */
final class SetCommands {
    private SetCommands() {
    }

    static void register(CommandTable t) {
    }
}
