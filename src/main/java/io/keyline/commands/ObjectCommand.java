package io.keyline.commands;

import io.keyline.engine.Handler;
import io.keyline.engine.KeySpec;

import io.keyline.engine.CallContext;
import io.keyline.engine.CommandSpec;
import io.keyline.engine.CommandTable;
import io.keyline.engine.RedisException;

import io.keyline.engine.CommandSpec.Flag;
import io.keyline.util.Bytes;
import io.keyline.store.Entry;
import io.keyline.store.EvictionPolicy;
import io.keyline.store.Keyspace;
import io.keyline.store.StringEncoding;
import io.keyline.store.TypedValue;

/** OBJECT ENCODING | FREQ | IDLETIME | REFCOUNT | HELP */
final class ObjectCommand {
    /** Redis's OBJ_SHARED_REFCOUNT: what REFCOUNT reports for shared small integers. */
    private static final int SHARED_REFCOUNT = Integer.MAX_VALUE;
    private static final int SHARED_INTEGERS = 10000;
    private static final String[] HELP = {
            "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "ENCODING <key>",
            "    Return the kind of internal representation used in order to store the value",
            "    associated with a <key>.",
            "FREQ <key>",
            "    Return the access frequency index of the <key>. The returned integer is",
            "    proportional to the logarithm of the recent access frequency of the key.",
            "IDLETIME <key>",
            "    Return the idle time of the <key>, that is the approximated number of",
            "    seconds elapsed since the last access to the key.",
            "REFCOUNT <key>",
            "    Return the number of references of the value associated with the specified",
            "    <key>.",
            "HELP",
            "    Prints this help.",
    };

    private ObjectCommand() {
    }

    static void register(CommandTable t) {
        CommandSpec object = t.command("object", -2).group("generic")
                .doc("A container for object introspection commands.", "2.2.3", "Depends on subcommand.").handler(null);
        t.subcommand(object, "encoding", 3).flags(Flag.READONLY).keys(2, 2, 1).acl("keyspace").group("generic")
                .doc("Returns the internal encoding of a Redis object.", "2.2.3", "O(1)")
                .keySpec(KeySpec.index(2).range(0, 1, 0).flags("RO"))
                .tips("nondeterministic_output")
                .handler(Op.OBJECT_ENCODING);
        t.subcommand(object, "freq", 3).flags(Flag.READONLY).keys(2, 2, 1).acl("keyspace").group("generic")
                .doc("Returns the logarithmic access frequency counter of a Redis object.", "4.0.0", "O(1)")
                .keySpec(KeySpec.index(2).range(0, 1, 0).flags("RO"))
                .tips("nondeterministic_output")
                .handler(Op.OBJECT_FREQ);
        t.subcommand(object, "idletime", 3).flags(Flag.READONLY).keys(2, 2, 1).acl("keyspace").group("generic")
                .doc("Returns the time since the last access to a Redis object.", "2.2.3", "O(1)")
                .keySpec(KeySpec.index(2).range(0, 1, 0).flags("RO"))
                .tips("nondeterministic_output")
                .handler(Op.OBJECT_IDLETIME);
        t.subcommand(object, "refcount", 3).flags(Flag.READONLY).keys(2, 2, 1).acl("keyspace").group("generic")
                .doc("Returns the reference count of a value of a key.", "2.2.3", "O(1)")
                .keySpec(KeySpec.index(2).range(0, 1, 0).flags("RO"))
                .tips("nondeterministic_output")
                .handler(Op.OBJECT_REFCOUNT);
        t.subcommand(object, "help", 2).flags(Flag.LOADING, Flag.STALE).acl("keyspace").group("generic")
                .doc("Returns helpful text about the different subcommands.", "6.2.0", "O(1)").handler(Op.OBJECT_HELP);
    }

    /** OBJECT ENCODING key */
    static void encoding(CallContext c, byte[][] argv) {
        Entry e = c.db().peek(argv[2]);
        if (e == null) {
            c.reply.nullBulk();
            return;
        }
        c.reply.bulk(encodingOf(e.value()));
    }

    /** Redis's encoding name: strings are {@code int}, {@code embstr} or {@code raw} ({@link StringEncoding}). */
    static String encodingOf(Object value) {
        if (value instanceof byte[] s) return StringEncoding.of(s);
        if (value instanceof TypedValue t) return t.encoding();
        return "unknown";
    }

    /** OBJECT FREQ key */
    static void freq(CallContext c, byte[][] argv) {
        Entry e = c.db().peek(argv[2]);
        if (e == null) {
            c.reply.nullBulk();
            return;
        }
        Keyspace ks = c.server().keyspace();
        if (!ks.policy().lfu()) {
            throw new RedisException("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.");
        }
        c.reply.integer(ks.lfuDecayed(e));
    }

    /** OBJECT IDLETIME key */
    static void idletime(CallContext c, byte[][] argv) {
        Entry e = c.db().peek(argv[2]);
        if (e == null) {
            c.reply.nullBulk();
            return;
        }
        Keyspace ks = c.server().keyspace();
        if (ks.policy().lfu()) {
            throw new RedisException("ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.");
        }
        c.reply.integer(ks.idleSeconds(e));
    }

    /** OBJECT REFCOUNT key: Redis shares the integers 0..9999 unless an LRU/LFU maxmemory policy is on. */
    static void refcount(CallContext c, byte[][] argv) {
        Entry e = c.db().peek(argv[2]);
        if (e == null) {
            c.reply.nullBulk();
            return;
        }
        c.reply.integer(isSharedInteger(c.server().keyspace(), e.value()) ? SHARED_REFCOUNT : 1);
    }

    private static boolean isSharedInteger(Keyspace ks, Object value) {
        if (!(value instanceof byte[] s) || s.length > 4) return false;
        if (!StringEncoding.of(s).equals(StringEncoding.INT)) return false; // e.g. "12" after APPEND: a raw object
        Long v = Bytes.parseLongOrError(s);
        if (v == null || v < 0 || v >= SHARED_INTEGERS) return false;
        EvictionPolicy p = ks.policy();
        boolean noSharing = p == EvictionPolicy.ALLKEYS_LRU || p == EvictionPolicy.VOLATILE_LRU || p.lfu();
        return ks.maxMemory() == 0 || !noSharing;
    }

    /** OBJECT HELP */
    static void help(CallContext c, byte[][] argv) {
        c.reply.arrayHeader(HELP.length);
        for (String line : HELP) c.reply.simple(line);
    }

    /** The handlers of the commands registered above, one class for all of them (see {@link Handler}). */
    private enum Op implements Handler {
        OBJECT_ENCODING, OBJECT_FREQ, OBJECT_IDLETIME, OBJECT_REFCOUNT, OBJECT_HELP;

        @Override
        public void handle(CallContext c, byte[][] argv) {
            switch (this) {
                case OBJECT_ENCODING -> encoding(c, argv);
                case OBJECT_FREQ -> freq(c, argv);
                case OBJECT_IDLETIME -> idletime(c, argv);
                case OBJECT_REFCOUNT -> refcount(c, argv);
                case OBJECT_HELP -> help(c, argv);
            }
        }
    }
}
