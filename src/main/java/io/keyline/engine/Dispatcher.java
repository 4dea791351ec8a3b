package io.keyline.engine;

import io.keyline.protocol.ArgumentPool;
import io.keyline.session.Client;

import io.keyline.util.Bytes;
import io.keyline.store.CapacityExceededException;
import io.keyline.store.WrongTypeException;
import io.keyline.store.Database;
import io.keyline.store.Keyspace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one place a command goes through, like Redis's {@code processCommand} + {@code call}: lookup,
 * arity, auth, MULTI queueing, loading, OOM/capacity, stripe locks, the handler, AOF propagation
 * and stats. Handlers never repeat these checks.
 */
public final class Dispatcher {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final byte[] MULTI = "MULTI".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EXEC = "EXEC".getBytes(StandardCharsets.US_ASCII);

    private final ServerContext server;
    private final Keyspace keyspace;
    private final ScriptThread scriptThread;

    Dispatcher(ServerContext server) {
        this.server = server;
        this.keyspace = server.keyspace();
        this.scriptThread = server.scriptThread();
    }

    /**
     * Executes one request from a client connection (Redis's {@code processCommand}): the checks that
     * may refuse it, MULTI queueing, then {@link #call}; afterwards clients blocked on keys this
     * command made ready are served. The reply goes to {@code c.reply}.
     */
    public void execute(CallContext ctx, byte[][] argv) {
        if (process(ctx, argv)) return; // running on the script thread, which finishes it
        finish(ctx, argv);
    }

    /** After a client's command: CLIENT CACHING's one-command scope, the tracking invalidations it caused. */
    private void finish(CallContext ctx, byte[][] argv) {
        Client c = ctx.client();
        int tf = c.trackingFlags();
        if (tf != 0) {
            // As Redis's resetClient: CLIENT CACHING applies to the next command only (a whole MULTI).
            if ((tf & Client.TRACKING_CACHING) != 0 && !c.inMulti() && !Bytes.equalsIgnoreCase(argv[0], "client")) {
                c.trackingFlags(c.trackingFlags() & ~Client.TRACKING_CACHING);
            }
        }
        // Invalidations of keys this client's command modified, after its reply (Redis's tracking_pending_keys).
        server.tracking().sendPending(c);
    }

    /** Redis's processCommand; true if the command was handed to the script thread (which finishes it). */
    private boolean process(CallContext ctx, byte[][] argv) {
        Client c = ctx.client();
        if (isCrossProtocolAttack(argv[0])) {
            // As Redis: an HTTP request sent to the port is dropped without a reply.
            log.warn("Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to Keyline. "
                    + "This is likely due to an attacker attempting to use Cross Protocol Scripting to compromise your "
                    + "Keyline instance. Connection from {} aborted.", c.connection().remoteAddress());
            c.kill();
            return false;
        }
        CommandSpec spec = resolve(ctx, argv);
        if (spec == null) return false;
        c.lastCommand(spec.name);
        if (!admit(c, spec, argv)) return false;
        // As Redis: under CLIENT PAUSE the command waits (before MULTI queueing) and runs at unpause.
        if (server.clientPause().paused() && server.clientPause().postponeIfPaused(c, spec, argv, mayReplicate(c, spec))) return false;
        if (c.inMulti() && !spec.notQueued) {
            c.queue(argv);
            c.reply.queued();
            return false;
        }
        ctx.begin(c.reply);
        // A script holds every stripe while it runs: off the event loop, so that loop's other clients
        // are still answered (BUSY after the threshold). The connection waits for it, suspended.
        if (spec.scriptThread && ctx.origin == CallContext.Origin.CLIENT && !ctx.replaying
                && c.connection().detach(scriptThread, () -> runDetached(ctx, spec, argv), this::joinsScriptBatch)) {
            return true;
        }
        // MIGRATE waits on another server: Redis blocks its only thread meanwhile; here only the calling
        // connection waits (suspended) and its event loop goes on serving the others.
        if (spec.networkIo && ctx.origin == CallContext.Origin.CLIENT && !ctx.replaying
                && c.connection().detach(networkIo(), () -> runDetached(ctx, spec, argv), null)) {
            return true;
        }
        call(ctx, spec, argv);
        BlockingRegistry blocking = server.blocking();
        if (blocking.hasReady()) blocking.serveReady();
        return false;
    }

