/**
 * Collection values, plain Java with no RESP: {@link io.keyline.store.type.ListValue} (listpack /
 * quicklist) and {@link io.keyline.store.type.HashValue} (listpack / hashtable). Each reports its
 * TYPE name and OBJECT ENCODING ({@link io.keyline.store.TypedValue}), a deep copy for COPY
 * ({@link io.keyline.store.Copyable}), an O(1) heap estimate ({@link io.keyline.store.MemorySized};
 * commands report in-place growth with {@code Keyspace.reportMemoryDelta}) and
 * {@code rewrite(key, out)}, the commands (RPUSH / HSET, 64 elements each) that rebuild it for an
 * AOF rewrite. Encoding thresholds are passed in by the commands from the current config.
 * Not thread-safe: callers hold the key's stripe lock.
 */
package io.keyline.store.type;
