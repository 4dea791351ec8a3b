package io.keyline.commands;

import io.keyline.engine.Args;
import io.keyline.engine.CallContext;
import io.keyline.engine.CommandSpec;
import io.keyline.engine.CommandTable;
import io.keyline.engine.Errors;
import io.keyline.engine.Handler;
import io.keyline.engine.Help;
import io.keyline.engine.RedisException;
import io.keyline.session.Client;
import io.keyline.session.ClientMemory;
import io.keyline.session.Connection;

import io.keyline.engine.CommandSpec.Flag;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * CLIENT subcommands. There are only normal clients here: no replicas or masters; pub/sub clients
 * are not distinguished (TYPE pubsub matches nobody). PAUSE/UNPAUSE validate their arguments and
 * postpone writes (or everything) through {@link io.keyline.engine.ClientPause}; NO-EVICT and NO-TOUCH are recorded on
 * the client (CLIENT LIST flags e/T) without further effect. UNBLOCK goes through the
 * {@link BlockingRegistry}. TRACKING, CACHING, GETREDIR and TRACKINGINFO drive client-side caching
 * ({@link io.keyline.engine.Tracking}).
 */
final class ClientCommands {
    private ClientCommands() {
    }

    static void register(CommandTable t) {
        CommandSpec client = t.command("client", -2).group("connection")
                .doc("A container for client connection commands.", "2.4.0", "Depends on subcommand.").handler(null);
        t.subcommand(client, "id", 2).acl("connection").flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
                .doc("Returns the unique client ID of the connection.", "5.0.0", "O(1)")
                .handler(Op.CLIENT_ID);
        t.subcommand(client, "setname", 3).acl("connection").flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
                .doc("Sets the connection name.", "2.6.9", "O(1)").handler(Op.CLIENT_SETNAME);
        t.subcommand(client, "getname", 2).acl("connection").flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
                .doc("Returns the name of the connection.", "2.6.9", "O(1)")
                .handler(Op.CLIENT_GETNAME);
        t.subcommand(client, "list", -2).acl("connection").flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
                .doc("Lists open connections.", "2.4.0", "O(N) where N is the number of client connections")
                .tips("nondeterministic_output")
                .handler(Op.CLIENT_LIST);
        t.subcommand(client, "info", 2).acl("connection").flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
                .doc("Returns information about the connection.", "6.2.0", "O(1)")
                .tips("nondeterministic_output")
                .handler(Op.CLIENT_INFO);
        t.subcommand(client, "kill", -3).acl("connection").flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
                .doc("Terminates open connections.", "2.4.0", "O(N) where N is the number of client connections")
                .handler(Op.CLIENT_KILL);
        t.subcommand(client, "setinfo", 4).acl("connection").flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
                .doc("Sets information specific to the client or connection.", "7.2.0", "O(1)")
                .handler(Op.CLIENT_SETINFO);
        t.subcommand(client, "no-evict", 3).acl("connection").flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
                .doc("Sets the client eviction mode of the connection.", "7.0.0", "O(1)")
                .handler(Op.CLIENT_NO_EVICT);
        t.subcommand(client, "no-touch", 3).acl("connection").flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
                .doc("Controls whether commands sent by the client affect the LRU/LFU of accessed keys.", "7.2.0", "O(1)")
                .handler(Op.CLIENT_NO_TOUCH);
        t.subcommand(client, "reply", 3).acl("connection").flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
                .doc("Instructs the server whether to reply to commands.", "3.2.0", "O(1)")
                .handler(Op.CLIENT_REPLY);
        t.subcommand(client, "pause", -3).acl("connection").flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
                .doc("Suspends commands processing.", "3.0.0", "O(1)").handler(Op.CLIENT_PAUSE);
        t.subcommand(client, "unpause", 2).acl("connection").flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
                .doc("Resumes processing commands from paused clients.", "6.2.0", "O(N) Where N is the number of paused clients")
                .handler(Op.CLIENT_UNPAUSE);
        t.subcommand(client, "unblock", -3).acl("connection").flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
                .doc("Unblocks a client blocked by a blocking command from a different connection.", "5.0.0",
                        "O(log N) where N is the number of client connections")
                .handler(Op.CLIENT_UNBLOCK);
        t.subcommand(client, "getredir", 2).acl("connection").flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
                .doc("Returns the client ID to which the connection's tracking notifications are redirected.", "6.0.0", "O(1)")
                .handler(Op.CLIENT_GETREDIR);
        t.subcommand(client, "tracking", -3).acl("connection").flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
                .doc("Controls server-assisted client-side caching for the connection.", "6.0.0",
                        "O(1). Some options may introduce additional complexity.")
                .handler(Op.CLIENT_TRACKING);
        t.subcommand(client, "trackinginfo", 2).acl("connection").flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
                .doc("Returns information about server-assisted client-side caching for the connection.", "6.2.0", "O(1)")
                .handler(Op.CLIENT_TRACKINGINFO);
        t.subcommand(client, "caching", 3).acl("connection").flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
                .doc("Instructs the server whether to track the keys in the next request.", "6.0.0", "O(1)")
                .handler(Op.CLIENT_CACHING);
        t.subcommand(client, "help", 2).acl("connection").flags(Flag.LOADING, Flag.STALE)
                .doc("Returns helpful text about the different subcommands.", "5.0.0", "O(1)")
                .handler(Op.CLIENT_HELP);
    }

