package io.keyline.embed;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.net.Socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedKeylineTest {
    @Test
    void startsOnAFreeLoopbackPortWithSettingsAndStops() {
        int port;
        try (EmbeddedKeyline keyline = EmbeddedKeyline.builder().capacity(2).config("maxmemory-policy", "noeviction").start()) {
            port = keyline.port();
            assertThat(port).isPositive();
            try (Jedis jedis = new Jedis(keyline.host(), port)) {
                jedis.set("a", "1");
                jedis.set("b", "2");
                assertThatThrownBy(() -> jedis.set("c", "3")).hasMessageStartingWith("OOM ");
                assertThat(jedis.configGet("capacity")).containsEntry("capacity", "2");
                assertThat(jedis.configGet("appendonly")).containsEntry("appendonly", "no");
            }
        }
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(IOException.class);
    }
}
