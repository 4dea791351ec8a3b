package io.keyline.integration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RAtomicLong;
import org.redisson.api.RBlockingQueue;
import org.redisson.api.RDelayedQueue;
import org.redisson.api.RMapCache;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RateIntervalUnit;
import org.redisson.api.RateType;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redisson's Lua-backed structures against Keyline: RMapCache entries with a TTL expire, RRateLimiter
 * hands out exactly its rate per interval, RDelayedQueue delivers only after the delay, RAtomicLong's
 * scripted compare-and-set and get-and-delete.
 */
class RedissonScriptingIT extends ServerTestBase {
    private RedissonClient redisson;

    @BeforeAll
    void client() {
        Config config = new Config();
        config.setCodec(StringCodec.INSTANCE);
        config.useSingleServer().setAddress("redis://127.0.0.1:" + port())
                .setConnectionMinimumIdleSize(1).setConnectionPoolSize(4)
                .setSubscriptionConnectionMinimumIdleSize(1).setSubscriptionConnectionPoolSize(1);
        redisson = Redisson.create(config);
    }

    @AfterAll
    void closeRedisson() {
        if (redisson != null) redisson.shutdown();
    }

    @Test
    void mapCacheEntriesWithTtlExpire() throws Exception {
        RMapCache<String, String> map = redisson.getMapCache("mc");
        map.put("short", "1", 400, TimeUnit.MILLISECONDS);
        map.put("long", "2", 1, TimeUnit.HOURS);
        map.put("forever", "3");
        assertThat(map.putIfAbsent("short", "other", 1, TimeUnit.HOURS)).isEqualTo("1");
        assertThat(map.get("short")).isEqualTo("1");
        assertThat(map.size()).isEqualTo(3);
        assertThat(map.remainTimeToLive("long")).isBetween(3_500_000L, 3_600_000L);
        assertThat(map.remainTimeToLive("forever")).isEqualTo(-1L);
        Thread.sleep(700);
        // the TTL is checked inside Redisson's read scripts against the score in the timeout zset
        assertThat(map.get("short")).isNull();
        assertThat(map.containsKey("short")).isFalse();
        assertThat(map.get("long")).isEqualTo("2");
        assertThat(map.get("forever")).isEqualTo("3");
        assertThat(map.readAllMap()).containsOnlyKeys("long", "forever");
        assertThat(jedis.zscore("redisson__timeout__set:{mc}", "long")).isNotNull();
        assertThat(map.fastRemove("long")).isEqualTo(1L);
        assertThat(map.get("long")).isNull();
    }

    @Test
    void rateLimiterGrantsExactlyTheRatePerInterval() throws Exception {
        RRateLimiter limiter = redisson.getRateLimiter("rl");
        assertThat(limiter.trySetRate(RateType.OVERALL, 3, 1, RateIntervalUnit.SECONDS)).isTrue();
        assertThat(limiter.trySetRate(RateType.OVERALL, 9, 1, RateIntervalUnit.SECONDS)).isFalse(); // already set
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire(2)).isTrue();
        assertThat(limiter.tryAcquire()).isFalse();
        assertThat(limiter.availablePermits()).isZero();
        Thread.sleep(1_200);
        assertThat(limiter.availablePermits()).isEqualTo(3L);
        assertThat(limiter.tryAcquire(3)).isTrue();
        assertThat(limiter.tryAcquire()).isFalse();
        // waits for the next interval
        long t0 = System.nanoTime();
        assertThat(limiter.tryAcquire(1, 5, TimeUnit.SECONDS)).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThan(100L);
    }

    @Test
    void delayedQueueDeliversOnlyAfterTheDelay() throws Exception {
        RBlockingQueue<String> destination = redisson.getBlockingQueue("dq:dest");
        RDelayedQueue<String> delayed = redisson.getDelayedQueue(destination);
        try {
            long t0 = System.nanoTime();
            delayed.offer("late", 1_500, TimeUnit.MILLISECONDS);
            delayed.offer("early", 500, TimeUnit.MILLISECONDS);
            assertThat(delayed.size()).isEqualTo(2);
            assertThat(destination.poll()).isNull();
            assertThat(destination.poll(10, TimeUnit.SECONDS)).isEqualTo("early");
            long earlyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(earlyMs).isGreaterThanOrEqualTo(400L);
            assertThat(destination.poll(10, TimeUnit.SECONDS)).isEqualTo("late");
            long lateMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(lateMs).isGreaterThanOrEqualTo(1_400L);
            assertThat(delayed.size()).isZero();
            assertThat(destination.isEmpty()).isTrue();
        } finally {
            delayed.destroy();
        }
    }

    @Test
    void atomicLongScriptedOperations() {
        RAtomicLong counter = redisson.getAtomicLong("al");
        assertThat(counter.get()).isZero();
        assertThat(counter.incrementAndGet()).isEqualTo(1L);
        assertThat(counter.addAndGet(41)).isEqualTo(42L);
        assertThat(counter.compareAndSet(42, 100)).isTrue();   // Lua: GET, compare, SET
        assertThat(counter.compareAndSet(42, 7)).isFalse();
        assertThat(counter.getAndSet(5)).isEqualTo(100L);
        assertThat(counter.decrementAndGet()).isEqualTo(4L);
        assertThat(jedis.get("al")).isEqualTo("4");
        assertThat(counter.getAndDelete()).isEqualTo(4L);      // Lua: GET + DEL
        assertThat(jedis.exists("al")).isFalse();
        assertThat(counter.compareAndSet(0, 9)).isTrue();      // absent counts as 0
        assertThat(counter.get()).isEqualTo(9L);
    }
}
