package io.keyline.integration;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.args.BitCountOption;
import redis.clients.jedis.args.BitOP;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random bitmap commands against Keyline and against models: SETBIT/GETBIT/BITCOUNT/BITPOS/BITOP
 * against a brute-force bit array, BITFIELD (all widths, signed and unsigned, WRAP/SAT/FAIL, bit and
 * {@code #} offsets)
 * against java.math.BigInteger arithmetic.
 */
class BitmapModelTest extends ServerTestBase {
    private static final String[] KEYS = {"b1", "b2", "b3"};
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
    private final Map<String, byte[]> model = new HashMap<>();
    private Random rnd;

    private static byte[] k(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] bytes(String key) {
        return model.getOrDefault(key, new byte[0]);
    }

    private static int bit(byte[] s, long pos) {
        long i = pos >>> 3;
        return i < s.length ? (s[(int) i] >> (7 - (int) (pos & 7))) & 1 : 0;
    }

    private static byte[] withBit(byte[] s, long pos, int v) {
        byte[] r = Arrays.copyOf(s, (int) Math.max(s.length, (pos >>> 3) + 1));
        int mask = 1 << (7 - (int) (pos & 7));
        r[(int) (pos >>> 3)] = (byte) (v == 1 ? r[(int) (pos >>> 3)] | mask : r[(int) (pos >>> 3)] & ~mask);
        return r;
    }

    @Test
    void bitsAgainstModel() {
        rnd = new Random(13);
        model.clear(); // one instance per class (ServerTestBase): the server is flushed between tests, so is the model
        for (int step = 0; step < 4000; step++) {
            String key = KEYS[rnd.nextInt(KEYS.length)];
            byte[] s = bytes(key);
            int op = rnd.nextInt(6);
            if (op == 0) {
                long off = rnd.nextInt(300);
                int v = rnd.nextInt(2);
                assertThat(jedis.setbit(k(key), off, v == 1)).isEqualTo(bit(s, off) == 1);
                model.put(key, withBit(s, off, v));
            } else if (op == 1) {
                long off = rnd.nextInt(400);
                assertThat(jedis.getbit(k(key), off)).isEqualTo(bit(s, off) == 1);
            } else if (op == 2) {
                boolean isBit = rnd.nextBoolean();
                long unit = isBit ? 8L * s.length : s.length;
                long start = rnd.nextInt(80) - 40;
                long end = rnd.nextInt(80) - 40;
                long[] r = range(start, end, unit);
                long expected = 0;
                if (!(start < 0 && end < 0 && start > end) && r != null) {
                    long from = isBit ? r[0] : r[0] * 8;
                    long to = isBit ? r[1] : r[1] * 8 + 7;
                    for (long p = from; p <= to; p++) expected += bit(s, p);
                }
                long got = jedis.bitcount(k(key), start, end, isBit ? BitCountOption.BIT : BitCountOption.BYTE);
                assertThat(got).as("BITCOUNT %s %d %d %s on %s", key, start, end, isBit, Arrays.toString(s)).isEqualTo(expected);
                if (rnd.nextInt(4) == 0) {
                    long all = 0;
                    for (long p = 0; p < 8L * s.length; p++) all += bit(s, p);
                    assertThat(jedis.bitcount(k(key))).isEqualTo(all);
                }
            } else if (op == 3) {
                int b = rnd.nextInt(2);
                boolean isBit = rnd.nextBoolean();
                long start = rnd.nextInt(60) - 30;
                boolean endGiven = rnd.nextBoolean();
                long end = rnd.nextInt(60) - 30;
                List<String> args = new ArrayList<>(List.of("BITPOS", key, Integer.toString(b), Long.toString(start)));
                if (endGiven) args.add(Long.toString(end));
                if (endGiven && rnd.nextBoolean()) args.add(isBit ? "BIT" : "BYTE");
                else isBit = false;
                long expected = bitposModel(s, b, start, endGiven ? end : null, isBit);
                Object got = respValue(args.toArray(new String[0]));
                assertThat(got).as("%s on %s", args, Arrays.toString(s)).isEqualTo(expected);
            } else if (op == 4) {
                // Redis 7.2's four operations (Jedis also lists 8.2's DIFF, ANDOR...).
                BitOP[] ops = {BitOP.AND, BitOP.OR, BitOP.XOR, BitOP.NOT};
                BitOP bop = ops[rnd.nextInt(ops.length)];
                String dest = KEYS[rnd.nextInt(KEYS.length)];
                List<String> srcs = new ArrayList<>();
                int n = bop == BitOP.NOT ? 1 : 1 + rnd.nextInt(3);
                for (int i = 0; i < n; i++) srcs.add(KEYS[rnd.nextInt(KEYS.length)]);
                int max = 0;
                for (String x : srcs) max = Math.max(max, bytes(x).length);
                byte[] res = new byte[max];
                for (int i = 0; i < max; i++) {
                    int acc = at(bytes(srcs.get(0)), i);
                    for (int j = 1; j < n; j++) {
                        int o = at(bytes(srcs.get(j)), i);
                        acc = switch (bop) { case AND -> acc & o; case OR -> acc | o; case XOR -> acc ^ o; default -> acc; };
                    }
                    if (bop == BitOP.NOT) acc = ~acc & 0xFF;
                    res[i] = (byte) acc;
                }
                byte[][] srcKeys = srcs.stream().map(BitmapModelTest::k).toArray(byte[][]::new);
                for (String x : srcs) {
                    byte[] actual = jedis.get(k(x));
                    assertThat(actual == null ? new byte[0] : actual).as("source %s before BITOP", x).isEqualTo(bytes(x));
                }
                assertThat(jedis.bitop(bop, k(dest), srcKeys)).as("BITOP %s %s %s", bop, dest, srcs).isEqualTo(max);
                if (max == 0) model.remove(dest);
                else model.put(dest, res);
            } else {
                byte[] actual = jedis.get(k(key));
                assertThat(actual == null ? new byte[0] : actual).isEqualTo(s);
            }
        }
    }

    private static int at(byte[] s, int i) {
        return i < s.length ? s[i] & 0xFF : 0;
    }

    /** Redis's index normalisation; null for an empty range. */
    private static long[] range(long start, long end, long len) {
        if (start < 0) start = len + start;
        if (end < 0) end = len + end;
        if (start < 0) start = 0;
        if (end < 0) end = 0;
        if (end >= len) end = len - 1;
        return start > end ? null : new long[]{start, end};
    }

    private static long bitposModel(byte[] s, int b, long start, Long end, boolean isBit) {
        if (s.length == 0 && !(isBit && false)) {
            // an existing empty string or a missing key: the model cannot tell; keys here are never ""
        }
        boolean missing = s.length == 0;
        if (missing) return b == 1 ? -1 : 0;
        long len = isBit ? 8L * s.length : s.length;
        long e = end != null ? end : (isBit ? len + 7 : len - 1);
        long[] r = range(start, e, len);
        if (r == null) return -1;
        long from = isBit ? r[0] : r[0] * 8;
        long to = isBit ? r[1] : r[1] * 8 + 7;
        for (long p = from; p <= to; p++) if (bit(s, p) == b) return p;
        if (b == 0 && end == null) return ((to >>> 3) + 1) * 8;
        return -1;
    }

    // ---- BITFIELD -------------------------------------------------------------------------------

    private static BigInteger field(byte[] s, long off, int bits, boolean signed) {
        BigInteger v = BigInteger.ZERO;
        for (int i = 0; i < bits; i++) v = v.shiftLeft(1).add(BigInteger.valueOf(bit(s, off + i)));
        if (signed && v.testBit(bits - 1)) v = v.subtract(BigInteger.ONE.shiftLeft(bits));
        return v;
    }

    private static byte[] withField(byte[] s, long off, int bits, BigInteger v) {
        BigInteger u = v.mod(BigInteger.ONE.shiftLeft(bits));
        byte[] r = Arrays.copyOf(s, (int) Math.max(s.length, ((off + bits - 1) >>> 3) + 1));
        for (int i = 0; i < bits; i++) r = withBit(r, off + i, u.testBit(bits - 1 - i) ? 1 : 0);
        return r;
    }

    @Test
    void bitfieldAgainstBigInteger() {
        rnd = new Random(42);
        String[] overflows = {"WRAP", "SAT", "FAIL"};
        for (int step = 0; step < 5000; step++) {
            String key = KEYS[rnd.nextInt(KEYS.length)];
            byte[] s = bytes(key);
            boolean signed = rnd.nextBoolean();
            int bits = 1 + rnd.nextInt(signed ? 64 : 63);
            long off = rnd.nextInt(200);
            String offArg = Long.toString(off);
            if (rnd.nextInt(4) == 0) { // "#n": the n-th field of this width, i.e. bit offset n * width
                long index = rnd.nextInt(Math.max(1, 200 / bits));
                off = index * bits;
                offArg = "#" + index;
            }
            String type = (signed ? "i" : "u") + bits;
            BigInteger min = signed ? BigInteger.ONE.shiftLeft(bits - 1).negate() : BigInteger.ZERO;
            BigInteger max = signed ? BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE)
                    : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
            String ow = overflows[rnd.nextInt(3)];
            long value = switch (rnd.nextInt(4)) {
                case 0 -> rnd.nextInt(21) - 10;
                case 1 -> rnd.nextLong() >> 2; // |v| < 2^62: Redis's checks are exact there
                case 2 -> max.longValue() - rnd.nextInt(3);
                default -> rnd.nextInt(1 << 16) - (1 << 15);
            };
            int op = rnd.nextInt(3);
            BigInteger old = field(s, off, bits, signed);
            List<Long> got;
            Long expected;
            byte[] after = s;
            if (op == 0) {
                got = jedis.bitfield(k(key), k("GET"), k(type), k(offArg));
                expected = old.longValue();
            } else {
                BigInteger target;
                Long reply;
                if (op == 1) {
                    target = BigInteger.valueOf(value);
                    if (!signed && value < 0) target = target.add(TWO_64);
                } else {
                    target = old.add(BigInteger.valueOf(value));
                }
                boolean overflow = target.compareTo(max) > 0 || target.compareTo(min) < 0;
                BigInteger result = target;
                if (overflow) {
                    if (ow.equals("WRAP")) {
                        result = target.mod(BigInteger.ONE.shiftLeft(bits));
                        if (signed && result.testBit(bits - 1)) result = result.subtract(BigInteger.ONE.shiftLeft(bits));
                    } else if (ow.equals("SAT")) {
                        result = target.compareTo(max) > 0 ? max : min;
                    } else {
                        result = null;
                    }
                }
                if (result == null) {
                    reply = null;
                } else {
                    reply = op == 1 ? old.longValue() : result.longValue();
                    after = withField(s, off, bits, result);
                }
                // the key is created or grown to the field even when FAIL writes nothing
                if (after.length < ((off + bits - 1) >>> 3) + 1) after = Arrays.copyOf(after, (int) (((off + bits - 1) >>> 3) + 1));
                got = jedis.bitfield(k(key), k("OVERFLOW"), k(ow), k(op == 1 ? "SET" : "INCRBY"), k(type),
                        k(offArg), k(Long.toString(value)));
                expected = reply;
            }
            assertThat(got).as("step %d %s %s %s off %s value %d", step, op, ow, type, offArg, value).hasSize(1);
            assertThat(got.get(0)).as("step %d op %d %s %s off %s value %d old %s", step, op, ow, type, offArg, value, old)
                    .isEqualTo(expected);
            model.put(key, after);
            // BITFIELD GET on a missing key creates nothing: the model's empty string is "no key"
            if (rnd.nextInt(10) == 0) assertThat(jedis.get(k(key))).isEqualTo(after.length == 0 ? null : after);
        }
    }
}
