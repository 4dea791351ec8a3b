package io.keyline.commands;

import io.keyline.engine.CommandTable;

/**
 * Families added by other packages or later work register here, so {@link CommandTable#standard()}
 * stays the one list of what exists.
 */
final class Extensions {
    private Extensions() {
    }

    static void register(CommandTable t) {
    }
}
