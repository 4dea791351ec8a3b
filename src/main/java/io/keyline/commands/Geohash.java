package io.keyline.commands;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Redis's geohash arithmetic (geohash.c, geohash_helper.c of Redis 7.2), bit for bit: points are
 * 52-bit interleaved hashes (26 steps per axis, latitude in the even bits, longitude in the odd
 * ones) over longitude -180..180 and latitude -85.05112878..85.05112878, stored as sorted set
 * scores. Distances use Redis's haversine with its earth radius, so the digits match redis-server's.
 */
final class Geohash {
    static final int STEP_MAX = 26;
    static final double LAT_MIN = -85.05112878, LAT_MAX = 85.05112878;
    static final double LONG_MIN = -180, LONG_MAX = 180;
    static final double EARTH_RADIUS_IN_METERS = 6372797.560856;
    static final double MERCATOR_MAX = 20037726.37;
    private static final double D_R = Math.PI / 180.0;

    private Geohash() {
    }

    /** A hash of {@code step} bits per axis; bits == 0 and step == 0 is Redis's "zero" (skipped) hash. */
    record Bits(long bits, int step) {
        static final Bits ZERO = new Bits(0, 0);

        boolean isZero() {
            return bits == 0 && step == 0;
        }
    }

    /** Bounds of one hash box: longitude and latitude min/max. */
    record Area(double lonMin, double lonMax, double latMin, double latMax) {
    }

    // ---- interleaving --------------------------------------------------------------------------

    private static final long[] B = {0x5555555555555555L, 0x3333333333333333L, 0x0F0F0F0F0F0F0F0FL,
            0x00FF00FF00FF00FFL, 0x0000FFFF0000FFFFL};
    private static final int[] S = {1, 2, 4, 8, 16};

    /** Redis's interleave64: x (latitude) in the even bits, y (longitude) in the odd bits. */
    static long interleave64(long xlo, long ylo) {
        long x = xlo & 0xFFFFFFFFL, y = ylo & 0xFFFFFFFFL;
        for (int i = 4; i >= 0; i--) {
            x = (x | (x << S[i])) & B[i];
            y = (y | (y << S[i])) & B[i];
        }
        return x | (y << 1);
    }

    /** Redis's deinterleave64: latitude part in the low 32 bits, longitude part in the high 32. */
    static long deinterleave64(long interleaved) {
        long x = interleaved, y = interleaved >>> 1;
        x &= B[0];
        y &= B[0];
        for (int i = 1; i <= 5; i++) {
            long mask = i == 5 ? 0x00000000FFFFFFFFL : B[i];
            x = (x | (x >>> S[i - 1])) & mask;
            y = (y | (y >>> S[i - 1])) & mask;
        }
        return x | (y << 32);
    }

    /** C's conversion of a non-negative double to uint32_t (truncation), as geohashEncode does. */
    private static long toUint32(double d) {
        return ((long) d) & 0xFFFFFFFFL;
    }

    // ---- encode / decode -----------------------------------------------------------------------

    /** geohashEncode: null where Redis returns 0 (out of range). */
    static Bits encode(double lonMin, double lonMax, double latMin, double latMax, double longitude, double latitude, int step) {
        if (step > 32 || step == 0) return null;
        if (longitude > LONG_MAX || longitude < LONG_MIN || latitude > LAT_MAX || latitude < LAT_MIN) return null;
        if (latitude < latMin || latitude > latMax || longitude < lonMin || longitude > lonMax) return null;
        double latOffset = (latitude - latMin) / (latMax - latMin);
        double longOffset = (longitude - lonMin) / (lonMax - lonMin);
        latOffset *= (double) (1L << step);
        longOffset *= (double) (1L << step);
        return new Bits(interleave64(toUint32(latOffset), toUint32(longOffset)), step);
    }

    static Bits encodeWGS84(double longitude, double latitude, int step) {
        return encode(LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX, longitude, latitude, step);
    }

