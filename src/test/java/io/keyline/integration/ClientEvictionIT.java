package io.keyline.integration;

import io.keyline.embed.EmbeddedKeyline;
import io.keyline.testkit.RespClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisConnectionException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * maxmemory-clients (Redis 7.2's client eviction, tests/unit/client-eviction.tcl): a client whose
 * query buffer, partly parsed arguments, MULTI queue or output grows past the limit is closed, the
 * biggest first; CLIENT NO-EVICT exempts one; the others and the server carry on; INFO counts it.
 */
class ClientEvictionIT extends ServerTestBase {
    @Override
    protected void configure(EmbeddedKeyline.Builder builder) {
        builder.config("io-threads", "2");
    }

    @AfterEach
    void limitOff() {
        try (Jedis j = newJedis()) {
            j.configSet("maxmemory-clients", "0");
            j.configSet("maxmemory", "0");
        }
    }

    private long info(String section, String name) {
        String info = jedis.info(section);
        for (String line : info.split("\r\n")) if (line.startsWith(name + ":")) return Long.parseLong(line.substring(name.length() + 1));
        throw new AssertionError(name + " not in INFO " + section);
    }

    private static long field(String clientLine, String name) {
        for (String f : clientLine.trim().split(" ")) if (f.startsWith(name + "=")) return Long.parseLong(f.substring(name.length() + 1));
        throw new AssertionError(name + " not in " + clientLine);
    }

    private String clientLineNamed(String name) {
        for (String line : jedis.clientList().split("\n")) if (line.contains(" name=" + name + " ")) return line;
        return null;
    }

    private static Socket connect(int port, String name) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", port));
        s.setSoTimeout(10_000);
        s.getOutputStream().write(RespClient.encode("CLIENT".getBytes(), "SETNAME".getBytes(), name.getBytes()));
        s.getOutputStream().flush();
        byte[] ok = s.getInputStream().readNBytes(5);
        assertThat(new String(ok, StandardCharsets.US_ASCII)).isEqualTo("+OK\r\n");
        return s;
    }

    /** True once the server closed the socket (read sees end of stream or a reset). */
    private static boolean closedByServer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[1 << 16];
        try {
            while (true) {
                int n = in.read(buf);
                if (n < 0) return true;
            }
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    private void noEvict(Jedis j) {
        assertThat(j.sendCommand(Protocol.Command.CLIENT, "NO-EVICT", "ON")).isEqualTo("OK".getBytes());
    }

    @Test
    void clientWithBigQueryBufferIsEvictedAndCountersMove() throws Exception {
        long evictedBefore = info("stats", "evicted_clients");
        jedis.configSet("maxmemory-clients", "3mb"); // the buffer's allocation (qbuf-free) counts too, as Redis
        try (Socket big = connect(port(), "qbuf")) {
            OutputStream out = big.getOutputStream();
            // A bulk argument of 4 MB announced and sent in part: it sits in the query buffer.
            out.write("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4000000\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'q');
            long sent = 0;
            String line = null;
            for (int i = 0; i < 8; i++) { // 512 KB, under the limit: visible in CLIENT LIST
                out.write(chunk);
                sent += chunk.length;
            }
            out.flush();
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline) {
                line = clientLineNamed("qbuf");
                if (line != null && field(line, "qbuf") >= 500_000) break;
                Thread.sleep(10);
            }
            assertThat(line).as("not evicted under the limit").isNotNull();
            assertThat(field(line, "qbuf")).isGreaterThanOrEqualTo(500_000);
            assertThat(field(line, "tot-mem")).isGreaterThan(field(line, "qbuf") + field(line, "qbuf-free"));
            assertThat(info("memory", "mem_clients_normal")).isGreaterThan(500_000);
            try {
                while (sent < 3_900_000) {
                    out.write(chunk);
                    out.flush();
                    sent += chunk.length;
                }
            } catch (IOException closed) {
                // the server closed it while we were still sending
            }
            assertThat(closedByServer(big)).isTrue();
        }
        assertThat(info("stats", "evicted_clients")).isEqualTo(evictedBefore + 1);
        assertThat(jedis.ping()).isEqualTo("PONG");
        assertThat(jedis.get("k")).isNull();
        assertThat(clientLineNamed("qbuf")).isNull();
        assertThat(info("memory", "mem_clients_normal")).isLessThan(200_000); // its memory was given back
    }

    @Test
    void partlyParsedArgumentsCountAsArgvMem() throws Exception {
        long evictedBefore = info("stats", "evicted_clients");
        try (Socket big = connect(port(), "argv")) {
            OutputStream out = big.getOutputStream();
            out.write("*100001\r\n$5\r\nRPUSH\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] arg = ("$100\r\n" + "a".repeat(100) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 3000; i++) out.write(arg);
            out.flush();
            String line = null;
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline) {
                line = clientLineNamed("argv");
                if (line != null && field(line, "argv-mem") >= 300_005) break;
                Thread.sleep(10);
            }
            assertThat(field(line, "argv-mem")).isEqualTo(5 + 300_000);
            assertThat(field(line, "tot-mem")).isGreaterThan(300_005);
            jedis.configSet("maxmemory-clients", "200kb"); // CONFIG SET applies at once
            assertThat(closedByServer(big)).isTrue();
        }
        assertThat(info("stats", "evicted_clients")).isEqualTo(evictedBefore + 1);
        assertThat(jedis.exists("argv")).isFalse();
    }

    @Test
    void bigMultiQueueIsEvictedButNoEvictClientSurvives() {
        long evictedBefore = info("stats", "evicted_clients");
        noEvict(jedis);
        jedis.configSet("maxmemory-clients", "2mb");
        byte[] value = new byte[100_000];
        Arrays.fill(value, (byte) 'm');
        Jedis evictable = newJedis();
        try (Jedis protectedOne = newJedis()) {
            noEvict(protectedOne);
            protectedOne.clientSetname("protected");
            Transaction kept = protectedOne.multi();
            for (int i = 0; i < 15; i++) kept.set(("p" + i).getBytes(), value); // 1.5 MB queued: under the limit
            String line = clientLineNamed("protected");
            long deadline = System.currentTimeMillis() + 10_000;
            // Jedis keeps the last command in its output buffer until it reads: 14 arrive for sure
            while (field(line, "multi") < 14 && System.currentTimeMillis() < deadline) line = clientLineNamed("protected");
            assertThat(line).contains("flags=xe ");
            long queued = field(line, "multi");
            assertThat(queued).isGreaterThanOrEqualTo(14);
            assertThat(field(line, "multi-mem")).isGreaterThan(queued * 100_000);

            evictable.clientSetname("evictable");
            Transaction t = evictable.multi();
            assertThatThrownBy(() -> {
                for (int i = 0; i < 30; i++) t.set(("e" + i).getBytes(), value);
                t.exec();
            }).isInstanceOf(JedisConnectionException.class);
            assertThat(kept.exec()).hasSize(15); // the NO-EVICT one was spared though bigger than the limit left
            assertThat(protectedOne.exists("p14")).isTrue();
        } finally {
            try {
                evictable.close();
            } catch (JedisConnectionException closedByServer) {
                // evicted
            }
        }
        assertThat(info("stats", "evicted_clients")).isEqualTo(evictedBefore + 1);
        assertThat(jedis.exists("e0")).isFalse();
        jedis.sendCommand(Protocol.Command.CLIENT, "NO-EVICT", "OFF");
    }

    @Test
    void clientWithBigOutputIsEvictedByPercentOfMaxmemory() throws Exception {
        long evictedBefore = info("stats", "evicted_clients");
        byte[] value = new byte[200_000];
        Arrays.fill(value, (byte) 'v');
        jedis.set("big".getBytes(), value);
        jedis.configSet("maxmemory", "100mb");
        jedis.configSet("maxmemory-clients", "2%"); // 2 MB
        assertThat(jedis.configGet("maxmemory-clients")).containsEntry("maxmemory-clients", "2%");
        try (Socket reader = connect(port(), "omem")) {
            byte[] get = RespClient.encode("GET".getBytes(), "big".getBytes());
            OutputStream out = reader.getOutputStream();
            try {
                for (int i = 0; i < 50; i++) out.write(get); // 10 MB of replies, never read
                out.flush();
            } catch (IOException closed) {
                // closed already
            }
            long deadline = System.currentTimeMillis() + 10_000;
            while (info("stats", "evicted_clients") == evictedBefore && System.currentTimeMillis() < deadline) Thread.sleep(10);
            assertThat(closedByServer(reader)).isTrue();
        }
        assertThat(info("stats", "evicted_clients")).isEqualTo(evictedBefore + 1);
        assertThat(jedis.strlen("big")).isEqualTo(200_000);
    }

    @Test
    void biggestClientGoesFirstAndOnlyUntilUnderTheLimit() throws Exception {
        long evictedBefore = info("stats", "evicted_clients");
        try (Socket small = connect(port(), "small"); Socket large = connect(port(), "large")) {
            small.getOutputStream().write("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4000000\r\n".getBytes(StandardCharsets.US_ASCII));
            small.getOutputStream().write(new byte[300_000]);
            large.getOutputStream().write("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4000000\r\n".getBytes(StandardCharsets.US_ASCII));
            large.getOutputStream().write(new byte[600_000]);
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline) {
                String s = clientLineNamed("small");
                String l = clientLineNamed("large");
                if (s != null && l != null && field(s, "qbuf") >= 300_000 && field(l, "qbuf") >= 600_000) break;
                Thread.sleep(10);
            }
            long total = info("memory", "mem_clients_normal");
            // a limit the two together exceed but the small one alone stays under
            jedis.configSet("maxmemory-clients", Long.toString(total - 400_000));
            assertThat(closedByServer(large)).isTrue();
            small.setSoTimeout(500);
            assertThat(closedByServer(small)).isFalse();
            assertThat(clientLineNamed("small")).isNotNull();
        }
        assertThat(info("stats", "evicted_clients")).isEqualTo(evictedBefore + 1);
    }
}
