package io.keyline.commands;

import io.keyline.engine.CallContext;
import io.keyline.engine.CommandSpec;
import io.keyline.engine.CommandSpec.Flag;
import io.keyline.engine.CommandTable;
import io.keyline.engine.Handler;
import io.keyline.engine.Help;
import io.keyline.engine.KeySpec;
import io.keyline.engine.RedisException;
import io.keyline.scripting.Functions;
import io.keyline.util.Bytes;
import io.keyline.util.Glob;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** FCALL, FCALL_RO and FUNCTION: Redis 7 function libraries (the engine is {@link Functions}). */
final class FunctionCommands {
    private FunctionCommands() {
    }

    static void register(CommandTable t) {
        // LOCK_ALL as EVAL: a function holds every stripe while it runs.
        t.command("fcall", -3).flags(Flag.NOSCRIPT, Flag.STALE, Flag.SKIP_MONITOR, Flag.NO_MANDATORY_KEYS, Flag.LOCK_ALL,
                        Flag.SCRIPT_THREAD)
                .keys(SetCommands.numKeysAt(2))
                .keySpec(KeySpec.index(2).keynum(0, 1, 1).flags("RW access update")
                        .notes("We cannot tell how the keys will be used so we assume the worst, RW and UPDATE"))
                .acl("slow", "scripting").group("scripting")
                .doc("Invokes a function.", "7.0.0", "Depends on the function that is executed.")
                .handler(Op.FCALL);
        t.command("fcall_ro", -3).flags(Flag.READONLY, Flag.NOSCRIPT, Flag.STALE, Flag.SKIP_MONITOR,
                        Flag.NO_MANDATORY_KEYS, Flag.LOCK_ALL, Flag.SCRIPT_THREAD)
                .keys(SetCommands.numKeysAt(2))
                .keySpec(KeySpec.index(2).keynum(0, 1, 1).flags("RO access")
                        .notes("We cannot tell how the keys will be used so we assume the worst, RO and ACCESS"))
                .acl("slow", "scripting").group("scripting")
                .doc("Invokes a read-only function.", "7.0.0", "Depends on the function that is executed.")
                .handler(Op.FCALL_RO);

        CommandSpec fn = t.command("function", -2).group("scripting")
                .doc("A container for function commands.", "7.0.0", "Depends on subcommand.").handler(null);
        // LOCK_ALL on the commands that change libraries: none runs while a function does.
        t.subcommand(fn, "load", -3).flags(Flag.WRITE, Flag.DENYOOM, Flag.NOSCRIPT, Flag.LOCK_ALL).acl("slow", "scripting")
                .group("scripting").tips("request_policy:all_shards", "response_policy:all_succeeded")
                .doc("Creates a library.", "7.0.0", "O(1) (considering compilation time is redundant)")
                .handler(Op.FN_LOAD);
        t.subcommand(fn, "delete", 3).flags(Flag.WRITE, Flag.NOSCRIPT, Flag.LOCK_ALL).acl("slow", "scripting")
                .group("scripting").tips("request_policy:all_shards", "response_policy:all_succeeded")
                .doc("Deletes a library and its functions.", "7.0.0", "O(1)")
                .handler(Op.FN_DELETE);
        t.subcommand(fn, "list", -2).flags(Flag.NOSCRIPT).acl("slow", "scripting").group("scripting")
                .tips("nondeterministic_output_order")
                .doc("Returns information about all libraries.", "7.0.0", "O(N) where N is the number of functions")
                .handler(Op.FN_LIST);
        t.subcommand(fn, "flush", -2).flags(Flag.WRITE, Flag.NOSCRIPT, Flag.LOCK_ALL).acl("slow", "scripting")
                .group("scripting").tips("request_policy:all_shards", "response_policy:all_succeeded")
                .doc("Deletes all libraries and functions.", "7.0.0", "O(N) where N is the number of functions deleted")
                .handler(Op.FN_FLUSH);
        t.subcommand(fn, "dump", 2).flags(Flag.NOSCRIPT).acl("slow", "scripting").group("scripting")
                .doc("Dumps all libraries into a serialized binary payload.", "7.0.0",
                        "O(N) where N is the number of functions")
                .handler(Op.FN_DUMP);
        t.subcommand(fn, "restore", -3).flags(Flag.WRITE, Flag.DENYOOM, Flag.NOSCRIPT, Flag.LOCK_ALL).acl("slow", "scripting")
                .group("scripting").tips("request_policy:all_shards", "response_policy:all_succeeded")
                .doc("Restores all libraries from a payload.", "7.0.0",
                        "O(N) where N is the number of functions on the payload")
                .handler(Op.FN_RESTORE);
        t.subcommand(fn, "stats", 2).flags(Flag.NOSCRIPT, Flag.ALLOW_BUSY).acl("slow", "scripting").group("scripting")
                .tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special")
                .doc("Returns information about a function during execution.", "7.0.0", "O(1)")
                .handler(Op.FN_STATS);
        t.subcommand(fn, "kill", 2).flags(Flag.NOSCRIPT, Flag.ALLOW_BUSY).acl("slow", "scripting").group("scripting")
                .tips("request_policy:all_shards", "response_policy:one_succeeded")
                .doc("Terminates a function during execution.", "7.0.0", "O(1)")
                .handler(Op.FN_KILL);
        t.subcommand(fn, "help", 2).flags(Flag.LOADING, Flag.STALE).acl("slow", "scripting").group("scripting")
                .doc("Returns helpful text about the different subcommands.", "7.0.0", "O(1)")
                .handler(Op.FN_HELP);
    }

