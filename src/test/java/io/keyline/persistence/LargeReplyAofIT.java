package io.keyline.persistence;

import io.keyline.server.KeylineServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Large replies (far past the connection's mid-batch hand-off size) with {@code appendonly yes} and
 * {@code appendfsync always}: pipelined writes and large reads interleaved get every reply whole and
 * in order, and what was acknowledged is in the AOF after a restart.
 */
class LargeReplyAofIT {
    private Path dir;
    private KeylineServer server;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("keyline-aof-large-replies");
    }

    @AfterEach
    void tearDown() throws IOException {
        if (server != null) server.stop();
        AofTestSupport.deleteTree(dir);
    }

    @Test
    void pipelinedWritesAndLargeReadsUnderFsyncAlways() throws Exception {
        server = AofTestSupport.start(dir, "appendfsync", "always");
        byte[] key = "big".getBytes(StandardCharsets.US_ASCII);
        Random rnd = new Random(5);
        List<byte[]> all = new ArrayList<>();
        try (Jedis j = new Jedis("127.0.0.1", server.port(), 20_000)) {
            for (int round = 0; round < 5; round++) {
                Pipeline p = j.pipelined();
                List<Response<Long>> pushes = new ArrayList<>();
                List<Response<List<byte[]>>> reads = new ArrayList<>();
                List<Integer> sizes = new ArrayList<>();
                for (int i = 0; i < 2_000; i++) {
                    byte[] e = new byte[1024];
                    rnd.nextBytes(e);
                    all.add(e);
                    pushes.add(p.rpush(key, e));
                    if (i % 500 == 499) { // a large read after writes of the same batch
                        reads.add(p.lrange(key, 0, -1));
                        sizes.add(all.size());
                    }
                }
                p.sync();
                for (int i = 0; i < pushes.size(); i++) assertThat(pushes.get(i).get()).isEqualTo(all.size() - pushes.size() + i + 1L);
                for (int r = 0; r < reads.size(); r++) {
                    List<byte[]> got = reads.get(r).get();
                    assertThat(got).hasSize(sizes.get(r));
                    for (int i = 0; i < got.size(); i++) assertThat(got.get(i)).isEqualTo(all.get(i));
                }
            }
        }
        server.stop();
        server = AofTestSupport.start(dir, "appendfsync", "always");
        try (Jedis j = new Jedis("127.0.0.1", server.port(), 20_000)) {
            List<byte[]> got = j.lrange(key, 0, -1);
            assertThat(got).hasSize(all.size());
            for (int i = 0; i < got.size(); i++) assertThat(got.get(i)).isEqualTo(all.get(i));
        }
    }
}
