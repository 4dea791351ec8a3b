package io.keyline.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NettyStartupLoggingTest {
    private static final String NAME = "io.keyline.cli.NettyStartupLoggingTest.netty";
    private final Logger logback = (Logger) LoggerFactory.getLogger(NAME);
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private InternalLoggerFactory nettyDefault;

    @BeforeEach
    void captureLogback() {
        nettyDefault = InternalLoggerFactory.getDefaultFactory();
        events.start();
        logback.addAppender(events);
        logback.setLevel(Level.DEBUG);
        logback.setAdditive(false);
    }

    @AfterEach
    void restore() {
        logback.detachAppender(events);
        logback.setLevel(null);
        logback.setAdditive(true);
        InternalLoggerFactory.setDefaultFactory(nettyDefault);
    }

    private List<String> messages() {
        return events.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }

    @Test
    void debugBeforeReadyIsDroppedAndDebugAfterReadyIsForwarded() {
        NettyStartupLogging factory = new NettyStartupLogging();
        InternalLogger logger = factory.newInstance(NAME);
        assertFalse(logger.isDebugEnabled(), "no level is known to be on before SLF4J is set up");
        logger.debug("early {}", 1);
        logger.trace("early trace");
        assertEquals(List.of(), messages());

        factory.ready();
        assertTrue(logger.isDebugEnabled());
        logger.debug("late {}", 2);
        assertEquals(List.of("DEBUG late 2"), messages());
    }

    @Test
    void warningBeforeReadyWaitsForSlf4jAndIsNotLost() throws Exception {
        NettyStartupLogging factory = new NettyStartupLogging();
        InternalLogger logger = factory.newInstance(NAME);
        CountDownLatch logged = new CountDownLatch(1);
        Thread warmUp = new Thread(() -> {
            logger.warn("native transport: {}", "unavailable");
            logged.countDown();
        });
        warmUp.start();
        assertFalse(logged.await(200, TimeUnit.MILLISECONDS), "the warning waits for SLF4J's set-up");
        assertEquals(List.of(), messages());

        factory.ready();
        assertTrue(logged.await(10, TimeUnit.SECONDS));
        warmUp.join();
        assertEquals(List.of("WARN native transport: unavailable"), messages());
    }

    @Test
    void installMakesNettysLoggersDeferredUntilReadyAndSlf4jsOwnAfter() {
        NettyStartupLogging factory = NettyStartupLogging.install();
        assertTrue(InternalLoggerFactory.getInstance(NAME) instanceof NettyStartupLogging.Deferred);
        factory.ready();
        InternalLogger after = InternalLoggerFactory.getInstance(NAME);
        assertFalse(after instanceof NettyStartupLogging.Deferred);
        after.info("direct");
        assertEquals(List.of("INFO direct"), messages());
    }
}