    /**
     * Whether a command a client pipelined right after a script may run on the script thread in the same
     * hand-off: another script command (EVAL*, FCALL*). The whole call path still runs for it there (the
     * first script ran outside MULTI, and a script cannot start one), so this only chooses the thread.
     */
    private boolean joinsScriptBatch(byte[][] argv) {
        CommandSpec spec = server.table().lookup(argv[0]);
        return spec != null && spec.scriptThread;
    }

    /** Threads for {@link CommandSpec.Flag#NETWORK_IO} commands, created on first use, idle ones end after a minute. */
    private volatile java.util.concurrent.ExecutorService networkIo;

    private java.util.concurrent.Executor networkIo() {
        java.util.concurrent.ExecutorService e = networkIo;
        if (e != null) return e;
        synchronized (this) {
            if (networkIo == null) {
                java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(0, 64, 60,
                        java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(), r -> {
                            Thread t = new Thread(r, "keyline-network-io");
                            t.setDaemon(true);
                            return t;
                        }, new java.util.concurrent.ThreadPoolExecutor.CallerRunsPolicy());
                networkIo = pool;
            }
            return networkIo;
        }
    }

    /**
     * Ends the {@link CommandSpec.Flag#NETWORK_IO} threads with the server (they would otherwise idle for a
     * minute after a stopped embedded server): an unfinished MIGRATE is interrupted, its socket then fails.
     */
    public void shutdownNetworkIo() {
        java.util.concurrent.ExecutorService e;
        synchronized (this) {
            e = networkIo;
        }
        if (e != null) e.shutdownNow();
    }

    /**
     * For a {@link CommandSpec.Flag#NETWORK_IO} command (which the call path does not lock): runs {@code body}
     * holding the stripes of {@code keys} (none of its own under EXEC or a script, which hold every stripe), and
     * logs what {@code body} changed before releasing them, so the AOF sees the writes to a key in the order they
     * happened. {@code body} reports changes with {@code modified} and {@code propagateAs}, as a handler does.
     */
    void underKeyLocks(CallContext ctx, byte[][] keys, Runnable body) {
        int[] stripes = null;
        if (ctx.origin != CallContext.Origin.EXEC && keys.length > 0) {
            int[] s = new int[keys.length];
            for (int i = 0; i < keys.length; i++) s[i] = keyspace.stripeOf(keys[i]);
            Arrays.sort(s);
            int n = 0;
            for (int i = 0; i < s.length; i++) if (i == 0 || s[i] != s[i - 1]) s[n++] = s[i];
            stripes = Arrays.copyOf(s, n);
            lock(stripes, n);
        }
        try {
            body.run();
            if (ctx.dirty != 0 && ctx.propagateAs != null) propagate(ctx, null);
            ctx.dirty = 0; // logged: the call path's own propagation must not log it again
            ctx.propagateAs = null;
        } finally {
            if (stripes != null) keyspace.unlockStripes(stripes, stripes.length);
        }
    }

    /** A script command on the script thread: the rest of {@link #process} and {@link #execute}. */
    private void runDetached(CallContext ctx, CommandSpec spec, byte[][] argv) {
        try {
            call(ctx, spec, argv);
            BlockingRegistry blocking = server.blocking();
            if (blocking.hasReady()) blocking.serveReady();
            finish(ctx, argv);
        } catch (RuntimeException | Error e) {
            log.warn("Internal error finishing '{}' on the script thread for client id={}", spec.name, ctx.id(), e);
        }
    }

