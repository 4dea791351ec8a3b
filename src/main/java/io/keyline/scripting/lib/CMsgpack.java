package io.keyline.scripting.lib;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Redis's lua_cmsgpack.c (lua-cmsgpack 0.4.0): cmsgpack.pack, unpack, unpack_one, unpack_limit. */
public final class CMsgpack {
    private static final int MAX_NESTING = 16;

    private CMsgpack() {
    }

    public static LuaModule module() {
        return new LuaModule("cmsgpack")
                .function("pack", CMsgpack::pack)
                .function("unpack", a -> unpackFull(a, 0, 0))
                .function("unpack_one", a -> unpackFull(a, 1, LuaArgs.optInteger(a, 2, "unpack_one", 0)))
                .function("unpack_limit", a -> {
                    long limit = LuaArgs.checkInteger(a, 2, "unpack_limit");
                    long offset = LuaArgs.optInteger(a, 3, "unpack_limit", 0);
                    return unpackFull(a, limit, offset);
                })
                .constant("_NAME", LuaArgs.bytes("cmsgpack"))
                .constant("_VERSION", LuaArgs.bytes("lua-cmsgpack 0.4.0"))
                .constant("_COPYRIGHT", LuaArgs.bytes("Copyright (C) 2012, Salvatore Sanfilippo"))
                .constant("_DESCRIPTION", LuaArgs.bytes("MessagePack C implementation for Lua"));
    }

    // ---- pack ----------------------------------------------------------------------------------------------

    public static Object[] pack(Object[] args) {
        if (args.length == 0) {
            throw LuaLibError.arg(0, "pack", "MessagePack pack needs input.");
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        for (Object a : args) {
            encode(a, 0, buf);
        }
        return new Object[] {buf.toByteArray()};
    }

    /** cmsgpack.pack(value) for Java callers. */
    public static byte[] pack(Object value) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        encode(value, 0, buf);
        return buf.toByteArray();
    }

    private static void encode(Object v, int level, ByteArrayOutputStream buf) {
        if (v instanceof LuaTableView && level == MAX_NESTING) {
            v = null;
        }
        if (v instanceof Boolean b) {
            buf.write(b ? 0xc3 : 0xc2);
        } else if (v instanceof Double d) {
            encodeNumber(d, buf);
        } else if (v instanceof byte[] s) {
            encodeBytes(s, buf);
        } else if (v instanceof LuaTableView t) {
            if (isArray(t)) {
                long len = t.length();
                encodeArrayHeader(len, buf);
                for (long j = 1; j <= len; j++) {
                    encode(t.rawGet(j), level + 1, buf);
                }
            } else {
                long len = 0;
                for (Map.Entry<Object, Object> ignored : t.pairs()) {
                    len++;
                }
                encodeMapHeader(len, buf);
                for (Map.Entry<Object, Object> e : t.pairs()) {
                    encode(e.getKey(), level + 1, buf);
                    encode(e.getValue(), level + 1, buf);
                }
            }
        } else {
            buf.write(0xc0);
        }
    }

    /** table_is_an_array: every key a positive integer (fits an int) and max key == count. */
    private static boolean isArray(LuaTableView t) {
        long count = 0;
        double max = 0;
        for (Map.Entry<Object, Object> e : t.pairs()) {
            if (!(e.getKey() instanceof Double n) || n <= 0 || !isIntEquivalent(n)) {
                return false;
            }
            max = Math.max(n, max);
            count++;
        }
        return max == count;
    }

    private static boolean isIntEquivalent(double x) {
        return !Double.isInfinite(x) && !Double.isNaN(x) && x >= Integer.MIN_VALUE && x <= Integer.MAX_VALUE
                && (int) x == x;
    }

    private static boolean isInt64Equivalent(double x) {
        return !Double.isInfinite(x) && !Double.isNaN(x) && x >= -9.223372036854775808E18
                && x < 9.223372036854775808E18 && (long) x == x;
    }

    private static void encodeNumber(double n, ByteArrayOutputStream buf) {
        if (isInt64Equivalent(n)) {
            encodeInt((long) n, buf);
        } else {
            float f = (float) n;
            if (n == (double) f) {
                buf.write(0xca);
                writeBE(Integer.toUnsignedLong(Float.floatToRawIntBits(f)), 4, buf);
            } else {
                buf.write(0xcb);
                writeBE(Double.doubleToRawLongBits(n), 8, buf);
            }
        }
    }

