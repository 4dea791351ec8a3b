package io.keyline.engine;

import io.keyline.session.Client;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * CLIENT PAUSE / UNPAUSE, like Redis's {@code pauseActions}: while a pause is in effect, commands
 * that may change data (write and may-replicate commands such as PUBLISH and EVAL, or an EXEC whose
 * queue holds one) — or every command, in ALL mode — are postponed: their client stops processing
 * input and the command runs when the pause ends, in the order the clients were postponed. Active
 * expiry and eviction stop meanwhile and expired keys read as missing without being deleted, so the
 * dataset does not change under a paused server.
 */
public final class ClientPause {
    private static final int NONE = 0, WRITE = 1, ALL = 2;

    private final ServerContext server;
    private final Set<Client> postponed = new LinkedHashSet<>();
    private volatile int mode = NONE;
    private long endMillis;
    private ScheduledExecutorService timer;
    private ScheduledFuture<?> endTask;

    ClientPause(ServerContext server) {
        this.server = server;
    }

    /** True while any pause is in effect (the active expiry cycle and eviction skip their work). */
    public boolean paused() {
        return mode != NONE;
    }

    /**
     * CLIENT PAUSE: pauses until {@code endMillis} (a later end of an earlier pause is kept, as in
     * Redis); the mode is the new one's.
     */
    public synchronized void pause(long endMillis, boolean all, long nowMillis) {
        this.endMillis = mode == NONE ? endMillis : Math.max(this.endMillis, endMillis);
        mode = all ? ALL : WRITE;
        server.keyspace().expiryDeletionPaused(true);
        if (endTask != null) endTask.cancel(false);
        endTask = timer().schedule(this::endIfDue, Math.max(0, this.endMillis - nowMillis), TimeUnit.MILLISECONDS);
    }

    /** CLIENT UNPAUSE, or the pause's end: postponed clients run their commands. */
    public void unpause() {
        List<Client> resume;
        synchronized (this) {
            if (mode == NONE) return;
            mode = NONE;
            endMillis = 0;
            if (endTask != null) endTask.cancel(false);
            endTask = null;
            server.keyspace().expiryDeletionPaused(false);
            resume = new ArrayList<>(postponed);
            postponed.clear();
        }
        for (Client c : resume) c.unblock();
    }

    private void endIfDue() {
        synchronized (this) {
            if (mode == NONE || System.currentTimeMillis() < endMillis) {
                if (mode != NONE) endTask = timer().schedule(this::endIfDue, 1, TimeUnit.MILLISECONDS);
                return;
            }
        }
        unpause();
    }

    /**
     * Postpones {@code argv} of {@code c} if the pause covers it (Redis's processCommand check);
     * returns false when the command may run now.
     */
    boolean postponeIfPaused(Client c, CommandSpec spec, byte[][] argv, boolean mayReplicate) {
        int m = mode;
        if (m == NONE || (m == WRITE && !mayReplicate)) return false;
        synchronized (this) {
            m = mode;
            if (m == NONE || (m == WRITE && !mayReplicate)) return false;
            postponed.add(c);
            c.postpone(argv, this);
            return true;
        }
    }

    /** A postponed client went away: forget it. */
    synchronized void remove(Client c) {
        postponed.remove(c);
    }

    private ScheduledExecutorService timer() {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("keyline-pause-timer", true));
        }
        return timer;
    }

    /** Stops the timer (server shutdown). */
    public synchronized void shutdown() {
        if (timer != null) timer.shutdownNow();
        timer = null;
    }
}
