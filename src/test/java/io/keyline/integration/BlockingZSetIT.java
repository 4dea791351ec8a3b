package io.keyline.integration;

import io.keyline.engine.Propagator;
import io.keyline.testkit.RespClient;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ZPopArgs;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** BZPOPMIN, BZPOPMAX and BZMPOP: immediate pops, blocking, wake-up by writers, FIFO, timeouts, errors, logging. */
class BlockingZSetIT extends ServerTestBase {
    private Object call(String... argv) {
        return respValue(argv);
    }

    /** Runs a command on a new connection in the background. */
    private CompletableFuture<Object> background(String... argv) {
        return CompletableFuture.supplyAsync(() -> {
            try (RespClient c = new RespClient(port())) {
                return c.value(argv);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Waits until {@code n} clients are blocked (CLIENT LIST flags), so the writer comes after them. */
    private void awaitBlocked(int n) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            String list = jedis.clientList();
            long blocked = list.lines().filter(l -> l.contains("flags=b")).count();
            if (blocked >= n) return;
            Thread.sleep(10);
        }
        throw new AssertionError("clients did not block: " + jedis.clientList());
    }

    @Test
    void popsImmediatelyWhenDataExists() {
        jedis.zadd("z", 1, "a");
        jedis.zadd("z", 2, "b");
        assertThat(call("BZPOPMIN", "nokey", "z", "0")).isEqualTo(List.of("z", "a", "1"));
        assertThat(call("BZPOPMAX", "z", "0")).isEqualTo(List.of("z", "b", "2"));
        assertThat(jedis.exists("z")).isFalse();
        lettuce.zadd("z", 3, "c");
        KeyValue<String, ScoredValue<String>> kv = lettuce.bzpopmin(1, "z");
        assertThat(kv.getKey()).isEqualTo("z");
        assertThat(kv.getValue()).isEqualTo(ScoredValue.just(3, "c"));
        jedis.zadd("z", 1, "a");
        jedis.zadd("z", 2, "b");
        assertThat(call("BZMPOP", "0", "2", "nokey", "z", "MAX", "COUNT", "5"))
                .isEqualTo(List.of("z", List.of(List.of("b", "2"), List.of("a", "1"))));
    }

    @Test
    void blocksUntilAWriterAddsAndTimesOut() throws Exception {
        CompletableFuture<Object> waiter = background("BZPOPMIN", "z1", "z2", "5");
        awaitBlocked(1);
        jedis.zadd("z2", 7, "m");
        assertThat(waiter.get(5, TimeUnit.SECONDS)).isEqualTo(List.of("z2", "m", "7"));
        assertThat(jedis.exists("z2")).isFalse();

        CompletableFuture<Object> mpop = background("BZMPOP", "5", "1", "z3", "MIN", "COUNT", "2");
        awaitBlocked(1);
        jedis.zadd("z3", java.util.Map.of("a", 1.0, "b", 2.0, "c", 3.0));
        assertThat(mpop.get(5, TimeUnit.SECONDS)).isEqualTo(List.of("z3", List.of(List.of("a", "1"), List.of("b", "2"))));
        assertThat(jedis.zcard("z3")).isEqualTo(1);

        long start = System.nanoTime();
        assertThat(call("BZPOPMAX", "none", "0.1")).isNull();
        assertThat(call("BZMPOP", "0.1", "1", "none", "MIN")).isNull();
        assertThat(System.nanoTime() - start).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(180));
        assertThat(lettuce.bzpopmax(0.1, "none")).isNull();
    }

    @Test
    void clientsAreServedInTheOrderTheyBlocked() throws Exception {
        CompletableFuture<Object> first = background("BZPOPMIN", "q", "5");
        awaitBlocked(1);
        CompletableFuture<Object> second = background("BZPOPMAX", "q", "5");
        awaitBlocked(2);
        jedis.zadd("q", java.util.Map.of("a", 1.0, "b", 2.0));
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(List.of("q", "a", "1"));
        assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(List.of("q", "b", "2"));
    }

    @Test
    void errorsWrongTypeAndMulti() {
        jedis.set("str", "v");
        assertThat(call("BZPOPMIN", "str", "0")).isEqualTo("!WRONGTYPE Operation against a key holding the wrong kind of value");
        assertThat(call("BZPOPMIN", "z", "-1")).isEqualTo("!ERR timeout is negative");
        assertThat(call("BZPOPMIN", "z", "abc")).isEqualTo("!ERR timeout is not a float or out of range");
        assertThat(call("BZMPOP", "0", "0", "z", "MIN")).isEqualTo("!ERR numkeys should be greater than 0");
        assertThat(call("BZMPOP", "0", "1", "z", "FOO")).isEqualTo("!ERR syntax error");
        assertThat(call("BZMPOP", "0", "1", "z", "MIN", "COUNT", "0")).isEqualTo("!ERR count should be greater than 0");
        assertThat(call("BZPOPMIN", "z")).isEqualTo("!ERR wrong number of arguments for 'bzpopmin' command");
        // inside MULTI a blocking pop never blocks
        var tx = jedis.multi();
        tx.sendCommand(Protocol.Command.BZPOPMIN, "empty", "0");
        tx.sendCommand(Protocol.Command.BZMPOP, "0", "1", "empty", "MIN");
        List<Object> results = tx.exec();
        assertThat(results).containsExactly(null, null);
    }

    @Test
    void servedPopsAreLoggedAsZpop() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        keyline.server().context().propagator(new Propagator() {
            @Override
            public long append(int db, byte[][] argv) {
                StringBuilder sb = new StringBuilder();
                for (byte[] a : argv) sb.append(sb.length() == 0 ? "" : " ").append(new String(a, StandardCharsets.UTF_8));
                log.add(sb.toString());
                return 0;
            }
        });
        try {
            jedis.zadd("z", 1, "a");
            call("BZPOPMIN", "z", "0");
            CompletableFuture<Object> waiter = background("BZMPOP", "5", "1", "z", "MAX", "COUNT", "3");
            awaitBlocked(1);
            jedis.zadd("z", 2, "b");
            waiter.get(5, TimeUnit.SECONDS);
            jedis.sadd("s", "x", "y");
            call("SPOP", "s");
            call("ZMPOP", "1", "nokey", "MIN");
            assertThat(log).hasSize(6);
            assertThat(log.subList(0, 4)).containsExactly("ZADD z 1.0 a", "ZPOPMIN z", "ZADD z 2.0 b", "ZPOPMAX z 1");
            assertThat(log.get(5)).matches("SREM s [xy]");
        } finally {
            keyline.server().context().propagator(Propagator.NONE);
        }
    }
}
