package io.keyline.store;

import io.keyline.util.Bytes;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One logical database (SELECT n). Every method that takes a key expects the caller to hold that
 * key's stripe lock ({@link Keyspace#stripeOf(byte[])}); the iteration methods lock stripes
 * themselves, one at a time.
 *
 * <p>Reads apply lazy expiry: a key past its deadline is removed (and reported to the
 * {@link KeyspaceListener}) and reads as absent.
 */
public final class Database {
    /** {@code expireAt} argument of {@link #set} that keeps the key's current TTL. */
    public static final long KEEP_TTL = -2;
    public static final long NO_TTL = -1;

    private final Keyspace keyspace;
    final int id;
    final KeyTable[] tables;

    Database(Keyspace keyspace, int id, int stripes) {
        this.keyspace = keyspace;
        this.id = id;
        this.tables = new KeyTable[stripes];
        for (int i = 0; i < stripes; i++) tables[i] = new KeyTable();
    }

    public int id() {
        return id;
    }

    public Keyspace keyspace() {
        return keyspace;
    }

    private KeyTable table(byte[] key) {
        return tables[keyspace.stripeOf(key)];
    }

    /** The live entry for the key, or null if absent or expired. Counts as an access and as a keyspace hit/miss. */
    public Entry lookup(byte[] key) {
        Entry e = lookupNoTouch(key);
        if (e != null) {
            keyspace.touch(e);
            keyspace.stats.keyspaceHits.increment();
        } else {
            keyspace.stats.keyspaceMisses.increment();
            keyspace.listener().missed(this, key);
        }
        return e;
    }

    /**
     * The live entry for a key a write command is about to change (Redis's lookupKeyWrite):
     * counts as an access but not as a keyspace hit or miss.
     */
    public Entry lookupWrite(byte[] key) {
        Entry e = lookupNoTouch(key);
        if (e != null) keyspace.touch(e);
        return e;
    }

    /**
     * A read that leaves the LRU/LFU data alone but counts as a keyspace hit or miss (Redis's
     * LOOKUP_NOTOUCH reads: EXISTS, TYPE, TTL, OBJECT).
     */
    public Entry peek(byte[] key) {
        Entry e = lookupNoTouch(key);
        if (e != null) {
            keyspace.stats.keyspaceHits.increment();
        } else {
            keyspace.stats.keyspaceMisses.increment();
            keyspace.listener().missed(this, key);
        }
        return e;
    }

    /** As {@link #lookup} without updating the LRU/LFU data (OBJECT, TYPE-like peeks). */
    public Entry lookupNoTouch(byte[] key) {
        int hash = Bytes.hash(key);
        KeyTable t = table(key);
        Entry e = t.find(hash, key);
        if (e != null && e instanceof VolatileEntry v && v.expireAt < keyspace.clock().millis()) {
            if (!keyspace.expiryEnabledOnAccess()) return e;
            if (keyspace.expiryDeletionPaused()) return null; // CLIENT PAUSE: reads as expired, deleted later
            removeEntry(t, e);
            keyspace.stats.expiredKeys.increment();
            keyspace.listener().expired(this, e.key);
            return null;
        }
        return e;
    }

    /**
     * The entry even if it is logically expired, without expiring it or counting a hit/miss (DEBUG
     * DIGEST-VALUE, which Redis runs on the raw dict). Caller holds the key's stripe.
     */
    public Entry findIncludingExpired(byte[] key) {
        return table(key).find(Bytes.hash(key), key);
    }

    /**
     * Whether the key is stored at all, even past its deadline and not yet reclaimed (Redis's
     * {@code dictFind} on the keyspace: WATCH decides with it whether a flush or swap changed a key).
     * Does not expire anything.
     */
    public boolean holds(byte[] key) {
        return table(key).find(Bytes.hash(key), key) != null;
    }

    /**
     * Whether the key is stored but past its deadline (Redis's {@code keyIsExpired}): a stale key
     * not reclaimed yet. Does not expire it. False while loading, when keys never expire.
     */
    public boolean holdsExpired(byte[] key) {
        Entry e = table(key).find(Bytes.hash(key), key);
        return e instanceof VolatileEntry v && v.expireAt < keyspace.clock().millis() && keyspace.expiryEnabledOnAccess();
    }

    /** The value, or null. */
    public Object get(byte[] key) {
        Entry e = lookup(key);
        return e == null ? null : e.value;
    }

