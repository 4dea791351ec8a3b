package io.keyline.cli;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.TimeZone;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RedisLogLayoutTest {
    /**
     * The hand-written time is what the pattern Redis's log uses gives, in every month, at padded values,
     * across leap days and DST changes, in zones east and west of UTC and with half-hour offsets.
     */
    @Test
    void timeMatchesTheDateTimeFormatterPattern() {
        for (String id : new String[] {TimeZone.getDefault().getID(), "UTC", "America/New_York", "Asia/Kolkata",
                "Australia/Lord_Howe", "Pacific/Kiritimati", "Pacific/Pago_Pago"}) {
            TimeZone zone = TimeZone.getTimeZone(id);
            DateTimeFormatter pattern = DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss.SSS", Locale.ENGLISH)
                    .withZone(zone.toZoneId());
            long[] samples = {0L, 1_000L, -1L, 951_782_400_000L, 951_868_799_999L, 1_764_971_073_934L, 1_767_225_599_999L,
                1_700_000_000_005L, 1_709_251_200_050L, 1_710_054_000_000L, 1_730_613_600_000L, 4_107_542_400_000L};
            for (long ms : samples) check(pattern, ms, zone);
            for (int month = 0; month < 12; month++) check(pattern, 1_735_689_600_000L + month * 31L * 86_400_000L + 3_723_004L, zone);
            for (long ms = 946_684_800_000L; ms < 4_102_444_800_000L; ms += 86_400_000L * 7 + 3_600_000L + 61_001L) {
                check(pattern, ms, zone);
            }
        }
    }

    private static void check(DateTimeFormatter pattern, long ms, TimeZone zone) {
        StringBuilder sb = new StringBuilder();
        RedisLogLayout.appendTime(sb, ms, zone);
        assertEquals(pattern.format(Instant.ofEpochMilli(ms)), sb.toString(), "at " + ms + " in " + zone.getID());
    }
}