    /**
     * The checks of Redis's {@code processCommand} that run before a command is queued by MULTI (a
     * command refused here makes the transaction fail with EXECABORT): auth, MULTI-only refusals, OOM,
     * MISCONF, LOADING. Replies the refusal and returns false.
     */
    private boolean admit(Client c, CommandSpec spec, byte[][] argv) {
        if (!c.authenticated() && !spec.noAuth) {
            reject(c, spec, Errors.NOAUTH);
            return false;
        }
        if (c.inMulti() && spec.hasFlag(CommandSpec.Flag.NO_MULTI)) {
            reject(c, spec, "ERR Command not allowed inside a transaction");
            return false;
        }
        // ACL, as Redis's processCommand: a user allowed everything costs one test here.
        io.keyline.session.UserRef user = c.aclUser();
        if (user != null && !((AclUser) user).unrestricted() && !aclAllows(c, (AclUser) user, spec, argv)) return false;
        // As Redis: a monitor is a replica-like client and may not touch the keyspace.
        if (c.monitor() && (spec.write || spec.hasFlag(CommandSpec.Flag.READONLY)
                || spec.hasFlag(CommandSpec.Flag.MAY_REPLICATE))) {
            reject(c, spec, "ERR Replica can't interact with the keyspace");
            return false;
        }
        boolean exec = spec.executesQueued && c.inMulti();
        // As Redis: while queueing, every command counts as growing memory (the queue itself does),
        // except those that end the transaction.
        boolean queueing = c.inMulti() && !exec && !spec.endsTransaction;
        if ((spec.denyOom || queueing || (exec && queuedAny(c, s -> s.denyOom))) && keyspace.overLimit()
                && !keyspace.freeUntilUnderLimit()) {
            long mm = keyspace.maxMemory();
            if (mm > 0 && keyspace.usedMemory() >= mm) {
                reject(c, spec, Errors.OOM);
                return false;
            }
            // Only the key-count capacity is reached: commands that add no key may still run;
            // call() decides per command under the key's lock.
        }
        if (spec.refusedOnWriteError || (exec && queuedAny(c, s -> s.write))) {
            String err = server.writeError();
            if (err != null) {
                reject(c, spec, err);
                return false;
            }
        }
        // Only a subset of commands in a RESP2 subscribed connection (RESP3 has no such limit).
        if (c.pubsub() && c.protocol() == 2 && !spec.allowedInSubscribedContext) {
            reject(c, spec, "ERR Can't execute '" + spec.name + "': only (P|S)SUBSCRIBE / "
                    + "(P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
            return false;
        }
        if (server.loading() && (!spec.allowedWhileLoading || (exec && queuedAny(c, s -> !s.allowedWhileLoading)))) {
            reject(c, spec, Errors.LOADING);
            return false;
        }
        // As Redis's processCommand: while a script runs only allow-busy commands are served; the others
        // wait for it (the server is busy), and are refused once it has run for busy-reply-threshold.
        if (scriptThread.isRunning() && !spec.allowBusy) {
            String busy = scriptThread.awaitIdleOrBusy();
            if (busy != null) {
                reject(c, spec, busy);
                return false;
            }
        }
        return true;
    }

    /** The ACL check of a restricted user's command; a denial is logged and answered NOPERM (EXECABORT later in MULTI). */
    private boolean aclAllows(Client c, AclUser user, CommandSpec spec, byte[][] argv) {
        Acl acl = server.acl();
        int result = acl.check(user, spec, argv);
        if (result == Acl.OK) return true;
        acl.logDenied(c, result, c.inMulti() ? Acl.CTX_MULTI : Acl.CTX_TOPLEVEL, spec, argv, user);
        reject(c, spec, "NOPERM " + Acl.errorMessage(result, user, spec, argv, false));
        return false;
    }

    /**
     * {@code redis.acl_check_cmd}: whether the script's caller may run {@code argv}; null when no such
     * command exists (Redis's lookupCommand: with a second argument, a container needs it to be a known subcommand).
     */
    public Boolean aclCheckCommand(Client c, byte[][] argv) {
        CommandSpec spec = server.table().lookup(argv[0]);
        if (spec != null && !spec.subcommands.isEmpty() && argv.length > 1) {
            spec = spec.subcommands.get(Bytes.lower(argv[1]));
        }
        if (spec == null) return null;
        io.keyline.session.UserRef user = c.aclUser();
        return user == null || server.acl().check((AclUser) user, spec, argv) == Acl.OK;
    }

    /** Redis's is_may_replicate_command: writes, may-replicate commands, and an EXEC queueing either. */
    private boolean mayReplicate(Client c, CommandSpec spec) {
        java.util.function.Predicate<CommandSpec> test = s -> s.write || s.hasFlag(CommandSpec.Flag.MAY_REPLICATE);
        return test.test(spec) || (spec.executesQueued && c.inMulti() && queuedAny(c, test));
    }

    private boolean queuedAny(Client c, java.util.function.Predicate<CommandSpec> test) {
        for (byte[][] argv : c.queued()) if (test.test(specOf(argv))) return true;
        return false;
    }

    /** The spec of a command that already passed {@link #resolve} (a queued one): no checks, no replies. */
    private CommandSpec specOf(byte[][] argv) {
        CommandSpec spec = server.table().lookup(argv[0]);
        if (!spec.subcommands.isEmpty() && argv.length > 1) {
            CommandSpec sub = spec.subcommands.get(Bytes.lower(argv[1]));
            if (sub != null) spec = sub;
        }
        return spec;
    }

    /**
     * Runs a command read back from the AOF: no auth, LOADING, MISCONF or OOM refusal (the caller
     * lifts the limits while loading); MULTI queues as usual so logged transactions replay whole.
     */
    public void replay(CallContext ctx, byte[][] argv) {
        Client c = ctx.client();
        CommandSpec spec = resolve(ctx, argv);
        if (spec == null) return;
        if (c.inMulti() && !spec.notQueued) {
            c.queue(argv);
            return;
        }
        ctx.begin(c.reply);
        call(ctx, spec, argv);
    }

    /** A context for a client connection's calls, to reuse call after call (a client runs one at a time). */
    public CallContext newContext(Client c) {
        return new CallContext(server, c, CallContext.Origin.CLIENT, false);
    }

    /** A context for commands replayed from the AOF by {@code c}: not counted, never blocking. */
    public CallContext replayContext(Client c) {
        return new CallContext(server, c, CallContext.Origin.REPLAY, true);
    }

    /**
     * The table entry of a command name. The parser hands a connection one array per repeated name, so the
     * context remembers the last one: a pipeline of the same command hashes and compares its name once.
     * The table does not change after start, and nothing writes into an argument's bytes.
     */
    private CommandSpec lookup(CallContext ctx, byte[] name) {
        if (name == ctx.lastName) return ctx.lastSpec;
        CommandSpec spec = server.table().lookup(name);
        ctx.lastName = name;
        ctx.lastSpec = spec;
        return spec;
    }

    /** Looks the command (and subcommand) up and checks arity; replies the error and returns null on failure. */
    CommandSpec resolve(CallContext ctx, byte[][] argv) {
        Client c = ctx.client();
        CommandSpec spec = lookup(ctx, argv[0]);
        if (spec == null) {
            reject(c, unknownCommand(argv));
            return null;
        }
        if (!spec.subcommands.isEmpty() && !(argv.length == 1 && spec.handler != null)) {
            // A container runs its own handler only when called bare (COMMAND); CONFIG alone is an arity error.
            if (argv.length < 2) {
                reject(c, Errors.wrongArgs(spec.name).getMessage());
                return null;
            }
            CommandSpec sub = spec.subcommands.get(Bytes.lower(argv[1]));
            if (sub == null) {
                reject(c, "ERR unknown subcommand '" + Errors.abbreviate(Bytes.str(argv[1])) + "'. Try "
                        + spec.name.toUpperCase() + " HELP.");
                return null;
            }
            spec = sub;
        }
        if ((spec.arity > 0 && argv.length != spec.arity) || argv.length < -spec.arity) {
            reject(c, spec, "ERR wrong number of arguments for '" + spec.name + "' command");
            return null;
        }
        return spec;
    }

    private static boolean isCrossProtocolAttack(byte[] name) {
        return (name.length == 4 || name.length == 5)
                && (Bytes.equalsIgnoreCase(name, "post") || Bytes.equalsIgnoreCase(name, "host:"));
    }

    static String unknownCommand(byte[][] argv) {
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < argv.length && args.length() < 128; i++) {
            String a = Bytes.str(argv[i]);
            int room = 128 - args.length();
            args.append('\'').append(a.length() > room ? a.substring(0, room) : a).append("' ");
        }
        String name = Bytes.str(argv[0]);
        if (name.length() > 128) name = name.substring(0, 128);
        return "ERR unknown command '" + name + "', with args beginning with: " + args;
    }

