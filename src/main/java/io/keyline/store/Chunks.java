package io.keyline.store;

/**
 * Arrays of a hash table held as chunks of {@code 1 << bits} elements: position {@code i} at
 * {@code [i >>> bits][i & (1 << bits) - 1]}; an array of up to one chunk's size is one chunk of its
 * own length. The key tables ({@link #BITS}: 16384) allocate every chunk at once; the collection
 * tables ({@link #PAGE_BITS}: 512) as they fill.
 * Used by the key tables ({@link KeyTable}) and the collection tables of {@code store.type}.
 *
 * <p>Why chunks: without compressed references (ZGC has none) an {@code Object[32768]} is just over
 * ZGC's small-object limit (256 KB), and bigger arrays go to medium or large pages, which ZGC compacts
 * poorly (bench/results/2026-12-07-chunks.md); and a table's new array is zeroed and faulted in
 * when it is allocated, all at once: the 80 MB of a 4M-slot hash took the command that grew it
 * hundreds of milliseconds (bench/results/2026-12-07-rehash.md).
 *
 * <p><b>Lazy chunks</b> ({@link #lazyObjects}, {@link #lazyInts}, of {@link #PAGE_BITS} for the
 * collection tables): a new table of several chunks
 * starts with every chunk being one shared, empty, read-only chunk ({@code EMPTY_*}); reads of it
 * see null / 0 (an empty slot), and {@link #setNew}/{@link #setNewInt} allocate a chunk of its own
 * at the first write into it. An incremental resize fills the new table in the old one's order, so
 * the chunks are allocated one by one across the resize instead of in the command that starts it.
 * Only writes into a slot that may still be empty must go through {@code setNew*}; the plain
 * setters are for slots known to be occupied (their chunk is real) or for writing null/0.
 */
public final class Chunks {
    /** The key tables' chunks: 16384 elements (an {@code Object[]} of 128 KB, a ZGC small object). */
    public static final int BITS = 14;
    public static final int SIZE = 1 << BITS;
    public static final int MASK = SIZE - 1;
    /**
     * The collection tables' chunks, allocated lazily: 512 elements (4 KB of references), a page, so
     * an insert that lands in a chunk not allocated yet costs about what Redis's does when it first
     * touches a page of its calloc'd table. With 16384 the first thousand inserts after a 4M-slot hash
     * started to grow allocated nearly all 80 MB of its new arrays (one chunk each, at random); with
     * 256 lookups in a 2M-field hash cost visibly more CPU than with a flat array (the outer arrays:
     * 16384 references for 4M slots) in a micro-benchmark (bench/results/2026-12-07-rehash.md).
     */
    public static final int PAGE_BITS = 9;

    // Shared read-only chunks of the largest size; a smaller geometry reads only their first elements.
    private static final Object[] EMPTY_OBJECTS = new Object[SIZE];
    private static final int[] EMPTY_INTS = new int[SIZE];

    private Chunks() {
    }

    // ---- the key tables' geometry (BITS) -----------------------------------------------------

    public static int length(Object[][] chunks) {
        return length(chunks, BITS);
    }

    public static int length(byte[][] chunks) {
        return chunks.length == 1 ? chunks[0].length : chunks.length << BITS;
    }

    public static Object get(Object[][] chunks, int i) {
        return chunks[i >>> BITS][i & MASK];
    }

    public static void set(Object[][] chunks, int i, Object o) {
        chunks[i >>> BITS][i & MASK] = o;
    }

    public static byte get(byte[][] chunks, int i) {
        return chunks[i >>> BITS][i & MASK];
    }

    public static void set(byte[][] chunks, int i, byte b) {
        chunks[i >>> BITS][i & MASK] = b;
    }

    /** {@code n} (a power of two) positions, every chunk allocated now. */
    public static Object[][] objects(int n) {
        if (n <= SIZE) return new Object[][] {new Object[n]};
        Object[][] chunks = new Object[n >>> BITS][];
        for (int c = 0; c < chunks.length; c++) chunks[c] = new Object[SIZE];
        return chunks;
    }

    public static byte[][] bytes(int n) {
        if (n <= SIZE) return new byte[][] {new byte[n]};
        byte[][] chunks = new byte[n >>> BITS][];
        for (int c = 0; c < chunks.length; c++) chunks[c] = new byte[SIZE];
        return chunks;
    }

