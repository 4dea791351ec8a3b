package io.keyline.commands;

import io.keyline.engine.Handler;
import io.keyline.engine.KeySpec;

import io.keyline.engine.Args;
import io.keyline.engine.CallContext;
import io.keyline.engine.CommandSpec;
import io.keyline.engine.CommandTable;
import io.keyline.engine.Errors;
import io.keyline.engine.Help;
import io.keyline.engine.RedisException;

import io.keyline.engine.CommandSpec.Flag;
import io.keyline.protocol.ReplyWriter;
import io.keyline.util.Bytes;
import io.keyline.util.Glob;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** COMMAND and its subcommands, all generated from the {@link CommandSpec}s of the table. */
final class CommandCommands {
    /** Redis's ACL category bit order, which COMMAND INFO follows. */
    private static final List<String> CATEGORY_ORDER = List.of("keyspace", "read", "write", "set", "sortedset", "list",
            "hash", "string", "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking",
            "dangerous", "connection", "transaction", "scripting");

    private CommandCommands() {
    }

    static void register(CommandTable t) {
        CommandSpec command = t.command("command", -1).flags(Flag.LOADING, Flag.STALE).acl("connection").group("server")
                .doc("Returns detailed information about all commands.", "2.8.13", "O(N) where N is the total number of Redis commands")
                .tips("nondeterministic_output_order")
                .handler(Op.COMMAND);
        t.subcommand(command, "count", 2).flags(Flag.LOADING, Flag.STALE)
                .doc("Returns a count of commands.", "2.8.13", "O(1)")
                .handler(Op.COMMAND_COUNT);
        t.subcommand(command, "info", -2).flags(Flag.LOADING, Flag.STALE)
                .doc("Returns information about one, multiple or all commands.", "2.8.13", "O(N) where N is the number of commands to look up")
                .tips("nondeterministic_output_order")
                .handler(Op.COMMAND_INFO);
        t.subcommand(command, "docs", -2).flags(Flag.LOADING, Flag.STALE)
                .doc("Returns documentary information about one, multiple or all commands.", "7.0.0", "O(N) where N is the number of commands to look up")
                .tips("nondeterministic_output_order")
                .handler(Op.COMMAND_DOCS);
        t.subcommand(command, "list", -2).flags(Flag.LOADING, Flag.STALE)
                .doc("Returns a list of command names.", "7.0.0", "O(N) where N is the total number of Redis commands")
                .tips("nondeterministic_output_order")
                .handler(Op.COMMAND_LIST);
        t.subcommand(command, "getkeys", -3).flags(Flag.LOADING, Flag.STALE)
                .doc("Extracts the key names from an arbitrary command.", "2.8.13", "O(N) where N is the number of arguments to the command")
                .handler(Op.COMMAND_GETKEYS);
        t.subcommand(command, "getkeysandflags", -3).flags(Flag.LOADING, Flag.STALE)
                .doc("Extracts the key names and access flags for an arbitrary command.", "7.0.0", "O(N) where N is the number of arguments to the command")
                .handler(Op.COMMAND_GETKEYSANDFLAGS);
        t.subcommand(command, "help", 2).flags(Flag.LOADING, Flag.STALE)
                .doc("Returns helpful text about the different subcommands.", "5.0.0", "O(1)")
                .handler(Op.COMMAND_HELP);
    }

    /** COMMAND */
    static void all(CallContext c, byte[][] argv) {
        CommandTable table = c.server().table();
        c.reply.arrayHeader(table.size());
        for (CommandSpec spec : table.all()) commandInfo(c.reply, spec);
    }

    /** A command by name, "container|sub" names included; null if unknown. */
    private static CommandSpec byName(CommandTable table, String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        int bar = lower.indexOf('|');
        if (bar < 0) return table.lookup(lower);
        CommandSpec parent = table.lookup(lower.substring(0, bar));
        return parent == null ? null : parent.subcommands().get(lower.substring(bar + 1));
    }

    /** COMMAND INFO [command-name ...] */
    static void info(CallContext c, byte[][] argv) {
        CommandTable table = c.server().table();
        if (argv.length == 2) {
            all(c, argv);
            return;
        }
        c.reply.arrayHeader(argv.length - 2);
        for (int i = 2; i < argv.length; i++) {
            CommandSpec spec = byName(table, Args.str(argv[i]));
            if (spec == null) c.reply.nullBulk();
            else commandInfo(c.reply, spec);
        }
    }

