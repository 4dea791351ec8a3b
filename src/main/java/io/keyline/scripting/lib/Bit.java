package io.keyline.scripting.lib;

/** LuaBitOp 1.0.2 (lua_bit.c): 32-bit operations on Lua numbers, results as signed 32-bit numbers. */
public final class Bit {
    private Bit() {
    }

    public static LuaModule module() {
        return new LuaModule("bit")
                .function("tobit", a -> ret(barg(a, 1, "tobit")))
                .function("bnot", a -> ret(~barg(a, 1, "bnot")))
                .function("band", a -> fold(a, "band", 0))
                .function("bor", a -> fold(a, "bor", 1))
                .function("bxor", a -> fold(a, "bxor", 2))
                .function("lshift", a -> ret(barg(a, 1, "lshift") << (barg(a, 2, "lshift") & 31)))
                .function("rshift", a -> ret(barg(a, 1, "rshift") >>> (barg(a, 2, "rshift") & 31)))
                .function("arshift", a -> ret(barg(a, 1, "arshift") >> (barg(a, 2, "arshift") & 31)))
                .function("rol", a -> ret(Integer.rotateLeft(barg(a, 1, "rol"), barg(a, 2, "rol") & 31)))
                .function("ror", a -> ret(Integer.rotateRight(barg(a, 1, "ror"), barg(a, 2, "ror") & 31)))
                .function("bswap", a -> ret(Integer.reverseBytes(barg(a, 1, "bswap"))))
                .function("tohex", Bit::tohex);
    }

    /** barg: the number plus 2^52+2^51, low 32 bits of the double (rounds to nearest, wraps modulo 2^32). */
    public static int tobit(double n) {
        return (int) Double.doubleToRawLongBits(n + 6755399441055744.0);
    }

    private static int barg(Object[] args, int n, String function) {
        return tobit(LuaArgs.checkNumber(args, n, function));
    }

    private static Object[] ret(int b) {
        return new Object[] {(double) b};
    }

    private static Object[] fold(Object[] args, String function, int op) {
        int b = barg(args, 1, function);
        for (int i = args.length; i > 1; i--) {
            int x = barg(args, i, function);
            b = op == 0 ? b & x : op == 1 ? b | x : b ^ x;
        }
        return ret(b);
    }

    private static Object[] tohex(Object[] args) {
        int b = barg(args, 1, "tohex");
        int n = LuaArgs.isNone(args, 2) ? 8 : barg(args, 2, "tohex");
        String hexdigits = "0123456789abcdef";
        if (n < 0) {
            n = -n;
            hexdigits = "0123456789ABCDEF";
        }
        if (n > 8) {
            n = 8;
        }
        byte[] buf = new byte[Math.max(n, 0)];
        for (int i = n; --i >= 0; ) {
            buf[i] = (byte) hexdigits.charAt(b & 15);
            b >>>= 4;
        }
        return new Object[] {buf};
    }
}
