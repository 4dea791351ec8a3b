package io.keyline.store;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Keyspace}'s locks: every stripe at once ({@link Keyspace#lockAll}) excludes every single-stripe holder
 * and is reentrant for its holder, a waiting lockAll is not overtaken by new single-stripe tryLocks, a holder
 * of some stripes cannot ask for all of them, and stripe lockers in order mixed with lockAll never deadlock
 * and never overlap.
 */
class KeyspaceLockTest {
    private static final long WAIT = TimeUnit.SECONDS.toNanos(10);

    @Test
    void lockAllExcludesAStripeHolderAndIsReentrantForItsHolder() throws Exception {
        Keyspace ks = new Keyspace(1, 10, Clock.SYSTEM);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = holdStripe(ks, 700, release);
        assertThat(ks.tryLockAll(0)).isFalse();
        assertThat(ks.tryLock(3)).isTrue(); // other stripes stay available
        ks.unlock(3);
        release.countDown();
        holder.join();
        assertThat(ks.tryLockAll(WAIT)).isTrue();
        try {
            assertThat(ks.heldByCurrentThread(700)).isTrue();
            ks.lock(700); // under every stripe, a command still locks its own
            ks.unlock(700);
            ks.lockAll(); // EXEC running a script: reentrant
            ks.unlockAll();
            AtomicBoolean otherGotOne = new AtomicBoolean(true);
            Thread other = new Thread(() -> otherGotOne.set(ks.tryLock(5)));
            other.start();
            other.join();
            assertThat(otherGotOne).isFalse();
        } finally {
            ks.unlockAll();
        }
        assertThat(ks.heldByCurrentThread(700)).isFalse();
    }

    @Test
    void aThreadHoldingSomeStripesMayNotAskForAll() {
        Keyspace ks = new Keyspace(1, 6, Clock.SYSTEM);
        ks.lock(1);
        try {
            assertThatThrownBy(ks::lockAll).isInstanceOf(IllegalStateException.class);
        } finally {
            ks.unlock(1);
        }
        ks.lockAll();
        ks.unlockAll();
    }

    @Test
    void aStripeHolderAskingForAllWhileAnotherLockAllWaitsForItIsRefusedNotDeadlocked() throws Exception {
        Keyspace ks = new Keyspace(1, 6, Clock.SYSTEM);
        ks.lock(1);
        Thread all = new Thread(() -> {
            ks.lockAll();
            ks.unlockAll();
        });
        all.start();
        waitUntilNewLockersAreTurnedAway(ks, 2);
        try {
            assertThatThrownBy(() -> ks.tryLockAll(WAIT)).isInstanceOf(IllegalStateException.class);
        } finally {
            ks.unlock(1);
        }
        all.join(TimeUnit.NANOSECONDS.toMillis(WAIT));
        assertThat(all.isAlive()).isFalse();
    }

    @Test
    void aWaitingLockAllIsNotOvertakenByNewStripeLockers() throws Exception {
        Keyspace ks = new Keyspace(1, 6, Clock.SYSTEM);
        ks.lock(1);
        AtomicBoolean gotAll = new AtomicBoolean();
        Thread all = startLockAll(ks, gotAll);
        // Once the lockAll waits, a tryLock from another thread no longer gets in ahead of it.
        waitUntilNewLockersAreTurnedAway(ks, 2);
        assertThat(gotAll).isFalse();
        ks.unlock(1);
        all.join(TimeUnit.NANOSECONDS.toMillis(WAIT));
        assertThat(gotAll).isTrue();
    }

