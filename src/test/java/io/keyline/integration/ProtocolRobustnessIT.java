package io.keyline.integration;

import io.keyline.testkit.RespClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed input: the offending connection gets Redis's {@code -ERR Protocol error: ...} and is
 * closed, while the server and a client that was already connected carry on.
 */
class ProtocolRobustnessIT extends ServerTestBase {
    private Jedis bystander;
    private Thread bystanderThread;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong bystanderRequests = new AtomicLong();
    private final AtomicReference<Throwable> bystanderFailure = new AtomicReference<>();

    /** A client connected before the garbage arrives keeps doing PING/SET/GET throughout. */
    @BeforeEach
    void startBystander() {
        bystander = newJedis();
        bystander.set("bystander", "still here");
        stop.set(false);
        bystanderThread = new Thread(() -> {
            try {
                while (!stop.get()) {
                    if (!"PONG".equals(bystander.ping())) throw new AssertionError("PING");
                    if (!"still here".equals(bystander.get("bystander"))) throw new AssertionError("GET");
                    bystanderRequests.incrementAndGet();
                }
            } catch (Throwable t) {
                bystanderFailure.set(t);
            }
        }, "bystander");
        bystanderThread.start();
    }

    @AfterEach
    void bystanderSurvived() throws InterruptedException {
        long before = bystanderRequests.get();
        Thread.sleep(50);
        stop.set(true);
        bystanderThread.join(5000);
        assertThat(bystanderFailure.get()).as("the other client's requests").isNull();
        assertThat(bystanderRequests.get()).isGreaterThan(0);
        assertThat(bystander.get("bystander")).isEqualTo("still here");
        assertThat(bystanderRequests.get()).isGreaterThanOrEqualTo(before);
        bystander.close();
        try (Jedis fresh = newJedis()) {
            assertThat(fresh.ping()).isEqualTo("PONG");
        }
    }

    /** What the server answered, and whether it closed the connection (vs. just stopped talking). */
    record Exchange(String reply, boolean closed) {
    }

    private Exchange send(byte[] request) throws IOException {
        return send(request, false);
    }

