package io.keyline.integration;

import io.keyline.embed.EmbeddedKeyline;
import io.keyline.testkit.RespClient;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * client-output-buffer-limit: a subscriber that stops reading is disconnected (hard limit at once,
 * soft limit after its seconds) while the other subscribers keep receiving every message.
 */
class OutputBufferLimitIT extends ServerTestBase {
    @Override
    protected void configure(EmbeddedKeyline.Builder builder) {
        builder.config("client-output-buffer-limit", "pubsub 1mb 512kb 1").config("io-threads", "2");
    }

    /** A subscriber socket that never reads (small receive buffer, so the server's side fills up quickly). */
    private Socket stuckSubscriber(String channel) throws Exception {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", port()));
        s.getOutputStream().write(RespClient.encode("CLIENT".getBytes(), "SETNAME".getBytes(), "slow".getBytes()));
        s.getOutputStream().write(RespClient.encode("SUBSCRIBE".getBytes(), channel.getBytes()));
        s.getOutputStream().flush();
        return s;
    }

    /** Reads everything arriving on {@code in} in a daemon thread, counting the bytes. */
    private static AtomicLong drainInBackground(InputStream in) {
        AtomicLong n = new AtomicLong();
        Thread t = new Thread(() -> {
            byte[] buf = new byte[1 << 16];
            try {
                int r;
                while ((r = in.read(buf)) >= 0) n.addAndGet(r);
            } catch (Exception ignored) {
                // socket closed at the end of the test
            }
        });
        t.setDaemon(true);
        t.start();
        return n;
    }

    private long stat(String name) throws Exception {
        String info = (String) respValue("INFO", "stats");
        for (String line : info.split("\r\n")) if (line.startsWith(name + ":")) return Long.parseLong(line.substring(name.length() + 1));
        throw new AssertionError(name + " not in INFO");
    }

    private long memClients() {
        String info = (String) respValue("INFO", "memory");
        for (String line : info.split("\r\n")) if (line.startsWith("mem_clients_normal:")) return Long.parseLong(line.substring(19));
        throw new AssertionError("mem_clients_normal not in INFO");
    }

    @Test
    void hardLimitDisconnectsTheSlowSubscriberAndTheOthersGetEveryMessage() throws Exception {
        long before = stat("client_output_buffer_limit_disconnections");
        long baseline = memClients(); // this test's clients connected below are counted when they are there
        byte[] msg = new byte[100_000];
        java.util.Arrays.fill(msg, (byte) 'x');
        try (Socket slow = stuckSubscriber("big"); Socket good = new Socket("127.0.0.1", port()); RespClient pub = new RespClient(port())) {
            good.getOutputStream().write(RespClient.encode("SUBSCRIBE".getBytes(), "big".getBytes()));
            pub.request("CLIENT", "SETNAME", "pub");
            AtomicLong received = drainInBackground(good.getInputStream());
            pub.timeout(Duration.ofSeconds(10));
            long deadline = System.currentTimeMillis() + 20_000;
            while (!java.util.List.of("big", 2L).equals(respValue("PUBSUB", "NUMSUB", "big"))) {
                assertThat(System.currentTimeMillis()).isLessThan(deadline);
                Thread.sleep(10);
            }
            long frame = ("*3\r\n$7\r\nmessage\r\n$3\r\nbig\r\n$100000\r\n").length() + 100_000 + 2;
            int published = 0;
            long receivers;
            do {
                assertThat(System.currentTimeMillis()).as("slow subscriber still connected").isLessThan(deadline);
                receivers = pub.request("PUBLISH".getBytes(), "big".getBytes(), msg).asLong();
                published++;
                // The good subscriber keeps up (a few messages behind at most); the slow one never reads.
                while (received.get() < (published - 3) * frame && System.currentTimeMillis() < deadline) Thread.sleep(1);
            } while (receivers == 2);
            assertThat(receivers).isEqualTo(1);
            // Far less than unbounded: the 1mb hard limit cut it off after a few megabytes at most.
            assertThat(published).isLessThan(200);
            assertThat(stat("client_output_buffer_limit_disconnections")).isEqualTo(before + 1);

            int more = 50;
            for (int i = 0; i < more; i++) {
                assertThat(pub.request("PUBLISH".getBytes(), "big".getBytes(), msg).asLong()).isEqualTo(1);
                while (received.get() < (published + i - 3) * frame && System.currentTimeMillis() < deadline) Thread.sleep(1);
            }
            long expected = (published + more) * frame;
            long until = System.currentTimeMillis() + 20_000;
            while (received.get() < expected && System.currentTimeMillis() < until) Thread.sleep(10);
            long confirmation = "*3\r\n$9\r\nsubscribe\r\n$3\r\nbig\r\n:1\r\n".length();
            assertThat(received.get()).isEqualTo(expected + confirmation);
            // the slow one was closed by the server
            slow.setSoTimeout(10_000);
            InputStream in = slow.getInputStream();
            byte[] buf = new byte[1 << 16];
            try {
                while (in.read(buf) >= 0) {
                    // drain what was written before the close
                }
            } catch (java.net.SocketException reset) {
                // a reset is a close too
            }
        }
        // The server's memory returns to its baseline: nothing of the slow subscriber's megabytes is
        // held once the three sockets are gone (clients' memory as INFO counts it, output included).
        long until = System.currentTimeMillis() + 10_000;
        while (memClients() > baseline + 8 * 1024 && System.currentTimeMillis() < until) Thread.sleep(20);
        assertThat(memClients()).isLessThanOrEqualTo(baseline + 8 * 1024);
    }

