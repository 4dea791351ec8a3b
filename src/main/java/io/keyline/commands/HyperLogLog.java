package io.keyline.commands;

import java.util.Arrays;

/**
 * Redis's HyperLogLog string format (src/hyperloglog.c), bit for bit: a 16-byte header ("HYLL",
 * encoding, 3 unused bytes, the cached cardinality as 8 little-endian bytes whose top bit marks it
 * stale) followed by either the dense registers (16384 six-bit registers, LSB first, 12288 bytes)
 * or the sparse run-length opcodes (ZERO {@code 00xxxxxx}, XZERO {@code 01xxxxxx yyyyyyyy}, VAL
 * {@code 1vvvvvxx}). Hashing (MurmurHash64A, seed 0xadc83b19) and the estimator (Ertl's improved
 * estimator over the register histogram) are Redis's, so counts are the same digits.
 *
 * <p>An instance is a mutable working copy of a value ({@link #of}); stored values are never
 * changed in place (strings may be shared by COPY): commands write {@link #toBytes()} back. Every
 * sparse opcode is bounds-checked: a corrupted value yields -1 / false, never an exception.
 */
final class HyperLogLog {
    static final int P = 14;
    static final int Q = 64 - P;
    static final int REGISTERS = 1 << P;
    static final int P_MASK = REGISTERS - 1;
    static final int BITS = 6;
    static final int REGISTER_MAX = (1 << BITS) - 1;
    static final int HDR_SIZE = 16;
    static final int DENSE_SIZE = HDR_SIZE + (REGISTERS * BITS + 7) / 8;
    static final int DENSE = 0;
    static final int SPARSE = 1;
    static final int MAX_ENCODING = 1;
    static final int SPARSE_VAL_MAX_VALUE = 32;
    static final int SPARSE_VAL_MAX_LEN = 4;
    static final int SPARSE_ZERO_MAX_LEN = 64;
    static final int SPARSE_XZERO_MAX_LEN = 16384;
    static final double ALPHA_INF = 0.721347520444481703680; // 0.5/ln(2)
    static final long SEED = 0xadc83b19L;

    static final String INVALID_HLL_ERR = "INVALIDOBJ Corrupted HLL object detected";
    static final String NOT_HLL_ERR = "WRONGTYPE Key is not a valid HyperLogLog string value.";

    /** The value being worked on; {@code len} bytes of it are the string (the rest is room to grow). */
    private byte[] buf;
    private int len;

    private HyperLogLog(byte[] buf, int len) {
        this.buf = buf;
        this.len = len;
    }

    /** A working copy of a stored value (which must pass {@link #isValid}). */
    static HyperLogLog of(byte[] value) {
        int room = value[4] == SPARSE ? value.length + 16 : value.length;
        return new HyperLogLog(Arrays.copyOf(value, room), value.length);
    }

    /**
     * Works on {@code buf} itself (a stored {@code MutableString}'s buffer, {@code len} bytes of it
     * the value): dense changes and sparse changes that fit the spare room are made in place; a
     * sparse value that grows past the room or turns dense moves to a new array ({@link #buffer}).
     */
    static HyperLogLog wrap(byte[] buf, int len) {
        return new HyperLogLog(buf, len);
    }

    /** The array holding the value now: the wrapped one unless the value had to move. */
    byte[] buffer() {
        return buf;
    }

    /** Redis's createHLLObject: an empty sparse HLL (one XZERO covering every register). */
    static HyperLogLog create() {
        int sparselen = HDR_SIZE + ((REGISTERS + (SPARSE_XZERO_MAX_LEN - 1)) / SPARSE_XZERO_MAX_LEN) * 2;
        byte[] s = new byte[sparselen + 16];
        s[0] = 'H';
        s[1] = 'Y';
        s[2] = 'L';
        s[3] = 'L';
        s[4] = SPARSE;
        int p = HDR_SIZE;
        int aux = REGISTERS;
        while (aux > 0) {
            int xzero = Math.min(SPARSE_XZERO_MAX_LEN, aux);
            xzeroSet(s, p, xzero);
            p += 2;
            aux -= xzero;
        }
        return new HyperLogLog(s, sparselen);
    }

    byte[] toBytes() {
        return buf.length == len ? buf : Arrays.copyOf(buf, len);
    }

    int encoding() {
        return buf[4];
    }

    int length() {
        return len;
    }

