package io.keyline.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import io.keyline.util.ProcessId;

import java.util.TimeZone;

/**
 * Redis's log line layout: {@code pid:M 25 Nov 2026 21:44:33.934 * message}, with the level mark
 * {@code .} debug, {@code *} notice, {@code #} warning. Written as a layout rather than a pattern
 * so start-up does not pay for pattern parsing, and the time by hand rather than with a
 * {@code DateTimeFormatter}: its month name ({@code MMM}) loads the JDK's CLDR locale data at the
 * first log line, ~80 classes on the way to the first PING. The zone offset comes from
 * {@link TimeZone}, not {@code java.time}: a {@code ZoneId} reads and indexes the time-zone database
 * a second time (java.time's own provider, ~40 classes, 0.02-0.08 s before the first log line).
 */
public final class RedisLogLayout extends LayoutBase<ILoggingEvent> {
    private static final String PID = Long.toString(ProcessId.current());
    private static final TimeZone ZONE = TimeZone.getDefault();
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder sb = new StringBuilder(128);
        sb.append(PID).append(":M ");
        appendTime(sb, event.getTimeStamp(), ZONE);
        sb.append(' ');
        Level l = event.getLevel();
        sb.append(l.isGreaterOrEqual(Level.WARN) ? '#' : l.isGreaterOrEqual(Level.INFO) ? '*' : '.');
        sb.append(' ').append(event.getFormattedMessage()).append('\n');
        IThrowableProxy t = event.getThrowableProxy();
        if (t != null) sb.append(ThrowableProxyUtil.asString(t)).append('\n');
        return sb.toString();
    }

    /** {@code dd MMM yyyy HH:mm:ss.SSS} in {@code zone}, English month names. */
    static void appendTime(StringBuilder sb, long epochMillis, TimeZone zone) {
        long local = epochMillis + zone.getOffset(epochMillis);
        long days = Math.floorDiv(local, 86_400_000L);
        int msOfDay = (int) Math.floorMod(local, 86_400_000L);
        // Civil date from days since 1970-01-01 (proleptic Gregorian; H. Hinnant's days_from_civil inverse).
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        pad(sb, day, 2).append(' ').append(MONTHS[month - 1]).append(' ').append(year).append(' ');
        pad(sb, msOfDay / 3_600_000, 2).append(':');
        pad(sb, msOfDay / 60_000 % 60, 2).append(':');
        pad(sb, msOfDay / 1000 % 60, 2).append('.');
        pad(sb, msOfDay % 1000, 3);
    }

    private static StringBuilder pad(StringBuilder sb, int value, int width) {
        for (int limit = width == 3 ? 100 : 10; limit > 1 && value < limit; limit /= 10) sb.append('0');
        return sb.append(value);
    }
}
