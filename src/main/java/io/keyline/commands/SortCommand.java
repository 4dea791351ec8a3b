package io.keyline.commands;

import io.keyline.engine.Handler;
import io.keyline.store.Strings;
import io.keyline.engine.KeySpec;

import io.keyline.engine.Args;
import io.keyline.engine.CallContext;
import io.keyline.pubsub.KeyspaceEvents;
import io.keyline.engine.CommandTable;
import io.keyline.engine.Errors;
import io.keyline.engine.RedisException;

import io.keyline.engine.CommandSpec.Flag;
import io.keyline.protocol.Doubles;
import io.keyline.util.Bytes;
import io.keyline.store.Database;
import io.keyline.store.HashLike;
import io.keyline.store.ListLike;
import io.keyline.store.TypeHooks;
import io.keyline.store.type.SetValue;
import io.keyline.store.type.SortedSetValue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * SORT and SORT_RO over lists, sets and sorted sets, as Redis's sortCommandGeneric. BY and GET
 * patterns read arbitrary keys, so both commands take every stripe lock (LOCK_ALL).
 */
final class SortCommand {
    private static final String NOT_DOUBLE = "ERR One or more scores can't be converted into double";

    private SortCommand() {
    }

    static void register(CommandTable t) {
        String cx = "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).";
        t.command("sort", -2).flags(Flag.WRITE, Flag.DENYOOM, Flag.LOCK_ALL).keys(1, 1, 1).keys(KeyFinders.SORT)
                .acl("set", "sortedset", "list", "dangerous").group("generic")
                .doc("Sorts the elements in a list, a set, or a sorted set, optionally storing the result.", "1.0.0", cx)
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .keySpec(KeySpec.unknown().flags("RO access")
                        .notes("For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort"))
                .keySpec(KeySpec.unknown().flags("OW update")
                        .notes("For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array"))
                .handler(Op.SORT);
        t.command("sort_ro", -2).flags(Flag.READONLY, Flag.LOCK_ALL).keys(1, 1, 1).keys(KeyFinders.SORT_RO)
                .acl("set", "sortedset", "list", "dangerous").group("generic")
                .doc("Returns the sorted elements of a list, a set, or a sorted set.", "7.0.0", cx)
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .keySpec(KeySpec.unknown().flags("RO access")
                        .notes("For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort"))
                .handler(Op.SORT_RO);
    }

    /**
     * The sorted key and, with STORE, the destination: Redis's {@code sortGetKeys}. The
     * <em>last</em> STORE wins, as in SORT itself, so keep scanning after a match (and, like Redis,
     * do not skip over the STORE argument: it is looked at as a possible option name too).
     */
    static int[] sortKeys(byte[][] argv) {
        int store = -1;
        for (int i = 2; i < argv.length; i++) {
            if (Args.is(argv[i], "limit")) i += 2;
            else if (Args.is(argv[i], "by") || Args.is(argv[i], "get")) i++;
            else if (Args.is(argv[i], "store") && i + 1 < argv.length) store = i + 1;
        }
        return store < 0 ? new int[] {1} : new int[] {1, store};
    }

    private static final class Item {
        final byte[] value;
        double score;
        byte[] cmp;

        Item(byte[] value) {
            this.value = value;
        }
    }

