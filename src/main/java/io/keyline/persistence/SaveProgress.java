package io.keyline.persistence;

import io.keyline.store.Keyspace;
import io.keyline.store.Snapshot;

import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * One background save (BGSAVE or an AOF rewrite) while it runs: what INFO persistence reports as
 * Redis's child reports it ({@code current_save_keys_total} = keys at the cut,
 * {@code current_save_keys_processed}, {@code current_cow_size} = the encoded stripes waiting for
 * the disk now, the extra memory Keyline's copy-on-write holds in place of Redis's copied pages),
 * the kill switch (Redis's killRDBChild) and the {@code rdb-key-save-delay} pacing.
 *
 * <p>Pacing: Redis's child sleeps {@code rdb-key-save-delay} microseconds per key it writes (a
 * negative value -N sleeps 1 µs for one key in N). Keyline's save thread encodes some stripes under
 * their locks, where a sleep would stall clients; so it pays the delay owed for the keys processed so
 * far between stripes, with no lock held. The file's content is the
 * same; only the save takes longer, which is what the knob is for (tests that watch a save run).
 */
final class SaveProgress {
    /** How long one pacing sleep lasts at most, so a kill is noticed quickly. */
    private static final long PACE_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final long keyDelayMicros;
    private final BooleanSupplier cancelled;
    private volatile boolean killed;
    private volatile Snapshot snapshot;
    private volatile ChunkWriter writer;
    private volatile long keysTotal;
    private long pacedNanos;

    /**
     * @param keyDelayMicros {@code rdb-key-save-delay} when the save started
     * @param cancelled      other reasons to stop (shutdown), checked with {@link #killed()}
     */
    SaveProgress(long keyDelayMicros, BooleanSupplier cancelled) {
        this.keyDelayMicros = keyDelayMicros;
        this.cancelled = cancelled;
    }

    /** Runs under every stripe lock at the cut: records the keys the save will write; refuses a killed save. */
    void atCut(Keyspace ks) {
        if (killed()) throw new CancellationException("save killed before its cut");
        long total = 0;
        for (int d = 0; d < ks.databaseCount(); d++) total += ks.db(d).size();
        keysTotal = total;
    }

    /** The snapshot and its file writer, once the cut is taken; a kill that came meanwhile takes effect now. */
    void started(Snapshot s, ChunkWriter w) {
        writer = w;
        snapshot = s;
        if (killed) s.cancel();
    }

    /**
     * Redis's killRDBChild: the snapshot stops at once (stripes it still owes are never copied or
     * encoded, so clients and a FLUSHALL about to take every lock do not pay for them) and the save fails
     * with a cancellation. Safe from any thread.
     */
    void kill() {
        killed = true;
        Snapshot s = snapshot;
        if (s != null) s.cancel();
    }

    boolean killed() {
        return killed || cancelled.getAsBoolean();
    }

    /**
     * For {@link Snapshot#run(BooleanSupplier)}: before each stripe, pays the delay owed so far
     * (outside every lock), then says whether to stop.
     */
    boolean pacedCancelCheck() {
        pace();
        return killed();
    }

    /** Sleeps until the delay owed for the keys processed so far is paid, or the save is killed. */
    void pace() {
        if (keyDelayMicros == 0) return;
        long owed = owedNanos(keysProcessed()) - pacedNanos;
        while (owed > 0 && !killed()) {
            long slice = Math.min(owed, PACE_SLICE_NANOS);
            long t0 = System.nanoTime();
            LockSupport.parkNanos(slice);
            long slept = Math.max(System.nanoTime() - t0, 0);
            pacedNanos += slept;
            owed -= slept;
        }
    }

    private long owedNanos(long keys) {
        if (keyDelayMicros > 0) return keys * keyDelayMicros * 1000;
        return keys * 1000 / -keyDelayMicros; // one microsecond per -delay keys on average, as debugDelay
    }

    long keysTotal() {
        return keysTotal;
    }

    long keysProcessed() {
        Snapshot s = snapshot;
        return s == null ? 0 : s.keys();
    }

    /** Encoded bytes held for the disk right now. */
    long cowBytes() {
        ChunkWriter w = writer;
        return w == null ? 0 : w.queuedBytes();
    }

    long cowPeakBytes() {
        ChunkWriter w = writer;
        return w == null ? 0 : w.peakQueuedBytes();
    }

    /** Redis's current_fork_perc: keys processed out of the keys at the cut, in percent. */
    static double percent(long processed, long total) {
        return total == 0 ? 0 : Math.min(100.0, processed * 100.0 / total);
    }
}
