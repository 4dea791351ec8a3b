package io.keyline.integration;

import io.keyline.testkit.RespClient;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.args.ListDirection;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replies far past the connection's hand-off size (LRANGE of 10,000 1 KB elements, about 10 MB):
 * pipelined, they arrive whole and in order; ranges with negative and out-of-range indexes; a client
 * that closes mid-reply leaves the server serving others; a close after replies that were handed off
 * mid-batch still lets them out first.
 */
class LargeReplyIT extends ServerTestBase {
    private static final byte[] KEY = "big".getBytes(StandardCharsets.US_ASCII);
    private static final int ELEMENTS = 10_000;

    /** 10,000 distinct 1 KB elements (random bytes, CR and LF included) pushed to {@link #KEY}. */
    private List<byte[]> fill() {
        Random rnd = new Random(42);
        List<byte[]> elements = new ArrayList<>(ELEMENTS);
        Pipeline p = jedis.pipelined();
        for (int i = 0; i < ELEMENTS; i++) {
            byte[] e = new byte[1024];
            rnd.nextBytes(e);
            elements.add(e);
            p.rpush(KEY, e);
        }
        p.sync();
        return elements;
    }

    private static void assertSameBytes(List<byte[]> got, List<byte[]> want) {
        assertThat(got).hasSize(want.size());
        for (int i = 0; i < want.size(); i++) assertThat(got.get(i)).as("element %d", i).isEqualTo(want.get(i));
    }

