package io.keyline.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The keyspace's locks: one per stripe, and "every stripe" for whole-keyspace work (scripts, EXEC, FLUSHALL, a
 * snapshot's cut). Built for the command path's case, one event loop taking one free stripe: a single
 * compare-and-set takes it and a release store frees it (the read/write gate plus a {@code ReentrantLock} this
 * replaces paid four locked instructions per command, ~50 ns on this VM).
 *
 * <p>How "every stripe" excludes the stripe holders without a shared gate: the thread that wants every stripe
 * first claims {@link #allOwner} (a compare-and-set), then waits until it has seen each stripe free. A stripe
 * locker reads {@code allOwner} right after its own compare-and-set; both sides write before they read, with
 * volatile accesses, so at least one of them sees the other (Dekker): either the claimant waits for the stripe,
 * or the locker sees the claim, and unless it already holds another stripe (which the claimant is waiting for,
 * so it may finish: stripes are taken in ascending order) it frees the stripe again and waits for the claim to
 * end. So a waiting "every stripe" is not overtaken by new stripe lockers, and a thread holding every stripe may
 * still lock single stripes (a command inside EXEC, a snapshot's pass): nobody else can keep one.
 *
 * <p>Reentrant: a stripe's holder may take it again (counted in {@link #extraHolds}, untouched in the common
 * case), and so may the holder of every stripe. Waiting is by polling (spin, yield, then parks of at most
 * 50 us, growing to 200 us): a release has no waiter to wake, so it costs no locked instruction. Waits are short
 * in practice (a command's hold); the long ones, behind a running script, are polled by the dispatcher anyway.
 */
final class StripeLocks {
    /**
     * Distance between two stripes' owners. Packed: {@link #lockEvery} reads every owner, and one event loop (the
     * default) shares no line with anyone; several loops share a line per 8 stripes, where the gate this replaces
     * put every lock of every loop on one line.
     */
    private static final int STRIDE = 1;
    private static final int SPINS = 64;
    private static final int YIELDS = 64;
    private static final long MIN_PARK_NANOS = 50_000;
    /** Parks double from {@link #MIN_PARK_NANOS} this many times: at most 200 us. */
    private static final int PARK_DOUBLINGS = 2;
    private static final VarHandle OWNER = MethodHandles.arrayElementVarHandle(Thread[].class);

    /** The holding thread of stripe s at {@code s * STRIDE}, or null. */
    private final Thread[] owners;
    /** Holds of a stripe beyond the first, written only by its owner. */
    private final int[] extraHolds;
    private final int stripes;
    /** The thread that holds every stripe, or is waiting for them; null if none. */
    private volatile Thread allOwner;
    /** Holds of every stripe beyond the first, written only by {@link #allOwner}. */
    private int allExtraHolds;

    StripeLocks(int stripes) {
        this.stripes = stripes;
        this.owners = new Thread[stripes * STRIDE];
        this.extraHolds = new int[stripes];
    }

    int stripes() {
        return stripes;
    }

    /**
     * Takes {@code stripe} if that is possible without waiting: it is free, or already the caller's (reentrant),
     * and nobody else holds or awaits every stripe unless the caller is let in already ({@code
     * holdsOthers}: it holds another stripe, which a claimant of every stripe waits for).
     */
    private boolean tryAcquire(int stripe, Thread self, boolean holdsOthers) {
        int at = stripe * STRIDE;
        if (OWNER.compareAndSet(owners, at, (Thread) null, self)) {
            Thread all = allOwner; // read after the compare-and-set: see the class comment
            if (all == null || all == self || holdsOthers || holdsAnother(self, stripe)) return true;
            OWNER.setRelease(owners, at, (Thread) null); // make way for the claim of every stripe
            return false;
        }
        if (owners[at] == self) { // only this thread ever stores itself there, so a plain read is enough
            extraHolds[stripe]++;
            return true;
        }
        return false;
    }

    /**
     * Takes {@code stripe}, waiting at most {@code nanos} (negative: as long as it takes); false if it stayed
     * taken, or the thread was interrupted during a bounded wait (the interrupt stays set).
     */
    boolean lock(int stripe, long nanos) {
        Thread self = Thread.currentThread();
        return tryAcquire(stripe, self, false) || await(stripe, self, false, nanos);
    }

    /** After a failed first attempt: polls until the stripe is taken or the wait may not go on. */
    private boolean await(int stripe, Thread self, boolean holdsOthers, long nanos) {
        long deadline = nanos > 0 ? System.nanoTime() + nanos : 0;
        for (int round = 0; ; round++) {
            // The holder of every stripe always gets a stripe: whoever has it now only passes through.
            if (!pause(round, nanos, deadline) && allOwner != self) return false;
            if (tryAcquire(stripe, self, holdsOthers)) return true;
        }
    }

    void unlock(int stripe) {
        int at = stripe * STRIDE;
        if (owners[at] != Thread.currentThread()) throw new IllegalMonitorStateException("stripe " + stripe + " not held");
        if (extraHolds[stripe] > 0) extraHolds[stripe]--;
        else OWNER.setRelease(owners, at, (Thread) null);
    }

    /**
     * Takes {@code stripes[0..n)} (ascending and distinct), waiting at most {@code nanos} in all (0: only what is
     * free right now; negative: as long as it takes); all or none: false, holding none of them, if one stayed
     * taken or the thread was interrupted during the wait.
     */
    boolean lockAll(int[] stripes, int n, long nanos) {
        Thread self = Thread.currentThread();
        long deadline = nanos > 0 ? System.nanoTime() + nanos : 0;
        int taken = 0;
        while (taken < n) {
            boolean inside = taken > 0; // past the first, the claimant of every stripe waits for this thread
            if (tryAcquire(stripes[taken], self, inside)
                    || await(stripes[taken], self, inside, nanos <= 0 ? nanos : Math.max(1, deadline - System.nanoTime()))) {
                taken++;
            } else {
                break;
            }
        }
        if (taken == n) return true;
        for (int i = taken - 1; i >= 0; i--) unlock(stripes[i]);
        return false;
    }

    void unlockAll(int[] stripes, int n) {
        for (int i = n - 1; i >= 0; i--) unlock(stripes[i]);
    }

    boolean heldByCurrentThread(int stripe) {
        Thread self = Thread.currentThread();
        return allOwner == self || owners[stripe * STRIDE] == self;
    }

    /**
     * Every stripe, waiting at most {@code nanos} (negative: as long as it takes); false if some stripe stayed
     * taken, another thread kept every stripe, or the thread was interrupted during the wait. Reentrant.
     *
     * @throws IllegalStateException if the caller holds some stripes only: it would wait for itself
     */
    boolean lockEvery(long nanos) {
        Thread self = Thread.currentThread();
        if (allOwner == self) {
            allExtraHolds++;
            return true;
        }
        long deadline = nanos > 0 ? System.nanoTime() + nanos : 0;
        for (int round = 0; !ALL_OWNER.compareAndSet(this, (Thread) null, self); round++) {
            // Another claimant may be waiting for a stripe of ours: refuse rather than wait for each other.
            if (round == 0 && holdsAnother(self, -1)) throw upgrade();
            if (!pause(round, nanos, deadline)) return false;
        }
        // Claimed: from here on no stripe is newly taken for long (see the class comment); wait out the holders.
        for (int s = 0; s < stripes; s++) {
            Object owner;
            for (int round = 0; (owner = OWNER.getVolatile(owners, s * STRIDE)) != null; round++) {
                if (owner == self) { // checked here rather than in a pass of its own: this scan is lockAll's cost
                    allOwner = null;
                    throw upgrade();
                }
                if (!pause(round, nanos, deadline)) {
                    allOwner = null;
                    return false;
                }
            }
        }
        return true;
    }

    private static IllegalStateException upgrade() {
        return new IllegalStateException("every stripe requested by a thread holding some of them");
    }

    void unlockEvery() {
        if (allOwner != Thread.currentThread()) throw new IllegalMonitorStateException("every stripe not held");
        if (allExtraHolds > 0) allExtraHolds--;
        else ALL_OWNER.setRelease(this, (Thread) null); // lockers poll it: no fence needed to wake anyone
    }

    /** True if the thread holds a stripe other than {@code except} (the slow path only: a scan). */
    private boolean holdsAnother(Thread self, int except) {
        for (int s = 0; s < stripes; s++) {
            if (s != except && owners[s * STRIDE] == self) return true;
        }
        return false;
    }

    /**
     * Waits a little before the next attempt: spins first, then yields, then parks briefly. False if the wait
     * may not go on: {@code nanos} 0, the deadline passed, or interrupted during a bounded wait.
     */
    private static boolean pause(int round, long nanos, long deadline) {
        if (nanos == 0) return false;
        long left = Long.MAX_VALUE;
        if (nanos > 0) {
            left = deadline - System.nanoTime();
            if (left <= 0 || Thread.currentThread().isInterrupted()) return false;
        }
        if (round < SPINS) {
            Thread.onSpinWait();
        } else if (round < SPINS + YIELDS) {
            Thread.yield();
        } else { // a long hold (a script, a stripe's dump): park longer each time, so polling costs little CPU
            LockSupport.parkNanos(Math.min(left, MIN_PARK_NANOS << Math.min(round - SPINS - YIELDS, PARK_DOUBLINGS)));
        }
        return true;
    }

    private static final VarHandle ALL_OWNER;

    static {
        try {
            ALL_OWNER = MethodHandles.lookup().findVarHandle(StripeLocks.class, "allOwner", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
