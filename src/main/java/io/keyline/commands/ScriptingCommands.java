package io.keyline.commands;

import io.keyline.engine.CallContext;
import io.keyline.engine.CommandSpec;
import io.keyline.engine.CommandSpec.Flag;
import io.keyline.engine.CommandTable;
import io.keyline.engine.Handler;
import io.keyline.engine.Help;
import io.keyline.engine.KeySpec;
import io.keyline.engine.RedisException;
import io.keyline.scripting.Scripting;
import io.keyline.util.Bytes;

import java.nio.charset.StandardCharsets;

/** EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT: Lua scripts (the engine is {@link Scripting}). */
final class ScriptingCommands {
    private ScriptingCommands() {
    }

    static void register(CommandTable t) {
        // LOCK_ALL: a script holds every stripe while it runs (atomic, as EXEC); its calls take no locks.
        // SCRIPT_THREAD: a network client's script runs off the event loop (engine.ScriptThread).
        t.command("eval", -3).flags(Flag.NOSCRIPT, Flag.STALE, Flag.SKIP_MONITOR, Flag.NO_MANDATORY_KEYS, Flag.LOCK_ALL,
                        Flag.SCRIPT_THREAD)
                .keys(SetCommands.numKeysAt(2))
                .keySpec(KeySpec.index(2).keynum(0, 1, 1).flags("RW access update")
                        .notes("We cannot tell how the keys will be used so we assume the worst, RW and UPDATE"))
                .acl("slow", "scripting").group("scripting")
                .doc("Executes a server-side Lua script.", "2.6.0", "Depends on the script that is executed.")
                .handler(Op.EVAL);
        t.command("evalsha", -3).flags(Flag.NOSCRIPT, Flag.STALE, Flag.SKIP_MONITOR, Flag.NO_MANDATORY_KEYS, Flag.LOCK_ALL,
                        Flag.SCRIPT_THREAD)
                .keys(SetCommands.numKeysAt(2))
                .keySpec(KeySpec.index(2).keynum(0, 1, 1).flags("RW access update"))
                .acl("slow", "scripting").group("scripting")
                .doc("Executes a server-side Lua script by SHA1 digest.", "2.6.0", "Depends on the script that is executed.")
                .handler(Op.EVALSHA);
        t.command("eval_ro", -3).flags(Flag.READONLY, Flag.NOSCRIPT, Flag.STALE, Flag.SKIP_MONITOR,
                        Flag.NO_MANDATORY_KEYS, Flag.LOCK_ALL,
                        Flag.SCRIPT_THREAD)
                .keys(SetCommands.numKeysAt(2))
                .keySpec(KeySpec.index(2).keynum(0, 1, 1).flags("RO access")
                        .notes("We cannot tell how the keys will be used so we assume the worst, RO and ACCESS"))
                .acl("slow", "scripting").group("scripting")
                .doc("Executes a read-only server-side Lua script.", "7.0.0", "Depends on the script that is executed.")
                .handler(Op.EVAL_RO);
        t.command("evalsha_ro", -3).flags(Flag.READONLY, Flag.NOSCRIPT, Flag.STALE, Flag.SKIP_MONITOR,
                        Flag.NO_MANDATORY_KEYS, Flag.LOCK_ALL,
                        Flag.SCRIPT_THREAD)
                .keys(SetCommands.numKeysAt(2))
                .keySpec(KeySpec.index(2).keynum(0, 1, 1).flags("RO access"))
                .acl("slow", "scripting").group("scripting")
                .doc("Executes a read-only server-side Lua script by SHA1 digest.", "7.0.0",
                        "Depends on the script that is executed.")
                .handler(Op.EVALSHA_RO);

        CommandSpec script = t.command("script", -2).group("scripting")
                .doc("A container for Lua scripts management commands.", "2.6.0", "Depends on subcommand.").handler(null);
        t.subcommand(script, "load", 3).flags(Flag.NOSCRIPT, Flag.STALE).acl("slow", "scripting").group("scripting")
                .tips("request_policy:all_nodes", "response_policy:all_succeeded")
                .doc("Loads a server-side Lua script to the script cache.", "2.6.0",
                        "O(N) with N being the length in bytes of the script body.")
                .handler(Op.SCRIPT_LOAD);
        t.subcommand(script, "exists", -3).flags(Flag.NOSCRIPT).acl("slow", "scripting").group("scripting")
                .tips("request_policy:all_shards", "response_policy:agg_logical_and")
                .doc("Determines whether server-side Lua scripts exist in the script cache.", "2.6.0",
                        "O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation).")
                .handler(Op.SCRIPT_EXISTS);
        t.subcommand(script, "flush", -2).flags(Flag.NOSCRIPT).acl("slow", "scripting").group("scripting")
                .tips("request_policy:all_nodes", "response_policy:all_succeeded")
                .doc("Removes all server-side Lua scripts from the script cache.", "2.6.0",
                        "O(N) with N being the number of scripts in cache")
                .handler(Op.SCRIPT_FLUSH);
        t.subcommand(script, "kill", 2).flags(Flag.NOSCRIPT, Flag.ALLOW_BUSY).acl("slow", "scripting").group("scripting")
                .tips("request_policy:all_shards", "response_policy:one_succeeded")
                .doc("Terminates a server-side Lua script during execution.", "2.6.0", "O(1)")
                .handler(Op.SCRIPT_KILL);
        t.subcommand(script, "help", 2).flags(Flag.LOADING, Flag.STALE).acl("slow", "scripting").group("scripting")
                .doc("Returns helpful text about the different subcommands.", "5.0.0", "O(1)")
                .handler(Op.SCRIPT_HELP);
    }

