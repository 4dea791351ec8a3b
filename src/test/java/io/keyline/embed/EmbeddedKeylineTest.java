package io.keyline.embed;

import io.keyline.testkit.RespClient;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedKeylineTest {
    @Test
    void startsOnAFreeLoopbackPortWithSettingsAndStops() {
        int port;
        try (EmbeddedKeyline keyline = EmbeddedKeyline.builder().capacity(2).config("maxmemory-policy", "noeviction").start()) {
            port = keyline.port();
            assertThat(port).isPositive();
            try (Jedis jedis = new Jedis(keyline.host(), port)) {
                jedis.set("a", "1");
                jedis.set("b", "2");
                assertThatThrownBy(() -> jedis.set("c", "3")).hasMessageStartingWith("OOM ");
                assertThat(jedis.configGet("capacity")).containsEntry("capacity", "2");
                assertThat(jedis.configGet("appendonly")).containsEntry("appendonly", "no");
            }
        }
        assertThatThrownBy(() -> new RespClient(port).close()).isInstanceOf(IOException.class);
    }

    @Test
    void serversInOneJvmKeepTheirOwnEncodingThresholds() {
        try (EmbeddedKeyline small = EmbeddedKeyline.builder().config("zset-max-listpack-entries", "1")
                .config("set-max-intset-entries", "1").start();
             EmbeddedKeyline standard = EmbeddedKeyline.start();
             Jedis a = new Jedis(small.host(), small.port());
             Jedis b = new Jedis(standard.host(), standard.port())) {
            for (Jedis j : new Jedis[]{a, b}) {
                j.zadd("z", 1, "m1");
                j.zadd("z", 2, "m2");
                j.sadd("s", "1", "2");
            }
            assertThat(a.objectEncoding("z")).isEqualTo("skiplist");
            assertThat(b.objectEncoding("z")).isEqualTo("listpack");
            assertThat(a.objectEncoding("s")).isEqualTo("listpack"); // 7.2: an intset past its limit becomes a listpack
            assertThat(b.objectEncoding("s")).isEqualTo("intset");
            b.configSet("zset-max-listpack-entries", "0");
            b.zadd("z2", 1, "m");
            assertThat(b.objectEncoding("z2")).isEqualTo("skiplist");
            a.zadd("z3", 1, "m");
            assertThat(a.objectEncoding("z3")).isEqualTo("listpack");
        }
    }

    @Test
    void takesRedisConfDirectivesAndAClock() {
        ManualClock clock = new ManualClock(java.time.Instant.parse("2031-06-01T12:00:00Z"));
        try (EmbeddedKeyline keyline = EmbeddedKeyline.builder().config("maxmemory-policy  volatile-ttl").clock(clock).start();
             Jedis jedis = new Jedis(keyline.host(), keyline.port())) {
            assertThat(keyline.clock()).isSameAs(clock);
            assertThat(jedis.configGet("maxmemory-policy")).containsEntry("maxmemory-policy", "volatile-ttl");
            jedis.setex("k", 5, "v");
            assertThat(jedis.expireTime("k")).isEqualTo(clock.instant().getEpochSecond() + 5);
        }
        assertThatThrownBy(() -> EmbeddedKeyline.builder().config("appendonly")).isInstanceOf(IllegalArgumentException.class);
    }
}