    private void reject(Client c, String error) {
        if (c.inMulti()) c.markMultiError();
        countError(error);
        c.reply.error(error);
    }

    private void countError(String error) {
        server.stats().errorReplies.increment();
        server.stats().countErrorCode(error);
    }

    /**
     * Refuses {@code spec} before it runs. As Redis's {@code rejectCommand}: a refused EXEC
     * discards the transaction (and the watched keys) and answers {@code EXECABORT Transaction
     * discarded because of: <reason>}, also outside MULTI.
     */
    private void reject(Client c, CommandSpec spec, String error) {
        spec.recordRejected(); // rejected_calls in INFO commandstats
        if (!spec.executesQueued) {
            reject(c, error);
            return;
        }
        discardMulti(c);
        String reason = error.startsWith("ERR ") ? error.substring(4) : error;
        String abort = "EXECABORT Transaction discarded because of: " + reason;
        countError(abort);
        c.reply.error(abort);
    }

    /**
     * The one call path, as Redis's {@code call()}: every caller (a client, EXEC, AOF replay, a
     * blocked client's re-run) comes through here. Takes the command's stripe locks (EXEC's queued
     * commands run under EXEC's), runs the handler, then, still under the locks, registers a block
     * the handler asked for, and logs what the command changed; records command stats once the
     * command is answered (not when it blocks, nor while replaying). Returns true if the command
     * blocked (on a re-run: would block again, and stays waiting).
     */
    boolean call(CallContext ctx, CommandSpec spec, byte[][] argv) {
        boolean checkCapacity = false;
        if (spec.denyOom && !ctx.replaying && keyspace.overLimit()) {
            if (!keyspace.freeUntilUnderLimit()) {
                long mm = keyspace.maxMemory();
                if (mm > 0 && keyspace.usedMemory() >= mm) {
                    countError(Errors.OOM);
                    ctx.reply.error(Errors.OOM);
                    return false;
                }
                checkCapacity = true;
            }
        }
        boolean locks = ctx.origin != CallContext.Origin.EXEC && !spec.networkIo;
        int[] keys = spec.keyIndexes(argv);
        int single = -1;
        int[] stripes = null;
        boolean all = locks && spec.lockAll;
        if (locks && spec.beforeLocks() != null) spec.beforeLocks().handle(ctx, argv);
        try {
            if (locks && !all && keys.length == 1) {
                single = keyspace.stripeOf(argv[keys[0]]);
                lock(single);
            } else if (locks && !all && keys.length > 1) {
                stripes = stripesOf(argv, keys);
                lock(stripes, stripes.length);
            } else if (all) {
                lockAll();
            }
        } catch (RedisException busy) { // a script holds the stripes and has run past busy-reply-threshold
            spec.recordRejected();
            countError(busy.getMessage());
            ctx.reply.error(busy.getMessage());
            return false;
        }
        boolean counted = !ctx.replaying; // Redis loads the AOF outside call()
        // As Redis's evalCommand: MONITOR sees a script command before the commands its script calls.
        if (spec.scriptThread && counted && server.monitors().active() && !ctx.reprocessing) {
            server.monitors().feed(ctx.client(), spec, argv, false);
        }
        long started = 0;
        boolean failed = true;
        boolean blocked = false;
        try {
            if (checkCapacity && addsKey(ctx.db(), argv, keys)) {
                countError(Errors.OOM_CAPACITY);
                ctx.reply.error(Errors.OOM_CAPACITY);
                spec.recordRejected();
                counted = false;
                return false;
            }
            if (counted) started = System.nanoTime();
            spec.handler.handle(ctx, argv);
            failed = false;
        } catch (RedisException e) {
            countError(e.getMessage());
            ctx.reply.error(e.getMessage());
        } catch (WrongTypeException e) {
            countError(Errors.WRONG_TYPE);
            ctx.reply.error(Errors.WRONG_TYPE);
        } catch (CapacityExceededException e) {
            countError(Errors.OOM_CAPACITY);
            ctx.reply.error(Errors.OOM_CAPACITY);
        } catch (RuntimeException | StackOverflowError e) {
            log.warn("Internal error running '{}' for client id={}", spec.name, ctx.id(), e);
            countError("ERR");
            ctx.reply.error("ERR internal error running '" + spec.name + "': " + e);
        } finally {
            try {
                if (!failed && ctx.blockKeys != null) {
                    blocked = true;
                    // Registered under the keys' locks, so a push cannot slip between the miss and the wait.
                    if (!ctx.reprocessing) {
                        server.blocking().block(ctx.client(), spec, argv, ctx.blockKeys, ctx.blockType,
                                ctx.blockTimeoutMillis, ctx.blockForStream, ctx.blockUnblockOnNoKey, ctx.blockAnswersZero);
                    }
                    if (counted) server.callObserver().afterBlock(spec, System.nanoTime() - started);
                } else if (counted) {
                    // As Redis's call(): a command that blocked counts when it is answered.
                    long elapsed = System.nanoTime() - started;
                    spec.recordCall(elapsed, failed);
                    server.callObserver().afterCall(ctx.client(), spec, argv, elapsed); // slow log, latency, histogram
                    server.stats().commandsProcessed.increment();
                }
                if (ctx.dirty != 0) propagate(ctx, argv);
                // As Redis's call(): a tracking client remembers the keys its read-only commands read.
                if (spec.readonly && !blocked && ctx.origin != CallContext.Origin.REPLAY && ctx.client().trackingFlags() != 0) {
                    server.tracking().rememberKeys(ctx.client(), spec, argv);
                }
                // MONITOR, as Redis's call(): after the command, once (not on a blocked command's
                // re-run), not while loading, never admin or skip_monitor commands. Under the keys'
                // locks, so monitors see writes to a key in the order they happened.
                if (counted && server.monitors().active() && !ctx.reprocessing && spec.monitored) {
                    server.monitors().feed(ctx.client(), spec, argv, ctx.scriptCall);
                }
            } finally {
                if (single >= 0) {
                    keyspace.unlock(single);
                } else if (stripes != null) {
                    keyspace.unlockStripes(stripes, stripes.length);
                } else if (all) {
                    keyspace.unlockAll();
                }
            }
        }
        if (ctx.copiedArguments != 0) recycleCopiedArguments(ctx, argv);
        return blocked;
    }

