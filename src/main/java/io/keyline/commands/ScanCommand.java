package io.keyline.commands;

import io.keyline.engine.Args;
import io.keyline.engine.CallContext;
import io.keyline.engine.Errors;
import io.keyline.engine.RedisException;

import io.keyline.util.Bytes;
import io.keyline.store.TypedValue;
import io.keyline.util.Glob;

import java.util.ArrayList;
import java.util.List;

/**
 * SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]. The cursor comes from
 * {@link io.keyline.store.Database#scan}, which keeps Redis's guarantee: every key present for the
 * whole iteration is returned at least once, even while tables grow or shrink.
 */
final class ScanCommand {
    private ScanCommand() {
    }

    static void scan(CallContext c, byte[][] argv) {
        long cursor = parseCursor(argv[1]);
        long count = 10;
        byte[] pattern = null;
        String type = null;
        for (int i = 2; i < argv.length; i++) {
            boolean hasValue = i + 1 < argv.length;
            if (Args.is(argv[i], "count") && hasValue) {
                count = Args.toLong(argv[++i]);
                if (count < 1) throw Errors.syntax();
            } else if (Args.is(argv[i], "match") && hasValue) {
                pattern = argv[++i];
                if (pattern.length == 1 && pattern[0] == '*') pattern = null;
            } else if (Args.is(argv[i], "type") && hasValue) {
                type = Bytes.str(argv[++i]);
            } else {
                throw Errors.syntax();
            }
        }
        List<byte[]> keys = new ArrayList<>();
        byte[] match = pattern;
        String wanted = type;
        // Expired keys that pass MATCH are reclaimed on the way, as Redis's scanGenericCommand does.
        long next = c.db().scan(cursor, count, k -> match == null || Glob.match(match, k, false), e -> {
            if (match != null && !Glob.match(match, e.key(), false)) return;
            if (wanted != null && !wanted.equalsIgnoreCase(TypedValue.typeOf(e.value()))) return;
            keys.add(e.key());
        });
        c.reply.arrayHeader(2);
        c.reply.bulk(Long.toUnsignedString(next));
        c.reply.arrayHeader(keys.size());
        for (byte[] k : keys) c.reply.bulk(k);
    }

    /**
     * An unsigned 64-bit cursor as strtoul reads it (optional sign, digits only), else "invalid
     * cursor". The empty string is cursor 0, as strtoul converts nothing and stops at its end.
     */
    static long parseCursor(byte[] b) {
        if (b.length == 0) return 0;
        int i = 0;
        boolean negative = false;
        if (b.length > 0 && (b[0] == '+' || b[0] == '-')) {
            negative = b[0] == '-';
            i = 1;
        }
        if (i == b.length) throw new RedisException(Errors.INVALID_CURSOR);
        long v = 0;
        for (; i < b.length; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) throw new RedisException(Errors.INVALID_CURSOR);
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) throw new RedisException(Errors.INVALID_CURSOR);
            long next = v * 10 + d;
            if (Long.compareUnsigned(next, v * 10) < 0) throw new RedisException(Errors.INVALID_CURSOR);
            v = next;
        }
        return negative ? -v : v;
    }
}