    /** Redis's isHLLObjectOrReply (past the type check): magic, encoding and dense length. */
    static boolean isValid(byte[] v) {
        return isValid(v, v.length);
    }

    /** {@link #isValid(byte[])} of the first {@code len} bytes of {@code v}. */
    static boolean isValid(byte[] v, int len) {
        if (len < HDR_SIZE) return false;
        if (v[0] != 'H' || v[1] != 'Y' || v[2] != 'L' || v[3] != 'L') return false;
        int enc = v[4] & 0xff;
        if (enc > MAX_ENCODING) return false;
        return enc != DENSE || len == DENSE_SIZE;
    }

    // ---- header: cached cardinality ---------------------------------------------------------

    static boolean validCache(byte[] v) {
        return (v[15] & 0x80) == 0;
    }

    void invalidateCache() {
        buf[15] |= (byte) 0x80;
    }

    static long cachedCard(byte[] v) {
        long card = 0;
        for (int i = 0; i < 8; i++) card |= (long) (v[8 + i] & 0xff) << (8 * i);
        return card;
    }

    void setCachedCard(long card) {
        for (int i = 0; i < 8; i++) buf[8 + i] = (byte) (card >>> (8 * i));
    }

    // ---- hashing -----------------------------------------------------------------------------

    /** MurmurHash64A as in Redis (little-endian reads, any alignment). */
    static long murmurHash64A(byte[] key, int seed) {
        final long m = 0xc6a4a7935bd1e995L;
        final int r = 47;
        int length = key.length;
        long h = (seed & 0xffffffffL) ^ (length * m);
        int end = length - (length & 7);
        for (int i = 0; i < end; i += 8) {
            long k = (key[i] & 0xffL) | (key[i + 1] & 0xffL) << 8 | (key[i + 2] & 0xffL) << 16
                    | (key[i + 3] & 0xffL) << 24 | (key[i + 4] & 0xffL) << 32 | (key[i + 5] & 0xffL) << 40
                    | (key[i + 6] & 0xffL) << 48 | (key[i + 7] & 0xffL) << 56;
            k *= m;
            k ^= k >>> r;
            k *= m;
            h ^= k;
            h *= m;
        }
        int rest = length & 7;
        if (rest > 0) {
            for (int j = rest - 1; j >= 0; j--) h ^= (key[end + j] & 0xffL) << (8 * j);
            h *= m;
        }
        h ^= h >>> r;
        h *= m;
        h ^= h >>> r;
        return h;
    }

    /** Redis's hllPatLen: the register index in the low 32 bits, the run length + 1 in the high 32. */
    static long patLen(byte[] ele) {
        long hash = murmurHash64A(ele, (int) SEED);
        long index = hash & P_MASK;
        hash >>>= P;
        hash |= 1L << Q;
        int count = Long.numberOfTrailingZeros(hash) + 1;
        return ((long) count << 32) | index;
    }

    // ---- dense registers -----------------------------------------------------------------------

    static int denseGet(byte[] b, int off, int regnum) {
        int bit = regnum * BITS;
        int byteIdx = off + (bit >>> 3);
        int fb = bit & 7;
        int b0 = b[byteIdx] & 0xff;
        int v = b0 >>> fb;
        if (fb > 8 - BITS) v |= (b[byteIdx + 1] & 0xff) << (8 - fb);
        return v & REGISTER_MAX;
    }

    static void denseSet(byte[] b, int off, int regnum, int val) {
        int bit = regnum * BITS;
        int byteIdx = off + (bit >>> 3);
        int fb = bit & 7;
        int fb8 = 8 - fb;
        b[byteIdx] = (byte) ((b[byteIdx] & ~(REGISTER_MAX << fb)) | (val << fb));
        if (fb > 8 - BITS) {
            b[byteIdx + 1] = (byte) ((b[byteIdx + 1] & ~(REGISTER_MAX >>> fb8)) | (val >>> fb8));
        }
    }

    /** Redis's hllDenseSet: 1 if the register grew. */
    private int denseSetIfGreater(int index, int count) {
        int old = denseGet(buf, HDR_SIZE, index);
        if (count > old) {
            denseSet(buf, HDR_SIZE, index, count);
            return 1;
        }
        return 0;
    }

    // ---- sparse opcodes --------------------------------------------------------------------------

    private static boolean isZero(int op) {
        return (op & 0xc0) == 0;
    }

    private static boolean isXzero(int op) {
        return (op & 0xc0) == 0x40;
    }

    private static boolean isVal(int op) {
        return (op & 0x80) != 0;
    }

