package io.keyline.commands;

import io.keyline.engine.Acl;
import io.keyline.engine.AclUser;
import io.keyline.engine.CallContext;
import io.keyline.engine.CommandSpec;
import io.keyline.engine.CommandSpec.Flag;
import io.keyline.engine.CommandTable;
import io.keyline.engine.Errors;
import io.keyline.engine.Handler;
import io.keyline.engine.Help;
import io.keyline.engine.RedisException;
import io.keyline.util.Bytes;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/** ACL and its subcommands (Redis 7.2's aclCommand); the users and checks are {@link Acl}'s. */
final class AclCommands {
    private static final String NO_ACLFILE = "ERR This Redis instance is not configured to use an ACL file. You may want "
            + "to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis "
            + "configuration file set) in order to store users in the Redis configuration.";

    private AclCommands() {
    }

    static void register(CommandTable t) {
        CommandSpec acl = t.command("acl", -2).group("server")
                .doc("A container for Access List Control commands.", "6.0.0", "Depends on subcommand.").handler(null);
        Flag[] admin = {Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE};
        Flag[] plain = {Flag.NOSCRIPT, Flag.LOADING, Flag.STALE};
        String users = "O(N). Where N is the number of configured users.";
        t.subcommand(acl, "cat", -2).flags(plain)
                .doc("Lists the ACL categories, or the commands inside a category.", "6.0.0",
                        "O(1) since the categories and commands are a fixed set.").handler(Op.ACL_CAT);
        t.subcommand(acl, "deluser", -3).flags(admin).tips("request_policy:all_nodes", "response_policy:all_succeeded")
                .doc("Deletes ACL users, and terminates their connections.", "6.0.0",
                        "O(1) amortized time considering the typical user.").handler(Op.ACL_DELUSER);
        t.subcommand(acl, "dryrun", -4).flags(admin)
                .doc("Simulates the execution of a command by a user, without executing the command.", "7.0.0", "O(1).")
                .handler(Op.ACL_DRYRUN);
        t.subcommand(acl, "genpass", -2).flags(plain)
                .doc("Generates a pseudorandom, secure password that can be used to identify ACL users.", "6.0.0", "O(N)")
                .handler(Op.ACL_GENPASS);
        t.subcommand(acl, "getuser", 3).flags(admin)
                .doc("Lists the ACL rules of a user.", "6.0.0",
                        "O(N). Where N is the number of password, command and pattern rules that the user has.")
                .handler(Op.ACL_GETUSER);
        t.subcommand(acl, "help", 2).flags(Flag.LOADING, Flag.STALE)
                .doc("Returns helpful text about the different subcommands.", "6.0.0", "O(1)").handler(Op.ACL_HELP);
        t.subcommand(acl, "list", 2).flags(admin).doc("Dumps the effective rules in ACL file format.", "6.0.0", users)
                .handler(Op.ACL_LIST);
        t.subcommand(acl, "load", 2).flags(admin).doc("Reloads the rules from the configured ACL file.", "6.0.0", users)
                .handler(Op.ACL_LOAD);
        t.subcommand(acl, "log", -2).flags(admin)
                .doc("Lists recent security events generated due to ACL rules.", "6.0.0",
                        "O(N) with N being the number of entries shown.").handler(Op.ACL_LOG);
        t.subcommand(acl, "save", 2).flags(admin).tips("request_policy:all_nodes", "response_policy:all_succeeded")
                .doc("Saves the effective ACL rules in the configured ACL file.", "6.0.0", users).handler(Op.ACL_SAVE);
        t.subcommand(acl, "setuser", -3).flags(admin).tips("request_policy:all_nodes", "response_policy:all_succeeded")
                .doc("Creates and modifies an ACL user and its rules.", "6.0.0",
                        "O(N). Where N is the number of rules provided.").handler(Op.ACL_SETUSER);
        t.subcommand(acl, "users", 2).flags(admin).doc("Lists all ACL users.", "6.0.0", users).handler(Op.ACL_USERS);
        t.subcommand(acl, "whoami", 2).flags(plain)
                .doc("Returns the authenticated username of the current connection.", "6.0.0", "O(1)")
                .handler(Op.ACL_WHOAMI);
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** Redis's addReplySubcommandSyntaxError, for argument counts the table's arity lets through. */
    private static RedisException syntaxError(byte[][] argv) {
        String sub = Bytes.str(argv[1]);
        if (sub.length() > 128) sub = sub.substring(0, 128);
        return new RedisException("ERR unknown subcommand or wrong number of arguments for '" + sub + "'. Try ACL HELP.");
    }

    /** ACL CAT [category] */
    static void cat(CallContext c, byte[][] argv) {
        if (argv.length > 3) throw syntaxError(argv);
        if (argv.length == 2) {
            c.reply.arrayHeader(Acl.CATEGORIES.size());
            for (String cat : Acl.CATEGORIES) c.reply.bulk(cat);
            return;
        }
        List<String> cmds = c.server().acl().commandsIn(latin1(argv[2]));
        if (cmds == null) {
            String name = Bytes.str(argv[2]);
            throw new RedisException("ERR Unknown category '" + (name.length() > 128 ? name.substring(0, 128) : name) + "'");
        }
        c.reply.arrayHeader(cmds.size());
        for (String n : cmds) c.reply.bulk(n);
    }

    /** ACL SETUSER username [rule [rule ...]] */
    static void setuser(CallContext c, byte[][] argv) {
        String name = latin1(argv[2]);
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch == 0 || ch == ' ' || (ch >= '\t' && ch <= '\r')) {
                throw new RedisException("ERR Usernames can't contain spaces or null characters");
            }
        }
        List<String> ops = new ArrayList<>(argv.length - 3);
        for (int i = 3; i < argv.length; i++) ops.add(latin1(argv[i]));
        String error = c.server().acl().setUser(name, ops, c.server());
        if (error != null) throw new RedisException(error);
        c.reply.ok();
    }

    /** ACL DELUSER username [username ...] */
    static void deluser(CallContext c, byte[][] argv) {
        List<String> names = new ArrayList<>();
        for (int i = 2; i < argv.length; i++) {
            String n = latin1(argv[i]);
            if (n.equals("default")) throw new RedisException("ERR The 'default' user cannot be removed");
            names.add(n);
        }
        c.reply.integer(c.server().acl().deleteUsers(names, c.client(), c.server()));
    }

    /** ACL GETUSER username */
    static void getuser(CallContext c, byte[][] argv) {
        AclUser u = c.server().acl().user(latin1(argv[2]));
        if (u == null) {
            c.reply.nullBulk();
            return;
        }
        c.server().acl().writeGetUser(u, c.reply);
    }

    /** ACL LIST */
    static void list(CallContext c, byte[][] argv) {
        Acl acl = c.server().acl();
        List<AclUser> all = acl.users();
        c.reply.arrayHeader(all.size());
        for (AclUser u : all) c.reply.bulk(acl.describeUser(u).getBytes(StandardCharsets.ISO_8859_1));
    }

    /** ACL USERS */
    static void users(CallContext c, byte[][] argv) {
        List<AclUser> all = c.server().acl().users();
        c.reply.arrayHeader(all.size());
        for (AclUser u : all) c.reply.bulk(u.name().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** ACL WHOAMI */
    static void whoami(CallContext c, byte[][] argv) {
        c.reply.bulk(c.client().user().getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Path aclFile(CallContext c) {
        String file = c.server().config().get("aclfile");
        if (file == null || file.isEmpty()) throw new RedisException(NO_ACLFILE);
        return Path.of(file);
    }

    /** ACL LOAD */
    static void load(CallContext c, byte[][] argv) {
        String errors = c.server().acl().load(aclFile(c), c.server(), c.client());
        if (errors != null) throw new RedisException("ERR " + errors);
        c.reply.ok();
    }

    /** ACL SAVE */
    static void save(CallContext c, byte[][] argv) {
        if (!c.server().acl().save(aclFile(c))) {
            throw new RedisException("ERR There was an error trying to save the ACLs. Please check the server logs for more information");
        }
        c.reply.ok();
    }

    /** ACL GENPASS [bits] */
    static void genpass(CallContext c, byte[][] argv) {
        if (argv.length > 3) throw syntaxError(argv);
        long bits = 256;
        if (argv.length == 3) bits = Bytes.parseLongOrThrow(argv[2], new RedisException(Errors.NOT_INTEGER));
        if (bits <= 0 || bits > 4096) {
            throw new RedisException("ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096");
        }
        int chars = (int) ((bits + 3) / 4);
        byte[] random = new byte[(chars + 1) / 2];
        GenpassRandom.RANDOM.nextBytes(random);
        StringBuilder sb = new StringBuilder(chars + 1);
        for (byte b : random) sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        c.reply.bulk(sb.substring(0, chars));
    }

    /** ACL GENPASS's source, created at its first use: a SecureRandom loads the security providers (~40 classes) at start-up. */
    private static final class GenpassRandom {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    /** ACL LOG [count | RESET] */
    static void log(CallContext c, byte[][] argv) {
        if (argv.length > 3) throw syntaxError(argv);
        long count = 10;
        if (argv.length == 3) {
            if (Bytes.equalsIgnoreCase(argv[2], "reset")) {
                c.server().acl().resetLog();
                c.reply.ok();
                return;
            }
            count = Math.max(0, Bytes.parseLongOrThrow(argv[2], new RedisException(Errors.NOT_INTEGER)));
        }
        c.server().acl().writeLog(count, c.reply);
    }

    /** ACL DRYRUN username command [arg [arg ...]] */
    static void dryrun(CallContext c, byte[][] argv) {
        Acl acl = c.server().acl();
        AclUser u = acl.user(latin1(argv[2]));
        if (u == null) throw new RedisException("ERR User '" + Bytes.str(argv[2]) + "' not found");
        byte[][] cmd = java.util.Arrays.copyOfRange(argv, 3, argv.length);
        CommandSpec spec = c.server().table().lookup(cmd[0]);
        if (spec != null && !spec.subcommands().isEmpty() && cmd.length >= 2) {
            spec = spec.subcommands().get(Bytes.lower(cmd[1]));
        }
        if (spec == null) throw new RedisException("ERR Command '" + Bytes.str(argv[3]) + "' not found");
        if ((spec.arity() > 0 && spec.arity() != cmd.length) || cmd.length < -spec.arity()) {
            throw new RedisException("ERR wrong number of arguments for '" + spec.name() + "' command");
        }
        int result = acl.check(u, spec, cmd);
        if (result != Acl.OK) {
            c.reply.bulk(Acl.errorMessage(result, u, spec, cmd, true).getBytes(StandardCharsets.ISO_8859_1));
            return;
        }
        c.reply.ok();
    }

    /** ACL HELP */
    static void help(CallContext c, byte[][] argv) {
        Help.reply(c, "ACL",
                "CAT [<category>]",
                "    List all commands that belong to <category>, or all command categories",
                "    when no category is specified.",
                "DELUSER <username> [<username> ...]",
                "    Delete a list of users.",
                "DRYRUN <username> <command> [<arg> ...]",
                "    Returns whether the user can execute the given command without executing the command.",
                "GETUSER <username>",
                "    Get the user's details.",
                "GENPASS [<bits>]",
                "    Generate a secure 256-bit user password. The optional `bits` argument can",
                "    be used to specify a different size.",
                "LIST",
                "    Show users details in config file format.",
                "LOAD",
                "    Reload users from the ACL file.",
                "LOG [<count> | RESET]",
                "    Show the ACL log entries.",
                "SAVE",
                "    Save the current config to the ACL file.",
                "SETUSER <username> <attribute> [<attribute> ...]",
                "    Create or modify a user with the specified attributes.",
                "USERS",
                "    List all the registered usernames.",
                "WHOAMI",
                "    Return the current connection username.");
    }

    /** The handlers of the commands registered above, one class for all of them (see {@link Handler}). */
    private enum Op implements Handler {
        ACL_CAT, ACL_DELUSER, ACL_DRYRUN, ACL_GENPASS, ACL_GETUSER, ACL_HELP, ACL_LIST, ACL_LOAD, ACL_LOG, ACL_SAVE,
        ACL_SETUSER, ACL_USERS, ACL_WHOAMI;

        @Override
        public void handle(CallContext c, byte[][] argv) {
            switch (this) {
                case ACL_CAT -> cat(c, argv);
                case ACL_DELUSER -> deluser(c, argv);
                case ACL_DRYRUN -> dryrun(c, argv);
                case ACL_GENPASS -> genpass(c, argv);
                case ACL_GETUSER -> getuser(c, argv);
                case ACL_HELP -> help(c, argv);
                case ACL_LIST -> list(c, argv);
                case ACL_LOAD -> load(c, argv);
                case ACL_LOG -> log(c, argv);
                case ACL_SAVE -> save(c, argv);
                case ACL_SETUSER -> setuser(c, argv);
                case ACL_USERS -> users(c, argv);
                case ACL_WHOAMI -> whoami(c, argv);
            }
        }
    }
}
