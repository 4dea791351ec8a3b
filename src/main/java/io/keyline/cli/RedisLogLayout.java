package io.keyline.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Redis's log line layout: {@code pid:M 25 Nov 2026 21:44:33.934 * message}, with the level mark
 * {@code .} debug, {@code *} notice, {@code #} warning. Written as a layout rather than a pattern
 * so start-up does not pay for pattern parsing.
 */
public final class RedisLogLayout extends LayoutBase<ILoggingEvent> {
    private static final String PID = Long.toString(ProcessHandle.current().pid());
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss.SSS", Locale.ENGLISH).withZone(ZoneId.systemDefault());

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder sb = new StringBuilder(128);
        sb.append(PID).append(":M ").append(TIME.format(Instant.ofEpochMilli(event.getTimeStamp()))).append(' ');
        Level l = event.getLevel();
        sb.append(l.isGreaterOrEqual(Level.WARN) ? '#' : l.isGreaterOrEqual(Level.INFO) ? '*' : '.');
        sb.append(' ').append(event.getFormattedMessage()).append('\n');
        IThrowableProxy t = event.getThrowableProxy();
        if (t != null) sb.append(ThrowableProxyUtil.asString(t)).append('\n');
        return sb.toString();
    }
}
