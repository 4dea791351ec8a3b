package io.keyline.util;

import java.util.Arrays;

/**
 * LZF as Redis embeds it (lzf_c.c / lzf_d.c 3.6 with Redis's lzfP.h: HLOG 16, VERY_FAST), ported so the
 * strings Keyline writes into RDB-format payloads (FUNCTION DUMP) are byte for byte those redis-server
 * writes, and payloads from redis-server decompress. The hash table starts zeroed (Redis leaves it
 * uninitialised; a zero slot is "no candidate" in both, since a match at offset 0 is refused).
 */
public final class Lzf {
    private static final int HLOG = 16;
    private static final int HSIZE = 1 << HLOG;
    private static final int MAX_LIT = 1 << 5;
    private static final int MAX_OFF = 1 << 13;
    private static final int MAX_REF = (1 << 8) + (1 << 3);

    private Lzf() {
    }

    private static int idx(int h) {
        return ((h >>> (3 * 8 - HLOG)) - h * 5) & (HSIZE - 1);
    }

    /**
     * Compresses {@code in} into at most {@code outLen} bytes; returns the compressed bytes, or null when they
     * would not fit (lzf_compress returning 0).
     */
    public static byte[] compress(byte[] in, int outLen) {
        int inLen = in.length;
        if (inLen == 0 || outLen <= 0) return null;
        byte[] out = new byte[outLen];
        int[] htab = new int[HSIZE];
        int ip = 0;
        int op = 0;
        int inEnd = inLen;
        int lit = 0;
        op++; // start run
        int hval = ((in[ip] & 0xff) << 8) | (in[ip + 1 < inLen ? ip + 1 : ip] & 0xff);
        while (ip < inEnd - 2) {
            hval = (hval << 8) | (in[ip + 2] & 0xff);
            int slot = idx(hval);
            int ref = htab[slot];
            htab[slot] = ip;
            int off;
            if ((off = ip - ref - 1) >= 0 && off < MAX_OFF && ref > 0
                    && in[ref + 2] == in[ip + 2] && in[ref] == in[ip] && in[ref + 1] == in[ip + 1]) {
                int len = 2;
                int maxlen = inEnd - ip - len;
                if (maxlen > MAX_REF) maxlen = MAX_REF;
                if (op + 3 + 1 >= outLen && op - (lit == 0 ? 1 : 0) + 3 + 1 >= outLen) return null;
                out[op - lit - 1] = (byte) (lit - 1); // stop run
                if (lit == 0) op--; // undo run if length is zero
                matched:
                {
                    if (maxlen > 16) {
                        for (int k = 0; k < 16; k++) {
                            len++;
                            if (in[ref + len] != in[ip + len]) break matched;
                        }
                    }
                    do {
                        len++;
                    } while (len < maxlen && in[ref + len] == in[ip + len]);
                }
                len -= 2; // len is now #octets - 1
                ip++;
                if (len < 7) {
                    out[op++] = (byte) ((off >> 8) + (len << 5));
                } else {
                    out[op++] = (byte) ((off >> 8) + (7 << 5));
                    out[op++] = (byte) (len - 7);
                }
                out[op++] = (byte) off;
                lit = 0;
                op++; // start run
                ip += len + 1;
                if (ip >= inEnd - 2) break;
                ip -= 2; // VERY_FAST: hash the two positions before the next
                hval = ((in[ip] & 0xff) << 8) | (in[ip + 1] & 0xff);
                hval = (hval << 8) | (in[ip + 2] & 0xff);
                htab[idx(hval)] = ip;
                ip++;
                hval = (hval << 8) | (in[ip + 2] & 0xff);
                htab[idx(hval)] = ip;
                ip++;
            } else {
                if (op >= outLen) return null;
                lit++;
                out[op++] = in[ip++];
                if (lit == MAX_LIT) {
                    out[op - lit - 1] = (byte) (lit - 1);
                    lit = 0;
                    op++;
                }
            }
        }
        if (op + 3 > outLen) return null;
        while (ip < inEnd) {
            lit++;
            out[op++] = in[ip++];
            if (lit == MAX_LIT) {
                out[op - lit - 1] = (byte) (lit - 1);
                lit = 0;
                op++;
            }
        }
        out[op - lit - 1] = (byte) (lit - 1); // end run
        if (lit == 0) op--;
        return Arrays.copyOf(out, op);
    }

    /** Decompresses {@code in[off, off+len)} into exactly {@code outLen} bytes; null if the data is corrupt. */
    public static byte[] decompress(byte[] in, int off, int len, int outLen) {
        byte[] out = new byte[outLen];
        int ip = off;
        int inEnd = off + len;
        int op = 0;
        while (ip < inEnd) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < (1 << 5)) { // literal run
                ctrl++;
                if (op + ctrl > outLen || ip + ctrl > inEnd) return null;
                System.arraycopy(in, ip, out, op, ctrl);
                op += ctrl;
                ip += ctrl;
            } else { // back reference
                int l = ctrl >> 5;
                int ref = op - ((ctrl & 0x1f) << 8) - 1;
                if (ip >= inEnd) return null;
                if (l == 7) {
                    l += in[ip++] & 0xff;
                    if (ip >= inEnd) return null;
                }
                ref -= in[ip++] & 0xff;
                if (op + l + 2 > outLen || ref < 0) return null;
                for (int k = 0; k < l + 2; k++) out[op++] = out[ref++];
            }
        }
        return op == outLen ? out : null;
    }
}
