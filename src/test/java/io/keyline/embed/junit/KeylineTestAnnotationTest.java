package io.keyline.embed.junit;

import io.keyline.embed.EmbeddedKeyline;
import io.keyline.embed.ManualClock;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.Jedis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The annotation form in both lifecycles, with constructor and method parameter injection. */
class KeylineTestAnnotationTest {

    @Nested
    @KeylineTest(config = {"maxmemory-policy allkeys-lfu", "hz 20"}, lifecycle = KeylineTest.Lifecycle.PER_METHOD, manualClock = true)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class PerMethod {
        private static final List<EmbeddedKeyline> seen = new ArrayList<>();
        private final EmbeddedKeyline fromConstructor;

        PerMethod(EmbeddedKeyline keyline) {
            this.fromConstructor = keyline;
        }

        @Test
        @Order(1)
        void appliesTheConfigAndInjectsTheServer(EmbeddedKeyline keyline, @KeylinePort int port) {
            seen.add(keyline);
            assertThat(keyline).isSameAs(fromConstructor);
            assertThat(port).isEqualTo(keyline.port());
            try (Jedis jedis = new Jedis(keyline.host(), port)) {
                assertThat(jedis.configGet("maxmemory-policy")).containsEntry("maxmemory-policy", "allkeys-lfu");
                assertThat(jedis.configGet("hz")).containsEntry("hz", "20");
                jedis.set("left-behind", "1");
            }
        }

        @Test
        @Order(2)
        void eachTestGetsAFreshServer(EmbeddedKeyline keyline) {
            assertThat(keyline).isSameAs(fromConstructor).isNotSameAs(seen.get(0));
            try (Jedis jedis = new Jedis(keyline.host(), keyline.port())) {
                assertThat(jedis.dbSize()).isZero();
            }
        }

        @Test
        void theManualClockDrivesExpiry(EmbeddedKeyline keyline, ManualClock clock) {
            assertThat(keyline.clock()).isSameAs(clock);
            try (Jedis jedis = new Jedis(keyline.host(), keyline.port())) {
                jedis.psetex("k", 1_000, "v");
                clock.advance(Duration.ofMillis(400));
                assertThat(jedis.pttl("k")).isEqualTo(600);
                clock.advance(Duration.ofMillis(601)); // past the deadline: Redis keeps a key alive at it
                assertThat(jedis.get("k")).isNull();
            }
        }
    }

    @Nested
    @KeylineTest
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class PerClass {
        private static EmbeddedKeyline first;

        @Test
        @Order(1)
        void startsWithDefaults(EmbeddedKeyline keyline) {
            first = keyline;
            assertThat(keyline.clock()).isSameAs(io.keyline.store.Clock.SYSTEM);
            try (Jedis jedis = new Jedis(keyline.host(), keyline.port())) {
                assertThat(jedis.configGet("appendonly")).containsEntry("appendonly", "no");
                jedis.set("shared", "1");
            }
        }

        @Test
        @Order(2)
        void sharesOneServer(EmbeddedKeyline keyline) {
            assertThat(keyline).isSameAs(first);
            try (Jedis jedis = new Jedis(keyline.host(), keyline.port())) {
                assertThat(jedis.get("shared")).isEqualTo("1");
            }
        }
    }
}