    /** geohashDecode over the given ranges. */
    static Area decode(double lonMin, double lonMax, double latMin, double latMax, Bits hash) {
        int step = hash.step();
        long sep = deinterleave64(hash.bits());
        double latScale = latMax - latMin, longScale = lonMax - lonMin;
        long ilato = sep & 0xFFFFFFFFL;
        long ilono = sep >>> 32;
        double div = (double) (1L << step);
        return new Area(
                lonMin + (ilono * 1.0 / div) * longScale,
                lonMin + (((ilono + 1) & 0xFFFFFFFFL) * 1.0 / div) * longScale,
                latMin + (ilato * 1.0 / div) * latScale,
                latMin + (((ilato + 1) & 0xFFFFFFFFL) * 1.0 / div) * latScale);
    }

    static Area decodeWGS84(Bits hash) {
        return decode(LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX, hash);
    }

    /**
     * C's {@code (uint64_t)score} on x86-64 as a Java long holding the same 64 bits: out-of-range
     * values give cvttsd2si's "indefinite" 0x8000000000000000 (so 1e300 becomes 0, as in Redis).
     */
    static long scoreBits(double score) {
        if (score >= 0x1p63) {
            double v = score - 0x1p63;
            return (v >= 0x1p63 ? Long.MIN_VALUE : (long) v) ^ Long.MIN_VALUE;
        }
        return (long) score; // below -2^63 Java saturates to Long.MIN_VALUE, the same bits
    }

    /** C's {@code (long long)score} on x86-64 (WITHHASH). */
    static long scoreAsLongLong(double score) {
        return score >= 0x1p63 || Double.isNaN(score) ? Long.MIN_VALUE : (long) score;
    }

    /** Redis's decodeGeohash: the centre of the score's 26-step box, clamped to the limits; {lon, lat}. */
    static double[] decodeScore(double score) {
        double[] xy = new double[2];
        decodeScore(score, xy);
        return xy;
    }

    /**
     * {@link #decodeScore(double)} into {@code xy} without allocating (searches decode every point they
     * visit): {@link #decode} inlined for the WGS84 ranges and step 26, the same operations in the same
     * order, so the same doubles.
     */
    static void decodeScore(double score, double[] xy) {
        long sep = deinterleave64(scoreBits(score));
        double latScale = LAT_MAX - LAT_MIN, longScale = LONG_MAX - LONG_MIN;
        long ilato = sep & 0xFFFFFFFFL;
        long ilono = sep >>> 32;
        double div = (double) (1L << STEP_MAX);
        double lonMin = LONG_MIN + (ilono * 1.0 / div) * longScale;
        double lonMax = LONG_MIN + (((ilono + 1) & 0xFFFFFFFFL) * 1.0 / div) * longScale;
        double latMin = LAT_MIN + (ilato * 1.0 / div) * latScale;
        double latMax = LAT_MIN + (((ilato + 1) & 0xFFFFFFFFL) * 1.0 / div) * latScale;
        double x = (lonMin + lonMax) / 2;
        if (x > LONG_MAX) x = LONG_MAX;
        if (x < LONG_MIN) x = LONG_MIN;
        double y = (latMin + latMax) / 2;
        if (y > LAT_MAX) y = LAT_MAX;
        if (y < LAT_MIN) y = LAT_MIN;
        xy[0] = x;
        xy[1] = y;
    }

    /** The score GEOADD stores for a point (geohashAlign52Bits of the 26-step hash); callers check the range first. */
    static long score(double longitude, double latitude) {
        Bits h = encodeWGS84(longitude, latitude, STEP_MAX);
        return align52Bits(h);
    }

    static long align52Bits(Bits hash) {
        return hash.bits() << (52 - hash.step() * 2);
    }

    /** GEOHASH's 11 characters: re-encoded over the standard -90..90 latitude range. */
    static String standardGeohash(double score) {
        double[] xy = decodeScore(score);
        Bits h = encode(-180, 180, -90, 90, xy[0], xy[1], STEP_MAX);
        if (h == null) return null;
        String alphabet = "0123456789bcdefghjkmnpqrstuvwxyz";
        char[] buf = new char[11];
        for (int i = 0; i < 11; i++) {
            int idx = i == 10 ? 0 : (int) ((h.bits() >>> (52 - ((i + 1) * 5))) & 0x1f);
            buf[i] = alphabet.charAt(idx);
        }
        return new String(buf);
    }

    // ---- neighbours ----------------------------------------------------------------------------

