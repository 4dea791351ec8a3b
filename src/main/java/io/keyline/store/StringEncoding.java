package io.keyline.store;

import io.keyline.util.Bytes;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The OBJECT ENCODING of a string value, as Redis 7.2 would have encoded it.
 *
 * <p>Redis picks the encoding when it creates the object: {@code tryObjectEncoding} (SET and most
 * writes) gives {@code int} for a canonical 64-bit integer of up to 20 bytes, {@code embstr} up to
 * 44 bytes and {@code raw} above. But a string changed in place (APPEND, SETRANGE) is first
 * "unshared" into a {@code raw} object and stays raw whatever its length or content, and
 * INCRBYFLOAT creates its result with {@code createStringObject}, which never picks {@code int}.
 *
 * <p>Keyline strings are plain {@code byte[]}s (only long ones, raw anyway, are ever overwritten in
 * place: {@link Database#setReusing}), so the encoding is derived from the
 * content, except for those two cases: the commands that produce them register the new array
 * here, by identity (arrays hash and compare by identity, so a {@link WeakHashMap} forgets the
 * array when the value is dropped). Only short strings need an entry (longer ones are raw by
 * content), which keeps the table small. Sharing the array (COPY of a short one, RENAME, MOVE) keeps the
 * encoding, as Redis's {@code dupStringObject} does; a value read back from a file or RESTORE is a
 * new array and is encoded by content again, as Redis re-encodes on load.
 */
public final class StringEncoding {
    public static final String INT = "int";
    public static final String EMBSTR = "embstr";
    public static final String RAW = "raw";

    /** Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT. */
    public static final int EMBSTR_SIZE_LIMIT = 44;

    /** Arrays whose encoding is not what their content says (identity keys, weakly held). */
    private static final Map<byte[], String> EXCEPTIONS = Collections.synchronizedMap(new WeakHashMap<>());

    private StringEncoding() {
    }

    /** The encoding of a stored string value. */
    public static String of(byte[] s) {
        if (s.length <= EMBSTR_SIZE_LIMIT && !EXCEPTIONS.isEmpty()) {
            String forced = EXCEPTIONS.get(s);
            if (forced != null) return forced;
        }
        return byContent(s);
    }

    /**
     * Whether this array's encoding is recorded by identity: the store keeps such a value as its
     * own array (not copied into a blob) so the record still applies.
     */
    static boolean tracked(byte[] s) {
        return s.length <= EMBSTR_SIZE_LIMIT && !EXCEPTIONS.isEmpty() && EXCEPTIONS.containsKey(s);
    }

    /** What {@code tryObjectEncoding} picks for these bytes. */
    public static String byContent(byte[] s) {
        if (s.length <= 20 && Bytes.isLong(s)) return INT;
        return s.length <= EMBSTR_SIZE_LIMIT ? EMBSTR : RAW;
    }

    /**
     * Marks a freshly built array as {@code raw} (a string modified in place). The caller must own
     * the array: it must not be a value already shared with another key.
     */
    public static byte[] raw(byte[] fresh) {
        if (fresh.length <= EMBSTR_SIZE_LIMIT) EXCEPTIONS.put(fresh, RAW);
        return fresh;
    }

    /** Marks a freshly built array as created by {@code createStringObject}: never {@code int}. */
    public static byte[] created(byte[] fresh) {
        if (byContent(fresh).equals(INT)) EXCEPTIONS.put(fresh, EMBSTR);
        return fresh;
    }
}
