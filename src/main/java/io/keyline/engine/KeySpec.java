package io.keyline.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;

/**
 * One of Redis's key specifications (a command's {@code key_specs} entry): where the search for keys
 * begins (an argument index or after a keyword), how keys are found from there (a range or a
 * count argument), and what the command does to those keys (flags such as RW, ACCESS, DELETE).
 * COMMAND INFO prints them and COMMAND GETKEYS / GETKEYSANDFLAGS evaluate them. The dispatcher's
 * key locking does not: it keeps the allocation-free first/last/step triple and {@link KeyFinder}.
 *
 * <p>Written as in Redis's {@code commands/*.json}, e.g. LMOVE's source key
 * {@code KeySpec.index(1).range(0, 1, 0).flags("RW access delete")}. Configured once while the
 * command table is built, read-only afterwards.
 */
public final class KeySpec {
    /** Redis's key-spec flags, in the order COMMAND INFO lists them. */
    public enum KeyFlag {
        RO, RW, OW, RM, ACCESS, UPDATE, INSERT, DELETE, NOT_KEY, INCOMPLETE, VARIABLE_FLAGS;

        final int bit = 1 << ordinal();

        /** As Redis prints it: the access kinds upper case ("RW"), the others lower case ("delete"). */
        final String redisName = ordinal() <= 3 ? name() : name().toLowerCase(Locale.ROOT);
    }

    enum BeginSearch { INDEX, KEYWORD, UNKNOWN }

    enum FindKeys { RANGE, KEYNUM, UNKNOWN }

    final BeginSearch beginSearch;
    final int index;            // INDEX: the argument the search begins at
    final String keyword;       // KEYWORD: keys follow this argument...
    final int startFrom;        // ...searched from this index (negative: backwards from the end)
    FindKeys findKeys = FindKeys.UNKNOWN;
    int lastKey;                // RANGE: last key relative to the first (negative: from the end)
    int keyStep;                // RANGE and KEYNUM
    int limit;                  // RANGE with lastkey -1: only 1/limit of the remaining arguments
    int keyNumIndex;            // KEYNUM: the count argument, relative to the begin-search result
    int firstKey;               // KEYNUM: the first key, relative to the begin-search result
    int flags;
    String notes;
    /** For VARIABLE_FLAGS specs: the flags a given call really has (Redis's getkeys_proc), or null. */
    ToIntFunction<byte[][]> actualFlags;

    private KeySpec(BeginSearch beginSearch, int index, String keyword, int startFrom) {
        this.beginSearch = beginSearch;
        this.index = index;
        this.keyword = keyword;
        this.startFrom = startFrom;
    }

    /** Keys begin at a fixed argument index. */
    public static KeySpec index(int pos) {
        return new KeySpec(BeginSearch.INDEX, pos, null, 0);
    }

    /** Keys begin after {@code keyword}, searched from {@code startFrom} (negative: from the end, backwards). */
    public static KeySpec keyword(String keyword, int startFrom) {
        return new KeySpec(BeginSearch.KEYWORD, 0, keyword, startFrom);
    }

    /** Keys that cannot be found from the arguments' shape alone (e.g. SORT's STORE key). */
    public static KeySpec unknown() {
        return new KeySpec(BeginSearch.UNKNOWN, 0, null, 0);
    }

    /** Keys from the begin-search result up to {@code lastKey} (relative; negative counts from the end). */
    public KeySpec range(int lastKey, int keyStep, int limit) {
        this.findKeys = FindKeys.RANGE;
        this.lastKey = lastKey;
        this.keyStep = keyStep;
        this.limit = limit;
        return this;
    }

    /** A count argument at {@code keyNumIndex}, then that many keys from {@code firstKey} (both relative). */
    public KeySpec keynum(int keyNumIndex, int firstKey, int keyStep) {
        this.findKeys = FindKeys.KEYNUM;
        this.keyNumIndex = keyNumIndex;
        this.firstKey = firstKey;
        this.keyStep = keyStep;
        return this;
    }

    /** Space-separated Redis key-spec flags, any case: "RW access delete". */
    public KeySpec flags(String names) {
        flags |= bits(names);
        return this;
    }

