package io.keyline.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.concurrent.Executor;

/**
 * Work an event loop runs once, after the batch of reads it is processing and before it waits for
 * more, like Redis's {@code beforeSleep}. The server binds each of its event loops at start; on any
 * other thread {@link #runAfterBatch} declines and the caller does the work some other way.
 *
 * <p>Two kinds of work, in Redis's order: first the shared tasks ({@link #runAfterBatch}: the AOF's
 * write, and with {@code appendfsync always} its fsync), then the per-connection ones
 * ({@link #flushAfterBatch}: sending the replies). So no reply of a batch leaves before the
 * commands of that batch are in the AOF.
 */
public final class BatchEnd {
    private static final Logger log = LoggerFactory.getLogger(BatchEnd.class);
    private static final ThreadLocal<BatchEnd> CURRENT = new ThreadLocal<>();

    private final Executor loop;
    /** Shared tasks, each at most once per batch; a few at most, so a linear check is cheap. */
    private ArrayList<Runnable> shared = new ArrayList<>(2);
    /** One per connection with replies to send; the caller keeps them unique. */
    private ArrayList<Runnable> flushes = new ArrayList<>();
    /**
     * The lists being run: each round swaps them with the pending ones, so tasks added meanwhile go to
     * the next round without a copy of the list per batch (an unpipelined batch is a request or two, and
     * the copy was 3 MB of the 130 MB a JFR recording of 180,000 SET/INCR/LPOP sampled).
     */
    private ArrayList<Runnable> runningShared = new ArrayList<>(2);
    private ArrayList<Runnable> runningFlushes = new ArrayList<>();
    private boolean scheduled;
    private final Runnable runPending = new RunPending();

    /** A class rather than a method reference, linked at the first batch on the way to the first PING (~0.3-0.5 ms). */
    private final class RunPending implements Runnable {
        @Override
        public void run() {
            runPending();
        }
    }

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
     * Runs {@code task} after the calling event loop's current batch, before any flush; a task
     * already pending is not added twice. False when the calling thread is not a bound event loop.
     */
    public static boolean runAfterBatch(Runnable task) {
        BatchEnd b = CURRENT.get();
        if (b == null) return false;
        ArrayList<Runnable> s = b.shared;
        for (int i = 0; i < s.size(); i++) if (s.get(i) == task) return true;
        s.add(task);
        b.schedule();
        return true;
    }

    /**
     * Runs {@code flush} after the batch's shared tasks. The caller knows it is not already
     * pending (a connection's own flag). False when the calling thread is not a bound event loop.
     */
    public static boolean flushAfterBatch(Runnable flush) {
        BatchEnd b = CURRENT.get();
        if (b == null) return false;
        b.flushes.add(flush);
        b.schedule();
        return true;
    }

    /**
     * True when shared work (the AOF's write, a tracking broadcast) waits for the calling loop's batch
     * end: replies of this batch must not leave before it has run. False on an unbound thread.
     */
    public static boolean sharedWorkPending() {
        BatchEnd b = CURRENT.get();
        return b != null && !b.shared.isEmpty();
    }

    private void schedule() {
        if (!scheduled) {
            scheduled = true;
            loop.execute(runPending);
        }
    }

    private void runPending() {
        // Work added while this runs schedules another round (right after this one), except flushes
        // added by the shared tasks (replies released by the fsync), which still go out in this one.
        scheduled = false;
        ArrayList<Runnable> s = shared;
        shared = runningShared;
        runningShared = s;
        runAll(s);
        ArrayList<Runnable> f = flushes; // swapped after the shared tasks: the flushes they add go out now
        flushes = runningFlushes;
        runningFlushes = f;
        runAll(f);
    }

    private static void runAll(ArrayList<Runnable> tasks) {
        try {
            for (int i = 0; i < tasks.size(); i++) {
                try {
                    tasks.get(i).run();
                } catch (RuntimeException e) {
                    // The others still run: a connection whose flush was skipped would never send again.
                    log.warn("A batch-end task failed", e);
                }
            }
        } finally {
            tasks.clear();
        }
    }
}