    /** FUNCTION LOAD [REPLACE] code */
    static void load(CallContext c, byte[][] argv) {
        boolean replace = false;
        int i = 2;
        while (i < argv.length - 1) {
            byte[] opt = argv[i++];
            if (Bytes.equalsIgnoreCase(opt, "replace")) {
                replace = true;
                continue;
            }
            throw new RedisException("ERR Unknown option given: " + new String(opt, StandardCharsets.ISO_8859_1));
        }
        if (i >= argv.length) throw new RedisException("ERR Function code is missing");
        String name = Functions.of(c.server()).load(argv[i], replace);
        c.changed(); // logged: the library survives a restart
        c.reply.bulk(name);
    }

    /** FUNCTION DELETE library */
    static void delete(CallContext c, byte[][] argv) {
        if (!Functions.of(c.server()).delete(new String(argv[2], StandardCharsets.ISO_8859_1))) {
            throw new RedisException("ERR Library not found");
        }
        c.changed();
        c.reply.ok();
    }

    /** FUNCTION FLUSH [ASYNC|SYNC] */
    static void flush(CallContext c, byte[][] argv) {
        if (argv.length > 3) throw subcommandSyntax(argv);
        if (argv.length == 3 && !Bytes.equalsIgnoreCase(argv[2], "sync") && !Bytes.equalsIgnoreCase(argv[2], "async")) {
            throw new RedisException("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
        }
        Functions.of(c.server()).flush();
        c.changed();
        c.reply.ok();
    }

    private static RedisException subcommandSyntax(byte[][] argv) {
        return new RedisException("ERR unknown subcommand or wrong number of arguments for '"
                + new String(argv[1], StandardCharsets.ISO_8859_1) + "'. Try FUNCTION HELP.");
    }

    /** FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE] */
    static void restore(CallContext c, byte[][] argv) {
        if (argv.length > 4) throw subcommandSyntax(argv);
        Functions.RestorePolicy policy = Functions.RestorePolicy.APPEND;
        if (argv.length == 4) {
            if (Bytes.equalsIgnoreCase(argv[3], "append")) policy = Functions.RestorePolicy.APPEND;
            else if (Bytes.equalsIgnoreCase(argv[3], "replace")) policy = Functions.RestorePolicy.REPLACE;
            else if (Bytes.equalsIgnoreCase(argv[3], "flush")) policy = Functions.RestorePolicy.FLUSH;
            else throw new RedisException("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
        }
        Functions.of(c.server()).restore(argv[2], policy);
        c.changed();
        c.reply.ok();
    }

    /** FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE] */
    static void list(CallContext c, byte[][] argv) {
        boolean withCode = false;
        byte[] pattern = null;
        for (int i = 2; i < argv.length; i++) {
            if (!withCode && Bytes.equalsIgnoreCase(argv[i], "withcode")) {
                withCode = true;
                continue;
            }
            if (pattern == null && Bytes.equalsIgnoreCase(argv[i], "libraryname")) {
                if (i >= argv.length - 1) throw new RedisException("ERR library name argument was not given");
                pattern = argv[++i];
                continue;
            }
            throw new RedisException("ERR Unknown argument " + new String(argv[i], StandardCharsets.ISO_8859_1));
        }
        List<Functions.Library> libs = new ArrayList<>();
        for (Functions.Library l : Functions.of(c.server()).libraries()) {
            if (pattern == null || Glob.match(pattern, l.name.getBytes(StandardCharsets.ISO_8859_1), true)) libs.add(l);
        }
        c.reply.arrayHeader(libs.size());
        for (Functions.Library l : libs) {
            c.reply.mapHeader(withCode ? 4 : 3);
            c.reply.bulk("library_name");
            c.reply.bulk(l.name);
            c.reply.bulk("engine");
            c.reply.bulk("LUA");
            c.reply.bulk("functions");
            c.reply.arrayHeader(l.functions.size());
            for (Functions.Fn f : l.functions.values()) {
                c.reply.mapHeader(3);
                c.reply.bulk("name");
                c.reply.bulk(f.name);
                c.reply.bulk("description");
                if (f.description != null) c.reply.bulk(f.description);
                else c.reply.nullBulk();
                c.reply.bulk("flags");
                int n = Integer.bitCount(f.flags);
                c.reply.setHeader(n);
                for (int b = 0; b < Functions.FLAG_NAMES.length; b++) {
                    if ((f.flags & (1 << b)) != 0) c.reply.simple(Functions.FLAG_NAMES[b]);
                }
            }
            if (withCode) {
                c.reply.bulk("library_code");
                c.reply.bulk(l.code);
            }
        }
    }

    /**
     * FUNCTION STATS: served while a function runs (allow-busy), it then names it, its command line and how
     * long it has run, as Redis's functionStatsCommand.
     */
    static void stats(CallContext c, byte[][] argv) {
        Functions f = Functions.of(c.server());
        io.keyline.engine.ScriptThread running = c.server().scriptThread();
        String name = running.name();
        byte[][] command = running.command();
        c.reply.mapHeader(2);
        c.reply.bulk("running_script");
        if (name != null && command != null && running.isFunction()) {
            c.reply.mapHeader(3);
            c.reply.bulk("name");
            c.reply.bulk(name);
            c.reply.bulk("command");
            c.reply.arrayHeader(command.length);
            for (byte[] arg : command) c.reply.bulk(arg);
            c.reply.bulk("duration_ms");
            c.reply.integer(running.durationMillis());
        } else {
            c.reply.nullBulk();
        }
        c.reply.bulk("engines");
        c.reply.mapHeader(1);
        c.reply.bulk("LUA");
        c.reply.mapHeader(2);
        c.reply.bulk("libraries_count");
        c.reply.integer(f.libraryCount());
        c.reply.bulk("functions_count");
        c.reply.integer(f.functionCount());
    }

    /**
     * FUNCTION KILL. Hook for the busy-script machinery (h-busy's branch): once a running function can be
     * stopped, this method asks it to (Redis's scriptKill(c, 0)); until then no function can be running
     * while a command is served, so the answer is NOTBUSY.
     */
    static void kill(CallContext c, byte[][] argv) {
        killRunningFunction(c);
    }

    /** The one place FUNCTION KILL reaches the kill machinery; wire the busy script registry here. */
    static void killRunningFunction(CallContext c) {
        String err = c.server().scriptThread().kill(true);
        if (err != null) throw new RedisException(err);
        c.reply.ok();
    }

    static void help(CallContext c, byte[][] argv) {
        Help.reply(c, "FUNCTION",
                "LOAD [REPLACE] <FUNCTION CODE>",
                "    Create a new library with the given library name and code.",
                "DELETE <LIBRARY NAME>",
                "    Delete the given library.",
                "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
                "    Return general information on all the libraries:",
                "    * Library name",
                "    * The engine used to run the Library",
                "    * Functions list",
                "    * Library code (if WITHCODE is given)",
                "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
                "STATS",
                "    Return information about the current function running:",
                "    * Function name",
                "    * Command used to run the function",
                "    * Duration in MS that the function is running",
                "    If no function is running, return nil",
                "    In addition, returns a list of available engines.",
                "KILL",
                "    Kill the current running function.",
                "FLUSH [ASYNC|SYNC]",
                "    Delete all the libraries.",
                "    When called without the optional mode argument, the behavior is determined by the",
                "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                "    * ASYNC: Asynchronously flush the libraries.",
                "    * SYNC: Synchronously flush the libraries.",
                "DUMP",
                "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
                "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
                "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
                "    control how to handle existing libraries (default APPEND):",
                "    * FLUSH: delete all existing libraries.",
                "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
                "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
                "      libraries with the new libraries (notice that even on this option there is a chance of failure",
                "      in case of functions name collision with another library).");
    }

    /** The handlers of the commands registered above, one class for all of them (see {@link Handler}). */
    private enum Op implements Handler {
        FCALL, FCALL_RO, FN_LOAD, FN_DELETE, FN_LIST, FN_FLUSH, FN_DUMP, FN_RESTORE, FN_STATS, FN_KILL, FN_HELP;

        @Override
        public void handle(CallContext c, byte[][] argv) {
            switch (this) {
                case FCALL -> Functions.of(c.server()).fcall(c, argv, false);
                case FCALL_RO -> Functions.of(c.server()).fcall(c, argv, true);
                case FN_LOAD -> load(c, argv);
                case FN_DELETE -> delete(c, argv);
                case FN_LIST -> list(c, argv);
                case FN_FLUSH -> flush(c, argv);
                case FN_DUMP -> c.reply.bulk(Functions.of(c.server()).dump());
                case FN_RESTORE -> restore(c, argv);
                case FN_STATS -> stats(c, argv);
                case FN_KILL -> kill(c, argv);
                case FN_HELP -> help(c, argv);
            }
        }
    }
}
