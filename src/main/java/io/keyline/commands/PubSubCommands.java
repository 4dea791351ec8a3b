package io.keyline.commands;

import io.keyline.engine.CallContext;
import io.keyline.engine.CommandSpec;
import io.keyline.engine.CommandSpec.Flag;
import io.keyline.engine.CommandTable;
import io.keyline.engine.Handler;
import io.keyline.engine.KeySpec;
import io.keyline.engine.RedisException;
import io.keyline.protocol.ReplyWriter;
import io.keyline.pubsub.PubSub;
import io.keyline.pubsub.PubSub.Kind;

import java.util.List;

/**
 * SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, SSUBSCRIBE, SUNSUBSCRIBE, PUBLISH, SPUBLISH and
 * PUBSUB, over {@link PubSub} (Redis's {@code pubsub.c}). Confirmations go to the caller's reply
 * stream (push frames in RESP3); messages to subscribers through their connections.
 */
final class PubSubCommands {
    private static final String[] HELP = {
            "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "CHANNELS [<pattern>]",
            "    Return the currently active channels matching a <pattern> (default: '*').",
            "NUMPAT",
            "    Return number of subscriptions to patterns.",
            "NUMSUB [<channel> ...]",
            "    Return the number of subscribers for the specified channels, excluding",
            "    pattern subscriptions(default: no channels).",
            "SHARDCHANNELS [<pattern>]",
            "    Return the currently active shard level channels matching a <pattern> (default: '*').",
            "SHARDNUMSUB [<shardchannel> ...]",
            "    Return the number of subscribers for the specified shard level channel(s)",
            "HELP",
            "    Prints this help.",
    };

    private PubSubCommands() {
    }

    static void register(CommandTable t) {
        Flag[] sub = {Flag.PUBSUB, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE, Flag.ALLOWED_IN_SUBSCRIBED_CONTEXT};
        t.command("subscribe", -2).flags(sub).group("pubsub")
                .doc("Listens for messages published to channels.", "2.0.0", "O(N) where N is the number of channels to subscribe to.")
                .handler(Op.SUBSCRIBE);
        t.command("unsubscribe", -1).flags(sub).group("pubsub")
                .doc("Stops listening to messages posted to channels.", "2.0.0", "O(N) where N is the number of channels to unsubscribe.")
                .handler(Op.UNSUBSCRIBE);
        t.command("psubscribe", -2).flags(sub).group("pubsub")
                .doc("Listens for messages published to channels that match one or more patterns.", "2.0.0",
                        "O(N) where N is the number of patterns to subscribe to.")
                .handler(Op.PSUBSCRIBE);
        t.command("punsubscribe", -1).flags(sub).group("pubsub")
                .doc("Stops listening to messages published to channels that match one or more patterns.", "2.0.0",
                        "O(N) where N is the number of patterns to unsubscribe.")
                .handler(Op.PUNSUBSCRIBE);
        t.command("ssubscribe", -2).flags(sub).keys(1, -1, 1).group("pubsub")
                .doc("Listens for messages published to shard channels.", "7.0.0", "O(N) where N is the number of shard channels to subscribe to.")
                .keySpec(KeySpec.index(1).range(-1, 1, 0).flags("not_key"))
                .handler(Op.SSUBSCRIBE);
        t.command("sunsubscribe", -1).flags(sub).keys(1, -1, 1).group("pubsub")
                .doc("Stops listening to messages posted to shard channels.", "7.0.0", "O(N) where N is the number of shard channels to unsubscribe.")
                .keySpec(KeySpec.index(1).range(-1, 1, 0).flags("not_key"))
                .handler(Op.SUNSUBSCRIBE);
        t.command("publish", 3).flags(Flag.PUBSUB, Flag.LOADING, Flag.STALE, Flag.FAST, Flag.MAY_REPLICATE).group("pubsub")
                .doc("Posts a message to a channel.", "2.0.0",
                        "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).")
                .handler(Op.PUBLISH);
        t.command("spublish", 3).flags(Flag.PUBSUB, Flag.LOADING, Flag.STALE, Flag.FAST, Flag.MAY_REPLICATE).keys(1, 1, 1)
                .group("pubsub")
                .doc("Post a message to a shard channel", "7.0.0",
                        "O(N) where N is the number of clients subscribed to the receiving shard channel.")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("not_key"))
                .handler(Op.SPUBLISH);

