package io.keyline.persistence.rdb;

import io.keyline.util.Lzf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The RDB format's building blocks ({@code rdb.h}, {@code rdb.c}): type ids, the length and string
 * encodings, and the byte buffers values are written to and read from.
 */
public final class Rdb {
    /** The RDB version Redis 7.2 writes (RDB_VERSION). 7.0 writes 10. */
    public static final int VERSION = 11;

    public static final int TYPE_STRING = 0;
    public static final int TYPE_LIST = 1;
    public static final int TYPE_SET = 2;
    public static final int TYPE_ZSET = 3;
    public static final int TYPE_HASH = 4;
    public static final int TYPE_ZSET_2 = 5;
    public static final int TYPE_HASH_ZIPMAP = 9;
    public static final int TYPE_LIST_ZIPLIST = 10;
    public static final int TYPE_SET_INTSET = 11;
    public static final int TYPE_ZSET_ZIPLIST = 12;
    public static final int TYPE_HASH_ZIPLIST = 13;
    public static final int TYPE_LIST_QUICKLIST = 14;
    public static final int TYPE_STREAM_LISTPACKS = 15;
    public static final int TYPE_HASH_LISTPACK = 16;
    public static final int TYPE_ZSET_LISTPACK = 17;
    public static final int TYPE_LIST_QUICKLIST_2 = 18;
    public static final int TYPE_STREAM_LISTPACKS_2 = 19;
    public static final int TYPE_SET_LISTPACK = 20;
    public static final int TYPE_STREAM_LISTPACKS_3 = 21;

    /** Types Keyline refuses: values of Redis modules (RDB_TYPE_MODULE_PRE_GA, RDB_TYPE_MODULE_2). */
    public static final int TYPE_MODULE_PRE_GA = 6;
    public static final int TYPE_MODULE_2 = 7;

    // The file's opcodes (rdb.h).
    public static final int OPCODE_FUNCTION2 = 245;
    public static final int OPCODE_FUNCTION_PRE_GA = 246;
    public static final int OPCODE_MODULE_AUX = 247;
    public static final int OPCODE_IDLE = 248;
    public static final int OPCODE_FREQ = 249;
    public static final int OPCODE_AUX = 250;
    public static final int OPCODE_RESIZEDB = 251;
    public static final int OPCODE_EXPIRETIME_MS = 252;
    public static final int OPCODE_EXPIRETIME = 253;
    public static final int OPCODE_SELECTDB = 254;
    public static final int OPCODE_EOF = 255;

    static final int ENC_INT8 = 0;
    static final int ENC_INT16 = 1;
    static final int ENC_INT32 = 2;
    static final int ENC_LZF = 3;

    static final int QUICKLIST_NODE_PLAIN = 1;
    static final int QUICKLIST_NODE_PACKED = 2;

    private Rdb() {
    }

    /** Whether {@code type} is a value type this reader knows (rdbIsObjectType minus modules). */
    public static boolean isValueType(int type) {
        return (type >= 0 && type <= 5) || (type >= 9 && type <= 21);
    }

