package io.keyline.command;

import io.keyline.command.CommandSpec.Flag;
import io.keyline.store.Database;

import java.nio.charset.StandardCharsets;

/** String commands: GET, SET and friends. Values are stored as {@code byte[]}. */
final class StringCommands {
    static final byte[] SET = "SET".getBytes(StandardCharsets.US_ASCII);
    static final byte[] PXAT = "PXAT".getBytes(StandardCharsets.US_ASCII);
    static final byte[] KEEPTTL = "KEEPTTL".getBytes(StandardCharsets.US_ASCII);

    private StringCommands() {
    }

    static void register(CommandTable t) {
        t.command("get", 2).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl("string").group("string")
                .doc("Returns the string value of a key.", "1.0.0", "O(1)").handler(StringCommands::get);
        t.command("set", -3).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1).acl("string").group("string")
                .doc("Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.", "1.0.0", "O(1)")
                .handler(SetCommand::set);
    }

    /** The string at {@code key}, null if absent; WRONGTYPE for another type. */
    static byte[] getString(Database db, byte[] key) {
        Object v = db.get(key);
        if (v == null) return null;
        if (v instanceof byte[] b) return b;
        throw Errors.wrongType();
    }

    /** GET key */
    static void get(Client c, byte[][] argv) {
        c.reply.bulk(getString(c.db(), argv[1]));
    }
}
