package io.keyline.store;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * A point-in-time view of the whole keyspace, taken without stopping clients and without copying
 * values: the JVM's answer to Redis's fork + copy-on-write, done per stripe.
 *
 * <p>How: {@link Keyspace#beginSnapshot} holds every stripe lock for an instant (the <em>cut</em>),
 * runs the caller's {@code atCut} there and marks every stripe pending. From then on, the first
 * thread to lock a pending stripe — {@link #run()} walking the stripes in order, or any client,
 * expiry, eviction or whole-keyspace command that gets there earlier — hands that stripe to the
 * {@link SnapshotSink} under the lock before doing anything else with it ("dump on first touch").
 * Nothing can change a stripe before it is dumped, so the data is exactly the data at the cut; a
 * client waits at most for the encoding of the stripes it locks, never for the whole dump. Reads
 * trigger the dump too: a lock does not say whether its holder will write (a read can expire a key
 * lazily, and LRU/LFU hints change on every access), and a read costs one stripe's encoding once
 * per snapshot at most.
 *
 * <p>Cost when no snapshot runs: one volatile read per stripe lock. While one runs: a plain array
 * read per lock. Extra memory: whatever the sink holds (its encoded stripes waiting for the disk).
 *
 * <p>Usage (at most one snapshot at a time per keyspace):
 * <pre>{@code
 * Snapshot s = keyspace.beginSnapshot(sink, () -> switchIncrFile());
 * s.run();            // on the thread that should do the bulk of the work; returns when every stripe is in the sink
 * }</pre>
 * {@link #run()} may also be called by a thread that already holds stripe locks (they are
 * reentrant), e.g. a synchronous save under {@link Keyspace#lockAll()}.
 */
public final class Snapshot {
    private final Keyspace keyspace;
    private final SnapshotSink sink;
    private final long cutMillis;
    private final int databases;
    /** Per stripe, guarded by that stripe's lock: already handed to the sink (or skipped when stopped). */
    private final boolean[] done;
    private volatile boolean stopped;
    private volatile Throwable failure;
    private volatile Thread runner;

    private final AtomicLong keys = new AtomicLong();
    private final AtomicLong dumpedByOthers = new AtomicLong();
    private final LongAccumulator maxStripeNanos = new LongAccumulator(Math::max, 0);
    private final AtomicLong totalStripeNanos = new AtomicLong();

    Snapshot(Keyspace keyspace, SnapshotSink sink, long cutMillis, int stripes, int databases) {
        this.keyspace = keyspace;
        this.sink = sink;
        this.cutMillis = cutMillis;
        this.databases = databases;
        this.done = new boolean[stripes];
    }

    /** The keyspace clock at the cut: a key whose deadline is at or before it was already expired then. */
    public long cutMillis() {
        return cutMillis;
    }

    /**
     * Visits every stripe not yet dumped, in order, on the calling thread (each one under its lock),
     * then ends the snapshot. Returns when the sink has received every stripe. Throws what the sink
     * threw, or {@link java.util.concurrent.CancellationException} after {@link #cancel()}.
     */
    public void run() {
        run(() -> false);
    }

    /** As {@link #run()}, checking {@code cancelled} before each stripe (and then {@link #cancel() cancelling}). */
    public void run(java.util.function.BooleanSupplier cancelled) {
        runner = Thread.currentThread();
        try {
            for (int s = 0; s < done.length && !stopped; s++) {
                if (cancelled.getAsBoolean()) {
                    cancel();
                    break;
                }
                keyspace.lock(s); // the lock hook dumps the stripe if nobody did yet
                keyspace.unlock(s);
            }
        } finally {
            runner = null;
            keyspace.endSnapshot(this);
        }
        Throwable f = failure;
        if (f instanceof RuntimeException r) throw r;
        if (f instanceof Error e) throw e;
        if (f != null) throw new IllegalStateException(f);
        if (stopped) throw new java.util.concurrent.CancellationException("snapshot cancelled");
    }

    /**
     * Abandons the snapshot: stripes not dumped yet never will be, and {@link #run()} stops at the
     * next stripe with a {@link java.util.concurrent.CancellationException}. Safe from any thread.
     */
    public void cancel() {
        stopped = true;
        keyspace.endSnapshot(this);
    }

    /** Keys handed to the sink so far. */
    public long keys() {
        return keys.get();
    }

    /** Stripes dumped by a thread other than the one in {@link #run()} (clients that touched them first). */
    public long stripesDumpedByOthers() {
        return dumpedByOthers.get();
    }

    /** The longest time one stripe took in the sink: the most a client waited on the snapshot per stripe lock. */
    public long maxStripeNanos() {
        return maxStripeNanos.get();
    }

    /** Total time spent in the sink, all stripes. */
    public long totalStripeNanos() {
        return totalStripeNanos.get();
    }

    public int stripes() {
        return done.length;
    }

    /** Called by {@link Keyspace} after it took {@code stripe}'s lock while this snapshot is active. */
    void touched(int stripe) {
        if (done[stripe]) return;
        done[stripe] = true;
        if (stopped) return;
        long t0 = System.nanoTime();
        try {
            sink.stripe(stripe, new StripeContents(stripe));
        } catch (Throwable t) {
            // The sink broke, not the caller's command: fail the snapshot, let the caller go on.
            if (failure == null) failure = t;
            stopped = true;
        }
        long ns = System.nanoTime() - t0;
        maxStripeNanos.accumulate(ns);
        totalStripeNanos.addAndGet(ns);
        if (Thread.currentThread() != runner) dumpedByOthers.incrementAndGet();
    }

    /** A whole-keyspace lock was taken: every stripe is about to be open to change. */
    void touchedAll() {
        for (int s = 0; s < done.length; s++) touched(s);
    }

    /** Visits one entry of a stripe being dumped. */
    @FunctionalInterface
    public interface EntryVisitor {
        void entry(int db, Entry entry);
    }

    /**
     * The contents of one stripe at the cut, valid only during {@link SnapshotSink#stripe}: the
     * entries of table {@code stripe} in every database, database by database (0 first). Keys
     * past their deadline that were not reclaimed yet are included: compare
     * {@link Entry#expireAt()} with {@link #cutMillis()}.
     */
    public final class StripeContents {
        private final int stripe;

        private StripeContents(int stripe) {
            this.stripe = stripe;
        }

        public int stripe() {
            return stripe;
        }

        public long cutMillis() {
            return cutMillis;
        }

        /** The keyspace, for its LRU/LFU readings ({@link Keyspace#idleSeconds}, {@link Keyspace#lfuDecayed}). */
        public Keyspace keyspace() {
            return keyspace;
        }

        /** Calls {@code visitor} for every entry of this stripe, database by database. */
        public void forEach(EntryVisitor visitor) {
            long n = 0;
            for (int d = 0; d < databases; d++) {
                KeyTable t = keyspace.db(d).table(stripe);
                if (t.size() == 0) continue;
                int db = d;
                keyspace.db(d).forEachInStripe(stripe, e -> visitor.entry(db, e));
                n += t.size();
            }
            keys.addAndGet(n);
        }
    }
}
