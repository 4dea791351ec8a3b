package io.keyline.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClockTest {
    @Test
    void systemMicrosAgreeWithMillis() {
        long before = Clock.SYSTEM.millis();
        long micros = Clock.SYSTEM.micros();
        long after = Clock.SYSTEM.millis();
        assertThat(micros / 1000).isBetween(before - 1, after + 1);
    }

    @Test
    void aMillisecondClockReportsWholeMilliseconds() {
        Clock.Manual manual = new Clock.Manual(1_700_000_000_123L);
        assertThat(manual.micros()).isEqualTo(1_700_000_000_123_000L);
        manual.advance(1);
        assertThat(manual.micros()).isEqualTo(1_700_000_000_124_000L);
        Clock lambda = () -> 42L;
        assertThat(lambda.micros()).isEqualTo(42_000L);
    }
}
