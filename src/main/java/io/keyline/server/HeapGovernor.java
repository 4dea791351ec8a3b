package io.keyline.server;

import io.keyline.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Gives the heap a write burst leaves behind back to the OS, so that a loaded server's RSS follows its data.
 * ZGC (the launcher's collector) and Shenandoah grow the heap to hold a burst's garbage and, with no allocation
 * after the burst, have no reason to collect it: the heap stays committed at its peak. So when allocation
 * pauses after enough has been allocated since the last collection, this runs one collection (concurrent
 * under these collectors: no pause beyond their usual milliseconds), and the launcher's
 * {@code -XX:ZUncommitDelay=1} returns the pages it frees a second later.
 *
 * <p>It does not bound the heap while writes run. Keeping ZGC's {@code SoftMaxHeapSize} at 1.2x the live heap
 * (an earlier version) brought RSS down as well, but made the collector cycle back to back under a pipelined
 * 1 KB SET load and cost half of that throughput (bench/results/2026-12-07-mem.md).
 *
 * <p>Only the command-line server, which owns its process, runs it ({@link KeylineServer#exitOnShutdown}),
 * never an embedded one: collecting is the host's business. Under a stop-the-world collector (G1, Parallel,
 * Serial) it does nothing, as a full collection would pause every client. {@code heap-governor no} (also by
 * {@code CONFIG SET}) stops it.
 */
final class HeapGovernor {
    private static final Logger log = LoggerFactory.getLogger(HeapGovernor.class);
    private static final long POLL_MILLIS = 50;
    /** Allocation per poll below which the JVM counts as idle (~5 MB/s, some ten thousand small writes a second). */
    static final long IDLE_BYTES = 256 << 10;
    /** At least this much allocated since the last collection before a pause is worth one. */
    static final long MIN_GROWTH = 64L << 20;

    private volatile boolean on = true;

    private HeapGovernor() {
    }

    /**
     * Starts the governor on a thread of its own (loading the management classes takes a few tens of
     * milliseconds, which start-up should not pay) and follows {@code heap-governor}.
     */
    static void start(Config config) {
        Thread t = new Thread(() -> {
            if (!concurrentCollector()) {
                log.debug("Heap governor off: the collector is not a concurrent one");
                return;
            }
            HeapGovernor g = new HeapGovernor();
            g.on = "yes".equals(config.get("heap-governor"));
            config.onChange("heap-governor", v -> g.on = "yes".equals(v));
            g.watchForIdle();
        }, "keyline-heap-governor");
        t.setDaemon(true);
        t.start();
    }

    /** True under ZGC or Shenandoah, whose collections run beside the application. */
    static boolean concurrentCollector() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            String name = gc.getName();
            if (name.startsWith("ZGC") || name.startsWith("Shenandoah")) return true;
        }
        return false;
    }

    /**
     * True when a pause in allocation is worth a collection: at least {@link #MIN_GROWTH}, and at least half
     * the heap that was in use after the last one, allocated since. The second bound keeps a large server
     * with short bursts from collecting its whole heap after each of them.
     */
    static boolean worthCollecting(long allocatedSinceLast, long usedAfterLast) {
        return allocatedSinceLast >= Math.max(MIN_GROWTH, usedAfterLast / 2);
    }

    /**
     * Every {@link #POLL_MILLIS} reads how much the JVM's threads have allocated; less than {@link #IDLE_BYTES}
     * since the previous poll is a pause in allocation, and one collection runs if {@link #worthCollecting}.
     */
    private void watchForIdle() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
                || !threads.isThreadAllocatedMemorySupported() || !threads.isThreadAllocatedMemoryEnabled()) {
            log.debug("Heap governor off: the JVM does not count allocated bytes");
            return;
        }
        long previous = threads.getTotalThreadAllocatedBytes();
        long atLastCollection = previous;
        long usedAfterLast = memory.getHeapMemoryUsage().getUsed();
        while (true) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long allocated = threads.getTotalThreadAllocatedBytes();
            boolean idle = allocated - previous < IDLE_BYTES;
            previous = allocated;
            if (!on || !idle || !worthCollecting(allocated - atLastCollection, usedAfterLast)) continue;
            long before = memory.getHeapMemoryUsage().getUsed();
            System.gc(); // a concurrent cycle under ZGC and Shenandoah
            usedAfterLast = memory.getHeapMemoryUsage().getUsed();
            previous = atLastCollection = threads.getTotalThreadAllocatedBytes();
            log.debug("Heap governor: allocation paused, collected: heap used {} MB -> {} MB", before >> 20, usedAfterLast >> 20);
        }
    }
}
