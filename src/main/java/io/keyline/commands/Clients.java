package io.keyline.commands;

import io.keyline.engine.Args;
import io.keyline.engine.CallContext;
import io.keyline.engine.Errors;
import io.keyline.engine.RedisException;

/** Helpers about connections shared by CLIENT, CONFIG and DEBUG. */
final class Clients {
    private Clients() {
    }

    /** A loopback connection (Redis's islocalClient), for the "local" setting of protected commands. */
    static boolean isLocal(CallContext c) {
        String addr = c.client().connection().remoteAddress();
        if (addr.isEmpty()) return true; // in-process / detached clients
        return addr.startsWith("127.") || addr.startsWith("0:0:0:0:0:0:0:1") || addr.startsWith("::1");
    }

    /** Redis's "ERR unknown subcommand or wrong number of arguments for 'x'. Try CMD HELP." */
    static RedisException subcommandSyntax(String command, byte[] sub) {
        return new RedisException("ERR unknown subcommand or wrong number of arguments for '"
                + Errors.abbreviate(Args.str(sub)) + "'. Try " + command + " HELP.");
    }
}
