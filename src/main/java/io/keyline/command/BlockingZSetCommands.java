package io.keyline.command;

/** BZPOPMIN, BZPOPMAX and BZMPOP: registered once the blocking API is available. */
final class BlockingZSetCommands {
    private BlockingZSetCommands() {
    }

    static void register(CommandTable t) {
    }
}
