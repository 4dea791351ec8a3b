package io.keyline.commands;

import java.util.function.ToIntFunction;

/**
 * The per-call key flags of the commands whose key spec has {@code variable_flags} (COMMAND GETKEYSANDFLAGS):
 * one constant per command, for the reason {@link KeyFinders} gives.
 */
enum KeyFlags implements ToIntFunction<byte[][]> {
    SET, BITFIELD;

    @Override
    public int applyAsInt(byte[][] argv) {
        return switch (this) {
            case SET -> StringCommands.setKeyFlags(argv);
            case BITFIELD -> BitmapCommands.bitfieldKeyFlags(argv);
        };
    }
}