    /**
     * Gives the arguments the handler copied into the store ({@link CallContext#argumentCopied}) back to
     * this thread's parser pool: here, after the slow log, the AOF, tracking and MONITOR have had them
     * (each copies what it keeps), nothing refers to them any more.
     */
    private static void recycleCopiedArguments(CallContext ctx, byte[][] argv) {
        ArgumentPool pool = ArgumentPool.current();
        for (long bits = ctx.copiedArguments; bits != 0; bits &= bits - 1) pool.recycle(argv[Long.numberOfTrailingZeros(bits)]);
        ctx.copiedArguments = 0;
    }

    /**
     * Takes a stripe. Uncontended, one tryLock. Otherwise the wait is bounded: a script may hold the
     * stripe for as long as it runs, and an event loop must not hang behind it (its other clients would
     * get no answer, not even BUSY): once the script has run past busy-reply-threshold this gives up
     * with BUSY. The script thread itself only ever waits for commands that are running.
     */
    private void lock(int stripe) {
        if (keyspace.tryLock(stripe)) return;
        while (!keyspace.tryLock(stripe, LOCK_POLL_NANOS)) {
            String busy = scriptThread.busyError();
            if (busy != null) throw new RedisException(busy);
        }
    }

    private static final long LOCK_POLL_NANOS = 2_000_000;

