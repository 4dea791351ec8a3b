package io.keyline.integration;

import io.keyline.embed.EmbeddedKeyline;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code requirepass}, a client that has not authenticated may only send small requests
 * (Redis: at most 10 arguments of at most 16 KB), so it cannot make the server buffer large
 * amounts of data before AUTH.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnauthenticatedProtocolIT {
    private EmbeddedKeyline keyline;

    @BeforeAll
    void start() {
        keyline = EmbeddedKeyline.builder().config("requirepass", "pw").start();
    }

    @AfterAll
    void stop() {
        if (keyline != null) keyline.stop();
    }

    private String[] send(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", keyline.port())) {
            s.setSoTimeout(500);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            String state = "open";
            byte[] buf = new byte[4096];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) got.write(buf, 0, n);
                state = "closed";
            } catch (SocketTimeoutException e) {
                // still open
            } catch (SocketException e) {
                state = "closed";
            }
            return new String[]{got.toString(StandardCharsets.ISO_8859_1), state};
        }
    }

    @Test
    void tooManyArgumentsBeforeAuth() throws IOException {
        assertThat(send("*11\r\n")).containsExactly("-ERR Protocol error: unauthenticated multibulk length\r\n", "closed");
        assertThat(send("*10\r\n")).containsExactly("", "open");
    }

    @Test
    void tooLongArgumentBeforeAuth() throws IOException {
        assertThat(send("*1\r\n$16385\r\n")).containsExactly("-ERR Protocol error: unauthenticated bulk length\r\n", "closed");
        assertThat(send("*1\r\n$16384\r\n")).containsExactly("", "open");
    }

    @Test
    void limitsLiftedRightAfterAuthInTheSameBatch() throws IOException {
        assertThat(send("*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n*11\r\n")).containsExactly("+OK\r\n", "open");
        assertThat(send("*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n*1\r\n$16385\r\n")).containsExactly("+OK\r\n", "open");
        String big = "x".repeat(20_000);
        assertThat(send("AUTH pw\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$20000\r\n" + big + "\r\n")[0]).isEqualTo("+OK\r\n+OK\r\n");
    }

    @Test
    void smallCommandsGetNoauth() throws IOException {
        assertThat(send("GET a\r\n")).containsExactly("-NOAUTH Authentication required.\r\n", "open");
    }
}
