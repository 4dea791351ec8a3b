package io.keyline.command;

/** Placeholder for the Hash family; registered in {@link CommandTable#standard()}. */
final class HashCommands {
    private HashCommands() {
    }

    static void register(CommandTable t) {
    }
}
