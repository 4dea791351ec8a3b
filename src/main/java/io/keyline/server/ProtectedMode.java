package io.keyline.server;

import io.keyline.util.Words;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Redis's protected mode: with {@code protected-mode yes}, no password, and the server listening on
 * every interface, only loopback clients are let in; others get {@code -DENIED ...} and are closed.
 */
final class ProtectedMode {
    static final byte[] DENIED = ("-DENIED Redis is running in protected mode because protected mode is enabled and no password is set "
            + "for the default user. In this mode connections are only accepted from the loopback interface. If you want to "
            + "connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected "
            + "mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from "
            + "the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do "
            + "so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by "
            + "editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the "
            + "server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. "
            + "4) Set up an authentication password for the default user. NOTE: You only need to do one of the above things in "
            + "order for the server to start accepting connections from the outside.\r\n").getBytes(StandardCharsets.US_ASCII);

    private ProtectedMode() {
    }

    static boolean refuses(boolean protectedMode, boolean passwordSet, String bind, SocketAddress remote) {
        if (!protectedMode || passwordSet || !bindsEverywhere(bind)) return false;
        return !(remote instanceof InetSocketAddress a) || a.getAddress() == null || !a.getAddress().isLoopbackAddress();
    }

    static boolean bindsEverywhere(String bind) {
        for (String raw : Words.split(bind)) {
            String host = raw.startsWith("-") ? raw.substring(1) : raw;
            if (host.equals("*") || host.equals("0.0.0.0") || host.equals("::") || host.equals("::*")) return true;
        }
        return false;
    }
}
