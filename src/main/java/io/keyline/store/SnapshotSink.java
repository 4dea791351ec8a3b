package io.keyline.store;

/**
 * Receives a {@link Snapshot}'s data, one stripe at a time (see {@link Keyspace#beginSnapshot}).
 *
 * <p>{@link #stripe} is called exactly once per stripe, with that stripe's contents exactly as they
 * were at the cut, and only from the thread running {@link Snapshot#run()}: either with the stripe's
 * lock held (the live tables, when the snapshot got there first), or without it, on copies taken by a
 * client thread (a writer, the active expiry cycle, eviction, a whole-keyspace command) that locked the
 * stripe first. So:
 * <ul>
 *   <li>it should only encode and hand the bytes off: when the lock is held, every client of that
 *       stripe waits behind it. Blocking briefly for back-pressure (a bounded queue to a file writer)
 *       is fine; it must not take stripe locks or wait for anything that needs one;</li>
 *   <li>it must not keep references to the values after it returns: once the lock is released
 *       the live values change in place.</li>
 * </ul>
 * A runtime exception thrown here fails the snapshot ({@link Snapshot#run()} rethrows it); the
 * thread that happened to trigger the dump carries on unaffected.
 */
@FunctionalInterface
public interface SnapshotSink {
    void stripe(int stripe, Snapshot.StripeContents contents);
}
