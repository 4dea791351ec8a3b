package io.keyline.engine;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class MonitorsTest {
    private static String line(long micros, int db, boolean[] redact, byte[]... argv) {
        return new String(Monitors.line(micros, db, "127.0.0.1:5000", argv, redact), StandardCharsets.ISO_8859_1);
    }

    @Test
    void formatsAsRedisReplicationFeedMonitors() {
        assertThat(line(1_700_000_000_000_042L, 0, null, "set".getBytes(), "k".getBytes(), "v".getBytes()))
                .isEqualTo("+1700000000.000042 [0 127.0.0.1:5000] \"set\" \"k\" \"v\"\r\n");
        assertThat(line(1_700_000_000_123_456L, 15, null, "ping".getBytes()))
                .isEqualTo("+1700000000.123456 [15 127.0.0.1:5000] \"ping\"\r\n");
    }

    @Test
    void quotesAsSdscatrepr() {
        byte[] arg = {'"', '\\', '\n', '\r', '\t', 7, '\b', 0, 0x1f, ' ', '~', 0x7f, (byte) 0xff, 'a'};
        assertThat(line(0, 0, null, arg))
                .isEqualTo("+0.000000 [0 127.0.0.1:5000] \"\\\"\\\\\\n\\r\\t\\a\\b\\x00\\x1f ~\\x7f\\xffa\"\r\n");
        assertThat(line(0, 0, null, new byte[0])).endsWith("] \"\"\r\n");
    }

    @Test
    void redactedArgumentsShowAsRedacted() {
        assertThat(line(0, 0, new boolean[]{false, true}, "auth".getBytes(), "secret".getBytes()))
                .isEqualTo("+0.000000 [0 127.0.0.1:5000] \"auth\" \"(redacted)\"\r\n");
    }
}
