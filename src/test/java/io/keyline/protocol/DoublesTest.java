package io.keyline.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis 7.2's d2string / fpconv_dtoa output. The expected strings were produced by Redis's own C
 * code (fpconv_dtoa.c with its cached-powers table) for these inputs.
 */
class DoublesTest {
    @Test
    void specialValues() {
        assertThat(Doubles.format(Double.POSITIVE_INFINITY)).isEqualTo("inf");
        assertThat(Doubles.format(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
        assertThat(Doubles.format(Double.NaN)).isEqualTo("nan");
        assertThat(Doubles.format(0.0)).isEqualTo("0");
        assertThat(Doubles.format(-0.0)).isEqualTo("-0");
    }

    @Test
    void integralValuesPrintAsIntegersUpTo2To62() {
        assertThat(Doubles.format(1)).isEqualTo("1");
        assertThat(Doubles.format(-3)).isEqualTo("-3");
        assertThat(Doubles.format(1e15)).isEqualTo("1000000000000000");
        assertThat(Doubles.format(1e17)).isEqualTo("100000000000000000");
        assertThat(Doubles.format(1e18)).isEqualTo("1000000000000000000");
        assertThat(Doubles.format(4.611686018427387904e18)).isEqualTo("4611686018427387904");
        assertThat(Doubles.format(-4.611686018427387904e18)).isEqualTo("-4611686018427387904");
        // Above 2^62 fpconv takes over.
        assertThat(Doubles.format(9.2e18)).isEqualTo("9.2e+18");
        assertThat(Doubles.format(1e19)).isEqualTo("1e+19");
        assertThat(Doubles.format(1.2345678901234567e19)).isEqualTo("12345678901234567000");
    }

    @Test
    void fractionsAreShortestRoundTrip() {
        assertThat(Doubles.format(1.5)).isEqualTo("1.5");
        assertThat(Doubles.format(0.1)).isEqualTo("0.1");
        assertThat(Doubles.format(0.2)).isEqualTo("0.2");
        assertThat(Doubles.format(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(Doubles.format(1.0 / 3)).isEqualTo("0.3333333333333333");
        assertThat(Doubles.format(2.0 / 3)).isEqualTo("0.6666666666666666");
        assertThat(Doubles.format(100.5)).isEqualTo("100.5");
        assertThat(Doubles.format(3.14159)).isEqualTo("3.14159");
        assertThat(Doubles.format(-2.5)).isEqualTo("-2.5");
        assertThat(Doubles.format(123456789012345678.5)).isEqualTo("123456789012345680");
    }

    @Test
    void exponentLayout() {
        assertThat(Doubles.format(1e20)).isEqualTo("1e+20");
        assertThat(Doubles.format(1e21)).isEqualTo("1e+21");
        assertThat(Doubles.format(1e22)).isEqualTo("1e+22");
        assertThat(Doubles.format(1e-5)).isEqualTo("0.00001");
        assertThat(Doubles.format(1e-6)).isEqualTo("0.000001");
        assertThat(Doubles.format(1e-7)).isEqualTo("1e-7");
        assertThat(Doubles.format(1.5e-7)).isEqualTo("1.5e-7");
        assertThat(Doubles.format(-1.5e300)).isEqualTo("-1.5e+300");
        assertThat(Doubles.format(Double.MAX_VALUE)).isEqualTo("1.7976931348623157e+308");
        assertThat(Doubles.format(Double.MIN_NORMAL)).isEqualTo("2.2250738585072014e-308");
        assertThat(Doubles.format(Double.MIN_VALUE)).isEqualTo("5e-324");
    }

    @Test
    void formattedValuesReadBackAsTheSameDouble() {
        Random random = new Random(1);
        for (int i = 0; i < 200_000; i++) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (Double.isNaN(d)) continue;
            String s = Doubles.format(d);
            assertThat(Doubles.parse(s.getBytes(StandardCharsets.US_ASCII))).as(s).isEqualTo(d);
        }
    }

    @Test
    void parseAcceptsWhatStrtodAccepts() {
        assertThat(parse("1")).isEqualTo(1.0);
        assertThat(parse("+1")).isEqualTo(1.0);
        assertThat(parse("-1.5")).isEqualTo(-1.5);
        assertThat(parse(".5")).isEqualTo(0.5);
        assertThat(parse("5.")).isEqualTo(5.0);
        assertThat(parse("1e3")).isEqualTo(1000.0);
        assertThat(parse("1E-2")).isEqualTo(0.01);
        assertThat(parse("inf")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(parse("+inf")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(parse("-INF")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(parse("Infinity")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(parse("0x10")).isEqualTo(16.0);
        assertThat(parse("0X1p-2")).isEqualTo(0.25);
        assertThat(parse("0x.8")).isEqualTo(0.5);
        assertThat(parse("4.9e-324")).isEqualTo(Double.MIN_VALUE);
        assertThat(parse("1e-320")).isEqualTo(1e-320);
        assertThat(parse("-0")).isEqualTo(-0.0);
    }

    @Test
    void parseRejectsWhatRedisRejects() {
        for (String bad : new String[]{"", " 1", "1 ", "\t1", "1e", "1e+", "nan", "NaN", "1d", "1f", "0x", "+", "-", ".",
                "1_0", "1e400", "-1e400", "1e-400", "0x1p99999", "abc", "1,5", "++1", "infx"}) {
            assertThat(parse(bad)).as("'%s'", bad).isNull();
        }
    }

    private static Double parse(String s) {
        return Doubles.parse(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
