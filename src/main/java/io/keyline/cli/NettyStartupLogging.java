package io.keyline.cli;

import io.netty.util.internal.logging.AbstractInternalLogger;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.Slf4JLoggerFactory;

import java.util.concurrent.CountDownLatch;

/**
 * Netty's loggers while the launcher sets up SLF4J and Logback, so that Netty's warm-up
 * ({@link io.keyline.server.StartAhead#netty()}) can start at once instead of after that set-up: the main thread
 * waited for the warm-up at the bind (~0.02 s quiet, 0.1 s at load 6), and the set-up before it took 0.05-0.15 s.
 * Netty's classes take their loggers as they initialise; without this, the first one would set SLF4J up on the
 * warm-up thread while the main thread does the same (SLF4J then hands out substitute loggers and prints a replay
 * warning).
 *
 * <p>A logger made before {@link #ready()} drops trace and debug messages logged before it (and answers that those
 * levels are off), as the launcher's own configuration does (Netty's loggers at WARN); an info, warning or error
 * message waits for {@link #ready()} and then goes to SLF4J. After {@link #ready()} every such logger forwards to its
 * SLF4J logger, and Netty's loggers made later are SLF4J's own.
 */
final class NettyStartupLogging extends InternalLoggerFactory {
    private final CountDownLatch ready = new CountDownLatch(1);

    NettyStartupLogging() {
    }

    /** Makes Netty's loggers wait for {@link #ready()}: call it before any Netty class initialises. */
    static NettyStartupLogging install() {
        NettyStartupLogging factory = new NettyStartupLogging();
        InternalLoggerFactory.setDefaultFactory(factory);
        return factory;
    }

    /** SLF4J is set up (or failed to be): Netty logs through it from now on. */
    void ready() {
        InternalLoggerFactory.setDefaultFactory(Slf4JLoggerFactory.INSTANCE);
        ready.countDown();
    }

    private boolean isReady() {
        return ready.getCount() == 0;
    }

    @Override
    protected InternalLogger newInstance(String name) {
        return new Deferred(name, this);
    }

    /** Forwards to the SLF4J logger of its name once SLF4J is set up; see the class comment for before. */
    static final class Deferred extends AbstractInternalLogger {
        private static final long serialVersionUID = 1L;
        private final transient NettyStartupLogging factory;
        private transient volatile InternalLogger target;

        Deferred(String name, NettyStartupLogging factory) {
            super(name);
            this.factory = factory;
        }

        /** The SLF4J logger, or null while SLF4J is not set up yet. */
        private InternalLogger targetIfReady() {
            InternalLogger t = target;
            if (t == null && factory.isReady()) target = t = InternalLoggerFactory.getInstance(name());
            return t;
        }

        /** The SLF4J logger, waiting for the set-up if need be (info and above are not dropped). */
        private InternalLogger awaitTarget() {
            InternalLogger t = targetIfReady();
            if (t != null) return t;
            boolean interrupted = false;
            while (!factory.isReady()) {
                try {
                    factory.ready.await();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
            return targetIfReady();
        }

        @Override
        public boolean isTraceEnabled() {
            InternalLogger t = targetIfReady();
            return t != null && t.isTraceEnabled();
        }

        @Override
        public void trace(String msg) {
            InternalLogger t = targetIfReady();
            if (t != null) t.trace(msg);
        }

        @Override
        public void trace(String format, Object arg) {
            InternalLogger t = targetIfReady();
            if (t != null) t.trace(format, arg);
        }

        @Override
        public void trace(String format, Object argA, Object argB) {
            InternalLogger t = targetIfReady();
            if (t != null) t.trace(format, argA, argB);
        }

        @Override
        public void trace(String format, Object... arguments) {
            InternalLogger t = targetIfReady();
            if (t != null) t.trace(format, arguments);
        }

        @Override
        public void trace(String msg, Throwable error) {
            InternalLogger t = targetIfReady();
            if (t != null) t.trace(msg, error);
        }

        @Override
        public boolean isDebugEnabled() {
            InternalLogger t = targetIfReady();
            return t != null && t.isDebugEnabled();
        }

        @Override
        public void debug(String msg) {
            InternalLogger t = targetIfReady();
            if (t != null) t.debug(msg);
        }

        @Override
        public void debug(String format, Object arg) {
            InternalLogger t = targetIfReady();
            if (t != null) t.debug(format, arg);
        }

        @Override
        public void debug(String format, Object argA, Object argB) {
            InternalLogger t = targetIfReady();
            if (t != null) t.debug(format, argA, argB);
        }

        @Override
        public void debug(String format, Object... arguments) {
            InternalLogger t = targetIfReady();
            if (t != null) t.debug(format, arguments);
        }

        @Override
        public void debug(String msg, Throwable error) {
            InternalLogger t = targetIfReady();
            if (t != null) t.debug(msg, error);
        }

        @Override
        public boolean isInfoEnabled() {
            return awaitTarget().isInfoEnabled();
        }

        @Override
        public void info(String msg) {
            awaitTarget().info(msg);
        }

        @Override
        public void info(String format, Object arg) {
            awaitTarget().info(format, arg);
        }

        @Override
        public void info(String format, Object argA, Object argB) {
            awaitTarget().info(format, argA, argB);
        }

        @Override
        public void info(String format, Object... arguments) {
            awaitTarget().info(format, arguments);
        }

        @Override
        public void info(String msg, Throwable error) {
            awaitTarget().info(msg, error);
        }

        @Override
        public boolean isWarnEnabled() {
            return awaitTarget().isWarnEnabled();
        }

        @Override
        public void warn(String msg) {
            awaitTarget().warn(msg);
        }

        @Override
        public void warn(String format, Object arg) {
            awaitTarget().warn(format, arg);
        }

        @Override
        public void warn(String format, Object... arguments) {
            awaitTarget().warn(format, arguments);
        }

        @Override
        public void warn(String format, Object argA, Object argB) {
            awaitTarget().warn(format, argA, argB);
        }

        @Override
        public void warn(String msg, Throwable error) {
            awaitTarget().warn(msg, error);
        }

        @Override
        public boolean isErrorEnabled() {
            return awaitTarget().isErrorEnabled();
        }

        @Override
        public void error(String msg) {
            awaitTarget().error(msg);
        }

        @Override
        public void error(String format, Object arg) {
            awaitTarget().error(format, arg);
        }

        @Override
        public void error(String format, Object argA, Object argB) {
            awaitTarget().error(format, argA, argB);
        }

        @Override
        public void error(String format, Object... arguments) {
            awaitTarget().error(format, arguments);
        }

        @Override
        public void error(String msg, Throwable error) {
            awaitTarget().error(msg, error);
        }
    }
}
