package io.keyline.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * Redis's log line layout: {@code pid:M 25 Nov 2026 21:44:33.934 * message}, with the level mark
 * {@code .} debug, {@code *} notice, {@code #} warning. Written as a layout rather than a pattern
 * so start-up does not pay for pattern parsing, and the time by hand rather than with a
 * {@code DateTimeFormatter}: its month name ({@code MMM}) loads the JDK's CLDR locale data at the
 * first log line, ~80 classes on the way to the first PING.
 */
public final class RedisLogLayout extends LayoutBase<ILoggingEvent> {
    private static final String PID = Long.toString(ProcessHandle.current().pid());
    private static final ZoneId ZONE = ZoneId.systemDefault();
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder sb = new StringBuilder(128);
        sb.append(PID).append(":M ");
        appendTime(sb, event.getTimeStamp());
        sb.append(' ');
        Level l = event.getLevel();
        sb.append(l.isGreaterOrEqual(Level.WARN) ? '#' : l.isGreaterOrEqual(Level.INFO) ? '*' : '.');
        sb.append(' ').append(event.getFormattedMessage()).append('\n');
        IThrowableProxy t = event.getThrowableProxy();
        if (t != null) sb.append(ThrowableProxyUtil.asString(t)).append('\n');
        return sb.toString();
    }

    /** {@code dd MMM yyyy HH:mm:ss.SSS} in the system's time zone, English month names. */
    static void appendTime(StringBuilder sb, long epochMillis) {
        ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(ZONE);
        pad(sb, t.getDayOfMonth(), 2).append(' ').append(MONTHS[t.getMonthValue() - 1]).append(' ').append(t.getYear()).append(' ');
        pad(sb, t.getHour(), 2).append(':');
        pad(sb, t.getMinute(), 2).append(':');
        pad(sb, t.getSecond(), 2).append('.');
        pad(sb, t.getNano() / 1_000_000, 3);
    }

    private static StringBuilder pad(StringBuilder sb, int value, int width) {
        for (int limit = width == 3 ? 100 : 10; limit > 1 && value < limit; limit /= 10) sb.append('0');
        return sb.append(value);
    }
}
