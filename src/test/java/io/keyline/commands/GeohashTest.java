package io.keyline.commands;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Geohash arithmetic and the partial sort against values produced by redis-server 7.0.15. */
class GeohashTest {
    @Test
    void scoresAndDecodingMatchRedis() {
        assertThat(Geohash.score(13.361389, 38.115556)).isEqualTo(3479099956230698L);
        assertThat(Geohash.score(15.087269, 37.502669)).isEqualTo(3479447370796909L);
        double[] xy = Geohash.decodeScore(3479099956230698.0);
        assertThat(Geohash.formatHuman(xy[0])).isEqualTo("13.36138933897018433");
        assertThat(Geohash.formatHuman(xy[1])).isEqualTo("38.11555639549629859");
        assertThat(Geohash.standardGeohash(3479099956230698.0)).isEqualTo("sqc8b49rny0");
        // out-of-range scores decode like C's (uint64_t) cast on x86-64: 1e300 -> 0
        assertThat(Geohash.scoreBits(1e300)).isZero();
        assertThat(Geohash.scoreBits(-1)).isEqualTo(-1L);
    }

    @Test
    void interleaveRoundTrips() {
        Random r = new Random(1);
        for (int i = 0; i < 10_000; i++) {
            long lat = r.nextInt() & 0xFFFFFFFFL, lon = r.nextInt() & 0xFFFFFFFFL;
            long sep = Geohash.deinterleave64(Geohash.interleave64(lat, lon));
            assertThat(sep & 0xFFFFFFFFL).isEqualTo(lat);
            assertThat(sep >>> 32).isEqualTo(lon);
        }
    }

    @Test
    void distancesAndFormatting() {
        double d = Geohash.distance(13.36138933897018433, 38.11555639549629859, 15.08726745843887329, 37.50266842333162032);
        assertThat(Geohash.formatDistance(d)).isEqualTo("166274.1516");
        assertThat(Geohash.formatDistance(0)).isEqualTo("0.0000");
        assertThat(Geohash.formatHuman(180)).isEqualTo("180");
        assertThat(Geohash.formatF(200)).isEqualTo("200.000000");
        assertThat(Geohash.formatF(-1e-9)).isEqualTo("-0.000000");
        Random r = new Random(3);
        for (int i = 0; i < 200_000; i++) {
            double v = i % 3 == 0 ? r.nextInt(100_000_000) / 1e5 + 0.00005 : r.nextDouble() * Math.pow(10, r.nextInt(9));
            assertThat(Geohash.formatDistance(v))
                    .isEqualTo(new java.math.BigDecimal(v).setScale(4, java.math.RoundingMode.HALF_EVEN).toPlainString());
        }
    }

    @Test
    void partialSortPutsTheWantedRangeInPlace() {
        Random r = new Random(7);
        for (int round = 0; round < 2000; round++) {
            int n = 1 + r.nextInt(120);
            Integer[] a = new Integer[n];
            for (int i = 0; i < n; i++) a[i] = r.nextInt(round % 2 == 0 ? 10 : 1000);
            Integer[] sorted = a.clone();
            Arrays.sort(sorted);
            int k = r.nextInt(n);
            PartialSort.pqsort(a, Comparator.naturalOrder(), 0, k);
            assertThat(Arrays.copyOf(a, k + 1)).containsExactly(Arrays.copyOf(sorted, k + 1));
        }
    }
}