    /**
     * Takes {@code stripes[0..n)} (ascending, distinct) for the whole command, under one hold of the keyspace's
     * gate ({@link Keyspace#tryLockStripes}), bounded as {@link #lock(int)}: all or none, so BUSY leaves none held.
     * Release with {@link Keyspace#unlockStripes}.
     */
    private void lock(int[] stripes, int n) {
        if (keyspace.tryLockStripes(stripes, n, 0)) return;
        while (!keyspace.tryLockStripes(stripes, n, LOCK_POLL_NANOS)) {
            String busy = scriptThread.busyError();
            if (busy != null) throw new RedisException(busy);
        }
    }

    /** Every stripe (as {@link Keyspace#lockAll}), bounded as {@link #lock(int)}. */
    private void lockAll() {
        if (keyspace.tryLockAll(0)) return;
        while (!keyspace.tryLockAll(LOCK_POLL_NANOS)) {
            String busy = scriptThread.busyError();
            if (busy != null) throw new RedisException(busy);
        }
    }

    private int[] stripesOf(byte[][] argv, int[] keys) {
        int[] s = new int[keys.length];
        for (int i = 0; i < keys.length; i++) s[i] = keyspace.stripeOf(argv[keys[i]]);
        Arrays.sort(s);
        int n = 0;
        for (int i = 0; i < s.length; i++) if (i == 0 || s[i] != s[i - 1]) s[n++] = s[i];
        return n == s.length ? s : Arrays.copyOf(s, n);
    }

