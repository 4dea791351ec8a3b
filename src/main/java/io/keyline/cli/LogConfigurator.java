package io.keyline.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The launcher's Logback set-up, registered through {@code META-INF/services} in keyline-server.jar only
 * (src/launcher/resources, added by the shade plugin), so the library jar never configures an
 * embedding application's Logback. One console appender with
 * {@link RedisLogLayout}, root at INFO (changed by {@code loglevel}). Avoids XML parsing at start-up;
 * a {@code logback.xml} on the class path or {@code -Dlogback.configurationFile} still wins.
 *
 * <p>No {@code @ConfiguratorRank}: Logback tries the configurators registered as services before its
 * own whatever their rank, and this is the only one in the jar; reading the annotation cost start-up
 * a generated proxy class (and the JDK's class-file library to write it) on the way to the first PING.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext ctx) {
        if (System.getProperty("logback.configurationFile") != null
                || LogConfigurator.class.getClassLoader().getResource("logback.xml") != null
                || LogConfigurator.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        RedisLogLayout layout = new RedisLogLayout();
        layout.setContext(ctx);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(ctx);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(ctx);
        console.setName("console");
        console.setEncoder(encoder);
        console.start();
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        ctx.getLogger("io.netty").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
