package io.keyline.commands;

import io.keyline.engine.Args;
import io.keyline.engine.ServerContext;
import io.keyline.engine.ServerStats;

import io.keyline.store.Keyspace;
import io.keyline.store.type.HashValue;
import io.keyline.store.type.ListValue;
import io.keyline.store.type.SetValue;
import io.keyline.store.type.SortedSetValue;

/**
 * INFO's {@code lazyfree_pending_objects} and {@code lazyfreed_objects}.
 *
 * <p>Keyline frees every value synchronously (the reference is dropped and the GC reclaims it), so
 * nothing is ever pending. {@code lazyfreed_objects} still counts what Redis 7.2 would have handed
 * to its lazyfree thread, so tools and tests that watch it see the same numbers:
 * <ul>
 *   <li>UNLINK (and DEL with {@code lazyfree-lazy-user-del yes}) of a value whose free effort is
 *       above {@code LAZYFREE_THRESHOLD} (64): {@code freeObjAsync} counts 1 per such value;</li>
 *   <li>FLUSHALL/FLUSHDB ASYNC (or without SYNC under {@code lazyfree-lazy-user-flush yes}):
 *       {@code emptyDbAsync} counts every key of every flushed database.</li>
 * </ul>
 * The server-side lazy paths ({@code lazyfree-lazy-server-del}, {@code -expire}, {@code -eviction},
 * all off by default) are not counted.
 */
final class LazyFree {
    /** Redis's LAZYFREE_THRESHOLD: values cheaper than this are freed in place even by UNLINK. */
    static final int THRESHOLD = 64;

    private LazyFree() {
    }

    /**
     * Redis's {@code lazyfreeGetFreeEffort}: quicklist nodes, hashtable or skiplist sizes; every
     * other encoding (listpack, intset, strings) is a single allocation.
     */
    static long effort(Object value) {
        if (value instanceof ListValue l && l.isQuicklist()) return l.nodeCount();
        if (value instanceof SetValue s && SetValue.HASHTABLE.equals(s.encoding())) return s.size();
        if (value instanceof SortedSetValue z && SortedSetValue.SKIPLIST.equals(z.encoding())) return z.size();
        if (value instanceof HashValue h && HashValue.ENCODING_HASHTABLE.equals(h.encoding())) return h.size();
        return 1;
    }

    /** Counts a value removed by a lazy user delete, if Redis would have freed it in the background. */
    static void deleted(ServerStats stats, Object value) {
        if (value != null && effort(value) > THRESHOLD) stats.lazyfreedObjects.increment();
    }

    /** Counts the keys of a flush Redis would have done asynchronously ({@code emptyDbAsync}). */
    static void flushed(ServerStats stats, long keys) {
        stats.lazyfreedObjects.add(keys);
    }

    /** Whether FLUSHALL/FLUSHDB with these arguments frees lazily: ASYNC, or no flag and lazyfree-lazy-user-flush. */
    static boolean lazyFlush(ServerContext server, byte[][] argv) {
        if (argv.length == 2) return Args.is(argv[1], "async");
        return server.config().getBool("lazyfree-lazy-user-flush");
    }

    static long keysIn(Keyspace ks, int db) {
        return ks.db(db).size();
    }
}