    private static int zeroLen(int op) {
        return (op & 0x3f) + 1;
    }

    /** The second byte is read as 0 past the end (Redis reads the string's terminator). */
    private static int xzeroLen(byte[] b, int p, int end) {
        int lo = p + 1 < end ? b[p + 1] & 0xff : 0;
        return (((b[p] & 0x3f) << 8) | lo) + 1;
    }

    private static int valValue(int op) {
        return ((op >>> 2) & 0x1f) + 1;
    }

    private static int valLen(int op) {
        return (op & 0x3) + 1;
    }

    private static void xzeroSet(byte[] b, int p, int len) {
        int l = len - 1;
        b[p] = (byte) ((l >>> 8) | 0x40);
        b[p + 1] = (byte) (l & 0xff);
    }

    private static byte valOp(int val, int len) {
        return (byte) ((((val - 1) << 2) | (len - 1)) | 0x80);
    }

    /** Redis's hllSparseToDense: false if the sparse data does not cover exactly 16384 registers. */
    boolean toDense() {
        if (buf[4] == DENSE) return true;
        byte[] dense = new byte[DENSE_SIZE];
        System.arraycopy(buf, 0, dense, 0, HDR_SIZE); // magic and cached cardinality
        dense[4] = DENSE;
        int idx = 0;
        int p = HDR_SIZE;
        int end = len;
        while (p < end) {
            int op = buf[p] & 0xff;
            if (isZero(op)) {
                int runlen = zeroLen(op);
                if (runlen + idx > REGISTERS) return false; // overflow (the CVE-2025-32023 check)
                idx += runlen;
                p++;
            } else if (isXzero(op)) {
                int runlen = xzeroLen(buf, p, end);
                if (runlen + idx > REGISTERS) return false;
                idx += runlen;
                p += 2;
            } else {
                int runlen = valLen(op);
                int regval = valValue(op);
                if (runlen + idx > REGISTERS) return false;
                while (runlen-- > 0) {
                    denseSet(dense, HDR_SIZE, idx, regval);
                    idx++;
                }
                p++;
            }
        }
        if (idx != REGISTERS) return false;
        buf = dense;
        len = DENSE_SIZE;
        return true;
    }

    private void ensureRoom(int extra) {
        if (len + extra > buf.length) buf = Arrays.copyOf(buf, Math.max(len + extra, len + Math.min(len, 300)));
    }

