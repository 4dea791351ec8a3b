package io.keyline.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One command's description, as in Redis's {@code commands/*.json}: everything the dispatcher,
 * {@code COMMAND} and ACL categories need. Built with {@link CommandTable#command}.
 */
public final class CommandSpec {
    public enum Flag {
        WRITE, READONLY, DENYOOM, ADMIN, PUBSUB, NOSCRIPT, BLOCKING, LOADING, STALE, SKIP_MONITOR,
        SKIP_SLOWLOG, ASKING, FAST, NO_AUTH, MAY_REPLICATE, NO_MANDATORY_KEYS, PROTECTED, NO_ASYNC_LOADING, NO_MULTI, ALLOW_BUSY,
        // Keyline's own behaviour flags below: not shown by COMMAND (see internal()).
        /** The command takes every stripe lock (FLUSHALL, SWAPDB, EXEC). */
        LOCK_ALL(true),
        /**
         * Runs a script (EVAL*, FCALL*): a network client's call runs on the script thread with the connection
         * suspended (see {@link ScriptThread}); MONITOR sees the command before the script's own calls.
         */
        SCRIPT_THREAD(true),
        /**
         * Waits on the network (MIGRATE): a network client's call runs on {@link Dispatcher}'s network I/O threads
         * with the connection suspended (as {@link #SCRIPT_THREAD}), and the call path takes no stripe locks for
         * it: the handler holds its keys' stripes only while it reads or changes them
         * ({@link CallContext#underKeyLocks}), never across a network wait.
         */
        NETWORK_IO(true),
        /** Runs at once inside MULTI instead of being queued (EXEC, DISCARD, MULTI, WATCH, QUIT, RESET; UNWATCH is queued). */
        NOT_QUEUED(true),
        /** Ends a transaction, so it is not refused as "growing the queue" under OOM (EXEC, DISCARD, QUIT, RESET). */
        ENDS_TRANSACTION(true),
        /**
         * Runs the queued commands (EXEC): refusal checks look at the queued commands' flags too, and a
         * refusal discards the transaction with EXECABORT.
         */
        EXECUTES_QUEUED(true),
        /** Refused while persistence reports a write error (MISCONF), like writes (PING, as in Redis). */
        REFUSED_ON_DISK_ERROR(true),
        /**
         * Allowed on a RESP2 connection with subscriptions (Redis's subscribed context): the (P|S)SUBSCRIBE and
         * (P|S)UNSUBSCRIBE commands, PING, QUIT, RESET.
         */
        ALLOWED_IN_SUBSCRIBED_CONTEXT(true);

        private final boolean internal;

        Flag() {
            this(false);
        }

        Flag(boolean internal) {
            this.internal = internal;
        }

        /** True for Keyline's own flags, which COMMAND INFO does not list. */
        public boolean internal() {
            return internal;
        }

        public String redisName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** True for the flags COMMAND INFO lists: Redis hides may_replicate and protected on purpose. */
        public boolean shownByCommandInfo() {
            return !internal && this != MAY_REPLICATE && this != PROTECTED;
        }
    }

    final String name;          // lower case; "config|get" for subcommands
    final String displayName;   // "get" / "config|get" as used in error messages
    final int arity;
    final Set<Flag> flags;
    final int firstKey;
    final int lastKey;
    final int keyStep;
    final KeyFinder keyFinder;
    final List<String> aclCategories;
    final String group;
    final String summary;
    final String since;
    final String complexity;
    final Handler handler;
    final Map<String, CommandSpec> subcommands;
    final CommandSpec parent;
    final boolean write;
    final boolean readonly;
    /** The latency monitor's event for this command ("fast-command" or "command"), decided once, not per call. */
    final String latencyEvent;
    final boolean denyOom;
    final boolean lockAll;
    final boolean scriptThread;
    final boolean networkIo;
    final boolean allowBusy;
    /** Refused while persistence reports a write error (MISCONF): writes, and PING as in Redis. */
    final boolean refusedOnWriteError;
    final boolean noAuth;
    final boolean notQueued;
    final boolean allowedInSubscribedContext;
    final boolean endsTransaction;
    final boolean executesQueued;
    final boolean allowedWhileLoading;
    /** Fed to MONITOR clients: neither admin nor skip_monitor (Redis's call()). */
    final boolean monitored;
    final int[] fixedKeys; // for first/last/step with a fixed count; null if variable
    /** Redis's key specs, as COMMAND INFO lists them. */
    final List<KeySpec> keySpecs;
    /** Redis's command tips (request_policy:..., nondeterministic_output, ...). */
    final List<String> tips;
    /** The command's bit in ACL selectors, and its ACL categories as bits of {@link Acl#CATEGORIES}; set by {@link Acl}. */
    int aclId;
    long aclCategoryMask;

    CommandSpec(String name, int arity, Set<Flag> flags, int firstKey, int lastKey, int keyStep,
                KeyFinder keyFinder, List<String> categories, String group, String summary, String since,
                String complexity, Handler handler, CommandSpec parent, List<KeySpec> keySpecs, List<String> tips) {
        this.name = name;
        this.keySpecs = List.copyOf(keySpecs);
        this.tips = List.copyOf(tips);
        this.displayName = name;
        this.arity = arity;
        this.flags = flags;
        this.firstKey = firstKey;
        this.lastKey = lastKey;
        this.keyStep = keyStep;
        this.keyFinder = keyFinder;
        this.group = group;
        this.summary = summary;
        this.since = since;
        this.complexity = complexity;
        this.handler = handler;
        this.parent = parent;
        this.subcommands = new LinkedHashMap<>();
        this.write = flags.contains(Flag.WRITE);
        this.readonly = flags.contains(Flag.READONLY);
        this.latencyEvent = flags.contains(Flag.FAST) ? "fast-command" : "command";
        this.denyOom = flags.contains(Flag.DENYOOM);
        this.lockAll = flags.contains(Flag.LOCK_ALL);
        this.scriptThread = flags.contains(Flag.SCRIPT_THREAD);
        this.networkIo = flags.contains(Flag.NETWORK_IO);
        this.allowBusy = flags.contains(Flag.ALLOW_BUSY);
        this.refusedOnWriteError = write || flags.contains(Flag.REFUSED_ON_DISK_ERROR);
        this.notQueued = flags.contains(Flag.NOT_QUEUED);
        this.allowedInSubscribedContext = flags.contains(Flag.ALLOWED_IN_SUBSCRIBED_CONTEXT);
        this.endsTransaction = flags.contains(Flag.ENDS_TRANSACTION);
        this.executesQueued = flags.contains(Flag.EXECUTES_QUEUED);
        this.noAuth = flags.contains(Flag.NO_AUTH);
        this.allowedWhileLoading = flags.contains(Flag.LOADING);
        this.monitored = !flags.contains(Flag.ADMIN) && !flags.contains(Flag.SKIP_MONITOR);
        this.aclCategories = Collections.unmodifiableList(deriveCategories(flags, categories));
        if (keyFinder == null && firstKey > 0 && lastKey > 0) {
            int step = Math.max(1, keyStep);
            int[] keys = new int[lastKey < firstKey ? 0 : (lastKey - firstKey) / step + 1];
            for (int i = 0; i < keys.length; i++) keys[i] = firstKey + i * step;
            fixedKeys = keys;
        } else {
            fixedKeys = null;
        }
    }

    private static List<String> deriveCategories(Set<Flag> flags, List<String> explicit) {
        List<String> out = new ArrayList<>();
        if (flags.contains(Flag.WRITE)) out.add("write");
        if (flags.contains(Flag.READONLY) && !explicit.contains("scripting")) out.add("read");
        if (flags.contains(Flag.ADMIN)) {
            out.add("admin");
            out.add("dangerous");
        }
        if (flags.contains(Flag.PUBSUB)) out.add("pubsub");
        out.add(flags.contains(Flag.FAST) ? "fast" : "slow");
        if (flags.contains(Flag.BLOCKING)) out.add("blocking");
        for (String c : explicit) if (!out.contains(c)) out.add(c);
        return out;
    }

    public String name() {
        return name;
    }

    public int arity() {
        return arity;
    }

    public Set<Flag> flags() {
        return flags;
    }

    public boolean isWrite() {
        return write;
    }

    public boolean hasFlag(Flag f) {
        return flags.contains(f);
    }

    public List<String> aclCategories() {
        return aclCategories;
    }

    public String group() {
        return group;
    }

    public String summary() {
        return summary;
    }

    public String since() {
        return since;
    }

    public String complexity() {
        return complexity;
    }

    public Map<String, CommandSpec> subcommands() {
        return subcommands;
    }

    public CommandSpec parent() {
        return parent;
    }

    public int firstKey() {
        return firstKey;
    }

    public int lastKey() {
        return lastKey;
    }

    public int keyStep() {
        return keyStep;
    }

    public boolean movableKeys() {
        return keyFinder != null;
    }

    /** Indexes of key arguments in argv (argv valid for this command's arity). */
    public int[] keyIndexes(byte[][] argv) {
        if (keyFinder != null) return keyFinder.keys(argv);
        if (fixedKeys != null && (lastKey > 0)) return fixedKeys;
        if (firstKey <= 0) return NO_KEYS;
        int last = lastKey < 0 ? argv.length + lastKey : lastKey;
        int step = Math.max(1, keyStep);
        int n = last < firstKey ? 0 : (last - firstKey) / step + 1;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = firstKey + i * step;
        return out;
    }

    public static final int[] NO_KEYS = new int[0];

    /**
     * The keys of {@code cmd} (argv of this command) with their key-spec flags, as Redis's
     * getKeysFromCommandWithSpecs: the key specs when their flags are fixed; when a spec is unknown
     * (SORT's STORE) or its flags vary with the call (SET ... GET), the command's own key finder (Redis's
     * getkeys_proc), each key taking the flags of the spec that covers its position. Pairs of argument
     * index and flags. Used by COMMAND GETKEYSANDFLAGS and the ACL key check.
     */
    public static List<int[]> keysWithFlags(CommandSpec spec, byte[][] cmd) {
        boolean variableFlags = false;
        boolean searchable = true;
        boolean realKeySpec = false;
        boolean incomplete = false;
        for (KeySpec ks : spec.keySpecs) {
            variableFlags |= ks.has(KeySpec.KeyFlag.VARIABLE_FLAGS);
            incomplete |= ks.has(KeySpec.KeyFlag.INCOMPLETE);
            searchable &= ks.searchable() && !ks.has(KeySpec.KeyFlag.INCOMPLETE);
            realKeySpec |= !ks.has(KeySpec.KeyFlag.NOT_KEY);
        }
        // An incomplete spec (MIGRATE's KEYS) is Redis's cue to ask the command's own key procedure, whose keys
        // carry the spec's flags without "incomplete" (migrateGetKeys).
        if (realKeySpec && !variableFlags && !incomplete) {
            List<int[]> found = new ArrayList<>();
            boolean complete = true;
            for (KeySpec ks : spec.keySpecs) {
                if (ks.has(KeySpec.KeyFlag.NOT_KEY)) continue;
                if (!ks.findKeys(cmd, found)) {
                    complete = false;
                    break;
                }
            }
            if (complete) return found;
            // Redis's own key procedures agree with searchable specs: arguments the specs reject
            // (a bad numkeys) have no keys.
            if (searchable) return List.of();
        }
        int[] indexes;
        try {
            indexes = spec.keyIndexes(cmd);
        } catch (RedisException | IndexOutOfBoundsException e) {
            return List.of();
        }
        List<int[]> out = new ArrayList<>(indexes.length);
        for (int k : indexes) {
            if (k < 0 || k >= cmd.length) return List.of();
            int flags = flagsCovering(spec, cmd, k);
            out.add(new int[]{k, incomplete ? flags & ~KeySpec.bits("incomplete") : flags});
        }
        return out;
    }

    /**
     * The flags of the first searchable key spec finding position {@code k}; else of the last
     * unsearchable spec (SORT's STORE key: Redis reports it OW update).
     */
    private static int flagsCovering(CommandSpec spec, byte[][] cmd, int k) {
        int fallback = 0;
        for (KeySpec ks : spec.keySpecs) {
            if (!ks.searchable()) {
                fallback = ks.flags();
                continue;
            }
            List<int[]> found = new ArrayList<>();
            ks.findKeys(cmd, found);
            for (int[] f : found) {
                if (f[0] == k) return ks.flagsOf(cmd, f[1]);
            }
        }
        return fallback;
    }

    // ---- INFO commandstats -------------------------------------------------------------------

    /** Calls, time and failures, per thread that runs the command (no locked instruction per call). */
    private final ThreadCells<CallCell> callCells = new ThreadCells<>(CallCellFactory.INSTANCE);

    /** A class rather than {@code CallCell::new}: see {@link ThreadCells#ThreadCells}. */
    private static final class CallCellFactory implements java.util.function.BiFunction<Thread, CallCell, CallCell> {
        static final CallCellFactory INSTANCE = new CallCellFactory();

        @Override
        public CallCell apply(Thread owner, CallCell ended) {
            return new CallCell(owner, ended);
        }
    }
    private final java.util.concurrent.atomic.LongAdder rejectedCalls = new java.util.concurrent.atomic.LongAdder();

    /** One thread's counts of this command (written by that thread only) and its latency histogram. */
    private static final class CallCell extends ThreadCells.Cell {
        private static final java.lang.invoke.VarHandle CALLS, NANOS, FAILED;

        static {
            try {
                java.lang.invoke.MethodHandles.Lookup l = java.lang.invoke.MethodHandles.lookup();
                CALLS = l.findVarHandle(CallCell.class, "calls", long.class);
                NANOS = l.findVarHandle(CallCell.class, "nanos", long.class);
                FAILED = l.findVarHandle(CallCell.class, "failed", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private long calls;
        private long nanos;
        private long failed;
        /** Created at this thread's first recorded call (latency-tracking); read by other threads. */
        private volatile LatencyHistogram histogram;

        CallCell(Thread owner, CallCell ended) {
            super(owner);
            if (ended != null) { // an ended thread's counts, carried over
                calls = ended.calls;
                nanos = ended.nanos;
                failed = ended.failed;
                histogram = ended.histogram;
            }
        }
    }

    void recordCall(long elapsedNanos, boolean failed) {
        CallCell c = callCells.mine();
        CallCell.CALLS.setOpaque(c, c.calls + 1);
        CallCell.NANOS.setOpaque(c, c.nanos + elapsedNanos);
        if (failed) CallCell.FAILED.setOpaque(c, c.failed + 1);
    }

    void recordRejected() {
        rejectedCalls.increment();
    }

    public long calls() {
        long sum = 0;
        for (ThreadCells.Cell c : callCells.all()) sum += (long) CallCell.CALLS.getOpaque((CallCell) c);
        return sum;
    }

    public long usec() {
        long sum = 0;
        for (ThreadCells.Cell c : callCells.all()) sum += (long) CallCell.NANOS.getOpaque((CallCell) c);
        return sum / 1000;
    }

    public long failedCalls() {
        long sum = 0;
        for (ThreadCells.Cell c : callCells.all()) sum += (long) CallCell.FAILED.getOpaque((CallCell) c);
        return sum;
    }

    public long rejectedCalls() {
        return rejectedCalls.sum();
    }

    /**
     * The latency histogram of {@code latency-tracking} (the threads' histograms added up), null until the
     * command is first answered.
     */
    public LatencyHistogram latencyHistogram() {
        List<LatencyHistogram> parts = new ArrayList<>(2);
        for (ThreadCells.Cell c : callCells.all()) {
            LatencyHistogram h = ((CallCell) c).histogram;
            if (h != null) parts.add(h);
        }
        return parts.isEmpty() ? null : LatencyHistogram.sum(parts);
    }

    /** The calling thread's histogram to record into, created at its first call (no lookup per call but the cell's). */
    LatencyHistogram latencyHistogramForRecording() {
        CallCell c = callCells.mine();
        LatencyHistogram h = c.histogram;
        if (h == null) c.histogram = h = LatencyHistogram.forCommandLatency();
        return h;
    }

    public void resetStats() {
        callCells.reset(); // the histograms go with the cells, as Redis's resetCommandTableStats frees them
        rejectedCalls.reset();
    }

    /** The handler (null for container commands such as CONFIG). */
    public Handler handler() {
        return handler;
    }

    /** See {@link Builder#beforeLocks}; null for most commands. */
    private Handler beforeLocks;

    public Handler beforeLocks() {
        return beforeLocks;
    }

    public List<KeySpec> keySpecs() {
        return keySpecs;
    }

    public List<String> tips() {
        return tips;
    }

    /** True when the command takes key arguments (fixed positions or a {@link KeyFinder}). */
    public boolean hasKeys() {
        return firstKey > 0 || keyFinder != null;
    }

    /** Builder, obtained from {@link CommandTable#command}. */
    public static final class Builder {
        private final CommandTable table;
        private final CommandSpec parent;
        private final String name;
        private final int arity;
        // A TreeSet, which iterates in the enum's order as an EnumSet would: the first EnumSet of a type asks for
        // its constants by reflection, which spins a method handle class on the start-up path (~0.03 s).
        private final Set<Flag> flags = new TreeSet<>();
        private int first, last, step;
        private KeyFinder finder;
        private final List<String> categories = new ArrayList<>();
        private String group = "generic";
        private String summary = "";
        private String since = "1.0.0";
        private String complexity = "O(1)";
        private final List<KeySpec> keySpecs = new ArrayList<>();
        private final List<String> tips = new ArrayList<>();

        Builder(CommandTable table, CommandSpec parent, String name, int arity) {
            this.table = table;
            this.parent = parent;
            this.name = name.toLowerCase(Locale.ROOT);
            this.arity = arity;
        }

        public Builder flags(Flag... f) {
            Collections.addAll(flags, f);
            return this;
        }

        /** Keys at argv[first..last] every step; last may be negative (from the end). */
        public Builder keys(int first, int last, int step) {
            this.first = first;
            this.last = last;
            this.step = step;
            return this;
        }

        public Builder keys(KeyFinder finder) {
            this.finder = finder;
            return this;
        }

        /** One of Redis's key specs for this command, in Redis's order (COMMAND INFO, GETKEYSANDFLAGS). */
        public Builder keySpec(KeySpec spec) {
            keySpecs.add(spec);
            return this;
        }

        /** Redis's command tips, e.g. "request_policy:all_shards", "nondeterministic_output". */
        public Builder tips(String... t) {
            Collections.addAll(tips, t);
            return this;
        }

        public Builder acl(String... c) {
            Collections.addAll(categories, c);
            return this;
        }

        public Builder group(String g) {
            this.group = g;
            return this;
        }

        public Builder doc(String summary, String since, String complexity) {
            this.summary = summary;
            this.since = since;
            this.complexity = complexity;
            return this;
        }

        /**
         * A step the call path runs on the caller's thread before it takes the command's stripe
         * locks (not for a command inside EXEC or a script, whose locks are already held). It must
         * neither reply nor throw. FLUSHALL kills a running BGSAVE there, so taking every lock does not
         * first copy the stripes the snapshot still owes, only to throw them away.
         */
        public Builder beforeLocks(Handler h) {
            this.beforeLocks = h;
            return this;
        }

        private Handler beforeLocks;

        /** Registers the command with its handler. */
        public CommandSpec handler(Handler h) {
            // concat, not +: the table is built on the way to the first PING, and the first + here made
            // StringConcatFactory generate a class (~0.005-0.01 s on the table's thread).
            String full = parent == null ? name : parent.name.concat("|").concat(name);
            List<String> cats = new ArrayList<>(categories);
            if (parent != null) for (String c : parent.aclCategories) if (!isDerived(c) && !cats.contains(c)) cats.add(c);
            CommandSpec spec = new CommandSpec(full, arity, flags, first, last, step, finder, cats, group,
                    summary, since, complexity, h, parent, keySpecs, tips);
            spec.beforeLocks = beforeLocks;
            if (parent == null) table.add(spec);
            else parent.subcommands.put(name, spec);
            return spec;
        }

        private static boolean isDerived(String c) {
            return switch (c) {
                case "write", "read", "admin", "dangerous", "fast", "slow", "blocking", "pubsub" -> true;
                default -> false;
            };
        }
    }
}
