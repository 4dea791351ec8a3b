package io.keyline.session;

import io.keyline.util.Bytes;
import io.keyline.store.Database;
import io.keyline.store.Keyspace;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * WATCH bookkeeping, as Redis's {@code watched_keys}: key to watching clients. A write to a watched
 * key marks its watchers so their EXEC aborts. Costs nothing while nobody watches.
 *
 * <p>As in Redis 7, a key that was already past its deadline when WATCHed (a stale key not yet
 * reclaimed) counts as absent: reclaiming it later (lazy or active expiry, DEL, FLUSHDB, FLUSHALL,
 * SWAPDB) is no logical change and does not abort the EXEC. Each watch remembers that in its
 * {@link Watch#expired} flag (Redis's {@code watchedKey.expired}).
 *
 * <p>Every method touching one key runs under that key's stripe lock; the whole-database ones
 * (flush, swap, EXEC) under every stripe lock. That is what guards the {@code expired} flags.
 */
public final class WatchRegistry {
    private final Keyspace keyspace;
    private final Map<WatchedKey, Map<Client, Watch>> watchers = new ConcurrentHashMap<>();
    private final AtomicInteger watchedCount = new AtomicInteger();

    public record WatchedKey(int db, byte[] key, int hash) {
        public WatchedKey(int db, byte[] key) {
            this(db, key, Bytes.hash(key) * 31 + db);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof WatchedKey w && w.db == db && Arrays.equals(w.key, key);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** One client's watch of one key. */
    static final class Watch {
        /** The key was stale (stored but past its deadline) when watched, or became so by SWAPDB. */
        volatile boolean expired;

        Watch(boolean expired) {
            this.expired = expired;
        }
    }

    public WatchRegistry(Keyspace keyspace) {
        this.keyspace = keyspace;
    }

    /** WATCH of one key in the client's current database; caller holds the key's stripe. */
    public void watch(Client c, int db, byte[] key) {
        WatchedKey wk = new WatchedKey(db, key);
        if (c.watched.add(wk)) {
            boolean stale = keyspace.db(db).holdsExpired(key);
            watchers.computeIfAbsent(wk, k -> new ConcurrentHashMap<>()).put(c, new Watch(stale));
            watchedCount.incrementAndGet();
        }
    }

    public void unwatchAll(Client c) {
        for (WatchedKey wk : c.watched) {
            watchers.computeIfPresent(wk, (k, map) -> {
                map.remove(c);
                return map.isEmpty() ? null : map;
            });
            watchedCount.decrementAndGet();
        }
        c.watched.clear();
        c.watchDirty = false;
    }

    /**
     * Whether EXEC must abort: a watched key was touched, or a key that was live when watched has
     * passed its deadline since (Redis's {@code isWatchedKeyExpired}; the key is not reclaimed
     * here). Caller holds every stripe lock.
     */
    public boolean isDirty(Client c) {
        if (c.watchDirty) return true;
        for (WatchedKey wk : c.watched) {
            Map<Client, Watch> map = watchers.get(wk);
            Watch w = map == null ? null : map.get(c);
            if (w != null && w.expired) continue; // stale when watched: still stale is no change
            if (keyspace.db(wk.db()).holdsExpired(wk.key())) return true;
        }
        return false;
    }

    /**
     * A key changed (written, deleted, expired or evicted): its watchers' transactions must fail,
     * except for watchers that saw the key already stale and find it now reclaimed (Redis's
     * {@code touchWatchedKey}). Caller holds the key's stripe, after the change.
     */
    public void touch(int db, byte[] key) {
        if (watchedCount.get() == 0) return;
        Map<Client, Watch> map = watchers.get(new WatchedKey(db, key));
        if (map == null) return;
        boolean stored = keyspace.db(db).holds(key);
        for (Map.Entry<Client, Watch> e : map.entrySet()) {
            Watch w = e.getValue();
            if (w.expired && !stored) {
                // The stale key was reclaimed: logically nothing changed. From now on it is an
                // absent key like any other.
                w.expired = false;
                continue;
            }
            e.getKey().watchDirty = true;
        }
    }

    /**
     * Database {@code db} (or every database if -1) is about to be emptied (FLUSHDB, FLUSHALL):
     * fails the transactions watching a key that is stored there. Call it BEFORE the flush, as
     * Redis's {@code touchAllWatchedKeysInDb(emptied, NULL)}, so it can tell stored keys from absent ones.
     */
    public void touchAll(int db) {
        if (watchedCount.get() == 0) return;
        for (int d = 0; d < keyspace.databaseCount(); d++) {
            if (db < 0 || d == db) touchAllInDb(keyspace.db(d), null);
        }
    }

    /**
     * SWAPDB {@code a} {@code b} is about to run: each side's watched keys see the other side's
     * contents. Call it BEFORE the swap (Redis's dbSwapDatabases touches both ways first).
     */
    public void touchSwap(int a, int b) {
        if (watchedCount.get() == 0) return;
        touchAllInDb(keyspace.db(a), keyspace.db(b));
        touchAllInDb(keyspace.db(b), keyspace.db(a));
    }

    /**
     * Redis's {@code touchAllWatchedKeysInDb}: {@code emptied} loses its contents, replaced by
     * those of {@code replacedWith} (null for a flush).
     */
    private void touchAllInDb(Database emptied, Database replacedWith) {
        for (Map.Entry<WatchedKey, Map<Client, Watch>> e : watchers.entrySet()) {
            WatchedKey wk = e.getKey();
            if (wk.db() != emptied.id()) continue;
            boolean existsInEmptied = emptied.holds(wk.key());
            boolean existsInReplacement = replacedWith != null && replacedWith.holds(wk.key());
            if (!existsInEmptied && !existsInReplacement) continue;
            boolean staleInReplacement = existsInReplacement && replacedWith.holdsExpired(wk.key());
            for (Map.Entry<Client, Watch> we : e.getValue().entrySet()) {
                Watch w = we.getValue();
                if (w.expired) {
                    if (!existsInReplacement) {
                        w.expired = false; // the stale key is gone: no logical change
                        continue;
                    }
                    if (staleInReplacement) continue; // stale before, stale after
                } else if (!existsInEmptied && staleInReplacement) {
                    w.expired = true; // an absent key replaced by a stale one: still logically absent
                    continue;
                }
                we.getKey().watchDirty = true;
            }
        }
    }
}
