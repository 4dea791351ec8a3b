package io.keyline.engine;

/**
 * Where executed writes go (the AOF). Called by the dispatcher while the command's stripe locks are
 * still held, so the log order is consistent with execution order for every key.
 */
public interface Propagator {
    Propagator NONE = new Propagator() {
        @Override
        public long append(int db, byte[][] argv) {
            return 0;
        }
    };

    /** Logs one command for database {@code db}; returns a sequence number to wait on (0 = none). */
    long append(int db, byte[][] argv);

    /** True once everything up to {@code seq} is as durable as the fsync policy promises. */
    default boolean isDurable(long seq) {
        return true;
    }

    /**
     * Runs {@code action} (on any thread) once {@code seq} is durable. Called on an event loop, the
     * propagator may make it durable at the end of that loop's batch ({@link BatchEnd}).
     */
    default void whenDurable(long seq, Runnable action) {
        action.run();
    }

    /** Non-null when writes must be refused (e.g. MISCONF after a failed write or fsync). */
    default String writeError() {
        return null;
    }
}