    private static Bits moveX(Bits h, int d) {
        if (d == 0) return h;
        long x = h.bits() & 0xaaaaaaaaaaaaaaaaL;
        long y = h.bits() & 0x5555555555555555L;
        long zz = 0x5555555555555555L >>> (64 - h.step() * 2);
        if (d > 0) {
            x = x + (zz + 1);
        } else {
            x = x | zz;
            x = x - (zz + 1);
        }
        x &= (0xaaaaaaaaaaaaaaaaL >>> (64 - h.step() * 2));
        return new Bits(x | y, h.step());
    }

    private static Bits moveY(Bits h, int d) {
        if (d == 0) return h;
        long x = h.bits() & 0xaaaaaaaaaaaaaaaaL;
        long y = h.bits() & 0x5555555555555555L;
        long zz = 0xaaaaaaaaaaaaaaaaL >>> (64 - h.step() * 2);
        if (d > 0) {
            y = y + (zz + 1);
        } else {
            y = y | zz;
            y = y - (zz + 1);
        }
        y &= (0x5555555555555555L >>> (64 - h.step() * 2));
        return new Bits(x | y, h.step());
    }

    /** The nine boxes of a search, in Redis's order: centre, N, S, E, W, NE, NW, SE, SW (zero = skipped). */
    static Bits[] neighbours(Bits h) {
        return new Bits[] {h,
                moveY(h, 1), moveY(h, -1), moveX(h, 1), moveX(h, -1),
                moveY(moveX(h, 1), 1), moveY(moveX(h, -1), 1), moveY(moveX(h, 1), -1), moveY(moveX(h, -1), -1)};
    }

    // ---- search areas (geohash_helper.c) -------------------------------------------------------

    static int estimateStepsByRadius(double rangeMeters, double lat) {
        if (rangeMeters == 0) return 26;
        int step = 1;
        while (rangeMeters < MERCATOR_MAX) {
            rangeMeters *= 2;
            step++;
        }
        step -= 2;
        if (lat > 66 || lat < -66) {
            step--;
            if (lat > 80 || lat < -80) step--;
        }
        if (step < 1) step = 1;
        if (step > 26) step = 26;
        return step;
    }

    private static double degRad(double ang) {
        return ang * D_R;
    }

    private static double radDeg(double ang) {
        return ang / D_R;
    }

    /**
     * A search shape: centre, a radius or a width/height in the request's unit, and that unit's
     * conversion factor to meters.
     */
    static final class Shape {
        double lon, lat;
        boolean box;
        double radius, width, height;
        double conversion = 1;
        final double[] bounds = new double[4];
    }

