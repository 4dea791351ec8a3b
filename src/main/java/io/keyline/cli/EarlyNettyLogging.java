package io.keyline.cli;

import io.netty.util.internal.logging.AbstractInternalLogger;
import io.netty.util.internal.logging.InternalLogLevel;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.Slf4JLoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Netty's logger factory in the launcher, so that Netty's warm-up ({@code StartAhead.netty()}) can start before
 * SLF4J is set up: the main thread waits for that warm-up (~0.055 s on a quiet machine) at the bind, and Logback's
 * set-up before it took another ~0.065 s. Netty's classes take their loggers as they initialise, and a logger taken
 * from SLF4J while another thread sets SLF4J up is one of SLF4J's substitutes (whose replay, measured on
 * 2026-12-07, made the start slower). Until {@link #ready}, this factory's loggers record each call instead, and
 * say every level is enabled so that nothing is left out; {@link #ready} replays the calls in order through SLF4J,
 * whose levels then drop them or not as they would have (the launcher's own set-up keeps {@code io.netty} at
 * WARN; with a {@code logback.xml} the lines appear, logged from the main thread), and from then on every logger
 * passes calls straight to SLF4J. Loggers made after that are SLF4J's own.
 */
final class EarlyNettyLogging extends InternalLoggerFactory {
    private static final Object LOCK = new Object();
    /** Calls made before {@link #ready}, in order; null once replayed. Guarded by {@link #LOCK}. */
    private static List<Call> pending = new ArrayList<>();
    private static volatile boolean ready;

    private EarlyNettyLogging() {
    }

    /**
     * Makes this Netty's logger factory. Returns false, changing nothing, when Netty already has one (a JVM that
     * ran a server before, e.g. a test) or when SLF4J is set to another provider (then Netty's own choice is kept).
     */
    static boolean install() {
        if (System.getProperty("slf4j.provider") != null) return false;
        try {
            InternalLoggerFactory.setDefaultFactory(new EarlyNettyLogging());
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** SLF4J is set up: replays the recorded calls and lets every logger through. Idempotent. */
    static void ready() {
        List<Call> calls;
        synchronized (LOCK) {
            if (ready) return;
            calls = pending;
            pending = null;
            ready = true;
            // Replayed under the lock, so that a call recorded just before is not passed by a later one.
            for (Call c : calls) c.replay();
        }
    }

    @Override
    protected InternalLogger newInstance(String name) {
        return ready ? slf4j(name) : new Early(name);
    }

    private static InternalLogger slf4j(String name) {
        // Slf4JLoggerFactory.INSTANCE is declared as the abstract factory, whose newInstance is protected.
        return ((Slf4JLoggerFactory) Slf4JLoggerFactory.INSTANCE).newInstance(name);
    }

    /** One recorded call: a message with arguments, or with a throwable (then {@code args} is null). */
    private record Call(Early logger, InternalLogLevel level, String message, Object[] args, Throwable thrown) {
        void replay() {
            InternalLogger target = logger.target();
            if (args != null) {
                target.log(level, message, args);
            } else if (thrown != null) {
                target.log(level, message, thrown);
            } else {
                target.log(level, message);
            }
        }
    }

    /** A logger made before {@link #ready}: records, then passes calls on to the SLF4J logger of its name. */
    private static final class Early extends AbstractInternalLogger {
        private static final Object[] NO_ARGS = {};
        private volatile InternalLogger target;

        Early(String name) {
            super(name);
        }

        InternalLogger target() {
            InternalLogger t = target;
            if (t == null) target = t = slf4j(name()); // the same logger if two threads race here
            return t;
        }

        /** Records the call and returns true, or returns false once calls go straight to {@link #target}. */
        private boolean record(InternalLogLevel level, String message, Object[] args, Throwable thrown) {
            if (ready) return false;
            synchronized (LOCK) {
                if (ready) return false;
                pending.add(new Call(this, level, message, args, thrown));
                return true;
            }
        }

        private boolean on(InternalLogLevel level) {
            return !ready || target().isEnabled(level);
        }

        private void at(InternalLogLevel level, String msg) {
            if (!record(level, msg, null, null)) target().log(level, msg);
        }

        private void at(InternalLogLevel level, String format, Object... args) {
            if (!record(level, format, args == null ? NO_ARGS : args, null)) target().log(level, format, args);
        }

        private void at(InternalLogLevel level, String msg, Throwable t) {
            if (!record(level, msg, null, t)) target().log(level, msg, t);
        }

        @Override
        public boolean isTraceEnabled() {
            return on(InternalLogLevel.TRACE);
        }

        @Override
        public void trace(String msg) {
            at(InternalLogLevel.TRACE, msg);
        }

        @Override
        public void trace(String format, Object arg) {
            at(InternalLogLevel.TRACE, format, arg);
        }

        @Override
        public void trace(String format, Object argA, Object argB) {
            at(InternalLogLevel.TRACE, format, argA, argB);
        }

        @Override
        public void trace(String format, Object... arguments) {
            at(InternalLogLevel.TRACE, format, arguments);
        }

        @Override
        public void trace(String msg, Throwable t) {
            at(InternalLogLevel.TRACE, msg, t);
        }

        @Override
        public boolean isDebugEnabled() {
            return on(InternalLogLevel.DEBUG);
        }

        @Override
        public void debug(String msg) {
            at(InternalLogLevel.DEBUG, msg);
        }

        @Override
        public void debug(String format, Object arg) {
            at(InternalLogLevel.DEBUG, format, arg);
        }

        @Override
        public void debug(String format, Object argA, Object argB) {
            at(InternalLogLevel.DEBUG, format, argA, argB);
        }

        @Override
        public void debug(String format, Object... arguments) {
            at(InternalLogLevel.DEBUG, format, arguments);
        }

        @Override
        public void debug(String msg, Throwable t) {
            at(InternalLogLevel.DEBUG, msg, t);
        }

        @Override
        public boolean isInfoEnabled() {
            return on(InternalLogLevel.INFO);
        }

        @Override
        public void info(String msg) {
            at(InternalLogLevel.INFO, msg);
        }

        @Override
        public void info(String format, Object arg) {
            at(InternalLogLevel.INFO, format, arg);
        }

        @Override
        public void info(String format, Object argA, Object argB) {
            at(InternalLogLevel.INFO, format, argA, argB);
        }

        @Override
        public void info(String format, Object... arguments) {
            at(InternalLogLevel.INFO, format, arguments);
        }

        @Override
        public void info(String msg, Throwable t) {
            at(InternalLogLevel.INFO, msg, t);
        }

        @Override
        public boolean isWarnEnabled() {
            return on(InternalLogLevel.WARN);
        }

        @Override
        public void warn(String msg) {
            at(InternalLogLevel.WARN, msg);
        }

        @Override
        public void warn(String format, Object arg) {
            at(InternalLogLevel.WARN, format, arg);
        }

        @Override
        public void warn(String format, Object... arguments) {
            at(InternalLogLevel.WARN, format, arguments);
        }

        @Override
        public void warn(String format, Object argA, Object argB) {
            at(InternalLogLevel.WARN, format, argA, argB);
        }

        @Override
        public void warn(String msg, Throwable t) {
            at(InternalLogLevel.WARN, msg, t);
        }

        @Override
        public boolean isErrorEnabled() {
            return on(InternalLogLevel.ERROR);
        }

        @Override
        public void error(String msg) {
            at(InternalLogLevel.ERROR, msg);
        }

        @Override
        public void error(String format, Object arg) {
            at(InternalLogLevel.ERROR, format, arg);
        }

        @Override
        public void error(String format, Object argA, Object argB) {
            at(InternalLogLevel.ERROR, format, argA, argB);
        }

        @Override
        public void error(String format, Object... arguments) {
            at(InternalLogLevel.ERROR, format, arguments);
        }

        @Override
        public void error(String msg, Throwable t) {
            at(InternalLogLevel.ERROR, msg, t);
        }
    }
}
