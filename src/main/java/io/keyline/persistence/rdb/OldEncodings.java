package io.keyline.persistence.rdb;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Readers for the blobs older Redis versions wrote and 7.2 still loads: ziplist ({@code ziplist.c},
 * lists, hashes and sorted sets before 7.0 and quicklist v1 nodes), zipmap ({@code zipmap.c},
 * hashes before 2.6) and intset ({@code intset.c}, still written for sets of integers). Each
 * returns the elements as byte strings and throws {@link RdbFormatException} on any bound breach.
 */
final class OldEncodings {
    private OldEncodings() {
    }

    private static long le(byte[] b, int at, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) v |= (b[at + i] & 0xffL) << (8 * i);
        return v;
    }

    private static RdbFormatException bad(String what) {
        return new RdbFormatException(what);
    }

    private static byte[] text(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    /** The entries of a ziplist: header zlbytes, zltail, zllen; entries of prevlen, encoding, data; 0xFF. */
    static List<byte[]> ziplist(byte[] zl) {
        if (zl.length < 11) throw bad("ziplist too short");
        if (le(zl, 0, 4) != zl.length) throw bad("ziplist length mismatch");
        long tail = le(zl, 4, 4);
        int declared = (int) le(zl, 8, 2);
        if ((zl[zl.length - 1] & 0xff) != 0xFF) throw bad("ziplist without terminator");
        int end = zl.length - 1;
        List<byte[]> out = new ArrayList<>();
        int pos = 10, prevLen = 0, lastStart = -1;
        while (pos < end) {
            int start = pos;
            int p = zl[pos] & 0xff;
            int pl;
            if (p < 254) {
                pl = p;
                pos += 1;
            } else {
                if (p != 254 || pos + 5 > end) throw bad("ziplist bad prevlen");
                pl = (int) le(zl, pos + 1, 4);
                pos += 5;
            }
            if (pl != prevLen) throw bad("ziplist prevlen mismatch");
            if (pos >= end) throw bad("ziplist entry out of range");
            int enc = zl[pos] & 0xff;
            int type = enc >>> 6;
            if (type == 0) {
                pos = string(zl, pos + 1, enc & 0x3f, end, out);
            } else if (type == 1) {
                if (pos + 2 > end) throw bad("ziplist entry out of range");
                int len = ((enc & 0x3f) << 8) | (zl[pos + 1] & 0xff);
                pos = string(zl, pos + 2, len, end, out);
            } else if (enc == 0x80) {
                if (pos + 5 > end) throw bad("ziplist entry out of range");
                long len = ((zl[pos + 1] & 0xffL) << 24) | ((zl[pos + 2] & 0xffL) << 16) | ((zl[pos + 3] & 0xffL) << 8) | (zl[pos + 4] & 0xffL);
                if (len > end) throw bad("ziplist entry out of range");
                pos = string(zl, pos + 5, (int) len, end, out);
            } else {
                int n;
                switch (enc) {
                    case 0xC0: n = 2; break;
                    case 0xD0: n = 4; break;
                    case 0xE0: n = 8; break;
                    case 0xF0: n = 3; break;
                    case 0xFE: n = 1; break;
                    default:
                        if (enc >= 0xF1 && enc <= 0xFD) {
                            out.add(text((enc & 0x0f) - 1));
                            pos += 1;
                            n = -1;
                            break;
                        }
                        throw bad("ziplist bad encoding");
                }
                if (n > 0) {
                    if (pos + 1 + n > end) throw bad("ziplist entry out of range");
                    long v = le(zl, pos + 1, n);
                    int shift = 64 - 8 * n;
                    out.add(text((v << shift) >> shift));
                    pos += 1 + n;
                }
            }
            prevLen = pos - start;
            lastStart = start;
        }
        if (declared != 0xFFFF && declared != out.size()) throw bad("ziplist count mismatch");
        if (!out.isEmpty() && tail != lastStart) throw bad("ziplist tail offset mismatch");
        return out;
    }

    private static int string(byte[] zl, int from, int len, int end, List<byte[]> out) {
        if (len < 0 || from + len > end) throw bad("ziplist entry out of range");
        out.add(java.util.Arrays.copyOfRange(zl, from, from + len));
        return from + len;
    }

    /** A zipmap's key/value pairs, flattened. */
    static List<byte[]> zipmap(byte[] zm) {
        if (zm.length < 2) throw bad("zipmap too short");
        List<byte[]> out = new ArrayList<>();
        int pos = 1, end = zm.length;
        while (true) {
            if (pos >= end) throw bad("zipmap without terminator");
            if ((zm[pos] & 0xff) == 255) {
                if (pos != end - 1) throw bad("zipmap trailing bytes");
                break;
            }
            // key
            int[] r = zipmapLen(zm, pos, end);
            pos = r[1];
            if (pos + r[0] > end) throw bad("zipmap entry out of range");
            out.add(java.util.Arrays.copyOfRange(zm, pos, pos + r[0]));
            pos += r[0];
            // value: length, free byte, data, free space
            r = zipmapLen(zm, pos, end);
            pos = r[1];
            if (pos >= end) throw bad("zipmap entry out of range");
            int free = zm[pos++] & 0xff;
            if (pos + r[0] + free > end) throw bad("zipmap entry out of range");
            out.add(java.util.Arrays.copyOfRange(zm, pos, pos + r[0]));
            pos += r[0] + free;
        }
        if (out.size() % 2 != 0) throw bad("zipmap odd entries");
        return out;
    }

    private static int[] zipmapLen(byte[] zm, int pos, int end) {
        int b = zm[pos] & 0xff;
        if (b < 254) return new int[] {b, pos + 1};
        if (b != 254 || pos + 5 > end) throw bad("zipmap bad length");
        long l = le(zm, pos + 1, 4);
        if (l > end) throw bad("zipmap bad length");
        return new int[] {(int) l, pos + 5};
    }

    /** An intset's members: encoding (2, 4 or 8), length, sorted unique little-endian integers. */
    static long[] intset(byte[] is) {
        if (is.length < 8) throw bad("intset too short");
        long enc = le(is, 0, 4);
        if (enc != 2 && enc != 4 && enc != 8) throw bad("intset bad encoding");
        long count = le(is, 4, 4);
        if (8 + count * enc != is.length) throw bad("intset length mismatch");
        long[] out = new long[(int) count];
        int shift = 64 - 8 * (int) enc;
        for (int i = 0; i < count; i++) {
            long v = le(is, 8 + i * (int) enc, (int) enc);
            out[i] = (v << shift) >> shift;
            if (i > 0 && out[i] <= out[i - 1]) throw bad("intset not sorted");
        }
        return out;
    }

    /** {@code intsetAdd} of sorted unique values: the smallest encoding that holds them all. */
    static byte[] writeIntset(long[] sorted) {
        int enc = 2;
        for (long v : sorted) {
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) enc = 8;
            else if ((v < Short.MIN_VALUE || v > Short.MAX_VALUE) && enc < 4) enc = 4;
        }
        byte[] out = new byte[8 + enc * sorted.length];
        put(out, 0, enc, 4);
        put(out, 4, sorted.length, 4);
        for (int i = 0; i < sorted.length; i++) put(out, 8 + i * enc, sorted[i], enc);
        return out;
    }

    private static void put(byte[] b, int at, long v, int n) {
        for (int i = 0; i < n; i++) b[at + i] = (byte) (v >>> (8 * i));
    }
}