    /** The bit mask of space-separated key-spec flag names. */
    public static int bits(String names) {
        // Split by hand, not with split("\\s+") and valueOf: the command table calls this ~220 times while
        // it is built on the way to the first PING, and each split compiled a regular expression.
        int bits = 0;
        int i = 0;
        int n = names.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(names.charAt(i))) i++;
            int start = i;
            while (i < n && !Character.isWhitespace(names.charAt(i))) i++;
            if (i > start) bits |= flag(names.substring(start, i)).bit;
        }
        return bits;
    }

    private static KeyFlag flag(String name) {
        for (KeyFlag f : KeyFlag.values()) {
            if (f.name().equalsIgnoreCase(name)) return f;
        }
        throw new IllegalArgumentException("unknown key-spec flag: " + name);
    }

    /**
     * For a VARIABLE_FLAGS spec: the flags of one call, as {@link #bits} (SET is "OW update" unless
     * GET makes it "RW access update"); COMMAND GETKEYSANDFLAGS reports these.
     */
    public KeySpec actualFlags(ToIntFunction<byte[][]> perCall) {
        this.actualFlags = perCall;
        return this;
    }

    public KeySpec notes(String notes) {
        this.notes = notes;
        return this;
    }

    /** The declared flags (a bit set of {@link KeyFlag}). */
    public int flags() {
        return flags;
    }

    /** The flags of the key this spec found in {@code argv}: the call's own where they vary (VARIABLE_FLAGS). */
    public int flagsOf(byte[][] argv, int found) {
        return actualFlags != null ? actualFlags.applyAsInt(argv) : found;
    }

    public boolean has(KeyFlag f) {
        return (flags & f.bit) != 0;
    }

    /** True when the spec can be evaluated from the arguments (Redis's index/keyword + range/keynum). */
    public boolean searchable() {
        return beginSearch != BeginSearch.UNKNOWN && findKeys != FindKeys.UNKNOWN;
    }

    /** The flag names of {@code flags} in Redis's order. */
    public static List<String> flagNames(int flags) {
        List<String> out = new ArrayList<>();
        for (KeyFlag f : KeyFlag.values()) if ((flags & f.bit) != 0) out.add(f.redisName);
        return out;
    }

    /**
     * Appends to {@code out} (pairs of argument index and flags) the keys this spec finds in
     * {@code argv}, as Redis's getKeysUsingKeySpecs does. Returns false when the spec cannot be
     * evaluated (unknown, incomplete, or the arguments do not fit), which makes the caller fall back
     * to the command's own key finder. A keyword that is absent finds no keys and is no error.
     */
    public boolean findKeys(byte[][] argv, List<int[]> out) {
        int argc = argv.length;
        int first;
        switch (beginSearch) {
            case INDEX -> first = index;
            case KEYWORD -> {
                first = 0;
                int start = startFrom > 0 ? startFrom : argc + startFrom;
                int end = startFrom > 0 ? argc - 1 : 1;
                for (int i = start; i != end; i = start <= end ? i + 1 : i - 1) {
                    if (i >= argc || i < 1) break;
                    if (new String(argv[i], java.nio.charset.StandardCharsets.ISO_8859_1).equalsIgnoreCase(keyword)) {
                        first = i + 1;
                        break;
                    }
                }
                if (first == 0) return true;
            }
            default -> {
                return false;
            }
        }
        int last;
        int step;
        switch (findKeys) {
            case RANGE -> {
                step = keyStep;
                if (lastKey >= 0) last = first + lastKey;
                else if (limit == 0) last = argc + lastKey;
                else last = first + ((argc - first) / limit + lastKey);
            }
            case KEYNUM -> {
                step = keyStep;
                if (keyNumIndex >= argc || first + keyNumIndex >= argc) return false;
                long numKeys;
                try {
                    numKeys = Long.parseLong(new String(argv[first + keyNumIndex], java.nio.charset.StandardCharsets.ISO_8859_1));
                } catch (NumberFormatException e) {
                    return false;
                }
                if (numKeys < 0) return false;
                first += firstKey;
                last = first + (int) numKeys - 1;
            }
            default -> {
                return false;
            }
        }
        if (last >= argc || last < first || first >= argc) return false;
        for (int i = first; i <= last; i += Math.max(1, step)) out.add(new int[]{i, flags});
        return !has(KeyFlag.INCOMPLETE);
    }

    /** The COMMAND INFO entry: a map of [notes,] flags, begin_search and find_keys. */
    public void write(io.keyline.protocol.ReplyWriter r) {
        r.mapHeader(notes == null ? 3 : 4);
        if (notes != null) {
            r.bulk("notes");
            r.bulk(notes);
        }
        r.bulk("flags");
        List<String> names = flagNames(flags);
        r.setHeader(names.size());
        for (String f : names) r.simple(f);
        r.bulk("begin_search");
        r.mapHeader(2);
        r.bulk("type");
        switch (beginSearch) {
            case INDEX -> {
                r.bulk("index");
                r.bulk("spec");
                r.mapHeader(1);
                r.bulk("index");
                r.integer(index);
            }
            case KEYWORD -> {
                r.bulk("keyword");
                r.bulk("spec");
                r.mapHeader(2);
                r.bulk("keyword");
                r.bulk(keyword);
                r.bulk("startfrom");
                r.integer(startFrom);
            }
            default -> {
                r.bulk("unknown");
                r.bulk("spec");
                r.mapHeader(0);
            }
        }
        r.bulk("find_keys");
        r.mapHeader(2);
        r.bulk("type");
        switch (findKeys) {
            case RANGE -> {
                r.bulk("range");
                r.bulk("spec");
                r.mapHeader(3);
                r.bulk("lastkey");
                r.integer(lastKey);
                r.bulk("keystep");
                r.integer(keyStep);
                r.bulk("limit");
                r.integer(limit);
            }
            case KEYNUM -> {
                r.bulk("keynum");
                r.bulk("spec");
                r.mapHeader(3);
                r.bulk("keynumidx");
                r.integer(keyNumIndex);
                r.bulk("firstkey");
                r.integer(firstKey);
                r.bulk("keystep");
                r.integer(keyStep);
            }
            default -> {
                r.bulk("unknown");
                r.bulk("spec");
                r.mapHeader(0);
            }
        }
    }
}
