package io.keyline.command;

/** Placeholder for the List family; registered in {@link CommandTable#standard()}. */
final class ListCommands {
    private ListCommands() {
    }

    static void register(CommandTable t) {
    }
}
