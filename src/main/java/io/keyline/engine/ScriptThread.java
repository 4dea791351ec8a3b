package io.keyline.engine;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where scripts run, and the state of the one running script (Redis's {@code curr_run_ctx} of script.c).
 *
 * <p>A script holds every stripe lock while it runs (it is atomic), so it must not run on a Netty event
 * loop: the other connections of that loop could then never be answered, not even with BUSY. Commands
 * flagged {@link CommandSpec.Flag#SCRIPT_THREAD} (EVAL*, FCALL*) sent by a network client therefore run on
 * one dedicated thread while the calling connection is suspended ({@code Connection.detach}); inside MULTI,
 * during AOF replay or for an internal client they still run inline. The scripts a client pipelined right after
 * the first run in the same hand-off, one after the other (each its own command), and their replies go back together.
 *
 * <p>While a script runs, other commands wait (as in Redis, where the server is busy) until it ends or it has
 * run for {@code busy-reply-threshold} ms; then they are refused with BUSY, except the {@code allow-busy}
 * ones (SCRIPT KILL, FUNCTION KILL/STATS, SHUTDOWN, AUTH, HELLO, MULTI/EXEC/DISCARD...). Event loops never
 * wait without bound for a stripe the script holds ({@link Dispatcher} polls it and gives up with BUSY).
 *
 * <p>The running-script API ({@link #started}, {@link #wrote}, {@link #ended}, {@link #kill}, {@link #isRunning},
 * {@link #name}, {@link #durationMillis}) is what the Lua engine, SCRIPT KILL, FUNCTION KILL and FUNCTION STATS use.
 */
public final class ScriptThread implements java.util.concurrent.Executor {
    public static final String BUSY_EVAL =
            "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
    public static final String BUSY_FUNCTION =
            "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
    public static final String NOTBUSY = "NOTBUSY No scripts in execution right now.";
    public static final String UNKILLABLE = "UNKILLABLE Sorry the script already executed write commands against the "
            + "dataset. You can either wait the script termination or kill the server in a hard way using the "
            + "SHUTDOWN NOSAVE command.";
    /** The error a killed script raises, as Redis's luaMaskCountHook. */
    public static final String KILLED = "ERR Script killed by user with SCRIPT KILL...";

    private final ServerContext server;
    private volatile ExecutorService executor;
    private volatile Thread thread;

    /** The thread running a script, null when none runs (the one field others poll on every command). */
    private volatile Thread running;
    private volatile String name;
    /** The running script's command (FUNCTION STATS shows it). */
    private volatile byte[][] command;
    private volatile boolean function;
    private volatile long startNanos;
    private volatile boolean wrote;
    private volatile boolean killed;
    private volatile boolean shuttingDown;
    /** Threads waiting in {@link #awaitIdleOrBusy} (ended() notifies only when there are some). */
    private volatile int waiters;
    private final Object idle = new Object();

    ScriptThread(ServerContext server) {
        this.server = server;
    }

    // ---- the thread ---------------------------------------------------------------------------

    /** Runs {@code work} on the script thread (created on first use, one for the server's life). */
    @Override
    public void execute(Runnable work) {
        ExecutorService e = executor;
        if (e == null) e = start();
        e.execute(work);
    }

    private synchronized ExecutorService start() {
        if (executor == null) {
            // One thread, an unbounded FIFO queue: scripts run one after another in arrival order.
            executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "keyline-script");
                t.setDaemon(true);
                thread = t;
                return t;
            });
        }
        return executor;
    }

    /** True on the script thread. */
    public boolean onScriptThread() {
        return Thread.currentThread() == thread;
    }

    /**
     * Server stop (SHUTDOWN NOSAVE, or the embedder's stop): a running script is stopped even if it wrote
     * (its effects are not logged, see {@link #shuttingDown()}), and the thread ends.
     */
    public void shutdown() {
        shuttingDown = true;
        ExecutorService e = executor;
        if (e == null) return;
        e.shutdown();
        try {
            if (!e.awaitTermination(2, TimeUnit.SECONDS)) e.shutdownNow();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    /** True once the server is stopping: a script still running is aborted and its effects are not logged. */
    public boolean shuttingDown() {
        return shuttingDown;
    }

    // ---- the running script ---------------------------------------------------------------------

    /** A script (or function, {@code isFunction}) starts on the current thread, its caller holding every stripe. */
    public void started(String scriptName, boolean isFunction, byte[][] argv) {
        name = scriptName;
        command = argv;
        function = isFunction;
        wrote = false;
        killed = false;
        startNanos = System.nanoTime();
        running = Thread.currentThread();
    }

    /** The running script called a write command: SCRIPT KILL can no longer stop it. */
    public void wrote() {
        wrote = true;
    }

    public void ended() {
        running = null;
        name = null;
        command = null;
        killed = false;
        if (waiters > 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /** The running script's command line (argv), or null. */
    public byte[][] command() {
        return command;
    }

    public boolean isRunning() {
        return running != null;
    }

    /** The running script's name (the SHA1 of an EVAL script, the function's name), null when none runs. */
    public String name() {
        return name;
    }

    public boolean isFunction() {
        return function;
    }

    /** How long the running script has run (0 when none runs). */
    public long durationMillis() {
        return running == null ? 0 : (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Polled by the running script (the Lua count hook): true once it must stop. */
    public boolean killRequested() {
        return killed || shuttingDown;
    }

    /**
     * SCRIPT KILL ({@code byFunctionKill} false) or FUNCTION KILL, as Redis's scriptKill: null when the
     * script was told to stop (reply +OK), else the error to reply.
     */
    public String kill(boolean byFunctionKill) {
        if (running == null) return NOTBUSY;
        if (wrote) return UNKILLABLE;
        if (!byFunctionKill && function) return BUSY_FUNCTION; // SCRIPT KILL may not kill a function
        if (byFunctionKill && !function) return BUSY_EVAL;     // nor FUNCTION KILL an EVAL script
        killed = true;
        return null;
    }

    // ---- what other clients see ------------------------------------------------------------------

    private long thresholdNanos() {
        return Math.max(0, server.config().getLong("busy-reply-threshold")) * 1_000_000;
    }

    private String busyText() {
        return function ? BUSY_FUNCTION : BUSY_EVAL;
    }

    /**
     * The BUSY error when a script runs on another thread for at least {@code busy-reply-threshold}
     * (Redis's isInsideYieldingLongCommand), else null.
     */
    public String busyError() {
        Thread r = running;
        if (r == null || r == Thread.currentThread()) return null;
        return System.nanoTime() - startNanos >= thresholdNanos() ? busyText() : null;
    }

    /**
     * For a command that is not allow-busy while a script runs elsewhere: waits until the script ends
     * (null) or has run for busy-reply-threshold (the BUSY error), as Redis's clients wait while the
     * server runs a script and get BUSY once it runs long.
     */
    String awaitIdleOrBusy() {
        Thread r = running;
        if (r == null || r == Thread.currentThread()) return null;
        synchronized (idle) {
            waiters++;
            try {
                while (running != null) {
                    long left = startNanos + thresholdNanos() - System.nanoTime();
                    if (left <= 0) return busyText();
                    // ended() notifies; the bounded wait also covers a threshold lowered by CONFIG SET.
                    idle.wait(Math.max(1, Math.min(10, left / 1_000_000)));
                }
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return busyText();
            } finally {
                waiters--;
            }
        }
    }
}