    /**
     * Redis's hllSparseSet: sets register {@code index} to {@code count} if greater, splitting
     * opcodes, merging adjacent VALs and promoting to dense when a value exceeds 32 or the string
     * would outgrow {@code sparseMaxBytes}. Returns 1 if changed, 0 if not, -1 if corrupted.
     */
    int sparseSet(int index, int count, long sparseMaxBytes) {
        if (count > SPARSE_VAL_MAX_VALUE) return promote(index, count);
        ensureRoom(3);
        byte[] b = buf;
        final int sparse = HDR_SIZE;
        int p = sparse;
        int end = len;
        long first = 0;
        int prev = -1;
        long span = 0;
        while (p < end) {
            int op = b[p] & 0xff;
            int oplen = 1;
            if (isZero(op)) {
                span = zeroLen(op);
            } else if (isVal(op)) {
                span = valLen(op);
            } else {
                span = xzeroLen(b, p, end);
                oplen = 2;
            }
            if (index <= first + span - 1) break;
            prev = p;
            p += oplen;
            first += span;
        }
        if (span == 0 || p >= end) return -1;

        int op = b[p] & 0xff;
        int next = isXzero(op) ? p + 2 : p + 1;
        if (next >= end) next = -1;

        boolean isZero = false;
        boolean isXzero = false;
        boolean isVal = false;
        long runlen;
        if (isZero(op)) {
            isZero = true;
            runlen = zeroLen(op);
        } else if (isXzero(op)) {
            isXzero = true;
            runlen = xzeroLen(b, p, end);
        } else {
            isVal = true;
            runlen = valLen(op);
        }

        boolean done = false;
        if (isVal) {
            int oldcount = valValue(op);
            if (oldcount >= count) return 0; // case A
            if (runlen == 1) { // case B
                b[p] = valOp(count, 1);
                done = true;
            }
        }
        if (!done && isZero && runlen == 1) { // case C
            b[p] = valOp(count, 1);
            done = true;
        }
        if (!done) {
            // case D: split the opcode into up to 5 bytes
            byte[] seq = new byte[5];
            int n = 0;
            long last = first + span - 1;
            if (isZero || isXzero) {
                if (index != first) {
                    int l = (int) (index - first);
                    if (l > SPARSE_ZERO_MAX_LEN) {
                        xzeroSet(seq, n, l);
                        n += 2;
                    } else {
                        seq[n++] = (byte) (l - 1);
                    }
                }
                seq[n++] = valOp(count, 1);
                if (index != last) {
                    int l = (int) (last - index);
                    if (l > SPARSE_ZERO_MAX_LEN) {
                        xzeroSet(seq, n, l);
                        n += 2;
                    } else {
                        seq[n++] = (byte) (l - 1);
                    }
                }
            } else {
                int curval = valValue(op);
                if (index != first) seq[n++] = valOp(curval, (int) (index - first));
                seq[n++] = valOp(count, 1);
                if (index != last) seq[n++] = valOp(curval, (int) (last - index));
            }
            int seqlen = n;
            int oldlen = isXzero ? 2 : 1;
            int deltalen = seqlen - oldlen;
            if (deltalen > 0 && len + deltalen > sparseMaxBytes) return promote(index, count);
            if (deltalen != 0 && next >= 0) System.arraycopy(b, next, b, next + deltalen, end - next);
            len += deltalen;
            System.arraycopy(seq, 0, b, p, seqlen);
            end += deltalen;
        }

        // Step 4: merge adjacent VAL opcodes with the same value, scanning up to 5 opcodes from prev
        p = prev >= 0 ? prev : sparse;
        int scanlen = 5;
        while (p < end && scanlen-- > 0) {
            int o = b[p] & 0xff;
            if (isXzero(o)) {
                p += 2;
                continue;
            } else if (isZero(o)) {
                p++;
                continue;
            }
            if (p + 1 < end && isVal(b[p + 1] & 0xff)) {
                int v1 = valValue(o);
                int v2 = valValue(b[p + 1] & 0xff);
                if (v1 == v2) {
                    int l = valLen(o) + valLen(b[p + 1] & 0xff);
                    if (l <= SPARSE_VAL_MAX_LEN) {
                        b[p + 1] = valOp(v1, l);
                        System.arraycopy(b, p + 1, b, p, end - p - 1);
                        len--;
                        end--;
                        continue;
                    }
                }
            }
            p++;
        }
        invalidateCache();
        return 1;
    }

    private int promote(int index, int count) {
        if (!toDense()) return -1;
        return denseSetIfGreater(index, count);
    }

    /**
     * True if adding {@code elements[from..]} to the dense value {@code v} would raise a register:
     * PFADD skips copying the 12 KB string when nothing would change (the common case once dense).
     */
    static boolean denseWouldChange(byte[] v, byte[][] elements, int from) {
        for (int j = from; j < elements.length; j++) {
            long pl = patLen(elements[j]);
            if ((int) (pl >>> 32) > denseGet(v, HDR_SIZE, (int) pl)) return true;
        }
        return false;
    }

    /** Redis's hllAdd: 1 if a register changed, 0 if not, -1 if the value is corrupted. */
    int add(byte[] ele, long sparseMaxBytes) {
        long pl = patLen(ele);
        int index = (int) pl;
        int count = (int) (pl >>> 32);
        return set(index, count, sparseMaxBytes);
    }

    /** Sets a register to {@code count} if greater, in either encoding. */
    int set(int index, int count, long sparseMaxBytes) {
        switch (buf[4]) {
            case DENSE:
                return denseSetIfGreater(index, count);
            case SPARSE:
                return sparseSet(index, count, sparseMaxBytes);
            default:
                return -1;
        }
    }

    // ---- merge and count ---------------------------------------------------------------------

    /** Redis's hllMerge: max[i] = MAX(max[i], register i of {@code v}); false if corrupted. */
    static boolean merge(byte[] max, byte[] v) {
        return merge(max, v, v.length);
    }

