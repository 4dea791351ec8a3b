package io.keyline.embed.junit;

import io.keyline.embed.EmbeddedKeyline;
import io.keyline.embed.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The programmatic form, one server per test, with a {@link ManualClock}: each test gets an empty
 * server, and expiry follows the clock, not the wall clock (no test here sleeps for a TTL).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeylineExtensionPerTestTest {
    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    static final ManualClock clock = new ManualClock(START);

    @RegisterExtension
    static KeylineExtension keyline = KeylineExtension.builder().perTest().clock(clock).build();

    private static final List<EmbeddedKeyline> seen = new ArrayList<>();

    private Jedis jedis;

    private Jedis jedis() {
        if (jedis == null) jedis = new Jedis(keyline.host(), keyline.port());
        return jedis;
    }

    @AfterEach
    void closeClient() {
        if (jedis != null) jedis.close();
    }

    @Test
    @Order(1)
    void firstTestWritesAKey() {
        seen.add(keyline.server());
        assertThat(jedis().dbSize()).isZero();
        jedis().set("left-behind", "1");
        assertThat(keyline.clock()).isSameAs(clock);
    }

    @Test
    @Order(2)
    void secondTestGetsAFreshEmptyServer(EmbeddedKeyline injected, ManualClock injectedClock) {
        seen.add(injected);
        assertThat(injected).isSameAs(keyline.server()).isNotSameAs(seen.get(0));
        assertThat(injectedClock).isSameAs(clock);
        assertThat(jedis().exists("left-behind")).isFalse();
        assertThat(jedis().dbSize()).isZero();
        assertThatThrownBy(() -> new Socket("127.0.0.1", seen.get(0).port()).close()).isInstanceOf(IOException.class);
    }

    @Test
    void lazyExpiryFollowsTheClock() {
        jedis().setex("session", 30, "abc");
        clock.advance(Duration.ofSeconds(29));
        assertThat(jedis().get("session")).isEqualTo("abc");
        clock.advance(Duration.ofSeconds(1));
        assertThat(jedis().get("session")).as("alive at its deadline, as Redis (expired when now > deadline)").isEqualTo("abc");
        clock.advanceMillis(1);
        assertThat(jedis().get("session")).isNull();
        assertThat(jedis().exists("session")).isFalse();
    }

    @Test
    void ttlAndDeadlinesAreComputedFromTheClock() {
        long now = clock.millis();
        jedis().set("k", "v", SetParams.setParams().px(10_000));
        assertThat(jedis().pexpireTime("k")).isEqualTo(now + 10_000);
        assertThat(jedis().pttl("k")).isEqualTo(10_000);
        clock.advanceMillis(2_500);
        assertThat(jedis().pttl("k")).isEqualTo(7_500);
        assertThat(jedis().ttl("k")).isEqualTo(8); // rounded like Redis
        jedis().expire("k", 100);
        assertThat(jedis().expireTime("k")).isEqualTo((clock.millis() + 100_000 + 500) / 1000); // rounded too
        jedis().pexpireAt("k", clock.millis() + 50);
        assertThat(jedis().pttl("k")).isEqualTo(50);
        clock.advanceMillis(50);
        assertThat(jedis().pttl("k")).isEqualTo(0); // at the deadline: still there, as in Redis
        clock.advanceMillis(1);
        assertThat(jedis().pttl("k")).isEqualTo(-2);
    }

    @Test
    void timeFollowsTheClockSoExpireAtFromTimeAgrees() {
        clock.setMillis((clock.millis() / 1000 + 1) * 1000 + 250); // forward to 250 ms into a second
        long seconds = clock.millis() / 1000;
        assertThat(jedis().time()).containsExactly(Long.toString(seconds), "250000");
        clock.advanceMillis(1_001);
        assertThat(jedis().time()).containsExactly(Long.toString(seconds + 1), "251000");

        // A deadline computed from TIME, as a client would, is reached exactly when the clock says so.
        long serverSeconds = Long.parseLong(jedis().time().get(0));
        jedis().set("k", "v");
        jedis().expireAt("k", serverSeconds + 10);
        assertThat(jedis().pttl("k")).isEqualTo(10_000 - 251);
        clock.advanceMillis(10_000 - 251 - 1);
        assertThat(jedis().get("k")).isEqualTo("v");
        clock.advanceMillis(2); // past the deadline (Redis keeps a key alive at exactly its deadline)
        assertThat(jedis().get("k")).isNull();
    }

    @Test
    void idleTimeFollowsTheClock() {
        jedis().set("k", "v");
        clock.advance(Duration.ofMinutes(2));
        assertThat(jedis().objectIdletime("k")).isBetween(119L, 121L);
    }

    @Test
    void activeExpiryRemovesKeysOnceTheClockPassesTheirDeadline() throws InterruptedException {
        for (int i = 0; i < 20; i++) jedis().setex("k" + i, 10, "v");
        jedis().set("persistent", "v");
        clock.advance(Duration.ofSeconds(11));
        // Nothing reads the keys: only the expiry cycle (hz 10) can remove them. Poll, do not sleep a TTL.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (jedis().dbSize() > 1 && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(jedis().dbSize()).isEqualTo(1);
        assertThat(jedis().info("stats")).contains("expired_keys:20");
    }
}
