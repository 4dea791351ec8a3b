package io.keyline.commands;

import io.keyline.store.Strings;
import io.keyline.engine.Args;
import io.keyline.engine.CallContext;
import io.keyline.engine.Errors;
import io.keyline.engine.RedisException;

import io.keyline.util.Bytes;
import io.keyline.store.Database;

/** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN] */
final class LcsCommand {
    private static final byte[] MATCHES = StringCommands.ascii("matches");
    private static final byte[] LEN = StringCommands.ascii("len");

    private LcsCommand() {
    }

    static void lcs(CallContext c, byte[][] argv) {
        Database db = c.db();
        Object oa = db.get(argv[1]);
        Object ob = db.get(argv[2]);
        if ((oa != null && !Strings.isString(oa)) || (ob != null && !Strings.isString(ob))) {
            throw new RedisException("ERR The specified keys must contain string values");
        }
        byte[] a = oa == null ? Bytes.EMPTY : Strings.bytes(oa);
        byte[] b = ob == null ? Bytes.EMPTY : Strings.bytes(ob);
        boolean getIdx = false, getLen = false, withMatchLen = false;
        long minMatchLen = 0;
        for (int j = 3; j < argv.length; j++) {
            boolean moreArgs = j < argv.length - 1;
            if (Args.is(argv[j], "idx")) {
                getIdx = true;
            } else if (Args.is(argv[j], "len")) {
                getLen = true;
            } else if (Args.is(argv[j], "withmatchlen")) {
                withMatchLen = true;
            } else if (Args.is(argv[j], "minmatchlen") && moreArgs) {
                minMatchLen = Math.max(0, Args.toLong(argv[++j]));
            } else {
                throw Errors.syntax();
            }
        }
        if (getIdx && getLen) throw new RedisException("ERR If you want both the length and indexes, please just use IDX.");
        int alen = a.length, blen = b.length;
        long cells = (long) (alen + 1) * (blen + 1);
        if (cells * 4 > c.server().config().getLong("proto-max-bulk-len") || cells > Integer.MAX_VALUE - 8) {
            throw new RedisException("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
        }
        int w = blen + 1;
        int[] lcs;
        try {
            lcs = new int[(int) cells];
        } catch (OutOfMemoryError e) { // Redis's ztrymalloc failure: refuse the command, keep serving
            throw new RedisException("ERR Insufficient memory, failed allocating transient memory for LCS");
        }
        for (int i = 1; i <= alen; i++) {
            for (int j = 1; j <= blen; j++) {
                lcs[i * w + j] = a[i - 1] == b[j - 1] ? lcs[(i - 1) * w + j - 1] + 1
                        : Math.max(lcs[(i - 1) * w + j], lcs[i * w + j - 1]);
            }
        }
        int total = lcs[alen * w + blen];
        if (getLen) {
            c.reply.integer(total);
            return;
        }
        byte[] result = new byte[total];
        // The walk back mirrors Redis's, including when ranges are emitted, so IDX output matches.
        java.util.List<long[]> ranges = getIdx ? new java.util.ArrayList<>() : null;
        int idx = total;
        int arangeStart = alen, arangeEnd = 0, brangeStart = 0, brangeEnd = 0;
        int i = alen, j = blen;
        while (i > 0 && j > 0) {
            boolean emit = false;
            if (a[i - 1] == b[j - 1]) {
                result[idx - 1] = a[i - 1];
                if (arangeStart == alen) {
                    arangeStart = i - 1;
                    arangeEnd = i - 1;
                    brangeStart = j - 1;
                    brangeEnd = j - 1;
                } else if (arangeStart == i && brangeStart == j) {
                    arangeStart--;
                    brangeStart--;
                } else {
                    emit = true;
                }
                if (arangeStart == 0 || brangeStart == 0) emit = true;
                idx--;
                i--;
                j--;
            } else {
                if (lcs[(i - 1) * w + j] > lcs[i * w + j - 1]) i--;
                else j--;
                if (arangeStart != alen) emit = true;
            }
            long matchLen = (long) arangeEnd - arangeStart + 1;
            if (emit) {
                if (ranges != null && (minMatchLen == 0 || matchLen >= minMatchLen)) {
                    ranges.add(new long[]{arangeStart, arangeEnd, brangeStart, brangeEnd, matchLen});
                }
                arangeStart = alen;
            }
        }
        if (ranges == null) {
            c.reply.bulk(result);
            return;
        }
        c.reply.mapHeader(2);
        c.reply.bulk(MATCHES);
        c.reply.arrayHeader(ranges.size());
        for (long[] r : ranges) {
            c.reply.arrayHeader(withMatchLen ? 3 : 2);
            c.reply.arrayHeader(2);
            c.reply.integer(r[0]);
            c.reply.integer(r[1]);
            c.reply.arrayHeader(2);
            c.reply.integer(r[2]);
            c.reply.integer(r[3]);
            if (withMatchLen) c.reply.integer(r[4]);
        }
        c.reply.bulk(LEN);
        c.reply.integer(total);
    }
}