    /** The 10-element Redis 7 COMMAND INFO entry. */
    static void commandInfo(ReplyWriter r, CommandSpec spec) {
        r.arrayHeader(10);
        r.bulk(spec.name());
        r.integer(spec.arity());
        List<String> flags = new ArrayList<>();
        for (Flag f : Flag.values()) {
            if (!f.shownByCommandInfo()) continue;
            if (f == Flag.ALLOW_BUSY && spec.movableKeys()) flags.add("movablekeys");
            if (spec.hasFlag(f)) flags.add(f.redisName());
        }
        if (spec.movableKeys() && !flags.contains("movablekeys")) flags.add("movablekeys");
        r.setHeader(flags.size());
        for (String f : flags) r.simple(f);
        r.integer(spec.firstKey());
        r.integer(spec.lastKey());
        r.integer(spec.keyStep());
        List<String> cats = orderedCategories(spec);
        r.setHeader(cats.size());
        for (String cat : cats) r.simple("@" + cat);
        // Redis's shapes: tips are bulk strings in a set, key specs a set, and subcommands an array
        // unless there are none (an empty set).
        r.setHeader(spec.tips().size());
        for (String tip : spec.tips()) r.bulk(tip);
        r.setHeader(spec.keySpecs().size());
        for (KeySpec keySpec : spec.keySpecs()) keySpec.write(r);
        if (spec.subcommands().isEmpty()) r.setHeader(0);
        else r.arrayHeader(spec.subcommands().size());
        for (CommandSpec sub : spec.subcommands().values()) commandInfo(r, sub);
    }

    private static List<String> orderedCategories(CommandSpec spec) {
        List<String> cats = new ArrayList<>(spec.aclCategories());
        cats.sort((a, b) -> Integer.compare(rank(a), rank(b)));
        return cats;
    }

    private static int rank(String category) {
        int i = CATEGORY_ORDER.indexOf(category);
        return i < 0 ? CATEGORY_ORDER.size() : i;
    }

    /** COMMAND DOCS [command-name ...] */
    static void docs(CallContext c, byte[][] argv) {
        CommandTable table = c.server().table();
        List<CommandSpec> specs = new ArrayList<>();
        if (argv.length == 2) {
            specs.addAll(table.all());
        } else {
            for (int i = 2; i < argv.length; i++) {
                CommandSpec spec = byName(table, Args.str(argv[i]));
                if (spec != null) specs.add(spec);
            }
        }
        c.reply.mapHeader(specs.size());
        for (CommandSpec spec : specs) {
            c.reply.bulk(spec.name());
            commandDocs(c.reply, spec);
        }
    }

    private static void commandDocs(ReplyWriter r, CommandSpec spec) {
        boolean subs = !spec.subcommands().isEmpty();
        boolean complexity = spec.complexity() != null; // as Redis, omitted when the command has none (MONITOR)
        r.mapHeader(3 + (complexity ? 1 : 0) + (subs ? 1 : 0));
        r.bulk("summary");
        r.bulk(spec.summary());
        r.bulk("since");
        r.bulk(spec.since());
        r.bulk("group");
        r.bulk(spec.group());
        if (complexity) {
            r.bulk("complexity");
            r.bulk(spec.complexity());
        }
        if (subs) {
            r.bulk("subcommands");
            r.mapHeader(spec.subcommands().size());
            for (CommandSpec sub : spec.subcommands().values()) {
                r.bulk(sub.name());
                commandDocs(r, sub);
            }
        }
    }

    /** COMMAND LIST [FILTERBY MODULE module-name | ACLCAT category | PATTERN pattern] */
    static void list(CallContext c, byte[][] argv) {
        String mode = null;
        byte[] filter = null;
        if (argv.length == 5 && Args.is(argv[2], "filterby")) {
            mode = Args.lower(argv[3]);
            filter = argv[4];
            if (!mode.equals("module") && !mode.equals("aclcat") && !mode.equals("pattern")) throw Errors.syntax();
        } else if (argv.length != 2) {
            throw Errors.syntax();
        }
        List<String> names = new ArrayList<>();
        for (CommandSpec spec : c.server().table().all()) {
            addIfMatches(names, spec, mode, filter);
            for (CommandSpec sub : spec.subcommands().values()) addIfMatches(names, sub, mode, filter);
        }
        c.reply.arrayHeader(names.size());
        for (String n : names) c.reply.bulk(n);
    }

