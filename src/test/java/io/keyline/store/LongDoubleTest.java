package io.keyline.store;

import io.keyline.util.Bytes;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Expected texts come from Redis 7 (x87 long double, %.17Lf, trailing zeros stripped). */
class LongDoubleTest {
    private static String add(String a, String b) {
        LongDouble.Value x = LongDouble.parse(Bytes.of(a));
        LongDouble.Value y = LongDouble.parse(Bytes.of(b));
        return LongDouble.format(LongDouble.add(x, y));
    }

    @Test
    void decimalSumsReadAsTyped() {
        assertThat(add("10.5", "0.1")).isEqualTo("10.6");
        assertThat(add("0.1", "0.2")).isEqualTo("0.3");
        assertThat(add("3", "-3")).isEqualTo("0");
        assertThat(add("5.0e3", "2.0e2")).isEqualTo("5200");
        assertThat(add("1", "-1.5")).isEqualTo("-0.5");
    }

    @Test
    void precisionNoiseMatchesLongDouble() {
        // 12345678901234567.1 is not representable in 64 mantissa bits.
        assertThat(add("0", "12345678901234567.1")).isEqualTo("12345678901234567.09960937500000000".replaceAll("0+$", ""));
        assertThat(add("1", "-0.0000000000000000001")).isEqualTo("1");
        assertThat(add("0", "-0.0000000000000000001")).isEqualTo("0");
    }

    @Test
    void parsesLikeStrtold() {
        assertThat(LongDouble.parse(Bytes.of("abc"))).isNull();
        assertThat(LongDouble.parse(Bytes.of(" 1"))).isNull();
        assertThat(LongDouble.parse(Bytes.of("1 "))).isNull();
        assertThat(LongDouble.parse(Bytes.of(""))).isNull();
        assertThat(LongDouble.parse(Bytes.of("nan"))).isNull();
        assertThat(LongDouble.parse(Bytes.of("1e5000"))).isNull();
        assertThat(LongDouble.parse(Bytes.of("1e-5000"))).isNull();
        assertThat(LongDouble.parse(Bytes.of("inf")).isInfinite()).isTrue();
        assertThat(LongDouble.parse(Bytes.of("-Infinity")).infinity()).isEqualTo(-1);
        assertThat(add("0x10", "0")).isEqualTo("16");
        assertThat(add("0x1.8p1", "0")).isEqualTo("3");
        assertThat(add(".5", "5.")).isEqualTo("5.5");
        assertThat(LongDouble.add(LongDouble.parse(Bytes.of("inf")), LongDouble.parse(Bytes.of("-inf")))).isNull();
    }
}