    // ---- typed access: the one place that checks a value's type, creates and accounts collections ----

    /**
     * The value at {@code key} if it is a {@code type}, null if the key is absent; a read (as
     * {@link #lookup}: an access and a keyspace hit or miss).
     *
     * @throws WrongTypeException if the key holds another type
     */
    public <T> T get(byte[] key, Class<T> type) {
        Entry e = lookup(key);
        return e == null ? null : typed(e.value, type);
    }

    /**
     * As {@link #get(byte[], Class)} for a key the command is about to change (Redis's
     * lookupKeyWrite: an access, not a keyspace hit or miss).
     */
    public <T> T getForWrite(byte[] key, Class<T> type) {
        Entry e = lookupWrite(key);
        return e == null ? null : typed(e.value, type);
    }

    /**
     * The live entry of a key about to change whose value must be a {@code type} (commands that
     * replace a string in place or need its TTL), null if absent.
     *
     * @throws WrongTypeException if the key holds another type
     */
    public Entry entryForWrite(byte[] key, Class<?> type) {
        Entry e = lookupWrite(key);
        if (e != null) typed(e.value, type);
        return e;
    }

    /**
     * The value at {@code key} if it is one of {@code types} (commands that read several types:
     * ZUNION's sets and sorted sets, SORT), null if absent; a read, as {@link #get(byte[], Class)}.
     *
     * @throws WrongTypeException if the key holds any other type
     */
    public Object getAnyOf(byte[] key, Class<?>... types) {
        Entry e = lookup(key);
        if (e == null) return null;
        for (Class<?> t : types) if (t.isInstance(e.value)) return e.value;
        throw WrongTypeException.INSTANCE;
    }

    /**
     * The collection at {@code key}, created empty by {@code factory} and stored (without TTL,
     * counting against the key capacity as {@link #set} does) if the key is absent. Looks up as
     * {@link #getForWrite}. Pair changes to it with {@link #beginUpdate}/{@link #endUpdate}, which
     * account the growth and delete the key again if it is still empty.
     *
     * @throws WrongTypeException if the key holds another type
     */
    public <T extends CollectionValue> T getOrCreate(byte[] key, Class<T> type, java.util.function.Supplier<? extends T> factory) {
        T v = getForWrite(key, type);
        return v != null ? v : add(key, factory.get());
    }

    /** Stores {@code value} under a key known to be absent (without TTL) and returns it. */
    public <T> T add(byte[] key, T value) {
        set(key, value, NO_TTL);
        return value;
    }

    /**
     * Starts an in-place change of a stored collection: returns its size now, to hand to
     * {@link #endUpdate} once the change is done (a plain long, so the hot path allocates nothing).
     */
    public long beginUpdate(CollectionValue value) {
        return value.estimatedBytes();
    }

    /**
     * Ends an in-place change of the collection stored at {@code key}: accounts its growth or
     * shrinkage since {@link #beginUpdate} and deletes the key if the collection is now empty.
     * Returns true if it deleted the key.
     */
    public boolean endUpdate(byte[] key, CollectionValue value, long bytesBefore) {
        keyspace.adjustMemory(value.estimatedBytes() - bytesBefore);
        if (!value.isEmpty()) return false;
        delete(key);
        return true;
    }

    /**
     * {@code value} (a stored value, or null) as a {@code type}: for commands that look up several
     * keys before checking any type, as Redis's SMOVE does.
     *
     * @throws WrongTypeException if it is another type
     */
    public static <T> T typed(Object value, Class<T> type) {
        if (value == null) return null;
        if (type.isInstance(value)) return type.cast(value);
        if (type == byte[].class && value instanceof MutableString m) return type.cast(m.toBytes());
        throw WrongTypeException.INSTANCE;
    }

    public boolean exists(byte[] key) {
        return lookupNoTouch(key) != null;
    }