    /** geohashBoundingBox: bounds = {min lon, min lat, max lon, max lat}. */
    static void boundingBox(Shape s) {
        double height = s.conversion * (s.box ? s.height / 2 : s.radius);
        double width = s.conversion * (s.box ? s.width / 2 : s.radius);
        double latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
        double longDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(s.lat + latDelta)));
        double longDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(s.lat - latDelta)));
        boolean southern = s.lat < 0;
        s.bounds[0] = southern ? s.lon - longDeltaBottom : s.lon - longDeltaTop;
        s.bounds[2] = southern ? s.lon + longDeltaBottom : s.lon + longDeltaTop;
        s.bounds[1] = s.lat - latDelta;
        s.bounds[3] = s.lat + latDelta;
    }

    /** geohashCalculateAreasByShapeWGS84: the nine boxes to scan, useless ones zeroed. */
    static Bits[] areasByShape(Shape s) {
        boundingBox(s);
        double minLon = s.bounds[0], minLat = s.bounds[1], maxLon = s.bounds[2], maxLat = s.bounds[3];
        double radiusMeters = s.box ? Math.sqrt((s.width / 2) * (s.width / 2) + (s.height / 2) * (s.height / 2)) : s.radius;
        radiusMeters *= s.conversion;
        int steps = estimateStepsByRadius(radiusMeters, s.lat);
        Bits hash = encodeWGS84(s.lon, s.lat, steps);
        Bits[] n = neighbours(hash);
        Area area = decodeWGS84(hash);
        boolean decrease = false;
        {
            Area north = decodeWGS84(n[1]), south = decodeWGS84(n[2]), east = decodeWGS84(n[3]), west = decodeWGS84(n[4]);
            if (north.latMax() < maxLat) decrease = true;
            if (south.latMin() > minLat) decrease = true;
            if (east.lonMax() < maxLon) decrease = true;
            if (west.lonMin() > minLon) decrease = true;
        }
        if (steps > 1 && decrease) {
            steps--;
            hash = encodeWGS84(s.lon, s.lat, steps);
            n = neighbours(hash);
            area = decodeWGS84(hash);
        }
        if (steps >= 2) {
            if (area.latMin() < minLat) {
                n[2] = Bits.ZERO; // south
                n[8] = Bits.ZERO; // south west
                n[7] = Bits.ZERO; // south east
            }
            if (area.latMax() > maxLat) {
                n[1] = Bits.ZERO; // north
                n[5] = Bits.ZERO; // north east
                n[6] = Bits.ZERO; // north west
            }
            if (area.lonMin() < minLon) {
                n[4] = Bits.ZERO; // west
                n[8] = Bits.ZERO;
                n[6] = Bits.ZERO;
            }
            if (area.lonMax() > maxLon) {
                n[3] = Bits.ZERO; // east
                n[7] = Bits.ZERO;
                n[5] = Bits.ZERO;
            }
        }
        return n;
    }

    // ---- distances -----------------------------------------------------------------------------

    static double latDistance(double lat1d, double lat2d) {
        return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2d) - degRad(lat1d));
    }

    /** geohashGetDistance: Redis's haversine. */
    static double distance(double lon1d, double lat1d, double lon2d, double lat2d) {
        double lon1r = degRad(lon1d), lon2r = degRad(lon2d);
        double v = Math.sin((lon2r - lon1r) / 2);
        if (v == 0.0) return latDistance(lat1d, lat2d);
        double lat1r = degRad(lat1d), lat2r = degRad(lat2d);
        double u = Math.sin((lat2r - lat1r) / 2);
        double a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
        return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(a));
    }

    /** geoWithinShape: the distance from the centre to (x, y), or NaN when the point is outside. */
    static double distanceIfWithin(Shape s, double x, double y) {
        if (!s.box) {
            double d = distance(s.lon, s.lat, x, y);
            return d > s.radius * s.conversion ? Double.NaN : d;
        }
        double widthM = s.width * s.conversion, heightM = s.height * s.conversion;
        if (latDistance(y, s.lat) > heightM / 2) return Double.NaN;
        if (distance(x, y, s.lon, y) > widthM / 2) return Double.NaN;
        return distance(s.lon, s.lat, x, y);
    }

    // ---- formatting ----------------------------------------------------------------------------

    /** C's {@code %.4f} (distances). */
    static String formatDistance(double d) {
        if (Double.isNaN(d)) return d < 0 ? "-nan" : "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        double t = d * 1e4;
        if (d >= 0 && t < 1e12) { // fast path: t is within 2^-13 of d * 10^4, so only near-ties need the exact value
            double fl = Math.floor(t), frac = t - fl;
            if (Math.abs(frac - 0.5) > 1e-3) {
                long v = (long) fl + (frac > 0.5 ? 1 : 0);
                long ip = v / 10000, fp = v % 10000;
                StringBuilder sb = new StringBuilder(24).append(ip).append('.');
                if (fp < 1000) sb.append('0');
                if (fp < 100) sb.append('0');
                if (fp < 10) sb.append('0');
                return sb.append(fp).toString();
            }
        }
        String s = new BigDecimal(d).setScale(4, RoundingMode.HALF_EVEN).toPlainString();
        return d < 0 || (d == 0 && 1 / d < 0) ? (s.startsWith("-") ? s : "-" + s) : s;
    }

    /** Redis's ld2string(LD_STR_HUMAN): {@code %.17Lf} without trailing zeros (coordinates). */
    static String formatHuman(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        BigDecimal b = new BigDecimal(d).setScale(17, RoundingMode.HALF_EVEN);
        if (b.signum() == 0) return "0";
        return b.stripTrailingZeros().toPlainString();
    }

    /** C's {@code %f} (coordinates in the invalid-pair error). */
    static String formatF(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        String s = new BigDecimal(d).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
        if (d < 0 && !s.startsWith("-")) s = "-" + s;
        return s;
    }
}
