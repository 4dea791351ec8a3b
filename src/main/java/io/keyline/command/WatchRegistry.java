package io.keyline.command;

import io.keyline.store.Bytes;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * WATCH bookkeeping, as Redis's {@code watched_keys}: key to watching clients. A write to a watched
 * key marks its watchers so their EXEC aborts. Costs nothing while nobody watches.
 */
public final class WatchRegistry {
    private final Map<WatchedKey, Set<Client>> watchers = new ConcurrentHashMap<>();
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

    public void watch(Client c, int db, byte[] key) {
        WatchedKey wk = new WatchedKey(db, key);
        if (c.watched.add(wk)) {
            watchers.computeIfAbsent(wk, k -> ConcurrentHashMap.newKeySet()).add(c);
            watchedCount.incrementAndGet();
        }
    }

    public void unwatchAll(Client c) {
        for (WatchedKey wk : c.watched) {
            watchers.computeIfPresent(wk, (k, set) -> {
                set.remove(c);
                return set.isEmpty() ? null : set;
            });
            watchedCount.decrementAndGet();
        }
        c.watched.clear();
        c.watchDirty = false;
    }

    /**
     * EXEC's check: true if a watched key was touched since WATCH. Watched keys are expired lazily
     * first: an expired watched key counts as modified.
     */
    public boolean transactionMustAbort(Client c, io.keyline.store.Keyspace keyspace) {
        for (WatchedKey wk : c.watched) keyspace.db(wk.db()).exists(wk.key());
        return c.watchDirty;
    }

    /** A key changed: its watchers' transactions must fail. */
    public void touch(int db, byte[] key) {
        if (watchedCount.get() == 0) return;
        Set<Client> set = watchers.get(new WatchedKey(db, key));
        if (set != null) for (Client c : set) c.watchDirty = true;
    }

    /** Every key of {@code db} (or all dbs if -1) changed: FLUSHDB, FLUSHALL, SWAPDB. */
    public void touchAll(int db) {
        if (watchedCount.get() == 0) return;
        for (Map.Entry<WatchedKey, Set<Client>> e : watchers.entrySet()) {
            if (db < 0 || e.getKey().db() == db) for (Client c : e.getValue()) c.watchDirty = true;
        }
    }
}
