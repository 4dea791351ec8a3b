package io.keyline.store;

/** A new key was refused because the keyspace is at its key-count capacity under noeviction. */
public final class CapacityExceededException extends RuntimeException {
    public CapacityExceededException() {
        super(null, null, false, false);
    }
}
