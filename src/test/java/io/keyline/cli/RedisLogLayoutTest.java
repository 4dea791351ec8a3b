package io.keyline.cli;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RedisLogLayoutTest {
    /** The hand-written time is what the pattern Redis's log uses gives, in every month and at padded values. */
    @Test
    void timeMatchesTheDateTimeFormatterPattern() {
        DateTimeFormatter pattern = DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss.SSS", Locale.ENGLISH)
                .withZone(ZoneId.systemDefault());
        long[] samples = {0L, 1_000L, 1_764_971_073_934L, 1_767_225_599_999L, 1_700_000_000_005L, 1_709_251_200_050L};
        for (long ms : samples) check(pattern, ms);
        for (int month = 0; month < 12; month++) check(pattern, 1_735_689_600_000L + month * 31L * 86_400_000L + 3_723_004L);
    }

    private static void check(DateTimeFormatter pattern, long ms) {
        StringBuilder sb = new StringBuilder();
        RedisLogLayout.appendTime(sb, ms);
        assertEquals(pattern.format(Instant.ofEpochMilli(ms)), sb.toString(), "at " + ms);
    }
}
