package io.keyline.server;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import io.keyline.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
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

/**
 * Keeps the committed Java heap close to the live data, so that the process's RSS follows the keyspace
 * rather than the garbage a write burst leaves behind. ZGC (the launcher's collector) and Shenandoah size
 * their cycles by the JVM's manageable flag {@code SoftMaxHeapSize}, which defaults to nearly {@code -Xmx}
 * (a quarter of RAM): left alone, the heap grows to hold the garbage of a burst and keeps it committed.
 * After each full collection this sets the flag to {@code max(FLOOR, heap used after the collection x RATIO)},
 * never above {@code -Xmx}; the collector then starts its cycles to stay under it (a soft limit: it
 * still grows the heap rather than stall an allocation), and the launcher's {@code -XX:ZUncommitDelay=1}
 * hands the pages freed above it back to the OS a second later. A burst that ends leaves the garbage of its last
 * stretch, and with no allocation after it nothing would collect it: so one collection runs when
 * allocation pauses with the heap above the target ({@link #watchForIdle}).
 *
 * <p>Measured (bench/results/2026-12-07-mem.md, with the key table's changes of the same day): RSS growth
 * per small key a second after loading 1M keys fell from ~220 to ~100-110 B (live heap 67 B/key); the
 * price is more collection cycles while the data grows. FLOOR and RATIO take system properties
 * ({@code keyline.heap-governor.floor}, {@code .ratio}) for such measurements only.
 *
 * <p>It changes a JVM-wide flag, so only the command-line server, which owns its process, runs it
 * ({@link KeylineServer#exitOnShutdown}); never an embedded one. {@code heap-governor no} (also by
 * {@code CONFIG SET}) stops it and puts the flag back. A flag the user set ({@code -XX:SoftMaxHeapSize}
 * in {@code KEYLINE_JAVA_OPTS}) is left alone, and so is a collector that ignores the flag (G1, Parallel,
 * Serial): logged once at debug level.
 */
final class HeapGovernor implements NotificationListener {
    private static final Logger log = LoggerFactory.getLogger(HeapGovernor.class);
    private static final String FLAG = "SoftMaxHeapSize";
    /** Below this the governor never goes: a small server needs no more frequent cycles to save a few MB. */
    static final long FLOOR = Long.getLong("keyline.heap-governor.floor", 64L << 20);
    /** Head room over the heap used after a full collection, for the allocations until the next one. */
    static final double RATIO = Double.parseDouble(System.getProperty("keyline.heap-governor.ratio", "1.2"));
    /** A change smaller than this is not worth a flag write. */
    private static final long STEP = 1L << 20;
    private static final long POLL_MILLIS = 50;
    /** Allocation per poll below which the JVM counts as idle (~5 MB/s, some ten thousand small writes a second). */
    private static final long IDLE_BYTES = 256 << 10;

    private final HotSpotDiagnosticMXBean hotspot;
    private final List<NotificationEmitter> emitters;
    private final Set<String> heapPools;
    private final long max;
    private final String original;
    private volatile boolean on = true;
    private long lastSet = -1;

    private HeapGovernor(HotSpotDiagnosticMXBean hotspot, List<NotificationEmitter> emitters, Set<String> heapPools,
                         long max, String original) {
        this.hotspot = hotspot;
        this.emitters = emitters;
        this.heapPools = heapPools;
        this.max = max;
        this.original = original;
    }

    /**
     * Starts the governor on a thread of its own (loading the management classes takes a few tens of
     * milliseconds, which start-up should not pay) and follows {@code heap-governor}.
     */
    static void start(Config config) {
        Thread t = new Thread(() -> {
            HeapGovernor g = create();
            if (g == null) return;
            config.onChange("heap-governor", v -> g.enabled("yes".equals(v)));
            g.watchForIdle();
        }, "keyline-heap-governor");
        t.setDaemon(true);
        t.start();
    }

