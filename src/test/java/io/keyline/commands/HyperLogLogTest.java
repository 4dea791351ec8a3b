package io.keyline.commands;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The HyperLogLog codec against values and counts produced by redis-server 7.0.15. */
class HyperLogLogTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static HyperLogLog addAll(HyperLogLog h, long max, String... els) {
        for (String e : els) assertThat(h.add(b(e), max)).isNotEqualTo(-1);
        return h;
    }

    @Test
    void emptyHllIsRedisCreateHllObject() {
        byte[] v = HyperLogLog.create().toBytes();
        assertThat(v).isEqualTo(b("HYLL\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u007f\u00ff"));
        assertThat(HyperLogLog.isValid(v)).isTrue();
        assertThat(HyperLogLog.count(v)).isZero();
        assertThat(HyperLogLog.decode(v)).isEqualTo("Z:16384");
    }

    @Test
    void sparseBytesMatchRedis() {
        HyperLogLog h = addAll(HyperLogLog.create(), 3000, "a", "b", "c");
        h.invalidateCache();
        byte[] v = h.toBytes();
        // redis-cli: PFADD t a b c; GET t
        byte[] redis = b("HYLL\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0080"
                + "\u0060\u00f3\u0080\u0050\u00b1\u0084\u004b\u00fb\u0080\u0042\u005a");
        assertThat(v).isEqualTo(redis);
        assertThat(HyperLogLog.decode(v)).isEqualTo("Z:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603");
        assertThat(HyperLogLog.count(v)).isEqualTo(3);
    }

    @Test
    void murmurHashAndPatternAgreeWithRedisRegisters() {
        // a, b, c land in registers 8436 (run 1), 12711 (run 2) and 15780 (run 1): the decode above
        java.util.Set<String> got = new java.util.HashSet<>();
        for (String e : new String[] {"a", "b", "c"}) {
            long pl = HyperLogLog.patLen(b(e));
            got.add((int) pl + "/" + (pl >>> 32));
        }
        assertThat(got).containsExactlyInAnyOrder("8436/1", "12711/2", "15780/1");
    }

    @Test
    void thousandElementsStaySparseWithRedisCount() {
        HyperLogLog h = HyperLogLog.create();
        for (int i = 0; i < 1000; i++) h.add(b("el" + i), 3000);
        byte[] v = h.toBytes();
        assertThat(v[4]).isEqualTo((byte) HyperLogLog.SPARSE);
        assertThat(HyperLogLog.count(v)).isEqualTo(1005);
    }

    @Test
    void hundredThousandElementsPromoteToRedisDenseBytes() throws Exception {
        HyperLogLog h = HyperLogLog.create();
        for (int i = 0; i < 100_000; i++) h.add(b("m" + i), 3000);
        h.invalidateCache();
        byte[] v = h.toBytes();
        assertThat(v).hasSize(HyperLogLog.DENSE_SIZE);
        assertThat(HyperLogLog.count(v)).isEqualTo(98718);
        // the cached count as PFCOUNT stores it, then the whole string as Redis's GET returns it
        for (int i = 0; i < 8; i++) v[8 + i] = (byte) (98718L >>> (8 * i));
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(v));
        assertThat(sha).isEqualTo("ecaa529c9e8099869646a2f3d24aca72ecd11b5587269b3649bcb10902bf3771");
    }

    @Test
    void sparseAndDenseAgreeAndPromotionHonoursMaxBytes() {
        Random r = new Random(7);
        HyperLogLog sparse = HyperLogLog.create();
        HyperLogLog dense = HyperLogLog.create();
        assertThat(dense.toDense()).isTrue();
        for (int i = 0; i < 3000; i++) {
            byte[] e = b(Long.toString(r.nextLong()));
            int s = sparse.add(e, 1_000_000);
            int d = dense.add(e, 1_000_000);
            assertThat(s).isEqualTo(d);
            if (i % 100 == 0) assertThat(HyperLogLog.count(sparse.toBytes())).isEqualTo(HyperLogLog.count(dense.toBytes()));
        }
        byte[] promoted = sparse.toBytes();
        HyperLogLog p = HyperLogLog.of(promoted);
        assertThat(p.toDense()).isTrue();
        byte[] dv = dense.toBytes();
        byte[] pv = p.toBytes();
        for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
            assertThat(HyperLogLog.denseGet(pv, 16, i)).isEqualTo(HyperLogLog.denseGet(dv, 16, i));
        }
        // a small max promotes early
        HyperLogLog small = addAll(HyperLogLog.create(), 30, "a", "b", "c", "d", "e", "d", "g", "h", "i", "j", "k");
        assertThat(small.encoding()).isEqualTo(HyperLogLog.DENSE);
    }

    @Test
    void denseRegistersRoundTripIncludingTheLast() {
        byte[] regs = new byte[HyperLogLog.DENSE_SIZE];
        Random r = new Random(1);
        int[] expect = new int[HyperLogLog.REGISTERS];
        for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
            expect[i] = r.nextInt(64);
            HyperLogLog.denseSet(regs, 16, i, expect[i]);
        }
        for (int i = 0; i < HyperLogLog.REGISTERS; i++) assertThat(HyperLogLog.denseGet(regs, 16, i)).isEqualTo(expect[i]);
    }

    @Test
    void estimatorEdgeCases() {
        int[] h = new int[64];
        h[0] = HyperLogLog.REGISTERS;
        assertThat(HyperLogLog.estimate(h)).isZero();
        assertThat(HyperLogLog.sigma(1.0)).isInfinite();
        assertThat(HyperLogLog.tau(0.0)).isZero();
        assertThat(HyperLogLog.tau(1.0)).isZero();
    }

    @Test
    void corruptedValuesAreRejectedNotThrown() {
        byte[] hdr = b("HYLL\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0080");
        assertThat(HyperLogLog.isValid(b("HYLX\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0080"))).isFalse();
        assertThat(HyperLogLog.isValid(b("HYLL\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0080"))).isFalse();
        assertThat(HyperLogLog.isValid(b("HYLL"))).isFalse();
        Random r = new Random(3);
        for (int t = 0; t < 2000; t++) {
            byte[] v = java.util.Arrays.copyOf(hdr, 16 + r.nextInt(40));
            for (int i = 16; i < v.length; i++) v[i] = (byte) r.nextInt(256);
            HyperLogLog.count(v);
            HyperLogLog.merge(new byte[HyperLogLog.REGISTERS], v);
            HyperLogLog h = HyperLogLog.of(v);
            for (int k = 0; k < 20; k++) if (h.add(b("x" + k), 3000) == -1) break;
            HyperLogLog.of(v).toDense();
            HyperLogLog.decode(v);
        }
        byte[] shortXzero = java.util.Arrays.copyOf(hdr, 17);
        shortXzero[16] = 0x7f;
        assertThat(HyperLogLog.count(shortXzero)).isEqualTo(-1);
        assertThat(HyperLogLog.of(shortXzero).toDense()).isFalse();
    }
}