    @Test
    void aStripeHolderMayTakeHigherStripesWhileALockAllWaitsForIt() throws Exception {
        Keyspace ks = new Keyspace(1, 6, Clock.SYSTEM);
        ks.lock(1);
        AtomicBoolean gotAll = new AtomicBoolean();
        Thread all = startLockAll(ks, gotAll);
        waitUntilNewLockersAreTurnedAway(ks, 2);
        // The lockAll waits for this thread's stripe 1, so this thread must be let through to finish its command
        // (a multi-key command, a blocked client's keys): waiting for the lockAll here would deadlock.
        assertThat(ks.tryLock(3, WAIT)).isTrue();
        ks.lock(4);
        int[] more = {5, 6};
        assertThat(ks.tryLockStripes(more, 2, WAIT)).isTrue();
        assertThat(gotAll).isFalse();
        ks.unlockStripes(more, 2);
        ks.unlock(4);
        ks.unlock(3);
        ks.unlock(1);
        all.join(TimeUnit.NANOSECONDS.toMillis(WAIT));
        assertThat(gotAll).isTrue();
    }

    /** Starts a thread that takes every stripe, sets {@code gotAll} and lets go again. */
    private static Thread startLockAll(Keyspace ks, AtomicBoolean gotAll) {
        Thread all = new Thread(() -> {
            ks.lockAll();
            gotAll.set(true);
            ks.unlockAll();
        });
        all.start();
        return all;
    }

    /** Returns once a tryLock of {@code stripe} from another thread fails: a lockAll is waiting. */
    private static void waitUntilNewLockersAreTurnedAway(Keyspace ks, int stripe) throws InterruptedException {
        AtomicBoolean got = new AtomicBoolean(true);
        long deadline = System.nanoTime() + WAIT;
        while (got.get() && System.nanoTime() < deadline) {
            Thread t = new Thread(() -> {
                boolean ok = ks.tryLock(stripe);
                if (ok) ks.unlock(stripe);
                got.set(ok);
            });
            t.start();
            t.join();
        }
        assertThat(got).isFalse();
    }

