package io.keyline.cli;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LogbackServiceProvider;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import ch.qos.logback.core.util.StatusPrinter;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The launcher's SLF4J provider: Logback, set up by {@link LogConfigurator#apply} directly. Logback's own
 * provider gets there through its auto-configuration (service look-ups on the class path, version checks
 * that read property files, status messages built by string concatenation, and a status printer whose
 * date format initialises {@code java.time.format}): ~0.05-0.1 s of the main thread before the first PING.
 * With {@code -Dlogback.configurationFile} (or {@code -Dlogback.scmoFile}) that auto-configuration runs as
 * Logback's provider would run it.
 * A {@code logback.xml} on the class path is not looked for: the launcher runs {@code java -jar}, whose
 * class path is the jar alone, and the jar has none.
 */
public final class LauncherLogging implements SLF4JServiceProvider {
    private static final String PROVIDER_PROPERTY = "slf4j.provider";

    private final LoggerContext context = new LoggerContext();
    private final IMarkerFactory markers = new BasicMarkerFactory();
    // Made here, not in initialize(): SLF4J asks for the MDC adapter before it initialises the provider.
    private final LogbackMDCAdapter mdc = new LogbackMDCAdapter();

    /**
     * Makes SLF4J bind this provider when it sets itself up, unless the command line chose one
     * ({@code -Dslf4j.provider}). Call it before anything gets a logger.
     */
    static void select() {
        if (System.getProperty(PROVIDER_PROPERTY) != null) return;
        System.setProperty(PROVIDER_PROPERTY, LauncherLogging.class.getName());
        // SLF4J announces an explicitly chosen provider at its INFO verbosity, on stderr, at every start.
        if (System.getProperty("slf4j.internal.verbosity") == null) System.setProperty("slf4j.internal.verbosity", "WARN");
    }

    @Override
    public void initialize() {
        context.setName(CoreConstants.DEFAULT_CONTEXT_NAME);
        context.setMDCAdapter(mdc);
        if (System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY) != null
                || System.getProperty(ClassicConstants.MODEL_CONFIG_FILE_PROPERTY) != null) {
            try {
                new ContextInitializer(context).autoConfig();
            } catch (JoranException e) {
                System.err.println("keyline-server: failed to configure Logback: " + e.getMessage());
            }
        } else {
            LogConfigurator.apply(context);
        }
        // As Logback's provider does: without a status listener, problems are printed, and only problems.
        if (!StatusUtil.contextHasStatusListener(context) && new StatusUtil(context).getHighestLevel(0) >= Status.WARN) {
            StatusPrinter.printInCaseOfErrorsOrWarnings(context);
        }
        context.start();
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return context;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return LogbackServiceProvider.REQUESTED_API_VERSION;
    }
}
