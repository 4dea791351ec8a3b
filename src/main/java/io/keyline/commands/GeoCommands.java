package io.keyline.commands;

import io.keyline.engine.Args;
import io.keyline.engine.CallContext;
import io.keyline.engine.CommandSpec;
import io.keyline.engine.CommandSpec.Flag;
import io.keyline.engine.CommandTable;
import io.keyline.engine.Errors;
import io.keyline.engine.Handler;
import io.keyline.engine.KeySpec;
import io.keyline.engine.RedisException;
import io.keyline.protocol.Doubles;
import io.keyline.protocol.ReplyWriter;
import io.keyline.pubsub.KeyspaceEvents;
import io.keyline.store.Database;
import io.keyline.store.type.SortedSetValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Geo commands (Redis's geo.c) on sorted sets: a point is a member whose score is the 52-bit
 * geohash of its coordinates ({@link Geohash}). GEOADD is ZADD with computed scores (and is logged
 * as ZADD, as Redis rewrites it); searches scan the score ranges of up to nine geohash boxes.
 */
final class GeoCommands {
    private static final String COULD_NOT_DECODE = "ERR could not decode requested zset member";

    private GeoCommands() {
    }

    private static CommandSpec.Builder g(CommandTable t, String name, int arity, String summary, String since, String complexity) {
        return t.command(name, arity).acl("geo").group("geo").doc(summary, since, complexity);
    }

    static void register(CommandTable t) {
        String radiusCx = "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.";
        String searchCx = "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape";
        g(t, "geoadd", -5, "Add one or more geospatial items in the geospatial index represented using a sorted set", "3.2.0",
                "O(log(N)) for each item added, where N is the number of elements in the sorted set.")
                .flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1)
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW update"))
                .handler(Op.GEOADD);
        g(t, "geopos", -2, "Returns longitude and latitude of members of a geospatial index", "3.2.0",
                "O(N) where N is the number of members requested.")
                .flags(Flag.READONLY).keys(1, 1, 1)
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.GEOPOS);
        g(t, "geodist", -4, "Returns the distance between two members of a geospatial index", "3.2.0", "O(log(N))")
                .flags(Flag.READONLY).keys(1, 1, 1)
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.GEODIST);
        g(t, "geohash", -2, "Returns members of a geospatial index as standard geohash strings", "3.2.0",
                "O(log(N)) for each member requested, where N is the number of elements in the sorted set.")
                .flags(Flag.READONLY).keys(1, 1, 1)
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.GEOHASH);
        g(t, "georadius", -6, "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point",
                "3.2.0", radiusCx)
                .flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1).keys(KeyFinders.GEORADIUS)
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .keySpec(KeySpec.keyword("STORE", 6).range(0, 1, 0).flags("OW update"))
                .keySpec(KeySpec.keyword("STOREDIST", 6).range(0, 1, 0).flags("OW update"))
                .handler(Op.GEORADIUS);
        g(t, "georadius_ro", -6, "A read-only variant for GEORADIUS", "3.2.10", radiusCx)
                .flags(Flag.READONLY).keys(1, 1, 1)
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.GEORADIUS_RO);
        g(t, "georadiusbymember", -5, "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member",
                "3.2.0", radiusCx)
                .flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1).keys(KeyFinders.GEORADIUSBYMEMBER)
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .keySpec(KeySpec.keyword("STORE", 5).range(0, 1, 0).flags("OW update"))
                .keySpec(KeySpec.keyword("STOREDIST", 5).range(0, 1, 0).flags("OW update"))
                .handler(Op.GEORADIUSBYMEMBER);
        g(t, "georadiusbymember_ro", -5, "A read-only variant for GEORADIUSBYMEMBER", "3.2.10", radiusCx)
                .flags(Flag.READONLY).keys(1, 1, 1)
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.GEORADIUSBYMEMBER_RO);
        g(t, "geosearch", -7, "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle.",
                "6.2.0", searchCx)
                .flags(Flag.READONLY).keys(1, 1, 1)
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.GEOSEARCH);
        g(t, "geosearchstore", -8, "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key.",
                "6.2.0", searchCx)
                .flags(Flag.WRITE, Flag.DENYOOM).keys(1, 2, 1)
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("OW update"))
                .keySpec(KeySpec.index(2).range(0, 1, 0).flags("RO access"))
                .handler(Op.GEOSEARCHSTORE);
    }

    /** Redis's georadiusGetKeys: the source key and the last STORE/STOREDIST destination. */
    static int[] radiusKeys(byte[][] argv, int from) {
        int stored = -1;
        for (int i = from - 1; i < argv.length; i++) {
            if ((Args.is(argv[i], "store") || Args.is(argv[i], "storedist")) && i + 1 < argv.length) {
                stored = i + 1;
                i++;
            }
        }
        return stored < 0 ? new int[] {1} : new int[] {1, stored};
    }

    // ---- argument helpers ------------------------------------------------------------------------

    /** extractLongLatOrReply: {lon, lat} from two arguments. */
    private static double[] lonLat(byte[][] argv, int i) {
        double x = Args.toDouble(argv[i]);
        double y = Args.toDouble(argv[i + 1]);
        if (x < Geohash.LONG_MIN || x > Geohash.LONG_MAX || y < Geohash.LAT_MIN || y > Geohash.LAT_MAX) {
            throw new RedisException("ERR invalid longitude,latitude pair " + Geohash.formatF(x) + "," + Geohash.formatF(y));
        }
        return new double[] {x, y};
    }

    /** extractUnitOrReply: meters per unit (case-insensitive since 7.0). */
    private static double unit(byte[] u) {
        if (Args.is(u, "m")) return 1;
        if (Args.is(u, "km")) return 1000;
        if (Args.is(u, "ft")) return 0.3048;
        if (Args.is(u, "mi")) return 1609.34;
        throw new RedisException("ERR unsupported unit provided. please use M, KM, FT, MI");
    }

    private static double number(byte[] b, String error) {
        Double d = Doubles.parse(b);
        if (d == null) throw new RedisException("ERR " + error);
        return d;
    }

    /** The member's point {lon, lat}, or null when absent. */
    private static double[] memberPoint(SortedSetValue z, byte[] member) {
        double s = z.score(member);
        return Double.isNaN(s) ? null : Geohash.decodeScore(s);
    }

    // ---- GEOADD, GEOPOS, GEODIST, GEOHASH --------------------------------------------------------

    /** GEOADD key [NX|XX] [CH] longitude latitude member [...]: ZADD with geohash scores, logged as ZADD. */
    static void geoadd(CallContext c, byte[][] argv) {
        boolean xx = false, nx = false;
        int longidx = 2;
        while (longidx < argv.length) {
            byte[] opt = argv[longidx];
            if (Args.is(opt, "nx")) nx = true;
            else if (Args.is(opt, "xx")) xx = true;
            else if (!Args.is(opt, "ch")) break;
            longidx++;
        }
        if ((argv.length - longidx) % 3 != 0 || (xx && nx)) throw Errors.syntax();
        int elements = (argv.length - longidx) / 3;
        byte[][] zargv = new byte[longidx + elements * 2][];
        zargv[0] = "zadd".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(argv, 1, zargv, 1, longidx - 1);
        for (int i = 0; i < elements; i++) {
            double[] xy = lonLat(argv, longidx + i * 3);
            zargv[longidx + i * 2] = Long.toString(Geohash.score(xy[0], xy[1])).getBytes(StandardCharsets.US_ASCII);
            zargv[longidx + 1 + i * 2] = argv[longidx + i * 3 + 2];
        }
        SortedSetCommands.zadd(c, zargv);
        c.propagateAs(zargv); // logged only when ZADD changed something (Redis rewrites the argv to ZADD)
    }

    /** GEOPOS key [member ...] */
    static void geopos(CallContext c, byte[][] argv) {
        SortedSetValue z = c.db().get(argv[1], SortedSetValue.class);
        c.reply.arrayHeader(argv.length - 2);
        for (int j = 2; j < argv.length; j++) {
            double[] xy = z == null ? null : memberPoint(z, argv[j]);
            if (xy == null) {
                c.reply.nullArray();
            } else {
                c.reply.arrayHeader(2);
                humanDouble(c.reply, xy[0]);
                humanDouble(c.reply, xy[1]);
            }
        }
    }

    /** GEODIST key member1 member2 [M|KM|FT|MI] */
    static void geodist(CallContext c, byte[][] argv) {
        double toMeter = 1;
        if (argv.length == 5) toMeter = unit(argv[4]);
        else if (argv.length > 5) throw Errors.syntax();
        SortedSetValue z = c.db().get(argv[1], SortedSetValue.class);
        double[] a = z == null ? null : memberPoint(z, argv[2]);
        double[] b = z == null ? null : memberPoint(z, argv[3]);
        if (a == null || b == null) {
            c.reply.nullBulk();
            return;
        }
        distanceReply(c.reply, Geohash.distance(a[0], a[1], b[0], b[1]) / toMeter);
    }

    /** GEOHASH key [member ...] */
    static void geohash(CallContext c, byte[][] argv) {
        SortedSetValue z = c.db().get(argv[1], SortedSetValue.class);
        c.reply.arrayHeader(argv.length - 2);
        for (int j = 2; j < argv.length; j++) {
            double s = z == null ? Double.NaN : z.score(argv[j]);
            String h = Double.isNaN(s) ? null : Geohash.standardGeohash(s);
            if (h == null) c.reply.nullBulk();
            else c.reply.bulk(h.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** addReplyHumanLongDouble: a bulk string in RESP2, a double in RESP3, {@code %.17Lf} trimmed. */
    private static void humanDouble(ReplyWriter r, double d) {
        String s = Geohash.formatHuman(d);
        if (r.resp3()) r.raw(("," + s + "\r\n").getBytes(StandardCharsets.US_ASCII));
        else r.bulk(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** addReplyDoubleDistance: {@code %.4f} as a bulk string. */
    private static void distanceReply(ReplyWriter r, double d) {
        r.bulk(Geohash.formatDistance(d).getBytes(StandardCharsets.US_ASCII));
    }

    // ---- searches --------------------------------------------------------------------------------

    static final int RADIUS_COORDS = 1, RADIUS_MEMBER = 2, RADIUS_NOSTORE = 4, GEOSEARCH = 8, GEOSEARCHSTORE = 16;
    private static final int SORT_NONE = 0, SORT_ASC = 1, SORT_DESC = 2;

    /**
     * The matches of one search as parallel arrays (Redis's geoArray of geoPoint structs): no object per
     * matching member, the arrays double as they fill.
     */
    private static final class Matches {
        byte[][] member = new byte[16][];
        double[] score = new double[16], lon = new double[16], lat = new double[16], dist = new double[16];
        int size;

        void add(byte[] m, double sc, double x, double y, double d) {
            if (size == member.length) {
                int cap = size * 2;
                member = java.util.Arrays.copyOf(member, cap);
                score = java.util.Arrays.copyOf(score, cap);
                lon = java.util.Arrays.copyOf(lon, cap);
                lat = java.util.Arrays.copyOf(lat, cap);
                dist = java.util.Arrays.copyOf(dist, cap);
            }
            member[size] = m;
            score[size] = sc;
            lon[size] = x;
            lat[size] = y;
            dist[size] = d;
            size++;
        }
    }

    /** Redis's georadiusGeneric for GEORADIUS[BYMEMBER][_RO], GEOSEARCH and GEOSEARCHSTORE. */
    static void search(CallContext c, byte[][] argv, int srcKeyIndex, int flags) {
        Database db = c.db();
        byte[] storekey = null;
        boolean storedist = false;
        SortedSetValue zobj = db.get(argv[srcKeyIndex], SortedSetValue.class);
        int baseArgs;
        Geohash.Shape shape = new Geohash.Shape();
        if ((flags & RADIUS_COORDS) != 0) {
            baseArgs = 6;
            double[] xy = lonLat(argv, 2);
            shape.lon = xy[0];
            shape.lat = xy[1];
            distanceArgs(argv, baseArgs - 2, shape);
        } else if ((flags & RADIUS_MEMBER) != 0 && zobj == null) {
            baseArgs = 5; // parse on, to know which empty reply to give
        } else if ((flags & RADIUS_MEMBER) != 0) {
            baseArgs = 5;
            double[] xy = memberPoint(zobj, argv[2]);
            if (xy == null) throw new RedisException(COULD_NOT_DECODE);
            shape.lon = xy[0];
            shape.lat = xy[1];
            distanceArgs(argv, baseArgs - 2, shape);
        } else {
            baseArgs = 2;
            if ((flags & GEOSEARCHSTORE) != 0) {
                baseArgs = 3;
                storekey = argv[1];
            }
        }

        boolean withdist = false, withhash = false, withcoords = false;
        boolean frommember = false, fromloc = false, byradius = false, bybox = false;
        int sort = SORT_NONE;
        boolean any = false;
        long count = 0;
        boolean search = (flags & GEOSEARCH) != 0;
        boolean nostore = (flags & RADIUS_NOSTORE) != 0;
        int remaining = argv.length - baseArgs;
        for (int i = 0; i < remaining; i++) {
            byte[] arg = argv[baseArgs + i];
            if (Args.is(arg, "withdist")) {
                withdist = true;
            } else if (Args.is(arg, "withhash")) {
                withhash = true;
            } else if (Args.is(arg, "withcoord")) {
                withcoords = true;
            } else if (Args.is(arg, "any")) {
                any = true;
            } else if (Args.is(arg, "asc")) {
                sort = SORT_ASC;
            } else if (Args.is(arg, "desc")) {
                sort = SORT_DESC;
            } else if (Args.is(arg, "count") && i + 1 < remaining) {
                count = Args.toLong(argv[baseArgs + i + 1]);
                if (count <= 0) throw new RedisException("ERR COUNT must be > 0");
                i++;
            } else if (Args.is(arg, "store") && i + 1 < remaining && !nostore && !search) {
                storekey = argv[baseArgs + i + 1];
                storedist = false;
                i++;
            } else if (Args.is(arg, "storedist") && i + 1 < remaining && !nostore && !search) {
                storekey = argv[baseArgs + i + 1];
                storedist = true;
                i++;
            } else if (Args.is(arg, "storedist") && search && (flags & GEOSEARCHSTORE) != 0) {
                storedist = true;
            } else if (Args.is(arg, "frommember") && i + 1 < remaining && search && !fromloc) {
                if (zobj != null) {
                    double[] xy = memberPoint(zobj, argv[baseArgs + i + 1]);
                    if (xy == null) throw new RedisException(COULD_NOT_DECODE);
                    shape.lon = xy[0];
                    shape.lat = xy[1];
                }
                frommember = true;
                i++;
            } else if (Args.is(arg, "fromlonlat") && i + 2 < remaining && search && !frommember) {
                double[] xy = lonLat(argv, baseArgs + i + 1);
                shape.lon = xy[0];
                shape.lat = xy[1];
                fromloc = true;
                i += 2;
            } else if (Args.is(arg, "byradius") && i + 2 < remaining && search && !bybox) {
                distanceArgs(argv, baseArgs + i + 1, shape);
                byradius = true;
                i += 2;
            } else if (Args.is(arg, "bybox") && i + 3 < remaining && search && !byradius) {
                double w = number(argv[baseArgs + i + 1], "need numeric width");
                double h = number(argv[baseArgs + i + 2], "need numeric height");
                if (h < 0 || w < 0) throw new RedisException("ERR height or width cannot be negative");
                shape.conversion = unit(argv[baseArgs + i + 3]);
                shape.width = w;
                shape.height = h;
                shape.box = true;
                bybox = true;
                i += 3;
            } else {
                throw Errors.syntax();
            }
        }

        if (storekey != null && (withdist || withhash || withcoords)) {
            throw new RedisException("ERR " + ((flags & GEOSEARCHSTORE) != 0 ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS")
                    + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
        }
        String name = new String(argv[0], StandardCharsets.UTF_8);
        if (search && !(frommember || fromloc)) {
            throw new RedisException("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + name);
        }
        if (search && !(byradius || bybox)) {
            throw new RedisException("ERR exactly one of BYRADIUS and BYBOX can be specified for " + name);
        }
        if (any && count == 0) throw new RedisException("ERR the ANY argument requires COUNT argument");

        if (zobj == null) {
            if (storekey != null) {
                if (db.delete(storekey)) {
                    c.modified(storekey);
                    c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", storekey);
                }
                c.reply.integer(0);
            } else {
                c.reply.emptyArray();
            }
            return;
        }

        if (count != 0 && sort == SORT_NONE && !any) sort = SORT_ASC;

        Matches ga = new Matches();
        membersOfAllNeighbors(zobj, Geohash.areasByShape(shape), shape, ga, any ? count : 0);

        if (ga.size == 0 && storekey == null) {
            c.reply.emptyArray();
            return;
        }
        int resultLength = ga.size;
        int returned = (count == 0 || resultLength < count) ? resultLength : (int) count;
        // order[k] is the k-th match to return: the sorts move indices, the matches stay where they are.
        int[] order = PartialSort.identity(resultLength);
        if (sort != SORT_NONE) {
            double[] dist = ga.dist;
            PartialSort.IndexComparator asc = (a, b) -> dist[a] > dist[b] ? 1 : dist[a] == dist[b] ? 0 : -1;
            PartialSort.IndexComparator cmp = sort == SORT_ASC ? asc : (a, b) -> -asc.compare(a, b);
            if (returned == resultLength) {
                PartialSort.stableSort(order, resultLength, cmp); // glibc's qsort: a stable merge sort at this size
            } else {
                PartialSort.pqsort(order, resultLength, cmp, 0, returned - 1);
            }
        }

        if (storekey == null) {
            int options = (withdist ? 1 : 0) + (withcoords ? 1 : 0) + (withhash ? 1 : 0);
            ReplyWriter r = c.reply;
            r.arrayHeader(returned);
            for (int k = 0; k < returned; k++) {
                int i = order[k];
                if (options > 0) r.arrayHeader(options + 1);
                r.bulk(ga.member[i]);
                if (withdist) distanceReply(r, ga.dist[i] / shape.conversion);
                if (withhash) r.integer(Geohash.scoreAsLongLong(ga.score[i]));
                if (withcoords) {
                    r.arrayHeader(2);
                    humanDouble(r, ga.lon[i]);
                    humanDouble(r, ga.lat[i]);
                }
            }
            return;
        }

        if (returned > 0) {
            int maxLen = 0;
            for (int k = 0; k < returned; k++) maxLen = Math.max(maxLen, ga.member[order[k]].length);
            SortedSetValue dst = new SortedSetValue(c.server().encodingLimits(), returned, maxLen);
            for (int k = 0; k < returned; k++) {
                int i = order[k];
                dst.put(ga.member[i], storedist ? ga.dist[i] / shape.conversion : ga.score[i]);
            }
            db.set(storekey, dst, Database.NO_TTL);
            c.modified(storekey);
            c.notifyKeyspaceEvent(KeyspaceEvents.ZSET, search ? "geosearchstore" : "georadiusstore", storekey);
        } else if (db.delete(storekey)) {
            c.modified(storekey);
            c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", storekey);
        }
        c.reply.integer(returned);
    }

    /** extractDistanceOrReply: radius and unit at argv[i], argv[i + 1]. */
    private static void distanceArgs(byte[][] argv, int i, Geohash.Shape shape) {
        double d = number(argv[i], "need numeric radius");
        if (d < 0) throw new RedisException("ERR radius cannot be negative");
        shape.radius = d;
        shape.conversion = unit(argv[i + 1]);
        shape.box = false;
    }

    /** membersOfAllNeighbors: scan each non-zero box once (skipping a repeat of the previous one). */
    private static void membersOfAllNeighbors(SortedSetValue z, Geohash.Bits[] neighbors, Geohash.Shape shape,
                                              Matches ga, long limit) {
        int lastProcessed = 0;
        for (int i = 0; i < neighbors.length; i++) {
            if (neighbors[i].isZero()) continue;
            if (lastProcessed != 0 && neighbors[i].bits() == neighbors[lastProcessed].bits()
                    && neighbors[i].step() == neighbors[lastProcessed].step()) {
                continue;
            }
            if (ga.size != 0 && limit != 0 && ga.size >= limit) break;
            long min = Geohash.align52Bits(neighbors[i]);
            long max = Geohash.align52Bits(new Geohash.Bits(neighbors[i].bits() + 1, neighbors[i].step()));
            pointsInRange(z, min, max, shape, ga, limit);
            lastProcessed = i;
        }
    }

    /** geoGetPointsInRange: members with min <= score < max that fall inside the shape. */
    private static void pointsInRange(SortedSetValue z, double min, double max, Geohash.Shape shape, Matches ga, long limit) {
        long start = z.countBelow(min, false);
        long end = z.countBelow(max, false);
        if (start >= end) return;
        z.range(start, end - start, false, new SortedSetValue.ElementConsumer() {
            private boolean full;
            private final double[] xy = new double[2]; // one per range, not one per visited point

            @Override
            public void accept(byte[] member, double score) {
                if (full || (ga.size != 0 && limit != 0 && ga.size >= limit)) {
                    full = true;
                    return;
                }
                Geohash.decodeScore(score, xy);
                double d = Geohash.distanceIfWithin(shape, xy[0], xy[1]);
                if (!Double.isNaN(d)) ga.add(member, score, xy[0], xy[1], d);
            }
        });
    }

    /** The handlers of the commands registered above, one class for all of them (see {@link Handler}). */
    private enum Op implements Handler {
        GEOADD, GEOPOS, GEODIST, GEOHASH, GEORADIUS, GEORADIUS_RO, GEORADIUSBYMEMBER, GEORADIUSBYMEMBER_RO, GEOSEARCH,
        GEOSEARCHSTORE;

        @Override
        public void handle(CallContext c, byte[][] argv) {
            switch (this) {
                case GEOADD -> geoadd(c, argv);
                case GEOPOS -> geopos(c, argv);
                case GEODIST -> geodist(c, argv);
                case GEOHASH -> geohash(c, argv);
                case GEORADIUS -> search(c, argv, 1, GeoCommands.RADIUS_COORDS);
                case GEORADIUS_RO -> search(c, argv, 1, GeoCommands.RADIUS_COORDS | GeoCommands.RADIUS_NOSTORE);
                case GEORADIUSBYMEMBER -> search(c, argv, 1, GeoCommands.RADIUS_MEMBER);
                case GEORADIUSBYMEMBER_RO -> search(c, argv, 1, GeoCommands.RADIUS_MEMBER | GeoCommands.RADIUS_NOSTORE);
                case GEOSEARCH -> search(c, argv, 1, GeoCommands.GEOSEARCH);
                case GEOSEARCHSTORE -> search(c, argv, 2, GeoCommands.GEOSEARCH | GeoCommands.GEOSEARCHSTORE);
            }
        }
    }
}