        CommandSpec pubsub = t.command("pubsub", -2).group("pubsub")
                .doc("A container for Pub/Sub commands.", "2.8.0", "Depends on subcommand.").handler(null);
        t.subcommand(pubsub, "channels", -2).flags(Flag.PUBSUB, Flag.LOADING, Flag.STALE).group("pubsub")
                .doc("Returns the active channels.", "2.8.0",
                        "O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)")
                .handler(Op.PUBSUB_CHANNELS);
        t.subcommand(pubsub, "numsub", -2).flags(Flag.PUBSUB, Flag.LOADING, Flag.STALE).group("pubsub")
                .doc("Returns a count of subscribers to channels.", "2.8.0", "O(N) for the NUMSUB subcommand, where N is the number of requested channels")
                .handler(Op.PUBSUB_NUMSUB);
        t.subcommand(pubsub, "numpat", 2).flags(Flag.PUBSUB, Flag.LOADING, Flag.STALE).group("pubsub")
                .doc("Returns a count of unique pattern subscriptions.", "2.8.0", "O(1)")
                .handler(Op.PUBSUB_NUMPAT);
        t.subcommand(pubsub, "shardchannels", -2).flags(Flag.PUBSUB, Flag.LOADING, Flag.STALE).group("pubsub")
                .doc("Returns the active shard channels.", "7.0.0",
                        "O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).")
                .handler(Op.PUBSUB_SHARDCHANNELS);
        t.subcommand(pubsub, "shardnumsub", -2).flags(Flag.PUBSUB, Flag.LOADING, Flag.STALE).group("pubsub")
                .doc("Returns the count of subscribers of shard channels.", "7.0.0",
                        "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels")
                .handler(Op.PUBSUB_SHARDNUMSUB);
        t.subcommand(pubsub, "help", 2).flags(Flag.LOADING, Flag.STALE).group("pubsub")
                .doc("Returns helpful text about the different subcommands.", "6.2.0", "O(1)")
                .handler(Op.PUBSUB_HELP);
    }

    private static void confirmation(ReplyWriter r, byte[] kind, byte[] name, int count) {
        r.pushHeader(3);
        r.bulk(kind);
        if (name == null) r.nullBulk();
        else r.bulk(name);
        r.integer(count);
    }

    private static final byte[][] SUBSCRIBE = {bytes("subscribe"), bytes("psubscribe"), bytes("ssubscribe")};
    private static final byte[][] UNSUBSCRIBE = {bytes("unsubscribe"), bytes("punsubscribe"), bytes("sunsubscribe")};

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** (P|S)SUBSCRIBE name [name ...]: one confirmation per name with the client's count after it. */
    static void subscribe(CallContext c, byte[][] argv, Kind kind) {
        PubSub ps = c.server().pubsub();
        for (int i = 1; i < argv.length; i++) {
            int n = ps.subscribe(c.client(), kind, argv[i]);
            confirmation(c.reply, SUBSCRIBE[kind.ordinal()], argv[i], n);
        }
    }

    /** (P|S)UNSUBSCRIBE [name ...]: without names, from everything of that kind (or a nil confirmation). */
    static void unsubscribe(CallContext c, byte[][] argv, Kind kind) {
        PubSub ps = c.server().pubsub();
        byte[] what = UNSUBSCRIBE[kind.ordinal()];
        if (argv.length == 1) {
            List<byte[]> all = ps.subscriptions(c.client(), kind);
            if (all.isEmpty()) {
                confirmation(c.reply, what, null, ps.count(c.client(), kind));
                return;
            }
            for (byte[] name : all) confirmation(c.reply, what, name, ps.unsubscribe(c.client(), kind, name));
            return;
        }
        for (int i = 1; i < argv.length; i++) {
            confirmation(c.reply, what, argv[i], ps.unsubscribe(c.client(), kind, argv[i]));
        }
    }

    /** PUBSUB CHANNELS|SHARDCHANNELS [pattern] */
    static void channels(CallContext c, byte[][] argv, Kind kind) {
        if (argv.length > 3) {
            throw new RedisException("ERR unknown subcommand or wrong number of arguments for '"
                    + io.keyline.util.Bytes.str(argv[1]) + "'. Try PUBSUB HELP.");
        }
        List<byte[]> out = c.server().pubsub().channels(kind, argv.length == 3 ? argv[2] : null);
        c.reply.arrayHeader(out.size());
        for (byte[] ch : out) c.reply.bulk(ch);
    }

    /**
     * PUBSUB NUMSUB|SHARDNUMSUB [channel ...]: a flat channel/count array in RESP3 as well, as
     * pubsub.c does it in 7.2 (addReplyArrayLen(c,(c->argc-2)*2)), not a map.
     */
    static void numsub(CallContext c, byte[][] argv, Kind kind) {
        PubSub ps = c.server().pubsub();
        c.reply.arrayHeader((argv.length - 2) * 2);
        for (int i = 2; i < argv.length; i++) {
            c.reply.bulk(argv[i]);
            c.reply.integer(ps.subscriberCount(kind, argv[i]));
        }
    }

    static void help(CallContext c, byte[][] argv) {
        c.reply.arrayHeader(HELP.length);
        for (String line : HELP) c.reply.simple(line);
    }

    /** The handlers of the commands registered above, one class for all of them (see {@link Handler}). */
    private enum Op implements Handler {
        SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, SSUBSCRIBE, SUNSUBSCRIBE, PUBLISH, SPUBLISH, PUBSUB_CHANNELS,
        PUBSUB_NUMSUB, PUBSUB_NUMPAT, PUBSUB_SHARDCHANNELS, PUBSUB_SHARDNUMSUB, PUBSUB_HELP;

        @Override
        public void handle(CallContext c, byte[][] argv) {
            switch (this) {
                case SUBSCRIBE -> subscribe(c, argv, Kind.CHANNEL);
                case UNSUBSCRIBE -> unsubscribe(c, argv, Kind.CHANNEL);
                case PSUBSCRIBE -> subscribe(c, argv, Kind.PATTERN);
                case PUNSUBSCRIBE -> unsubscribe(c, argv, Kind.PATTERN);
                case SSUBSCRIBE -> subscribe(c, argv, Kind.SHARD);
                case SUNSUBSCRIBE -> unsubscribe(c, argv, Kind.SHARD);
                case PUBLISH -> c.reply.integer(c.server().pubsub().publish(argv[1], argv[2]));
                case SPUBLISH -> c.reply.integer(c.server().pubsub().publishShard(argv[1], argv[2]));
                case PUBSUB_CHANNELS -> channels(c, argv, Kind.CHANNEL);
                case PUBSUB_NUMSUB -> numsub(c, argv, Kind.CHANNEL);
                case PUBSUB_NUMPAT -> c.reply.integer(c.server().pubsub().patternCount());
                case PUBSUB_SHARDCHANNELS -> channels(c, argv, Kind.SHARD);
                case PUBSUB_SHARDNUMSUB -> numsub(c, argv, Kind.SHARD);
                case PUBSUB_HELP -> help(c, argv);
            }
        }
    }
}
