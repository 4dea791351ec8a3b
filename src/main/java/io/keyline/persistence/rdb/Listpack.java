package io.keyline.persistence.rdb;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Redis's listpack ({@code listpack.c}), the blob inside RDB types 16 to 21 and quicklist nodes:
 * a 6-byte header (total bytes, element count, little-endian), entries of encoding + data +
 * back-length, and a 0xFF terminator. {@link Builder} encodes entries exactly as {@code lpAppend}
 * does (a string that is a canonical 64-bit integer is stored as the smallest integer encoding),
 * so Keyline's bytes equal Redis's; {@link Reader} walks a blob checking every bound.
 */
public final class Listpack {
    static final int HEADER = 6;
    static final int EOF = 0xFF;

    private Listpack() {
    }

    /** Appends entries; {@link #bytes()} is the finished blob. */
    public static final class Builder {
        private byte[] buf;
        private int size = HEADER;
        private int count;

        public Builder() {
            this(64);
        }

        public Builder(int capacity) {
            buf = new byte[Math.max(capacity, 16)];
        }

        /** The blob's length if it were finished now ({@code lpBytes}). */
        public int bytesSoFar() {
            return size + 1;
        }

        public int count() {
            return count;
        }

        private void ensure(int n) {
            if (size + n + 1 > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n + 1));
        }

        public Builder append(byte[] s) {
            return append(s, 0, s.length);
        }

        public Builder append(byte[] s, int from, int len) {
            long v = Rdb.parseCanonicalLong(s, from, len);
            if (v != Long.MIN_VALUE || (len == 20 && isMin(s, from))) return appendInteger(v);
            ensure(len + 10);
            int start = size;
            if (len < 64) {
                buf[size++] = (byte) (0x80 | len);
            } else if (len < 4096) {
                buf[size++] = (byte) (0xE0 | (len >>> 8));
                buf[size++] = (byte) len;
            } else {
                buf[size++] = (byte) 0xF0;
                putIntLE(len);
            }
            System.arraycopy(s, from, buf, size, len);
            size += len;
            backlen(size - start);
            count++;
            return this;
        }

        private static boolean isMin(byte[] s, int from) {
            return Arrays.equals(s, from, from + 20, MIN_TEXT, 0, 20);
        }