    private static void encodeInt(long n, ByteArrayOutputStream buf) {
        if (n >= 0) {
            if (n <= 127) {
                buf.write((int) n);
            } else if (n <= 0xff) {
                buf.write(0xcc);
                writeBE(n, 1, buf);
            } else if (n <= 0xffff) {
                buf.write(0xcd);
                writeBE(n, 2, buf);
            } else if (n <= 0xffffffffL) {
                buf.write(0xce);
                writeBE(n, 4, buf);
            } else {
                buf.write(0xcf);
                writeBE(n, 8, buf);
            }
        } else {
            if (n >= -32) {
                buf.write((int) n & 0xff);
            } else if (n >= -128) {
                buf.write(0xd0);
                writeBE(n, 1, buf);
            } else if (n >= -32768) {
                buf.write(0xd1);
                writeBE(n, 2, buf);
            } else if (n >= -2147483648L) {
                buf.write(0xd2);
                writeBE(n, 4, buf);
            } else {
                buf.write(0xd3);
                writeBE(n, 8, buf);
            }
        }
    }

    private static void encodeBytes(byte[] s, ByteArrayOutputStream buf) {
        long len = s.length;
        if (len < 32) {
            buf.write(0xa0 | (int) len);
        } else if (len <= 0xff) {
            buf.write(0xd9);
            writeBE(len, 1, buf);
        } else if (len <= 0xffff) {
            buf.write(0xda);
            writeBE(len, 2, buf);
        } else {
            buf.write(0xdb);
            writeBE(len, 4, buf);
        }
        buf.writeBytes(s);
    }

    private static void encodeArrayHeader(long n, ByteArrayOutputStream buf) {
        if (n <= 15) {
            buf.write(0x90 | (int) n);
        } else if (n <= 0xffff) {
            buf.write(0xdc);
            writeBE(n, 2, buf);
        } else {
            buf.write(0xdd);
            writeBE(n, 4, buf);
        }
    }

    private static void encodeMapHeader(long n, ByteArrayOutputStream buf) {
        if (n <= 15) {
            buf.write(0x80 | (int) n);
        } else if (n <= 0xffff) {
            buf.write(0xde);
            writeBE(n, 2, buf);
        } else {
            buf.write(0xdf);
            writeBE(n, 4, buf);
        }
    }

    private static void writeBE(long v, int size, ByteArrayOutputStream buf) {
        for (int i = size - 1; i >= 0; i--) {
            buf.write((int) (v >>> (8 * i)));
        }
    }

    // ---- unpack --------------------------------------------------------------------------------------------

    private static final class EofError extends RuntimeException {
        EofError() {
            super(null, null, false, false);
        }
    }

    private static final class BadFormatError extends RuntimeException {
        BadFormatError() {
            super(null, null, false, false);
        }
    }

    private static final class Cursor {
        final byte[] s;
        int p;
        final int end;

        Cursor(byte[] s, int p) {
            this.s = s;
            this.p = p;
            this.end = s.length;
        }

        int left() {
            return end - p;
        }

        void need(long n) {
            if (left() < n) {
                throw new EofError();
            }
        }

        long be(int at, int size) {
            long v = 0;
            for (int i = 0; i < size; i++) {
                v = (v << 8) | (s[p + at + i] & 0xff);
            }
            return v;
        }

        byte[] take(int skip, long len) {
            need(skip + len);
            byte[] out = new byte[(int) len];
            System.arraycopy(s, p + skip, out, 0, (int) len);
            p += skip + (int) len;
            return out;
        }
    }