    private static boolean addsKey(Database db, byte[][] argv, int[] keys) {
        if (keys.length == 0) return false;
        for (int k : keys) if (!db.exists(argv[k])) return true;
        return false;
    }

    /** Logs what the call changed: its own argv, or what it asked to propagate instead. */
    private void propagate(CallContext ctx, byte[][] argv) {
        if (!ctx.savedItsChanges) server.stats().dirtySinceSave.addAndGet(ctx.dirty);
        List<byte[][]> cmds = ctx.propagateAs;
        int db = ctx.dbIndex();
        if (ctx.transactionLog != null) {
            if (ctx.noPropagate) return;
            if (cmds == null) ctx.transactionLog.add(new Object[]{db, argv});
            else for (byte[][] cmd : cmds) ctx.transactionLog.add(new Object[]{db, cmd});
            return;
        }
        Propagator p = server.propagator();
        if (p == Propagator.NONE) return;
        long seq;
        if (cmds == null) {
            seq = p.append(db, argv);
        } else {
            seq = 0;
            for (byte[][] cmd : cmds) seq = Math.max(seq, p.append(db, cmd));
        }
        if (seq > ctx.durableSeq) ctx.durableSeq = seq;
    }

    // ---- MULTI / EXEC ------------------------------------------------------------------------

    public void beginMulti(Client c) {
        c.beginMulti();
    }

    public void discardMulti(Client c) {
        c.endMulti();
        server.watches().unwatchAll(c);
    }

    /**
     * EXEC; runs with every stripe locked (the EXEC spec has LOCK_ALL). Each queued command goes
     * through {@link #call} with one EXEC context, whose writes collect in a log that is written
     * wrapped in MULTI/EXEC when the transaction ends.
     */
    public void exec(CallContext ctx) {
        Client c = ctx.client();
        if (!c.inMulti()) throw new RedisException("ERR EXEC without MULTI");
        if (c.multiError()) {
            discardMulti(c);
            throw new RedisException(Errors.EXECABORT);
        }
        if (server.watches().isDirty(c)) {
            discardMulti(c);
            ctx.reply.nullArray();
            return;
        }
        List<byte[][]> cmds = c.queued();
        c.endMulti();
        server.watches().unwatchAll(c);
        CallContext queued = new CallContext(server, c, CallContext.Origin.EXEC, ctx.replaying);
        queued.transactionLog = new ArrayList<>();
        ctx.reply.arrayHeader(cmds.size());
        try {
            for (int i = 0; i < cmds.size(); i++) {
                CommandSpec spec = specOf(cmds.get(i));
                String err = spec.write ? server.writeError() : null;
                if (err != null) {
                    ctx.reply.error(err);
                    continue;
                }
                String denied = aclDeniedAtExec(c, spec, cmds.get(i));
                if (denied != null) {
                    countError(denied);
                    ctx.reply.error(denied);
                    continue;
                }
                queued.begin(ctx.reply);
                queued.shareTimeOf(ctx);
                call(queued, spec, cmds.get(i));
            }
        } finally {
            ctx.select(c.dbIndex()); // a SELECT inside the transaction stays in effect
            flushTransactionLog(ctx, queued.transactionLog);
        }
    }

    /**
     * As Redis's execCommand: the ACL is checked again when EXEC runs a queued command, since the user's
     * rules may have changed after it was queued. Returns the error, or null if allowed.
     */
    private String aclDeniedAtExec(Client c, CommandSpec spec, byte[][] argv) {
        io.keyline.session.UserRef ref = c.aclUser();
        if (ref == null || ((AclUser) ref).unrestricted()) return null;
        AclUser user = (AclUser) ref;
        int result = server.acl().check(user, spec, argv);
        if (result == Acl.OK) return null;
        server.acl().logDenied(c, result, Acl.CTX_MULTI, spec, argv, user);
        String reason = switch (result & 0xff) {
            case Acl.DENIED_CMD -> "no permission to execute the command or subcommand";
            case Acl.DENIED_KEY -> "no permission to touch the specified keys";
            default -> "no permission to access one of the channels used as arguments";
        };
        return "NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. "
                + "This command is no longer allowed for the following reason: " + reason;
    }

    // ---- scripts (EVAL, FCALL) ----------------------------------------------------------------

