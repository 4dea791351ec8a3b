package io.keyline.commands;

import io.keyline.engine.Args;
import io.keyline.engine.Errors;

import io.keyline.util.Bytes;
import io.keyline.util.Glob;

/** SSCAN/ZSCAN argument parsing ({@code cursor [MATCH pattern] [COUNT count]}) with Redis's errors. */
final class CollectionScan {
    final long cursor;
    final byte[] pattern;
    final long count;

    private CollectionScan(long cursor, byte[] pattern, long count) {
        this.cursor = cursor;
        this.pattern = pattern;
        this.count = count;
    }

    /** Parses argv[cursorIndex...]. */
    static CollectionScan parse(byte[][] argv, int cursorIndex) {
        // Redis's parseScanCursorOrReply: an unsigned 64-bit cursor, so "-1" is 2^64-1, not an error.
        long cursor = ScanCommand.parseCursor(argv[cursorIndex]);
        byte[] pattern = null;
        long count = 10;
        for (int i = cursorIndex + 1; i < argv.length; i++) {
            boolean more = i + 1 < argv.length;
            if (Args.is(argv[i], "count") && more) {
                count = Args.toLong(argv[++i]);
                if (count < 1) throw Errors.syntax();
            } else if (Args.is(argv[i], "match") && more) {
                pattern = argv[++i];
                if (pattern.length == 1 && pattern[0] == '*') pattern = null;
            } else {
                throw Errors.syntax();
            }
        }
        return new CollectionScan(cursor, pattern, count);
    }

    boolean matches(byte[] member) {
        return pattern == null || Glob.match(pattern, member, false);
    }
}