    /** The governor, listening to the collector's notifications; null where it cannot act. */
    static HeapGovernor create() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            VMOption option = hotspot.getVMOption(FLAG);
            if (!option.isWriteable()) return skip("-XX:" + FLAG + " is not manageable on this JVM");
            if (option.getOrigin() != VMOption.Origin.DEFAULT && option.getOrigin() != VMOption.Origin.ERGONOMIC) {
                return skip("-XX:" + FLAG + " was set (" + option.getOrigin() + ")");
            }
            List<NotificationEmitter> cycles = new ArrayList<>();
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                // ZGC: "ZGC Cycles", or "ZGC Minor Cycles" and "ZGC Major Cycles"; Shenandoah: "Shenandoah Cycles".
                String name = gc.getName();
                if ((name.startsWith("ZGC") || name.startsWith("Shenandoah")) && name.endsWith("Cycles")) {
                    cycles.add((NotificationEmitter) gc);
                }
            }
            if (cycles.isEmpty()) return skip("the collector does not follow -XX:" + FLAG);
            Set<String> heapPools = new HashSet<>();
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) heapPools.add(pool.getName());
            }
            long max = Runtime.getRuntime().maxMemory();
            HeapGovernor g = new HeapGovernor(hotspot, cycles, heapPools, max, option.getValue());
            for (NotificationEmitter e : cycles) e.addNotificationListener(g, null, null);
            g.apply(target(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), max));
            return g;
        } catch (RuntimeException | LinkageError e) {
            return skip(e.toString());
        }
    }

    private static HeapGovernor skip(String why) {
        log.debug("Heap governor off: {}", why);
        return null;
    }

    @Override
    public void handleNotification(Notification n, Object handback) {
        if (!on || !GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        // A minor cycle leaves the old generation's garbage in "used": only a full one measures the live data.
        if (info.getGcName().contains("Minor")) return;
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) used += pool.getValue().getUsed();
        }
        apply(target(used, max));
        if (log.isDebugEnabled()) log.debug("{}: heap used after {} MB, soft max {} MB", info.getGcName(), used >> 20, lastSet >> 20);
    }

    /**
     * Collects once when allocation stops with the heap above its target: a burst of writes ends with
     * the garbage of its last stretch still committed, and with no allocation after it the collector
     * has no reason to run again. Every {@link #POLL_MILLIS} it reads how much the JVM's threads have
     * allocated; less than {@link #IDLE_BYTES} since the previous poll is a pause in allocation.
     */
    private void watchForIdle() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!threads.isThreadAllocatedMemorySupported() || !threads.isThreadAllocatedMemoryEnabled()) return;
        long previous = threads.getTotalThreadAllocatedBytes();
        while (true) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long allocated = threads.getTotalThreadAllocatedBytes();
            boolean idle = allocated - previous < IDLE_BYTES;
            previous = allocated;
            long target;
            synchronized (this) {
                target = lastSet;
            }
            if (!on || !idle || target <= 0) continue;
            long used = memory.getHeapMemoryUsage().getUsed();
            if (used > target) {
                if (log.isDebugEnabled()) log.debug("Allocation paused with {} MB used over the soft max {} MB: collecting", used >> 20, target >> 20);
                System.gc(); // under ZGC a concurrent cycle: no pause beyond its usual few milliseconds
                previous = threads.getTotalThreadAllocatedBytes();
            }
        }
    }

    /** The soft maximum for a heap of {@code usedAfterGc} after a full collection, within {@code [FLOOR, max]}. */
    static long target(long usedAfterGc, long max) {
        return Math.min(max, Math.max(FLOOR, (long) (usedAfterGc * RATIO)));
    }

    private synchronized void apply(long bytes) {
        if (!on || Math.abs(bytes - lastSet) < STEP) return;
        try {
            hotspot.setVMOption(FLAG, Long.toString(bytes));
            lastSet = bytes;
        } catch (RuntimeException e) {
            on = false;
            log.debug("Heap governor off: {}", e.toString());
        }
    }

    /** Turns the governor on or off ({@code heap-governor}); off puts the flag back as it was. */
    synchronized void enabled(boolean value) {
        if (value == on) return;
        on = value;
        if (!value) {
            try {
                hotspot.setVMOption(FLAG, original);
            } catch (RuntimeException e) {
                log.debug("Heap governor: could not restore -XX:{}: {}", FLAG, e.toString());
            }
            lastSet = -1;
        }
    }

    /** Stops listening (tests). */
    void close() {
        enabled(false);
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(this);
            } catch (javax.management.ListenerNotFoundException ignored) {
                // never added
            }
        }
    }
}
