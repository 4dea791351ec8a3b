/**
 * Data-type values other than strings, plain Java with no RESP. Callers hold the key's stripe lock.
 *
 * <p>{@link io.keyline.store.type.ListValue} (listpack / quicklist, nodes are packed
 * {@link io.keyline.store.type.PackedNode}s) and {@link io.keyline.store.type.HashValue} (listpack as
 * one packed byte array / open-addressing hashtable): each reports its TYPE name and OBJECT ENCODING
 * ({@link io.keyline.store.TypedValue}), a deep copy for COPY ({@link io.keyline.store.Copyable}), an
 * O(1) heap estimate ({@link io.keyline.store.MemorySized}; commands report in-place growth with
 * {@code Keyspace.reportMemoryDelta}) and the RPUSH / HSET commands that rebuild it for an AOF
 * rewrite ({@link io.keyline.store.AofRewritable}). Their encoding thresholds are passed in by the
 * commands from the current config.
 *
 * <p>{@link io.keyline.store.type.SetValue} (intset / listpack / hashtable) and
 * {@link io.keyline.store.type.SortedSetValue} (listpack / skiplist with spans plus a member table),
 * converted one way upward at the thresholds in {@link io.keyline.store.type.EncodingLimits}, as
 * Redis 7.2 does. Each value reports its heap footprint ({@link io.keyline.store.MemorySized});
 * handlers report in-place growth to the keyspace.
 */
package io.keyline.store.type;