    static void validateName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < '!' || ch > '~') {
                throw new RedisException("ERR Client names cannot contain spaces, newlines or special characters.");
            }
        }
    }

    private static boolean onOff(byte[] arg) {
        if (Args.is(arg, "on")) return true;
        if (Args.is(arg, "off")) return false;
        throw Errors.syntax();
    }

    /** CLIENT SETNAME connection-name */
    static void setname(CallContext c, byte[][] argv) {
        String name = Args.str(argv[2]);
        validateName(name);
        c.client().name(name);
        c.reply.ok();
    }

    /** CLIENT SETINFO LIB-NAME libname | LIB-VER libver */
    static void setinfo(CallContext c, byte[][] argv) {
        String value = Args.str(argv[3]);
        boolean libName = Args.is(argv[2], "lib-name");
        if (!libName && !Args.is(argv[2], "lib-ver")) {
            throw new RedisException("ERR Unrecognized option '" + Args.str(argv[2]) + "'");
        }
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch < '!' || ch > '~') {
                throw new RedisException("ERR " + (libName ? "lib-name" : "lib-ver")
                        + " cannot contain spaces, newlines or special characters.");
            }
        }
        if (libName) c.client().libName(value);
        else c.client().libVersion(value);
        c.reply.ok();
    }

    /** One CLIENT LIST / CLIENT INFO line (Redis 7.2 field order), without the newline. */
    static String describe(Client cl, long now) {
        Connection conn = cl.connection();
        int qbuf = conn.queryBufferLength();
        long omem = conn.outputBufferBytes();
        StringBuilder sb = new StringBuilder(320);
        sb.append("id=").append(cl.id())
                .append(" addr=").append(conn.remoteAddress())
                .append(" laddr=").append(conn.localAddress())
                .append(" fd=").append(conn.fd())
                .append(" name=").append(cl.name())
                .append(" age=").append(Math.max(0, (now - cl.createdAt()) / 1000))
                .append(" idle=").append(Math.max(0, (now - cl.lastInteraction()) / 1000))
                .append(" flags=").append(flags(cl))
                .append(" db=").append(cl.dbIndex())
                .append(" sub=").append(cl.subscribedChannels())
                .append(" psub=").append(cl.subscribedPatterns())
                .append(" ssub=").append(cl.subscribedShardChannels())
                .append(" multi=").append(cl.multiQueueLength())
                // watch= is Redis 7.4's (7.2 has no such field); issue 11 asks for it, placed as 7.4 does
                .append(" watch=").append(cl.watchedCount())
                .append(" qbuf=").append(qbuf)
                .append(" qbuf-free=").append(conn.queryBufferFree())
                .append(" argv-mem=").append(conn.argvMemory())
                .append(" multi-mem=").append(ClientMemory.multi(cl))
                .append(" rbs=1024 rbp=0 obl=0 oll=0 omem=").append(omem)
                .append(" tot-mem=").append(ClientMemory.total(cl, omem))
                .append(" events=r cmd=").append(cl.lastCommand())
                .append(" user=").append(cl.user())
                .append(" redir=").append(cl.tracking(Client.TRACKING) ? cl.trackingRedirect() : -1)
                .append(" resp=").append(cl.protocol())
                .append(" lib-name=").append(cl.libName())
                .append(" lib-ver=").append(cl.libVersion());
        return sb.toString();
    }

    private static String flags(Client cl) {
        StringBuilder f = new StringBuilder();
        if (cl.monitor()) f.append('O');
        if (cl.pubsub()) f.append('P');
        if (cl.blocked()) f.append('b');
        if (cl.inMulti()) f.append('x');
        int tf = cl.trackingFlags();
        if ((tf & Client.TRACKING) != 0) f.append('t');
        if ((tf & Client.TRACKING_BROKEN_REDIR) != 0) f.append('R');
        if ((tf & Client.TRACKING_BCAST) != 0) f.append('B');
        if (cl.watchDirtyFlag()) f.append('d');
        if (cl.closeAfterReply()) f.append('c');
        if (cl.killed()) f.append('A');
        if (cl.noEvict()) f.append('e');
        if (cl.noTouch()) f.append('T');
        return f.length() == 0 ? "N" : f.toString();
    }

    /** CLIENT LIST [TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id [client-id ...]] */
    static void list(CallContext c, byte[][] argv) {
        String type = null;
        Set<Long> ids = null;
        int i = 2;
        while (i < argv.length) {
            if (Args.is(argv[i], "type") && i + 1 < argv.length) {
                type = clientType(argv[i + 1]);
                i += 2;
            } else if (Args.is(argv[i], "id") && i + 1 < argv.length) {
                ids = new HashSet<>();
                for (i = i + 1; i < argv.length; i++) {
                    Long id = io.keyline.util.Bytes.parseLongOrError(argv[i]);
                    if (id == null) throw new RedisException("ERR Invalid client ID");
                    ids.add(id);
                }
            } else {
                throw Errors.syntax();
            }
        }
        long now = System.currentTimeMillis();
        StringBuilder sb = new StringBuilder();
        for (Client cl : c.server().clients().all()) {
            if (type != null && !type.equals(cl.pubsub() ? "pubsub" : "normal")) continue;
            if (ids != null && !ids.contains(cl.id())) continue;
            sb.append(describe(cl, now)).append('\n');
        }
        c.reply.verbatim(sb.toString());
    }

    /** Validates a client type name; returns it canonical (slave = replica). */
    private static String clientType(byte[] arg) {
        String t = Args.lower(arg);
        return switch (t) {
            case "normal", "master", "pubsub" -> t;
            case "replica", "slave" -> "replica";
            default -> throw new RedisException("ERR Unknown client type '" + Args.str(arg) + "'");
        };
    }

    /**
     * CLIENT KILL ip:port | CLIENT KILL [ID id] [TYPE type] [USER username] [ADDR ip:port]
     * [LADDR ip:port] [SKIPME yes|no]
     */
    static void kill(CallContext c, byte[][] argv) {
        List<Client> all = c.server().clients().all();
        if (argv.length == 3) {
            String addr = Args.str(argv[2]);
            for (Client cl : all) {
                if (cl.connection().remoteAddress().equals(addr)) {
                    c.reply.ok();
                    if (cl == c.client()) c.client().closeAfterReply(true);
                    else cl.kill();
                    return;
                }
            }
            throw new RedisException("ERR No such client");
        }
        Long id = null;
        String type = null, user = null, addr = null, laddr = null;
        boolean skipMe = true;
        for (int i = 2; i < argv.length; i += 2) {
            if (i + 1 >= argv.length) throw Errors.syntax();
            byte[] opt = argv[i], val = argv[i + 1];
            if (Args.is(opt, "id")) {
                Long v = io.keyline.util.Bytes.parseLongOrError(val);
                if (v == null || v <= 0) throw new RedisException("ERR client-id should be greater than 0");
                id = v;
            } else if (Args.is(opt, "type")) {
                type = clientType(val);
            } else if (Args.is(opt, "addr")) {
                addr = Args.str(val);
            } else if (Args.is(opt, "laddr")) {
                laddr = Args.str(val);
            } else if (Args.is(opt, "user")) {
                user = Args.str(val);
                if (!user.equals("default")) throw new RedisException("ERR No such user '" + user + "'");
            } else if (Args.is(opt, "skipme")) {
                if (Args.is(val, "yes")) skipMe = true;
                else if (Args.is(val, "no")) skipMe = false;
                else throw Errors.syntax();
            } else {
                throw Errors.syntax();
            }
        }
        List<Client> victims = new ArrayList<>();
        for (Client cl : all) {
            if (id != null && cl.id() != id) continue;
            if (type != null && !type.equals(cl.pubsub() ? "pubsub" : "normal")) continue;
            if (addr != null && !cl.connection().remoteAddress().equals(addr)) continue;
            if (laddr != null && !cl.connection().localAddress().equals(laddr)) continue;
            if (user != null && !cl.user().equals(user)) continue;
            if (cl == c.client() && skipMe) continue;
            victims.add(cl);
        }
        c.reply.integer(victims.size());
        for (Client cl : victims) {
            if (cl == c.client()) c.client().closeAfterReply(true);
            else cl.kill();
        }
    }

    /** CLIENT REPLY ON|OFF|SKIP */
    static void reply(CallContext c, byte[][] argv) {
        if (Args.is(argv[2], "on")) {
            c.client().replyMode(Client.ReplyMode.ON);
            c.reply.ok();
        } else if (Args.is(argv[2], "off")) {
            c.client().replyMode(Client.ReplyMode.OFF);
        } else if (Args.is(argv[2], "skip")) {
            c.client().replyMode(Client.ReplyMode.SKIP);
        } else {
            throw Errors.syntax();
        }
    }

    /** CLIENT PAUSE timeout [WRITE|ALL] (ALL by default). */
    static void pause(CallContext c, byte[][] argv) {
        if (argv.length > 4) throw Clients.subcommandSyntax("CLIENT", argv[1]);
        Long ms = io.keyline.util.Bytes.parseLongOrError(argv[2]);
        if (ms == null) throw new RedisException("ERR timeout is not an integer or out of range");
        if (ms < 0) throw new RedisException("ERR timeout is negative");
        if (argv.length == 4 && !Args.is(argv[3], "write") && !Args.is(argv[3], "all")) {
            throw new RedisException("ERR CLIENT PAUSE mode must be WRITE or ALL");
        }
        boolean all = argv.length < 4 || Args.is(argv[3], "all");
        long now = System.currentTimeMillis();
        c.server().clientPause().pause(now + ms, all, now);
        c.reply.ok();
    }

    /** CLIENT UNBLOCK client-id [TIMEOUT|ERROR] */
    static void unblock(CallContext c, byte[][] argv) {
        if (argv.length > 4) throw Clients.subcommandSyntax("CLIENT", argv[1]);
        long id = Args.toLong(argv[2]);
        boolean withError = false;
        if (argv.length == 4) {
            if (Args.is(argv[3], "error")) withError = true;
            else if (!Args.is(argv[3], "timeout")) {
                throw new RedisException("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
            }
        }
        c.reply.integer(c.server().blocking().unblock(id, withError) ? 1 : 0);
    }

    /** CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p ...] [BCAST] [OPTIN] [OPTOUT] [NOLOOP], as Redis's clientCommand. */
    static void tracking(CallContext c, byte[][] argv) {
        Client cl = c.client();
        long redir = 0;
        int options = 0;
        List<byte[]> prefixes = new ArrayList<>();
        for (int j = 3; j < argv.length; j++) {
            boolean moreargs = j < argv.length - 1;
            if (Args.is(argv[j], "redirect") && moreargs) {
                j++;
                if (redir != 0) throw new RedisException("ERR A client can only redirect to a single other client");
                redir = Args.toLong(argv[j]);
                if (c.server().clients().get(redir) == null) {
                    throw new RedisException("ERR The client ID you want redirect to does not exist");
                }
            } else if (Args.is(argv[j], "bcast")) {
                options |= Client.TRACKING_BCAST;
            } else if (Args.is(argv[j], "optin")) {
                options |= Client.TRACKING_OPTIN;
            } else if (Args.is(argv[j], "optout")) {
                options |= Client.TRACKING_OPTOUT;
            } else if (Args.is(argv[j], "noloop")) {
                options |= Client.TRACKING_NOLOOP;
            } else if (Args.is(argv[j], "prefix") && moreargs) {
                prefixes.add(argv[++j]);
            } else {
                throw new RedisException(Errors.SYNTAX);
            }
        }
        if (Args.is(argv[2], "on")) {
            if ((options & Client.TRACKING_BCAST) == 0 && !prefixes.isEmpty()) {
                throw new RedisException("ERR PREFIX option requires BCAST mode to be enabled");
            }
            int flags = cl.trackingFlags();
            if ((flags & Client.TRACKING) != 0
                    && ((flags & Client.TRACKING_BCAST) != 0) != ((options & Client.TRACKING_BCAST) != 0)) {
                throw new RedisException("ERR You can't switch BCAST mode on/off before disabling tracking for this "
                        + "client, and then re-enabling it with a different mode.");
            }
            if ((options & Client.TRACKING_BCAST) != 0
                    && (options & (Client.TRACKING_OPTIN | Client.TRACKING_OPTOUT)) != 0) {
                throw new RedisException("ERR OPTIN and OPTOUT are not compatible with BCAST");
            }
            if ((options & Client.TRACKING_OPTIN) != 0 && (options & Client.TRACKING_OPTOUT) != 0) {
                throw new RedisException("ERR You can't specify both OPTIN mode and OPTOUT mode");
            }
            if (((options & Client.TRACKING_OPTIN) != 0 && (flags & Client.TRACKING_OPTOUT) != 0)
                    || ((options & Client.TRACKING_OPTOUT) != 0 && (flags & Client.TRACKING_OPTIN) != 0)) {
                throw new RedisException("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this "
                        + "client, and then re-enabling it with a different mode.");
            }
            if ((options & Client.TRACKING_BCAST) != 0) {
                String collision = io.keyline.engine.Tracking.prefixCollision(cl, prefixes);
                if (collision != null) throw new RedisException(collision);
            }
            c.server().tracking().enable(cl, redir, options, prefixes);
        } else if (Args.is(argv[2], "off")) {
            c.server().tracking().disable(cl);
        } else {
            throw new RedisException(Errors.SYNTAX);
        }
        c.reply.ok();
    }

    /** CLIENT CACHING YES|NO */
    static void caching(CallContext c, byte[][] argv) {
        Client cl = c.client();
        int flags = cl.trackingFlags();
        if ((flags & Client.TRACKING) == 0) {
            throw new RedisException("ERR CLIENT CACHING can be called only when the client is in tracking mode "
                    + "with OPTIN or OPTOUT mode enabled");
        }
        if (Args.is(argv[2], "yes")) {
            if ((flags & Client.TRACKING_OPTIN) == 0) {
                throw new RedisException("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
            }
        } else if (Args.is(argv[2], "no")) {
            if ((flags & Client.TRACKING_OPTOUT) == 0) {
                throw new RedisException("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
            }
        } else {
            throw new RedisException(Errors.SYNTAX);
        }
        cl.trackingFlags(flags | Client.TRACKING_CACHING);
        c.reply.ok();
    }

    /** CLIENT GETREDIR */
    static void getredir(CallContext c, byte[][] argv) {
        Client cl = c.client();
        c.reply.integer(cl.tracking(Client.TRACKING) ? cl.trackingRedirect() : -1);
    }

    /** CLIENT TRACKINGINFO */
    static void trackinginfo(CallContext c, byte[][] argv) {
        Client cl = c.client();
        int f = cl.trackingFlags();
        List<String> flags = new ArrayList<>();
        flags.add((f & Client.TRACKING) != 0 ? "on" : "off");
        if ((f & Client.TRACKING_BCAST) != 0) flags.add("bcast");
        if ((f & Client.TRACKING_OPTIN) != 0) {
            flags.add("optin");
            if ((f & Client.TRACKING_CACHING) != 0) flags.add("caching-yes");
        }
        if ((f & Client.TRACKING_OPTOUT) != 0) {
            flags.add("optout");
            if ((f & Client.TRACKING_CACHING) != 0) flags.add("caching-no");
        }
        if ((f & Client.TRACKING_NOLOOP) != 0) flags.add("noloop");
        if ((f & Client.TRACKING_BROKEN_REDIR) != 0) flags.add("broken_redirect");
        c.reply.mapHeader(3);
        c.reply.bulk("flags");
        c.reply.setHeader(flags.size());
        for (String s : flags) c.reply.bulk(s);
        c.reply.bulk("redirect");
        c.reply.integer((f & Client.TRACKING) != 0 ? cl.trackingRedirect() : -1);
        c.reply.bulk("prefixes");
        List<byte[]> prefixes = cl.trackingPrefixes();
        c.reply.arrayHeader(prefixes.size());
        for (byte[] p : prefixes) c.reply.bulk(p);
    }

    /** The handlers of the commands registered above, one class for all of them (see {@link Handler}). */
    private enum Op implements Handler {
        CLIENT_ID, CLIENT_SETNAME, CLIENT_GETNAME, CLIENT_LIST, CLIENT_INFO, CLIENT_KILL, CLIENT_SETINFO,
        CLIENT_NO_EVICT, CLIENT_NO_TOUCH, CLIENT_REPLY, CLIENT_PAUSE, CLIENT_UNPAUSE, CLIENT_UNBLOCK, CLIENT_GETREDIR,
        CLIENT_TRACKING, CLIENT_TRACKINGINFO, CLIENT_CACHING, CLIENT_HELP;

        @Override
        public void handle(CallContext c, byte[][] argv) {
            switch (this) {
                case CLIENT_ID -> c.reply.integer(c.id());
                case CLIENT_SETNAME -> setname(c, argv);
                case CLIENT_GETNAME -> {
                    if (c.client().name().isEmpty()) c.reply.nullBulk();
                    else c.reply.bulk(c.client().name());
                }
                case CLIENT_LIST -> list(c, argv);
                case CLIENT_INFO -> c.reply.verbatim(describe(c.client(), System.currentTimeMillis()) + "\n");
                case CLIENT_KILL -> kill(c, argv);
                case CLIENT_SETINFO -> setinfo(c, argv);
                case CLIENT_NO_EVICT -> {
                    c.client().noEvict(onOff(argv[2]));
                    c.reply.ok();
                }
                case CLIENT_NO_TOUCH -> {
                    c.client().noTouch(onOff(argv[2]));
                    c.reply.ok();
                }
                case CLIENT_REPLY -> reply(c, argv);
                case CLIENT_PAUSE -> pause(c, argv);
                case CLIENT_UNPAUSE -> {
                    c.server().clientPause().unpause();
                    c.reply.ok();
                }
                case CLIENT_UNBLOCK -> unblock(c, argv);
                case CLIENT_GETREDIR -> getredir(c, argv);
                case CLIENT_TRACKING -> tracking(c, argv);
                case CLIENT_TRACKINGINFO -> trackinginfo(c, argv);
                case CLIENT_CACHING -> caching(c, argv);
                case CLIENT_HELP -> Help.reply(c, "CLIENT",
                    "CACHING (YES|NO)",
                    "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
                    "GETREDIR",
                    "    Return the client ID we are redirecting to when tracking is enabled.",
                    "GETNAME",
                    "    Return the name of the current connection.",
                    "ID",
                    "    Return the ID of the current connection.",
                    "INFO",
                    "    Return information about the current client connection.",
                    "KILL <ip:port>",
                    "    Kill connection made from <ip:port>.",
                    "KILL <option> <value> [<option> <value> [...]]",
                    "    Kill connections. Options are:",
                    "    * ADDR (<ip:port>|<unixsocket>:0)",
                    "      Kill connections made from the specified address",
                    "    * LADDR (<ip:port>|<unixsocket>:0)",
                    "      Kill connections made to specified local address",
                    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
                    "      Kill connections by type.",
                    "    * USER <username>",
                    "      Kill connections authenticated by <username>.",
                    "    * SKIPME (YES|NO)",
                    "      Skip killing current connection (default: yes).",
                    "    * ID <client-id>",
                    "      Kill connections by client id.",
                    "LIST [options ...]",
                    "    Return information about client connections. Options:",
                    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
                    "      Return clients of specified type.",
                    "    * ID <client-id> [<client-id> ...]",
                    "      Return clients with the specified IDs.",
                    "UNPAUSE",
                    "    Stop the current client pause, resuming traffic.",
                    "PAUSE <timeout> [WRITE|ALL]",
                    "    Suspend all, or just write, clients for <timeout> milliseconds.",
                    "REPLY (ON|OFF|SKIP)",
                    "    Control the replies sent to the current connection.",
                    "SETNAME <name>",
                    "    Assign the name <name> to the current connection.",
                    "SETINFO <option> <value>",
                    "    Set client meta attr. Options are:",
                    "    * LIB-NAME: the client lib name.",
                    "    * LIB-VER: the client lib version.",
                    "UNBLOCK <clientid> [TIMEOUT|ERROR]",
                    "    Unblock the specified blocked client.",
                    "TRACKINGINFO",
                    "    Report tracking status for the current connection.",
                    "NO-EVICT (ON|OFF)",
                    "    Protect current client connection from eviction.",
                    "NO-TOUCH (ON|OFF)",
                    "    Will not touch LRU/LFU stats when this mode is on.");
            }
        }
    }
}
