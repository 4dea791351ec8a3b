package io.keyline.integration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SmokeIT extends ServerTestBase {
    @Test
    void jedisAndLettuceTalkToTheSameServer() {
        assertThat(jedis.ping()).isEqualTo("PONG");
        assertThat(jedis.set("k", "v")).isEqualTo("OK");
        assertThat(lettuce.get("k")).isEqualTo("v");
        assertThat(lettuce.del("k")).isEqualTo(1L);
        assertThat(jedis.get("k")).isNull();
    }

    @Test
    void unknownCommandGetsRedisErrorAndConnectionSurvives() throws Exception {
        assertThat(raw("FOO a b\r\nPING\r\n", 80))
                .isEqualTo("-ERR unknown command 'FOO', with args beginning with: 'a' 'b' \r\n+PONG\r\n");
    }

    @Test
    void wrongArity() {
        assertThatThrownBy(() -> jedis.sendCommand(redis.clients.jedis.Protocol.Command.GET))
                .hasMessage("ERR wrong number of arguments for 'get' command");
    }
}
