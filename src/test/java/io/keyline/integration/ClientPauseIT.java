package io.keyline.integration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Transaction;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** CLIENT PAUSE WRITE|ALL with real effect: held commands run at unpause, reads pass under WRITE. */
class ClientPauseIT extends ServerTestBase {

    @AfterEach
    void unpause() {
        jedis.sendCommand(Protocol.Command.CLIENT, "UNPAUSE");
    }

    @Test
    void writePauseHoldsWritesAndServesReads() throws Exception {
        jedis.set("k", "before");
        jedis.sendCommand(Protocol.Command.CLIENT, "PAUSE", "100000", "WRITE");
        try (Jedis writer = newJedis(); Jedis reader = newJedis()) {
            CompletableFuture<String> set = CompletableFuture.supplyAsync(() -> writer.set("k", "after"));
            assertThat(reader.get("k")).isEqualTo("before");
            assertThat(reader.ping()).isEqualTo("PONG");
            Thread.sleep(200);
            assertThat(set).isNotDone();
            assertThat(reader.get("k")).isEqualTo("before");
            // The held client shows as blocked.
            long writerId = writerIdOf(reader);
            assertThat(reader.clientList().lines().filter(l -> l.startsWith("id=" + writerId + " ")).findFirst().orElseThrow())
                    .containsPattern(" flags=b ");
            jedis.sendCommand(Protocol.Command.CLIENT, "UNPAUSE");
            assertThat(set.get(5, TimeUnit.SECONDS)).isEqualTo("OK");
            assertThat(reader.get("k")).isEqualTo("after");
        }
    }

    /** The id of the client whose last command was SET (the held writer). */
    private static long writerIdOf(Jedis j) {
        String line = j.clientList().lines().filter(l -> l.contains(" cmd=set ")).findFirst().orElseThrow();
        return Long.parseLong(line.substring(3, line.indexOf(' ')));
    }

    private static void eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 5 s");
            Thread.sleep(10);
        }
    }

    @Test
    void writePauseHoldsPublishUntilUnpause() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                received.add(message);
            }
        };
        try (Jedis subscriber = newJedis(); Jedis publisher = newJedis()) {
            Thread t = new Thread(() -> subscriber.subscribe(listener, "news"));
            t.start();
            eventually(() -> jedis.pubsubNumSub("news").get("news") == 1L);
            jedis.sendCommand(Protocol.Command.CLIENT, "PAUSE", "100000", "WRITE");
            CompletableFuture<Long> pub = CompletableFuture.supplyAsync(() -> publisher.publish("news", "m1"));
            Thread.sleep(200);
            assertThat(pub).isNotDone();
            assertThat(received).isEmpty();
            jedis.sendCommand(Protocol.Command.CLIENT, "UNPAUSE");
            assertThat(pub.get(5, TimeUnit.SECONDS)).isEqualTo(1L);
            eventually(() -> received.equals(List.of("m1")));
            listener.unsubscribe();
            t.join(5000);
        }
    }

    @Test
    void allPauseHoldsReadsAndEndsByItself() throws Exception {
        jedis.set("r", "v");
        try (Jedis reader = newJedis()) { // connect first: under ALL even the handshake waits
            jedis.sendCommand(Protocol.Command.CLIENT, "PAUSE", "600");
            CompletableFuture<String> get = CompletableFuture.supplyAsync(() -> reader.get("r"));
            Thread.sleep(150);
            assertThat(get).isNotDone();
            // No UNPAUSE: the pause ends at its timeout and the held read is answered.
            assertThat(get.get(5, TimeUnit.SECONDS)).isEqualTo("v");
        }
    }

    @Test
    void heldCommandKeepsPipelineOrder() throws Exception {
        jedis.sendCommand(Protocol.Command.CLIENT, "PAUSE", "100000", "WRITE");
        try (Jedis writer = newJedis()) {
            CompletableFuture<List<Object>> replies = CompletableFuture.supplyAsync(() -> {
                var p = writer.pipelined();
                p.set("p", "1");
                p.get("p");
                p.incr("p");
                return p.syncAndReturnAll();
            });
            Thread.sleep(200);
            assertThat(replies).isNotDone();
            jedis.sendCommand(Protocol.Command.CLIENT, "UNPAUSE");
            assertThat(replies.get(5, TimeUnit.SECONDS)).containsExactly("OK", "1", 2L);
        }
    }

    @Test
    void execOfQueuedWritesIsHeldButReadOnlyExecIsNot() throws Exception {
        jedis.set("t", "0");
        try (Jedis tx = newJedis(); Jedis ro = newJedis()) {
            Transaction multi = tx.multi();
            multi.incr("t");
            jedis.sendCommand(Protocol.Command.CLIENT, "PAUSE", "100000", "WRITE");
            CompletableFuture<List<Object>> exec = CompletableFuture.supplyAsync(multi::exec);
            Transaction read = ro.multi();
            read.get("t");
            assertThat(read.exec()).containsExactly("0");
            Thread.sleep(150);
            assertThat(exec).isNotDone();
            jedis.sendCommand(Protocol.Command.CLIENT, "UNPAUSE");
            assertThat(exec.get(5, TimeUnit.SECONDS)).containsExactly(1L);
        }
    }

    @Test
    void expiredKeysReadAsMissingButAreNotDeletedWhilePaused() throws Exception {
        jedis.set("e", "v", redis.clients.jedis.params.SetParams.setParams().px(50));
        jedis.sendCommand(Protocol.Command.CLIENT, "PAUSE", "100000", "WRITE");
        Thread.sleep(300);
        assertThat(jedis.get("e")).isNull();
        assertThat(jedis.dbSize()).isEqualTo(1L); // still stored: the dataset does not change while paused
        jedis.sendCommand(Protocol.Command.CLIENT, "UNPAUSE");
        assertThat(jedis.get("e")).isNull();
        eventually(() -> jedis.dbSize() == 0L);
    }

    @Test
    void aLaterPauseKeepsTheLongerEnd() throws Exception {
        jedis.sendCommand(Protocol.Command.CLIENT, "PAUSE", "100000", "WRITE");
        jedis.sendCommand(Protocol.Command.CLIENT, "PAUSE", "10", "WRITE");
        try (Jedis writer = newJedis()) {
            CompletableFuture<String> set = CompletableFuture.supplyAsync(() -> writer.set("x", "1"));
            Thread.sleep(200);
            assertThat(set).isNotDone(); // the 100 s end is kept
            jedis.sendCommand(Protocol.Command.CLIENT, "UNPAUSE");
            assertThat(set.get(5, TimeUnit.SECONDS)).isEqualTo("OK");
        }
    }
}
