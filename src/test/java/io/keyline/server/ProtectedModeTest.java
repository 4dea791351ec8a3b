package io.keyline.server;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

class ProtectedModeTest {
    private final InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 5000);
    private final InetSocketAddress remote = new InetSocketAddress("192.0.2.10", 5000); // TEST-NET, never contacted

    @Test
    void refusesOnlyRemoteClientsWhenListeningEverywhereWithoutPassword() {
        assertThat(ProtectedMode.refuses(true, false, "* -::*", remote)).isTrue();
        assertThat(ProtectedMode.refuses(true, false, "0.0.0.0", remote)).isTrue();
        assertThat(ProtectedMode.refuses(true, false, "* -::*", loopback)).isFalse();
        assertThat(ProtectedMode.refuses(true, true, "* -::*", remote)).as("password set").isFalse();
        assertThat(ProtectedMode.refuses(false, false, "* -::*", remote)).as("protected-mode no").isFalse();
        assertThat(ProtectedMode.refuses(true, false, "127.0.0.1 10.0.0.5", remote)).as("explicit addresses").isFalse();
    }

    @Test
    void deniedReplyIsOneRedisErrorLine() {
        String s = new String(ProtectedMode.DENIED);
        assertThat(s).startsWith("-DENIED Redis is running in protected mode").endsWith("\r\n");
        assertThat(s.indexOf('\r')).isEqualTo(s.length() - 2);
    }
}
