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
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The launcher's SLF4J provider: Logback, set up by {@link LogConfigurator#apply} directly. Logback's own
 * provider gets there through its auto-configuration (service look-ups on the class path, version checks
 * that read property files, status messages built by string concatenation, and a status printer whose
 * date format initialises {@code java.time.format}): ~0.05-0.1 s of the main thread before the first PING.
 * With {@code -Dlogback.configurationFile} (or {@code -Dlogback.scmoFile}), or a {@code logback.xml} or
 * {@code logback-test.xml} on the class path, that auto-configuration runs as Logback's provider would run it.
 */
public final class LauncherLogging implements SLF4JServiceProvider {
    private static final String PROVIDER_PROPERTY = "slf4j.provider";
    private static final String VERBOSITY_PROPERTY = "slf4j.internal.verbosity";

    private final LoggerContext context = new LoggerContext();
    private final IMarkerFactory markers = new BasicMarkerFactory();
    // Made here, not in initialize(): SLF4J asks for the MDC adapter before it initialises the provider.
    private final LogbackMDCAdapter mdc = new LogbackMDCAdapter();

    /**
     * Sets SLF4J up with this provider, unless the command line chose one ({@code -Dslf4j.provider}) or SLF4J
     * is set up already. Call it before anything gets a logger. The system properties that choose the
     * provider are set only while SLF4J reads them: a JVM that runs the launcher in-process (the tests)
     * would otherwise hand this provider to every SLF4J loaded later, with or without Logback.
     */
    static void bind() {
        boolean provider = System.getProperty(PROVIDER_PROPERTY) == null;
        // SLF4J announces an explicitly chosen provider at its INFO verbosity, on stderr, at every start.
        boolean verbosity = provider && System.getProperty(VERBOSITY_PROPERTY) == null;
        if (provider) System.setProperty(PROVIDER_PROPERTY, LauncherLogging.class.getName());
        if (verbosity) System.setProperty(VERBOSITY_PROPERTY, "WARN");
        try {
            LoggerFactory.getILoggerFactory();
        } finally {
            if (provider) System.clearProperty(PROVIDER_PROPERTY);
            if (verbosity) System.clearProperty(VERBOSITY_PROPERTY);
        }
    }

    @Override
    public void initialize() {
        context.setName(CoreConstants.DEFAULT_CONTEXT_NAME);
        context.setMDCAdapter(mdc);
        ClassLoader loader = LauncherLogging.class.getClassLoader();
        if (System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY) != null
                || System.getProperty(ClassicConstants.MODEL_CONFIG_FILE_PROPERTY) != null
                || loader.getResource(ClassicConstants.AUTOCONFIG_FILE) != null
                || loader.getResource(ClassicConstants.TEST_AUTOCONFIG_FILE) != null) {
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
