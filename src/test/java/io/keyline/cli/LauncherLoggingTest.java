package io.keyline.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

import static org.assertj.core.api.Assertions.assertThat;

class LauncherLoggingTest {
    /** The launcher's set-up: Redis's layout on the console, root at INFO, Netty at WARN. */
    @Test
    void applySetsRedisLayoutOnTheConsole() {
        LoggerContext ctx = new LoggerContext();
        LogConfigurator.apply(ctx);
        ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        assertThat(ctx.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
        ConsoleAppender<?> console = (ConsoleAppender<?>) root.getAppender("console");
        assertThat(console).isNotNull();
        assertThat(((LayoutWrappingEncoder<?>) console.getEncoder()).getLayout()).isInstanceOf(RedisLogLayout.class);
        ctx.stop();
    }

    /** A logback-test.xml on the class path (this test's) still wins over the launcher's set-up, as it did before. */
    @Test
    void providerDefersToALogbackFileOnTheClassPath() {
        LauncherLogging provider = new LauncherLogging();
        assertThat(provider.getMDCAdapter()).isNotNull(); // SLF4J asks for it before initialize()
        provider.initialize();
        LoggerContext ctx = (LoggerContext) provider.getLoggerFactory();
        assertThat(ctx.isStarted()).isTrue();
        ConsoleAppender<?> console = (ConsoleAppender<?>) ctx.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().next();
        assertThat(((LayoutWrappingEncoder<?>) console.getEncoder()).getLayout()).isNotInstanceOf(RedisLogLayout.class);
        assertThat(provider.getMarkerFactory()).isNotNull();
        assertThat(provider.getRequestedApiVersion()).startsWith("2.");
        ctx.stop();
    }
}
