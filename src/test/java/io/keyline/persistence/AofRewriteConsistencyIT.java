package io.keyline.persistence;

import io.keyline.engine.CommandSpec;
import io.keyline.engine.PersistenceControl;
import io.keyline.config.Config;
import io.keyline.server.KeylineServer;
import io.keyline.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rewrites while clients keep writing must not apply anything twice or lose anything: uses a
 * non-idempotent test command (an increment), rewrites over and over, restarts and compares
 * every counter with the number of acknowledged increments.
 */
class AofRewriteConsistencyIT {
    private static final int KEYS = 300;
    private Path dir;
    private KeylineServer server;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("keyline-aof-rewrite");
    }

    @AfterEach
    void tearDown() throws IOException {
        if (server != null) server.stop();
        AofTestSupport.deleteTree(dir);
    }

    private KeylineServer startWithTestCommand() throws Exception {
        Config config = Config.defaults();
        config.set("port", "0", true);
        config.set("capacity", "0", true);
        config.set("appendonly", "yes", true);
        config.set("appendfsync", "everysec", true);
        config.set("dir", dir.toString(), true);
        KeylineServer s = new KeylineServer(config);
        s.context().table().command("testincr", 2).flags(CommandSpec.Flag.WRITE).keys(1, 1, 1).handler((c, argv) -> {
            Object v = c.db().get(argv[1]);
            long n = v == null ? 0 : Long.parseLong(new String((byte[]) v, StandardCharsets.US_ASCII));
            c.db().set(argv[1], Long.toString(n + 1).getBytes(StandardCharsets.US_ASCII), Database.KEEP_TTL);
            c.modified(argv[1]);
            c.reply.integer(n + 1);
        });
        s.start();
        return s;
    }

    @Test
    void rewritesDuringIncrementsNeitherLoseNorRepeat() throws Exception {
        server = startWithTestCommand();
        int port = server.port();
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            redis.clients.jedis.Pipeline p = j.pipelined();
            for (int i = 0; i < 10_000; i++) p.set("filler" + i, "x"); // something for the base to hold
            p.sync();
        }
        AtomicLongArray counts = new AtomicLongArray(KEYS);
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                try (Jedis j = new Jedis("127.0.0.1", port, 15_000)) {
                    while (!stop.get()) {
                        int k = ThreadLocalRandom.current().nextInt(KEYS);
                        j.sendCommand(() -> "TESTINCR".getBytes(StandardCharsets.US_ASCII), ("c" + k).getBytes(StandardCharsets.US_ASCII));
                        counts.incrementAndGet(k);
                    }
                }
            });
            th.start();
            writers.add(th);
        }
        PersistenceControl control = server.context().service(PersistenceControl.class);
        int rewrites = 0;
        long end = System.currentTimeMillis() + 1500;
        while (System.currentTimeMillis() < end) {
            if (control.rewriteInBackground()) rewrites++;
            Thread.sleep(5);
        }
        stop.set(true);
        for (Thread th : writers) th.join();
        while (control.rewriteInProgress()) Thread.sleep(10);
        assertThat(rewrites).isGreaterThan(1);
        Map<String, String> before = AofTestSupport.snapshot(server.keyspace());
        server.stop();
        server = startWithTestCommand();
        Map<String, String> after = AofTestSupport.snapshot(server.keyspace());
        assertThat(after).isEqualTo(before);
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            for (int k = 0; k < KEYS; k++) {
                String v = j.get("c" + k);
                assertThat(v == null ? 0 : Long.parseLong(v)).as("counter %d", k).isEqualTo(counts.get(k));
            }
        }
    }
}
