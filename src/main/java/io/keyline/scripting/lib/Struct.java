package io.keyline.scripting.lib;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis's lua_struct.c (struct.pack, struct.unpack, struct.size) on x86-64 (little-endian native order, 8-byte
 * long and size_t, MAXALIGN 8, integers up to 32 bytes through a 64-bit accumulator).
 */
public final class Struct {
    private static final int BIG = 0;
    private static final int LITTLE = 1;
    private static final int NATIVE = LITTLE;
    private static final int MAXINTSIZE = 32;
    private static final int MAXALIGN = 8;

    private Struct() {
    }

    public static LuaModule module() {
        return new LuaModule("struct")
                .function("pack", Struct::pack)
                .function("unpack", Struct::unpack)
                .function("size", Struct::size);
    }

    /** The format cursor and header (endianness, alignment) of one call. */
    private static final class Fmt {
        final byte[] f;
        int i;
        int endian = NATIVE;
        int align = 1;

        Fmt(byte[] f) {
            this.f = f;
        }

        boolean more() {
            return i < f.length && f[i] != 0;
        }

        boolean digit() {
            return i < f.length && f[i] >= '0' && f[i] <= '9';
        }

        long getnum(long df) {
            if (!digit()) {
                return df;
            }
            long a = 0;
            do {
                if (a > (Integer.MAX_VALUE / 10) || a * 10 > (Integer.MAX_VALUE - (f[i] - '0'))) {
                    throw new LuaLibError("integral size overflow");
                }
                a = a * 10 + (f[i++] - '0');
            } while (digit());
            return a;
        }
    }

    private static long optsize(char opt, Fmt h, String function) {
        switch (opt) {
            case 'B', 'b', 'x':
                return 1;
            case 'H', 'h':
                return 2;
            case 'L', 'l', 'T', 'd':
                return 8;
            case 'f':
                return 4;
            case 'c':
                return h.getnum(1);
            case 'i', 'I': {
                long sz = h.getnum(4);
                if (sz > MAXINTSIZE) {
                    throw new LuaLibError("integral size " + sz + " is larger than limit of " + MAXINTSIZE);
                }
                return sz;
            }
            case 's', ' ', '<', '>', '!':
                return 0;
            default:
                throw LuaLibError.arg(1, function, "invalid format option '" + opt + "'");
        }
    }

    private static long gettoalign(long len, Fmt h, char opt, long size) {
        if (size == 0 || opt == 'c') {
            return 0;
        }
        if (size > h.align) {
            size = h.align;
        }
        return (size - (len & (size - 1))) & (size - 1);
    }

    private static void commoncases(char opt, Fmt h) {
        switch (opt) {
            case ' ':
                return;
            case '>':
                h.endian = BIG;
                return;
            case '<':
                h.endian = LITTLE;
                return;
            case '!': {
                long a = h.getnum(MAXALIGN);
                if (!(a > 0 && (a & (a - 1)) == 0)) {
                    throw new LuaLibError("alignment " + a + " is not a power of 2");
                }
                h.align = (int) a;
                return;
            }
            default:
                throw new IllegalStateException("struct: unexpected option " + opt);
        }
    }

    /** C's (uint64_t) conversion of a double as gcc emits it on x86-64 (cvttsd2si, 0x8000... on overflow). */
    static long doubleToUint64(double n) {
        if (n < 0) {
            return cvttsd2si(n);
        }
        if (n < 9.223372036854775808E18) {
            return cvttsd2si(n);
        }
        return cvttsd2si(n - 9.223372036854775808E18) ^ Long.MIN_VALUE;
    }

    private static long cvttsd2si(double x) {
        if (Double.isNaN(x) || x >= 9.223372036854775808E18 || x < -9.223372036854775808E18) {
            return Long.MIN_VALUE;
        }
        return (long) x;
    }

    static double uint64ToDouble(long v) {
        if (v >= 0) {
            return (double) v;
        }
        // round-to-nearest like C's (double)uint64_t
        double d = (double) (v >>> 1 | (v & 1)) * 2.0;
        return d;
    }

