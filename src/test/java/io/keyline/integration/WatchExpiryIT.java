package io.keyline.integration;

import io.keyline.embed.EmbeddedKeyline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.params.SetParams;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * WATCH and keys past their deadline, as Redis 7.2's multi.tcl: a key already stale when watched
 * counts as absent, so reclaiming it (DEL, FLUSHDB, FLUSHALL, SWAPDB, expiry) does not abort EXEC,
 * while a key that expires after WATCH does.
 */
class WatchExpiryIT extends ServerTestBase {
    private static final redis.clients.jedis.commands.ProtocolCommand DEBUG = () -> "DEBUG".getBytes();

    @Override
    protected void configure(EmbeddedKeyline.Builder builder) {
        builder.config("enable-debug-command", "yes");
    }

    @BeforeEach
    void lazyExpiryOnly() {
        jedis.sendCommand(DEBUG, "SET-ACTIVE-EXPIRE", "0");
    }

    @AfterEach
    void activeExpiryBack() {
        try (Jedis j = newJedis()) {
            j.sendCommand(DEBUG, "SET-ACTIVE-EXPIRE", "1");
        }
    }

    private void staleKey(Jedis j, String key) throws InterruptedException {
        j.set(key, "foo", SetParams.setParams().px(1));
        Thread.sleep(5);
    }

    /** MULTI, EXISTS none, EXEC: the EXEC reply (null when a watched key aborted it). */
    private static List<Object> pingTransaction(Jedis j) {
        Transaction tx = j.multi();
        tx.exists("none");
        return tx.exec();
    }

    @Test
    void watchedStaleKeyDoesNotFailExec() throws Exception {
        staleKey(jedis, "x");
        jedis.watch("x");
        assertThat(pingTransaction(jedis)).containsExactly(false);
    }

    @Test
    void deletingWatchedStaleKeyDoesNotFailExec() throws Exception {
        staleKey(jedis, "x");
        jedis.watch("x");
        assertThat(jedis.del("x")).isZero();
        assertThat(pingTransaction(jedis)).containsExactly(false);
    }

    @Test
    void lazyExpiryOfWatchedStaleKeyByAReadDoesNotFailExec() throws Exception {
        staleKey(jedis, "x");
        jedis.watch("x");
        assertThat(jedis.exists("x")).isFalse(); // reclaims it
        assertThat(jedis.dbSize()).isZero();
        assertThat(pingTransaction(jedis)).containsExactly(false);
    }

    @Test
    void flushdbAndFlushallWhileWatchingStaleKeyDoNotFailExec() throws Exception {
        staleKey(jedis, "x");
        jedis.watch("x");
        jedis.flushDB();
        assertThat(pingTransaction(jedis)).containsExactly(false);
        staleKey(jedis, "x");
        jedis.watch("x");
        jedis.flushAll();
        assertThat(pingTransaction(jedis)).containsExactly(false);
    }

    @Test
    void flushTouchesLiveWatchedKeysOnly() {
        jedis.watch("absent");
        jedis.flushDB();
        assertThat(pingTransaction(jedis)).containsExactly(false);
        jedis.set("x", "1");
        jedis.watch("x");
        jedis.flushAll();
        assertThat(pingTransaction(jedis)).isNull();
    }

    @Test
    void writingWatchedStaleKeyFailsExec() throws Exception {
        staleKey(jedis, "x");
        jedis.watch("x");
        jedis.set("x", "bar");
        assertThat(pingTransaction(jedis)).isNull();
    }

    @Test
    void keyExpiringAfterWatchFailsExecEvenIfNotReclaimed() throws Exception {
        jedis.set("x", "1", SetParams.setParams().px(50));
        jedis.watch("x");
        Thread.sleep(100);
        assertThat(pingTransaction(jedis)).isNull();
        // The EXEC check does not reclaim the key (Redis's isWatchedKeyExpired): it is still counted.
        assertThat(jedis.dbSize()).isEqualTo(1);
    }

    @Test
    void activeExpiryOfWatchedStaleKeyDoesNotFailExec() throws Exception {
        staleKey(jedis, "x");
        jedis.watch("x");
        jedis.sendCommand(DEBUG, "SET-ACTIVE-EXPIRE", "1");
        long deadline = System.currentTimeMillis() + 5000;
        while (jedis.dbSize() > 0 && System.currentTimeMillis() < deadline) Thread.sleep(20);
        assertThat(jedis.dbSize()).isZero();
        assertThat(pingTransaction(jedis)).containsExactly(false);
    }

    @Test
    void swapdbDoesNotTouchStaleKeys() throws Exception {
        // A watched stale key swapped away.
        jedis.select(9);
        staleKey(jedis, "x");
        jedis.watch("x");
        jedis.swapDB(9, 10);
        assertThat(pingTransaction(jedis)).containsExactly(false);
        // An absent key replaced by a stale one (db 9 now holds the stale x again after this swap).
        jedis.select(10);
        jedis.watch("x");
        jedis.swapDB(9, 10);
        assertThat(pingTransaction(jedis)).containsExactly(false);
        // A stale key replaced by another stale key.
        jedis.flushAll();
        jedis.select(9);
        staleKey(jedis, "x");
        jedis.select(10);
        staleKey(jedis, "x");
        jedis.select(9);
        jedis.watch("x");
        jedis.swapDB(9, 10);
        assertThat(pingTransaction(jedis)).containsExactly(false);
    }

    @Test
    void swapdbTouchesKeysThatExistOnEitherSide() {
        jedis.select(10);
        jedis.set("x", "live");
        jedis.select(9);
        jedis.watch("x");
        jedis.swapDB(9, 10);
        assertThat(pingTransaction(jedis)).isNull();
        jedis.watch("nothing");
        jedis.swapDB(9, 10);
        assertThat(pingTransaction(jedis)).containsExactly(false);
    }

    @Test
    void watchInsideMultiIsAnErrorThatDoesNotAbortTheTransaction() {
        jedis.sendCommand(redis.clients.jedis.Protocol.Command.MULTI);
        assertThatThrownBy(() -> jedis.sendCommand(redis.clients.jedis.Protocol.Command.WATCH, "x"))
                .hasMessage("ERR WATCH inside MULTI is not allowed");
        jedis.sendCommand(redis.clients.jedis.Protocol.Command.PING);
        Object reply = jedis.sendCommand(redis.clients.jedis.Protocol.Command.EXEC);
        assertThat((List<?>) reply).hasSize(1);
    }
}
