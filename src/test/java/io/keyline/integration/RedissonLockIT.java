package io.keyline.integration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RAtomicLong;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redisson, a client that runs its locks as Lua scripts and wakes lock waiters with a published
 * message: an RLock waiter on another client is woken by unlock (pub/sub) and by lease expiry.
 */
class RedissonLockIT extends ServerTestBase {
    private RedissonClient first;
    private RedissonClient second;

    private RedissonClient connect() {
        Config config = new Config();
        config.useSingleServer().setAddress("redis://127.0.0.1:" + port())
                .setConnectionMinimumIdleSize(1).setConnectionPoolSize(2)
                .setSubscriptionConnectionMinimumIdleSize(1).setSubscriptionConnectionPoolSize(1);
        return Redisson.create(config);
    }

    @BeforeAll
    void clients() {
        first = connect();
        second = connect();
    }

    @AfterAll
    void closeRedisson() {
        if (first != null) first.shutdown();
        if (second != null) second.shutdown();
    }

    @Test
    void waiterOnAnotherClientIsWokenByUnlock() throws Exception {
        RLock held = first.getLock("lock:unlock");
        held.lock();
        assertThat(held.isLocked()).isTrue();
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
            RLock lock = second.getLock("lock:unlock");
            try {
                // Long wait, long lease: only the unlock's published message can wake it in time.
                boolean got = lock.tryLock(30, 60, TimeUnit.SECONDS);
                if (got) lock.unlock();
                return got;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        Thread.sleep(300);
        assertThat(waiter).isNotDone();
        held.unlock();
        assertThat(waiter.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(held.isLocked()).isFalse();
    }

    @Test
    void leaseExpiryReleasesTheLockForAWaiter() throws Exception {
        RLock held = first.getLock("lock:lease");
        assertThat(held.tryLock(0, 500, TimeUnit.MILLISECONDS)).isTrue(); // 500 ms lease, never unlocked
        assertThat(jedis.pttl("lock:lease")).isBetween(1L, 500L);
        RLock other = second.getLock("lock:lease");
        assertThat(other.tryLock(10, 5, TimeUnit.SECONDS)).isTrue();
        assertThat(other.isHeldByCurrentThread()).isTrue();
        other.unlock();
    }

    @Test
    void reentrantLockCountsHolds() {
        RLock lock = first.getLock("lock:reentrant");
        lock.lock();
        lock.lock();
        assertThat(lock.getHoldCount()).isEqualTo(2);
        lock.unlock();
        assertThat(lock.isLocked()).isTrue();
        lock.unlock();
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void atomicLong() {
        RAtomicLong counter = first.getAtomicLong("counter");
        counter.set(5);
        assertThat(counter.incrementAndGet()).isEqualTo(6);
        assertThat(counter.compareAndSet(6, 10)).isTrue(); // a Lua script in Redisson
        assertThat(second.getAtomicLong("counter").get()).isEqualTo(10);
    }
}
