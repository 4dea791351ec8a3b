package io.keyline.integration;

import io.keyline.embed.EmbeddedKeyline;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keys past their deadline: never returned (lazy expiry), and reclaimed by the active cycle with
 * no client touching them. Short real sleeps; {@code hz 50} makes the cycle run every 20 ms.
 */
class ExpiryIT extends ServerTestBase {
    @Override
    protected void configure(EmbeddedKeyline.Builder builder) {
        builder.config("hz", "50");
    }

    @Test
    void keyPastItsDeadlineIsNeverReturned() throws Exception {
        keyline.server().keyspace().activeExpireEnabled(false); // only lazy expiry can act here
        try {
            jedis.set("k", "v", SetParams.setParams().px(300));
            jedis.set("p", "v");
            jedis.pexpire("p", 300);
            jedis.setex("s", 100, "stays");
            assertThat(jedis.get("k")).isEqualTo("v");
            Thread.sleep(400);
            assertThat(jedis.dbSize()).isEqualTo(3); // nothing reclaimed yet...
            assertThat(jedis.get("k")).isNull();     // ...but never visible
            assertThat(lettuce.exists("p")).isZero();
            assertThat(jedis.ttl("p")).isEqualTo(-2);
            assertThat(jedis.keys("*")).containsExactly("s");
            assertThat(jedis.scan("0", new ScanParams().count(100)).getResult()).containsExactly("s");
            assertThat(jedis.mget("k", "p", "s")).containsExactly(null, null, "stays");
            assertThat(jedis.setnx("k", "new")).isEqualTo(1); // an expired key counts as absent
            assertThat(jedis.ttl("k")).isEqualTo(-1);
        } finally {
            keyline.server().keyspace().activeExpireEnabled(true);
        }
    }

    @Test
    void activeExpiryReclaimsKeysNobodyTouches() throws Exception {
        redis.clients.jedis.Pipeline p = jedis.pipelined();
        for (int i = 0; i < 200; i++) p.psetex("t" + i, 300, "v");
        p.set("keep", "v");
        p.sync();
        assertThat(jedis.dbSize()).isGreaterThan(1); // (exactly 201 unless this machine is very slow)
        long deadline = System.currentTimeMillis() + 2000;
        while (jedis.dbSize() > 1 && System.currentTimeMillis() < deadline) Thread.sleep(25);
        assertThat(jedis.dbSize()).isEqualTo(1); // reclaimed without any command naming the keys
        assertThat(jedis.get("keep")).isEqualTo("v");
    }

    @Test
    void ttlCountsDownAndRoundsLikeRedis() throws Exception {
        jedis.psetex("k", 1_400, "v");
        assertThat(jedis.ttl("k")).isEqualTo(1);  // 1.4 s rounds to 1
        jedis.psetex("k", 2_400, "v");
        assertThat(jedis.ttl("k")).isEqualTo(2);  // 2.4 s rounds to 2
        jedis.pexpire("k", 300);
        Thread.sleep(100);
        assertThat(jedis.pttl("k")).isLessThanOrEqualTo(200L).isNotEqualTo(-1L);
        Thread.sleep(300);
        assertThat(jedis.pttl("k")).isEqualTo(-2);
    }

    @Test
    void getexAndPersistChangeDeadlines() throws Exception {
        jedis.psetex("k", 400, "v");
        assertThat(jedis.persist("k")).isEqualTo(1);
        Thread.sleep(450);
        assertThat(jedis.get("k")).isEqualTo("v");
        jedis.pexpire("k", 100);
        jedis.set("k", "v2", SetParams.setParams().keepTtl());
        Thread.sleep(150);
        assertThat(jedis.get("k")).isNull();
    }
}
