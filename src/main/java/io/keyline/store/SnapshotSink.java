package io.keyline.store;

/**
 * Receives a {@link Snapshot}'s data, one stripe at a time (see {@link Keyspace#beginSnapshot}).
 *
 * <p>{@link #stripe} is called exactly once per stripe, with that stripe's lock held and its
 * contents exactly as they were at the cut. It is called from whichever thread gets there first:
 * the thread running {@link Snapshot#run()}, or a client thread (a writer, the active expiry cycle,
 * eviction, a whole-keyspace command) that locked the stripe before the snapshot reached it. So:
 * <ul>
 *   <li>it must be thread-safe: different stripes may be handed over concurrently;</li>
 *   <li>it should only encode (to memory) and hand the bytes off: a client is waiting on the lock,
 *       and every other client of that stripe behind it. Blocking briefly for back-pressure (a
 *       bounded queue to a file writer) is fine; it must not take stripe locks or wait for
 *       anything that needs one;</li>
 *   <li>it must not keep references to the values after it returns: once the lock is released
 *       the values change in place (that is what makes the snapshot free of copies).</li>
 * </ul>
 * A runtime exception thrown here fails the snapshot ({@link Snapshot#run()} rethrows it); the
 * thread that happened to trigger the dump carries on unaffected.
 */
@FunctionalInterface
public interface SnapshotSink {
    void stripe(int stripe, Snapshot.StripeContents contents);
}