    @Test
    void pipelinedLargeRangesArriveWholeAndInOrder() {
        List<byte[]> all = fill();
        Pipeline p = jedis.pipelined();
        List<Response<List<byte[]>>> ranges = new ArrayList<>();
        List<Response<Long>> lens = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ranges.add(p.lrange(KEY, 0, -1));
            lens.add(p.llen(KEY)); // small replies between the big ones keep their places
        }
        Response<List<byte[]>> tail = p.lrange(KEY, -5, -1);
        Response<List<byte[]>> clipped = p.lrange(KEY, -20_000, 2);
        Response<List<byte[]>> past = p.lrange(KEY, 9_990, 20_000);
        Response<List<byte[]>> middle = p.lrange(KEY, 4_321, -4_321);
        Response<List<byte[]>> empty = p.lrange(KEY, 5, 3);
        Response<List<byte[]>> beyond = p.lrange(KEY, 10_000, 10_005);
        p.sync();
        for (int i = 0; i < ranges.size(); i++) {
            assertSameBytes(ranges.get(i).get(), all);
            assertThat(lens.get(i).get()).isEqualTo(ELEMENTS);
        }
        assertSameBytes(tail.get(), all.subList(ELEMENTS - 5, ELEMENTS));
        assertSameBytes(clipped.get(), all.subList(0, 3));
        assertSameBytes(past.get(), all.subList(9_990, ELEMENTS));
        assertSameBytes(middle.get(), all.subList(4_321, ELEMENTS - 4_321 + 1));
        assertThat(empty.get()).isEmpty();
        assertThat(beyond.get()).isEmpty();
    }

    /** LPOP with a count and LMPOP hand their elements to the reply from the list's nodes too. */
    @Test
    void largePopsWithACountReplyEveryElement() {
        List<byte[]> all = fill();
        Pipeline p = jedis.pipelined();
        Response<List<byte[]>> popped = p.lpop(KEY, 3_000);
        Response<redis.clients.jedis.util.KeyValue<byte[], List<byte[]>>> mpopped = p.lmpop(ListDirection.LEFT, 3_000, KEY);
        Response<List<byte[]>> rest = p.lrange(KEY, 0, -1);
        p.sync();
        assertSameBytes(popped.get(), all.subList(0, 3_000));
        assertThat(mpopped.get().getKey()).isEqualTo(KEY);
        assertSameBytes(mpopped.get().getValue(), all.subList(3_000, 6_000));
        assertSameBytes(rest.get(), all.subList(6_000, ELEMENTS));
    }

    /** A client that sends many large reads and closes without reading: the server goes on serving. */
    @Test
    void aClientClosingMidReplyLeavesTheServerServing() throws Exception {
        List<byte[]> all = fill();
        long before = clientCount();
        for (int round = 0; round < 3; round++) {
            try (RespClient c = new RespClient(port())) {
                ByteArrayOutputStream request = new ByteArrayOutputStream();
                for (int i = 0; i < 20; i++) request.write(RespClient.encode("LRANGE".getBytes(), KEY, "0".getBytes(), "-1".getBytes()));
                c.sendRaw(request.toByteArray());
                Thread.sleep(50); // part of ~200 MB of replies is on its way when the socket closes
            }
        }
        try (Jedis other = newJedis()) {
            assertThat(other.ping()).isEqualTo("PONG");
            assertSameBytes(other.lrange(KEY, 0, -1), all);
        }
        long deadline = System.currentTimeMillis() + 10_000;
        while (clientCount() > before && System.currentTimeMillis() < deadline) Thread.sleep(20);
        assertThat(clientCount()).isEqualTo(before); // the closed clients are gone, their buffers with them
    }

    private long clientCount() {
        String info = jedis.info("clients");
        for (String line : info.split("\r\n")) {
            if (line.startsWith("connected_clients:")) return Long.parseLong(line.substring("connected_clients:".length()));
        }
        throw new AssertionError(info);
    }

    /**
     * QUIT after large replies with CLIENT REPLY OFF (so the batch's last buffer is empty and the
     * earlier replies were handed off mid-batch): every reply arrives before the server closes.
     */
    @Test
    void aCloseAfterHandedOffRepliesLetsThemOutFirst() throws Exception {
        List<byte[]> all = fill();
        byte[] lrange = RespClient.encode("LRANGE".getBytes(), KEY, "0".getBytes(), "-1".getBytes());
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.write(lrange);
        request.write(lrange);
        request.write(RespClient.encode("CLIENT".getBytes(), "REPLY".getBytes(), "OFF".getBytes()));
        request.write(RespClient.encode("QUIT".getBytes()));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int r = 0; r < 2; r++) {
            expected.write(("*" + ELEMENTS + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (byte[] e : all) {
                expected.write(("$" + e.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                expected.write(e);
                expected.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        }
        try (Socket s = new Socket("127.0.0.1", port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.toByteArray());
            s.getOutputStream().flush();
            Thread.sleep(200); // the server has everything queued before the client reads at all
            InputStream in = s.getInputStream();
            byte[] got = in.readAllBytes(); // to the server's close
            assertThat(got.length).isEqualTo(expected.size());
            assertThat(got).isEqualTo(expected.toByteArray());
        }
    }

    /** A reply of about 10 MB to a raw client matches the RESP bytes computed from the elements. */
    @Test
    void aLargeRawReplyMatchesByteForByte() throws IOException {
        List<byte[]> all = fill();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(("*" + ELEMENTS + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] e : all) {
            expected.write(("$1024\r\n").getBytes(StandardCharsets.US_ASCII));
            expected.write(e);
            expected.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        try (Socket s = new Socket("127.0.0.1", port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(RespClient.encode("LRANGE".getBytes(), KEY, "0".getBytes(), "-1".getBytes()));
            byte[] got = s.getInputStream().readNBytes(expected.size());
            assertThat(got).isEqualTo(expected.toByteArray());
        }
    }

    /**
     * Replies under the hand-off size, one request per batch, to a client that reads nothing for a while: each
     * batch's reply is written at the batch end while nothing else is pending, so once the socket's buffers are
     * full a reply is written in part and the rest (and every reply after it) queues in Netty until the client
     * reads. Everything arrives whole and in order, also the replies written after the queue has drained. (Written
     * for a direct batch-end write that bypassed Netty, bench/results/2026-12-08-p1-io.md; not merged, the test
     * guards the same ordering on Netty's path.)
     */
    @Test
    void repliesToAClientThatStopsReadingArriveWholeAndInOrder() throws Exception {
        Random rnd = new Random(7);
        byte[][] values = new byte[5][];
        for (int i = 0; i < values.length; i++) {
            values[i] = new byte[48 * 1024 + i]; // each reply under the 64 KB hand-off: a batch-end write
            rnd.nextBytes(values[i]);
            jedis.set(("v" + i).getBytes(StandardCharsets.US_ASCII), values[i]);
        }
        int requests = 300; // ~14 MB: more than loopback's socket buffers take
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < requests; i++) {
            byte[] v = values[i % values.length];
            expected.write(("$" + v.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            expected.write(v);
            expected.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        expected.write("+PONG\r\n".getBytes(StandardCharsets.US_ASCII));
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(16 * 1024);
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port()));
            s.setSoTimeout(20_000);
            s.setTcpNoDelay(true);
            java.io.OutputStream out = s.getOutputStream();
            for (int i = 0; i < requests; i++) {
                out.write(RespClient.encode("GET".getBytes(StandardCharsets.US_ASCII),
                        ("v" + (i % values.length)).getBytes(StandardCharsets.US_ASCII)));
                out.flush();
                Thread.sleep(1); // separate reads, so separate batches (several in one read pass 64 KB: a hand-off)
            }
            out.write(RespClient.encode("PING".getBytes(StandardCharsets.US_ASCII)));
            out.flush();
            byte[] got = s.getInputStream().readNBytes(expected.size());
            assertThat(got).isEqualTo(expected.toByteArray());
            // Drained: the next reply goes straight out again.
            out.write(RespClient.encode("GET".getBytes(StandardCharsets.US_ASCII), "v1".getBytes(StandardCharsets.US_ASCII)));
            out.flush();
            byte[] header = ("$" + values[1].length + "\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] again = s.getInputStream().readNBytes(header.length + values[1].length + 2);
            assertThat(java.util.Arrays.copyOfRange(again, header.length, header.length + values[1].length)).isEqualTo(values[1]);
        }
    }
}
