package io.keyline.scripting;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaValue;

/** Lua 5.1's "%.14g" number text; expected values printed by redis-server 7.0.15 ({@code return (x) .. ''}). */
class LuaNumberTextTest {
    private static final Object[][] CASES = {
        {1e15, "1e+15"}, {1.0 / 3, "0.33333333333333"}, {Math.pow(2, 53), "9.007199254741e+15"},
        {1e14, "1e+14"}, {99999999999999.0, "99999999999999"}, {1e-5, "1e-05"}, {0.0001, "0.0001"},
        {123456789012345678.0, "1.2345678901235e+17"}, {-1.5e-7, "-1.5e-07"}, {Math.pow(2, 63), "9.2233720368548e+18"},
        {5e-324, "4.9406564584125e-324"}, {Double.MAX_VALUE, "1.7976931348623e+308"}, {0.1 + 0.2, "0.3"},
        {100.5, "100.5"}, {-Math.pow(2, 31) - 0.5, "-2147483648.5"}, {1e100, "1e+100"}, {2.0 / 3, "0.66666666666667"},
        {12345.678901234567, "12345.678901235"}, {Double.POSITIVE_INFINITY, "inf"}, {Double.NEGATIVE_INFINITY, "-inf"},
        {Double.longBitsToDouble(0xFFF8000000000000L), "-nan"}, {Double.NaN, "nan"}, {-0.0, "-0"}, {0.0, "0"},
    };

    @Test
    void formatsAsLua51() {
        for (Object[] c : CASES) {
            assertThat(LuaNumberText.format((Double) c[0])).as("%s", c[0]).isEqualTo(c[1]);
        }
    }

    @Test
    void luajNumbersUseItThroughThePatchedLuaDouble() {
        // tools/PatchLuaNumbers.java rewrites LuaDouble.tojstring (process-classes); concatenation goes through it
        for (Object[] c : CASES) {
            LuaValue v = LuaValue.valueOf((Double) c[0]);
            assertThat(v.tojstring()).as("%s", c[0]).isEqualTo(c[1]);
            assertThat(LuaValue.valueOf("").concat(v).tojstring()).isEqualTo(c[1]);
        }
    }

    @Test
    void negativeZeroStaysADoubleThroughThePatchedLuaJ() {
        // tools/PatchLuaNumbers.java: LuaDouble.valueOf and LuaInteger.neg keep -0 a double, as Lua 5.1 does
        assertThat(LuaValue.valueOf(-0.0).isinttype()).isFalse();
        assertThat(LuaValue.valueOf(-0.0).tojstring()).isEqualTo("-0");
        assertThat(LuaValue.valueOf(0).neg().tojstring()).isEqualTo("-0");
        assertThat(LuaValue.valueOf(0.0).isinttype()).isTrue();
        assertThat(LuaValue.valueOf(-7).neg().isinttype()).isTrue();
        assertThat(LuaNumberText.isLuaInteger(-0.0)).isFalse();
        assertThat(LuaNumberText.isLuaInteger(3.0)).isTrue();
        assertThat(LuaNumberText.isLuaInteger(3.5)).isFalse();
    }

    @Test
    void zeroOverZeroIsX86sNegativeNaN() {
        // tools/PatchLuaNumbers.java gives LuaDouble's NaN constant the sign bit, as C's 0/0 on x86
        LuaValue nan = LuaValue.valueOf(0).div(LuaValue.valueOf(0));
        assertThat(nan.tojstring()).isEqualTo("-nan");
        assertThat(nan.neg().tojstring()).isEqualTo("nan");
        assertThat(LuaFormat.formatDouble("%f", 'f', nan.todouble())).isEqualTo("-nan");
    }
}
