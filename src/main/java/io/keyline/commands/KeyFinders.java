package io.keyline.commands;

import io.keyline.engine.KeyFinder;

/**
 * The key finders that are code rather than a first/last/step range, one constant per command, each switching
 * to its family's method, as the families' {@code Op} enums do for handlers: a lambda or method reference per
 * finder was a call site linked on the command table's thread (~0.3-0.5 ms each, interpreted; the CDS archive
 * holds no linked call sites under ZGC on JDK 25), and the launcher's main thread waits for that thread.
 * {@link SetCommands#numKeysAt} and {@link ListCommands#numkeysAt} take a parameter and are classes of their own.
 */
enum KeyFinders implements KeyFinder {
    XREAD, SORT, SORT_RO, MIGRATE, GEORADIUS, GEORADIUSBYMEMBER;

    /** SORT_RO reads only its first key (Redis still reports it movablekeys, for its BY/GET patterns). */
    private static final int[] SORTED_KEY_ONLY = {1};

    @Override
    public int[] keys(byte[][] argv) {
        return switch (this) {
            case XREAD -> StreamCommands.xreadKeys(argv);
            case SORT -> SortCommand.sortKeys(argv);
            case SORT_RO -> SORTED_KEY_ONLY;
            case MIGRATE -> MigrateCommand.keys(argv);
            case GEORADIUS -> GeoCommands.radiusKeys(argv, 6);
            case GEORADIUSBYMEMBER -> GeoCommands.radiusKeys(argv, 5);
        };
    }
}