    private static void addIfMatches(List<String> out, CommandSpec spec, String mode, byte[] filter) {
        if (mode == null) {
            out.add(spec.name());
        } else if (mode.equals("aclcat")) {
            if (spec.aclCategories().contains(Bytes.lower(filter))) out.add(spec.name());
        } else if (mode.equals("pattern")) {
            if (Glob.match(filter, spec.name().getBytes(StandardCharsets.US_ASCII), true)) out.add(spec.name());
        }
        // MODULE: Keyline has no modules, so nothing matches.
    }

    /** COMMAND GETKEYS command [arg ...] / COMMAND GETKEYSANDFLAGS command [arg ...] */
    static void getkeys(CallContext c, byte[][] argv, boolean withFlags) {
        byte[][] cmd = Arrays.copyOfRange(argv, 2, argv.length);
        CommandSpec spec = c.server().table().lookup(cmd[0]);
        if (spec != null && !spec.subcommands().isEmpty()) {
            spec = cmd.length < 2 ? null : spec.subcommands().get(Bytes.lower(cmd[1]));
        }
        if (spec == null) throw new RedisException("ERR Invalid command specified");
        // Only NOT_KEY specs (SSUBSCRIBE, SPUBLISH: channels, not keys) count as no keys, as Redis's doesCommandHaveKeys.
        boolean onlyNotKeySpecs = !spec.keySpecs().isEmpty() && !hasRealKeySpec(spec);
        if ((!spec.hasKeys() || onlyNotKeySpecs) && !hasRealKeySpec(spec)) throw new RedisException("ERR The command has no key arguments");
        if ((spec.arity() > 0 && spec.arity() != cmd.length) || cmd.length < -spec.arity()) {
            throw new RedisException("ERR Invalid number of arguments specified for command");
        }
        List<int[]> keys = keysWithFlags(spec, cmd);
        if (keys.isEmpty()) {
            if (spec.hasFlag(Flag.NO_MANDATORY_KEYS)) {
                c.reply.arrayHeader(0);
                return;
            }
            throw new RedisException("ERR Invalid arguments specified for command");
        }
        c.reply.arrayHeader(keys.size());
        for (int[] key : keys) {
            if (withFlags) {
                c.reply.arrayHeader(2);
                c.reply.bulk(cmd[key[0]]);
                List<String> flags = KeySpec.flagNames(key[1]);
                c.reply.setHeader(flags.size());
                for (String f : flags) c.reply.simple(f);
            } else {
                c.reply.bulk(cmd[key[0]]);
            }
        }
    }

    private static boolean hasRealKeySpec(CommandSpec spec) {
        for (KeySpec ks : spec.keySpecs()) if (!ks.has(KeySpec.KeyFlag.NOT_KEY)) return true;
        return false;
    }

    static List<int[]> keysWithFlags(CommandSpec spec, byte[][] cmd) {
        return CommandSpec.keysWithFlags(spec, cmd);
    }

    /** The handlers of the commands registered above, one class for all of them (see {@link Handler}). */
    private enum Op implements Handler {
        COMMAND, COMMAND_COUNT, COMMAND_INFO, COMMAND_DOCS, COMMAND_LIST, COMMAND_GETKEYS, COMMAND_GETKEYSANDFLAGS,
        COMMAND_HELP;

        @Override
        public void handle(CallContext c, byte[][] argv) {
            switch (this) {
                case COMMAND -> all(c, argv);
                case COMMAND_COUNT -> c.reply.integer(c.server().table().size());
                case COMMAND_INFO -> info(c, argv);
                case COMMAND_DOCS -> docs(c, argv);
                case COMMAND_LIST -> list(c, argv);
                case COMMAND_GETKEYS -> getkeys(c, argv, false);
                case COMMAND_GETKEYSANDFLAGS -> getkeys(c, argv, true);
                case COMMAND_HELP -> Help.reply(c, "COMMAND",
                    "(no subcommand)",
                    "    Return details about all Redis commands.",
                    "COUNT",
                    "    Return the total number of commands in this Redis server.",
                    "LIST",
                    "    Return a list of all commands in this Redis server.",
                    "INFO [<command-name> ...]",
                    "    Return details about multiple Redis commands.",
                    "    If no command names are given, documentation details for all",
                    "    commands are returned.",
                    "DOCS [<command-name> ...]",
                    "    Return documentation details about multiple Redis commands.",
                    "    If no command names are given, documentation details for all",
                    "    commands are returned.",
                    "GETKEYS <full-command>",
                    "    Return the keys from a full Redis command.",
                    "GETKEYSANDFLAGS <full-command>",
                    "    Return the keys and the access flags from a full Redis command.");
            }
        }
    }
}
