package io.keyline.persistence;

import io.keyline.server.KeylineServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code appendfsync always} holds a batch's replies in the connection until the fsync covering its
 * writes, while the connection keeps reading: later replies (reads included) must queue behind the
 * held ones, and a blocked client's reply must not overtake them either. Runs with two event loops
 * so clients on different loops share fsync groups.
 */
class AlwaysFsyncOrderIT {
    private static final int N = 400; // SET/GET/INCR/STRLEN groups per pipeline
    private Path dir;
    private KeylineServer server;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("keyline-always-order");
        server = AofTestSupport.start(dir, "appendfsync", "always", "io-threads", "2");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) server.stop();
        AofTestSupport.deleteTree(dir);
    }

    @Test
    void pipelinedRepliesStayInOrderAcrossFsyncGroups() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < 6; c++) {
                int id = c;
                clients.add(pool.submit(() -> {
                    try (Jedis jedis = new Jedis("127.0.0.1", server.port(), 10_000)) {
                        String pad = "x".repeat(300); // big batches arrive over several reads and flushes
                        for (int round = 0; round < 20; round++) {
                            Pipeline p = jedis.pipelined();
                            List<Response<?>> replies = new ArrayList<>();
                            for (int i = 0; i < N; i++) {
                                String key = "c" + id + ":" + i;
                                replies.add(p.set(key, round + "-" + i + pad));
                                replies.add(p.get(key));
                                replies.add(p.incr("counter:" + id));
                                replies.add(p.strlen(key));
                            }
                            p.sync();
                            for (int i = 0; i < N; i++) {
                                assertThat(replies.get(4 * i).get()).isEqualTo("OK");
                                assertThat(replies.get(4 * i + 1).get()).isEqualTo(round + "-" + i + pad);
                                assertThat(replies.get(4 * i + 2).get()).isEqualTo((long) round * N + i + 1);
                                assertThat(replies.get(4 * i + 3).get()).isEqualTo((long) (round + "-" + i + pad).length());
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : clients) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            for (int c = 0; c < 6; c++) assertThat(jedis.get("counter:" + c)).isEqualTo(Integer.toString(20 * N));
            assertThat(jedis.configGet("io-threads")).containsEntry("io-threads", "2");
        }
    }

    @Test
    void servedBlockedClientGetsItsValueAfterThePushersOwnReplies() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Jedis waiter = new Jedis("127.0.0.1", server.port(), 10_000);
             Jedis pusher = new Jedis("127.0.0.1", server.port(), 10_000)) {
            Future<List<String>> popped = pool.submit(() -> waiter.blpop(5, "queue"));
            long deadline = System.currentTimeMillis() + 5_000;
            while (!pusher.clientList().contains("cmd=blpop") && System.currentTimeMillis() < deadline) Thread.sleep(10);
            Pipeline p = pusher.pipelined();
            Response<Long> pushed = p.rpush("queue", "job-1");
            Response<String> after = p.set("after", "1");
            Response<Long> len = p.llen("queue");
            p.sync();
            assertThat(pushed.get()).isEqualTo(1L);
            assertThat(after.get()).isEqualTo("OK");
            assertThat(len.get()).isZero(); // the waiter took it
            assertThat(popped.get(10, TimeUnit.SECONDS)).containsExactly("queue", "job-1");
            // The waiter's connection is still in order: its next reply is its own.
            assertThat(waiter.ping()).isEqualTo("PONG");
        } finally {
            pool.shutdownNow();
        }
    }
}
