package io.keyline.integration;

import io.keyline.embed.EmbeddedKeyline;
import io.keyline.testkit.RespClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

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
        try (RespClient c = new RespClient(keyline.port())) {
            c.timeout(Duration.ofMillis(500)).sendRaw(request.getBytes(StandardCharsets.ISO_8859_1));
            RespClient.Drained got = c.drain();
            return new String[]{got.text(StandardCharsets.ISO_8859_1), got.closed() ? "closed" : "open"};
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
