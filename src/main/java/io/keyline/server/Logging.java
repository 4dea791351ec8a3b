package io.keyline.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.keyline.config.Config;
import org.slf4j.LoggerFactory;

/**
 * Maps Redis's {@code loglevel} names onto the level of Keyline's own loggers ({@code io.keyline.*}).
 * Only that hierarchy is touched, never the root or another library's logger, so an application that
 * embeds Keyline keeps its logging configuration. Works only when Logback is the SLF4J backend; with
 * any other backend (or none) the level is left to the application's configuration.
 */
public final class Logging {
    /** The logger hierarchy {@code loglevel} governs. */
    public static final String KEYLINE_LOGGERS = "io.keyline";

    private static final boolean LOGBACK_PRESENT = classPresent("ch.qos.logback.classic.LoggerContext");

    private Logging() {
    }

    /** Sets the level of {@code io.keyline} from a Redis loglevel name; a no-op without Logback. */
    public static void applyLevel(String redisLevel) {
        if (LOGBACK_PRESENT) LogbackLevels.apply(redisLevel);
    }

    /**
     * Applies later changes of {@code loglevel} (CONFIG SET), not the value it has now: a server
     * embedded with the default configuration must not override the level the application gave
     * {@code io.keyline}. The launcher and {@code EmbeddedKeyline} apply an explicit start-up level.
     */
    public static void followChanges(Config config) {
        LevelListener listener = new LevelListener();
        config.onChange(listener, "loglevel");
        listener.registered = true;
    }

    /** Applies loglevel changes after its registration; a class rather than a lambda (a start-up cost). */
    private static final class LevelListener implements java.util.function.BiConsumer<String, String> {
        private volatile boolean registered;

        @Override
        public void accept(String name, String level) {
            if (registered) applyLevel(level);
        }
    }

    private static boolean classPresent(String name) {
        try {
            Class.forName(name, false, Logging.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Holds every Logback reference, so it is loaded only when Logback is on the class path. */
    private static final class LogbackLevels {
        static void apply(String redisLevel) {
            // Logback present but not the bound backend (e.g. another provider won): leave it alone.
            if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) return;
            Level level = switch (redisLevel) {
                case "debug", "verbose" -> Level.DEBUG;
                case "warning" -> Level.WARN;
                case "nothing" -> Level.OFF;
                default -> Level.INFO;
            };
            ctx.getLogger(KEYLINE_LOGGERS).setLevel(level);
        }
    }
}
