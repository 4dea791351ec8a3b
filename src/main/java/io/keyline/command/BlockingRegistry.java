package io.keyline.command;

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
 * Clients blocked on keys (BLPOP, BLMOVE, BZPOPMIN...), like Redis's {@code blocking.c}.
 *
 * <p>A handler that finds nothing to pop calls {@link #block} (its keys' stripes are held). Writes
 * report touched keys through {@link #keyModified}; only keys someone waits on are queued as ready,
 * so this costs one volatile read per write while nobody is blocked. After the writing command (or
 * the whole EXEC) has released its locks, the dispatcher calls {@link #serveReady()}, which for each
 * ready key takes the stripes the first waiter's request needs and lets it try; waiters are served
 * in the order they blocked. Serving, timeouts, CLIENT UNBLOCK and disconnects all claim a waiter
 * under the same stripe locks, so a client is answered exactly once.
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
        final byte[][] keys;
        final BlockedRequest request;
        final int[] stripes;
        boolean done; // guarded by the waiter's stripes
        ScheduledFuture<?> timeout;

        Waiter(Client client, Database db, byte[][] keys, BlockedRequest request, int[] stripes) {
            this.client = client;
            this.db = db;
            this.keys = keys;
            this.request = request;
            this.stripes = stripes;
        }
    }

    BlockingRegistry(ServerContext server) {
        this.server = server;
        this.keyspace = server.keyspace();
        server.onClientClosed(this::forget);
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
     * Blocks {@code c} on {@code keys} of its current database. Called from a handler, with the
     * keys' stripes held; the handler writes no reply.
     */
    public void block(Client c, byte[][] keys, long timeoutMillis, BlockedRequest request) {
        Database db = c.db();
        Waiter w = new Waiter(c, db, keys, request, stripesOf(request.lockKeys()));
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

    private int[] stripesOf(byte[][] keys) {
        int[] s = new int[keys.length];
        for (int i = 0; i < keys.length; i++) s[i] = keyspace.stripeOf(keys[i]);
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

    /** Ends a wait without serving: timeout reply (error == null) or an error reply. */
    private boolean finish(Waiter w, String error) {
        lock(w);
        try {
            if (w.done) return false;
            w.done = true;
            detach(w);
        } finally {
            unlock(w);
        }
        server.stats().commandsProcessed.increment(); // as Redis's updateStatsOnUnblock
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(32);
        ReplyWriter r = new ReplyWriter(buf, w.client.protocol());
        if (error == null) w.request.timeoutReply(r);
        else r.error(error);
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
            if (w.done) return;
            w.done = true;
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

    /** Tries one waiter; false if it could not be served (the key has nothing for it). */
    private boolean serve(Waiter w, byte[] key) {
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(64);
        ReplyWriter r = new ReplyWriter(buf, w.client.protocol());
        ServeContext ctx = new ServeContext(server, w.client, w.db, r);
        boolean served;
        lock(w);
        try {
            if (w.done) {
                buf.release();
                return true; // already answered elsewhere; look at the next waiter
            }
            try {
                served = w.request.tryServe(ctx, key);
            } catch (RedisException e) {
                buf.clear();
                r.error(e.getMessage());
                served = true;
            }
            if (served) {
                w.done = true;
                detach(w);
                server.stats().commandsProcessed.increment(); // as Redis's updateStatsOnUnblock
            }
        } finally {
            unlock(w);
        }
        if (!served) {
            buf.release();
            return false;
        }
        Runnable send = () -> {
            w.client.connection().writeFromAnyThread(buf);
            w.client.unblock();
        };
        if (ctx.durableSeq > 0 && !server.propagator().isDurable(ctx.durableSeq)) {
            server.propagator().whenDurable(ctx.durableSeq, send);
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
