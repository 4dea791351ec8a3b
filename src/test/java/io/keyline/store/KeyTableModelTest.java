package io.keyline.store;

import io.keyline.util.Bytes;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key tables (blobs and boxed entries, open addressing, incremental resize) against a
 * {@link HashMap} model, with several writers at once. Each writer owns two stripes and keeps the
 * model of its own keys, so its results do not depend on how the threads interleave; beside them
 * an active expiry thread reclaims keys whose deadline has passed (already absent in the models)
 * and a scanner checks that every key present throughout a scan is returned. The clock stands
 * still while they run, so "expired" means the same thing to every thread. Eviction then runs
 * alone, and the memory accounting is checked against what the tables hold.
 */
class KeyTableModelTest {
    private static final long NOW = 1_000_000_000L;
    private static final int WRITERS = 4;
    private static final int STRIPE_BITS = 3; // 8 stripes: two per writer
    private static final int STABLE = 60;
    /** Slots per chunk of a table's arrays (KeyTable.CHUNK): a table past it spans several arrays. */
    private static final int CHUNK_SLOTS = 1 << 14;

    // The run's size: small tables by default; matchesTheModelWithTablesOfSeveralChunks makes them larger.
    private int pool = 3_000;
    private int ops = 12_000;
    private int phase = 3_000;

    /** A key's value and deadline (-1 without TTL) in the model. */
    private record Stored(byte[] value, long expireAt) {
        boolean live() {
            return expireAt < 0 || expireAt >= NOW;
        }
    }

