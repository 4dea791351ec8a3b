package io.keyline.commands;

import io.keyline.engine.Args;
import io.keyline.engine.CallContext;
import io.keyline.engine.CommandTable;
import io.keyline.engine.Errors;
import io.keyline.engine.Handler;
import io.keyline.engine.RedisException;
import io.keyline.engine.ServerContext;

import io.keyline.engine.CommandSpec.Flag;
import io.keyline.protocol.ReplyWriter;

/** PING, ECHO, HELLO, AUTH, SELECT, QUIT, RESET. CLIENT lives in {@link ClientCommands}. */
final class ConnectionCommands {
    private ConnectionCommands() {
    }

    static void register(CommandTable t) {
        t.command("ping", -1).flags(Flag.FAST, Flag.REFUSED_ON_DISK_ERROR, Flag.ALLOWED_IN_SUBSCRIBED_CONTEXT).acl("connection").group("connection")
                .doc("Returns the server's liveliness response.", "1.0.0", "O(1)")
                .tips("request_policy:all_shards", "response_policy:all_succeeded")
                .handler(Op.PING);
        t.command("echo", 2).flags(Flag.LOADING, Flag.STALE, Flag.FAST).acl("connection").group("connection")
                .doc("Returns the given string.", "1.0.0", "O(1)").handler(Op.ECHO);
        t.command("hello", -1).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE, Flag.FAST, Flag.NO_AUTH, Flag.ALLOW_BUSY)
                .acl("connection").group("connection")
                .doc("Handshakes with the Redis server.", "6.0.0", "O(1)").handler(Op.HELLO);
        t.command("auth", -2).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE, Flag.FAST, Flag.NO_AUTH, Flag.ALLOW_BUSY)
                .acl("connection").group("connection")
                .doc("Authenticates the connection.", "1.0.0", "O(N) where N is the number of passwords defined for the user")
                .handler(Op.AUTH);
        t.command("select", 2).flags(Flag.LOADING, Flag.STALE, Flag.FAST).acl("connection").group("connection")
                .doc("Changes the selected database.", "1.0.0", "O(1)").handler(Op.SELECT);
        t.command("quit", -1).flags(Flag.ALLOW_BUSY, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE, Flag.FAST, Flag.NO_AUTH,
                        Flag.NOT_QUEUED, Flag.ENDS_TRANSACTION, Flag.ALLOWED_IN_SUBSCRIBED_CONTEXT)
                .acl("connection").group("connection")
                .doc("Closes the connection.", "1.0.0", "O(1)").handler(Op.QUIT);
        t.command("reset", 1).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE, Flag.FAST, Flag.NO_AUTH, Flag.ALLOW_BUSY,
                        Flag.NOT_QUEUED, Flag.ENDS_TRANSACTION, Flag.ALLOWED_IN_SUBSCRIBED_CONTEXT)
                .acl("connection").group("connection")
                .doc("Resets the connection.", "6.2.0", "O(1)").handler(Op.RESET);
    }

    /** PING [message] */
    static void ping(CallContext c, byte[][] argv) {
        if (argv.length > 2) throw Errors.wrongArgs("ping");
        if (c.client().pubsub() && c.protocol() == 2) {
            // As Redis: a subscribed RESP2 connection reads replies as messages, so PING answers like one.
            c.reply.arrayHeader(2);
            c.reply.bulk("pong");
            c.reply.bulk(argv.length == 2 ? argv[1] : io.keyline.util.Bytes.EMPTY);
            return;
        }
        if (argv.length == 2) c.reply.bulk(argv[1]);
        else c.reply.pong();
    }

    /** HELLO [protover [AUTH username password] [SETNAME clientname]] */
    static void hello(CallContext c, byte[][] argv) {
        int proto = c.protocol();
        int i = 1;
        if (argv.length > 1) {
            Long v = io.keyline.util.Bytes.parseLongOrError(argv[1]);
            if (v == null) throw new RedisException("ERR Protocol version is not an integer or out of range");
            if (v < 2 || v > 3) throw new RedisException("NOPROTO unsupported protocol version");
            proto = v.intValue();
            i = 2;
        }
        // Parse every option first, then authenticate, then validate the name (Redis's order).
        String setName = null;
        String user = null;
        byte[] pass = null;
        for (; i < argv.length; i++) {
            int more = argv.length - 1 - i;
            if (Args.is(argv[i], "auth") && more >= 2) {
                user = latin1(argv[i + 1]);
                pass = argv[i + 2];
                i += 2;
            } else if (Args.is(argv[i], "setname") && more >= 1) {
                setName = Args.str(argv[i + 1]);
                i++;
            } else {
                throw new RedisException("ERR Syntax error in HELLO option '" + Args.str(argv[i]) + "'");
            }
        }
        if (user != null && !c.server().acl().authenticate(c.client(), user, pass, latin1(argv[0]))) {
            throw new RedisException(Errors.WRONGPASS);
        }
        if (!c.client().authenticated()) {
            throw new RedisException("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time");
        }
        if (setName != null) ClientCommands.validateName(setName);
        if (setName != null) c.client().name(setName);
        c.client().protocol(proto);
        ReplyWriter r = c.reply;
        r.mapHeader(7);
        r.bulk("server");
        r.bulk("redis");
        r.bulk("version");
        r.bulk(ServerContext.VERSION);
        r.bulk("proto");
        r.integer(proto);
        r.bulk("id");
        r.integer(c.id());
        r.bulk("mode");
        r.bulk("standalone");
        r.bulk("role");
        r.bulk("master");
        r.bulk("modules");
        r.emptyArray();
    }

    /** A name as the ACL keeps it: its bytes as ISO-8859-1 characters. */
    private static String latin1(byte[] b) {
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** AUTH [username] password */
    static void auth(CallContext c, byte[][] argv) {
        if (argv.length > 3) throw Errors.syntax();
        ServerContext s = c.server();
        if (argv.length == 2 && s.acl().defaultNoPass()) {
            throw new RedisException("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?");
        }
        String user = argv.length == 3 ? latin1(argv[1]) : "default";
        if (!s.acl().authenticate(c.client(), user, argv[argv.length - 1], latin1(argv[0]))) {
            throw new RedisException(Errors.WRONGPASS);
        }
        c.reply.ok();
    }

    /** SELECT index */
    static void select(CallContext c, byte[][] argv) {
        long v = Args.toLong(argv[1]);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new RedisException("ERR value is out of range, value must between -2147483648 and 2147483647");
        }
        int idx = (int) v;
        if (idx < 0 || idx >= c.server().keyspace().databaseCount()) throw new RedisException(Errors.DB_INDEX);
        c.select(idx);
        c.reply.ok();
    }

    /** QUIT */
    static void quit(CallContext c, byte[][] argv) {
        c.reply.ok();
        c.client().closeAfterReply(true);
    }

    /** RESET */
    static void reset(CallContext c, byte[][] argv) {
        c.server().watches().unwatchAll(c.client());
        c.server().pubsub().removeClient(c.client());
        c.server().monitors().remove(c.client()); // leaves MONITOR mode, as Redis's clearClientConnectionState
        c.server().tracking().disable(c.client());
        c.client().reset();
        c.client().aclUser(c.server().acl().defaultUser()); // Redis's clientSetDefaultAuth
        c.reply.simple("RESET");
    }

    /** The handlers of the commands registered above, one class for all of them (see {@link Handler}). */
    private enum Op implements Handler {
        PING, ECHO, HELLO, AUTH, SELECT, QUIT, RESET;

        @Override
        public void handle(CallContext c, byte[][] argv) {
            switch (this) {
                case PING -> ping(c, argv);
                case ECHO -> c.reply.bulk(argv[1]);
                case HELLO -> hello(c, argv);
                case AUTH -> auth(c, argv);
                case SELECT -> select(c, argv);
                case QUIT -> quit(c, argv);
                case RESET -> reset(c, argv);
            }
        }
    }
}