    private static Object decode(Cursor c) {
        c.need(1);
        int b = c.s[c.p] & 0xff;
        switch (b) {
            case 0xcc:
                c.need(2);
                return num(c, 1, c.be(1, 1));
            case 0xd0:
                c.need(2);
                return num(c, 1, (byte) c.be(1, 1));
            case 0xcd:
                c.need(3);
                return num(c, 2, c.be(1, 2));
            case 0xd1:
                c.need(3);
                return num(c, 2, (short) c.be(1, 2));
            case 0xce:
                c.need(5);
                return num(c, 4, c.be(1, 4));
            case 0xd2:
                c.need(5);
                return num(c, 4, (int) c.be(1, 4));
            case 0xcf:
                // Redis's copy pushes the 64 bits as a signed integer: 2^64-1 reads as -1
                c.need(9);
                return num(c, 8, c.be(1, 8));
            case 0xd3:
                c.need(9);
                return num(c, 8, c.be(1, 8));
            case 0xc0:
                c.p++;
                return null;
            case 0xc3:
                c.p++;
                return Boolean.TRUE;
            case 0xc2:
                c.p++;
                return Boolean.FALSE;
            case 0xca: {
                c.need(5);
                double d = Float.intBitsToFloat((int) c.be(1, 4));
                c.p += 5;
                return d;
            }
            case 0xcb: {
                c.need(9);
                double d = Double.longBitsToDouble(c.be(1, 8));
                c.p += 9;
                return d;
            }
            case 0xd9: {
                c.need(2);
                return c.take(2, c.be(1, 1));
            }
            case 0xda: {
                c.need(3);
                return c.take(3, c.be(1, 2));
            }
            case 0xdb: {
                c.need(5);
                return c.take(5, c.be(1, 4));
            }
            case 0xdc: {
                c.need(3);
                long n = c.be(1, 2);
                c.p += 3;
                return array(c, n);
            }
            case 0xdd: {
                c.need(5);
                long n = c.be(1, 4);
                c.p += 5;
                return array(c, n);
            }
            case 0xde: {
                c.need(3);
                long n = c.be(1, 2);
                c.p += 3;
                return map(c, n);
            }
            case 0xdf: {
                c.need(5);
                long n = c.be(1, 4);
                c.p += 5;
                return map(c, n);
            }
            default:
                if ((b & 0x80) == 0) {
                    c.p++;
                    return (double) b;
                } else if ((b & 0xe0) == 0xe0) {
                    c.p++;
                    return (double) (byte) b;
                } else if ((b & 0xe0) == 0xa0) {
                    return c.take(1, b & 0x1f);
                } else if ((b & 0xf0) == 0x90) {
                    c.p++;
                    return array(c, b & 0xf);
                } else if ((b & 0xf0) == 0x80) {
                    c.p++;
                    return map(c, b & 0xf);
                }
                throw new BadFormatError();
        }
    }

    private static Object num(Cursor c, int size, long v) {
        c.p += 1 + size;
        return (double) v;
    }

    private static LuaTableData array(Cursor c, long n) {
        LuaTableData t = new LuaTableData();
        for (long j = 1; j <= n; j++) {
            Object v = decode(c);
            t.append((double) j, v);
        }
        return t;
    }

    private static LuaTableData map(Cursor c, long n) {
        LuaTableData t = new LuaTableData();
        for (long j = 0; j < n; j++) {
            Object k = decode(c);
            Object v = decode(c);
            if (k == null) {
                throw new LuaLibError("table index is nil");
            }
            if (k instanceof Double d && Double.isNaN(d)) {
                throw new LuaLibError("table index is NaN");
            }
            t.rawSet(k, v);
        }
        return t;
    }

    static Object[] unpackFull(Object[] args, long limit, long offset) {
        String function = "unpack";
        byte[] s = LuaArgs.checkString(args, 1, function);
        long len = s.length;
        boolean decodeAll = limit == 0 && offset == 0;
        if (offset < 0 || limit < 0) {
            throw new LuaLibError("Invalid request to unpack with offset of " + (int) offset + " and limit of "
                    + (int) len + ".");
        } else if (offset > len) {
            throw new LuaLibError("Start offset " + (int) offset + " greater than input length " + (int) len + ".");
        }
        if (decodeAll) {
            limit = Integer.MAX_VALUE;
        }
        Cursor c = new Cursor(s, (int) offset);
        List<Object> out = new ArrayList<>();
        for (long cnt = 0; c.left() > 0 && cnt < limit; cnt++) {
            try {
                out.add(decode(c));
            } catch (EofError e) {
                throw new LuaLibError("Missing bytes in input.");
            } catch (BadFormatError e) {
                throw new LuaLibError("Bad data format in input.");
            }
        }
        if (!decodeAll) {
            long newOffset = len - c.left();
            out.add(0, (double) (c.left() == 0 ? -1 : newOffset));
        }
        return out.toArray();
    }

    /** cmsgpack.unpack(data) for Java callers: every top-level value. */
    public static Object[] unpack(byte[] data) {
        return unpackFull(new Object[] {data}, 0, 0);
    }
}
