package io.keyline.engine;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongBinaryOperator;

/**
 * A log-linear histogram laid out exactly as HdrHistogram's (lowest value 1, a configurable
 * highest value and significant digits), so that bucket boundaries, percentiles and the
 * logarithmic iteration match what Redis prints from its bundled {@code hdr_histogram}: Redis
 * records command latencies in nanoseconds between 1 ns and 1 s with 2 significant digits.
 *
 * <p>Recording is one array-slot increment without a locked instruction and allocates nothing: one
 * thread records into a histogram (the call path keeps one per thread and command, see
 * {@link ThreadCells}); reading takes a snapshot of the counts, so any thread may read it meanwhile, and
 * {@link #sum} adds several up.
 */
public final class LatencyHistogram {
    /** Redis's LATENCY_HISTOGRAM_MIN_VALUE / MAX_VALUE / PRECISION (nanoseconds). */
    public static final long REDIS_MIN_NANOS = 1;
    public static final long REDIS_MAX_NANOS = 1_000_000_000L;
    public static final int REDIS_PRECISION = 2;

    private final long highestTrackable;
    private final int subBucketHalfCountMagnitude;
    private final int subBucketHalfCount;
    private final long subBucketMask;
    private final int countsLength;
    private final AtomicLongArray counts;

    /** A histogram as Redis's per-command one: 1 ns .. 1 s, 2 significant digits. */
    public static LatencyHistogram forCommandLatency() {
        return new LatencyHistogram(REDIS_MAX_NANOS, REDIS_PRECISION);
    }

    public LatencyHistogram(long highestTrackable, int significantDigits) {
        if (significantDigits < 1 || significantDigits > 5) throw new IllegalArgumentException("significant digits 1..5");
        if (highestTrackable < 2) throw new IllegalArgumentException("highest trackable value must be >= 2");
        this.highestTrackable = highestTrackable;
        long singleUnitResolution = 2 * (long) Math.pow(10, significantDigits);
        int subBucketCountMagnitude = (int) Math.ceil(Math.log(singleUnitResolution) / Math.log(2));
        this.subBucketHalfCountMagnitude = Math.max(subBucketCountMagnitude, 1) - 1;
        int subBucketCount = 1 << (subBucketHalfCountMagnitude + 1);
        this.subBucketHalfCount = subBucketCount / 2;
        this.subBucketMask = subBucketCount - 1;
        // Buckets needed so that the highest trackable value has a slot (HDR's buckets_needed_to_cover_value).
        long smallestUntrackable = subBucketCount;
        int buckets = 1;
        while (smallestUntrackable <= highestTrackable) {
            if (smallestUntrackable > Long.MAX_VALUE / 2) {
                buckets++;
                break;
            }
            smallestUntrackable <<= 1;
            buckets++;
        }
        this.countsLength = (buckets + 1) * subBucketHalfCount;
        this.counts = new AtomicLongArray(countsLength);
    }

    /**
     * Records one value, clamped to [1, highest trackable] as Redis's updateCommandLatencyHistogram does.
     * Only one thread records into a histogram (readers see whole counts: the slot is written in one store).
     */
    public void record(long value) {
        if (value < 1) value = 1;
        else if (value > highestTrackable) value = highestTrackable;
        int i = indexOf(value);
        counts.setOpaque(i, counts.getPlain(i) + 1);
    }

    /** A histogram holding the counts of all of {@code parts} (same layout), for reading. */
    static LatencyHistogram sum(java.util.List<LatencyHistogram> parts) {
        if (parts.size() == 1) return parts.get(0);
        LatencyHistogram first = parts.get(0);
        LatencyHistogram total = new LatencyHistogram(first.highestTrackable, first.subBucketHalfCountMagnitude, first.countsLength);
        for (LatencyHistogram h : parts) {
            for (int i = 0; i < total.countsLength; i++) total.counts.setPlain(i, total.counts.getPlain(i) + h.counts.getOpaque(i));
        }
        return total;
    }

