package io.keyline.integration;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.params.SetParams;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** MOVE as Redis 7.2's keyspace.tcl and moveCommand: errors, expiry, WATCH and blocked clients. */
class MoveIT extends ServerTestBase {
    @Test
    void errorsAsRedis() {
        jedis.set("k", "v");
        assertThatThrownBy(() -> jedis.move("k", 0)).hasMessage("ERR source and destination objects are the same");
        assertThatThrownBy(() -> jedis.move("absent", 0)).hasMessage("ERR source and destination objects are the same");
        assertThatThrownBy(() -> jedis.move("k", 16)).hasMessage("ERR DB index is out of range");
        assertThatThrownBy(() -> jedis.move("k", -1)).hasMessage("ERR DB index is out of range");
        assertThat(jedis.move("absent", 1)).isZero();
    }

    @Test
    void existingKeyInTargetIsNotOverwritten() {
        jedis.set("k", "source");
        jedis.select(1);
        jedis.set("k", "target");
        jedis.select(0);
        assertThat(jedis.move("k", 1)).isZero();
        assertThat(jedis.get("k")).isEqualTo("source");
        jedis.select(1);
        assertThat(jedis.get("k")).isEqualTo("target");
    }

    @Test
    void expiryMovesWithTheKeyAndNoneIsCreated() {
        jedis.set("ex", "v", SetParams.setParams().ex(100));
        jedis.set("plain", "v");
        assertThat(jedis.move("ex", 1)).isOne();
        assertThat(jedis.move("plain", 1)).isOne();
        assertThat(jedis.dbSize()).isZero();
        jedis.select(1);
        assertThat(jedis.ttl("ex")).isBetween(1L, 100L);
        assertThat(jedis.ttl("plain")).isEqualTo(-1);
    }

    @Test
    void moveTouchesWatchersInBothDatabases() {
        jedis.set("k", "v");
        try (Jedis inSource = newJedis(); Jedis inTarget = newJedis(); Jedis elsewhere = newJedis()) {
            inSource.watch("k");
            inTarget.select(1);
            inTarget.watch("k");
            elsewhere.select(2);
            elsewhere.watch("k");
            assertThat(jedis.move("k", 1)).isOne();
            for (Jedis touched : List.of(inSource, inTarget)) {
                Transaction tx = touched.multi();
                tx.exists("k");
                assertThat(tx.exec()).isNull();
            }
            Transaction tx = elsewhere.multi();
            tx.exists("k");
            assertThat(tx.exec()).containsExactly(false);
        }
    }

    @Test
    void moveWakesClientBlockedOnTheTargetDatabase() throws Exception {
        jedis.rpush("list", "a");
        try (Jedis blocker = newJedis()) {
            blocker.select(1);
            CompletableFuture<List<String>> popped = CompletableFuture.supplyAsync(() -> blocker.blpop(5, "list"));
            long deadline = System.currentTimeMillis() + 5000;
            while (!jedis.clientList().contains("cmd=blpop") && System.currentTimeMillis() < deadline) Thread.sleep(10);
            assertThat(jedis.move("list", 1)).isOne();
            assertThat(popped.get(5, TimeUnit.SECONDS)).containsExactly("list", "a");
        }
        jedis.select(1);
        assertThat(jedis.exists("list")).isFalse();
    }
}