    public static Object[] pack(Object[] args) {
        byte[] format = LuaArgs.checkString(args, 1, "pack");
        Fmt h = new Fmt(format);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int arg = 2;
        long totalsize = 0;
        while (h.more()) {
            char opt = (char) (format[h.i++] & 0xff);
            long size = optsize(opt, h, "pack");
            long toalign = gettoalign(totalsize, h, opt, size);
            totalsize += toalign;
            while (toalign-- > 0) {
                b.write(0);
            }
            switch (opt) {
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I': {
                    double n = checkNumber(args, arg++);
                    long value = n < 0 ? cvttsd2si(n) : doubleToUint64(n);
                    byte[] buff = new byte[(int) size];
                    if (h.endian == LITTLE) {
                        for (int i = 0; i < size; i++) {
                            buff[i] = (byte) value;
                            value >>>= 8;
                        }
                    } else {
                        for (int i = (int) size - 1; i >= 0; i--) {
                            buff[i] = (byte) value;
                            value >>>= 8;
                        }
                    }
                    b.writeBytes(buff);
                    break;
                }
                case 'x':
                    b.write(0);
                    break;
                case 'f': {
                    float f = (float) checkNumber(args, arg++);
                    writeOrdered(b, Integer.toUnsignedLong(Float.floatToRawIntBits(f)), 4, h.endian);
                    break;
                }
                case 'd': {
                    double d = checkNumber(args, arg++);
                    writeOrdered(b, Double.doubleToRawLongBits(d), 8, h.endian);
                    break;
                }
                case 'c', 's': {
                    byte[] s = checkString(args, arg++);
                    long l = s.length;
                    if (size == 0) {
                        size = l;
                    }
                    if (l < size) {
                        throw LuaLibError.arg(arg, "pack", "string too short");
                    }
                    b.write(s, 0, (int) size);
                    if (opt == 's') {
                        b.write(0);
                        size++;
                    }
                    break;
                }
                default:
                    commoncases(opt, h);
            }
            totalsize += size;
        }
        return new Object[] {b.toByteArray()};
    }

    // b_pack pushes a nil mark after the arguments: a missing argument reads as nil, not "no value"
    private static double checkNumber(Object[] args, int n) {
        Double d = LuaArgs.toNumber(LuaArgs.arg(args, n));
        if (d == null) {
            throw LuaLibError.arg(n, "pack", "number expected, got " + LuaArgs.typeName(LuaArgs.arg(args, n)));
        }
        return d;
    }

    private static byte[] checkString(Object[] args, int n) {
        Object v = LuaArgs.arg(args, n);
        if (v instanceof byte[] || v instanceof Double) {
            return LuaArgs.checkString(args, n, "pack");
        }
        throw LuaLibError.arg(n, "pack", "string expected, got " + LuaArgs.typeName(v));
    }

    private static void writeOrdered(ByteArrayOutputStream b, long bits, int size, int endian) {
        if (endian == LITTLE) {
            for (int i = 0; i < size; i++) {
                b.write((int) (bits >>> (8 * i)));
            }
        } else {
            for (int i = size - 1; i >= 0; i--) {
                b.write((int) (bits >>> (8 * i)));
            }
        }
    }

    private static long readOrdered(byte[] data, int pos, int size, int endian) {
        long l = 0;
        if (endian == BIG) {
            for (int i = 0; i < size; i++) {
                l = (l << 8) | (data[pos + i] & 0xff);
            }
        } else {
            for (int i = size - 1; i >= 0; i--) {
                l = (l << 8) | (data[pos + i] & 0xff);
            }
        }
        return l;
    }

    public static Object[] unpack(Object[] args) {
        byte[] format = LuaArgs.checkString(args, 1, "unpack");
        byte[] data = LuaArgs.checkString(args, 2, "unpack");
        long ld = data.length;
        long pos = LuaArgs.optInteger(args, 3, "unpack", 1);
        if (pos <= 0) {
            throw LuaLibError.arg(3, "unpack", "offset must be 1 or greater");
        }
        pos--;
        Fmt h = new Fmt(format);
        List<Object> out = new ArrayList<>();
        Object dataArg = LuaArgs.arg(args, 2);
        while (h.more()) {
            char opt = (char) (format[h.i++] & 0xff);
            long size = optsize(opt, h, "unpack");
            pos += gettoalign(pos, h, opt, size);
            if (!(pos + size <= ld)) {
                throw LuaLibError.arg(2, "unpack", "data string too short");
            }
            switch (opt) {
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I': {
                    boolean signed = Character.isLowerCase(opt);
                    long l = readOrdered(data, (int) pos, (int) size, h.endian);
                    double res;
                    if (!signed) {
                        res = uint64ToDouble(l);
                    } else {
                        long mask = -1L << ((size * 8 - 1) & 63);
                        if ((l & mask) != 0) {
                            l |= mask;
                        }
                        res = (double) l;
                    }
                    out.add(res);
                    break;
                }
                case 'x':
                    break;
                case 'f': {
                    long bits = readOrdered(data, (int) pos, 4, h.endian);
                    out.add((double) Float.intBitsToFloat((int) bits));
                    break;
                }
                case 'd': {
                    long bits = readOrdered(data, (int) pos, 8, h.endian);
                    out.add(Double.longBitsToDouble(bits));
                    break;
                }
                case 'c': {
                    if (size == 0) {
                        Object previous = out.isEmpty() ? dataArg : out.get(out.size() - 1);
                        Double n = LuaArgs.toNumber(previous);
                        if (n == null) {
                            throw new LuaLibError("format 'c0' needs a previous size");
                        }
                        size = doubleToUint64(n);
                        if (!out.isEmpty()) {
                            out.remove(out.size() - 1);
                        }
                        if (!(pos + size <= ld) || size < 0) {
                            throw LuaLibError.arg(2, "unpack", "data string too short");
                        }
                    }
                    byte[] s = new byte[(int) size];
                    System.arraycopy(data, (int) pos, s, 0, (int) size);
                    out.add(s);
                    break;
                }
                case 's': {
                    int e = -1;
                    for (int k = (int) pos; k < ld; k++) {
                        if (data[k] == 0) {
                            e = k;
                            break;
                        }
                    }
                    if (e < 0) {
                        throw new LuaLibError("unfinished string in data");
                    }
                    size = (e - pos) + 1;
                    byte[] s = new byte[(int) (size - 1)];
                    System.arraycopy(data, (int) pos, s, 0, s.length);
                    out.add(s);
                    break;
                }
                default:
                    commoncases(opt, h);
            }
            pos += size;
        }
        out.add((double) (pos + 1));
        return out.toArray();
    }

    public static Object[] size(Object[] args) {
        byte[] format = LuaArgs.checkString(args, 1, "size");
        Fmt h = new Fmt(format);
        long pos = 0;
        while (h.more()) {
            char opt = (char) (format[h.i++] & 0xff);
            long size = optsize(opt, h, "size");
            pos += gettoalign(pos, h, opt, size);
            if (opt == 's') {
                throw LuaLibError.arg(1, "size", "option 's' has no fixed size");
            } else if (opt == 'c' && size == 0) {
                throw LuaLibError.arg(1, "size", "option 'c0' has no fixed size");
            }
            if (!Character.isLetterOrDigit(opt)) {
                commoncases(opt, h);
            }
            pos += size;
        }
        return new Object[] {(double) pos};
    }
}
