package io.keyline.store;

import io.keyline.util.Bytes;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * What a {@link KeyTable} slot holds for one key: a small string key is one {@code byte[]} blob,
 * anything else a {@link BoxedEntry}. A blob packs what a boxed entry spreads over three objects:
 *
 * <pre>
 *   byte 0       key length (7 bits) | 0x80 if the key has a TTL
 *   bytes 1..3   LRU clock or LFU counter (24 bits, Redis's width)
 *   bytes 4..11  TTL deadline, epoch ms            } only with a TTL
 *   bytes 12..15 position in the volatile index    }
 *   then         key bytes, then value bytes (the value's length is what is left)
 * </pre>
 *
 * <p>A 16-byte key and value cost one 56-byte array instead of an entry, a key array and a value
 * array (~100 bytes). The key and deadline bytes are never written after the blob is stored (a
 * write that changes them stores a new blob), so a key copied out under the stripe lock stays
 * valid after it. Written in place, under the lock: the access clock, the volatile index, and an
 * integer value that INCR and its kin replace by one of the same length ({@link #rewriteInteger});
 * so read a blob's value under the lock (copy it out to keep it).
 *
 * <p>The static methods take any slot object, blob or boxed, so the table and {@link Database}
 * need not care which they hold.
 */
final class SlotLayout {
    /** Longest key kept in a blob (its length must fit 7 bits). */
    static final int MAX_INLINE_KEY = 127;
    /**
     * Longest string value kept in a blob; longer ones are boxed. Copying a value into a blob
     * doubles what a SET allocates (the parsed argument becomes garbage), which under ZGC shows in
     * RSS: with 1 KB values inline, RSS per key rose from 1,244 to 1,593 B although the live heap
     * fell by 27 B (bench/results/2026-12-06-layout.md). Past a few dozen bytes the entry and key
     * arrays a blob saves are small beside the value, so only short values go inline.
     */
    static final int MAX_INLINE_VALUE = 64;
    /** The 24-bit mask of the access clock. */
    static final int ACCESS_MASK = 0xFFFFFF;

    private static final int TTL_FLAG = 0x80;
    private static final int HEADER = 4;
    private static final int TTL_HEADER = HEADER + 8 + 4;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private SlotLayout() {
    }

    /**
     * The slot for a key: a blob when the key and value fit one, else a boxed entry. A string
     * whose OBJECT ENCODING is tracked by the array's identity ({@link StringEncoding}) stays boxed
     * so the identity survives. {@code hash} is {@code Bytes.hash(key)} (kept by a boxed entry).
     */
    static Object make(byte[] key, int hash, Object value, long expireAt, int access) {
        if (key.length <= MAX_INLINE_KEY && value instanceof byte[] v && v.length <= MAX_INLINE_VALUE
                && !StringEncoding.tracked(v)) {
            return blob(key, v, expireAt, access);
        }
        return expireAt >= 0 ? new VolatileEntry(key, hash, value, expireAt, access) : new BoxedEntry(key, hash, value, access);
    }

    static byte[] blob(byte[] key, byte[] value, long expireAt, int access) {
        byte[] blob = blobWithRoom(key, value.length, expireAt, access);
        System.arraycopy(value, 0, blob, blob.length - value.length, value.length);
        return blob;
    }

    /**
     * The slot of a new key without TTL whose value is the decimal text of {@code value} (INCR on
     * an absent key), as {@link #make} would build it from that text, but with the digits written
     * straight into the blob (no text array to copy from).
     */
    static Object makeInteger(byte[] key, int hash, long value) {
        if (key.length > MAX_INLINE_KEY) return new BoxedEntry(key, hash, Bytes.fromLong(value), 0);
        byte[] blob = blobWithRoom(key, Bytes.decimalLength(value), -1, 0);
        Bytes.putDecimal(value, blob, blob.length);
        return blob;
    }

    /** A blob with its header and key written and {@code valueLength} bytes left for the value, at its end. */
    private static byte[] blobWithRoom(byte[] key, int valueLength, long expireAt, int access) {
        boolean ttl = expireAt >= 0;
        int keyAt = ttl ? TTL_HEADER : HEADER;
        byte[] blob = new byte[keyAt + key.length + valueLength];
        blob[0] = (byte) (key.length | (ttl ? TTL_FLAG : 0));
        blobAccess(blob, access);
        if (ttl) {
            LONGS.set(blob, HEADER, expireAt);
            INTS.set(blob, HEADER + 8, -1);
        }
        System.arraycopy(key, 0, blob, keyAt, key.length);
        return blob;
    }

    // ---- blobs -------------------------------------------------------------------------------

    private static boolean blobHasTtl(byte[] blob) {
        return (blob[0] & TTL_FLAG) != 0;
    }

    static int keyOffset(byte[] blob) {
        return blobHasTtl(blob) ? TTL_HEADER : HEADER;
    }

    static int keyLength(byte[] blob) {
        return blob[0] & 0x7F;
    }

    static int valueOffset(byte[] blob) {
        return keyOffset(blob) + keyLength(blob);
    }

    static byte[] blobKey(byte[] blob) {
        int at = keyOffset(blob);
        return Arrays.copyOfRange(blob, at, at + keyLength(blob));
    }

    static byte[] blobValue(byte[] blob) {
        return Arrays.copyOfRange(blob, valueOffset(blob), blob.length);
    }

    static int blobValueLength(byte[] blob) {
        return blob.length - valueOffset(blob);
    }

    static long blobExpireAt(byte[] blob) {
        return blobHasTtl(blob) ? (long) LONGS.get(blob, HEADER) : -1;
    }

    static int blobAccess(byte[] blob) {
        return (blob[1] & 0xFF) | (blob[2] & 0xFF) << 8 | (blob[3] & 0xFF) << 16;
    }

    static void blobAccess(byte[] blob, int access) {
        blob[1] = (byte) access;
        blob[2] = (byte) (access >>> 8);
        blob[3] = (byte) (access >>> 16);
    }

    /**
     * Replaces a blob's value by the decimal text of {@code value} where it lies, if the text has
     * the old value's length (Redis too changes an int-encoded value in place): false, with the
     * blob unchanged, if it has not. A counter seldom changes its number of digits, and a new
     * blob, the table probe that replaces the old one and the memory accounting were an INCR's
     * main costs beside the lookup. Caller holds the key's stripe lock.
     */
    static boolean rewriteInteger(byte[] blob, long value) {
        if (Bytes.decimalLength(value) != blobValueLength(blob)) return false;
        Bytes.putDecimal(value, blob, blob.length);
        return true;
    }

    // ---- any slot ----------------------------------------------------------------------------

    static boolean keyEquals(Object slot, byte[] key) {
        if (slot instanceof byte[] blob) {
            int len = keyLength(blob);
            if (len != key.length) return false;
            int at = keyOffset(blob);
            return Arrays.equals(blob, at, at + len, key, 0, len);
        }
        return Arrays.equals(((BoxedEntry) slot).key, key);
    }

    /** The key's {@link Bytes#hash}: a boxed entry's stored one, a blob's computed from its key bytes (no copy). */
    static int keyHash(Object slot) {
        if (slot instanceof byte[] blob) return Bytes.hash(blob, keyOffset(blob), keyLength(blob));
        return ((BoxedEntry) slot).hash;
    }

    static byte[] key(Object slot) {
        return slot instanceof byte[] blob ? blobKey(blob) : ((BoxedEntry) slot).key;
    }

    static Object value(Object slot) {
        return slot instanceof byte[] blob ? blobValue(blob) : ((BoxedEntry) slot).value;
    }

    static long expireAt(Object slot) {
        if (slot instanceof byte[] blob) return blobExpireAt(blob);
        return slot instanceof VolatileEntry v ? v.expireAt : -1;
    }

    static boolean hasTtl(Object slot) {
        return slot instanceof byte[] blob ? blobHasTtl(blob) : slot instanceof VolatileEntry;
    }

    static int access(Object slot) {
        return slot instanceof byte[] blob ? blobAccess(blob) : ((BoxedEntry) slot).access;
    }

    static void access(Object slot, int access) {
        if (slot instanceof byte[] blob) blobAccess(blob, access);
        else ((BoxedEntry) slot).access = access;
    }

    /** Position in the table's volatile index of a slot with a TTL (-1 if not indexed). */
    static int volatileIndex(Object slot) {
        return slot instanceof byte[] blob ? (int) INTS.get(blob, HEADER + 8) : ((VolatileEntry) slot).volatileIndex;
    }

    static void volatileIndex(Object slot, int index) {
        if (slot instanceof byte[] blob) INTS.set(blob, HEADER + 8, index);
        else ((VolatileEntry) slot).volatileIndex = index;
    }

    /**
     * A string slot's value read as a 64-bit integer (Redis's {@code string2ll}), where it lies: a
     * blob's value is not copied out.
     *
     * @throws WrongTypeException if the slot holds no string
     * @throws RuntimeException {@code notInteger} when the value is no such integer
     */
    static long parseInteger(Object slot, RuntimeException notInteger) {
        if (slot instanceof byte[] blob) { // a blob always holds a string
            int at = valueOffset(blob);
            return Bytes.parseLongOrThrow(blob, at, blob.length - at, notInteger);
        }
        Object value = ((BoxedEntry) slot).value;
        if (!Strings.isString(value)) throw WrongTypeException.INSTANCE;
        return Bytes.parseLongOrThrow(Strings.array(value), 0, Strings.length(value), notInteger);
    }

    /** The entry callers see for a slot. */
    static Entry view(Object slot) {
        return slot instanceof byte[] blob ? new BlobEntry(blob) : (Entry) slot;
    }
}
