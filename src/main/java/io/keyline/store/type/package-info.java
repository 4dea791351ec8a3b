/**
 * Data-type values other than strings, plain Java with no RESP. Callers hold the key's stripe lock.
 *
 * <p>{@link io.keyline.store.type.ListValue} (listpack / quicklist, nodes are packed
 * {@link io.keyline.store.type.PackedNode}s) and {@link io.keyline.store.type.HashValue} (listpack as
 * one packed byte array / open-addressing hashtable): each reports its TYPE name and OBJECT ENCODING
 * ({@link io.keyline.store.TypedValue}), a deep copy for COPY ({@link io.keyline.store.Copyable}), an
 * O(1) heap estimate and emptiness ({@link io.keyline.store.CollectionValue}: the database accounts
 * in-place changes and deletes emptied keys around a command's update) and the RPUSH / HSET commands
 * that rebuild it for an AOF rewrite ({@link io.keyline.store.AofRewritable}). Each converts at the
 * {@link io.keyline.store.EncodingLimits} it was created with; a list reads its node size
 * (list-max-listpack-size) from them at each operation, so CONFIG SET reaches existing lists.
 *
 * <p>{@link io.keyline.store.type.SetValue} (intset / listpack / hashtable) and
 * {@link io.keyline.store.type.SortedSetValue} (listpack / "skiplist": a counted B+ tree,
 * {@link io.keyline.store.type.ScoreTree}, plus a member table),
 * converted one way upward at the thresholds in {@link io.keyline.store.EncodingLimits}, as
 * Redis 7.2 does. Each value reports its heap footprint and emptiness
 * ({@link io.keyline.store.CollectionValue}).
 *
 * <p>{@link io.keyline.store.EncodingLimits} is a plain holder: the server keeps it current
 * from its config; nothing here reads the config or speaks RESP.
 */
package io.keyline.store.type;