    /**
     * Stores a value. {@code expireAt} is an epoch-ms deadline, {@link #NO_TTL} to clear any TTL, or
     * {@link #KEEP_TTL}. Returns the previous value (null if the key was absent).
     */
    public Object set(byte[] key, Object value, long expireAt) {
        int hash = Bytes.hash(key);
        KeyTable t = table(key);
        Entry e = t.find(hash, key);
        if (e != null && e instanceof VolatileEntry v && v.expireAt < keyspace.clock().millis()
                && keyspace.expiryEnabledOnAccess()) {
            removeEntry(t, e);
            keyspace.stats.expiredKeys.increment();
            keyspace.listener().expired(this, e.key);
            e = null;
        }
        if (e == null) {
            keyspace.reserveKey();
            Entry fresh = expireAt >= 0 ? new VolatileEntry(hash, key, value, expireAt) : new Entry(hash, key, value);
            keyspace.touch(fresh);
            t.insert(fresh);
            if (keyspace.bulkLoading() && t.rehashing()) t.finishRehash();
            keyspace.adjustMemory(Memory.entry(key, value) + (expireAt >= 0 ? Memory.VOLATILE_EXTRA : 0));
            if (!keyspace.bulkLoading()) keyspace.listener().created(this, key);
            return null;
        }
        Object old = e.value;
        keyspace.adjustMemory(Memory.value(value) - Memory.value(old));
        Entry current = e;
        if (expireAt == KEEP_TTL) {
            e.value = value;
        } else if (expireAt == NO_TTL) {
            if (e instanceof VolatileEntry) {
                current = new Entry(hash, e.key, value);
                current.access = e.access;
                t.replace(e, current);
                keyspace.adjustMemory(-Memory.VOLATILE_EXTRA);
            } else {
                e.value = value;
            }
        } else if (e instanceof VolatileEntry v) {
            v.value = value;
            v.expireAt = expireAt;
        } else {
            current = new VolatileEntry(hash, e.key, value, expireAt);
            current.access = e.access;
            t.replace(e, current);
            keyspace.adjustMemory(Memory.VOLATILE_EXTRA);
        }
        keyspace.touch(current);
        return old;
    }

    /**
     * The string at {@code key} about to change in place (APPEND, SETRANGE, SETBIT, BITFIELD) as a
     * {@link MutableString}: a {@code byte[]} value is converted and stored (keeps the TTL), null if
     * absent. Account the growth with {@link #resized}.
     *
     * @throws WrongTypeException if the key holds another type
     */
    public MutableString mutableStringForWrite(byte[] key) {
        Entry e = lookupWrite(key);
        if (e == null) return null;
        if (e.value instanceof MutableString m) return m;
        if (!(e.value instanceof byte[])) throw WrongTypeException.INSTANCE;
        MutableString m = MutableString.of(e.value);
        update(e, m);
        return m;
    }

    /** Accounts an in-place change of a stored value's footprint ({@link MemorySized#estimatedBytes}). */
    public void resized(long bytesBefore, long bytesAfter) {
        keyspace.adjustMemory(bytesAfter - bytesBefore);
    }

    /** Replaces the value of an existing live key in place (keeps its TTL). */
    public void update(Entry e, Object value) {
        keyspace.adjustMemory(Memory.value(value) - Memory.value(e.value));
        e.value = value;
    }

    /** Removes the key; returns its value or null if it was absent (or expired). */
    public Object remove(byte[] key) {
        Entry e = lookupNoTouch(key);
        if (e == null) return null;
        removeEntry(table(key), e);
        return e.value;
    }

    public boolean delete(byte[] key) {
        return remove(key) != null;
    }

    private void removeEntry(KeyTable t, Entry e) {
        t.remove(e.hash, e.key);
        keyspace.releaseKey();
        keyspace.adjustMemory(-Memory.entry(e.key, e.value) - (e instanceof VolatileEntry ? Memory.VOLATILE_EXTRA : 0));
    }

    /**
     * Moves the live key {@code key} to {@code target} (another database) with its value, TTL and
     * access data, without touching the key count (MOVE). False if the key is absent here or
     * already present there. Caller holds the key's stripe (which guards it in every database).
     */
    public boolean moveTo(byte[] key, Database target) {
        Entry e = lookupNoTouch(key);
        if (e == null || target == this || target.lookupNoTouch(key) != null) return false;
        table(key).remove(e.hash, e.key);
        target.table(key).insert(e);
        keyspace.listener().created(target, key);
        return true;
    }