    private final Clock.Manual clock = new Clock.Manual(NOW);
    private final Keyspace keyspace = new Keyspace(2, STRIPE_BITS, clock);

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 2026})
    void matchesTheModelUnderConcurrentWritersExpiryScanResizeAndEviction(long seed) throws Exception {
        runAgainstTheModel(seed, 512);
    }

    /**
     * The same with 12,000-24,000 keys per stripe at the peak (32,768-slot tables: two chunks), so the tables
     * grow past one chunk of their arrays (probe runs, shift-deletes, resizes and scans crossing chunk
     * boundaries) and shrink back into one.
     */
    @ParameterizedTest
    @ValueSource(longs = {7})
    void matchesTheModelWithTablesOfSeveralChunks(long seed) throws Exception {
        pool = 64_000;
        ops = 240_000;
        phase = 120_000;
        runAgainstTheModel(seed, 2 * CHUNK_SLOTS);
    }

    private void runAgainstTheModel(long seed, int peakCapacityAtLeast) throws Exception {
        List<Writer> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) writers.add(new Writer(w, new Random(seed * 1_000_003L + w)));
        Set<String> stable = new HashSet<>();
        for (Writer w : writers) stable.addAll(w.insertStableKeys());

        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 2);
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            List<Future<?>> writerRuns = new ArrayList<>();
            for (Writer w : writers) writerRuns.add(pool.submit(() -> w.run()));
            Future<?> expirer = pool.submit(() -> {
                while (writing.get()) {
                    keyspace.activeExpireCycle(1);
                    Thread.yield();
                }
            });
            Future<Integer> scanner = pool.submit(() -> {
                int scans = 0;
                do {
                    assertThat(fullScan(keyspace.db(0))).containsAll(stable);
                    scans++;
                } while (writing.get());
                return scans;
            });
            for (Future<?> f : writerRuns) f.get();
            writing.set(false);
            expirer.get();
            assertThat(scanner.get()).isPositive();
        } finally {
            writing.set(false);
            pool.shutdownNow();
        }

        for (Writer w : writers) {
            w.checkAll();
            assertThat(w.largestCapacity).as("the tables grew").isGreaterThanOrEqualTo(peakCapacityAtLeast);
            assertThat(w.smallestCapacityAfterPeak).as("and shrank again").isLessThan(w.largestCapacity);
        }
        assertAccountingMatchesTheTables();

        Map<String, Stored> live = new HashMap<>();
        for (Writer w : writers) w.models.get(0).forEach((k, v) -> {
            if (v.live()) live.put(k, v);
        });
        evictAndCheck(EvictionPolicy.ALLKEYS_LRU, live);
        evictAndCheck(EvictionPolicy.VOLATILE_TTL, live);
        assertAccountingMatchesTheTables();

        for (Writer w : writers) w.deleteEverything();
        assertThat(keyspace.keyCount()).isZero();
        assertThat(keyspace.db(0).size() + keyspace.db(1).size()).isZero();
        assertAccountingMatchesTheTables();
    }

    /** Evicts down to a limit under {@code policy}; what is left still matches the model, less what was evicted. */
    private void evictAndCheck(EvictionPolicy policy, Map<String, Stored> live) {
        Set<String> evicted = ConcurrentHashMap.newKeySet();
        keyspace.listener(new KeyspaceListener() {
            @Override
            public void evicted(Database db, byte[] key) {
                evicted.add(db.id() + "/" + Bytes.str(key));
            }
        });
        keyspace.policy(policy);
        long before = keyspace.usedMemory();
        keyspace.maxMemory(before * 3 / 4);
        keyspace.freeUntilUnderLimit();
        keyspace.maxMemory(0);
        keyspace.listener(null);
        assertThat(evicted).isNotEmpty();
        Database db = keyspace.db(0);
        for (Map.Entry<String, Stored> e : live.entrySet()) {
            byte[] key = Bytes.of(e.getKey());
            Entry found = locked(key, () -> db.lookupNoTouch(key));
            if (evicted.contains("0/" + e.getKey())) {
                assertThat(found).as(e.getKey()).isNull();
                assertThat(policy.volatileOnly() && e.getValue().expireAt() < 0).as("evicted a key without TTL").isFalse();
            } else {
                assertThat(found).as(e.getKey()).isNotNull();
                assertThat((byte[]) found.value()).isEqualTo(e.getValue().value());
            }
        }
        live.keySet().removeIf(k -> evicted.contains("0/" + k));
    }

    /** maxmemory's running estimate equals the footprint of what the tables hold, and the key count their size. */
    private void assertAccountingMatchesTheTables() {
        long footprint = 0, keys = 0;
        for (int d = 0; d < keyspace.databaseCount(); d++) {
            Database db = keyspace.db(d);
            for (int s = 0; s < keyspace.stripes(); s++) {
                long[] sum = new long[2];
                keyspace.lock(s);
                try {
                    db.forEachInStripe(s, e -> {
                        sum[0] += e.footprint();
                        sum[1]++;
                    });
                } finally {
                    keyspace.unlock(s);
                }
                footprint += sum[0];
                keys += sum[1];
            }
        }
        assertThat(keyspace.usedMemory()).isEqualTo(footprint);
        assertThat(keyspace.keyCount()).isEqualTo(keys);
    }

    private static Set<String> fullScan(Database db) {
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        do {
            cursor = db.scan(cursor, 7, e -> seen.add(Bytes.str(e.key())));
        } while (cursor != 0);
        return seen;
    }

    private <T> T locked(byte[] key, java.util.function.Supplier<T> action) {
        int stripe = keyspace.stripeOf(key);
        keyspace.lock(stripe);
        try {
            return action.get();
        } finally {
            keyspace.unlock(stripe);
        }
    }

    /** One thread's keys (all in its own two stripes), its random operations and its model of both databases. */
    private final class Writer {
        final int id;
        final Random rnd;
        final int[] stripes;
        final List<byte[]> keys = new ArrayList<>();
        final List<Map<String, Stored>> models = List.of(new HashMap<>(), new HashMap<>());
        int largestCapacity;
        int smallestCapacityAfterPeak = Integer.MAX_VALUE;
        long version;
        int drainCursor;
        final List<byte[]> stableKeys = new ArrayList<>();

        Writer(int id, Random rnd) {
            this.id = id;
            this.rnd = rnd;
            this.stripes = new int[]{id, id + WRITERS};
            for (int i = 0; keys.size() < pool; i++) {
                byte[] k = Bytes.of("w" + id + ":key:" + i + (i % 5 == 0 ? ":" + "x".repeat(120 + i % 40) : ""));
                if (mine(k)) keys.add(k);
            }
        }

        boolean mine(byte[] key) {
            int s = keyspace.stripeOf(key);
            return s == stripes[0] || s == stripes[1];
        }

        List<String> insertStableKeys() {
            List<String> names = new ArrayList<>();
            for (int i = 0; names.size() < STABLE; i++) {
                byte[] k = Bytes.of("w" + id + ":stable:" + i);
                if (!mine(k)) continue;
                locked(k, () -> keyspace.db(0).set(k, k, Database.NO_TTL));
                stableKeys.add(k);
                names.add(Bytes.str(k));
            }
            return names;
        }

        void run() {
            for (int op = 0; op < ops; op++) {
                // Phases of filling and draining make the tables grow and shrink.
                boolean filling = (op / phase) % 2 == 0;
                int keyRange = filling ? pool : pool / 30;
                byte[] key = keys.get(rnd.nextInt(keyRange));
                int roll = rnd.nextInt(100);
                int stripe = keyspace.stripeOf(key);
                keyspace.lock(stripe);
                try {
                    if (filling ? roll < 55 : roll < 5) set(key);
                    else if (filling ? roll < 65 : roll < 60) delete(key, filling ? 0 : 3);
                    else if (roll < 72) expire(key);
                    else if (roll < 75) persist(key);
                    else if (roll < 80) move(key);
                    else check(0, key);
                    watchCapacity();
                } finally {
                    keyspace.unlock(stripe);
                }
                if (roll >= 95) rename(key, keys.get(rnd.nextInt(keyRange)));
            }
        }


        void watchCapacity() {
            int capacity = keyspace.db(0).table(stripes[0]).capacity();
            if (capacity > largestCapacity) {
                largestCapacity = capacity;
                smallestCapacityAfterPeak = capacity;
            }
            smallestCapacityAfterPeak = Math.min(smallestCapacityAfterPeak, capacity);
        }

        byte[] newValue() {
            int kind = rnd.nextInt(10);
            int length = kind < 6 ? rnd.nextInt(40) : kind < 9 ? 40 + rnd.nextInt(2100) : 2049 + rnd.nextInt(3000);
            byte[] v = new byte[Math.max(length, 12)];
            rnd.nextBytes(v);
            long n = ++version;
            for (int i = 0; i < 8; i++) v[i] = (byte) (n >>> (8 * i));
            v[8] = (byte) id;
            // Some short strings have their encoding tracked by identity: those stay boxed.
            return kind == 5 ? StringEncoding.raw(v) : v;
        }

        long newDeadline() {
            int kind = rnd.nextInt(10);
            if (kind < 5) return Database.NO_TTL;
            if (kind < 7) return Database.KEEP_TTL;
            return kind < 9 ? NOW + 1 + rnd.nextInt(100_000) : NOW - 1 - rnd.nextInt(100_000);
        }

        Stored live(int db, byte[] key) {
            Stored s = models.get(db).get(Bytes.str(key));
            return s != null && s.live() ? s : null;
        }

        void set(byte[] key) {
            byte[] value = newValue();
            long at = newDeadline();
            Stored before = live(0, key);
            boolean existed = keyspace.db(0).set(key, value, at);
            assertThat(existed).isEqualTo(before != null);
            long stored = at == Database.KEEP_TTL ? (before == null ? -1 : before.expireAt()) : at;
            models.get(0).put(Bytes.str(key), new Stored(value, stored));
        }

        /** Deletes the key, and while draining {@code sweep} more keys in pool order, so the tables empty out. */
        void delete(byte[] key, int sweep) {
            deleteLocked(key);
            for (int i = 0; i < sweep; i++) {
                byte[] k = keys.get(drainCursor++ % pool);
                int stripe = keyspace.stripeOf(k);
                if (keyspace.heldByCurrentThread(stripe)) {
                    deleteLocked(k);
                } else if (stripe > keyspace.stripeOf(key)) { // locks are taken in ascending order only
                    locked(k, () -> deleteLocked(k));
                } else {
                    drainCursor--; // the lower stripe's key waits for an operation on it
                    return;
                }
            }
        }

        boolean deleteLocked(byte[] k) {
            boolean deleted = keyspace.db(0).delete(k);
            assertThat(deleted).isEqualTo(live(0, k) != null);
            models.get(0).remove(Bytes.str(k));
            return deleted;
        }

        void expire(byte[] key) {
            long at = rnd.nextInt(4) == 0 ? NOW - 1 - rnd.nextInt(1000) : NOW + 1 + rnd.nextInt(100_000);
            Stored before = live(0, key);
            assertThat(keyspace.db(0).setExpire(key, at)).isEqualTo(before != null);
            if (before != null) models.get(0).put(Bytes.str(key), new Stored(before.value(), at));
        }

        void persist(byte[] key) {
            Stored before = live(0, key);
            assertThat(keyspace.db(0).persist(key)).isEqualTo(before != null && before.expireAt() >= 0);
            if (before != null) models.get(0).put(Bytes.str(key), new Stored(before.value(), -1));
        }

        /** MOVE to database 1 and straight back: the slot travels as it is. */
        void move(byte[] key) {
            Stored here = live(0, key), there = live(1, key);
            boolean moved = keyspace.db(0).moveTo(key, keyspace.db(1));
            assertThat(moved).isEqualTo(here != null && there == null);
            if (!moved) return;
            models.get(0).remove(Bytes.str(key));
            models.get(1).put(Bytes.str(key), here);
            check(1, key);
            if (rnd.nextBoolean()) {
                assertThat(keyspace.db(1).moveTo(key, keyspace.db(0))).isTrue();
                models.get(1).remove(Bytes.str(key));
                models.get(0).put(Bytes.str(key), here);
            }
        }

        /** RENAME within this writer's stripes: both locked, lower stripe first. */
        void rename(byte[] src, byte[] dst) {
            int a = keyspace.stripeOf(src), b = keyspace.stripeOf(dst);
            int lo = Math.min(a, b), hi = Math.max(a, b);
            keyspace.lock(lo);
            if (hi != lo) keyspace.lock(hi);
            try {
                Stored before = live(0, src);
                assertThat(keyspace.db(0).rename(src, dst)).isEqualTo(before != null);
                if (before != null && !Arrays.equals(src, dst)) {
                    models.get(0).remove(Bytes.str(src));
                    models.get(0).put(Bytes.str(dst), before);
                }
                check(0, src);
                check(0, dst);
            } finally {
                if (hi != lo) keyspace.unlock(hi);
                keyspace.unlock(lo);
            }
        }

        void check(int db, byte[] key) {
            Stored expected = live(db, key);
            Entry e = keyspace.db(db).lookupNoTouch(key);
            if (expected == null) {
                assertThat(e).as(Bytes.str(key)).isNull();
                return;
            }
            assertThat(e).as(Bytes.str(key)).isNotNull();
            assertThat((byte[]) e.value()).isEqualTo(expected.value());
            assertThat(e.expireAt()).isEqualTo(expected.expireAt());
            assertThat(e.key()).isEqualTo(key);
            assertThat(keyspace.db(db).expireAt(key)).isEqualTo(expected.expireAt());
        }

        void checkAll() {
            for (byte[] k : keys) {
                locked(k, () -> {
                    check(0, k);
                    check(1, k);
                    return null;
                });
            }
        }

        void deleteEverything() {
            for (int db = 0; db < 2; db++) {
                Database d = keyspace.db(db);
                for (byte[] k : keys) locked(k, () -> d.delete(k));
            }
            for (byte[] k : stableKeys) locked(k, () -> keyspace.db(0).delete(k));
        }
    }
}
