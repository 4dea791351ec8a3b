package io.keyline.integration;

import io.keyline.testkit.RespClient;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that stops reading while it keeps sending small commands: each read batch's replies wait in
 * Netty's queue behind the unsent output, and must keep only their own bytes there, not the 16.5 KB a
 * batch's reply buffer starts with (4,000 PINGs would otherwise hold tens of MB of direct memory).
 */
class ReplyBacklogIT extends ServerTestBase {
    @Test
    void smallRepliesQueuedBehindUnsentOutputKeepOnlyTheirOwnSize() throws Exception {
        jedis.set("big".getBytes(StandardCharsets.US_ASCII), new byte[4 << 20]);
        var metric = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress("127.0.0.1", port()));
            OutputStream out = s.getOutputStream();
            out.write(RespClient.encode("GET".getBytes(StandardCharsets.US_ASCII), "big".getBytes(StandardCharsets.US_ASCII)));
            out.flush(); // 4 MB this client never reads: most of it stays in Netty's queue
            Thread.sleep(300);
            long before = metric.usedDirectMemory();
            byte[] ping = "PING\r\n".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 4000; i++) {
                out.write(ping); // one small read batch each, most of the time
                out.flush();
                if (i % 2 == 0) Thread.sleep(1);
            }
            Thread.sleep(500);
            assertThat(respValue("PING")).isEqualTo("PONG"); // the loop has run every batch read before
            long grown = metric.usedDirectMemory() - before;
            assertThat(grown).as("direct memory held by 4,000 queued PONG batches").isLessThan(4L << 20);
        }
    }
}