    /**
     * Renames the live key {@code src} to {@code dst} in this database, keeping value, TTL and
     * access data and overwriting {@code dst}; the key count never rises on the way (RENAME must
     * work at full capacity). False if {@code src} is absent. Caller holds both stripes.
     */
    public boolean rename(byte[] src, byte[] dst) {
        Entry e = lookupNoTouch(src);
        if (e == null) return false;
        if (java.util.Arrays.equals(src, dst)) return true;
        Entry old = lookupNoTouch(dst);
        if (old != null) removeEntry(table(dst), old);
        table(src).remove(e.hash, e.key);
        int hash = Bytes.hash(dst);
        long at = e.expireAt();
        Entry renamed = at >= 0 ? new VolatileEntry(hash, dst, e.value, at) : new Entry(hash, dst, e.value);
        renamed.access = e.access;
        table(dst).insert(renamed);
        keyspace.adjustMemory(Memory.array(dst.length) - Memory.array(src.length));
        keyspace.listener().created(this, dst); // Redis deletes an existing dst, then dbAdd: always "new"
        return true;
    }

    /** TTL deadline of a live key: epoch ms, -1 if it has none, -2 if the key does not exist. */
    public long expireAt(byte[] key) {
        Entry e = lookupNoTouch(key);
        if (e == null) return -2;
        return e.expireAt();
    }

    /** Sets a deadline on a live key; false if the key does not exist. */
    public boolean setExpire(byte[] key, long at) {
        Entry e = lookupNoTouch(key);
        if (e == null) return false;
        if (e instanceof VolatileEntry v) {
            v.expireAt = at;
        } else {
            KeyTable t = table(key);
            VolatileEntry ve = new VolatileEntry(e.hash, e.key, e.value, at);
            ve.access = e.access;
            t.replace(e, ve);
            keyspace.adjustMemory(Memory.VOLATILE_EXTRA);
        }
        return true;
    }

    /** Removes the TTL; true if there was one. */
    public boolean persist(byte[] key) {
        Entry e = lookupNoTouch(key);
        if (!(e instanceof VolatileEntry)) return false;
        Entry plain = new Entry(e.hash, e.key, e.value);
        plain.access = e.access;
        table(key).replace(e, plain);
        keyspace.adjustMemory(-Memory.VOLATILE_EXTRA);
        return true;
    }

    /** Number of keys (may include keys past their deadline not yet reclaimed, as in Redis). */
    public long size() {
        long n = 0;
        for (KeyTable t : tables) n += t.size();
        return n;
    }

