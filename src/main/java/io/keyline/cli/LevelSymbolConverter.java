package io.keyline.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** Redis's level marks: {@code .} debug, {@code -} verbose, {@code *} notice, {@code #} warning. */
public final class LevelSymbolConverter extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        Level l = event.getLevel();
        if (l.isGreaterOrEqual(Level.WARN)) return "#";
        if (l.isGreaterOrEqual(Level.INFO)) return "*";
        return ".";
    }
}
