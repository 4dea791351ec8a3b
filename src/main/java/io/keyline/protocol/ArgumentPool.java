package io.keyline.protocol;

import io.netty.util.concurrent.FastThreadLocal;

/**
 * Argument arrays a command is done with, for the next bulk argument of the same length that this
 * thread parses ({@link RespParser}). A plain SET or MSET over a long value of the same length
 * copies the argument into the stored array ({@code Database.setReusing}); without this pool the
 * argument (1 KB for a 1 KB value) was garbage per request, and since ZGC ran no young collection
 * for the hundreds of MB that take, it landed on fresh pages: a page fault (~13 us on a small VM)
 * every four 1 KB SETs (bench/results/2026-12-08-setbuf.md).
 *
 * <p>The contract: {@link #recycle} only an array the parser made, that nothing refers to any more
 * or ever will (the caller has finished logging it: AOF, MONITOR, SLOWLOG all copy), and only once;
 * {@link #take} hands it out again, after which it belongs to the taker. One pool per thread (an
 * event loop parses and runs its connections' commands one at a time), holding arrays of one length
 * only and at most {@link #MAX_BYTES}, so an idle loop keeps little and an idle connection nothing.
 */
public final class ArgumentPool {
    /** Shorter arguments are never recycled (the store keeps values up to 64 bytes inline anyway). */
    public static final int MIN_LENGTH = 65;
    /** Bytes one thread's pool may hold: MSET of ten 1 KB values needs ten arrays, large values fewer. */
    static final int MAX_BYTES = 64 * 1024;
    private static final int MAX_ARRAYS = 16;

    private static final FastThreadLocal<ArgumentPool> POOL = new FastThreadLocal<>() {
        @Override
        protected ArgumentPool initialValue() {
            return new ArgumentPool();
        }
    };

    private final byte[][] arrays = new byte[MAX_ARRAYS][];
    private int count;
    /** The length of every array held (the first one's, while the pool is not empty). */
    private int length;

    private ArgumentPool() {
    }

    /** This thread's pool. */
    public static ArgumentPool current() {
        return POOL.get();
    }

    /**
     * Keeps {@code array} for a later {@link #take} of its length, if there is room and the pool holds
     * arrays of that length (or none).
     */
    public void recycle(byte[] array) {
        int n = array.length;
        if (n < MIN_LENGTH || count == MAX_ARRAYS) return;
        if (count > 0 && n != length) return; // keep the size in use; another one takes over once it runs dry
        if ((long) (count + 1) * n > MAX_BYTES) return;
        length = n;
        arrays[count++] = array;
    }

    /** An array of {@code n} bytes (not zeroed: the caller overwrites all of it), or null if none is kept. */
    public byte[] take(int n) {
        if (count == 0 || n != length) return null;
        byte[] array = arrays[--count];
        arrays[count] = null;
        return array;
    }

    /** Arrays held (for tests). */
    int size() {
        return count;
    }

    /** Drops every array held (for tests: the pool outlives a test on its thread). */
    void clear() {
        java.util.Arrays.fill(arrays, 0, count, null);
        count = 0;
    }
}
