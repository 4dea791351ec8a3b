package io.keyline.integration;

import io.keyline.embed.EmbeddedKeyline;
import io.keyline.testkit.RespClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * A real Keyline server on a free loopback port for the whole test class, with a Jedis (RESP2)
 * and a Lettuce (RESP3) client. Every test starts with FLUSHALL. Override {@link #configure} to
 * change server settings.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ServerTestBase {
    protected EmbeddedKeyline keyline;
    protected Jedis jedis;
    protected RedisClient lettuceClient;
    protected StatefulRedisConnection<String, String> lettuceConnection;
    protected RedisCommands<String, String> lettuce;
    private RespClient resp;

    protected void configure(EmbeddedKeyline.Builder builder) {
    }

    @BeforeAll
    void startServer() {
        EmbeddedKeyline.Builder b = EmbeddedKeyline.builder();
        configure(b);
        keyline = b.start();
        lettuceClient = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(keyline.port())
                .withTimeout(Duration.ofSeconds(10)).build());
    }

    @BeforeEach
    void connectClients() {
        jedis = new Jedis("127.0.0.1", keyline.port(), 10_000);
        jedis.flushAll();
        lettuceConnection = lettuceClient.connect(); // RESP3 by default (HELLO 3)
        lettuce = lettuceConnection.sync();
    }

    @AfterEach
    void closeClients() {
        if (jedis != null) jedis.close();
        if (lettuceConnection != null) lettuceConnection.close();
        if (resp != null) {
            try {
                resp.close();
            } catch (IOException ignored) {
                // closing a test connection cannot fail the test
            }
            resp = null;
        }
    }

    @AfterAll
    void stopServer() {
        if (lettuceClient != null) lettuceClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        if (keyline != null) keyline.stop();
    }

    protected int port() {
        return keyline.port();
    }

    /** A new Jedis connection to the server (caller closes it). */
    protected Jedis newJedis() {
        return new Jedis("127.0.0.1", keyline.port(), 10_000);
    }

    /**
     * Sends raw bytes on a fresh socket and returns what the server answers within the time limit
     * (reading stops early once {@code expectedReplyBytes} arrived or the server closed).
     */
    protected String raw(String request, int expectedReplyBytes) throws IOException {
        try (RespClient c = new RespClient(keyline.port())) {
            c.timeout(Duration.ofSeconds(2)).sendRaw(request);
            return c.readAvailable(expectedReplyBytes);
        }
    }

    /**
     * Sends one command on the test's raw RESP2 connection (opened on first use, closed after the
     * test) and returns the reply as plain values: see {@link RespClient#value}.
     */
    protected Object respValue(String... argv) {
        try {
            if (resp == null) resp = new RespClient(keyline.port());
            return resp.value(argv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