    /** SORT key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA] [STORE destination] */
    static void sort(CallContext c, byte[][] argv, boolean readOnly) {
        boolean desc = false, alpha = false, dontSort = false;
        long limitStart = 0, limitCount = -1;
        byte[] sortBy = null, store = null;
        List<byte[]> gets = new ArrayList<>();
        for (int j = 2; j < argv.length; j++) {
            int left = argv.length - j - 1;
            byte[] a = argv[j];
            if (Args.is(a, "asc")) {
                desc = false;
            } else if (Args.is(a, "desc")) {
                desc = true;
            } else if (Args.is(a, "alpha")) {
                alpha = true;
            } else if (Args.is(a, "limit") && left >= 2) {
                limitStart = Args.toLong(argv[j + 1]);
                limitCount = Args.toLong(argv[j + 2]);
                j += 2;
            } else if (!readOnly && Args.is(a, "store") && left >= 1) {
                store = argv[++j];
            } else if (Args.is(a, "by") && left >= 1) {
                sortBy = argv[++j];
                if (indexOf(sortBy, (byte) '*', 0) < 0) dontSort = true;
            } else if (Args.is(a, "get") && left >= 1) {
                gets.add(argv[++j]);
            } else {
                throw Errors.syntax();
            }
        }
        Database db = c.db();
        Object value = db.getAnyOf(argv[1], SetValue.class, SortedSetValue.class, ListLike.class);
        // A set's iteration order is arbitrary: force sorting when storing, so the result is deterministic.
        if (dontSort && value instanceof SetValue && store != null) {
            dontSort = false;
            alpha = true;
            sortBy = null;
        }
        int size = value == null ? 0 : value instanceof SetValue s ? s.size()
                : value instanceof SortedSetValue z ? z.size() : ((ListLike) value).size();
        long start = limitStart < 0 ? 0 : limitStart;
        long end = limitCount < 0 ? size - 1 : start + limitCount - 1;
        if (start >= size) {
            start = size - 1;
            end = size - 2;
        }
        if (end >= size) end = size - 1;

        List<Item> items = new ArrayList<>(size);
        if (value instanceof SortedSetValue z && dontSort) {
            // Only the requested window, honouring DESC, as Redis does.
            if (end >= start) {
                SortedSetCommands.Elements e = new SortedSetCommands.Elements();
                long first = desc ? size - 1 - start : start;
                z.range(first, end - start + 1, desc, e);
                for (byte[] m : e.members) items.add(new Item(m));
            }
            end -= start;
            start = 0;
        } else if (value instanceof ListLike l && dontSort) {
            // The list's own order, honouring DESC and LIMIT, as Redis does for BY nosort.
            if (end >= start) {
                List<byte[]> all = new ArrayList<>(size);
                l.forEach(all::add);
                for (long i = start; i <= end; i++) items.add(new Item(all.get((int) (desc ? size - 1 - i : i))));
            }
            end -= start;
            start = 0;
        } else if (value instanceof SortedSetValue z) {
            z.forEach((m, s) -> items.add(new Item(m)));
        } else if (value instanceof SetValue s) {
            s.forEach(m -> items.add(new Item(m)));
        } else if (value instanceof ListLike l) {
            l.forEach(m -> items.add(new Item(m)));
        }

        if (!dontSort) {
            boolean conversionError = false;
            for (Item it : items) {
                byte[] by = sortBy == null ? it.value : lookupByPattern(db, sortBy, it.value);
                if (alpha) {
                    if (sortBy != null) it.cmp = by;
                } else if (by != null) {
                    Double d = strtod(by);
                    if (d == null) conversionError = true;
                    else it.score = d;
                }
            }
            if (conversionError) throw new RedisException(NOT_DOUBLE);
            Comparator<Item> cmp;
            if (!alpha) {
                cmp = (x, y) -> x.score > y.score ? 1 : x.score < y.score ? -1 : Arrays.compareUnsigned(x.value, y.value);
            } else if (sortBy != null) {
                cmp = (x, y) -> x.cmp == null || y.cmp == null
                        ? (x.cmp == y.cmp ? 0 : x.cmp == null ? -1 : 1)
                        : Arrays.compareUnsigned(x.cmp, y.cmp);
            } else {
                cmp = (x, y) -> Arrays.compareUnsigned(x.value, y.value);
            }
            items.sort(desc ? cmp.reversed() : cmp);
        }

        List<byte[]> output = new ArrayList<>();
        List<Boolean> isNull = new ArrayList<>();
        for (long i = start; i <= end && i < items.size(); i++) {
            Item it = items.get((int) i);
            if (gets.isEmpty()) {
                output.add(it.value);
                isNull.add(false);
                continue;
            }
            for (byte[] g : gets) {
                byte[] v = lookupByPattern(db, g, it.value);
                output.add(v);
                isNull.add(v == null);
            }
        }
        if (store == null) {
            c.reply.arrayHeader(output.size());
            for (byte[] v : output) c.reply.bulk(v);
            return;
        }
        if (output.isEmpty()) {
            if (db.delete(store)) {
                c.modified(store);
                c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", store);
            }
            c.reply.integer(0);
            return;
        }
        var factory = TypeHooks.listFactory;
        if (factory == null) throw new RedisException("ERR SORT STORE is not available: the list type is not loaded");
        List<byte[]> elements = new ArrayList<>(output.size());
        for (byte[] v : output) elements.add(v == null ? Bytes.EMPTY : v);
        db.set(store, factory.apply(c.server().encodingLimits(), elements), Database.NO_TTL);
        c.modified(store);
        c.notifyKeyspaceEvent(KeyspaceEvents.LIST, "sortstore", store);
        c.reply.integer(output.size());
    }

    /** strtod as SORT uses it: leading spaces allowed, the whole rest must parse, NaN rejected; empty reads 0. */
    private static Double strtod(byte[] b) {
        int i = 0;
        while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r' || b[i] == 0x0b || b[i] == '\f')) i++;
        if (i == b.length) return i == 0 ? 0.0 : null;
        return Doubles.parse(i == 0 ? b : Arrays.copyOfRange(b, i, b.length));
    }

    private static int indexOf(byte[] b, byte c, int from) {
        for (int i = from; i < b.length; i++) if (b[i] == c) return i;
        return -1;
    }

    /**
     * Redis's lookupKeyByPattern: {@code #} is the element itself; the first {@code *} is replaced by
     * the element; {@code ->field} after it reads a hash field. Null if absent or of another type.
     */
    static byte[] lookupByPattern(Database db, byte[] pattern, byte[] subst) {
        if (pattern.length == 1 && pattern[0] == '#') return subst;
        int star = indexOf(pattern, (byte) '*', 0);
        if (star < 0) return null;
        int arrow = -1;
        for (int i = star + 1; i + 1 < pattern.length; i++) {
            if (pattern[i] == '-' && pattern[i + 1] == '>') {
                arrow = i;
                break;
            }
        }
        byte[] field = null;
        int keyEnd = pattern.length;
        if (arrow >= 0 && arrow + 2 < pattern.length) {
            field = Arrays.copyOfRange(pattern, arrow + 2, pattern.length);
            keyEnd = arrow;
        }
        byte[] key = new byte[star + subst.length + (keyEnd - star - 1)];
        System.arraycopy(pattern, 0, key, 0, star);
        System.arraycopy(subst, 0, key, star, subst.length);
        System.arraycopy(pattern, star + 1, key, star + subst.length, keyEnd - star - 1);
        Object v = db.get(key);
        if (v == null) return null;
        if (field != null) return v instanceof HashLike h ? h.get(field) : null;
        return Strings.isString(v) ? Strings.bytes(v) : null;
    }

    /** The handlers of the commands registered above, one class for all of them (see {@link Handler}). */
    private enum Op implements Handler {
        SORT, SORT_RO;

        @Override
        public void handle(CallContext c, byte[][] argv) {
            switch (this) {
                case SORT -> sort(c, argv, false);
                case SORT_RO -> sort(c, argv, true);
            }
        }
    }
}
