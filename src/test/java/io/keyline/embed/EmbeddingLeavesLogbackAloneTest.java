package io.keyline.embed;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application that embeds Keyline keeps its Logback configuration: starting a server, CONFIG SET
 * loglevel and stopping it change only the {@code io.keyline} loggers, never the root logger, its
 * appenders or the application's own loggers.
 */
class EmbeddingLeavesLogbackAloneTest {
    private final LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger appLogger = ctx.getLogger("com.example.shop.Checkout");
    private final Logger keylineLoggers = ctx.getLogger("io.keyline");
    private final ListAppender<ILoggingEvent> rootEvents = new ListAppender<>();
    private final ListAppender<ILoggingEvent> appEvents = new ListAppender<>();

    // What the test class path's logback-test.xml set up, restored afterwards for the other tests.
    private Level savedRootLevel;
    private final List<Appender<ILoggingEvent>> savedRootAppenders = new ArrayList<>();
    private Level savedNettyLevel;

    @BeforeEach
    void configureLogbackLikeAnApplication() {
        savedRootLevel = root.getLevel();
        root.iteratorForAppenders().forEachRemaining(savedRootAppenders::add);
        savedRootAppenders.forEach(a -> root.detachAppender(a));
        savedNettyLevel = ctx.getLogger("io.netty").getLevel();
        keylineLoggers.setLevel(null);

        rootEvents.setContext(ctx);
        rootEvents.setName("application-root");
        rootEvents.start();
        root.setLevel(Level.WARN);
        root.addAppender(rootEvents);

        appEvents.setContext(ctx);
        appEvents.setName("application-checkout");
        appEvents.start();
        appLogger.setLevel(Level.INFO);
        appLogger.setAdditive(false);
        appLogger.addAppender(appEvents);
    }

    @AfterEach
    void restoreTestLogging() {
        root.detachAppender(rootEvents);
        savedRootAppenders.forEach(root::addAppender);
        root.setLevel(savedRootLevel);
        appLogger.detachAppender(appEvents);
        appLogger.setLevel(null);
        appLogger.setAdditive(true);
        keylineLoggers.setLevel(null);
    }

    private void assertApplicationConfigurationUnchanged() {
        assertThat(root.getLevel()).isEqualTo(Level.WARN);
        List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
        root.iteratorForAppenders().forEachRemaining(appenders::add);
        assertThat(appenders).containsExactly(rootEvents);
        assertThat(rootEvents.isStarted()).isTrue();
        assertThat(appLogger.getLevel()).isEqualTo(Level.INFO);
        assertThat(appLogger.isAdditive()).isFalse();
        assertThat(appLogger.getAppender("application-checkout")).isSameAs(appEvents);
        assertThat(ctx.getLogger("io.netty").getLevel()).isEqualTo(savedNettyLevel);
    }

    @Test
    void startConfigSetLoglevelAndStopTouchOnlyKeylineLoggers() {
        try (EmbeddedKeyline keyline = EmbeddedKeyline.start();
             Jedis jedis = new Jedis(keyline.host(), keyline.port())) {
            assertApplicationConfigurationUnchanged();
            assertThat(keylineLoggers.getLevel()).as("no loglevel configured: io.keyline left unset").isNull();

            jedis.configSet("loglevel", "debug");
            assertThat(keylineLoggers.getLevel()).isEqualTo(Level.DEBUG);
            assertApplicationConfigurationUnchanged();

            jedis.configSet("loglevel", "verbose");
            assertThat(keylineLoggers.getLevel()).isEqualTo(Level.DEBUG);
            assertApplicationConfigurationUnchanged();

            jedis.configSet("loglevel", "warning");
            assertThat(keylineLoggers.getLevel()).isEqualTo(Level.WARN);
            jedis.configSet("loglevel", "notice"); // INFO: the stop message below gets through
        }
        assertApplicationConfigurationUnchanged();

        // Keyline logs through the application's appenders, and the application's logger still works.
        assertThat(rootEvents.list).anySatisfy(e -> {
            assertThat(e.getLoggerName()).startsWith("io.keyline.");
            assertThat(e.getFormattedMessage()).contains("ready to exit");
        });
        appLogger.info("order placed");
        assertThat(appEvents.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("order placed");
        assertThat(rootEvents.list).noneMatch(e -> e.getLoggerName().startsWith("com.example"));
    }

    @Test
    void anExplicitLoglevelSetsOnlyKeylineLoggers() {
        try (EmbeddedKeyline keyline = EmbeddedKeyline.builder().config("loglevel", "warning").start()) {
            assertThat(keylineLoggers.getLevel()).isEqualTo(Level.WARN);
            assertApplicationConfigurationUnchanged();
        }
        assertThat(rootEvents.list).noneMatch(e -> e.getLoggerName().startsWith("io.keyline.") && e.getLevel() == Level.INFO);
    }
}
