package io.keyline.command;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Work an event loop runs once, after the batch of reads it is processing and before it waits for
 * more, like Redis's {@code beforeSleep}. The server binds each of its event loops at start; on any
 * other thread {@link #runAfterBatch} declines and the caller does the work some other way.
 *
 * <p>The AOF uses it for {@code appendfsync always}: one write and fsync per batch covers every
 * client read in it, on the thread that holds their replies.
 */
public final class BatchEnd {
    private static final Logger log = LoggerFactory.getLogger(BatchEnd.class);
    private static final ThreadLocal<BatchEnd> CURRENT = new ThreadLocal<>();

    private final Executor loop;
    private final List<Runnable> pending = new ArrayList<>(2);
    private final Runnable runPending = this::runPending;

    private BatchEnd(Executor loop) {
        this.loop = loop;
    }

    /**
     * Called on an event loop's own thread: {@code loop.execute} from that thread queues a task that
     * runs after the I/O of the current iteration (Netty's loop runs I/O, then its task queue).
     */
    public static void bindCurrentThread(Executor loop) {
        CURRENT.set(new BatchEnd(loop));
    }

    /**
     * Runs {@code task} after the calling event loop's current batch; a task already pending for
     * this batch is not added twice. False when the calling thread is not a bound event loop.
     */
    public static boolean runAfterBatch(Runnable task) {
        BatchEnd b = CURRENT.get();
        if (b == null) return false;
        List<Runnable> p = b.pending;
        for (int i = 0; i < p.size(); i++) if (p.get(i) == task) return true;
        b.add(task);
        return true;
    }

    /** As {@link #runAfterBatch}, for callers that know {@code task} is not already pending. */
    public static boolean runAfterBatchOnce(Runnable task) {
        BatchEnd b = CURRENT.get();
        if (b == null) return false;
        b.add(task);
        return true;
    }

    private void add(Runnable task) {
        pending.add(task);
        if (pending.size() == 1) loop.execute(runPending);
    }

    private void runPending() {
        // Tasks added while these run go to the next round (a fresh execute), not into this loop.
        Runnable[] tasks = pending.toArray(new Runnable[0]);
        pending.clear();
        for (Runnable t : tasks) {
            try {
                t.run();
            } catch (RuntimeException e) {
                // The others still run: a connection whose flush was skipped would never send again.
                log.warn("A batch-end task failed", e);
            }
        }
    }
}
