package io.keyline.store;

import io.keyline.util.ByteRangeSink;
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
        Object slot = findForRead(key);
        return slot == null ? null : SlotLayout.view(slot);
    }

    /**
     * The live entry for a key a write command is about to change (Redis's lookupKeyWrite):
     * counts as an access but not as a keyspace hit or miss.
     */
    public Entry lookupWrite(byte[] key) {
        Object slot = findLive(key);
        if (slot == null) return null;
        keyspace.touchSlot(slot);
        return SlotLayout.view(slot);
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
        Object slot = findLive(key);
        return slot == null ? null : SlotLayout.view(slot);
    }

    /** The slot holding the live key, or null; expires the key on the way if it is past its deadline. */
    private Object findLive(byte[] key) {
        return findLive(table(key), Bytes.hash(key), key);
    }

    /** As {@link #findLive(byte[])} for a caller that has the key's table and hash at hand. */
    private Object findLive(KeyTable t, int hash, byte[] key) {
        Object slot = t.find(hash, key);
        if (slot != null && SlotLayout.hasTtl(slot) && SlotLayout.expireAt(slot) < keyspace.clock().millis()) {
            if (!keyspace.expiryEnabledOnAccess()) return slot;
            if (keyspace.expiryDeletionPaused()) return null; // CLIENT PAUSE: reads as expired, deleted later
            removeSlot(t, hash, key);
            keyspace.stats.expiredKeys.increment();
            keyspace.listener().expired(this, key);
            return null;
        }
        return slot;
    }

    /** As {@link #findLive}, counting an access and a keyspace hit or miss (Redis's lookupKeyRead). */
    private Object findForRead(byte[] key) {
        Object slot = findLive(key);
        if (slot != null) {
            keyspace.touchSlot(slot);
            keyspace.stats.keyspaceHits.increment();
        } else {
            keyspace.stats.keyspaceMisses.increment();
            keyspace.listener().missed(this, key);
        }
        return slot;
    }

    /**
     * The entry even if it is logically expired, without expiring it or counting a hit/miss (DEBUG
     * DIGEST-VALUE, which Redis runs on the raw dict). Caller holds the key's stripe.
     */
    public Entry findIncludingExpired(byte[] key) {
        Object slot = table(key).find(Bytes.hash(key), key);
        return slot == null ? null : SlotLayout.view(slot);
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
        Object slot = table(key).find(Bytes.hash(key), key);
        return slot != null && SlotLayout.hasTtl(slot) && SlotLayout.expireAt(slot) < keyspace.clock().millis()
                && keyspace.expiryEnabledOnAccess();
    }

    /** The value, or null. */
    public Object get(byte[] key) {
        Object slot = findForRead(key);
        return slot == null ? null : SlotLayout.value(slot);
    }

    /**
     * The string at {@code key} (a read, as {@link #get(byte[], Class)}), null if absent: the GET
     * path, which copies a blob's value out without making an {@link Entry} view.
     *
     * @throws WrongTypeException if the key holds another type
     */
    public byte[] getString(byte[] key) {
        return typed(get(key), byte[].class);
    }

    /**
     * GET's read: hands the string at {@code key} to {@code out} where it lies (a blob's value is not copied
     * out, as {@link #get(byte[])} must), false if absent; a read, as {@link #get(byte[])}.
     *
     * @throws WrongTypeException if the key holds another type
     */
    public boolean readString(byte[] key, ByteRangeSink out) {
        Object slot = findForRead(key);
        if (slot == null) return false;
        if (slot instanceof byte[] blob) { // a blob always holds a string
            int at = SlotLayout.valueOffset(blob);
            out.accept(blob, at, blob.length - at);
            return true;
        }
        Object value = SlotLayout.value(slot);
        if (!Strings.isString(value)) throw WrongTypeException.INSTANCE;
        out.accept(Strings.array(value), 0, Strings.length(value));
        return true;
    }

    // ---- typed access: the one place that checks a value's type, creates and accounts collections ----

    /**
     * The value at {@code key} if it is a {@code type}, null if the key is absent; a read (as
     * {@link #lookup}: an access and a keyspace hit or miss).
     *
     * @throws WrongTypeException if the key holds another type
     */
    public <T> T get(byte[] key, Class<T> type) {
        Object slot = findForRead(key);
        return slot == null ? null : typed(SlotLayout.value(slot), type);
    }

    /**
     * As {@link #get(byte[], Class)} for a key the command is about to change (Redis's
     * lookupKeyWrite: an access, not a keyspace hit or miss).
     */
    public <T> T getForWrite(byte[] key, Class<T> type) {
        Object slot = findLive(key);
        if (slot == null) return null;
        keyspace.touchSlot(slot);
        return typed(SlotLayout.value(slot), type);
    }

    /**
     * Whether the live key exists, for a command about to change it (Redis's lookupKeyWrite: an
     * access, not a keyspace hit or miss), without copying anything out of it.
     */
    public boolean existsForWrite(byte[] key) {
        Object slot = findLive(key);
        if (slot == null) return false;
        keyspace.touchSlot(slot);
        return true;
    }

    /**
     * The live entry of a key about to change whose value must be a {@code type} (commands that
     * replace a string in place or need its TTL), null if absent.
     *
     * @throws WrongTypeException if the key holds another type
     */
    public Entry entryForWrite(byte[] key, Class<?> type) {
        Object slot = findLive(key);
        if (slot == null) return null;
        keyspace.touchSlot(slot);
        // A blob holds a string: check the type without copying its value out (INCR reads it once more).
        if (!(slot instanceof byte[] && type.isAssignableFrom(byte[].class))) typed(SlotLayout.value(slot), type);
        return SlotLayout.view(slot);
    }

    /**
     * The value at {@code key} if it is one of {@code types} (commands that read several types:
     * ZUNION's sets and sorted sets, SORT), null if absent; a read, as {@link #get(byte[], Class)}.
     *
     * @throws WrongTypeException if the key holds any other type
     */
    public Object getAnyOf(byte[] key, Class<?>... types) {
        Object value = get(key);
        if (value == null) return null;
        for (Class<?> t : types) if (t.isInstance(value)) return value;
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
     * {@link #KEEP_TTL}. Returns whether the key existed (live) before. Never changes a stored
     * blob's bytes: the key gets a new slot.
     */
    public boolean set(byte[] key, Object value, long expireAt) {
        int hash = Bytes.hash(key);
        KeyTable t = table(key);
        return set(t, hash, key, t.find(hash, key), value, expireAt);
    }

    /** {@link #set(byte[], Object, long)} once the key's slot ({@code old}, null if none) was found. */
    private boolean set(KeyTable t, int hash, byte[] key, Object old, Object value, long expireAt) {
        if (old != null && SlotLayout.hasTtl(old) && SlotLayout.expireAt(old) < keyspace.clock().millis()
                && keyspace.expiryEnabledOnAccess()) {
            removeSlot(t, hash, key);
            keyspace.stats.expiredKeys.increment();
            keyspace.listener().expired(this, key);
            old = null;
        }
        if (old == null) {
            keyspace.reserveKey();
            insertReserved(t, hash, key, SlotLayout.make(key, hash, value, expireAt == KEEP_TTL ? NO_TTL : expireAt, 0));
            return false;
        }
        long at = expireAt == KEEP_TTL ? SlotLayout.expireAt(old) : expireAt;
        Object replacement = SlotLayout.make(keyOf(old, key), hash, value, at, SlotLayout.access(old));
        keyspace.touchSlot(replacement);
        replaceSlot(t, hash, old, replacement);
        return true;
    }

    /**
     * As {@link #set set(key, value, NO_TTL)}, for a caller whose {@code value} is the current
     * command's own argument (plain SET, MSET), reusing the memory of the value it replaces: when
     * the key holds, with no TTL, a boxed {@code byte[]} of {@code value}'s length, the new bytes are
     * copied into that array and the entry stays. A replaced array would otherwise be garbage that
     * only ZGC's next major cycle frees, so sustained overwrites of large values kept landing on
     * fresh pages (~13 us each on a small VM) while Redis's allocator reuses what it just freed
     * (bench/results/2026-12-07-inplace.md). What is left is the parsed argument, which the caller
     * hands back to the parser when this returns true (protocol.ArgumentPool).
     *
     * <p>Safe because a stored string array over {@link SlotLayout#MAX_INLINE_VALUE} bytes is
     * referenced by its entry alone: readers copy it under the stripe lock (replies, DUMP, the AOF),
     * COPY stores a copy (and lists pack theirs: SORT ... STORE), {@link #iterator()} hands out
     * detached entries, and while a snapshot runs (it shares boxed arrays with the thread that
     * writes it) this is plain {@link #set}. {@code inFlight}: arrays the caller's command still refers to and logs after it
     * returns (its argv, where one MSET writes a key twice); never overwritten. The caller decides
     * that no earlier command's arrays wait in a log (EXEC, scripts).
     *
     * @return whether {@code value} was copied into the stored array (so the store keeps no reference to
     *         it: the caller may give it back to the parser), false if it is stored itself
     */
    public boolean setReusing(byte[] key, byte[] value, byte[][] inFlight) {
        int hash = Bytes.hash(key);
        KeyTable t = table(key);
        Object slot = t.find(hash, key);
        if (slot != null && slot.getClass() == BoxedEntry.class && ((BoxedEntry) slot).value instanceof byte[] stored
                && stored.length == value.length && value.length > SlotLayout.MAX_INLINE_VALUE
                && !keyspace.snapshotRunning() && !isOneOf(stored, inFlight)) {
            System.arraycopy(value, 0, stored, 0, value.length);
            keyspace.touchSlot(slot);
            return true;
        }
        set(t, hash, key, slot, value, NO_TTL);
        return false;
    }

    /**
     * {@code e}, or a copy of it when its value may change in place: a blob (INCR rewrites its
     * number, {@link #addToInteger}) or a long string array ({@link #setReusing}).
     */
    private static Entry detached(Entry e) {
        if (e.slot() instanceof byte[] blob) return new BlobEntry(blob.clone());
        if (e instanceof BoxedEntry b && b.getClass() == BoxedEntry.class && b.value instanceof byte[] v
                && v.length > SlotLayout.MAX_INLINE_VALUE) {
            return new BoxedEntry(b.key, b.hash, v.clone(), b.access);
        }
        return e;
    }

    private static boolean isOneOf(byte[] array, byte[][] arrays) {
        for (byte[] a : arrays) if (a == array) return true;
        return false;
    }

    /** Adds the slot of an absent key, whose room {@link Keyspace#reserveKey} has reserved, as a new key. */
    private void insertReserved(KeyTable t, int hash, byte[] key, Object fresh) {
        keyspace.touchSlot(fresh);
        t.insert(hash, fresh);
        if (keyspace.bulkLoading() && t.rehashing()) t.finishRehash();
        keyspace.adjustMemory(Memory.slot(fresh));
        if (!keyspace.bulkLoading()) keyspace.listener().created(this, key);
    }

    /** The key's hash: a boxed entry's stored one, else computed from the caller's key. */
    private static int hashOf(Object slot, byte[] key) {
        return slot instanceof BoxedEntry b ? b.hash : Bytes.hash(key);
    }

    /** The key array to store in a new slot: a boxed entry's own (no copy), else the caller's. */
    private static byte[] keyOf(Object slot, byte[] key) {
        return slot instanceof BoxedEntry b ? b.key : key;
    }

    /** Puts {@code replacement} where {@code old} is (same key) and accounts the difference. */
    private void replaceSlot(KeyTable t, int hash, Object old, Object replacement) {
        t.replace(hash, old, replacement);
        keyspace.adjustMemory(Memory.slot(replacement) - Memory.slot(old));
    }

    /** Replaces the live key's slot by one with the same value and access clock and the deadline {@code at}. */
    private void reexpire(byte[] key, Object slot, long at) {
        int hash = hashOf(slot, key);
        Object replacement = SlotLayout.make(keyOf(slot, key), hash, SlotLayout.value(slot), at, SlotLayout.access(slot));
        replaceSlot(table(key), hash, slot, replacement);
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
        Object value = e.value();
        if (value instanceof MutableString m) return m;
        if (!(value instanceof byte[])) throw WrongTypeException.INSTANCE;
        MutableString m = MutableString.of(value);
        update(e, m);
        return m;
    }

    /** Accounts an in-place change of a stored value's footprint ({@link MemorySized#estimatedBytes}). */
    public void resized(long bytesBefore, long bytesAfter) {
        keyspace.adjustMemory(bytesAfter - bytesBefore);
    }

    /**
     * Replaces the value of the live key {@code e} was looked up as (keeps its TTL and access
     * clock). Caller holds the key's stripe since the lookup.
     */
    public void update(Entry e, Object value) {
        Object old = e.slot(); // still the key's slot: the caller held the stripe since the lookup
        byte[] key = SlotLayout.key(old); // a boxed entry's own array, as set() keeps it
        int hash = hashOf(old, key);
        Object replacement = SlotLayout.make(key, hash, value, SlotLayout.expireAt(old), SlotLayout.access(old));
        replaceSlot(table(key), hash, old, replacement);
    }

    /**
     * INCRBY's read-modify-write of the string at {@code key}, with one lookup: adds
     * {@code increment} to its integer and returns the sum; an absent key counts as 0 and is
     * created without TTL. A blob whose number keeps its length is rewritten in place
     * ({@link SlotLayout#rewriteInteger}: no new slot, no second probe, no memory to account),
     * any other key gets a new slot with its TTL and access clock. The lookup counts as a write's
     * (an access, not a keyspace hit or miss). Caller holds the key's stripe, so a snapshot
     * pending for it has already copied it.
     *
     * @throws WrongTypeException if the key holds another type
     * @throws RuntimeException {@code notInteger} if the value is no 64-bit integer, {@code overflow}
     *         if the sum is not one
     */
    public long addToInteger(byte[] key, long increment, RuntimeException notInteger, RuntimeException overflow) {
        KeyTable t = table(key);
        int hash = Bytes.hash(key);
        Object slot = findLive(t, hash, key);
        if (slot == null && keyspace.expiryDeletionPaused()) {
            set(key, Bytes.fromLong(increment), NO_TTL); // an expired key may still be stored: set() replaces it
            return increment;
        }
        if (slot == null) {
            keyspace.reserveKey();
            insertReserved(t, hash, key, SlotLayout.makeInteger(key, hash, increment));
            return increment;
        }
        keyspace.touchSlot(slot);
        long value = SlotLayout.parseInteger(slot, notInteger);
        long sum = value + increment;
        if (((value ^ sum) & (increment ^ sum)) < 0) throw overflow; // both operands' sign differs from the sum's
        if (!(slot instanceof byte[] blob && SlotLayout.rewriteInteger(blob, sum))) {
            Object replacement = SlotLayout.make(keyOf(slot, key), hash, Bytes.fromLong(sum), SlotLayout.expireAt(slot),
                    SlotLayout.access(slot));
            replaceSlot(t, hash, slot, replacement);
        }
        return sum;
    }

    /** Removes the key; returns its value or null if it was absent (or expired). */
    public Object remove(byte[] key) {
        Object slot = findLive(key);
        if (slot == null) return null;
        removeSlot(table(key), Bytes.hash(key), key);
        return SlotLayout.value(slot);
    }

    /** Removes the key; false if it was absent (or expired). Copies nothing out. */
    public boolean delete(byte[] key) {
        if (findLive(key) == null) return false;
        removeSlot(table(key), Bytes.hash(key), key);
        return true;
    }

    /** Removes a stored key from its table and releases its count and memory; returns its slot. */
    private Object removeSlot(KeyTable t, int hash, byte[] key) {
        Object slot = t.remove(hash, key);
        if (slot != null) {
            keyspace.releaseKey();
            keyspace.adjustMemory(-Memory.slot(slot));
        }
        return slot;
    }

    /**
     * Moves the live key {@code key} to {@code target} (another database) with its value, TTL and
     * access data, without touching the key count (MOVE). False if the key is absent here or
     * already present there. Caller holds the key's stripe (which guards it in every database).
     */
    public boolean moveTo(byte[] key, Database target) {
        Object slot = findLive(key);
        if (slot == null || target == this || target.findLive(key) != null) return false;
        int hash = Bytes.hash(key);
        table(key).remove(hash, key);
        target.table(key).insert(hash, slot);
        keyspace.listener().created(target, key);
        return true;
    }

    /**
     * Renames the live key {@code src} to {@code dst} in this database, keeping value, TTL and
     * access data and overwriting {@code dst}; the key count never rises on the way (RENAME must
     * work at full capacity). False if {@code src} is absent. Caller holds both stripes.
     */
    public boolean rename(byte[] src, byte[] dst) {
        Object slot = findLive(src);
        if (slot == null) return false;
        if (java.util.Arrays.equals(src, dst)) return true;
        int dstHash = Bytes.hash(dst);
        if (findLive(dst) != null) removeSlot(table(dst), dstHash, dst);
        table(src).remove(Bytes.hash(src), src);
        Object renamed = SlotLayout.make(dst, dstHash, SlotLayout.value(slot), SlotLayout.expireAt(slot), SlotLayout.access(slot));
        table(dst).insert(dstHash, renamed);
        keyspace.adjustMemory(Memory.slot(renamed) - Memory.slot(slot));
        keyspace.listener().created(this, dst); // Redis deletes an existing dst, then dbAdd: always "new"
        return true;
    }

    /** TTL deadline of a live key: epoch ms, -1 if it has none, -2 if the key does not exist. */
    public long expireAt(byte[] key) {
        Object slot = findLive(key);
        if (slot == null) return -2;
        return SlotLayout.expireAt(slot);
    }

    /** Sets a deadline on a live key; false if the key does not exist. */
    public boolean setExpire(byte[] key, long at) {
        Object slot = findLive(key);
        if (slot == null) return false;
        reexpire(key, slot, at);
        return true;
    }

    /** Removes the TTL; true if there was one. */
    public boolean persist(byte[] key) {
        Object slot = findLive(key);
        if (slot == null || !SlotLayout.hasTtl(slot)) return false;
        reexpire(key, slot, NO_TTL);
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
                    Object v = t.randomVolatile(rnd);
                    long at = v == null ? -1 : SlotLayout.expireAt(v);
                    if (at > now) {
                        sum += at - now;
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
        List<Object> expired = new ArrayList<>();
        Consumer<Object> filter = slot -> {
            if (SlotLayout.hasTtl(slot) && SlotLayout.expireAt(slot) < now) {
                if (reclaim && reclaimIf.test(SlotLayout.key(slot))) expired.add(slot);
                return;
            }
            counter[0]++;
            emit.accept(SlotLayout.view(slot));
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
    private void reclaimExpired(KeyTable t, List<Object> expired) {
        for (Object slot : expired) {
            byte[] key = SlotLayout.key(slot);
            int hash = Bytes.hash(key);
            if (t.find(hash, key) != slot) continue; // already gone (listed twice by a rehash)
            removeSlot(t, hash, key);
            keyspace.stats.expiredKeys.increment();
            keyspace.listener().expired(this, key);
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
                Object slot = tables[stripe].randomSlot(rnd);
                if (slot != null && (!SlotLayout.hasTtl(slot) || SlotLayout.expireAt(slot) >= now)) {
                    return SlotLayout.view(slot);
                }
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
     * whole iteration is returned at least once (rarely twice, if a table resizes meanwhile). The
     * entries are read outside the stripe locks, so one whose value may change in place is handed
     * out as a copy.
     */
    public Iterator<Entry> iterator() {
        return new Iterator<>() {
            private final java.util.ArrayDeque<Entry> batch = new java.util.ArrayDeque<>();
            private long cursor = 0;
            private boolean done;

            @Override
            public boolean hasNext() {
                while (batch.isEmpty() && !done) {
                    cursor = scan(cursor, 256, e -> batch.add(detached(e)));
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
            cursor = t.scan(cursor, slot -> action.accept(SlotLayout.view(slot)));
        } while (cursor != 0);
    }

    // ---- used by Keyspace (active expiry, eviction) -------------------------------------------

    KeyTable table(int stripe) {
        return tables[stripe];
    }

    /** Removes a slot known to be in {@code stripe}'s table; returns its key. Caller holds that stripe. */
    byte[] removeLocked(int stripe, Object slot) {
        byte[] key = SlotLayout.key(slot);
        removeSlot(tables[stripe], Bytes.hash(key), key);
        return key;
    }

    /** Whether {@code slot} is still what {@code stripe}'s table holds for its key. Caller holds that stripe. */
    boolean stillHolds(int stripe, Object slot) {
        byte[] key = SlotLayout.key(slot);
        return tables[stripe].find(Bytes.hash(key), key) == slot;
    }
}
