package io.keyline.engine;

import io.keyline.session.Client;
import io.keyline.session.WatchRegistry;

import io.keyline.protocol.ReplyWriter;
import io.keyline.protocol.Doubles;
import io.keyline.store.Database;
import io.keyline.store.Keyspace;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients blocked on keys (BLPOP, BLMOVE, BZPOPMIN...), like Redis 7's {@code blocking.c}.
 *
 * <p>A blocking command that finds nothing asks its {@link CallContext} to block; the call path then
 * registers the client here, still holding the keys' stripes. Writes report touched keys through
 * {@link #keyModified}; only keys someone waits on are queued as ready, so this costs one volatile read
 * per write while nobody is blocked. After the writing command (or the whole EXEC) has released its
 * locks, the dispatcher calls {@link #serveReady()}: for each ready key holding a value of the type the
 * first waiter waits for, that client's command is run again through the one call path (Redis 7's
 * reprocessing), so each blocking command is written once. If the re-run would block again (another
 * waiter took the element), the client keeps waiting with its first deadline. Waiters are served in
 * the order they blocked. Serving, timeouts, CLIENT UNBLOCK and disconnects all claim a waiter under
 * its keys' stripe locks, so a client is answered exactly once.
 */
public final class BlockingRegistry implements KeyReadyListener {
    private static final String UNBLOCKED = "UNBLOCKED client unblocked via CLIENT UNBLOCK";

    private final ServerContext server;
    private final Keyspace keyspace;
    private final Map<WatchRegistry.WatchedKey, ArrayDeque<Waiter>> waiting = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<WatchRegistry.WatchedKey> ready = new ConcurrentLinkedQueue<>();
    private final AtomicInteger blockedCount = new AtomicInteger();
    private volatile ScheduledExecutorService timer;

    static final class Waiter {
        final Client client;
        final Database db;
        final CommandSpec spec;
        final byte[][] argv;
        final byte[][] keys;
        final Class<?> type;
        final int[] stripes;
        boolean independent;     // stream waiters: an unserved one does not hold back the next
        boolean unblockOnNoKey;  // XREADGROUP: released with an error when the key goes away
        boolean answersZero;     // WAIT: no keys; its timeout reply is :0, not a null array
        boolean done; // guarded by the waiter's stripes
        ScheduledFuture<?> timeout;

        Waiter(Client client, Database db, CommandSpec spec, byte[][] argv, byte[][] keys, Class<?> type, int[] stripes) {
            this.client = client;
            this.db = db;
            this.spec = spec;
            this.argv = argv;
            this.keys = keys;
            this.type = type;
            this.stripes = stripes;
        }
    }

    BlockingRegistry(ServerContext server) {
        this.server = server;
        this.keyspace = server.keyspace();
        server.onClientClosed(new ClosedClients());
    }

    /** A class rather than a method reference: see {@link ServerContext}'s {@code Callbacks}. */
    private final class ClosedClients implements java.util.function.Consumer<Client> {
        @Override
        public void accept(Client c) {
            forget(c);
        }
    }

    /** Number of blocked clients (INFO blocked_clients). */
    public int blockedClients() {
        return blockedCount.get();
    }

    /**
     * Parses a blocking timeout in seconds (fractional allowed) to milliseconds; 0 = forever.
     * Redis's errors for malformed and negative values.
     */
    public static long parseTimeoutSeconds(byte[] arg) {
        Double d = Doubles.parse(arg);
        if (d == null) throw new RedisException("ERR timeout is not a float or out of range"); // inf: "out of range" below
        if (d < 0) throw new RedisException("ERR timeout is negative");
        double ms = d * 1000.0;
        if (ms > Long.MAX_VALUE / 2) throw new RedisException("ERR timeout is out of range");
        long v = (long) Math.ceil(ms);
        return v;
    }

    /**
     * Blocks {@code c} on {@code keys} of its current database until one holds a {@code type} value,
     * then re-runs {@code argv}. Called by the call path with the command's stripes held.
     */
    void block(Client c, CommandSpec spec, byte[][] argv, byte[][] keys, Class<?> type, long timeoutMillis) {
        block(c, spec, argv, keys, type, timeoutMillis, false, false, false);
    }

    void block(Client c, CommandSpec spec, byte[][] argv, byte[][] keys, Class<?> type, long timeoutMillis,
               boolean independent, boolean unblockOnNoKey, boolean answersZero) {
        Database db = c.db();
        Waiter w = new Waiter(c, db, spec, argv, keys, type, stripesOf(argv, spec.keyIndexes(argv)));
        w.independent = independent;
        w.unblockOnNoKey = unblockOnNoKey;
        w.answersZero = answersZero;
        for (byte[] key : keys) {
            ArrayDeque<Waiter> q = waiting.computeIfAbsent(new WatchRegistry.WatchedKey(db.id(), key), k -> new ArrayDeque<>());
            synchronized (q) {
                q.addLast(w);
            }
        }
        blockedCount.incrementAndGet();
        c.block(w);
        if (timeoutMillis > 0) {
            w.timeout = timer().schedule(() -> expire(w), timeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    private ScheduledExecutorService timer() {
        ScheduledExecutorService t = timer;
        if (t == null) {
            synchronized (this) {
                if (timer == null) {
                    timer = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("keyline-block-timer", true));
                }
                t = timer;
            }
        }
        return t;
    }

    private int[] stripesOf(byte[][] argv, int[] keyIndexes) {
        int[] s = new int[keyIndexes.length];
        for (int i = 0; i < keyIndexes.length; i++) s[i] = keyspace.stripeOf(argv[keyIndexes[i]]);
        Arrays.sort(s);
        int n = 0;
        for (int i = 0; i < s.length; i++) if (i == 0 || s[i] != s[i - 1]) s[n++] = s[i];
        return Arrays.copyOf(s, n);
    }

    private void lock(Waiter w) {
        for (int s : w.stripes) keyspace.lock(s);
    }

    private void unlock(Waiter w) {
        for (int i = w.stripes.length - 1; i >= 0; i--) keyspace.unlock(w.stripes[i]);
    }

    /** Removes a claimed waiter from every queue. Caller holds the waiter's stripes and set done. */
    private void detach(Waiter w) {
        for (byte[] key : w.keys) {
            WatchRegistry.WatchedKey wk = new WatchRegistry.WatchedKey(w.db.id(), key);
            ArrayDeque<Waiter> q = waiting.get(wk);
            if (q == null) continue;
            synchronized (q) {
                q.remove(w);
                if (q.isEmpty()) waiting.remove(wk, q);
            }
        }
        if (w.timeout != null) w.timeout.cancel(false);
        blockedCount.decrementAndGet();
    }

    private void expire(Waiter w) {
        finish(w, null);
    }

    private void finishLocked(Waiter w, String error) {
        finish(w, error);
    }

    /**
     * Marks {@code w} answered; false if another thread already did. The waiter's stripes make this exclusive for a
     * waiter on keys; a waiter on none (WAIT) has no stripes, so its timeout, CLIENT UNBLOCK and a disconnect
     * meet on the waiter's monitor.
     */
    private static boolean claim(Waiter w) {
        synchronized (w) {
            if (w.done) return false;
            w.done = true;
            return true;
        }
    }

    /** Ends a wait without serving: timeout reply (error == null) or an error reply. */
    private boolean finish(Waiter w, String error) {
        lock(w);
        try {
            if (!claim(w)) return false;
            detach(w);
        } finally {
            unlock(w);
        }
        // As Redis's updateStatsOnUnblock: the command counts once, when answered.
        w.spec.recordCall(0, error != null);
        server.callObserver().afterCall(w.client, w.spec, w.argv, 0);
        server.stats().commandsProcessed.increment();
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(32);
        ReplyWriter r = new ReplyWriter(buf, w.client.protocol());
        if (error == null) {
            // Every key-blocking command times out with a null array, BLMOVE included; WAIT with the replicas' count.
            if (w.answersZero) r.integer(0);
            else r.nullArray();
        } else {
            server.stats().errorReplies.increment();
            server.stats().countErrorCode(error);
            r.error(error);
        }
        w.client.connection().writeFromAnyThread(buf);
        w.client.unblock();
        return true;
    }

    /** CLIENT UNBLOCK id [TIMEOUT|ERROR]: true if the client was blocked and is now answered. */
    public boolean unblock(long clientId, boolean withError) {
        Client c = server.clients().get(clientId);
        if (c == null || !(c.blockState() instanceof Waiter w)) return false;
        return finish(w, withError ? UNBLOCKED : null);
    }

    private void forget(Client c) {
        if (!(c.blockState() instanceof Waiter w)) return;
        lock(w);
        try {
            if (!claim(w)) return;
            detach(w);
        } finally {
            unlock(w);
        }
    }

    // ---- wake-ups ---------------------------------------------------------------------------

    @Override
    public void keyModified(Client writer, Database db, byte[] key) {
        if (blockedCount.get() == 0) return;
        WatchRegistry.WatchedKey wk = new WatchRegistry.WatchedKey(db.id(), key);
        if (waiting.containsKey(wk)) ready.add(wk);
    }

    /** Every key of database {@code db} may have changed (SWAPDB): re-check all its waiters. */
    public void databaseChanged(int db) {
        if (blockedCount.get() == 0) return;
        for (WatchRegistry.WatchedKey wk : waiting.keySet()) if (wk.db() == db) ready.add(wk);
    }

    boolean hasReady() {
        return !ready.isEmpty();
    }

    /** Serves waiters of keys made ready by the last command. Called holding no stripe lock. */
    void serveReady() {
        WatchRegistry.WatchedKey wk;
        while ((wk = ready.poll()) != null) {
            serveKey(wk);
        }
    }

    private void serveKey(WatchRegistry.WatchedKey wk) {
        ArrayDeque<Waiter> first = waiting.get(wk);
        Waiter head;
        if (first == null) return;
        synchronized (first) {
            head = first.peekFirst();
        }
        if (head != null && head.independent) {
            // Stream waiters (Redis serves every client blocked on the key, in arrival order).
            List<Waiter> snapshot;
            synchronized (first) {
                snapshot = new ArrayList<>(first);
            }
            for (Waiter w : snapshot) serve(w, wk.key());
            return;
        }
        while (true) {
            ArrayDeque<Waiter> q = waiting.get(wk);
            if (q == null) return;
            Waiter w;
            synchronized (q) {
                w = q.peekFirst();
            }
            if (w == null) return;
            if (!serve(w, wk.key())) return;
        }
    }

    /**
     * Re-runs one waiter's command if {@code key} holds the type it waits for; false if it could not
     * be served (it would block again and keeps waiting).
     */
    private boolean serve(Waiter w, byte[] key) {
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(64);
        ReplyWriter r = new ReplyWriter(buf, w.client.protocol());
        CallContext ctx = server.dispatcher().newContext(w.client);
        boolean served;
        lock(w);
        try {
            if (w.done) {
                buf.release();
                return true; // already answered elsewhere; look at the next waiter
            }
            // As Redis 7.2: a key now holding another type does not wake the client.
            Object v = w.db.get(key);
            if ((v == null || !w.type.isInstance(v)) && w.unblockOnNoKey) {
                buf.release();
                unlock(w);
                try {
                    finishLocked(w, "UNBLOCKED the stream key no longer exists");
                } finally {
                    lock(w);
                }
                return true;
            }
            if (v == null || !w.type.isInstance(v)) {
                served = false;
            } else {
                ctx.begin(r);
                ctx.reprocessing = true;
                try {
                    served = !server.dispatcher().call(ctx, w.spec, w.argv);
                } finally {
                    ctx.reprocessing = false;
                }
            }
            if (served) {
                w.done = true;
                detach(w);
            }
        } finally {
            unlock(w);
        }
        if (!served) {
            buf.release();
            return false;
        }
        long seq = ctx.durableSeq;
        Runnable send = () -> {
            w.client.connection().writeFromAnyThread(buf);
            w.client.unblock();
        };
        if (seq > 0 && !server.propagator().isDurable(seq)) {
            server.propagator().whenDurable(seq, send);
        } else {
            send.run();
        }
        return true;
    }

    /** Keys with waiters, for debugging and INFO. */
    public List<String> waitingKeys() {
        List<String> out = new ArrayList<>();
        for (WatchRegistry.WatchedKey k : waiting.keySet()) out.add(k.db() + ":" + new String(k.key(), StandardCharsets.UTF_8));
        return out;
    }

    public void shutdown() {
        ScheduledExecutorService t = timer;
        if (t != null) t.shutdownNow();
    }
}
