package io.keyline.command;

import io.keyline.command.CommandSpec.Flag;

/** CLIENT subcommands. */
final class ClientCommands {
    private ClientCommands() {
    }

    static void register(CommandTable t) {
        CommandSpec client = t.command("client", -2).acl("connection").group("connection")
                .doc("A container for client connection commands.", "2.4.0", "Depends on subcommand.").handler(null);
        t.subcommand(client, "id", 2).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
                .doc("Returns the unique client ID of the connection.", "5.0.0", "O(1)")
                .handler((c, a) -> c.reply.integer(c.id()));
        t.subcommand(client, "setname", 3).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
                .doc("Sets the connection name.", "2.6.9", "O(1)").handler(ClientCommands::setname);
        t.subcommand(client, "getname", 2).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
                .doc("Returns the name of the connection.", "2.6.9", "O(1)")
                .handler((c, a) -> {
                    if (c.name().isEmpty()) c.reply.nullBulk();
                    else c.reply.bulk(c.name());
                });
    }

    static void validateName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < '!' || ch > '~') {
                throw new RedisException("ERR Client names cannot contain spaces, newlines or special characters.");
            }
        }
    }

    /** CLIENT SETNAME connection-name */
    static void setname(Client c, byte[][] argv) {
        String name = Args.str(argv[2]);
        validateName(name);
        c.name(name);
        c.reply.ok();
    }
}
