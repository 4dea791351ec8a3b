package io.keyline.store.type;

import io.keyline.store.type.StreamValue.Id;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Id#bytes()} writes digits directly; it must equal the unsigned "ms-seq" text for every value. */
class StreamIdBytesTest {
    private static String text(Id id) {
        return new String(id.bytes(), StandardCharsets.US_ASCII);
    }

    @Test
    void boundaries() {
        long[] edges = {0, 1, 9, 10, 99, 100, 999_999_999, 1_000_000_000, 1_733_456_789_012L,
                Long.MAX_VALUE - 1, Long.MAX_VALUE, Long.MIN_VALUE, -2L, -1L};
        for (long ms : edges) {
            for (long seq : edges) {
                assertThat(text(new Id(ms, seq)))
                        .isEqualTo(Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq));
            }
        }
        assertThat(text(Id.MAX)).isEqualTo("18446744073709551615-18446744073709551615");
        assertThat(text(Id.ZERO)).isEqualTo("0-0");
    }

    @Test
    void randomValues() {
        Random r = new Random(13);
        for (int i = 0; i < 20_000; i++) {
            long ms = r.nextLong() >>> r.nextInt(64);
            long seq = r.nextLong() >>> r.nextInt(64);
            Id id = new Id(ms, seq);
            assertThat(text(id)).isEqualTo(id.toString());
        }
    }
}