    /** {@link #merge(byte[], byte[])} of the value in the first {@code len} bytes of {@code v}. */
    static boolean merge(byte[] max, byte[] v, int len) {
        if (v[4] == DENSE) {
            for (int i = 0; i < REGISTERS; i++) {
                int val = denseGet(v, HDR_SIZE, i);
                if (val > max[i]) max[i] = (byte) val;
            }
            return true;
        }
        int p = HDR_SIZE;
        int end = len;
        long i = 0;
        while (p < end) {
            int op = v[p] & 0xff;
            if (isZero(op)) {
                int runlen = zeroLen(op);
                if (runlen + i > REGISTERS) return false; // overflow (the CVE-2025-32023 check)
                i += runlen;
                p++;
            } else if (isXzero(op)) {
                int runlen = xzeroLen(v, p, end);
                if (runlen + i > REGISTERS) return false;
                i += runlen;
                p += 2;
            } else {
                int runlen = valLen(op);
                int regval = valValue(op);
                if (runlen + i > REGISTERS) return false;
                while (runlen-- > 0) {
                    if (regval > max[(int) i]) max[(int) i] = (byte) regval;
                    i++;
                }
                p++;
            }
        }
        return i == REGISTERS;
    }

    /**
     * Redis's hllCount of a stored value (dense or sparse): the estimate, or -1 if a sparse value
     * does not cover exactly 16384 registers.
     */
    static long count(byte[] v) {
        return count(v, v.length);
    }

    /** {@link #count(byte[])} of the value in the first {@code len} bytes of {@code v}. */
    static long count(byte[] v, int len) {
        int[] reghisto = new int[64];
        if (v[4] == DENSE) {
            for (int i = 0; i < REGISTERS; i++) reghisto[denseGet(v, HDR_SIZE, i)]++;
        } else {
            long idx = 0;
            int p = HDR_SIZE;
            int end = len;
            while (p < end) {
                int op = v[p] & 0xff;
                if (isZero(op)) {
                    int runlen = zeroLen(op);
                    idx += runlen;
                    reghisto[0] += runlen;
                    p++;
                } else if (isXzero(op)) {
                    int runlen = xzeroLen(v, p, end);
                    idx += runlen;
                    reghisto[0] += runlen;
                    p += 2;
                } else {
                    int runlen = valLen(op);
                    idx += runlen;
                    reghisto[valValue(op)] += runlen;
                    p++;
                }
            }
            if (idx != REGISTERS) return -1;
        }
        return estimate(reghisto);
    }

    /** hllCount of raw registers (one byte each): PFCOUNT of several keys. */
    static long countRaw(byte[] registers) {
        int[] reghisto = new int[256];
        for (int i = 0; i < REGISTERS; i++) reghisto[registers[i] & 0xff]++;
        return estimate(reghisto);
    }

    /** Ertl's improved estimator ("New cardinality estimation algorithms for HyperLogLog sketches"). */
    static long estimate(int[] reghisto) {
        double m = REGISTERS;
        double z = m * tau((m - reghisto[Q + 1]) / m);
        for (int j = Q; j >= 1; --j) {
            z += reghisto[j];
            z *= 0.5;
        }
        z += m * sigma(reghisto[0] / m);
        return llround(ALPHA_INF * m * m / z);
    }

    /** C's llround: half away from zero. */
    private static long llround(double x) {
        double f = Math.floor(x);
        if (x - f >= 0.5) f += 1;
        return (long) f;
    }

    static double sigma(double x) {
        if (x == 1.) return Double.POSITIVE_INFINITY;
        double zPrime;
        double y = 1;
        double z = x;
        do {
            x *= x;
            zPrime = z;
            z += x * y;
            y += y;
        } while (zPrime != z);
        return z;
    }

    static double tau(double x) {
        if (x == 0. || x == 1.) return 0.;
        double zPrime;
        double y = 1.0;
        double z = 1 - x;
        do {
            x = Math.sqrt(x);
            zPrime = z;
            y *= 0.5;
            double d = 1 - x;
            z -= d * d * y;
        } while (zPrime != z);
        return z / 3;
    }

    /** PFDEBUG DECODE: the sparse opcodes as "z:N Z:N v:V,N". */
    static String decode(byte[] v) {
        StringBuilder sb = new StringBuilder();
        int p = HDR_SIZE;
        int end = v.length;
        while (p < end) {
            int op = v[p] & 0xff;
            if (isZero(op)) {
                sb.append("z:").append(zeroLen(op)).append(' ');
                p++;
            } else if (isXzero(op)) {
                sb.append("Z:").append(xzeroLen(v, p, end)).append(' ');
                p += 2;
            } else {
                sb.append("v:").append(valValue(op)).append(',').append(valLen(op)).append(' ');
                p++;
            }
        }
        int n = sb.length();
        while (n > 0 && sb.charAt(n - 1) == ' ') n--;
        sb.setLength(n);
        return sb.toString();
    }
}