    /** SCRIPT LOAD script */
    static void load(CallContext c, byte[][] argv) {
        c.reply.bulk(Scripting.of(c.server()).load(argv[2]));
    }

    /** SCRIPT EXISTS sha1 [sha1 ...] */
    static void exists(CallContext c, byte[][] argv) {
        Scripting s = Scripting.of(c.server());
        c.reply.arrayHeader(argv.length - 2);
        for (int i = 2; i < argv.length; i++) {
            c.reply.integer(s.exists(new String(argv[i], StandardCharsets.ISO_8859_1)) ? 1 : 0);
        }
    }

    /** SCRIPT FLUSH [ASYNC|SYNC] */
    static void flush(CallContext c, byte[][] argv) {
        if (argv.length > 3 || (argv.length == 3 && !Bytes.equalsIgnoreCase(argv[2], "sync")
                && !Bytes.equalsIgnoreCase(argv[2], "async"))) {
            throw new RedisException("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
        }
        Scripting.of(c.server()).flush();
        c.reply.ok();
    }

    /** The handlers of the commands registered above, one class for all of them (see {@link Handler}). */
    private enum Op implements Handler {
        EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT_LOAD, SCRIPT_EXISTS, SCRIPT_FLUSH, SCRIPT_KILL, SCRIPT_HELP;

        @Override
        public void handle(CallContext c, byte[][] argv) {
            switch (this) {
                case EVAL -> Scripting.of(c.server()).eval(c, argv, false, false);
                case EVALSHA -> Scripting.of(c.server()).eval(c, argv, true, false);
                case EVAL_RO -> Scripting.of(c.server()).eval(c, argv, false, true);
                case EVALSHA_RO -> Scripting.of(c.server()).eval(c, argv, true, true);
                case SCRIPT_LOAD -> load(c, argv);
                case SCRIPT_EXISTS -> exists(c, argv);
                case SCRIPT_FLUSH -> flush(c, argv);
                case SCRIPT_KILL -> {
                    // Runs while the script does (allow-busy, no keys, no lock): it only flags it to stop.
                    String err = c.server().scriptThread().kill(false);
                    if (err != null) throw new RedisException(err);
                    c.reply.ok();
                }
                case SCRIPT_HELP -> Help.reply(c, "SCRIPT",
                    "EXISTS <sha1> [<sha1> ...]",
                    "    Return information about the existence of the scripts in the script cache.",
                    "FLUSH [ASYNC|SYNC]",
                    "    Flush the Lua scripts cache. Very dangerous on replicas.",
                    "    When called without the optional mode argument, the behavior is determined by the",
                    "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                    "    * ASYNC: Asynchronously flush the scripts cache.",
                    "    * SYNC: Synchronously flush the scripts cache.",
                    "KILL",
                    "    Kill the currently executing Lua script.",
                    "LOAD <script>",
                    "    Load a script into the scripts cache without executing it.");
            }
        }
    }
}
