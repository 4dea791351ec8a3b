package io.keyline.util;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The unboxed fast path gives exactly (bit for bit, -0 included) what the full parser gives, or NaN where it fails. */
class DoubleParseFastPathTest {
    private static void same(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        Double full = DoubleFormat.parse(b);
        double fast = DoubleFormat.parseOrNaN(b);
        if (full == null) {
            assertThat(Double.isNaN(fast)).as(text).isTrue();
        } else {
            assertThat(Double.doubleToRawLongBits(fast)).as(text).isEqualTo(Double.doubleToRawLongBits(full));
        }
    }

    @Test
    void edgeCases() {
        for (String s : new String[] {"0", "-0", "+0", "-0.0", "5.", ".5", "-.5", ".", "-", "+", "", "1e3", "0x10",
            "inf", "-inf", "nan", " 1", "1 ", "1.2.3", "123456789012345", "1234567890123456", "0.000000000000001",
            "99999999999999.9", "3.14159265358979", "0.1", "0.3", "-2.5", "00012", "1_000", "9007199254740993"}) {
            same(s);
        }
    }

    @Test
    void randomDecimals() {
        Random rnd = new Random(7);
        for (int k = 0; k < 200_000; k++) {
            StringBuilder sb = new StringBuilder();
            if (rnd.nextInt(4) == 0) sb.append(rnd.nextBoolean() ? '-' : '+');
            int intDigits = rnd.nextInt(12);
            for (int i = 0; i < intDigits; i++) sb.append((char) ('0' + rnd.nextInt(10)));
            if (rnd.nextBoolean()) {
                sb.append('.');
                int frac = rnd.nextInt(10);
                for (int i = 0; i < frac; i++) sb.append((char) ('0' + rnd.nextInt(10)));
            }
            same(sb.toString());
        }
    }
}
