package io.keyline.persistence;

import io.keyline.server.KeylineServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.BitOP;
import redis.clients.jedis.params.GeoSearchParam;
import redis.clients.jedis.args.GeoUnit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bitmaps, HyperLogLogs and geo sets survive a restart from the AOF and from a BGREWRITEAOF:
 * every key's raw bytes / members and scores, TTL, DEBUG DIGEST-VALUE and the whole-keyspace DEBUG
 * DIGEST are identical. PFCOUNT writes its cached cardinality into the value, so it must be logged
 * too, or the digest after a restart differs.
 */
class BitsHllGeoAofIT {
    private Path dir;
    private KeylineServer server;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("keyline-aof-bits");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) server.stop();
        AofTestSupport.deleteTree(dir);
    }

    private KeylineServer start(String... settings) throws Exception {
        String[] all = Arrays.copyOf(new String[] {"enable-debug-command", "yes"}, 2 + settings.length);
        System.arraycopy(settings, 0, all, 2, settings.length);
        return AofTestSupport.start(dir, all);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void populate(Jedis j) {
        // bitmaps: SETBIT growing the string, BITFIELD with overflow, BITOP results, one with a TTL
        for (int i = 0; i < 2000; i += 7) j.setbit("bm", i * 13L, true);
        j.setbit("bm", 91, false);
        j.bitfield("bf", "SET", "i64", "3", "-123456789", "INCRBY", "u63", "#1", "99", "OVERFLOW", "SAT", "INCRBY", "u8", "#20", "300");
        j.bitfield("bf", "OVERFLOW", "FAIL", "INCRBY", "u8", "#20", "1"); // fails: nothing to log
        j.setbit("bm2", 5, true);
        j.bitop(BitOP.XOR, "xor", "bm", "bm2");
        j.bitop(BitOP.NOT, "not", "bm2");
        j.setbit("ttl-bm", 1000, true);
        j.pexpire("ttl-bm", 3_600_000);
        // HLLs: sparse, dense (promoted by size), merged, with the cache both fresh and stale
        String[] many = new String[5000];
        for (int i = 0; i < many.length; i++) many[i] = "e" + i;
        j.pfadd("sparse", "a", "b", "c", "d");
        j.pfadd("dense", many);
        j.pfcount("dense");               // the cache write-back is logged
        j.pfadd("dense", "new1", "new2"); // stale again
        j.pfadd("other", "x", "y", "a");
        j.pfmerge("merged", "sparse", "other");
        j.pfcount("sparse", "other");     // a multi-key count writes nothing
        j.pfadd("empty");
        // geo: GEOADD with options, search stores, removal
        j.geoadd("geo", 13.361389, 38.115556, "Palermo");
        j.geoadd("geo", 15.087269, 37.502669, "Catania");
        j.geoadd("geo", Map.of("Rome", new redis.clients.jedis.GeoCoordinate(12.496366, 41.902782),
                "Agrigento", new redis.clients.jedis.GeoCoordinate(13.583333, 37.316667)));
        j.zrem("geo", "Rome");
        j.geosearchStore("near", "geo", GeoSearchParam.geoSearchParam().fromLonLat(15, 37).byRadius(200, GeoUnit.KM));
        j.geosearchStoreStoreDist("dist", "geo", GeoSearchParam.geoSearchParam().fromMember("Palermo").byRadius(300, GeoUnit.KM));
        assertThat(j.sendCommand(() -> b("GEORADIUS"), b("geo"), b("15"), b("37"), b("200"), b("km"), b("STORE"), b("rad")))
                .isEqualTo(3L);
        j.copy("geo", "geocopy", false);
        j.rename("geocopy", "georenamed");
        j.expire("georenamed", 3600);
    }

    /** Per key: type, raw bytes or members with scores, TTL presence and DEBUG DIGEST-VALUE; plus DEBUG DIGEST. */
    private Map<String, String> state() {
        Map<String, String> out = new TreeMap<>();
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            for (String key : j.keys("*")) {
                String type = j.type(key);
                // strings by length and SHA-256 (a failure message stays readable), zsets in full
                String value = type.equals("string") ? j.strlen(key) + ":" + sha256(j.get(b(key)))
                        : j.zrangeWithScores(key, 0, -1).toString();
                Object digest = j.sendCommand(() -> b("DEBUG"), b("DIGEST-VALUE"), b(key));
                String d = new String((byte[]) ((List<?>) digest).get(0), StandardCharsets.US_ASCII);
                out.put(key, type + " " + value + " ttl=" + (j.pttl(key) > 0) + " digest=" + d);
            }
            out.put("(digest)", new String((byte[]) j.sendCommand(() -> b("DEBUG"), b("DIGEST")), StandardCharsets.US_ASCII));
        }
        return out;
    }

    private static String sha256(byte[] v) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(v));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void restart() throws Exception {
        server.stop();
        server = start();
    }

    @Test
    void replayAndRewriteGiveIdenticalValuesAndDigests() throws Exception {
        server = start("appendfsync", "always");
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            populate(j);
        }
        Map<String, String> before = state();
        assertThat(before).containsKeys("bm", "bf", "xor", "not", "ttl-bm", "sparse", "dense", "merged", "empty",
                "geo", "near", "dist", "rad", "georenamed");
        assertThat(before.get("ttl-bm")).contains("ttl=true");
        assertThat(before.get("dense")).startsWith("string 12304:"); // dense
        restart();
        assertThat(state()).isEqualTo(before);

        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertThat(j.bgrewriteaof()).isEqualTo("Background append only file rewriting started");
            long deadline = System.currentTimeMillis() + 30_000;
            while (!j.info("persistence").contains("aof_rewrite_in_progress:0") || j.info("persistence").contains("aof_rewrite_scheduled:1")) {
                assertThat(System.currentTimeMillis()).isLessThan(deadline);
                Thread.sleep(20);
            }
            // written after the rewrite: lands in the new incremental file
            j.setbit("after", 9, true);
            j.pfadd("after-hll", "z");
            j.geoadd("after-geo", 1, 2, "p");
        }
        Map<String, String> afterRewrite = state();
        restart();
        assertThat(state()).isEqualTo(afterRewrite);
        afterRewrite.keySet().removeAll(List.of("after", "after-hll", "after-geo", "(digest)"));
        before.remove("(digest)");
        assertThat(afterRewrite).isEqualTo(before);
    }
}
