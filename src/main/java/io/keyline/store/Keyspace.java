package io.keyline.store;

import io.keyline.util.Slots;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * All databases, the stripe locks that guard them, key-count capacity, memory estimate, the LRU/LFU
 * clock, active expiry and eviction.
 *
 * <p>Locking rule: a thread holding stripe locks may only take higher-numbered stripes. Whole-keyspace
 * operations (scripts, EXEC, FLUSHALL, SWAPDB, a snapshot's cut) take every stripe at once through one
 * read/write lock, the {@code gate}: each stripe lock is taken under the gate's read side (shared; about
 * 20 ns more per lock in JMH), {@link #lockAll()} takes its write side, so it costs the same at 64 stripes
 * as at 4096. A multi-key command takes its stripes together under one read hold
 * ({@link #tryLockStripes}). Locks are
 * reentrant, so a command run inside MULTI/EXEC (which holds every lock) can lock its own stripes again;
 * a thread holding only some stripes may not take them all (the gate cannot be upgraded).
 */
public final class Keyspace {
    private final int stripeBits;
    private final int stripeMask;
    private final ReentrantLock[] locks;
    /** Read side: held with any stripe lock; write side: every stripe at once (see the class comment). */
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    private volatile Database[] databases;
    private final Clock clock;
    final KeyspaceStats stats = new KeyspaceStats();

    private final AtomicLong keyCount = new AtomicLong();
    private final LongAdder usedMemory = new LongAdder();
    private volatile long capacity; // 0 = unlimited
    private volatile long maxMemory; // 0 = unlimited
    private volatile EvictionPolicy policy = EvictionPolicy.NOEVICTION;
    private volatile int evictionSamples = 5;
    private volatile int lfuLogFactor = 10;
    private volatile int lfuDecayTime = 1;
    private volatile boolean activeExpireEnabled = true;
    private volatile boolean lazyExpireEnabled = true;
    private volatile KeyspaceListener listener = KeyspaceListener.NONE;
    private final long startMillis;

    public Keyspace(int databases, int stripeBits, Clock clock) {
        this.stripeBits = stripeBits;
        int stripes = 1 << stripeBits;
        this.stripeMask = stripes - 1;
        this.clock = clock;
        this.locks = new ReentrantLock[stripes];
        for (int i = 0; i < stripes; i++) locks[i] = new ReentrantLock();
        Database[] dbs = new Database[databases];
        for (int i = 0; i < databases; i++) dbs[i] = new Database(this, i, stripes);
        this.databases = dbs;
        this.startMillis = clock.millis();
    }

    public Keyspace(int databases) {
        this(databases, 6, Clock.SYSTEM);
    }

    // ---- structure and locks ------------------------------------------------------------------

    public Database db(int index) {
        return databases[index];
    }

    public int databaseCount() {
        return databases.length;
    }

    public int stripes() {
        return locks.length;
    }

    public int stripeBits() {
        return stripeBits;
    }

    public int stripeOf(byte[] key) {
        return Slots.slot(key) & stripeMask;
    }

    public void lock(int stripe) {
        gate.readLock().lock();
        locks[stripe].lock();
        Snapshot s = snapshot;
        if (s != null) s.touched(stripe);
    }

    /**
     * Takes the stripe if it is free right now. Not ahead of a thread already waiting for every stripe
     * ({@link #tryLockAll}): a stream of single-stripe commands must not starve a script.
     */
    public boolean tryLock(int stripe) {
        return tryLock(stripe, 0);
    }

    /** Takes the stripe, waiting at most {@code nanos}; false if it stayed taken (or the thread was interrupted). */
    public boolean tryLock(int stripe, long nanos) {
        long start = nanos == 0 ? 0 : System.nanoTime(); // no clock read on the uncontended path of every command
        try {
            // The timed form queues behind a waiting lockAll (the untimed tryLock would barge past it).
            if (!gate.readLock().tryLock(nanos, TimeUnit.NANOSECONDS)) return false;
            if (!locks[stripe].tryLock()
                    && (nanos == 0 || !locks[stripe].tryLock(start + nanos - System.nanoTime(), TimeUnit.NANOSECONDS))) {
                gate.readLock().unlock();
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        Snapshot s = snapshot;
        if (s != null) s.touched(stripe);
        return true;
    }

    public void unlock(int stripe) {
        locks[stripe].unlock();
        gate.readLock().unlock();
    }

    /**
     * Takes {@code stripes[0..n)} (ascending and distinct, per the locking rule) under one hold of the gate's read
     * side instead of one per stripe, as a multi-key command (MSET, MGET, DEL) needs them all for its whole run.
     * Waits at most {@code nanos} in all (0: only what is free right now, and not ahead of a waiting
     * {@link #tryLockAll}); all or none: false, holding none of them, if one stayed taken or the thread was
     * interrupted. Release with {@link #unlockStripes}.
     */
    public boolean tryLockStripes(int[] stripes, int n, long nanos) {
        long start = nanos == 0 ? 0 : System.nanoTime();
        boolean entered = false;
        int taken = 0;
        try {
            if (!gate.readLock().tryLock(nanos, TimeUnit.NANOSECONDS)) return false;
            entered = true;
            while (taken < n) {
                ReentrantLock l = locks[stripes[taken]];
                // Earlier stripes stay held while a later one is awaited: safe, all are taken in ascending order.
                if (!l.tryLock() && (nanos == 0 || !l.tryLock(start + nanos - System.nanoTime(), TimeUnit.NANOSECONDS))) {
                    break;
                }
                taken++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (taken < n) {
            for (int i = taken - 1; i >= 0; i--) locks[stripes[i]].unlock();
            if (entered) gate.readLock().unlock();
            return false;
        }
        Snapshot s = snapshot;
        if (s != null) for (int i = 0; i < n; i++) s.touched(stripes[i]);
        return true;
    }

    /** Releases what {@link #tryLockStripes} took. */
    public void unlockStripes(int[] stripes, int n) {
        for (int i = n - 1; i >= 0; i--) locks[stripes[i]].unlock();
        gate.readLock().unlock();
    }

    public boolean heldByCurrentThread(int stripe) {
        return gate.isWriteLockedByCurrentThread() || locks[stripe].isHeldByCurrentThread();
    }

    /** Every stripe: the gate's write side (reentrant; also under {@link #beginSnapshot}'s cut). */
    public void lockAll() {
        refuseUpgrade();
        gate.writeLock().lock();
        touchedAll();
    }

    /** As {@link #lockAll()}, waiting at most {@code nanos}; false if some stripe stayed taken (or interrupted). */
    public boolean tryLockAll(long nanos) {
        refuseUpgrade();
        try {
            if (!gate.writeLock().tryLock(nanos, TimeUnit.NANOSECONDS)) return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        touchedAll();
        return true;
    }

    private void touchedAll() {
        Snapshot s = snapshot;
        if (s != null) s.touchedAll(); // the caller may change any stripe: each must be dumped first
    }

    /** A thread holding some stripes that waited for all of them would wait for itself: fail instead. */
    private void refuseUpgrade() {
        if (!gate.isWriteLockedByCurrentThread() && gate.getReadHoldCount() > 0) {
            throw new IllegalStateException("every stripe requested by a thread holding some of them");
        }
    }

    public void unlockAll() {
        gate.writeLock().unlock();
    }

    public Clock clock() {
        return clock;
    }

    // ---- snapshots ----------------------------------------------------------------------------

    /**
     * The running snapshot, or null. Read after every stripe lock is taken (the only cost of the
     * mechanism when no snapshot runs); written under every stripe lock when it starts, so a thread
     * that takes a lock after the cut always sees it.
     */
    private volatile Snapshot snapshot;
    private static final java.lang.invoke.VarHandle SNAPSHOT;

    static {
        try {
            SNAPSHOT = java.lang.invoke.MethodHandles.lookup().findVarHandle(Keyspace.class, "snapshot", Snapshot.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Starts a point-in-time snapshot of every database (see {@link Snapshot}). Holds every stripe
     * lock for an instant: runs {@code atCut} there (e.g. switching the AOF to a new incr file, so
     * that everything before is in the snapshot and everything after in the new file) and marks
     * every stripe pending; returns with no lock taken (beyond those the caller already held).
     * Nothing is dumped yet: call {@link Snapshot#run()} on the thread that should do the work.
     * Until then, clients that lock a stripe dump it to {@code sink} themselves.
     *
     * @throws IllegalStateException if a snapshot is already running (one at a time, as Redis runs
     *         one child at a time; callers queue, as Redis schedules BGSAVE behind a rewrite)
     */
    public Snapshot beginSnapshot(SnapshotSink sink, Runnable atCut) {
        // Two beginnings exclude each other through the locks; the end is a compare-and-set, so
        // no monitor is needed (one would deadlock against a cancel() from a thread holding a stripe).
        gate.writeLock().lock(); // not lockAll(): a running snapshot must not be dumped here
        try {
            if (snapshot != null) throw new IllegalStateException("a snapshot is already running");
            if (atCut != null) atCut.run();
            Snapshot s = new Snapshot(this, sink, clock.millis(), locks.length, databases.length);
            snapshot = s;
            return s;
        } finally {
            gate.writeLock().unlock();
        }
    }

    /** True while a snapshot is running (between {@link #beginSnapshot} and the end of its run or cancel). */
    public boolean snapshotRunning() {
        return snapshot != null;
    }

    void endSnapshot(Snapshot s) {
        SNAPSHOT.compareAndSet(this, s, null);
    }

    public KeyspaceStats stats() {
        return stats;
    }

    public KeyspaceListener listener() {
        return listener;
    }

    public void listener(KeyspaceListener listener) {
        this.listener = listener == null ? KeyspaceListener.NONE : listener;
    }

    // ---- whole-keyspace operations (caller holds all locks) ----------------------------------

    /** SWAPDB; caller holds every stripe lock. */
    public void swapLocked(int a, int b) {
        Database[] dbs = databases.clone();
        Database da = dbs[a], db = dbs[b];
        // Swap contents rather than objects so Database.id stays its index.
        KeyTable[] tmp = new KeyTable[da.tables.length];
        System.arraycopy(da.tables, 0, tmp, 0, tmp.length);
        System.arraycopy(db.tables, 0, da.tables, 0, tmp.length);
        System.arraycopy(tmp, 0, db.tables, 0, tmp.length);
        databases = dbs;
    }

    /** FLUSHDB; caller holds every stripe lock. */
    public void flushLocked(int db) {
        databases[db].clearLocked();
        if (keyCount.get() == 0) usedMemory.reset();
    }

    /** FLUSHALL; caller holds every stripe lock. */
    public void flushAllLocked() {
        for (Database d : databases) d.clearLocked();
        keyCount.set(0);
        usedMemory.reset();
    }

    // ---- capacity and memory ----------------------------------------------------------------

    public long keyCount() {
        return keyCount.get();
    }

    public void capacity(long capacity) {
        this.capacity = capacity;
    }

    public long capacity() {
        return capacity;
    }

    public void maxMemory(long bytes) {
        this.maxMemory = bytes;
    }

    public long maxMemory() {
        return maxMemory;
    }

    public void policy(EvictionPolicy policy) {
        this.policy = policy;
    }

    public EvictionPolicy policy() {
        return policy;
    }

    public void evictionSamples(int n) {
        this.evictionSamples = Math.max(1, n);
    }

    public void lfuParams(int logFactor, int decayTime) {
        this.lfuLogFactor = logFactor;
        this.lfuDecayTime = decayTime;
    }

    public long usedMemory() {
        return Math.max(0, usedMemory.sum());
    }

    void adjustMemory(long delta) {
        if (delta != 0) usedMemory.add(delta);
    }

    /** True when a write that may add data must first free room (or be refused). */
    public boolean overLimit() {
        long cap = capacity;
        if (cap > 0 && keyCount.get() >= cap) return true;
        long mm = maxMemory;
        return mm > 0 && usedMemory() >= mm;
    }

    public boolean atKeyCapacity() {
        long cap = capacity;
        return cap > 0 && keyCount.get() >= cap;
    }

    void reserveKey() {
        long cap = capacity;
        if (cap > 0 && policy == EvictionPolicy.NOEVICTION) {
            while (true) {
                long n = keyCount.get();
                if (n >= cap) throw new CapacityExceededException();
                if (keyCount.compareAndSet(n, n + 1)) return;
            }
        }
        keyCount.incrementAndGet();
    }

    void releaseKey() {
        keyCount.decrementAndGet();
    }

    void releaseKeys(int n) {
        if (n != 0) keyCount.addAndGet(-n);
    }

    /**
     * Evicts keys by the policy until under the limits. Must be called holding no stripe lock.
     * Returns false if the limit still holds (noeviction, or nothing evictable).
     */
    public boolean freeUntilUnderLimit() {
        EvictionPolicy p = policy;
        if (!overLimit()) return true;
        if (p == EvictionPolicy.NOEVICTION) return false;
        int guard = 0;
        while (overLimit()) {
            if (!evictOne(p) || ++guard > 10_000) return !overLimit();
        }
        return true;
    }

    /**
     * Samples {@code maxmemory-samples} keys uniformly among the candidates (keys with a TTL for
     * the volatile policies) of all databases and evicts the best by the policy. A sample picks a
     * random candidate position and walks the per-stripe counts to it, so a key in a sparse stripe
     * or a small database is as likely to be sampled as any other; the counts are read without
     * locks (hints, re-checked under the stripe's lock).
     */
    private boolean evictOne(EvictionPolicy p) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        boolean volatileOnly = p.volatileOnly();
        Database[] dbs = databases;
        long total = 0;
        for (Database d : dbs) total += volatileOnly ? d.volatileSize() : d.size();
        if (total <= 0) return false;
        Database bestDb = null;
        Object best = null;
        int bestStripe = -1;
        long bestScore = Long.MIN_VALUE;
        int samples = evictionSamples;
        for (int sample = 0; sample < samples; sample++) {
            long position = rnd.nextLong(total);
            Database d = null;
            for (Database candidate : dbs) {
                long n = volatileOnly ? candidate.volatileSize() : candidate.size();
                if (n <= 0) continue;
                d = candidate;
                if (position < n) break;
                position -= n;
            }
            if (d == null) return false;
            int stripe = stripeAt(d, volatileOnly, position);
            if (stripe < 0) continue;
            lock(stripe);
            try {
                KeyTable t = d.table(stripe);
                Object e = volatileOnly ? t.randomVolatile(rnd) : t.randomSlot(rnd);
                if (e == null) continue;
                long score = switch (p) {
                    case ALLKEYS_LRU, VOLATILE_LRU -> idleSeconds(SlotLayout.access(e));
                    case ALLKEYS_LFU, VOLATILE_LFU -> 255 - lfuDecayedCounter(SlotLayout.access(e));
                    case VOLATILE_TTL -> -SlotLayout.expireAt(e);
                    default -> rnd.nextLong();
                };
                if (best == null || score > bestScore) {
                    best = e;
                    bestScore = score;
                    bestDb = d;
                    bestStripe = stripe;
                }
            } finally {
                unlock(stripe);
            }
        }
        if (best == null) return false;
        byte[] evicted;
        lock(bestStripe);
        try {
            if (!bestDb.stillHolds(bestStripe, best)) return true; // changed meanwhile; caller re-checks the limit
            evicted = bestDb.removeLocked(bestStripe, best);
        } finally {
            unlock(bestStripe);
        }
        stats.evictedKeys.increment();
        listener.evicted(bestDb, evicted);
        return true;
    }

    /**
     * The stripe of {@code d} holding the candidate at {@code position} (counting stripe by stripe);
     * the last stripe with candidates if the counts changed meanwhile; -1 if none has any.
     */
    private int stripeAt(Database d, boolean volatileOnly, long position) {
        int last = -1;
        for (int stripe = 0; stripe < locks.length; stripe++) {
            KeyTable t = d.table(stripe);
            int n = volatileOnly ? t.volatileCount() : t.size();
            if (n <= 0) continue;
            last = stripe;
            if (position < n) return stripe;
            position -= n;
        }
        return last;
    }

    // ---- LRU / LFU --------------------------------------------------------------------------

    /**
     * Seconds since start, the LRU clock. With the system clock it is the value the server cron
     * last stored ({@link #cronTick}, hz times a second), as Redis's cached {@code server.lruclock}:
     * every key access touches it, and a clock read per access is measurable. Test clocks are read
     * directly.
     */
    int lruClock() {
        return clock == Clock.SYSTEM ? lruClockCache : (int) ((clock.millis() - startMillis) / 1000);
    }

    private volatile int lruClockCache;

    /** Called by the server cron: refreshes the cached LRU clock. */
    public void cronTick() {
        lruClockCache = (int) ((clock.millis() - startMillis) / 1000);
        if (activeRehashing) activeRehash(REHASH_BUDGET_NANOS);
    }

    /** Redis's budget for active rehashing: 1 ms per cron tick. */
    private static final long REHASH_BUDGET_NANOS = 1_000_000L;
    private volatile boolean activeRehashing = true;

    /** Redis's {@code activerehashing}: whether {@link #cronTick} finishes the resizes commands left half done. */
    public void activeRehashing(boolean on) {
        this.activeRehashing = on;
    }

    /**
     * Redis's active rehashing (databasesCron): a resize moves keys only as commands reach its stripe,
     * so a table written in a burst and then left alone would keep both its arrays for good (the old
     * one was a seventh of the live heap of 1M small keys, bench/results/2026-12-07-mem.md). Moves the
     * keys of such tables for at most {@code budgetNanos}, one stripe lock at a time and at most 1,024
     * keys per hold; a stripe another thread holds waits for the next tick. Not while a snapshot is
     * cut, as Redis does not rehash while a child saves: taking a stripe would make the snapshot copy it.
     * Nor while a file loads: the loader writes without the stripe locks (and finishes its resizes itself).
     */
    void activeRehash(long budgetNanos) {
        long deadline = System.nanoTime() + budgetNanos;
        for (Database d : databases) {
            for (int s = 0; s < locks.length; s++) {
                KeyTable t = d.table(s);
                while (t.rehashing()) { // read without the lock, checked again under it
                    if (snapshot != null || bulkLoading || !tryLock(s)) break;
                    try {
                        if (t.rehashing() && !bulkLoading) t.rehashStep(1024);
                    } finally {
                        unlock(s);
                    }
                    if (System.nanoTime() > deadline) return;
                }
            }
        }
    }

    /** Records an access to a stored key in its 24-bit clock (Redis's updateLFU / LRU_CLOCK). */
    void touchSlot(Object slot) {
        if (policy.lfu()) {
            SlotLayout.access(slot, lfuIncrement(SlotLayout.access(slot)));
        } else {
            SlotLayout.access(slot, lruClock() & SlotLayout.ACCESS_MASK);
        }
    }

    /**
     * RESTORE's IDLETIME / FREQ (Redis's objectSetLRUOrLFU): under an LFU policy a given frequency
     * becomes the counter, under the others a given idle time moves the access time back; a
     * negative argument leaves the entry as it is. Returns whether it applied.
     */
    public boolean setAccess(Entry e, long lfuFreq, long lruIdleSeconds) {
        if (policy.lfu()) {
            if (lfuFreq < 0) return false;
            e.access((minutesNow() << 8) | (int) Math.min(lfuFreq, 255));
        } else {
            if (lruIdleSeconds < 0) return false;
            // 24 bits of seconds, as Redis's LRU clock: an idle time beyond ~194 days wraps, there too.
            e.access((int) (lruClock() - Math.min(lruIdleSeconds, SlotLayout.ACCESS_MASK)) & SlotLayout.ACCESS_MASK);
        }
        return true;
    }

    /** Seconds since the key was last touched. */
    public long idleSeconds(Entry e) {
        return idleSeconds(e.access());
    }

    /** Seconds since a 24-bit access clock, across the clock's wrap (Redis's estimateObjectIdleTime). */
    private long idleSeconds(int access) {
        int now = lruClock() & SlotLayout.ACCESS_MASK;
        return now >= access ? now - access : now + (SlotLayout.ACCESS_MASK + 1L - access);
    }

    // LFU: high 16 bits = minutes of last decrement, low 8 bits = logarithmic counter (Redis's layout).
    private int minutesNow() {
        return (int) ((clock.millis() / 60000) & 0xffff);
    }

    public int lfuDecayed(Entry e) {
        return lfuDecayedCounter(e.access());
    }

    /** The LFU counter of an access clock after decay; 5 (LFU_INIT_VAL) for keys created before the policy switch. */
    private int lfuDecayedCounter(int access) {
        int counter = access == 0 ? 5 : access & 0xff;
        int last = (access >>> 8) & 0xffff;
        int now = minutesNow();
        int elapsed = now >= last ? now - last : 65535 - last + now;
        int periods = lfuDecayTime > 0 ? elapsed / lfuDecayTime : 0;
        return periods > counter ? 0 : counter - periods;
    }

    private int lfuIncrement(int access) {
        int counter = access == 0 ? 5 : lfuDecayedValue(access);
        if (counter < 255) {
            double r = ThreadLocalRandom.current().nextDouble();
            double baseval = Math.max(0, counter - 5);
            double pr = 1.0 / (baseval * lfuLogFactor + 1);
            if (r < pr) counter++;
        }
        return (minutesNow() << 8) | counter;
    }

    private int lfuDecayedValue(int access) {
        int counter = access & 0xff;
        int last = (access >>> 8) & 0xffff;
        int now = minutesNow();
        int elapsed = now >= last ? now - last : 65535 - last + now;
        int periods = lfuDecayTime > 0 ? elapsed / lfuDecayTime : 0;
        return periods > counter ? 0 : counter - periods;
    }

    // ---- expiry ------------------------------------------------------------------------------

    public void activeExpireEnabled(boolean on) {
        this.activeExpireEnabled = on;
    }

    public boolean activeExpireEnabled() {
        return activeExpireEnabled;
    }

    /**
     * While an AOF loads, a hash table that starts to grow finishes its rehash at once instead of a
     * bucket per operation (Redis rehashes incrementally then too, but it also probes both arrays).
     */
    public void bulkLoading(boolean on) {
        this.bulkLoading = on;
    }

    boolean bulkLoading() {
        return bulkLoading;
    }

    private volatile boolean bulkLoading;

    /** While loading an AOF, keys are not expired on access (so replay order does not matter). */
    public void lazyExpireEnabled(boolean on) {
        this.lazyExpireEnabled = on;
    }

    boolean expiryEnabledOnAccess() {
        return lazyExpireEnabled;
    }

    private volatile boolean expiryDeletionPaused;

    /**
     * While clients are paused (CLIENT PAUSE), expired keys read as missing but are not deleted, and
     * the active cycle skips its work, so the dataset does not change (Redis 7's pause of the
     * expire and evict actions).
     */
    public void expiryDeletionPaused(boolean paused) {
        this.expiryDeletionPaused = paused;
    }

    public boolean expiryDeletionPaused() {
        return expiryDeletionPaused;
    }

    /**
     * One active expiry pass (Redis's activeExpireCycle): per database and stripe, sample up to 20
     * keys with a TTL and remove the expired ones, repeating while more than a quarter of a sample
     * had expired, within {@code budgetMillis}. Returns the number of keys removed.
     */
    public long activeExpireCycle(long budgetMillis) {
        if (!activeExpireEnabled) return 0;
        stats.expireCycles.increment();
        long deadline = System.nanoTime() + budgetMillis * 1_000_000L;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        long removed = 0;
        Database[] dbs = databases;
        for (Database d : dbs) {
            if (d.volatileSize() == 0) continue;
            for (int s = 0; s < locks.length; s++) {
                KeyTable t = d.table(s);
                if (t.volatileCount() == 0) continue;
                int expiredInSample;
                do {
                    expiredInSample = 0;
                    int sample = Math.min(20, t.volatileCount());
                    lock(s);
                    try {
                        long now = clock.millis();
                        for (int i = 0; i < sample && t.volatileCount() > 0; i++) {
                            Object v = t.randomVolatile(rnd);
                            if (v != null && SlotLayout.expireAt(v) < now) {
                                byte[] key = d.removeLocked(s, v);
                                stats.expiredKeys.increment();
                                listener.expired(d, key);
                                expiredInSample++;
                                removed++;
                            }
                        }
                    } finally {
                        unlock(s);
                    }
                    if (System.nanoTime() > deadline) return removed;
                } while (expiredInSample > 5 && t.volatileCount() > 0);
            }
        }
        return removed;
    }
}
