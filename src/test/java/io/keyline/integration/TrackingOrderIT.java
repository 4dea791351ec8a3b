package io.keyline.integration;

import io.keyline.embed.EmbeddedKeyline;
import io.keyline.testkit.RespClient;
import org.junit.jupiter.api.Test;

import java.net.SocketTimeoutException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The invalidation another connection's write causes is on its way to the tracking client before
 * the writer gets its reply, as in Redis (the push is in the tracking client's output buffer first):
 * a client that saw the write acknowledged finds the invalidation on the tracking connection at
 * once, without sending anything there. Two event loops and two writers opened one after the
 * other, so every other iteration crosses loops (Netty assigns connections round-robin).
 */
class TrackingOrderIT extends ServerTestBase {
    private static final String INV_K = ">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n";
    private static final String INV_NULL = ">2\r\n$10\r\ninvalidate\r\n_\r\n";
    /** Short: the push must already be readable when the writer's reply has arrived. */
    private static final Duration SHORT = Duration.ofMillis(100);
    private static final Duration LONG = Duration.ofSeconds(10);
    private static final int ITERATIONS = 200;

    @Override
    protected void configure(EmbeddedKeyline.Builder builder) {
        builder.config("io-threads", "2");
    }

    private RespClient open() throws Exception {
        return new RespClient(port()).timeout(LONG);
    }

    /** Reads one frame from the tracking connection within {@link #SHORT}, failing with the iteration. */
    private static String readShort(RespClient t, int i, String what) throws Exception {
        t.timeout(SHORT);
        try {
            return t.readText();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("iteration " + i + ": no " + what + " within " + SHORT.toMillis()
                    + " ms after the writer's reply", e);
        } finally {
            t.timeout(LONG);
        }
    }

    @Test
    void invalidationIsReadableAsSoonAsTheWritersReplyArrived() throws Exception {
        try (RespClient t = open(); RespClient w1 = open(); RespClient w2 = open()) {
            t.resp3();
            assertThat(t.request("CLIENT", "TRACKING", "on").text()).isEqualTo("+OK\r\n");
            for (int i = 0; i < ITERATIONS; i++) {
                t.request("GET", "k"); // tracks k again (the last invalidation dropped it)
                RespClient w = (i & 1) == 0 ? w1 : w2;
                assertThat(w.request("SET", "k", Integer.toString(i)).text()).isEqualTo("+OK\r\n");
                assertThat(readShort(t, i, "invalidation")).as("iteration %d", i).isEqualTo(INV_K);
            }
            assertThat(t.request("PING").text()).isEqualTo("+PONG\r\n"); // nothing else was pending
        }
    }

    @Test
    void pipelinedWritesAndFlushesKeepTheirInvalidationsAheadOfTheReplies() throws Exception {
        try (RespClient t = open(); RespClient w1 = open(); RespClient w2 = open()) {
            t.resp3();
            assertThat(t.request("CLIENT", "TRACKING", "on").text()).isEqualTo("+OK\r\n");
            for (int i = 0; i < ITERATIONS; i++) {
                t.request("GET", "k");
                RespClient w = (i & 1) == 0 ? w1 : w2;
                if (i % 10 == 9) { // FLUSHDB: the null invalidation, to every tracking client
                    assertThat(w.request("FLUSHDB").text()).isEqualTo("+OK\r\n");
                    assertThat(readShort(t, i, "flush invalidation")).as("iteration %d", i).isEqualTo(INV_NULL);
                    continue;
                }
                w.send("INCR", "other");
                w.send("SET", "k", "v");
                w.send("INCR", "other");
                w.read();
                assertThat(w.readText()).isEqualTo("+OK\r\n");
                w.read();
                assertThat(readShort(t, i, "invalidation")).as("iteration %d", i).isEqualTo(INV_K);
            }
            assertThat(t.request("PING").text()).isEqualTo("+PONG\r\n");
        }
    }
}
