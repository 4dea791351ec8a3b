package io.keyline.persistence;

import io.keyline.server.KeylineServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** PUBLISH and SPUBLISH reach replicas in Redis (may_replicate), never the AOF: Keyline logs neither. */
class PubSubAofIT {
    private Path dir;
    private KeylineServer server;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("keyline-pubsub-aof");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) server.stop();
        AofTestSupport.deleteTree(dir);
    }

    @Test
    void publishIsNotWrittenToTheAof() throws Exception {
        server = AofTestSupport.start(dir, "appendfsync", "always");
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            jedis.set("before", "1");
            jedis.publish("ch", "m");
            jedis.sendCommand(() -> "SPUBLISH".getBytes(StandardCharsets.US_ASCII), "ch", "m");
            redis.clients.jedis.Transaction t = jedis.multi();
            t.publish("ch", "in-multi");
            t.set("after", "2");
            t.exec();
        }
        server.stop();
        server = null;
        String aof = Files.readString(dir.resolve("appendonlydir").resolve("appendonly.aof.1.incr.aof"), StandardCharsets.ISO_8859_1);
        assertThat(aof).contains("before").contains("after").doesNotContainIgnoringCase("publish");
    }
}
