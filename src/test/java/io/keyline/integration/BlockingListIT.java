package io.keyline.integration;

import redis.clients.jedis.Protocol;
import io.keyline.testkit.RespClient;
import io.keyline.engine.BlockingRegistry;
import io.keyline.engine.Propagator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.util.KeyValue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlockingListIT extends ServerTestBase {
    private final List<Jedis> extra = new ArrayList<>();
    private final List<String> propagated = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void closeExtra() {
        for (Jedis j : extra) j.close();
        extra.clear();
        propagated.clear();
        keyline.server().context().propagator(Propagator.NONE);
    }

    private BlockingRegistry blocking() {
        return keyline.server().context().blocking();
    }

    private Jedis client() {
        Jedis j = newJedis();
        extra.add(j);
        return j;
    }

    /** Runs a blocking call on its own connection and waits until the server has blocked it. */
    private <T> CompletableFuture<T> blockedCall(Function<Jedis, T> call) throws InterruptedException {
        Jedis j = client();
        int before = blocking().blockedClients();
        CompletableFuture<T> f = CompletableFuture.supplyAsync(() -> call.apply(j));
        long deadline = System.currentTimeMillis() + 5000;
        while (blocking().blockedClients() <= before) {
            if (f.isDone() || System.currentTimeMillis() > deadline) break;
            Thread.sleep(2);
        }
        assertThat(f).as("call should be blocked").isNotDone();
        return f;
    }

    private void recordPropagation() {
        keyline.server().context().propagator((db, argv) -> {
            StringBuilder sb = new StringBuilder();
            for (byte[] a : argv) sb.append(sb.length() == 0 ? "" : " ").append(new String(a));
            propagated.add(sb.toString());
            return 0;
        });
    }

    @Test
    void waitersAreServedInTheOrderTheyBlocked() throws Exception {
        CompletableFuture<KeyValue<String, String>> first = blockedCall(j -> j.blpop(0.0, "q"));
        CompletableFuture<KeyValue<String, String>> second = blockedCall(j -> j.blpop(0.0, "other", "q"));
        CompletableFuture<KeyValue<String, String>> third = blockedCall(j -> j.brpop(0.0, "q"));
        recordPropagation();
        assertThat(jedis.rpush("q", "a", "b", "c")).isEqualTo(3);
        assertThat(first.get(5, TimeUnit.SECONDS).getValue()).isEqualTo("a");
        assertThat(second.get(5, TimeUnit.SECONDS).getValue()).isEqualTo("b");
        KeyValue<String, String> t = third.get(5, TimeUnit.SECONDS);
        assertThat(t.getKey()).isEqualTo("q");
        assertThat(t.getValue()).isEqualTo("c");
        assertThat(jedis.exists("q")).isFalse();
        assertThat(propagated).as("%s", propagated).containsExactly("RPUSH q a b c", "LPOP q", "LPOP q", "RPOP q");
    }

    @Test
    void onePushServesOnlyAsManyWaitersAsElements() throws Exception {
        CompletableFuture<KeyValue<String, String>> first = blockedCall(j -> j.blpop(0.0, "q"));
        CompletableFuture<KeyValue<String, String>> second = blockedCall(j -> j.blpop(0.0, "q"));
        jedis.rpush("q", "only");
        assertThat(first.get(5, TimeUnit.SECONDS).getValue()).isEqualTo("only");
        Thread.sleep(100);
        assertThat(second).isNotDone();
        jedis.lpush("q", "next");
        assertThat(second.get(5, TimeUnit.SECONDS).getValue()).isEqualTo("next");
    }

    @Test
    void swapdbServesClientsBlockedOnKeysThatNowExist() throws Exception {
        try (redis.clients.jedis.Jedis db1 = newJedis()) {
            db1.select(1);
            db1.rpush("q", "from-db1");
        }
        CompletableFuture<KeyValue<String, String>> waiter = blockedCall(j -> j.blpop(0.0, "q"));
        Thread.sleep(100);
        assertThat(waiter).isNotDone();
        assertThat(jedis.swapDB(0, 1)).isEqualTo("OK");
        assertThat(waiter.get(5, TimeUnit.SECONDS).getValue()).isEqualTo("from-db1");
        assertThat(jedis.exists("q")).isFalse();
    }

    @Test
    void fractionalTimeouts() {
        long t0 = System.nanoTime();
        assertThat(jedis.blpop(0.1, "nokey")).isNull();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).isBetween(90L, 2000L);
        assertThat(jedis.brpop(0.05, "a", "b")).isNull();
        assertThat(jedis.blmove("nokey", "d", ListDirection.LEFT, ListDirection.RIGHT, 0.05)).isNull();
        assertThat(jedis.brpoplpush("nokey", "d", 1)).isNull();
        assertThat(jedis.blmpop(0.05, ListDirection.LEFT, "nokey")).isNull();
        assertThat(lettuce.blpop(0.05, "nokey")).isNull();
        assertThat(lettuce.blmove("nokey", "d", io.lettuce.core.LMoveArgs.Builder.leftLeft(), 0.05)).isNull();
        assertThatThrownBy(() -> jedis.blpop(-1, "k")).hasMessage("ERR timeout is negative");
        assertThatThrownBy(() -> jedis.sendCommand(redis.clients.jedis.Protocol.Command.BLPOP, "k", "abc"))
                .hasMessage("ERR timeout is not a float or out of range");
        // Redis 7.2 parses "inf" as a number (strtold) and then finds it out of range; 7.0 differs (compat/blocking.txt)
        assertThat(respValue("BLPOP", "k", "inf")).isEqualTo("!ERR timeout is out of range");
        assertThat(respValue("BZPOPMIN", "k", "-inf")).isEqualTo("!ERR timeout is negative");
    }

    @Test
    void timeoutReplyShapes() throws Exception {
        try (RespClient r2 = new RespClient(port()); RespClient r3 = new RespClient(port()).resp3()) {
            assertThat(r2.call("BLPOP", "nokey", "0.01")).isEqualTo("*-1\r\n");
            assertThat(r2.call("BLMOVE", "nokey", "d", "LEFT", "LEFT", "0.01")).isEqualTo("*-1\r\n");
            assertThat(r2.call("BLMPOP", "0.01", "1", "nokey", "LEFT")).isEqualTo("*-1\r\n");
            assertThat(r3.call("BLPOP", "nokey", "0.01")).isEqualTo("_\r\n");
            assertThat(r3.call("BRPOPLPUSH", "nokey", "d", "0.01")).isEqualTo("_\r\n");
            r2.call("RPUSH", "k", "v");
            assertThat(r3.call("BLPOP", "k", "0")).isEqualTo("*2\r\n$1\r\nk\r\n$1\r\nv\r\n");
        }
    }

    @Test
    void wokenByPushInsideMultiExec() throws Exception {
        CompletableFuture<KeyValue<String, String>> waiter = blockedCall(j -> j.blpop(0.0, "q"));
        Transaction tx = jedis.multi();
        tx.rpush("q", "x");
        tx.rpush("q", "y");
        tx.exec();
        assertThat(waiter.get(5, TimeUnit.SECONDS).getValue()).isEqualTo("x");
        assertThat(jedis.lrange("q", 0, -1)).containsExactly("y");
    }

    @Test
    void blockingCommandsInsideMultiDoNotBlock() {
        Transaction tx = jedis.multi();
        tx.blpop(0.0, "nokey");
        tx.brpoplpush("nokey", "d", 0);
        tx.blmpop(0, ListDirection.LEFT, "nokey");
        List<Object> res = tx.exec();
        assertThat(res).containsExactly(null, null, null);
    }

    @Test
    void blockedCommandIsRunAgainAndCountedOnceWhenAnswered() throws Exception {
        jedis.configResetStat();
        CompletableFuture<KeyValue<String, String>> waiter = blockedCall(j -> j.blpop(0.0, "empty", "q"));
        // Blocking is not a call yet (Redis counts a blocked command when it is answered).
        assertThat(jedis.info("commandstats")).doesNotContain("cmdstat_blpop");
        // A transaction that creates and empties the key makes it ready without a list to serve.
        Transaction tx = jedis.multi();
        tx.rpush("q", "gone");
        tx.lpop("q");
        tx.exec();
        Thread.sleep(100);
        assertThat(waiter).isNotDone();
        jedis.rpush("q", "x");
        KeyValue<String, String> served = waiter.get(5, TimeUnit.SECONDS);
        assertThat(served.getKey()).isEqualTo("q");
        assertThat(jedis.info("commandstats")).contains("cmdstat_blpop:calls=1,");
        assertThat(jedis.info("stats")).contains("total_commands_processed:");
    }

    @Test
    void keyOfAnotherTypeDoesNotWakeTheWaiter() throws Exception {
        // As Redis 7.2's handleClientsBlockedOnKey: only a value of the blocked type re-runs the command.
        CompletableFuture<KeyValue<String, String>> waiter = blockedCall(j -> j.blpop(0.0, "q"));
        jedis.set("q", "now a string");
        Thread.sleep(200);
        assertThat(waiter).isNotDone();
        assertThat(blocking().blockedClients()).isEqualTo(1);
        jedis.del("q");
        jedis.rpush("q", "x");
        KeyValue<String, String> served = waiter.get(5, TimeUnit.SECONDS);
        assertThat(served.getKey()).isEqualTo("q");
        assertThat(served.getValue()).isEqualTo("x");
        assertThat(blocking().blockedClients()).isZero();
    }

    @Test
    void blmoveChainAndPropagation() throws Exception {
        recordPropagation();
        CompletableFuture<String> first = blockedCall(j -> j.blmove("q1", "q2", ListDirection.LEFT, ListDirection.RIGHT, 0));
        CompletableFuture<String> second = blockedCall(j -> j.brpoplpush("q2", "q3", 0));
        jedis.rpush("q1", "item");
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("item");
        assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo("item");
        assertThat(jedis.exists("q1", "q2")).isZero();
        assertThat(jedis.lrange("q3", 0, -1)).containsExactly("item");
        assertThat(propagated).as("%s", propagated).containsExactly("RPUSH q1 item", "LMOVE q1 q2 LEFT RIGHT", "RPOPLPUSH q2 q3");
    }

    @Test
    void blmoveToWrongTypeDestinationIsAnError() throws Exception {
        jedis.set("dst", "x");
        CompletableFuture<Object> waiter = blockedCall(j -> {
            try {
                return j.blmove("src", "dst", ListDirection.LEFT, ListDirection.RIGHT, 0);
            } catch (RuntimeException e) {
                return e.getMessage();
            }
        });
        jedis.rpush("src", "v");
        assertThat(waiter.get(5, TimeUnit.SECONDS)).isEqualTo("WRONGTYPE Operation against a key holding the wrong kind of value");
        assertThat(jedis.lrange("src", 0, -1)).containsExactly("v");
    }

    @Test
    void blmpopServedWithCountAndPropagatedAsPop() throws Exception {
        recordPropagation();
        CompletableFuture<KeyValue<String, List<String>>> waiter =
                blockedCall(j -> j.blmpop(0, ListDirection.RIGHT, 3, "a", "b"));
        jedis.rpush("b", "1", "2", "3", "4");
        KeyValue<String, List<String>> kv = waiter.get(5, TimeUnit.SECONDS);
        assertThat(kv.getKey()).isEqualTo("b");
        assertThat(kv.getValue()).containsExactly("4", "3", "2");
        assertThat(propagated).as("%s", propagated).containsExactly("RPUSH b 1 2 3 4", "RPOP b 3");
        // Served at once when data is there: LMPOP/BLMPOP log as LPOP/RPOP key count.
        propagated.clear();
        jedis.blmpop(0, ListDirection.LEFT, 5, "b");
        jedis.rpush("c", "x");
        jedis.blpop(0.0, "c");
        assertThat(propagated).as("%s", propagated).containsExactly("LPOP b 5", "RPUSH c x", "LPOP c");
    }

    @Test
    void clientUnblockAnswersWithTimeoutOrError() throws Exception {
        Jedis j = client();
        long id = j.clientId();
        CompletableFuture<Object> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return j.blpop(0.0, "q");
            } catch (RuntimeException e) {
                return e.getMessage();
            }
        });
        while (blocking().blockedClients() == 0) Thread.sleep(2);
        assertThat(blocking().unblock(id, false)).isTrue();
        assertThat(waiter.get(5, TimeUnit.SECONDS)).isNull();
        assertThat(blocking().unblock(id, false)).isFalse();
        CompletableFuture<Object> again = CompletableFuture.supplyAsync(() -> {
            try {
                return j.brpoplpush("q", "d", 0);
            } catch (RuntimeException e) {
                return e.getMessage();
            }
        });
        while (blocking().blockedClients() == 0) Thread.sleep(2);
        assertThat(blocking().unblock(id, true)).isTrue();
        assertThat(again.get(5, TimeUnit.SECONDS)).isEqualTo("UNBLOCKED client unblocked via CLIENT UNBLOCK");
    }

    @Test
    void clientUnblockCommand() throws Exception {
        Jedis j = client();
        long id = j.clientId();
        CompletableFuture<Object> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return j.blmpop(0, ListDirection.LEFT, "q");
            } catch (RuntimeException e) {
                return e.getMessage();
            }
        });
        while (blocking().blockedClients() == 0) Thread.sleep(2);
        assertThat(jedis.clientUnblock(id, redis.clients.jedis.args.UnblockType.ERROR)).isEqualTo(1);
        assertThat(waiter.get(5, TimeUnit.SECONDS)).isEqualTo("UNBLOCKED client unblocked via CLIENT UNBLOCK");
        assertThat(jedis.clientUnblock(id)).isZero();
    }

    @Test
    void lettuceBlockingPop() throws Exception {
        Jedis pusher = client();
        CompletableFuture<Void> push = CompletableFuture.runAsync(() -> {
            try {
                while (blocking().blockedClients() == 0) Thread.sleep(2);
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
            pusher.rpush("lq", "v");
        });
        io.lettuce.core.KeyValue<String, String> kv = lettuce.brpop(5, "lq");
        push.get(5, TimeUnit.SECONDS);
        assertThat(kv.getKey()).isEqualTo("lq");
        assertThat(kv.getValue()).isEqualTo("v");
    }
}