    /**
     * A context for the commands a script runs through {@code redis.call}: like EXEC's, no locks of its
     * own (the script's command holds every stripe), writes collected in a log written wrapped in
     * MULTI/EXEC when the script ends ({@link #endScript}), never blocking.
     */
    public CallContext scriptContext(CallContext outer) {
        CallContext s = new CallContext(server, outer.client(), CallContext.Origin.EXEC, outer.replaying);
        s.transactionLog = new ArrayList<>();
        s.scriptCall = true;
        return s;
    }

    /**
     * One {@code redis.call} from a script: the checks Redis's {@code scriptCall} makes (unknown command,
     * arity, commands not allowed from scripts, writes from read-only scripts, MISCONF), then {@link #call}
     * with the script's context, the reply going to {@code sink}. A refusal throws {@link RedisException}
     * with Redis's text. {@code propagate} false (the script's redis.set_repl without REPL_AOF): its writes
     * are not logged, as Redis's scriptCall calls without CMD_CALL_PROPAGATE_AOF.
     */
    public void scriptCall(CallContext outer, CallContext script, byte[][] argv, io.keyline.protocol.ReplyWriter sink,
                           boolean readOnly, boolean propagate) {
        CommandSpec spec = argv.length == 0 ? null : server.table().lookup(argv[0]);
        if (spec == null) throw new RedisException("ERR Unknown Redis command called from script");
        if (!spec.subcommands.isEmpty() && !(argv.length == 1 && spec.handler != null)) {
            CommandSpec sub = argv.length < 2 ? null : spec.subcommands.get(Bytes.lower(argv[1]));
            if (sub == null) throw new RedisException("ERR Unknown Redis command called from script");
            spec = sub;
        }
        if ((spec.arity > 0 && argv.length != spec.arity) || argv.length < -spec.arity) {
            throw new RedisException("ERR Wrong number of args calling Redis command from script");
        }
        if (spec.hasFlag(CommandSpec.Flag.NOSCRIPT)) {
            throw new RedisException("ERR This Redis command is not allowed from script");
        }
        // ACL, as Redis's scriptVerifyACL: the script's caller's user, logged with context "lua".
        io.keyline.session.UserRef ref = outer.client().aclUser();
        if (ref != null && !((AclUser) ref).unrestricted()) {
            AclUser user = (AclUser) ref;
            int result = server.acl().check(user, spec, argv);
            if (result != Acl.OK) {
                server.acl().logDenied(outer.client(), result, Acl.CTX_LUA, spec, argv, user);
                throw new RedisException("ERR ACL failure in script: " + Acl.errorMessage(result, user, spec, argv, false));
            }
        }
        if (spec.write) {
            if (readOnly) throw new RedisException("ERR Write commands are not allowed from read-only scripts.");
            String err = server.writeError();
            if (err != null) throw new RedisException(err);
            scriptThread.wrote(); // SCRIPT KILL can no longer stop it (Redis's SCRIPT_WRITE_DIRTY)
        }
        script.begin(sink);
        script.shareTimeOf(outer);
        script.noPropagate = !propagate; // redis.set_repl(redis.REPL_NONE): the call's writes are not logged
        call(script, spec, argv);
    }

    /** Ends a script: the database the caller had is restored (a SELECT inside the script does not leak) and
     * the script's writes are logged, wrapped in MULTI/EXEC when more than one. */
    public void endScript(CallContext outer, CallContext script, int callerDb) {
        outer.client().select(callerDb);
        outer.select(callerDb);
        // A script aborted by the server's stop (SHUTDOWN NOSAVE) leaves nothing in the AOF.
        if (scriptThread.shuttingDown()) return;
        flushTransactionLog(outer, script.transactionLog);
    }

    private void flushTransactionLog(CallContext ctx, List<Object[]> logged) {
        Propagator p = server.propagator();
        if (logged.isEmpty() || p == Propagator.NONE) return;
        long seq = 0;
        boolean wrap = logged.size() > 1;
        int db = (int) logged.get(0)[0];
        if (wrap) seq = p.append(db, new byte[][]{MULTI});
        for (Object[] entry : logged) seq = Math.max(seq, p.append((int) entry[0], (byte[][]) entry[1]));
        if (wrap) seq = Math.max(seq, p.append((int) logged.get(logged.size() - 1)[0], new byte[][]{EXEC}));
        if (seq > ctx.durableSeq) ctx.durableSeq = seq;
    }
}