    private LatencyHistogram(long highestTrackable, int subBucketHalfCountMagnitude, int countsLength) {
        this.highestTrackable = highestTrackable;
        this.subBucketHalfCountMagnitude = subBucketHalfCountMagnitude;
        this.subBucketHalfCount = 1 << subBucketHalfCountMagnitude;
        this.subBucketMask = (1L << (subBucketHalfCountMagnitude + 1)) - 1;
        this.countsLength = countsLength;
        this.counts = new AtomicLongArray(countsLength);
    }

    public long totalCount() {
        long total = 0;
        for (int i = 0; i < countsLength; i++) total += counts.get(i);
        return total;
    }

    public void reset() {
        for (int i = 0; i < countsLength; i++) counts.set(i, 0);
    }

    // ---- HDR layout --------------------------------------------------------------------------

    private int bucketIndex(long value) {
        return (64 - Long.numberOfLeadingZeros(value | subBucketMask)) - (subBucketHalfCountMagnitude + 1);
    }

    int indexOf(long value) {
        int bucket = bucketIndex(value);
        int subBucket = (int) (value >>> bucket);
        return ((bucket + 1) << subBucketHalfCountMagnitude) + (subBucket - subBucketHalfCount);
    }

    long valueAt(int index) {
        int bucket = (index >> subBucketHalfCountMagnitude) - 1;
        int subBucket = (index & (subBucketHalfCount - 1)) + subBucketHalfCount;
        if (bucket < 0) {
            subBucket -= subBucketHalfCount;
            bucket = 0;
        }
        return (long) subBucket << bucket;
    }

    long lowestEquivalent(long value) {
        int bucket = bucketIndex(value);
        return (value >>> bucket) << bucket;
    }

    long highestEquivalent(long value) {
        int bucket = bucketIndex(value);
        int subBucket = (int) (value >>> bucket);
        // A value at the very top of a bucket belongs to the next, twice as wide (HDR's adjusted bucket).
        int adjusted = subBucket >= 2 * subBucketHalfCount ? bucket + 1 : bucket;
        return lowestEquivalent(value) + (1L << adjusted) - 1;
    }

    private long[] snapshot() {
        long[] s = new long[countsLength];
        for (int i = 0; i < countsLength; i++) s[i] = counts.getOpaque(i);
        return s;
    }

    // ---- reading -----------------------------------------------------------------------------

    /**
     * HDR's {@code hdr_value_at_percentile}: the highest value equivalent to the one holding the
     * requested rank (the lowest equivalent one for percentile 0); 0 when empty.
     */
    public long valueAtPercentile(double percentile) {
        long[] s = snapshot();
        long total = 0;
        for (long n : s) total += n;
        double requested = Math.min(percentile, 100.0);
        long rank = Math.max(1, (long) ((requested / 100) * total + 0.5));
        long seen = 0;
        for (int i = 0; i < s.length; i++) {
            seen += s[i];
            if (seen >= rank) {
                long v = valueAt(i);
                return percentile == 0.0 ? lowestEquivalent(v) : highestEquivalent(v);
            }
        }
        return 0;
    }

    /**
     * HDR's logarithmic iteration ({@code hdr_iter_log_init(first, base)}) as Redis's
     * {@code fillCommandCDF} walks it: for each reporting level where the cumulative count grew,
     * {@code step.applyAsLong(highestEquivalentValue, cumulativeCount)}. Returns the number of steps reported.
     */
    public int forEachLogStep(long firstLevel, int base, LongBinaryOperator step) {
        long[] s = snapshot();
        long total = 0;
        for (long n : s) total += n;
        int index = -1;
        long cumulative = 0;
        long value = 0;
        long highestEq = 0;
        long level = firstLevel;
        long levelLowest = lowestEquivalent(level);
        long previous = 0;
        int reported = 0;
        while (cumulative < total || (index + 1 < countsLength && valueAt(index + 1) > levelLowest)) {
            boolean ended = false;
            while (value < levelLowest || index < 0) {
                if (++index >= countsLength) {
                    ended = true;
                    break;
                }
                cumulative += s[index];
                value = valueAt(index);
                highestEq = highestEquivalent(value);
            }
            if (cumulative > previous) {
                step.applyAsLong(highestEq, cumulative);
                reported++;
            }
            previous = cumulative;
            if (ended) break;
            level *= base;
            levelLowest = lowestEquivalent(level);
        }
        return reported;
    }
}