        public Builder appendInteger(long v) {
            ensure(10);
            int start = size;
            if (v >= 0 && v <= 127) {
                buf[size++] = (byte) v;
            } else if (v >= -4096 && v <= 4095) {
                long u = v < 0 ? (1 << 13) + v : v;
                buf[size++] = (byte) ((u >>> 8) | 0xC0);
                buf[size++] = (byte) u;
            } else if (v >= -32768 && v <= 32767) {
                buf[size++] = (byte) 0xF1;
                putLE(v, 2);
            } else if (v >= -8388608 && v <= 8388607) {
                buf[size++] = (byte) 0xF2;
                putLE(v, 3);
            } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                buf[size++] = (byte) 0xF3;
                putLE(v, 4);
            } else {
                buf[size++] = (byte) 0xF4;
                putLE(v, 8);
            }
            backlen(size - start);
            count++;
            return this;
        }

        private void putIntLE(int v) {
            putLE(v, 4);
        }

        private void putLE(long v, int n) {
            for (int i = 0; i < n; i++) buf[size++] = (byte) (v >>> (8 * i));
        }

        /** {@code lpEncodeBacklen}: the entry's length, 7 bits a byte, readable from the right. */
        private void backlen(int l) {
            if (l <= 127) {
                buf[size++] = (byte) l;
            } else if (l < 16383) {
                buf[size++] = (byte) (l >>> 7);
                buf[size++] = (byte) ((l & 127) | 128);
            } else if (l < 2097151) {
                buf[size++] = (byte) (l >>> 14);
                buf[size++] = (byte) (((l >>> 7) & 127) | 128);
                buf[size++] = (byte) ((l & 127) | 128);
            } else if (l < 268435455) {
                buf[size++] = (byte) (l >>> 21);
                buf[size++] = (byte) (((l >>> 14) & 127) | 128);
                buf[size++] = (byte) (((l >>> 7) & 127) | 128);
                buf[size++] = (byte) ((l & 127) | 128);
            } else {
                buf[size++] = (byte) (l >>> 28);
                buf[size++] = (byte) (((l >>> 21) & 127) | 128);
                buf[size++] = (byte) (((l >>> 14) & 127) | 128);
                buf[size++] = (byte) (((l >>> 7) & 127) | 128);
                buf[size++] = (byte) ((l & 127) | 128);
            }
        }

        /** Appends every entry of {@code other} as it is (already encoded). */
        public Builder appendAll(Builder other) {
            int n = other.size - HEADER;
            ensure(n);
            System.arraycopy(other.buf, HEADER, buf, size, n);
            size += n;
            count += other.count;
            return this;
        }

        /** The size of {@code v}'s entry (encoding, data, back-length). */
        public static int integerEntrySize(long v) {
            if (v >= 0 && v <= 127) return 2;
            if (v >= -4096 && v <= 4095) return 3;
            if (v >= -32768 && v <= 32767) return 4;
            if (v >= -8388608 && v <= 8388607) return 5;
            if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) return 6;
            return 10;
        }

        public byte[] bytes() {
            byte[] out = Arrays.copyOf(buf, size + 1);
            int total = size + 1;
            out[0] = (byte) total;
            out[1] = (byte) (total >>> 8);
            out[2] = (byte) (total >>> 16);
            out[3] = (byte) (total >>> 24);
            int n = Math.min(count, 65535);
            out[4] = (byte) n;
            out[5] = (byte) (n >>> 8);
            out[size] = (byte) EOF;
            return out;
        }
    }

    private static final byte[] MIN_TEXT = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

    /**
     * Walks a listpack. The header's total length must equal the blob's, every entry must end
     * inside it with a back-length that matches, and the terminator must be last; the element
     * count is checked at the end (unless it is 65535, "unknown"). Any breach is an
     * {@link RdbFormatException}, never an index error.
     */
    public static final class Reader {
        private final byte[] lp;
        private final int end;
        private final int declared;
        private int pos = HEADER;
        private int seen;
        /** The current entry: an integer ({@link #isInt}) or the bytes {@code lp[strFrom, strFrom + strLen)}. */
        public boolean isInt;
        public long intValue;
        private int strFrom, strLen;

        public Reader(byte[] lp) {
            this.lp = lp;
            if (lp.length < HEADER + 1) throw bad("listpack too short");
            long total = (lp[0] & 0xffL) | (lp[1] & 0xffL) << 8 | (lp[2] & 0xffL) << 16 | (lp[3] & 0xffL) << 24;
            if (total != lp.length) throw bad("listpack length mismatch");
            if ((lp[lp.length - 1] & 0xff) != EOF) throw bad("listpack without terminator");
            end = lp.length - 1;
            declared = (lp[4] & 0xff) | (lp[5] & 0xff) << 8;
        }

        /** The declared element count (65535 means "count them"). */
        public int declaredCount() {
            return declared;
        }

        public boolean hasNext() {
            if (pos < end) return true;
            if (declared != 65535 && seen != declared) throw bad("listpack count mismatch");
            return false;
        }

        private int need(int n) {
            if (n < 0 || pos + n > end) throw bad("listpack entry out of range");
            return pos;
        }

        /** Moves to the next entry. */
        public void next() {
            if (pos >= end) throw bad("listpack has fewer entries than expected");
            int start = pos;
            int b = lp[pos] & 0xff;
            isInt = true;
            if ((b & 0x80) == 0) {
                intValue = b;
                pos += 1;
            } else if ((b & 0xC0) == 0x80) {
                strLen = b & 0x3f;
                pos += 1;
                need(strLen);
                strFrom = pos;
                pos += strLen;
                isInt = false;
            } else if ((b & 0xE0) == 0xC0) {
                need(2);
                int u = ((b & 0x1f) << 8) | (lp[pos + 1] & 0xff);
                intValue = u >= 1 << 12 ? u - (1 << 13) : u;
                pos += 2;
            } else if ((b & 0xF0) == 0xE0) {
                need(2);
                strLen = ((b & 0x0f) << 8) | (lp[pos + 1] & 0xff);
                pos += 2;
                need(strLen);
                strFrom = pos;
                pos += strLen;
                isInt = false;
            } else if (b == 0xF0) {
                need(5);
                long l = le(pos + 1, 4);
                if (l > Integer.MAX_VALUE) throw bad("listpack string too long");
                strLen = (int) l;
                pos += 5;
                need(strLen);
                strFrom = pos;
                pos += strLen;
                isInt = false;
            } else if (b >= 0xF1 && b <= 0xF4) {
                int n = b == 0xF1 ? 2 : b == 0xF2 ? 3 : b == 0xF3 ? 4 : 8;
                need(1 + n);
                long v = le(pos + 1, n);
                int shift = 64 - 8 * n;
                intValue = (v << shift) >> shift;
                pos += 1 + n;
            } else {
                throw bad("listpack bad encoding");
            }
            int len = pos - start;
            int blen = len <= 127 ? 1 : len < 16383 ? 2 : len < 2097151 ? 3 : len < 268435455 ? 4 : 5;
            need(blen);
            // The back-length read from its last byte leftwards must give the entry's length.
            long v = 0;
            for (int i = 0; i < blen; i++) {
                int x = lp[pos + blen - 1 - i] & 0xff;
                if ((i < blen - 1) != ((x & 128) != 0)) throw bad("listpack bad back-length");
                v |= (long) (x & 127) << (7 * i);
            }
            if (v != len) throw bad("listpack bad back-length");
            pos += blen;
            seen++;
        }

        private long le(int at, int n) {
            long v = 0;
            for (int i = 0; i < n; i++) v |= (lp[at + i] & 0xffL) << (8 * i);
            return v;
        }

        /** The current entry as bytes (an integer as its decimal text, as {@code lpGet}). */
        public byte[] bytes() {
            if (isInt) return Long.toString(intValue).getBytes(StandardCharsets.US_ASCII);
            return Arrays.copyOfRange(lp, strFrom, strFrom + strLen);
        }

        /** The current entry as an integer: its value, or its text parsed strictly. */
        public long integer() {
            if (isInt) return intValue;
            long v = Rdb.parseCanonicalLong(lp, strFrom, strLen);
            if (v == Long.MIN_VALUE) throw bad("listpack entry is not an integer");
            return v;
        }

        public byte[] nextBytes() {
            next();
            return bytes();
        }

        public long nextInteger() {
            next();
            return integer();
        }

        /** The number of entries, counted by walking a copy (for {@code lpValidateIntegrity}'s count). */
        public int countAll() {
            Reader r = new Reader(lp);
            int n = 0;
            while (r.hasNext()) {
                r.next();
                n++;
            }
            return n;
        }
    }

    static RdbFormatException bad(String what) {
        return new RdbFormatException(what);
    }
}
