package io.keyline.integration;

import io.lettuce.core.RedisCommandExecutionException;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.args.UnblockType;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cluster, replication and module commands through real clients, answered as a standalone Redis with no
 * replicas answers them (the byte-for-byte comparison with redis-server is in compat/acl.txt).
 */
class StandaloneCommandsIT extends ServerTestBase {
    @Test
    void roleIsAMasterWithNoReplicas() {
        List<Object> role = jedis.role();
        assertThat(role).hasSize(3);
        assertThat(role.get(0)).isEqualTo("master");
        assertThat(role.get(1)).isEqualTo(0L);
        assertThat((List<?>) role.get(2)).isEmpty();
        assertThat(lettuce.role()).hasSize(3);
    }

    @Test
    void waitAndReplicaofAnswerAsAMasterWithoutReplicas() {
        assertThat(jedis.waitReplicas(0, 0)).isZero();
        assertThat(lettuce.waitForReplication(1, 10)).isZero();
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.WAIT, "0", "-1")).hasMessage("ERR timeout is negative");
        assertThat(jedis.replicaofNoOne()).isEqualTo("OK");
        assertThat(lettuce.slaveofNoOne()).isEqualTo("OK");
    }

    @Test
    void waitForReplicasWaitsOutItsTimeoutThenAnswersZero() {
        long start = System.nanoTime();
        assertThat(jedis.waitReplicas(1, 300)).isZero();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(290));
        assertThat(jedis.ping()).isEqualTo("PONG");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.WAIT, "1", "abc"))
                .hasMessage("ERR timeout is not an integer or out of range");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.WAIT, "x", "1"))
                .hasMessage("ERR value is not an integer or out of range");
    }

    @Test
    void waitInsideMultiAnswersAtOnce() {
        Transaction tx = jedis.multi();
        tx.waitReplicas(1, 0);
        assertThat(tx.exec()).containsExactly(0L);
    }

    @Test
    void waitForeverEndsWithClientUnblock() throws Exception {
        try (Jedis waiter = newJedis(); Jedis other = newJedis()) {
            long id = waiter.clientId();
            CompletableFuture<Long> forever = CompletableFuture.supplyAsync(() -> waiter.waitReplicas(2, 0));
            awaitBlocked(other, id);
            assertThat(other.clientUnblock(id)).isEqualTo(1L);
            assertThat(forever.get(10, TimeUnit.SECONDS)).isZero();

            CompletableFuture<Long> again = CompletableFuture.supplyAsync(() -> waiter.waitReplicas(1, 0));
            awaitBlocked(other, id);
            assertThat(other.clientUnblock(id, UnblockType.ERROR)).isEqualTo(1L);
            assertThatThrownBy(() -> again.get(10, TimeUnit.SECONDS))
                    .hasRootCauseMessage("UNBLOCKED client unblocked via CLIENT UNBLOCK");
            assertThat(waiter.ping()).isEqualTo("PONG");
        }
    }

    private static void awaitBlocked(Jedis other, long id) throws InterruptedException {
        for (int i = 0; i < 1000 && !other.clientList().contains("id=" + id + " ") ; i++) Thread.sleep(5);
        for (int i = 0; i < 1000; i++) {
            String line = other.clientList().lines().filter(l -> l.startsWith("id=" + id + " ")).findFirst().orElse("");
            if (line.contains(" flags=b ")) return;
            Thread.sleep(5);
        }
        throw new AssertionError("client " + id + " never blocked");
    }

    @Test
    void clusterCommandsSayClusterSupportIsDisabled() {
        assertThatThrownBy(() -> jedis.clusterInfo()).hasMessage("ERR This instance has cluster support disabled");
        assertThatThrownBy(() -> jedis.readonly()).hasMessage("ERR This instance has cluster support disabled");
        assertThatThrownBy(() -> lettuce.clusterKeyslot("foo"))
                .isInstanceOf(RedisCommandExecutionException.class)
                .hasMessage("ERR This instance has cluster support disabled");
    }

    @Test
    void moduleListIsEmptyAndLoadingIsRefused() {
        assertThat((List<?>) jedis.sendCommand(Protocol.Command.MODULE, "LIST")).isEmpty();
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.MODULE, "LOAD", "/tmp/x.so"))
                .hasMessageStartingWith("ERR MODULE command not allowed.");
    }
}