    private Exchange send(byte[] request, boolean closeOutputAfterwards) throws IOException {
        try (RespClient c = new RespClient(port())) {
            c.timeout(Duration.ofMillis(700));
            try {
                c.sendRaw(request);
                if (closeOutputAfterwards) c.shutdownOutput();
            } catch (SocketException e) {
                // The server may close while a large request is still being written.
            }
            RespClient.Drained got = c.drain();
            return new Exchange(got.text(StandardCharsets.ISO_8859_1), got.closed());
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private void assertProtocolError(String request, String error) throws IOException {
        Exchange e = send(b(request));
        assertThat(e.reply()).isEqualTo("-ERR Protocol error: " + error + "\r\n");
        assertThat(e.closed()).as("connection closed after the protocol error").isTrue();
    }

    @Test
    void twoGigabyteBulkLengthIsRejectedOnTheLengthLine() throws IOException {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long usedBefore = rt.totalMemory() - rt.freeMemory();
        assertProtocolError("*1\r\n$2147483648\r\n", "invalid bulk length");
        // The largest allowed length (proto-max-bulk-len, 512 MB) is accepted but nothing is
        // allocated for it up front: the connection just waits for the data, then goes away.
        Exchange e = send(b("*2\r\n$3\r\nSET\r\n$536870912\r\nabc"), true);
        assertThat(e.reply()).isEmpty();
        long usedAfter = rt.totalMemory() - rt.freeMemory();
        assertThat(usedAfter - usedBefore).as("heap growth in bytes").isLessThan(256L * 1024 * 1024);
    }

    @Test
    void multibulkCountOf2To31() throws IOException {
        assertProtocolError("*2147483648\r\n", "invalid multibulk length");
        assertProtocolError("*99999999999999999999\r\n", "invalid multibulk length");
        assertProtocolError("*abc\r\n", "invalid multibulk length");
    }

    @Test
    void largestMultibulkCountIsAcceptedWithoutPreallocation() throws IOException {
        Exchange e = send(b("*2147483647\r\n$4\r\nPING\r\n"), true);
        assertThat(e.reply()).isEmpty();
    }

    @Test
    void otherMalformedFrames() throws IOException {
        assertProtocolError("*1\r\nx3\r\nfoo\r\n", "expected '$', got 'x'");
        assertProtocolError("*1\r\n$-1\r\n", "invalid bulk length");
        assertProtocolError("ECHO \"unbalanced\r\n", "unbalanced quotes in request");
        assertProtocolError("*" + "1".repeat(70_000), "too big mbulk count string");
        assertProtocolError("*1\r\n$" + "1".repeat(70_000), "too big bulk count string");
    }

    @Test
    void validCommandsBeforeTheErrorAreAnswered() throws IOException {
        Exchange e = send(b("*1\r\n$4\r\nPING\r\nSET a 1\r\n*1\r\nfoo\r\nPING\r\n"));
        assertThat(e.reply()).isEqualTo("+PONG\r\n+OK\r\n-ERR Protocol error: expected '$', got 'f'\r\n");
        assertThat(e.closed()).isTrue();
        assertThat(jedis.get("a")).isEqualTo("1");
    }

    @Test
    void inlineLineOf100Kilobytes() throws IOException {
        assertProtocolError("SET big " + "a".repeat(100_000) + "\r\n", "too big inline request");
        assertThat(jedis.exists("big")).isFalse();
        // A long but allowed inline line works.
        Exchange ok = send(b("SET big " + "a".repeat(50_000) + "\r\n"));
        assertThat(ok.reply()).isEqualTo("+OK\r\n");
        assertThat(jedis.get("big")).hasSize(50_000);
    }

    @Test
    void unterminatedFrameFollowedByClose() throws IOException {
        Exchange e = send(b("*3\r\n$3\r\nSET\r\n$1\r\nu\r\n$10\r\nabc"), true);
        assertThat(e.reply()).isEmpty();
        assertThat(e.closed()).isTrue();
        assertThat(jedis.exists("u")).isFalse();
        Exchange inline = send(b("SET u 1"), true);
        assertThat(inline.reply()).isEmpty();
        assertThat(jedis.exists("u")).isFalse();
    }

    @Test
    void emptyRequestsAreIgnored() throws IOException {
        Exchange e = send(b("\r\n*0\r\n*-1\r\n\n   \r\nPING\r\n"));
        assertThat(e.reply()).isEqualTo("+PONG\r\n");
        assertThat(e.closed()).isFalse();
    }

    @Test
    void httpRequestIsDroppedWithoutReply() throws IOException {
        Exchange e = send(b("POST / HTTP/1.1\r\nHost: localhost\r\n\r\n"));
        assertThat(e.reply()).isEmpty();
        assertThat(e.closed()).isTrue();
    }

    @Test
    void randomGarbage() throws IOException {
        Random random = new Random(20261125);
        int closedWithProtocolError = 0;
        for (int round = 0; round < 60; round++) {
            byte[] garbage = new byte[1 + random.nextInt(2000)];
            random.nextBytes(garbage);
            if (round % 3 == 0) garbage[0] = '*';
            if (round % 3 == 1) garbage[0] = '$';
            Exchange e = send(garbage, true);
            // Whatever came back is RESP errors (unknown command, protocol error...), nothing else.
            for (String line : e.reply().split("\r\n")) {
                if (line.isEmpty()) continue;
                assertThat(line).as("reply to garbage").startsWith("-");
            }
            if (e.reply().contains("Protocol error")) {
                closedWithProtocolError++;
                assertThat(e.closed()).isTrue();
                assertThat(e.reply()).endsWith("\r\n").containsOnlyOnce("Protocol error");
            }
        }
        assertThat(closedWithProtocolError).isGreaterThan(0);
    }

    @Test
    void manyBadClientsAtOnce() throws Exception {
        Thread[] threads = new Thread[8];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int t = 0; t < threads.length; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                try {
                    for (int i = 0; i < 10; i++) {
                        Exchange e = send(b(id % 2 == 0 ? "*1\r\n$2147483648\r\n" : "*1\r\nfoo\r\n"));
                        if (!e.reply().startsWith("-ERR Protocol error: ") || !e.closed()) {
                            throw new AssertionError("got " + e);
                        }
                    }
                } catch (Throwable x) {
                    failure.set(x);
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) t.join(20_000);
        assertThat(failure.get()).isNull();
    }
}
