package io.keyline.store;

import java.util.Arrays;

/**
 * A string value changed in place (APPEND, SETRANGE, SETBIT, BITFIELD): a buffer with spare
 * capacity, grown as Redis's sds does (doubling below 1 MB, +1 MB above), so a loop of appends
 * or SETBITs is linear. Plain SET keeps storing a {@code byte[]}; code that reads strings goes
 * through {@link Strings}, and {@link Database#typed} hands a {@code byte[]} copy to callers that
 * ask for {@code byte[].class}. TYPE "string", OBJECT ENCODING "raw" (as Redis reports a string
 * modified in place); MEMORY USAGE counts the capacity.
 */
public final class MutableString implements TypedValue, MemorySized, Copyable {
    /** sds's SDS_MAX_PREALLOC. */
    static final int MAX_PREALLOC = 1024 * 1024;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** This object: the buffer's reference and the length. */
    private static final long OBJECT = Memory.object(Memory.REFERENCE + 4);

    private byte[] buf;
    private int length;

    private MutableString(byte[] buf, int length) {
        this.buf = buf;
        this.length = length;
    }

    /** A mutable copy of a string value (byte[] or MutableString), null giving an empty one. */
    public static MutableString of(Object value) {
        if (value instanceof MutableString m) return m;
        byte[] b = value == null ? new byte[0] : (byte[]) value;
        return new MutableString(b.clone(), b.length);
    }

    public int length() {
        return length;
    }

    /** The backing array: bytes [0, length()) are the string. Callers must not keep or change it. */
    public byte[] buffer() {
        return buf;
    }

    /** The spare room included: what the value occupies. */
    public int capacity() {
        return buf.length;
    }

    public byte[] toBytes() {
        return Arrays.copyOf(buf, length);
    }

    /** Grows the string to at least {@code newLength} bytes, zero padded (amortised capacity). */
    public void ensureLength(int newLength) {
        if (newLength <= length) return;
        if (newLength > buf.length) {
            long cap = newLength < MAX_PREALLOC ? (long) newLength * 2 : (long) newLength + MAX_PREALLOC;
            buf = Arrays.copyOf(buf, (int) Math.min(cap, MAX_ARRAY));
        } else {
            Arrays.fill(buf, length, newLength, (byte) 0);
        }
        length = newLength;
    }

    /**
     * Takes {@code newBuf} as the backing array, its first {@code newLength} bytes the string (an
     * in-place editor, such as PFADD's sparse HyperLogLog, that outgrew the spare room).
     */
    public void adopt(byte[] newBuf, int newLength) {
        if (newLength < 0 || newLength > newBuf.length) throw new IllegalArgumentException("length " + newLength);
        buf = newBuf;
        length = newLength;
    }

    public void append(byte[] add) {
        int at = length;
        ensureLength(length + add.length);
        System.arraycopy(add, 0, buf, at, add.length);
    }

    public void setRange(int offset, byte[] value) {
        ensureLength(offset + value.length);
        System.arraycopy(value, 0, buf, offset, value.length);
    }

    @Override
    public String typeName() {
        return "string";
    }

    @Override
    public String encoding() {
        return StringEncoding.RAW;
    }

    @Override
    public long estimatedBytes() {
        return OBJECT + Memory.array(buf.length);
    }

    @Override
    public Object copy() {
        return new MutableString(buf.clone(), length);
    }
}
