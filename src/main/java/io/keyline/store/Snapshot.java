package io.keyline.store;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * A point-in-time view of the whole keyspace, taken without stopping clients and without copying
 * values: the JVM's answer to Redis's fork + copy-on-write, done per stripe.
 *
 * <p>How: {@link Keyspace#beginSnapshot} holds every stripe lock for an instant (the <em>cut</em>),
 * runs the caller's {@code atCut} there and marks every stripe pending. From then on, the first
 * thread to lock a pending stripe deals with it under the lock before doing anything else with it:
 * {@link #run()}, walking the stripes in order, hands it to the {@link SnapshotSink}; any client,
 * expiry, eviction or whole-keyspace command that gets there earlier copies its entries (a blob's bytes,
 * whose access clock changes in place; a boxed entry's strings shared, since nothing overwrites them
 * while a snapshot runs; collections deep-copied) for {@link #run()} to encode later, outside
 * the lock ("copy on first touch"). Nothing can change a stripe before it is dumped or copied, so the
 * data is exactly the data at the cut; a client waits at most for the copying of the stripes it
 * locks, never for their encoding. Reads
 * trigger the dump too: a lock does not say whether its holder will write (a read can expire a key
 * lazily, and LRU/LFU hints change on every access), and a read costs one stripe's encoding once
 * per snapshot at most.
 *
 * <p>Cost when no snapshot runs: one volatile read per stripe lock. While one runs: a plain array
 * read per lock. Extra memory: whatever the sink holds (its encoded stripes waiting for the disk),
 * plus the copies of stripes touched before {@link #run()} reached them (entries, and the collections
 * among their values), each dropped once encoded.
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
    /** Per stripe, guarded by that stripe's lock: already handed to the sink or captured (or skipped when stopped). */
    private final boolean[] done;
    /**
     * Per stripe, guarded by that stripe's lock: the stripe's entries at the cut, copied by another thread
     * that touched it first, per database (null where empty), waiting for {@link #run()} to encode them.
     */
    private final Entry[][][] captured;
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
        this.captured = new Entry[stripes][][];
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
                Entry[][] copies;
                keyspace.lock(s); // the lock hook dumps the stripe if nobody dumped or captured it yet
                try {
                    copies = captured[s];
                    captured[s] = null;
                } finally {
                    keyspace.unlock(s);
                }
                if (copies != null && !stopped) dump(s, copies); // outside the lock: nobody waits for it
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

    /**
     * Called by {@link Keyspace} after it took {@code stripe}'s lock while this snapshot is active. The
     * thread in {@link #run()} encodes the stripe there; any other thread (a client's event loop, expiry,
     * a script) only copies the stripe's entries (a blob's bytes, references to a boxed entry's immutable key
     * and string value, deep copies of the mutable values) and leaves the encoding to {@link #run()}. Copying is ~100x cheaper
     * than encoding, and random writes touch every pending stripe within milliseconds of the cut, so if
     * touching threads encoded, the event loops would do most of the save themselves (p99 1.4 s during a
     * BGSAVE of 1M keys under 5k SET/s, against Redis's 0.1 s).
     */
    void touched(int stripe) {
        if (done[stripe]) return;
        done[stripe] = true;
        if (stopped) return;
        if (Thread.currentThread() == runner) {
            dump(stripe, null);
            return;
        }
        try {
            captured[stripe] = capture(stripe);
            dumpedByOthers.incrementAndGet();
        } catch (RuntimeException t) {
            fail(t); // a value that cannot be copied could not be saved either
        }
    }

    /** Encodes a stripe: the live tables (under the stripe's lock) or the copies taken at first touch. */
    private void dump(int stripe, Entry[][] copies) {
        long t0 = System.nanoTime();
        try {
            sink.stripe(stripe, new StripeContents(stripe, copies));
        } catch (Throwable t) {
            fail(t);
        }
        long ns = System.nanoTime() - t0;
        maxStripeNanos.accumulate(ns);
        totalStripeNanos.addAndGet(ns);
    }

    /** The snapshot or its sink broke, not the caller's command: fail the snapshot, let the caller go on. */
    private void fail(Throwable t) {
        if (failure == null) failure = t;
        stopped = true;
    }

    /**
     * The stripe's entries in every database, copied: a blob's bytes (its LRU/LFU clock and volatile-index
     * position change in place, so sharing it would let the copy drift from the cut), the same key and
     * string arrays of a boxed entry (not overwritten while a snapshot runs: Database.setReusing), deep
     * copies of collections and mutable
     * strings ({@link Copyable#copyOf}), same deadline and LRU/LFU reading.
     */
    private Entry[][] capture(int stripe) {
        Entry[][] copies = new Entry[databases][];
        for (int d = 0; d < databases; d++) {
            KeyTable t = keyspace.db(d).table(stripe);
            if (t.size() == 0) continue;
            Entry[] out = new Entry[t.size()];
            int[] n = {0};
            keyspace.db(d).forEachInStripe(stripe, e -> out[n[0]++] = copyOf(e));
            copies[d] = n[0] == out.length ? out : java.util.Arrays.copyOf(out, n[0]);
        }
        return copies;
    }

    private static Entry copyOf(Entry e) {
        if (e.slot() instanceof byte[] blob) return new BlobEntry(blob.clone());
        Object value = Copyable.copyOf(e.value());
        long at = e.expireAt();
        BoxedEntry b = (BoxedEntry) e.slot();
        return at >= 0 ? new VolatileEntry(b.key, b.hash, value, at, e.access()) : new BoxedEntry(b.key, b.hash, value, e.access());
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
        private final Entry[][] copies; // null: read the live tables, under the stripe's lock

        private StripeContents(int stripe, Entry[][] copies) {
            this.stripe = stripe;
            this.copies = copies;
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
            if (copies != null) {
                for (int d = 0; d < copies.length; d++) {
                    if (copies[d] == null) continue;
                    for (Entry e : copies[d]) visitor.entry(d, e);
                    n += copies[d].length;
                }
                keys.addAndGet(n);
                return;
            }
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
