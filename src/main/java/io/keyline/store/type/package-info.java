/**
 * Data-type values other than strings, plain Java with no RESP. Callers hold the key's stripe lock.
 *
 * <p>{@link io.keyline.store.type.ListValue} (listpack / quicklist; its nodes pack their elements'
 * bytes, {@link io.keyline.store.type.PackedNode}, or keep elements of 512 bytes and more as the arrays
 * they were given, {@link io.keyline.store.type.ReferenceNode}) and {@link io.keyline.store.type.HashValue} (listpack as
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
 * <p>The hashtable encodings ({@link io.keyline.store.type.FieldTable} of a hash,
 * {@link io.keyline.store.type.MemberTable} of a set and of a sorted set's member dict) resize
 * incrementally, as Redis's dict: a second table, a few elements moved per write, lookups in both,
 * SCAN over both with the reverse-binary cursor; their arrays are {@link io.keyline.store.Chunks}
 * allocated a page or so at a time as the new table fills, so no single command pays for copying,
 * zeroing or faulting in a big table. Lookups move an element too, except while the table is being
 * iterated (a command may look up the collection it walks); only writes drop a drained old table,
 * since a value's footprint is accounted around writes.
 *
 * <p>{@link io.keyline.store.EncodingLimits} is a plain holder: the server keeps it current
 * from its config; nothing here reads the config or speaks RESP.
 */
package io.keyline.store.type;