    @Test
    void softLimitDisconnectsAfterItsSecondsAndOmemShowsThePendingOutput() throws Exception {
        respValue("CONFIG", "SET", "client-output-buffer-limit", "pubsub 0 256kb 1");
        long before = stat("client_output_buffer_limit_disconnections");
        byte[] msg = new byte[64_000];
        try (Socket slow = stuckSubscriber("soft"); RespClient pub = new RespClient(port())) {
            Thread.sleep(100);
            long start = System.currentTimeMillis();
            long omemSeen = 0;
            long receivers = 1;
            while (receivers == 1) {
                assertThat(System.currentTimeMillis() - start).as("closed by the soft limit").isLessThan(15_000);
                receivers = pub.request("PUBLISH".getBytes(), "soft".getBytes(), msg).asLong();
                String list = (String) respValue("CLIENT", "LIST", "TYPE", "pubsub");
                for (String f : list.split(" ")) if (f.startsWith("omem=")) omemSeen = Math.max(omemSeen, Long.parseLong(f.substring(5)));
                Thread.sleep(50);
            }
            long took = System.currentTimeMillis() - start;
            assertThat(omemSeen).isGreaterThan(256_000);
            assertThat(took).as("the soft limit allows its seconds first").isGreaterThan(1_000);
            assertThat(stat("client_output_buffer_limit_disconnections")).isEqualTo(before + 1);
            String info = (String) respValue("INFO", "clients");
            assertThat(info).contains("client_recent_max_output_buffer:");
        } finally {
            respValue("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 512kb 1");
        }
        assertThat(respValue("CONFIG", "GET", "client-output-buffer-limit")).isEqualTo(java.util.List.of(
                "client-output-buffer-limit", "normal 0 0 0 slave 268435456 67108864 60 pubsub 1048576 524288 1"));
    }

    @Test
    void normalClassLimitsReplies() throws Exception {
        respValue("CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 0 0");
        try {
            long before = stat("client_output_buffer_limit_disconnections");
            byte[] value = new byte[100_000];
            java.util.Arrays.fill(value, (byte) 'v');
            jedis.set("big".getBytes(), value);
            try (Socket s = new Socket()) {
                s.setReceiveBufferSize(4096);
                s.connect(new InetSocketAddress("127.0.0.1", port()));
                byte[] get = RespClient.encode("GET".getBytes(), "big".getBytes());
                // pipelined GETs, never read: the replies pile up on the server until the hard limit
                long deadline = System.currentTimeMillis() + 20_000;
                int sent = 0;
                while (stat("client_output_buffer_limit_disconnections") == before) {
                    assertThat(System.currentTimeMillis()).as("disconnected by the normal class's hard limit").isLessThan(deadline);
                    try {
                        for (int i = 0; i < 10; i++) s.getOutputStream().write(get);
                        sent += 10;
                    } catch (java.io.IOException closed) {
                        break;
                    }
                    Thread.sleep(5);
                }
                assertThat(sent).isLessThan(10_000);
            }
            long until = System.currentTimeMillis() + 10_000;
            while (stat("client_output_buffer_limit_disconnections") == before && System.currentTimeMillis() < until) Thread.sleep(10);
            assertThat(stat("client_output_buffer_limit_disconnections")).isEqualTo(before + 1);
            assertThat(jedis.ping()).isEqualTo("PONG"); // others unaffected (their replies stay small)
        } finally {
            respValue("CONFIG", "SET", "client-output-buffer-limit", "normal 0 0 0");
        }
    }
}
