/**
 * Data-type values other than strings, plain Java with no RESP: {@link io.keyline.store.type.SetValue}
 * (intset / listpack / hashtable) and {@link io.keyline.store.type.SortedSetValue} (listpack /
 * skiplist with spans plus a member table), converted one way upward at the thresholds in
 * {@link io.keyline.store.type.EncodingLimits}, as Redis 7.2 does. Each value reports its heap
 * footprint ({@link io.keyline.store.MemorySized}); handlers report in-place growth to the keyspace.
 * Callers hold the key's stripe lock.
 */
package io.keyline.store.type;
