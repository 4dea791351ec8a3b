package io.keyline.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The histogram against numbers Redis 7 (hdr_histogram, 1 ns .. 1 s, 2 significant digits)
 * printed for the same recorded values: a 23 µs SET shows as p50=23.039 / p0=22.912 in INFO
 * latencystats and as bucket 33 in LATENCY HISTOGRAM.
 */
class LatencyHistogramTest {
    private static List<long[]> steps(LatencyHistogram h) {
        List<long[]> out = new ArrayList<>();
        h.forEachLogStep(1024, 2, (highest, cumulative) -> {
            out.add(new long[]{highest / 1000, cumulative});
            return 0;
        });
        return out;
    }

    @Test
    void layoutMatchesHdrWithTwoSignificantDigits() {
        LatencyHistogram h = LatencyHistogram.forCommandLatency();
        // Values below 256 have their own slot; above, slots double in width every power of two.
        assertThat(h.lowestEquivalent(200)).isEqualTo(200);
        assertThat(h.highestEquivalent(200)).isEqualTo(200);
        assertThat(h.lowestEquivalent(23_000)).isEqualTo(22_912);
        assertThat(h.highestEquivalent(23_000)).isEqualTo(23_039);
        assertThat(h.highestEquivalent(1024)).isEqualTo(1031);
        for (long v : new long[]{1, 255, 256, 257, 1023, 1024, 65_535, 1_000_000, 999_999_999, 1_000_000_000}) {
            int i = h.indexOf(v);
            assertThat(h.valueAt(i)).as("slot of %d", v).isEqualTo(h.lowestEquivalent(v));
        }
    }

    @Test
    void percentilesAsRedisPrintsThem() {
        LatencyHistogram h = LatencyHistogram.forCommandLatency();
        assertThat(h.valueAtPercentile(50)).isZero();
        h.record(23_000);
        assertThat(h.valueAtPercentile(50)).isEqualTo(23_039);
        assertThat(h.valueAtPercentile(99.9)).isEqualTo(23_039);
        assertThat(h.valueAtPercentile(0)).isEqualTo(22_912);
        for (int i = 0; i < 98; i++) h.record(10_000);
        h.record(25_000);
        // 100 values: 98 x 10 µs, one 23 µs, one 25 µs.
        assertThat(h.valueAtPercentile(50)).isEqualTo(10_047);
        assertThat(h.valueAtPercentile(99)).isEqualTo(23_039);
        assertThat(h.valueAtPercentile(100)).isEqualTo(25_087);
        assertThat(h.totalCount()).isEqualTo(100);
    }

    @Test
    void logStepsArePowerOfTwoBucketsWithCumulativeCounts() {
        LatencyHistogram h = LatencyHistogram.forCommandLatency();
        assertThat(steps(h)).isEmpty();
        for (int i = 0; i < 4; i++) h.record(10_000); // 10 µs
        h.record(23_000);
        h.record(0); // clamped to 1 ns: the first (1 µs) bucket
        List<long[]> s = steps(h);
        assertThat(s).extracting(x -> x[0]).containsExactly(1L, 16L, 33L);
        assertThat(s).extracting(x -> x[1]).containsExactly(1L, 5L, 6L);
    }

    @Test
    void largeValuesAreClampedToOneSecond() {
        LatencyHistogram h = LatencyHistogram.forCommandLatency();
        h.record(5_000_000_000L);
        List<long[]> s = steps(h);
        assertThat(s).hasSize(1);
        assertThat(s.get(0)[1]).isEqualTo(1);
        assertThat(h.valueAtPercentile(50)).isBetween(1_000_000_000L, 1_010_000_000L);
    }

    @Test
    void stepsEndWithTheTotalAndOnlyGrow() {
        LatencyHistogram h = LatencyHistogram.forCommandLatency();
        Random rnd = new Random(7);
        for (int i = 0; i < 10_000; i++) h.record((long) Math.exp(rnd.nextDouble() * 20));
        List<long[]> s = steps(h);
        assertThat(s.get(s.size() - 1)[1]).isEqualTo(10_000);
        for (int i = 1; i < s.size(); i++) {
            assertThat(s.get(i)[0]).isGreaterThan(s.get(i - 1)[0]);
            assertThat(s.get(i)[1]).isGreaterThan(s.get(i - 1)[1]);
        }
        // Every bound is the top of the slot holding 1024 * 2^k ns, in µs: 1, 2, 4, 8, 16, 33, 66, 132...
        List<Long> bounds = new ArrayList<>();
        for (long level = 1024; level <= (1L << 31); level <<= 1) bounds.add((level + level / 128 - 1) / 1000);
        for (long[] x : s) assertThat(bounds).contains(x[0]);
        h.reset();
        assertThat(h.totalCount()).isZero();
    }
}
