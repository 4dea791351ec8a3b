package io.keyline.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/** Maps Redis's {@code loglevel} names onto Logback's root level. */
public final class Logging {
    private Logging() {
    }

    public static void applyLevel(String redisLevel) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) return;
        Level level = switch (redisLevel) {
            case "debug" -> Level.DEBUG;
            case "verbose" -> Level.DEBUG;
            case "warning" -> Level.WARN;
            case "nothing" -> Level.OFF;
            default -> Level.INFO;
        };
        ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(level);
        ctx.getLogger("io.netty").setLevel(level == Level.DEBUG ? Level.INFO : level);
    }
}
