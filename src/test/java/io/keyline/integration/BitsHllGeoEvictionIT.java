package io.keyline.integration;

import io.keyline.embed.EmbeddedKeyline;
import io.keyline.testkit.RespClient;
import io.keyline.testkit.Reply;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bitmaps, HyperLogLogs and geo sets are evicted like any key under maxmemory with allkeys-lru,
 * each eviction publishing an {@code evicted} keyevent, and the keys that stay keep their values.
 */
class BitsHllGeoEvictionIT {
    private static final int PER_TYPE = 300;

    @Test
    void allkeysLruEvictsBitmapsHllsAndGeoSetsWithEvictedEvents() throws Exception {
        try (EmbeddedKeyline keyline = EmbeddedKeyline.builder().config("maxmemory", "2mb")
                .config("maxmemory-policy", "allkeys-lru").config("notify-keyspace-events", "Ee").start();
             Jedis jedis = new Jedis("127.0.0.1", keyline.port(), 10_000);
             RespClient sub = new RespClient(keyline.port()).timeout(Duration.ofSeconds(10)).resp3()) {
            assertThat(sub.request("PSUBSCRIBE", "__keyevent@*__:evicted").isPush()).isTrue();
            String[] members = new String[200];
            for (int i = 0; i < PER_TYPE; i++) {
                // The LRU clock counts seconds, as Redis's: keys written in the same second tie, and sampled
                // eviction may then take the newest (it once took the last HLL). So the last keys of each
                // family come a second after the others, which makes them the least idle for certain.
                if (i == PER_TYPE - 1) Thread.sleep(1100);
                Pipeline p = jedis.pipelined();
                p.setbit("bm:" + i, 80_000, true); // a 10 KB bitmap
                for (int m = 0; m < members.length; m++) members[m] = i + "-" + m;
                p.pfadd("hll:" + i, members);
                p.sendCommand(() -> "PFDEBUG".getBytes(), "TODENSE".getBytes(), ("hll:" + i).getBytes()); // 12 KB
                for (int m = 0; m < 100; m++) p.geoadd("geo:" + i, (m % 360) - 179.5, (m % 170) - 84.5, "place-" + m);
                p.sync();
            }
            long keys = jedis.dbSize();
            assertThat(keys).isLessThan(3L * PER_TYPE).isPositive();
            // the newest of each family are still there, whole
            int last = PER_TYPE - 1;
            assertThat(jedis.getbit("bm:" + last, 80_000)).isTrue();
            assertThat(jedis.strlen("bm:" + last)).isEqualTo(10_001);
            assertThat(jedis.pfcount("hll:" + last)).isBetween(190L, 210L);
            assertThat(jedis.zcard("geo:" + last)).isEqualTo(100);
            assertThat(jedis.geopos("geo:" + last, "place-0").get(0).getLongitude()).isCloseTo(-179.5, org.assertj.core.data.Offset.offset(1e-5));
            // the oldest of each family were mostly evicted (LRU is sampled, as in Redis, so one
            // old key may survive: CI once kept bm:0), each eviction with an event naming it
            for (String family : new String[] {"bm:", "hll:", "geo:"}) {
                int oldSurvivors = 0;
                for (int i = 0; i < 100; i++) if (jedis.exists(family + i)) oldSurvivors++;
                assertThat(oldSurvivors).as("%s keys 0..99 still present", family).isLessThan(20);
            }
            Set<String> families = new HashSet<>();
            int events = 0;
            try {
                while (families.size() < 3 || events < 10) {
                    Reply r = sub.read();
                    assertThat(r.elements().get(2).string()).isEqualTo("__keyevent@0__:evicted");
                    String key = r.elements().get(3).string();
                    assertThat(jedis.exists(key)).as("evicted %s is gone", key).isFalse();
                    families.add(key.substring(0, key.indexOf(':')));
                    events++;
                }
            } catch (SocketTimeoutException e) {
                // reported below by the assertion on what arrived
            }
            assertThat(families).containsExactlyInAnyOrder("bm", "hll", "geo");
            assertThat(jedis.info("stats")).containsPattern("evicted_keys:[1-9]");
        }
    }
}
