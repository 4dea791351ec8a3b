package io.keyline.cli;

import io.keyline.server.KeylineServer;
import org.slf4j.Logger;
import sun.misc.Signal;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SIGTERM and SIGINT for the command-line server, as Redis's sigShutdownHandler: the first one stops the
 * server in order (AOF flushed, RDB saved if save points are set) and exits with status 0; a second SIGINT
 * while that runs ends the process at once with status 1 ("You insist... exiting now."). A signal while
 * the data set is still loading exits 0 without waiting for the load, as Redis does.
 *
 * <p>Why signal handlers rather than a JVM shutdown hook: a hook runs after the JVM has decided to exit
 * with status 143, cannot change it (System.exit inside a hook blocks for ever), and a hook that
 * waits for anything an exiting thread holds deadlocks the JVM. The handler runs on its own thread
 * ("SIGTERM handler") outside the JVM's shutdown sequence, does the orderly stop, and then calls
 * System.exit(0) like the SHUTDOWN command does. A shutdown hook is kept as the fallback for the other
 * ways a JVM ends (SIGHUP, an embedder's System.exit) and does nothing once the server is stopped.
 */
final class ShutdownSignals {
    private ShutdownSignals() {
    }

    static void install(KeylineServer server, Logger log) {
        AtomicBoolean shuttingDown = new AtomicBoolean();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), new Handler(server, log, name, shuttingDown));
            } catch (IllegalArgumentException e) {
                // the JVM reserves the signal (e.g. -Xrs): the shutdown hook below still stops the server
                log.debug("Cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(new Hook(server, log), "keyline-shutdown-hook"));
    }

    /*
     * The handler and the hook are classes rather than lambdas: they are installed on the way to the first PING,
     * where each lambda's call site cost ~0.3-0.5 ms to link (bench/results/2026-12-07-startup8.md).
     */

    private static final class Handler implements sun.misc.SignalHandler {
        private final KeylineServer server;
        private final Logger log;
        private final String name;
        private final AtomicBoolean shuttingDown;

        Handler(KeylineServer server, Logger log, String name, AtomicBoolean shuttingDown) {
            this.server = server;
            this.log = log;
            this.name = name;
            this.shuttingDown = shuttingDown;
        }

        @Override
        public void handle(Signal sig) {
            onSignal(server, log, name, shuttingDown);
        }
    }

    private static final class Hook implements Runnable {
        private final KeylineServer server;
        private final Logger log;

        Hook(KeylineServer server, Logger log) {
            this.server = server;
            this.log = log;
        }

        @Override
        public void run() {
            if (!server.stopped() && !server.context().loading()) {
                log.warn("Received shutdown signal, scheduling shutdown...");
                server.stop();
            }
        }
    }

    private static void onSignal(KeylineServer server, Logger log, String name, AtomicBoolean shuttingDown) {
        if (!shuttingDown.compareAndSet(false, true)) {
            if ("INT".equals(name)) {
                log.warn("You insist... exiting now.");
                Runtime.getRuntime().halt(1); // not a clean shutdown, as Redis's exit(1)
            }
            return; // a repeated SIGTERM: the first one's shutdown is under way
        }
        if (server.context().loading()) {
            // start() holds the server's lock until the load ends; nothing is written yet, so nothing to save.
            log.warn("Received shutdown signal during loading, scheduling shutdown.");
            Runtime.getRuntime().halt(0);
        }
        log.warn("Received SIG{} scheduling shutdown...", name);
        try {
            server.stop();
        } catch (RuntimeException | Error e) {
            log.warn("Error during shutdown", e);
        }
        System.exit(0);
    }
}
