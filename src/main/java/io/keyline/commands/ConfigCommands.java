package io.keyline.commands;

import io.keyline.engine.Args;
import io.keyline.engine.CallContext;
import io.keyline.engine.CommandSpec;
import io.keyline.engine.CommandTable;
import io.keyline.engine.Errors;
import io.keyline.engine.Handler;
import io.keyline.engine.Help;
import io.keyline.engine.RedisException;

import io.keyline.engine.CommandSpec.Flag;
import io.keyline.config.Config;
import io.keyline.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** CONFIG GET / SET / RESETSTAT / REWRITE / HELP over the {@link Config} registry. */
final class ConfigCommands {
    /**
     * Looked up when used rather than held in a static field: the launcher builds the command table
     * while it sets up SLF4J, and a logger obtained meanwhile could make this thread SLF4J's
     * initialiser (see io.keyline.server.StartAhead).
     */
    private static Logger log() {
        return LoggerFactory.getLogger(ConfigCommands.class);
    }

    private ConfigCommands() {
    }

    static void register(CommandTable t) {
        CommandSpec config = t.command("config", -2).group("server")
                .doc("A container for server configuration commands.", "2.0.0", "Depends on subcommand.").handler(null);
        t.subcommand(config, "get", -3).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
                .doc("Returns the effective values of configuration parameters.", "2.0.0",
                        "O(N) when N is the number of configuration parameters provided")
                .handler(Op.CONFIG_GET);
        t.subcommand(config, "set", -4).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
                .doc("Sets configuration parameters in-flight.", "2.0.0",
                        "O(N) when N is the number of configuration parameters provided")
                .tips("request_policy:all_nodes", "response_policy:all_succeeded")
                .handler(Op.CONFIG_SET);
        t.subcommand(config, "resetstat", 2).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
                .doc("Resets the server's statistics.", "2.0.0", "O(1)").handler(Op.CONFIG_RESETSTAT);
        t.subcommand(config, "rewrite", 2).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
                .doc("Persists the effective configuration to file.", "2.8.0", "O(1)").handler(Op.CONFIG_REWRITE);
        t.subcommand(config, "help", 2).flags(Flag.LOADING, Flag.STALE)
                .doc("Returns helpful text about the different subcommands.", "5.0.0", "O(1)")
                .handler(Op.CONFIG_HELP);
    }

    /** CONFIG GET parameter [parameter ...] */
    static void get(CallContext c, byte[][] argv) {
        List<String> patterns = new ArrayList<>(argv.length - 2);
        for (int i = 2; i < argv.length; i++) patterns.add(Args.str(argv[i]));
        Map<String, String> found = c.server().config().getMatching(patterns);
        c.reply.mapHeader(found.size());
        for (Map.Entry<String, String> e : found.entrySet()) {
            c.reply.bulk(e.getKey());
            c.reply.bulk(e.getValue());
        }
    }

    /** CONFIG SET parameter value [parameter value ...] */
    static void set(CallContext c, byte[][] argv) {
        if ((argv.length & 1) != 0) throw Errors.syntax();
        List<String[]> pairs = new ArrayList<>();
        for (int i = 2; i < argv.length; i += 2) pairs.add(new String[]{Args.str(argv[i]), Args.str(argv[i + 1])});
        Config config = c.server().config();
        String protectedMode = config.get("enable-protected-configs");
        boolean protectedAllowed = protectedMode.equals("yes") || (protectedMode.equals("local") && Clients.isLocal(c));
        try {
            config.setAll(pairs, protectedAllowed);
        } catch (ConfigException e) {
            throw new RedisException("ERR " + e.getMessage());
        }
        c.reply.ok();
    }

    /** CONFIG RESETSTAT */
    static void resetstat(CallContext c, byte[][] argv) {
        c.server().stats().reset();
        c.server().keyspace().stats().reset();
        c.server().callObserver().resetStats();
        c.server().acl().resetCounters(); // acl_access_denied_*, as Redis's resetServerStats
        for (CommandSpec spec : c.server().table().all()) {
            spec.resetStats();
            for (CommandSpec sub : spec.subcommands().values()) sub.resetStats();
        }
        c.reply.ok();
    }

    /** CONFIG REWRITE */
    static void rewrite(CallContext c, byte[][] argv) {
        Config config = c.server().config();
        if (config.configFile() == null) throw new RedisException("ERR The server is running without a config file");
        try {
            config.rewrite();
        } catch (IOException e) {
            log().warn("CONFIG REWRITE failed: {}", e.getMessage());
            throw new RedisException("ERR Rewriting config file: " + e.getMessage());
        }
        log().warn("CONFIG REWRITE executed with success.");
        c.reply.ok();
    }

    /** The handlers of the commands registered above, one class for all of them (see {@link Handler}). */
    private enum Op implements Handler {
        CONFIG_GET, CONFIG_SET, CONFIG_RESETSTAT, CONFIG_REWRITE, CONFIG_HELP;

        @Override
        public void handle(CallContext c, byte[][] argv) {
            switch (this) {
                case CONFIG_GET -> get(c, argv);
                case CONFIG_SET -> set(c, argv);
                case CONFIG_RESETSTAT -> resetstat(c, argv);
                case CONFIG_REWRITE -> rewrite(c, argv);
                case CONFIG_HELP -> Help.reply(c, "CONFIG",
                    "GET <pattern>",
                    "    Return parameters matching the glob-like <pattern> and their values.",
                    "SET <directive> <value>",
                    "    Set the configuration <directive> to <value>.",
                    "RESETSTAT",
                    "    Reset statistics reported by the INFO command.",
                    "REWRITE",
                    "    Rewrite the configuration file.");
            }
        }
    }
}