    /**
     * The value of {@code s[from, from + len)} if it is a 64-bit integer in canonical form (as
     * {@code string2ll}: no sign but '-', no leading zero, no spaces, at most 20 characters);
     * {@link Long#MIN_VALUE} when it is not (callers that care check that text separately).
     */
    public static long parseCanonicalLong(byte[] s, int from, int len) {
        if (len == 0 || len > 20) return Long.MIN_VALUE;
        int p = from, end = from + len;
        if (len == 1 && s[p] == '0') return 0;
        boolean neg = false;
        if (s[p] == '-') {
            neg = true;
            p++;
            if (p == end) return Long.MIN_VALUE;
        }
        if (s[p] < '1' || s[p] > '9') return Long.MIN_VALUE;
        long v = 0; // accumulated negatively to reach Long.MIN_VALUE
        for (; p < end; p++) {
            int d = s[p] - '0';
            if (d < 0 || d > 9) return Long.MIN_VALUE;
            if (v < (Long.MIN_VALUE + d) / 10) return Long.MIN_VALUE;
            v = v * 10 - d;
        }
        if (!neg) {
            if (v == Long.MIN_VALUE) return Long.MIN_VALUE;
            return -v;
        }
        return v;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A growable output buffer with RDB's primitives. */
    public static final class Output {
        private byte[] buf;
        private int size;
        private final boolean compress;

        public Output(int capacity, boolean compress) {
            buf = new byte[Math.max(capacity, 16)];
            this.compress = compress;
        }

        public int size() {
            return size;
        }

        public byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }

        byte[] buffer() {
            return buf;
        }

        /** Drops what was written after {@code size} bytes. */
        void truncate(int size) {
            this.size = size;
        }

        /** Empties the buffer (its bytes were written out); a buffer grown past 4 MB by a big value shrinks back. */
        void reset() {
            size = 0;
            if (buf.length > (4 << 20)) buf = new byte[1 << 16];
        }

        private void ensure(int n) {
            if (size + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }

        public void writeByte(int b) {
            ensure(1);
            buf[size++] = (byte) b;
        }

        public void write(byte[] b, int from, int len) {
            ensure(len);
            System.arraycopy(b, from, buf, size, len);
            size += len;
        }

        public void write(byte[] b) {
            write(b, 0, b.length);
        }

        public void writeLE(long v, int n) {
            ensure(n);
            for (int i = 0; i < n; i++) buf[size++] = (byte) (v >>> (8 * i));
        }

        public void writeBE(long v, int n) {
            ensure(n);
            for (int i = n - 1; i >= 0; i--) buf[size++] = (byte) (v >>> (8 * i));
        }

        /** {@code rdbSaveLen}. */
        public void writeLen(long len) {
            if (len >= 0 && len < (1 << 6)) {
                writeByte((int) len);
            } else if (len >= 0 && len < (1 << 14)) {
                writeByte((int) ((len >>> 8) | 0x40));
                writeByte((int) (len & 0xff));
            } else if (len >= 0 && len <= 0xffffffffL) {
                writeByte(0x80);
                writeBE(len, 4);
            } else {
                writeByte(0x81);
                writeBE(len, 8);
            }
        }

        /** {@code rdbSaveMillisecondTime}: 8 bytes little-endian. */
        public void writeMillis(long ms) {
            writeLE(ms, 8);
        }

        /** {@code rdbSaveBinaryDoubleValue}. */
        public void writeBinaryDouble(double d) {
            writeLE(Double.doubleToRawLongBits(d), 8);
        }

        /** {@code rdbSaveRawString}: an integer encoding for short canonical integers, LZF above 20 bytes, else raw. */
        public void writeString(byte[] s) {
            writeString(s, 0, s.length);
        }

        public void writeString(byte[] s, int from, int len) {
            if (len <= 11) {
                long v = parseCanonicalLong(s, from, len);
                if ((v != Long.MIN_VALUE || len == 1 && s[from] == '0') && writeEncodedInt(v)) return;
            }
            if (compress && len > 20 && writeLzf(s, from, len)) return;
            writeLen(len);
            write(s, from, len);
        }

        /** {@code rdbSaveLongLongAsStringObject}. */
        public void writeLongAsString(long v) {
            if (!writeEncodedInt(v)) {
                byte[] t = ascii(Long.toString(v));
                writeLen(t.length);
                write(t);
            }
        }

        private boolean writeEncodedInt(long v) {
            if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
                writeByte(0xC0 | ENC_INT8);
                writeLE(v, 1);
            } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                writeByte(0xC0 | ENC_INT16);
                writeLE(v, 2);
            } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                writeByte(0xC0 | ENC_INT32);
                writeLE(v, 4);
            } else {
                return false;
            }
            return true;
        }

        /** {@code rdbSaveLzfStringObject}: only when compression saves more than 4 bytes. */
        private boolean writeLzf(byte[] s, int from, int len) {
            if (len <= 4) return false;
            byte[] in = from == 0 ? s : Arrays.copyOfRange(s, from, from + len);
            byte[] out = new byte[len - 4];
            int clen = Lzf.compress(in, len, out, len - 4);
            if (clen == 0) return false;
            writeByte(0xC0 | ENC_LZF);
            writeLen(clen);
            writeLen(len);
            write(out, 0, clen);
            return true;
        }
    }

    /**
     * A bounded reader over a byte array, or over a stream read through a window that refills as
     * the reader moves on (an RDB file; the bytes it leaves behind are added to a running CRC64,
     * so a file is never held in memory whole). Every read past the end is an {@link
     * RdbFormatException} naming the offset.
     */
    public static final class Input {
        private byte[] buf;
        private int pos;
        private int end;
        private final java.io.InputStream source;
        private long base; // stream offset of buf[0]
        private long crc;  // CRC64 of the stream bytes before buf[0]
        /** Set by {@link #readLen} when the length was a special encoding (11xxxxxx). */
        boolean encoded;

        public Input(byte[] buf, int from, int end) {
            this.buf = buf;
            this.pos = from;
            this.end = end;
            this.source = null;
            this.length = -1;
        }

        private final long length; // of the stream, when known: a length past it is refused before allocating

        /** A reader over {@code source} of {@code length} bytes ({@code -1}: unknown), from offset 0. */
        public Input(java.io.InputStream source, long length) {
            this.buf = new byte[1 << 16];
            this.source = source;
            this.length = length;
        }

        public int position() {
            return pos;
        }

        /** Offset in the stream (or array) of the next byte to read. */
        public long offset() {
            return base + pos;
        }

        public int remaining() {
            return end - pos;
        }

        /** The CRC64 of every byte before the current position (streams only; Redis's rioGenericUpdateChecksum). */
        public long crcSoFar() {
            return io.keyline.util.Crc64.update(crc, buf, 0, pos);
        }

        private void need(long n) {
            if (n >= 0 && n <= end - pos) return;
            if (n < 0 || source == null || !fill(n)) {
                throw RdbFormatException.endOfData("unexpected end of data at offset " + offset());
            }
        }

        /** Makes {@code n} bytes readable at {@code pos}; false at the end of the stream. */
        private boolean fill(long n) {
            if (n > Integer.MAX_VALUE - 64 || (length >= 0 && base + pos + n > length)) return false;
            if (pos > 0) { // slide the window: what lies before pos is consumed
                crc = io.keyline.util.Crc64.update(crc, buf, 0, pos);
                System.arraycopy(buf, pos, buf, 0, end - pos);
                base += pos;
                end -= pos;
                pos = 0;
            }
            if (n > buf.length) buf = Arrays.copyOf(buf, (int) Math.max(n, Math.min((long) buf.length * 2, Integer.MAX_VALUE - 64)));
            try {
                while (end < n) {
                    int r = source.read(buf, end, buf.length - end);
                    if (r < 0) return false;
                    end += r;
                }
            } catch (java.io.IOException e) {
                throw new RdbFormatException("read error at offset " + (base + end) + ": " + e.getMessage());
            }
            return true;
        }

        /** Whether the stream (or array) has no byte left. */
        public boolean atEnd() {
            if (pos < end) return false;
            return source == null || !fill(1);
        }

        public int readByte() {
            need(1);
            return buf[pos++] & 0xff;
        }

        public long readLE(int n) {
            need(n);
            long v = 0;
            for (int i = 0; i < n; i++) v |= (buf[pos++] & 0xffL) << (8 * i);
            return v;
        }

        public long readBE(int n) {
            need(n);
            long v = 0;
            for (int i = 0; i < n; i++) v = (v << 8) | (buf[pos++] & 0xffL);
            return v;
        }

        public byte[] read(int n) {
            need(n);
            byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
            pos += n;
            return b;
        }

        /** {@code rdbLoadLenByRef}. */
        public long readLen() {
            encoded = false;
            int b = readByte();
            int type = (b & 0xC0) >>> 6;
            if (type == 3) {
                encoded = true;
                return b & 0x3F;
            } else if (type == 0) {
                return b & 0x3F;
            } else if (type == 1) {
                return ((b & 0x3F) << 8) | readByte();
            } else if (b == 0x80) {
                return readBE(4);
            } else if (b == 0x81) {
                return readBE(8);
            }
            throw new RdbFormatException("unknown length encoding " + b + " at offset " + (offset() - 1));
        }

        /** A length that must be a plain, non-negative count that fits in an int-indexed structure. */
        public int readCount() {
            long n = readLen();
            if (encoded || n < 0 || n > Integer.MAX_VALUE) throw new RdbFormatException("bad length at offset " + offset());
            return (int) n;
        }

        public long readMillis() {
            return readLE(8);
        }

        public double readBinaryDouble() {
            return Double.longBitsToDouble(readLE(8));
        }

        /** {@code rdbLoadDoubleValue}: the old text form (253 nan, 254 +inf, 255 -inf, else length + text). */
        public double readTextDouble() {
            int len = readByte();
            if (len == 255) return Double.NEGATIVE_INFINITY;
            if (len == 254) return Double.POSITIVE_INFINITY;
            if (len == 253) return Double.NaN;
            byte[] t = read(len);
            try {
                return Double.parseDouble(new String(t, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new RdbFormatException("bad double value");
            }
        }

        /** {@code rdbGenericLoadStringObject}: raw, integer-encoded or LZF-compressed string. */
        public byte[] readString() {
            long len = readLen();
            if (encoded) {
                switch ((int) len) {
                    case ENC_INT8:
                        return ascii(Long.toString((byte) readLE(1)));
                    case ENC_INT16:
                        return ascii(Long.toString((short) readLE(2)));
                    case ENC_INT32:
                        return ascii(Long.toString((int) readLE(4)));
                    case ENC_LZF:
                        return readLzf();
                    default:
                        throw new RdbFormatException("unknown string encoding " + len);
                }
            }
            if (len > Integer.MAX_VALUE - 16) throw new RdbFormatException("string too long");
            return read((int) len);
        }

        private byte[] readLzf() {
            long clen = readLen();
            if (encoded) throw new RdbFormatException("bad LZF length");
            long len = readLen();
            if (encoded) throw new RdbFormatException("bad LZF length");
            need(clen);
            if (len == 0 || len > Integer.MAX_VALUE - 16) throw new RdbFormatException("bad LZF length");
            // Never allocate more than the input could expand to (LZF expands at most ~ 264/3 per byte).
            if (len > clen * 90 + 64) throw new RdbFormatException("LZF length out of range");
            byte[] out = new byte[(int) len];
            int n = Lzf.decompress(buf, pos, (int) clen, out);
            if (n != len) throw new RdbFormatException("invalid LZF compressed string");
            pos += (int) clen;
            return out;
        }
    }
}
