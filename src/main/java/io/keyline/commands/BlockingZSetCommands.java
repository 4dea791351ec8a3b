package io.keyline.commands;

import io.keyline.engine.Handler;
import io.keyline.engine.KeySpec;

import io.keyline.engine.BlockingRegistry;
import io.keyline.engine.CallContext;
import io.keyline.pubsub.KeyspaceEvents;
import io.keyline.engine.CommandTable;

import io.keyline.engine.CommandSpec.Flag;
import io.keyline.protocol.ReplyWriter;
import io.keyline.util.Bytes;
import io.keyline.store.Database;
import io.keyline.store.type.SortedSetValue;

import java.util.Arrays;

/**
 * BZPOPMIN, BZPOPMAX and BZMPOP: try the non-blocking pop, else block on the keys through the
 * {@link BlockingRegistry}. Pops served later are logged as ZPOPMIN/ZPOPMAX, as Redis does.
 */
final class BlockingZSetCommands {
    private BlockingZSetCommands() {
    }

    static void register(CommandTable t) {
        t.command("bzpopmin", -3).flags(Flag.WRITE, Flag.NOSCRIPT, Flag.FAST, Flag.BLOCKING).keys(1, -2, 1).acl("sortedset").group("sorted-set")
                .doc("Removes and returns the member with the lowest score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.",
                        "5.0.0", "O(log(N)) with N being the number of elements in the sorted set.")
                .keySpec(KeySpec.index(1).range(-2, 1, 0).flags("RW access delete"))
                .handler(Op.BZPOPMIN);
        t.command("bzpopmax", -3).flags(Flag.WRITE, Flag.NOSCRIPT, Flag.FAST, Flag.BLOCKING).keys(1, -2, 1).acl("sortedset").group("sorted-set")
                .doc("Removes and returns the member with the highest score from one or more sorted sets. Blocks until a member available otherwise.  Deletes the sorted set if the last element was popped.",
                        "5.0.0", "O(log(N)) with N being the number of elements in the sorted set.")
                .keySpec(KeySpec.index(1).range(-2, 1, 0).flags("RW access delete"))
                .handler(Op.BZPOPMAX);
        t.command("bzmpop", -5).flags(Flag.WRITE, Flag.BLOCKING).keys(SetCommands.numKeysAt(2)).acl("sortedset").group("sorted-set")
                .doc("Removes and returns a member by score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.",
                        "7.0.0", "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.")
                .keySpec(KeySpec.index(2).keynum(0, 1, 1).flags("RW access delete"))
                .handler(Op.BZMPOP);
    }

    /** Pops one element from the first non-empty key, replying [key, member, score]; false if all are empty. */
    private static boolean popOne(CallContext c, byte[][] keys, boolean max) {
        Database db = c.db();
        ReplyWriter r = c.reply;
        for (byte[] key : keys) {
            SortedSetValue z = db.getForWrite(key, SortedSetValue.class);
            if (z == null) continue;
            SortedSetCommands.Elements e = SortedSetCommands.pop(db, key, z, 1, max);
            c.modified(key);
            SortedSetCommands.notifyRemoved(c, key, z, max ? "zpopmax" : "zpopmin");
            c.propagateAs(new byte[][] {max ? SortedSetCommands.ZPOPMAX : SortedSetCommands.ZPOPMIN, key});
            r.arrayHeader(3);
            r.bulk(key);
            r.bulk(e.members.get(0));
            r.doubleValue(e.scores[0]);
            return true;
        }
        return false;
    }

    /** BZPOPMIN key [key ...] timeout / BZPOPMAX key [key ...] timeout */
    static void bzpop(CallContext c, byte[][] argv, boolean max) {
        long timeout = BlockingRegistry.parseTimeoutSeconds(argv[argv.length - 1]);
        byte[][] keys = Arrays.copyOfRange(argv, 1, argv.length - 1);
        // WRONGTYPE on any key is reported before blocking, as Redis's checkType in the loop does.
        if (popOne(c, keys, max)) return;
        if (!c.mayBlock()) {
            c.reply.nullArray();
            return;
        }
        c.block(keys, timeout, SortedSetValue.class);
    }

    /** BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count] */
    static void bzmpop(CallContext c, byte[][] argv) {
        long timeout = BlockingRegistry.parseTimeoutSeconds(argv[1]);
        SortedSetCommands.MpopArgs a = SortedSetCommands.MpopArgs.parse(argv, 2);
        if (SortedSetCommands.mpopFrom(c, a)) return;
        if (!c.mayBlock()) {
            c.reply.nullArray();
            return;
        }
        c.block(a.keys(), timeout, SortedSetValue.class);
    }

    /** The handlers of the commands registered above, one class for all of them (see {@link Handler}). */
    private enum Op implements Handler {
        BZPOPMIN, BZPOPMAX, BZMPOP;

        @Override
        public void handle(CallContext c, byte[][] argv) {
            switch (this) {
                case BZPOPMIN -> bzpop(c, argv, false);
                case BZPOPMAX -> bzpop(c, argv, true);
                case BZMPOP -> bzmpop(c, argv);
            }
        }
    }
}