    /**
     * Average remaining TTL in ms of keys with a deadline, estimated from a sample of up to
     * {@code samples} per stripe (INFO keyspace avg_ttl; Redis also estimates it by sampling).
     */
    public long averageTtl(int samples) {
        long now = keyspace.clock().millis();
        long sum = 0, n = 0;
        java.util.concurrent.ThreadLocalRandom rnd = java.util.concurrent.ThreadLocalRandom.current();
        for (int s = 0; s < tables.length; s++) {
            KeyTable t = tables[s];
            if (t.volatileCount() == 0) continue;
            keyspace.lock(s);
            try {
                for (int i = 0; i < samples && t.volatileCount() > 0; i++) {
                    VolatileEntry v = t.randomVolatile(rnd);
                    if (v != null && v.expireAt > now) {
                        sum += v.expireAt - now;
                        n++;
                    }
                }
            } finally {
                keyspace.unlock(s);
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    public long volatileSize() {
        long n = 0;
        for (KeyTable t : tables) n += t.volatileCount();
        return n;
    }

    /** Empties this database. Caller holds every stripe lock. */
    void clearLocked() {
        for (KeyTable t : tables) {
            int n = t.size();
            t.clear();
            keyspace.releaseKeys(n);
        }
    }

    /**
     * One SCAN step: walks buckets from {@code cursor}, locking one stripe at a time, until at least
     * {@code count} entries were emitted or the walk is complete. Expired entries are skipped.
     * The cursor's low bits are the stripe, the rest the table's reverse-binary cursor.
     */
    public long scan(long cursor, long count, Consumer<Entry> emit) {
        return scan(cursor, count, null, emit);
    }

    /**
     * As {@link #scan(long, long, Consumer)}, and reclaims the expired keys it meets whose key
     * passes {@code reclaimIf} (the SCAN command: Redis expires the keys that survive its MATCH
     * filter, so INFO keyspace counts fall as a scan walks past them). Null reclaims nothing.
     */
    public long scan(long cursor, long count, Predicate<byte[]> reclaimIf, Consumer<Entry> emit) {
        int bits = keyspace.stripeBits();
        int stripe = (int) (cursor & (tables.length - 1));
        long tc = cursor >>> bits;
        long emitted = 0;
        long visits = 0;
        long maxVisits = count > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : Math.max(count * 10, 100);
        long now = keyspace.clock().millis();
        boolean reclaim = reclaimIf != null && keyspace.expiryEnabledOnAccess();
        long[] counter = new long[1];
        List<Entry> expired = new ArrayList<>();
        Consumer<Entry> filter = e -> {
            if (e.expireAt() >= 0 && e.expireAt() < now) {
                if (reclaim && reclaimIf.test(e.key)) expired.add(e);
                return;
            }
            counter[0]++;
            emit.accept(e);
        };
        while (stripe < tables.length) {
            keyspace.lock(stripe);
            try {
                KeyTable t = tables[stripe];
                do {
                    if (t.size() == 0) {
                        tc = 0;
                        break;
                    }
                    tc = t.scan(tc, filter);
                    visits++;
                    // Removed after the bucket walk: removing may step a rehash under the walk.
                    if (!expired.isEmpty()) reclaimExpired(t, expired);
                } while (tc != 0 && counter[0] < count && visits < maxVisits);
            } finally {
                keyspace.unlock(stripe);
            }
            emitted = counter[0];
            if (tc == 0) {
                stripe++;
            }
            if (emitted >= count || visits >= maxVisits) break;
        }
        if (stripe >= tables.length) return 0;
        return (tc << bits) | stripe;
    }

    /** Lazy expiry of entries a scan met past their deadline; caller holds their stripe. */
    private void reclaimExpired(KeyTable t, List<Entry> expired) {
        for (Entry e : expired) {
            if (t.find(e.hash, e.key) != e) continue; // already gone (listed twice by a rehash)
            removeEntry(t, e);
            keyspace.stats.expiredKeys.increment();
            keyspace.listener().expired(this, e.key);
        }
        expired.clear();
    }

    /** A random live entry, or null if empty. Locks stripes itself. */
    public Entry randomEntry() {
        if (size() == 0) return null;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        long now = keyspace.clock().millis();
        for (int attempt = 0; attempt < 100; attempt++) {
            int stripe = pickStripe(rnd);
            if (stripe < 0) return null;
            keyspace.lock(stripe);
            try {
                Entry e = tables[stripe].randomEntry(rnd);
                if (e != null && (e.expireAt() < 0 || e.expireAt() >= now)) return e;
            } finally {
                keyspace.unlock(stripe);
            }
        }
        return null;
    }

    private int pickStripe(ThreadLocalRandom rnd) {
        long total = size();
        if (total == 0) return -1;
        long pick = rnd.nextLong(total);
        for (int i = 0; i < tables.length; i++) {
            pick -= tables[i].size();
            if (pick < 0) return i;
        }
        return rnd.nextInt(tables.length);
    }

    /**
     * A weakly consistent iterator over live entries, built on SCAN: each entry present for the
     * whole iteration is returned at least once (rarely twice, if a table resizes meanwhile).
     */
    public Iterator<Entry> iterator() {
        return new Iterator<>() {
            private final java.util.ArrayDeque<Entry> batch = new java.util.ArrayDeque<>();
            private long cursor = 0;
            private boolean done;

            @Override
            public boolean hasNext() {
                while (batch.isEmpty() && !done) {
                    cursor = scan(cursor, 256, batch::add);
                    if (cursor == 0) done = true;
                }
                return !batch.isEmpty();
            }

            @Override
            public Entry next() {
                if (!hasNext()) throw new NoSuchElementException();
                return batch.poll();
            }
        };
    }

    /**
     * Visits every entry of one stripe's table, expired ones included (the AOF rewrite dumps a
     * stripe at a time). The caller holds that stripe's lock and must not modify the table.
     */
    public void forEachInStripe(int stripe, Consumer<Entry> action) {
        KeyTable t = tables[stripe];
        long cursor = 0;
        do {
            cursor = t.scan(cursor, action);
        } while (cursor != 0);
    }

    // ---- used by Keyspace (active expiry, eviction) -------------------------------------------

    KeyTable table(int stripe) {
        return tables[stripe];
    }

    /** Removes an entry known to be in {@code stripe}'s table; caller holds that stripe. */
    void removeLocked(int stripe, Entry e) {
        removeEntry(tables[stripe], e);
    }
}
