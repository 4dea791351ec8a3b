package io.keyline.testkit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test client against a scripted fake server: encoding, every RESP2/RESP3 type, raw bytes, close, timeouts. */
class RespClientTest {
    private ServerSocket listener;
    private Socket serverSide;

    @BeforeEach
    void listen() throws IOException {
        listener = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void closeAll() throws IOException {
        if (serverSide != null) serverSide.close();
        listener.close();
    }

    private RespClient connect() throws Exception {
        CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
            try {
                return listener.accept();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        RespClient client = new RespClient(listener.getLocalPort());
        serverSide = accepted.get(5, TimeUnit.SECONDS);
        return client;
    }

    private void serverWrites(String bytes) throws IOException {
        serverSide.getOutputStream().write(bytes.getBytes(StandardCharsets.UTF_8));
        serverSide.getOutputStream().flush();
    }

    private byte[] serverReads(int n) throws IOException {
        serverSide.setSoTimeout(5000);
        return serverSide.getInputStream().readNBytes(n);
    }

    @Test
    void sendsArgvAsMultibulkIncludingBinaryArguments() throws Exception {
        try (RespClient c = connect()) {
            c.send("SET", "k", "vé");
            String expected = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\nvé\r\n";
            assertThat(new String(serverReads(expected.getBytes(StandardCharsets.UTF_8).length), StandardCharsets.UTF_8))
                    .isEqualTo(expected);
            c.send(new byte[]{'G', 'E', 'T'}, new byte[]{0, (byte) 0xff});
            byte[] got = serverReads(21);
            byte[] want = RespClient.encode("GET".getBytes(StandardCharsets.US_ASCII), new byte[]{0, (byte) 0xff});
            assertThat(got).isEqualTo(want);
            assertThat(new String(Arrays.copyOf(want, 11), StandardCharsets.ISO_8859_1)).isEqualTo("*2\r\n$3\r\nGET");
            c.sendRaw("PING\r\n");
            assertThat(serverReads(6)).isEqualTo("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void parsesResp2RepliesAndKeepsTheirExactBytes() throws Exception {
        try (RespClient c = connect()) {
            serverWrites("+OK\r\n-ERR bad\r\n:42\r\n$4\r\na\r\nb\r\n$-1\r\n*-1\r\n*3\r\n:1\r\n*1\r\n$1\r\nx\r\n-WRONGTYPE no\r\n");
            Reply ok = c.read();
            assertThat(ok.type()).isEqualTo('+');
            assertThat(ok.string()).isEqualTo("OK");
            Reply err = c.read();
            assertThat(err.isError()).isTrue();
            assertThat(err.toJava()).isEqualTo("!ERR bad");
            assertThat(c.read().asLong()).isEqualTo(42);
            Reply bulk = c.read();
            assertThat(bulk.string()).isEqualTo("a\r\nb");
            assertThat(bulk.text()).isEqualTo("$4\r\na\r\nb\r\n");
            assertThat(c.read().isNull()).isTrue();
            Reply nullArray = c.read();
            assertThat(nullArray.isNull()).isTrue();
            assertThat(nullArray.text()).isEqualTo("*-1\r\n");
            Reply nested = c.read();
            assertThat(nested.text()).isEqualTo("*3\r\n:1\r\n*1\r\n$1\r\nx\r\n-WRONGTYPE no\r\n");
            assertThat(nested.toJava()).isEqualTo(List.of(1L, List.of("x"), "!WRONGTYPE no"));
        }
    }

    @Test
    void parsesResp3Types() throws Exception {
        try (RespClient c = connect()) {
            serverWrites("%2\r\n+a\r\n:1\r\n$1\r\nb\r\n,1.5\r\n"
                    + "~2\r\n+x\r\n+y\r\n_\r\n#t\r\n#f\r\n(12345678901234567890\r\n=7\r\ntxt:abc\r\n"
                    + "!5\r\nERR x\r\n,-inf\r\n>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n"
                    + "|1\r\n+key-popularity\r\n*2\r\n$1\r\na\r\n,0.1\r\n$5\r\nvalue\r\n");
            Reply map = c.read();
            assertThat(map.type()).isEqualTo('%');
            assertThat(map.asMap()).containsOnlyKeys("a", "b");
            assertThat(map.asMap().get("b").string()).isEqualTo("1.5");
            Reply set = c.read();
            assertThat(set.type()).isEqualTo('~');
            assertThat(set.toJava()).isEqualTo(List.of("x", "y"));
            Reply nul = c.read();
            assertThat(nul.type()).isEqualTo('_');
            assertThat(nul.isNull()).isTrue();
            assertThat(c.read().value()).isEqualTo(true);
            assertThat(c.read().value()).isEqualTo(false);
            assertThat(c.read().value()).isEqualTo(new BigInteger("12345678901234567890"));
            assertThat(c.read().string()).isEqualTo("txt:abc");
            Reply blobError = c.read();
            assertThat(blobError.isError()).isTrue();
            assertThat(blobError.toJava()).isEqualTo("!ERR x");
            assertThat(c.read().string()).isEqualTo("-inf");
            Reply push = c.read();
            assertThat(push.isPush()).isTrue();
            assertThat(push.toJava()).isEqualTo(List.of("message", "ch", "hi"));
            Reply withAttribute = c.read();
            assertThat(withAttribute.string()).isEqualTo("value");
            assertThat(withAttribute.attributes()).hasSize(2);
            assertThat(withAttribute.attributes().get(0).string()).isEqualTo("key-popularity");
            assertThat(withAttribute.text()).startsWith("|1\r\n").endsWith("$5\r\nvalue\r\n");
        }
    }

    @Test
    void inlineReturnsEverythingBeforeTheMarkerReply() throws Exception {
        try (RespClient c = connect()) {
            CompletableFuture<byte[]> request = CompletableFuture.supplyAsync(() -> {
                try {
                    InputStream in = serverSide.getInputStream();
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    String want = "PING\r\nECHO __end_of_replies__\r\n";
                    while (got.size() < want.length()) got.write(in.read());
                    serverWrites("+PONG\r\n$18\r\n__end_of_replies__\r\n");
                    return got.toByteArray();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(c.inline("PING")).isEqualTo("+PONG\r\n");
            assertThat(new String(request.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8))
                    .isEqualTo("PING\r\nECHO __end_of_replies__\r\n");
        }
    }

    @Test
    void readTimesOutWhileTheServerStaysSilent() throws Exception {
        try (RespClient c = connect()) {
            c.timeout(Duration.ofMillis(100));
            assertThatThrownBy(c::read).isInstanceOf(SocketTimeoutException.class);
            assertThat(c.closedByServer()).isFalse();
            RespClient.Drained drained = c.drain();
            assertThat(drained.closed()).isFalse();
            assertThat(drained.bytes()).isEmpty();
        }
    }

    @Test
    void detectsTheServerClosingTheConnection() throws Exception {
        try (RespClient c = connect()) {
            serverWrites("+OK\r\n$10\r\nabc");
            serverSide.close();
            assertThat(c.read().string()).isEqualTo("OK");
            assertThatThrownBy(c::read).isInstanceOf(RespClient.ServerClosedException.class);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void drainReturnsAllBytesUntilClose() throws Exception {
        try (RespClient c = connect()) {
            serverWrites("-ERR Protocol error: x\r\n");
            serverSide.close();
            RespClient.Drained drained = c.drain();
            assertThat(drained.closed()).isTrue();
            assertThat(drained.text()).isEqualTo("-ERR Protocol error: x\r\n");
        }
    }
}
