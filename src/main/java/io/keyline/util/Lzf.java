package io.keyline.util;

/**
 * LZF compression as Redis's {@code lzf_c.c} / {@code lzf_d.c} (liblzf 3.6 with Redis's settings:
 * HLOG 16, VERY_FAST, CHECK_INPUT). The compressor is a faithful port so that a value Keyline
 * compresses is byte-identical to Redis's: the same hash, the same match rules (a match never
 * starts at offset 0 of the input, as {@code ref > in_data}), the same literal runs.
 */
public final class Lzf {
    private static final int HLOG = 16;
    private static final int HSIZE = 1 << HLOG;
    private static final int MAX_LIT = 1 << 5;
    private static final int MAX_OFF = 1 << 13;
    private static final int MAX_REF = (1 << 8) + (1 << 3);

    /** One table per thread: 256 KiB that would otherwise be allocated for every compressed value. */
    private static final ThreadLocal<int[]> TABLE = ThreadLocal.withInitial(() -> new int[HSIZE]);

    private Lzf() {
    }

    private static int idx(int h) {
        return ((h >>> (3 * 8 - HLOG)) - h * 5) & (HSIZE - 1);
    }

    /**
     * Compresses {@code in[0, inLen)} into {@code out[0, outLen)}; returns the compressed length, or
     * 0 when it does not fit in {@code outLen} bytes (the caller then stores the value uncompressed).
     */
    public static int compress(byte[] in, int inLen, byte[] out, int outLen) {
        if (inLen == 0 || outLen == 0) return 0;
        int[] htab = TABLE.get();
        // Redis leaves its table uninitialised (INIT_HTAB 0); -1 is "no earlier position", which the
        // ref > 0 test below rejects exactly as it rejects a stale pointer.
        java.util.Arrays.fill(htab, -1);
        int ip = 0, op = 0, inEnd = inLen, outEnd = outLen;
        int lit = 0;
        op++; // start run
        int hval = ((in[ip] & 0xff) << 8) | (in[ip + 1 < inLen ? ip + 1 : ip] & 0xff);
        if (inLen < 2) hval = (in[0] & 0xff) << 8;
        while (ip < inEnd - 2) {
            hval = (hval << 8) | (in[ip + 2] & 0xff);
            int slot = idx(hval);
            int ref = htab[slot];
            htab[slot] = ip;
            int off;
            if (ref >= 0 && ref < ip && (off = ip - ref - 1) < MAX_OFF && ip + 4 < inEnd && ref > 0
                    && in[ref] == in[ip] && in[ref + 1] == in[ip + 1] && in[ref + 2] == in[ip + 2]) {
                int len = 2;
                int maxlen = inEnd - ip - len;
                maxlen = Math.min(maxlen, MAX_REF);
                out[op - lit - 1] = (byte) (lit - 1); // stop run
                if (lit == 0) op--; // undo run if length is zero
                if (op + 3 + 1 >= outEnd) return 0;
                // Redis's loop checks 16 bytes without the maxlen bound first when maxlen > 16, so a
                // match may end past maxlen there; kept as is for byte-identical output.
                matching:
                {
                    if (maxlen > 16) {
                        for (int k = 0; k < 16; k++) {
                            len++;
                            if (in[ref + len] != in[ip + len]) break matching;
                        }
                    }
                    do {
                        len++;
                    } while (len < maxlen && in[ref + len] == in[ip + len]);
                }
                len -= 2; // len is now #octets - 1
                ip++;
                if (len < 7) {
                    out[op++] = (byte) ((off >>> 8) + (len << 5));
                } else {
                    out[op++] = (byte) ((off >>> 8) + (7 << 5));
                    out[op++] = (byte) (len - 7);
                }
                out[op++] = (byte) off;
                lit = 0;
                op++; // start run
                ip += len + 1;
                if (ip >= inEnd - 2) break;
                // VERY_FAST: re-hash the two positions before the new ip
                ip -= 2;
                hval = ((in[ip] & 0xff) << 8) | (in[ip + 1] & 0xff);
                hval = (hval << 8) | (in[ip + 2] & 0xff);
                htab[idx(hval)] = ip;
                ip++;
                hval = (hval << 8) | (in[ip + 2] & 0xff);
                htab[idx(hval)] = ip;
                ip++;
            } else {
                if (op >= outEnd) return 0;
                lit++;
                out[op++] = in[ip++];
                if (lit == MAX_LIT) {
                    out[op - lit - 1] = (byte) (lit - 1);
                    lit = 0;
                    op++;
                }
            }
        }
        if (op + 3 > outEnd) return 0;
        while (ip < inEnd) {
            lit++;
            out[op++] = in[ip++];
            if (lit == MAX_LIT) {
                out[op - lit - 1] = (byte) (lit - 1);
                lit = 0;
                op++;
            }
        }
        out[op - lit - 1] = (byte) (lit - 1);
        if (lit == 0) op--;
        return op;
    }

    /**
     * Decompresses {@code in[from, from + inLen)} into {@code out}, which must be exactly the
     * expected length; returns the number of bytes written, or -1 when the input is corrupt (a
     * back reference before the start, a run past either end) — never an exception.
     */
    public static int decompress(byte[] in, int from, int inLen, byte[] out) {
        int ip = from, inEnd = from + inLen, op = 0, outEnd = out.length;
        while (ip < inEnd) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < (1 << 5)) { // literal run
                ctrl++;
                if (op + ctrl > outEnd) return -1;
                if (ip + ctrl > inEnd) return -1;
                System.arraycopy(in, ip, out, op, ctrl);
                op += ctrl;
                ip += ctrl;
            } else { // back reference
                int len = ctrl >>> 5;
                int ref = op - ((ctrl & 0x1f) << 8) - 1;
                if (ip >= inEnd) return -1;
                if (len == 7) {
                    len += in[ip++] & 0xff;
                    if (ip >= inEnd) return -1;
                }
                ref -= in[ip++] & 0xff;
                if (op + len + 2 > outEnd) return -1;
                if (ref < 0) return -1;
                len += 2;
                for (int i = 0; i < len; i++) out[op++] = out[ref++]; // overlapping copy, byte by byte
            }
        }
        return op;
    }

    /**
     * Compresses {@code in} into at most {@code outLen} bytes; returns the compressed bytes, or null when they
     * would not fit (lzf_compress returning 0).
     */
    public static byte[] compress(byte[] in, int outLen) {
        if (outLen <= 0) return null;
        byte[] out = new byte[outLen];
        int n = compress(in, in.length, out, outLen);
        return n == 0 ? null : java.util.Arrays.copyOf(out, n);
    }

    /** Decompresses {@code in[off, off+len)} into exactly {@code outLen} bytes; null if the data is corrupt. */
    public static byte[] decompress(byte[] in, int off, int len, int outLen) {
        byte[] out = new byte[outLen];
        return decompress(in, off, len, out) == outLen ? out : null;
    }
}