    // ---- any geometry: bits is a constant at every call site, which the JIT folds --------------

    /** Number of positions (a power of two for tables) of chunks of {@code 1 << bits}, or of one flat chunk. */
    public static int length(Object[][] chunks, int bits) {
        return chunks.length == 1 ? chunks[0].length : chunks.length << bits;
    }

    public static int length(int[][] chunks, int bits) {
        return chunks.length == 1 ? chunks[0].length : chunks.length << bits;
    }

    // A lazily allocated table of up to SIZE positions is one flat chunk (see lazyObjects): the
    // branch on chunks.length is decided once per table and spares small tables the chunk arithmetic.

    public static Object get(Object[][] chunks, int i, int bits) {
        return chunks.length == 1 ? chunks[0][i] : chunks[i >>> bits][i & ((1 << bits) - 1)];
    }

    /** Sets an occupied position (or clears one). */
    public static void set(Object[][] chunks, int i, Object o, int bits) {
        if (chunks.length == 1) chunks[0][i] = o;
        else chunks[i >>> bits][i & ((1 << bits) - 1)] = o;
    }

    public static int get(int[][] chunks, int i, int bits) {
        return chunks.length == 1 ? chunks[0][i] : chunks[i >>> bits][i & ((1 << bits) - 1)];
    }

    /** Sets an occupied position (or clears one). */
    public static void setInt(int[][] chunks, int i, int v, int bits) {
        if (chunks.length == 1) chunks[0][i] = v;
        else chunks[i >>> bits][i & ((1 << bits) - 1)] = v;
    }

    /** Sets a position that may lie in a chunk not allocated yet (allocating it). */
    public static void setNew(Object[][] chunks, int i, Object o, int bits) {
        if (chunks.length == 1) {
            chunks[0][i] = o;
            return;
        }
        Object[] c = chunks[i >>> bits];
        if (c == EMPTY_OBJECTS) chunks[i >>> bits] = c = new Object[1 << bits];
        c[i & ((1 << bits) - 1)] = o;
    }

    /** As {@link #setNew} for an {@code int} chunk. */
    public static void setNewInt(int[][] chunks, int i, int v, int bits) {
        if (chunks.length == 1) {
            chunks[0][i] = v;
            return;
        }
        int[] c = chunks[i >>> bits];
        if (c == EMPTY_INTS) chunks[i >>> bits] = c = new int[1 << bits];
        c[i & ((1 << bits) - 1)] = v;
    }

    /**
     * {@code n} (a power of two) positions whose chunks are allocated at their first {@link #setNew};
     * up to {@link #SIZE} positions, one flat chunk allocated now (at most 128 KB).
     */
    public static Object[][] lazyObjects(int n, int bits) {
        if (n <= SIZE) return new Object[][] {new Object[n]};
        Object[][] chunks = new Object[n >>> bits][];
        java.util.Arrays.fill(chunks, EMPTY_OBJECTS);
        return chunks;
    }

    /** As {@link #lazyObjects} for {@code int}s. */
    public static int[][] lazyInts(int n, int bits) {
        if (n <= SIZE) return new int[][] {new int[n]};
        int[][] chunks = new int[n >>> bits][];
        java.util.Arrays.fill(chunks, EMPTY_INTS);
        return chunks;
    }

    /** A deep copy; chunks not allocated yet stay shared (they are never written). */
    public static Object[][] copy(Object[][] chunks) {
        Object[][] c = chunks.clone();
        for (int k = 0; k < c.length; k++) if (c[k] != EMPTY_OBJECTS) c[k] = c[k].clone();
        return c;
    }

    public static int[][] copy(int[][] chunks) {
        int[][] c = chunks.clone();
        for (int k = 0; k < c.length; k++) if (c[k] != EMPTY_INTS) c[k] = c[k].clone();
        return c;
    }

    /** Reverse-binary increment of a SCAN cursor over the bits of {@code mask} (Redis's dictScan). */
    public static long nextCursor(long v, long mask) {
        v |= ~mask; // the bits above the mask are set so the carry runs through them
        return Long.reverse(Long.reverse(v) + 1);
    }
}
