package io.keyline.server;

import com.sun.management.GcInfo;
import io.keyline.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Gives the heap a write burst leaves behind back to the OS, so that a loaded server's RSS follows its data.
 * ZGC (the launcher's collector) and Shenandoah grow the heap to hold a burst's garbage and, with no allocation
 * after the burst, have no reason to collect it: the heap stays committed at its peak. So when allocation has
 * stayed quiet for {@link #QUIET_MILLIS} after the heap grew enough since the last collection, this runs one
 * collection (concurrent under these collectors: no pause beyond their usual milliseconds), and the launcher's
 * {@code -XX:ZUncommitDelay=1} returns the pages it frees a second or two later.
 *
 * <p>Why a quiet period and not the first pause: pages given back must be committed and faulted in again by the
 * next burst, at some 16 us per 4 KB page on a virtual machine (measured: a pipelined 1 KB SET run after its
 * heap was returned cost 8-10 us of server CPU per request against 4.6 with the heap kept;
 * bench/results/2026-12-07-governor.md). Bursts closer together than the quiet period keep their heap, as
 * jemalloc keeps dirty pages for its decay time. And the first version, which acted on a 50 ms lull, collected
 * in the middle of a load whenever the client paused to build its next batch, and then not after it.
 *
 * <p>What a collection can give back is garbage, not the heap's growth: a burst that only adds keys grows the heap by
 * its new data, which a collection must mark (the whole heap, some 0.3-0.6 s of CPU at 400-600 MB of 1 KB values)
 * and cannot free. So the growth counted is the heap's growth less the data's, as the keyspace accounts it
 * ({@code used_memory}): inserting 1 KB values between compare.py's alternating rounds (the other server runs 1-3 s,
 * enough for a quiet period) cost a major collection that freed nothing (402 -> 410-442 MB) and 0.4-0.6 s of CPU, taken
 * from the other server and redis-benchmark on two cores (bench/results/2026-12-08-set-insert-p16.md).
 * A FLUSHALL or DEL counts the other way: the data it drops is garbage even when the heap did not grow.
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
    /**
     * The poll while no collection could be worth it (the heap has not grown enough since the last one, or the
     * governor is off): an idle server's governor then wakes once a second instead of twenty times, and notices a
     * burst that makes a collection worth it at most this much later; its quiet period is counted from there.
     */
    static final long IDLE_POLL_MILLIS = 1000;
    /** Allocation per poll below which the JVM counts as quiet (~5 MB/s, some ten thousand small writes a second). */
    static final long IDLE_BYTES = 256 << 10;
    /** How long allocation must stay quiet before the heap is collected and given back. */
    static final long QUIET_MILLIS = 2000;
    /** At least this much heap growth since the last collection before a quiet period is worth one. */
    static final long MIN_GROWTH = 64L << 20;

    private volatile boolean on = true;
    /** The keyspace's data, as it accounts it ({@code used_memory}). */
    private final LongSupplier dataBytes;

    private HeapGovernor(LongSupplier dataBytes) {
        this.dataBytes = dataBytes;
    }

    /**
     * Starts the governor on a thread of its own and follows {@code heap-governor}. The thread first waits one
     * quiet period: loading the management classes (~120 of them) costs some 0.02-0.03 s of CPU, which on two
     * cores would compete with a new server's first clients; nothing is missed, as growth is counted from the
     * last collection (or from an empty heap), not from when the governor starts.
     */
    static void start(Config config, LongSupplier dataBytes) {
        // A class rather than a lambda: started as the first client connects, when linking a lambda cost ~0.3-0.5 ms.
        Thread t = new Thread(new Run(config, dataBytes), "keyline-heap-governor");
        t.setDaemon(true);
        t.start();
    }

    private static final class Run implements Runnable {
        private final Config config;
        private final LongSupplier dataBytes;

        Run(Config config, LongSupplier dataBytes) {
            this.config = config;
            this.dataBytes = dataBytes;
        }

        @Override
        public void run() {
            try {
                Thread.sleep(QUIET_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            if (!concurrentCollector()) {
                log.debug("Heap governor off: the collector is not a concurrent one");
                return;
            }
            HeapGovernor g = new HeapGovernor(dataBytes);
            g.on = "yes".equals(config.get("heap-governor"));
            config.onChange("heap-governor", v -> g.on = "yes".equals(v));
            g.watchForQuiet();
        }
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
     * True when a quiet period is worth a collection: since the last one, the heap in use grew by at least
     * {@link #MIN_GROWTH} more than the data did ({@code dataGrowthSinceLast}, negative when keys were dropped),
     * and by at least half of what was in use after that collection. The second bound keeps a large server with
     * short bursts from collecting its whole heap after each of them.
     */
    static boolean worthCollecting(long growthSinceLast, long dataGrowthSinceLast, long usedAfterLast) {
        return growthSinceLast - dataGrowthSinceLast >= Math.max(MIN_GROWTH, usedAfterLast / 2);
    }

    /** How long to sleep before the next poll: see {@link #IDLE_POLL_MILLIS}. */
    static long pollMillis(boolean on, long growthSinceLast, long dataGrowthSinceLast, long usedAfterLast) {
        return on && worthCollecting(growthSinceLast, dataGrowthSinceLast, usedAfterLast) ? POLL_MILLIS : IDLE_POLL_MILLIS;
    }

    /**
     * Every {@link #POLL_MILLIS} reads how much the JVM's threads have allocated; after {@link #QUIET_MILLIS} of
     * polls below {@link #IDLE_BYTES} each, one collection runs if {@link #worthCollecting}. While it would not be
     * worth one, it polls every {@link #IDLE_POLL_MILLIS} instead. The heap in use after
     * the last collection counts the collector's own cycles too, so a heap the collector just cleaned is left alone.
     */
    private void watchForQuiet() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
                || !threads.isThreadAllocatedMemorySupported() || !threads.isThreadAllocatedMemoryEnabled()) {
            log.debug("Heap governor off: the JVM does not count allocated bytes");
            return;
        }
        CollectorCycles cycles = new CollectorCycles();
        long previous = threads.getTotalThreadAllocatedBytes();
        long quietPolls = 0;
        long seenCycles = cycles.count();
        long usedAfterLast = cycles.usedAfterLatest(0);
        // The data when the last collection ended, as near as a poll tells (a cycle of the collector's own is noticed
        // at the next poll).
        long dataAtLast = seenCycles == 0 ? 0 : dataBytes.getAsLong();
        long poll = POLL_MILLIS;
        while (true) {
            try {
                Thread.sleep(poll);
            } catch (InterruptedException e) {
                return;
            }
            long allocated = threads.getTotalThreadAllocatedBytes();
            long count = cycles.count();
            if (count != seenCycles) {
                seenCycles = count;
                usedAfterLast = cycles.usedAfterLatest(usedAfterLast);
                dataAtLast = dataBytes.getAsLong();
            }
            long before = memory.getHeapMemoryUsage().getUsed();
            long data = dataBytes.getAsLong();
            long next = pollMillis(on, before - usedAfterLast, data - dataAtLast, usedAfterLast);
            if (next != POLL_MILLIS || poll != POLL_MILLIS) {
                // Idle, or just back from idle: a quiet period starts counting at the first short poll.
                poll = next;
                quietPolls = 0;
                previous = allocated;
                continue;
            }
            quietPolls = allocated - previous < IDLE_BYTES ? quietPolls + 1 : 0;
            previous = allocated;
            if (quietPolls * POLL_MILLIS < QUIET_MILLIS) continue;
            System.gc(); // a concurrent cycle under ZGC and Shenandoah
            usedAfterLast = memory.getHeapMemoryUsage().getUsed();
            dataAtLast = dataBytes.getAsLong();
            seenCycles = cycles.count();
            previous = threads.getTotalThreadAllocatedBytes();
            log.debug("Heap governor: allocation quiet for {} ms, collected: heap used {} MB -> {} MB (data {} MB)",
                    QUIET_MILLIS, before >> 20, usedAfterLast >> 20, data >> 20);
        }
    }

    /** The collector's cycles (ZGC's "Minor/Major Cycles", Shenandoah's "Cycles"), not its pauses. */
    private static final class CollectorCycles {
        private final List<com.sun.management.GarbageCollectorMXBean> beans = new ArrayList<>();
        private final Set<String> heapPools = new HashSet<>();

        CollectorCycles() {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc.getName().endsWith("Cycles") && gc instanceof com.sun.management.GarbageCollectorMXBean bean) {
                    beans.add(bean);
                }
            }
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) heapPools.add(pool.getName());
            }
        }

        long count() {
            long n = 0;
            for (GarbageCollectorMXBean bean : beans) n += bean.getCollectionCount();
            return n;
        }

        /** Heap in use when the most recent cycle ended, or {@code otherwise} if no cycle reports it. */
        long usedAfterLatest(long otherwise) {
            GcInfo latest = null;
            for (com.sun.management.GarbageCollectorMXBean bean : beans) {
                GcInfo info = bean.getLastGcInfo();
                if (info != null && (latest == null || info.getEndTime() > latest.getEndTime())) latest = info;
            }
            if (latest == null) return otherwise;
            long used = 0;
            for (Map.Entry<String, MemoryUsage> e : latest.getMemoryUsageAfterGc().entrySet()) {
                if (heapPools.contains(e.getKey())) used += e.getValue().getUsed();
            }
            return used;
        }
    }
}
