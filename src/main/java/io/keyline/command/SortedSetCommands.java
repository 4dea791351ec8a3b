package io.keyline.command;

/** Placeholder for the SortedSet family; registered in {@link CommandTable#standard()}. */
final class SortedSetCommands {
    private SortedSetCommands() {
    }

    static void register(CommandTable t) {
    }
}
