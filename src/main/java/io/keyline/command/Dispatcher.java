package io.keyline.command;

import io.keyline.store.Bytes;
import io.keyline.store.CapacityExceededException;
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

    Dispatcher(ServerContext server) {
        this.server = server;
        this.keyspace = server.keyspace();
    }

    /** Executes one request from a client; the reply goes to {@code c.reply}. */
    public void execute(Client c, byte[][] argv) {
        if (isCrossProtocolAttack(argv[0])) {
            // As Redis: an HTTP request sent to the port is dropped without a reply.
            log.warn("Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to Keyline. "
                    + "This is likely due to an attacker attempting to use Cross Protocol Scripting to compromise your "
                    + "Keyline instance. Connection from {} aborted.", c.connection().remoteAddress());
            c.kill();
            return;
        }
        CommandSpec spec = resolve(c, argv);
        if (spec == null) return;
        c.lastCommand(spec.name);
        // The checks below run in Redis's processCommand order, before a command is queued by
        // MULTI: a command refused here makes the transaction fail with EXECABORT.
        if (!c.authenticated() && !spec.noAuth) {
            reject(c, spec, Errors.NOAUTH);
            return;
        }
        if (c.inMulti() && spec.hasFlag(CommandSpec.Flag.NO_MULTI)) {
            reject(c, spec, "ERR Command not allowed inside a transaction");
            return;
        }
        boolean exec = spec.handler == TransactionCommands.EXEC_HANDLER && c.inMulti();
        // As Redis: while queueing, every command counts as growing memory (the queue itself does),
        // except those that end the transaction.
        boolean queueing = c.inMulti() && !exec && !endsTransaction(spec);
        if ((spec.denyOom || queueing || (exec && queuedAny(c, s -> s.denyOom))) && keyspace.overLimit()
                && !keyspace.freeUntilUnderLimit()) {
            long mm = keyspace.maxMemory();
            if (mm > 0 && keyspace.usedMemory() >= mm) {
                reject(c, spec, Errors.OOM);
                return;
            }
            // Only the key-count capacity is reached: commands that add no key may still run;
            // run() decides per command under the key's lock.
        }
        if (spec.refusedOnWriteError || (exec && queuedAny(c, s -> s.write))) {
            String err = server.propagator().writeError();
            if (err != null) {
                reject(c, spec, err);
                return;
            }
        }
        if (server.loading() && (!spec.allowedWhileLoading || (exec && queuedAny(c, s -> !s.allowedWhileLoading)))) {
            reject(c, spec, Errors.LOADING);
            return;
        }
        if (c.inMulti() && !isTransactionControl(spec)) {
            c.queued.add(argv);
            c.queuedSpecs.add(spec);
            c.reply.queued();
            return;
        }
        run(c, spec, argv, true);
        BlockingRegistry blocking = server.blocking();
        if (blocking.hasReady()) blocking.serveReady();
    }

    private static boolean queuedAny(Client c, java.util.function.Predicate<CommandSpec> test) {
        for (CommandSpec s : c.queuedSpecs) if (test.test(s)) return true;
        return false;
    }

    /**
     * Runs a command read back from the AOF: no auth, LOADING, MISCONF or OOM refusal (the caller
     * lifts the limits while loading); MULTI queues as usual so logged transactions replay whole.
     */
    public void replay(Client c, byte[][] argv) {
        c.replaying = true; // no command stats: Redis runs loaded commands outside call()
        CommandSpec spec = resolve(c, argv);
        if (spec == null) return;
        if (c.inMulti() && !isTransactionControl(spec)) {
            c.queued.add(argv);
            c.queuedSpecs.add(spec);
            return;
        }
        run(c, spec, argv, true);
    }

    /** Looks the command (and subcommand) up and checks arity; replies the error and returns null on failure. */
    CommandSpec resolve(Client c, byte[][] argv) {
        CommandSpec spec = server.table().lookup(argv[0]);
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

    private static boolean endsTransaction(CommandSpec spec) {
        return switch (spec.name) {
            case "exec", "discard", "quit", "reset" -> true;
            default -> false;
        };
    }

    private static boolean isTransactionControl(CommandSpec spec) {
        return switch (spec.name) {
            case "exec", "discard", "multi", "watch", "quit", "reset", "unwatch" -> true;
            default -> false;
        };
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
        if (c.inMulti()) c.multiError = true;
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
        if (!c.replaying) spec.recordRejected(); // rejected_calls in INFO commandstats
        if (spec.handler != TransactionCommands.EXEC_HANDLER) {
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
     * Runs a resolved command: OOM check, locks, handler, propagation. {@code topLevel} is false for
     * commands run by EXEC, which already holds every lock.
     */
    void run(Client c, CommandSpec spec, byte[][] argv, boolean topLevel) {
        boolean checkCapacity = false;
        if (spec.denyOom && keyspace.overLimit()) {
            if (!keyspace.freeUntilUnderLimit()) {
                long mm = keyspace.maxMemory();
                if (mm > 0 && keyspace.usedMemory() >= mm) {
                    reject(c, Errors.OOM);
                    return;
                }
                checkCapacity = true;
            }
        }
        int[] keys = spec.keyIndexes(argv);
        int single = -1;
        int[] stripes = null;
        boolean all = spec.lockAll;
        if (!all && keys.length == 1) {
            single = keyspace.stripeOf(argv[keys[0]]);
            keyspace.lock(single);
        } else if (!all && keys.length > 1) {
            stripes = stripesOf(argv, keys);
            for (int s : stripes) keyspace.lock(s);
        } else if (all) {
            keyspace.lockAll();
        }
        long dirtyBefore = c.dirty;
        long started = 0;
        boolean failed = true;
        try {
            if (checkCapacity && addsKey(c.db(), argv, keys)) {
                reject(c, Errors.OOM_CAPACITY);
                spec.recordRejected();
                return;
            }
            if (!c.replaying) started = System.nanoTime();
            spec.handler.handle(c, argv);
            failed = false;
        } catch (RedisException e) {
            countError(e.getMessage());
            c.reply.error(e.getMessage());
        } catch (CapacityExceededException e) {
            countError(Errors.OOM_CAPACITY);
            c.reply.error(Errors.OOM_CAPACITY);
        } catch (RuntimeException | StackOverflowError e) {
            log.warn("Internal error running '{}' for client id={}", spec.name, c.id(), e);
            countError("ERR");
            c.reply.error("ERR internal error running '" + spec.name + "': " + e);
        } finally {
            if (started != 0) {
                spec.recordCall(System.nanoTime() - started, failed);
                // As Redis's call(): counted once run; a command that blocked counts when it is answered.
                if (!c.blocked()) server.stats().commandsProcessed.increment();
            }
            try {
                if (c.dirty != dirtyBefore && spec.handler != TransactionCommands.EXEC_HANDLER) {
                    propagate(c, argv, c.dirty - dirtyBefore);
                }
                c.propagateAs = null;
            } finally {
                if (single >= 0) {
                    keyspace.unlock(single);
                } else if (stripes != null) {
                    for (int i = stripes.length - 1; i >= 0; i--) keyspace.unlock(stripes[i]);
                } else if (all) {
                    keyspace.unlockAll();
                }
            }
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

    private void propagate(Client c, byte[][] argv, long changes) {
        server.stats().dirtySinceSave.addAndGet(changes);
        List<byte[][]> cmds = c.propagateAs;
        if (c.transactionLog != null) {
            if (cmds == null) c.transactionLog.add(new Object[]{c.dbIndex(), argv});
            else for (byte[][] cmd : cmds) c.transactionLog.add(new Object[]{c.dbIndex(), cmd});
            return;
        }
        Propagator p = server.propagator();
        if (p == Propagator.NONE) return;
        long seq;
        if (cmds == null) {
            seq = p.append(c.dbIndex(), argv);
        } else {
            seq = 0;
            for (byte[][] cmd : cmds) seq = Math.max(seq, p.append(c.dbIndex(), cmd));
        }
        if (seq > c.pendingDurableSeq) c.pendingDurableSeq = seq;
    }

    // ---- MULTI / EXEC ------------------------------------------------------------------------

    void beginMulti(Client c) {
        c.queued = new ArrayList<>();
        c.queuedSpecs = new ArrayList<>();
        c.multiError = false;
    }

    void discardMulti(Client c) {
        c.queued = null;
        c.queuedSpecs = null;
        c.multiError = false;
        server.watches().unwatchAll(c);
    }

    /** EXEC; runs with every stripe locked (the EXEC spec has LOCK_ALL). */
    void exec(Client c) {
        if (!c.inMulti()) throw new RedisException("ERR EXEC without MULTI");
        if (c.multiError) {
            discardMulti(c);
            throw new RedisException(Errors.EXECABORT);
        }
        if (server.watches().isDirty(c)) {
            discardMulti(c);
            c.reply.nullArray();
            return;
        }
        List<byte[][]> cmds = c.queued;
        List<CommandSpec> specs = c.queuedSpecs;
        c.queued = null;
        c.queuedSpecs = null;
        server.watches().unwatchAll(c);
        c.transactionLog = new ArrayList<>();
        c.executingTransaction = true;
        c.reply.arrayHeader(cmds.size());
        try {
            for (int i = 0; i < cmds.size(); i++) {
                CommandSpec spec = specs.get(i);
                String err = spec.write ? server.propagator().writeError() : null;
                if (err != null) {
                    c.reply.error(err);
                    continue;
                }
                run(c, spec, cmds.get(i), false);
            }
        } finally {
            c.executingTransaction = false;
            List<Object[]> logged = c.transactionLog;
            c.transactionLog = null;
            flushTransactionLog(c, logged);
        }
    }

    private void flushTransactionLog(Client c, List<Object[]> logged) {
        Propagator p = server.propagator();
        if (logged.isEmpty() || p == Propagator.NONE) return;
        long seq = 0;
        boolean wrap = logged.size() > 1;
        int db = (int) logged.get(0)[0];
        if (wrap) seq = p.append(db, new byte[][]{MULTI});
        for (Object[] entry : logged) seq = Math.max(seq, p.append((int) entry[0], (byte[][]) entry[1]));
        if (wrap) seq = Math.max(seq, p.append((int) logged.get(logged.size() - 1)[0], new byte[][]{EXEC}));
        if (seq > c.pendingDurableSeq) c.pendingDurableSeq = seq;
    }
}
