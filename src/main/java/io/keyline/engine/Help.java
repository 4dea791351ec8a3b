package io.keyline.engine;

/** Redis's addReplyHelp: the usage line, the subcommand lines, then HELP, as status replies. */
public final class Help {
    private Help() {
    }

    public static void reply(CallContext c, String command, String... lines) {
        c.reply.arrayHeader(lines.length + 3);
        c.reply.simple(command + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String l : lines) c.reply.simple(l);
        c.reply.simple("HELP");
        c.reply.simple("    Prints this help.");
    }
}
