/**
 * The keyspace: databases, striped hash tables, expiry and eviction, and (in sub-packages) the
 * data-type values. Knows nothing about RESP, Netty, the configuration or commands: it may use
 * {@code util} only (enforced by {@code ArchitectureTest}).
 *
 * <p>Shape: a {@link io.keyline.store.Keyspace} holds 16 (configurable) {@link io.keyline.store.Database}s
 * and one lock per <em>stripe</em>. A key's stripe is its Redis Cluster hash slot (CRC16 of the key
 * or its {@code {hash tag}}) modulo the stripe count, so keys that share a tag share a stripe. Each
 * database keeps one {@link io.keyline.store.KeyTable} per stripe: an open-addressing table (a
 * {@code byte[]} of 8-bit hash tags beside an {@code Object[]} of slots, both in chunks of 16384 so they stay
 * ZGC small objects) with Redis's incremental resize
 * (finished by the cron when commands leave one half done, Redis's {@code activerehashing}) and
 * reverse-binary SCAN cursor over home buckets. Lock {@code i} guards table {@code i} of every
 * database, so SWAPDB and FLUSHALL take all locks (at once, through the keyspace's read/write gate),
 * single-key commands take one.
 *
 * <p>Entries are compact on purpose ({@link io.keyline.store.SlotLayout}): a key of up to 127 bytes
 * with a string value of up to 64 bytes is one {@code byte[]} blob in its slot (flags, the 24-bit
 * LRU/LFU clock, the TTL if any, key and value inline); anything else is a
 * {@link io.keyline.store.BoxedEntry} object. Callers see either as an {@link io.keyline.store.Entry}
 * (a {@link io.keyline.store.BlobEntry} view for a blob), whose key and string value are copies,
 * so nothing may rely on the identity of a short value's array. A write stores a new slot, except
 * INCR and its kin, which rewrite a blob's integer value in place when the new number has the old
 * one's length: read an entry's value under the stripe lock. Keys with a TTL also sit in their
 * stripe's volatile index, which the active expiry cycle samples, as Redis samples its
 * {@code expires} dict.
 *
 * <p>Values: strings are {@code byte[]}, changed in place in two cases only, both under the stripe
 * lock: INCR's number inside a blob (above), and a plain SET or MSET of a value over 64 bytes, which
 * copies it into the stored array of the same length ({@link io.keyline.store.Database#setReusing}),
 * so overwrites leave no garbage; such an array is therefore referenced by its entry alone (readers
 * copy it under the stripe lock; COPY copies it). Every
 * other data type implements {@link io.keyline.store.TypedValue} (its TYPE and OBJECT ENCODING
 * names) and {@link io.keyline.store.Copyable} (a deep copy for COPY). A string's OBJECT ENCODING
 * ({@code int}/{@code embstr}/{@code raw}) comes from its content, except where
 * {@link io.keyline.store.StringEncoding} records that APPEND/SETRANGE/INCRBYFLOAT built it. {@link io.keyline.store.LongDouble}
 * is Redis's {@code long double} arithmetic for INCRBYFLOAT/HINCRBYFLOAT.
 *
 * <p>Typed access: {@link io.keyline.store.Database#get(byte[], java.lang.Class)} and its write,
 * entry and several-types variants are the one place a value's type is checked (throwing
 * {@link io.keyline.store.WrongTypeException}, which the command engine turns into Redis's WRONGTYPE
 * error); {@link io.keyline.store.Database#getOrCreate} / {@link io.keyline.store.Database#add} the
 * one place a collection is created; {@link io.keyline.store.Database#beginUpdate} /
 * {@link io.keyline.store.Database#endUpdate} the one place an in-place change is accounted and an
 * emptied {@link io.keyline.store.CollectionValue} deleted.
 *
 * <p>Snapshots: {@link io.keyline.store.Keyspace#beginSnapshot} fixes a point-in-time cut under every
 * lock for an instant; the snapshot's thread then hands the stripes to a {@link io.keyline.store.SnapshotSink}
 * one by one. A client that locks a stripe before the snapshot reached it first copies that stripe's
 * entries (a blob's bytes, whose access clock changes in place; a boxed entry's strings shared, since
 * nothing overwrites them while a snapshot runs; collections deep-copied), which the snapshot's thread
 * encodes later, so a client waits at most for the copying of the stripes it locks, never for encoding. The
 * hook is in {@link io.keyline.store.Keyspace#lock} and its variants (one volatile read when no
 * snapshot runs); see {@link io.keyline.store.Snapshot}.
 *
 * <p>Depends on nothing else in Keyline but the leaf {@code io.keyline.util}.
 */
package io.keyline.store;
