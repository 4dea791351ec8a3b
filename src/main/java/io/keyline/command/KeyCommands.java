package io.keyline.command;

import io.keyline.command.CommandSpec.Flag;

import java.nio.charset.StandardCharsets;

/** Generic key commands: DEL, EXISTS, TYPE, EXPIRE family, SCAN, RENAME... */
final class KeyCommands {
    static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);

    private KeyCommands() {
    }

    static void register(CommandTable t) {
        t.command("del", -2).flags(Flag.WRITE).keys(1, -1, 1).acl("keyspace").group("generic")
                .doc("Deletes one or more keys.", "1.0.0", "O(N) where N is the number of keys that will be removed.")
                .handler(KeyCommands::del);
        t.command("exists", -2).flags(Flag.READONLY, Flag.FAST).keys(1, -1, 1).acl("keyspace").group("generic")
                .doc("Determines whether one or more keys exist.", "1.0.0", "O(N) where N is the number of keys to check.")
                .handler(KeyCommands::exists);
    }

    /** DEL key [key ...] */
    static void del(Client c, byte[][] argv) {
        long n = 0;
        for (int i = 1; i < argv.length; i++) {
            if (c.db().delete(argv[i])) {
                c.modified(argv[i]);
                n++;
            }
        }
        c.reply.integer(n);
    }

    /** EXISTS key [key ...] */
    static void exists(Client c, byte[][] argv) {
        long n = 0;
        for (int i = 1; i < argv.length; i++) if (c.db().exists(argv[i])) n++;
        c.reply.integer(n);
    }
}
