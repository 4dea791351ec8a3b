package io.keyline.scripting;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;

/**
 * The memory cap of scripts. LuaJ allocates on the Java heap with no allocator hook, so a script
 * ({@code local t={} while true do t[#t+1]=string.rep('x',1e6) end}) could fill the heap the whole server lives
 * in, and the event loops would then fail too. The cap works at three points:
 * <ul>
 *   <li>functions that can build large values check before they allocate ({@link #reserve}: string.rep knows its
 *       result's size; string.format, gsub, table.concat and the cjson/cmsgpack/struct/bit functions check the heap);</li>
 *   <li>the instruction hook (every {@value #HOOK_INSTRUCTIONS} Lua instructions, with SCRIPT KILL's check) catches
 *       growth made by the VM itself ({@code ..}, table stores);</li>
 *   <li>an OutOfMemoryError on the script thread (one huge array) is caught where the script ends.</li>
 * </ul>
 * The heap a script may fill up to is the JVM's maximum less a headroom kept for the rest of the server (an
 * eighth of the heap, at least 64 MiB). Past it, the heap left by the JVM's last collection tells garbage from
 * live data (one full GC confirms, at most every 200 ms); if the heap is still over, the script fails with Lua's own memory error, which Redis 7.2 replies as
 * {@code ERR Error running script <sha>, not enough memory} (a LUA_ERRMEM is a string, not an error table).
 * The heap is shared by every server of the JVM, so this is static.
 */
final class ScriptMemory {
    static final int HOOK_INSTRUCTIONS = 1_000;
    static final String MESSAGE = "not enough memory";
    /** Larger than any Java array: refused without trying. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 16;
    private static final Runtime RT = Runtime.getRuntime();
    private static final long MIN_HEADROOM = 64L << 20;
    /** Two forced GCs no closer than this: past the limit again sooner, with the JVM's own GCs agreeing, it is live. */
    private static final long GC_INTERVAL_NANOS = 200_000_000L;
    private static volatile long lastGcNanos = System.nanoTime() - GC_INTERVAL_NANOS;
    /** The heap in use after the JVM's last collection (any kind), from the collectors' notifications. */
    private static volatile long usedAfterLastGc;

    static {
        io.keyline.scripting.lib.LuaTableData.growthCheck(ScriptMemory::check);
        java.util.Set<String> heapPools = new java.util.HashSet<>();
        for (java.lang.management.MemoryPoolMXBean p : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == java.lang.management.MemoryType.HEAP) heapPools.add(p.getName());
        }
        for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!(gc instanceof javax.management.NotificationEmitter emitter)) continue;
            emitter.addNotificationListener((n, hb) -> {
                if (!com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
                var info = com.sun.management.GarbageCollectionNotificationInfo.from(
                        (javax.management.openmbean.CompositeData) n.getUserData());
                long used = 0;
                for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                    if (heapPools.contains(e.getKey())) used += e.getValue().getUsed();
                }
                usedAfterLastGc = used;
            }, null, null);
        }
    }

    private ScriptMemory() {
    }

    /** The heap (bytes in use) a script may take the JVM to. */
    static long limit() {
        long max = RT.maxMemory();
        return max - Math.max(max / 8, Math.min(MIN_HEADROOM, max / 4));
    }

    /** The Lua memory error (caught by a script's pcall as Lua's is; ends the script otherwise). */
    static final class Exceeded extends LuaError {
        Exceeded() {
            super(LuaValue.valueOf(MESSAGE));
        }
    }

    /** Before allocating about {@code bytes}: throws {@link Exceeded} if that would take the heap past the limit. */
    static void reserve(long bytes) {
        if (bytes < 0 || bytes > MAX_ARRAY) throw new Exceeded();
        long limit = limit();
        if (used() + bytes <= limit) return;
        // Over the limit, but the JVM's last collection left room: what fills the heap is garbage it will collect.
        if (usedAfterLastGc + bytes <= limit) return;
        long now = System.nanoTime();
        if (now - lastGcNanos >= GC_INTERVAL_NANOS) {
            lastGcNanos = now;
            System.gc(); // only at the limit: is the heap full of garbage or of live data?
            lastGcNanos = System.nanoTime();
            if (used() + bytes <= limit) return;
        }
        hit = true;
        throw new Exceeded();
    }

    /** The running script hit the cap (even if a pcall caught it). */
    private static volatile boolean hit;

    /** A script ended: if it hit the cap, what it held is garbage now ({@link #released}). */
    static void scriptEnded() {
        if (hit) {
            hit = false;
            released();
        }
    }

    /**
     * A script that hit the cap has ended: what it held is garbage now, so the last collection's figure no longer
     * says what is live (the next script would otherwise fail on the dead script's memory).
     */
    static void released() {
        usedAfterLastGc = 0;
        lastGcNanos = System.nanoTime() - GC_INTERVAL_NANOS;
    }

    /** The hook's and the libraries' check: throws {@link Exceeded} when the heap is past the limit. */
    static void check() {
        reserve(0);
    }

    private static long used() {
        return RT.totalMemory() - RT.freeMemory();
    }

    /** True for the errors a script gets when it ran out of memory (also when a pcall re-raised the message). */
    static boolean isMemoryError(Throwable e) {
        if (e instanceof Exceeded || e instanceof OutOfMemoryError) return true;
        if (e instanceof LuaError le) {
            LuaValue m = le.getMessageObject();
            return m != null && m.isstring() && MESSAGE.equals(m.tojstring());
        }
        return false;
    }
}
