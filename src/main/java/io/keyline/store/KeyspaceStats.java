package io.keyline.store;

import java.util.concurrent.atomic.LongAdder;

/** Counters INFO reports about the keyspace. */
public final class KeyspaceStats {
    public final LongAdder expiredKeys = new LongAdder();
    public final LongAdder evictedKeys = new LongAdder();
    public final LongAdder keyspaceHits = new LongAdder();
    public final LongAdder keyspaceMisses = new LongAdder();
    public final LongAdder expireCycles = new LongAdder();

    public void reset() {
        expiredKeys.reset();
        evictedKeys.reset();
        keyspaceHits.reset();
        keyspaceMisses.reset();
        expireCycles.reset();
    }
}