    @Test
    void orderedStripeLockersAndLockAllNeverOverlapNorDeadlock() throws Exception {
        Keyspace ks = new Keyspace(1, 4, Clock.SYSTEM);
        int[] owners = new int[ks.stripes()]; // per stripe: how many threads think they hold it
        AtomicInteger overlaps = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            boolean allLocker = t == 0;
            threads.add(new Thread(() -> {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                for (int i = 0; i < 20_000; i++) {
                    if (allLocker && i % 4 == 0) {
                        countHoldersUnderLockAll(ks, owners, overlaps);
                        continue;
                    }
                    int a = r.nextInt(owners.length);
                    int b = a + r.nextInt(owners.length - a);
                    ks.lock(a);
                    if (b != a) ks.lock(b);
                    try {
                        synchronized (owners) {
                            if (++owners[a] != 1) overlaps.incrementAndGet();
                            if (b != a && ++owners[b] != 1) overlaps.incrementAndGet();
                        }
                        synchronized (owners) {
                            owners[a]--;
                            if (b != a) owners[b]--;
                        }
                    } finally {
                        if (b != a) ks.unlock(b);
                        ks.unlock(a);
                    }
                }
            }));
        }
        runToTheEnd(threads, overlaps);
    }

    @Test
    void tryLockStripesTakesAllOrNone() throws Exception {
        Keyspace ks = new Keyspace(1, 6, Clock.SYSTEM);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = holdStripe(ks, 5, release);
        int[] stripes = {1, 5, 9};
        assertThat(ks.tryLockStripes(stripes, 3, 0)).isFalse();
        assertThat(ks.tryLockStripes(stripes, 3, TimeUnit.MILLISECONDS.toNanos(20))).isFalse();
        // None of them is left held: another thread takes 1 and 9, and this one may still take every stripe.
        AtomicBoolean otherGotThem = new AtomicBoolean();
        Thread other = new Thread(() -> {
            boolean ok = ks.tryLock(1) && ks.tryLock(9);
            if (ok) {
                ks.unlock(9);
                ks.unlock(1);
            }
            otherGotThem.set(ok);
        });
        other.start();
        other.join();
        assertThat(otherGotThem).isTrue();
        assertThat(ks.heldByCurrentThread(1)).isFalse();
        assertThat(ks.tryLockAll(0)).isFalse(); // 5 is still held by the holder, but no upgrade is refused
        release.countDown();
        holder.join();
        assertThat(ks.tryLockStripes(stripes, 3, WAIT)).isTrue();
        try {
            for (int s : stripes) assertThat(ks.heldByCurrentThread(s)).isTrue();
            assertThat(ks.heldByCurrentThread(2)).isFalse();
            ks.lock(5); // reentrant, as a command's own stripe under its multi-key lock
            ks.unlock(5);
        } finally {
            ks.unlockStripes(stripes, 3);
        }
        for (int s : stripes) assertThat(ks.heldByCurrentThread(s)).isFalse();
        ks.lockAll(); // the gate's read side was released once: no hold left
        ks.unlockAll();
    }

    @Test
    void stripeSetsSingleStripesAndLockAllNeverOverlapNorDeadlock() throws Exception {
        Keyspace ks = new Keyspace(1, 4, Clock.SYSTEM);
        int[] owners = new int[ks.stripes()];
        AtomicInteger overlaps = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int role = t;
            threads.add(new Thread(() -> {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                int[] set = new int[owners.length];
                for (int i = 0; i < 20_000; i++) {
                    if (role == 0 && i % 4 == 0) {
                        countHoldersUnderLockAll(ks, owners, overlaps);
                        continue;
                    }
                    int n = 0;
                    if (role == 1) {
                        set[n++] = r.nextInt(owners.length);
                        ks.lock(set[0]);
                    } else {
                        for (int s = 0; s < owners.length; s++) if (r.nextInt(3) == 0) set[n++] = s; // ascending
                        if (n == 0) continue;
                        // Polled with a short wait as the dispatcher does; all or none each time.
                        while (!ks.tryLockStripes(set, n, r.nextBoolean() ? 0 : 100_000)) Thread.onSpinWait();
                    }
                    try {
                        synchronized (owners) {
                            for (int k = 0; k < n; k++) if (++owners[set[k]] != 1) overlaps.incrementAndGet();
                        }
                        synchronized (owners) {
                            for (int k = 0; k < n; k++) owners[set[k]]--;
                        }
                    } finally {
                        if (role == 1) ks.unlock(set[0]);
                        else ks.unlockStripes(set, n);
                    }
                }
            }));
        }
        runToTheEnd(threads, overlaps);
    }

    /** Under lockAll, counts the stripes some other thread believes it holds (each one an overlap). */
    private static void countHoldersUnderLockAll(Keyspace ks, int[] owners, AtomicInteger overlaps) {
        ks.lockAll();
        try {
            synchronized (owners) {
                for (int s = 0; s < owners.length; s++) if (owners[s] != 0) overlaps.incrementAndGet();
            }
        } finally {
            ks.unlockAll();
        }
    }

    /** Runs the lockers to their end: none deadlocked, none threw, and no two ever held a stripe at once. */
    private static void runToTheEnd(List<Thread> threads, AtomicInteger overlaps) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (Thread t : threads) {
            t.setUncaughtExceptionHandler((th, e) -> failure.compareAndSet(null, e));
            t.start();
        }
        for (Thread t : threads) t.join(TimeUnit.NANOSECONDS.toMillis(WAIT) * 6);
        for (Thread t : threads) assertThat(t.isAlive()).as("deadlocked").isFalse();
        assertThat(failure.get()).isNull();
        assertThat(overlaps).hasValue(0);
    }

    /** Holds {@code stripe} on another thread from before this returns until {@code release} opens. */
    private static Thread holdStripe(Keyspace ks, int stripe, CountDownLatch release) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            ks.lock(stripe);
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                ks.unlock(stripe);
            }
        });
        holder.start();
        held.await();
        return holder;
    }
}
