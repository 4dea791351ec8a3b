package io.keyline.embed.junit;

import io.keyline.embed.EmbeddedKeyline;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.net.Socket;

import static org.assertj.core.api.Assertions.assertThat;

/** The programmatic form, one server per class: later tests see earlier tests' keys, then it stops. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeylineExtensionPerClassTest {
    @RegisterExtension
    static KeylineExtension keyline = KeylineExtension.builder()
            .config("maxmemory-policy", "allkeys-lru")
            .config("databases", "4")
            .perClass()
            .build();

    private static EmbeddedKeyline first;

    @Test
    @Order(1)
    void startsWithTheGivenConfigOnALoopbackPort() {
        first = keyline.server();
        assertThat(keyline.host()).isEqualTo("127.0.0.1");
        try (Jedis jedis = new Jedis(keyline.host(), keyline.port())) {
            assertThat(jedis.configGet("maxmemory-policy")).containsEntry("maxmemory-policy", "allkeys-lru");
            assertThat(jedis.configGet("databases")).containsEntry("databases", "4");
            jedis.set("written-by-test-1", "yes");
        }
    }

    @Test
    @Order(2)
    void laterTestsShareTheSameServer(EmbeddedKeyline injected, @KeylinePort int port) {
        assertThat(injected).isSameAs(first).isSameAs(keyline.server());
        assertThat(port).isEqualTo(first.port());
        try (Jedis jedis = new Jedis(injected.host(), port)) {
            assertThat(jedis.get("written-by-test-1")).isEqualTo("yes");
        }
    }

    @Nested
    class NestedTests {
        @Test
        void seeTheEnclosingClassServer() {
            assertThat(keyline.server()).isSameAs(first);
        }
    }

    @Test
    @Order(3)
    void theServerOutlivesANestedClass() {
        assertThat(keyline.server()).isSameAs(first);
    }

    @AfterAll
    static void stillRunningUntilTheExtensionStopsIt() throws IOException {
        new Socket("127.0.0.1", first.port()).close();
    }
}
