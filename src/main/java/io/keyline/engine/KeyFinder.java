package io.keyline.engine;

/** Key positions of a command whose keys are not a simple first/last/step range (ZUNIONSTORE, LMPOP...). */
@FunctionalInterface
public interface KeyFinder {
    /** Indexes into argv of the keys; may return an empty array on malformed input (the handler reports it). */
    int[] keys(byte[][] argv);
}
