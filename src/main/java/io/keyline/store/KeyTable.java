package io.keyline.store;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A chained hash table with Redis's incremental rehash: when it grows or shrinks, entries move from
 * the old array to the new one a few buckets per operation, so no single command pays for a full
 * resize. {@link #scan} uses Redis's reverse-binary cursor, which returns every entry present for
 * the whole scan at least once even across resizes.
 *
 * <p>Not thread-safe: guarded by its stripe's lock.
 */
final class KeyTable {
    private static final Entry[] EMPTY = new Entry[0];
    private static final VolatileEntry[] NO_VOLATILE = new VolatileEntry[0];
    private static final int MIN_SIZE = 4;

    private Entry[] t0 = EMPTY;
    private Entry[] t1; // non-null while rehashing
    private int used0;
    private int used1;
    private int rehashIndex = -1;

    private VolatileEntry[] volatiles = NO_VOLATILE;
    private int volatileCount;

    int size() {
        return used0 + used1;
    }

    int volatileCount() {
        return volatileCount;
    }

    boolean rehashing() {
        return t1 != null;
    }

    Entry find(int hash, byte[] key) {
        if (size() == 0) return null;
        if (t1 != null) rehashStep(1);
        Entry e = findIn(t0, hash, key);
        if (e == null && t1 != null) e = findIn(t1, hash, key);
        return e;
    }

    private static Entry findIn(Entry[] t, int hash, byte[] key) {
        if (t.length == 0) return null;
        for (Entry e = t[hash & (t.length - 1)]; e != null; e = e.next) {
            if (e.hash == hash && Arrays.equals(e.key, key)) return e;
        }
        return null;
    }

    /** Adds an entry whose key is known to be absent. */
    void insert(Entry e) {
        if (t1 != null) {
            rehashStep(1);
        } else {
            growIfNeeded();
        }
        if (t1 != null) {
            int i = e.hash & (t1.length - 1);
            e.next = t1[i];
            t1[i] = e;
            used1++;
        } else {
            int i = e.hash & (t0.length - 1);
            e.next = t0[i];
            t0[i] = e;
            used0++;
        }
        if (e instanceof VolatileEntry v) addVolatile(v);
    }

    Entry remove(int hash, byte[] key) {
        if (size() == 0) return null;
        if (t1 != null) rehashStep(1);
        Entry e = removeFrom(t0, hash, key);
        if (e != null) {
            used0--;
        } else if (t1 != null) {
            e = removeFrom(t1, hash, key);
            if (e != null) used1--;
        }
        if (e != null) {
            if (e instanceof VolatileEntry v) removeVolatile(v);
            e.next = null;
            shrinkIfNeeded();
        }
        return e;
    }

    private static Entry removeFrom(Entry[] t, int hash, byte[] key) {
        if (t.length == 0) return null;
        int i = hash & (t.length - 1);
        Entry prev = null;
        for (Entry e = t[i]; e != null; prev = e, e = e.next) {
            if (e.hash == hash && Arrays.equals(e.key, key)) {
                if (prev == null) t[i] = e.next;
                else prev.next = e.next;
                return e;
            }
        }
        return null;
    }

    /** Swaps {@code old} for {@code replacement} (same key) in place, keeping the volatile index right. */
    void replace(Entry old, Entry replacement) {
        if (!swapIn(t0, old, replacement) && (t1 == null || !swapIn(t1, old, replacement))) {
            throw new IllegalStateException("entry not in table");
        }
        if (old instanceof VolatileEntry v) removeVolatile(v);
        if (replacement instanceof VolatileEntry v) addVolatile(v);
    }

    private static boolean swapIn(Entry[] t, Entry old, Entry replacement) {
        if (t.length == 0) return false;
        int i = old.hash & (t.length - 1);
        Entry prev = null;
        for (Entry e = t[i]; e != null; prev = e, e = e.next) {
            if (e == old) {
                replacement.next = old.next;
                if (prev == null) t[i] = replacement;
                else prev.next = replacement;
                old.next = null;
                return true;
            }
        }
        return false;
    }

    void clear() {
        t0 = EMPTY;
        t1 = null;
        used0 = used1 = 0;
        rehashIndex = -1;
        volatiles = NO_VOLATILE;
        volatileCount = 0;
    }

    // ---- volatile (TTL) index -------------------------------------------------------------

    private void addVolatile(VolatileEntry v) {
        if (volatileCount == volatiles.length) {
            volatiles = Arrays.copyOf(volatiles, Math.max(8, volatileCount * 2));
        }
        v.volatileIndex = volatileCount;
        volatiles[volatileCount++] = v;
    }

    private void removeVolatile(VolatileEntry v) {
        int i = v.volatileIndex;
        if (i < 0) return;
        VolatileEntry last = volatiles[--volatileCount];
        volatiles[i] = last;
        last.volatileIndex = i;
        volatiles[volatileCount] = null;
        v.volatileIndex = -1;
        if (volatiles.length > 64 && volatileCount < volatiles.length / 4) {
            volatiles = Arrays.copyOf(volatiles, volatiles.length / 2);
        }
    }

    /** A random key with a TTL, or null. */
    VolatileEntry randomVolatile(ThreadLocalRandom rnd) {
        return volatileCount == 0 ? null : volatiles[rnd.nextInt(volatileCount)];
    }

    // ---- resizing ---------------------------------------------------------------------------

    private void growIfNeeded() {
        if (t0.length == 0) {
            t0 = new Entry[MIN_SIZE];
        } else if (used0 >= t0.length) {
            startRehash(t0.length * 2);
        }
    }

    private void shrinkIfNeeded() {
        if (t1 != null) return;
        if (t0.length > MIN_SIZE && used0 * 10 < t0.length) {
            int target = MIN_SIZE;
            while (target < used0) target <<= 1;
            if (target < t0.length) startRehash(target);
        }
    }

    private void startRehash(int newSize) {
        t1 = new Entry[newSize];
        used1 = 0;
        rehashIndex = 0;
    }

    /**
     * Completes a rehash in progress at once. For bulk loading, where no client waits on a single
     * insert: lookups then probe one array instead of two while the table keeps doubling.
     */
    void finishRehash() {
        while (t1 != null) rehashStep(1 << 16);
    }

    /** Moves up to {@code n} buckets from the old array (visiting at most 10n empty ones). */
    void rehashStep(int n) {
        int emptyVisits = n * 10;
        while (n-- > 0 && used0 > 0) {
            while (t0[rehashIndex] == null) {
                rehashIndex++;
                if (--emptyVisits == 0) return;
            }
            Entry e = t0[rehashIndex];
            int mask = t1.length - 1;
            while (e != null) {
                Entry next = e.next;
                int i = e.hash & mask;
                e.next = t1[i];
                t1[i] = e;
                used0--;
                used1++;
                e = next;
            }
            t0[rehashIndex++] = null;
        }
        if (used0 == 0) {
            t0 = t1;
            used0 = used1;
            t1 = null;
            used1 = 0;
            rehashIndex = -1;
        }
    }

    // ---- iteration ---------------------------------------------------------------------------

    /**
     * Emits the entries of the bucket(s) at {@code cursor} and returns the next cursor (0 when the
     * table has been fully walked). Redis's dictScan, including its handling of a table mid-rehash.
     */
    long scan(long cursor, Consumer<Entry> emit) {
        if (size() == 0) return 0;
        long v = cursor;
        if (t1 == null) {
            long m0 = t0.length - 1;
            emitBucket(t0[(int) (v & m0)], emit);
            v |= ~m0;
            v = Long.reverse(v);
            v++;
            v = Long.reverse(v);
        } else {
            Entry[] small = t0, large = t1;
            if (small.length > large.length) {
                small = t1;
                large = t0;
            }
            long m0 = small.length - 1, m1 = large.length - 1;
            emitBucket(small[(int) (v & m0)], emit);
            do {
                emitBucket(large[(int) (v & m1)], emit);
                v |= ~m1;
                v = Long.reverse(v);
                v++;
                v = Long.reverse(v);
            } while ((v & (m0 ^ m1)) != 0);
        }
        return v;
    }

    private static void emitBucket(Entry e, Consumer<Entry> emit) {
        while (e != null) {
            Entry next = e.next;
            emit.accept(e);
            e = next;
        }
    }

    /** A random entry (bucket-then-chain sampling, as Redis's dictGetRandomKey), or null. */
    Entry randomEntry(ThreadLocalRandom rnd) {
        if (size() == 0) return null;
        for (int attempt = 0; attempt < 1_000_000; attempt++) {
            Entry e;
            if (t1 != null) {
                int total = t0.length + t1.length;
                int i = rnd.nextInt(total);
                e = i < t0.length ? t0[i] : t1[i - t0.length];
            } else {
                e = t0[rnd.nextInt(t0.length)];
            }
            if (e != null) {
                int len = 0;
                for (Entry x = e; x != null; x = x.next) len++;
                int pick = rnd.nextInt(len);
                while (pick-- > 0) e = e.next;
                return e;
            }
        }
        return null;
    }
}
