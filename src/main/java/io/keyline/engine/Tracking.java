package io.keyline.engine;

import io.keyline.session.Client;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Client-side caching, as Redis's {@code tracking.c}: the tracking table (key → ids of the clients
 * that may cache it, filled after their read-only commands), the prefix table of BCAST clients (keys
 * modified under each prefix, sent in one message per batch), and the invalidation messages: RESP3
 * {@code invalidate} pushes, or {@code __redis__:invalidate} pub/sub messages to a RESP2 redirect
 * connection. Keys are global (not per database), as in Redis.
 *
 * <p>{@link #invalidateKey} runs for every modified key: one volatile read when nobody tracks. The
 * tables change under this object's lock (event loops may run commands concurrently).
 */
public final class Tracking {
    private static final byte[] INVALIDATE = "invalidate".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHANNEL = "__redis__:invalidate".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE = "message".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REDIR_BROKEN = "tracking-redir-broken".getBytes(StandardCharsets.US_ASCII);

    /** A key as a map key. */
    private record Key(byte[] bytes) implements Comparable<Key> {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public int compareTo(Key o) {
            return Arrays.compareUnsigned(bytes, o.bytes);
        }
    }

    /** One BCAST prefix: its clients, and the keys modified since the last batch end (→ the client that last modified each). */
    private static final class Bcast {
        final Set<Client> clients = new LinkedHashSet<>();
        TreeMap<Key, Client> keys = new TreeMap<>();
    }

    private final ServerContext server;
    /** Redis's {@code server.tracking_clients}: the fast path reads it without locking. */
    private volatile int trackingClients;
    private final HashMap<Key, LinkedHashSet<Long>> table = new HashMap<>();
    private long totalItems;
    private final TreeMap<Key, Bcast> prefixes = new TreeMap<>();
    private volatile boolean bcastPending;
    private volatile long maxKeys = 1_000_000;
    private int limitTimeouts;
    private final Callbacks callbacks = new Callbacks();

    Tracking(ServerContext server) {
        this.server = server;
        server.config().onChange(callbacks, "tracking-table-max-keys");
    }

    /**
     * The broadcast run at a batch's end and the tracking-table-max-keys listener: a class rather than a method
     * reference and a lambda, see {@link io.keyline.config.Config#onChange(java.util.function.BiConsumer, String...)}.
     */
    private final class Callbacks implements Runnable, java.util.function.BiConsumer<String, String> {
        @Override
        public void run() {
            broadcastInvalidations();
        }

        @Override
        public void accept(String name, String v) {
            maxKeys = Long.parseLong(v.trim());
        }
    }

    // ---- CLIENT TRACKING ------------------------------------------------------------------------

    /**
     * CLIENT TRACKING ON: Redis's {@code enableTracking}. The caller checked the options (and the
     * prefix collisions with {@link #prefixCollision}).
     */
    public synchronized void enable(Client c, long redirect, int options, List<byte[]> newPrefixes) {
        int flags = c.trackingFlags();
        if ((flags & Client.TRACKING) == 0) trackingClients++;
        flags |= Client.TRACKING;
        flags &= ~(Client.TRACKING_BROKEN_REDIR | Client.TRACKING_BCAST | Client.TRACKING_OPTIN
                | Client.TRACKING_OPTOUT | Client.TRACKING_NOLOOP);
        c.trackingRedirect(redirect);
        if ((options & Client.TRACKING_BCAST) != 0) {
            flags |= Client.TRACKING_BCAST;
            TreeMap<Key, Boolean> mine = new TreeMap<>();
            for (byte[] p : c.trackingPrefixes()) mine.put(new Key(p), Boolean.TRUE);
            List<byte[]> add = newPrefixes.isEmpty() ? List.of(new byte[0]) : newPrefixes;
            for (byte[] p : add) {
                Key k = new Key(p.clone());
                prefixes.computeIfAbsent(k, x -> new Bcast()).clients.add(c);
                mine.put(k, Boolean.TRUE);
            }
            List<byte[]> list = new ArrayList<>(mine.size());
            for (Key k : mine.keySet()) list.add(k.bytes);
            c.trackingPrefixes(List.copyOf(list));
        }
        flags |= options & (Client.TRACKING_OPTIN | Client.TRACKING_OPTOUT | Client.TRACKING_NOLOOP);
        c.trackingFlags(flags);
    }

    /** CLIENT TRACKING OFF, RESET and a disconnect: Redis's {@code disableTracking}. */
    public synchronized void disable(Client c) {
        int flags = c.trackingFlags();
        if ((flags & Client.TRACKING_BCAST) != 0) {
            for (byte[] p : c.trackingPrefixes()) {
                Key k = new Key(p);
                Bcast b = prefixes.get(k);
                if (b == null) continue;
                b.clients.remove(c);
                if (b.clients.isEmpty()) prefixes.remove(k);
            }
        }
        c.trackingPrefixes(List.of());
        if ((flags & Client.TRACKING) != 0) {
            trackingClients--;
            c.trackingFlags(0);
        }
    }

    /**
     * Redis's {@code checkPrefixCollisionsOrReply}: the error for the first prefix that overlaps one
     * the client has or another of the new ones; null when none does.
     */
    public static String prefixCollision(Client c, List<byte[]> newPrefixes) {
        for (int i = 0; i < newPrefixes.size(); i++) {
            byte[] p = newPrefixes.get(i);
            for (byte[] existing : c.trackingPrefixes()) {
                if (overlap(existing, p)) {
                    return "ERR Prefix '" + str(p) + "' overlaps with an existing prefix '" + str(existing)
                            + "'. Prefixes for a single client must not overlap.";
                }
            }
            for (int j = i + 1; j < newPrefixes.size(); j++) {
                byte[] q = newPrefixes.get(j);
                if (overlap(p, q)) {
                    return "ERR Prefix '" + str(p) + "' overlaps with another provided prefix '" + str(q)
                            + "'. Prefixes for a single client must not overlap.";
                }
            }
        }
        return null;
    }

    private static boolean overlap(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        return Arrays.equals(a, 0, n, b, 0, n);
    }

    private static String str(byte[] b) {
        // %s of a C string: up to the first NUL
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    // ---- remembering and invalidating -----------------------------------------------------------

    /** Whether any client tracks (Redis's {@code server.tracking_clients}). */
    public int trackingClients() {
        return trackingClients;
    }

    /**
     * After a read-only command of {@code c} (Redis's {@code trackingRememberKeys}): remembers its
     * keys for the client unless OPTIN without CACHING yes, or OPTOUT with CACHING no.
     */
    void rememberKeys(Client c, CommandSpec spec, byte[][] argv) {
        int flags = c.trackingFlags();
        if ((flags & Client.TRACKING) == 0 || (flags & Client.TRACKING_BCAST) != 0) return;
        if (spec.hasFlag(CommandSpec.Flag.PUBSUB)) return;
        boolean optin = (flags & Client.TRACKING_OPTIN) != 0;
        boolean optout = (flags & Client.TRACKING_OPTOUT) != 0;
        boolean caching = (flags & Client.TRACKING_CACHING) != 0;
        if ((optin && !caching) || (optout && caching)) return;
        int[] keys = spec.keyIndexes(argv);
        if (keys.length == 0) return;
        Long id = c.id();
        synchronized (this) {
            for (int k : keys) {
                LinkedHashSet<Long> ids = table.computeIfAbsent(new Key(argv[k]), x -> new LinkedHashSet<>(2));
                if (ids.add(id)) totalItems++;
            }
            if (maxKeys > 0 && table.size() > maxKeys) limitUsedSlots();
        }
    }

    /**
     * A key changed (Redis's {@code trackingInvalidateKey}, from {@code signalModifiedKey}):
     * {@code writer} is the client whose command changed it (null for expiry and eviction).
     */
    public void invalidateKey(Client writer, byte[] key) {
        if (trackingClients == 0) return;
        invalidateKey(writer, key, true, false);
    }

    /**
     * As {@link #invalidateKey(Client, byte[])} from the writer's own running command
     * ({@code deferOwn}: on its own thread, answered through {@link Dispatcher#execute}, which sends
     * what is queued for it after the reply).
     */
    void invalidateKey(Client writer, byte[] key, boolean deferOwn) {
        if (trackingClients == 0) return;
        invalidateKey(writer, key, true, deferOwn);
    }

    private synchronized void invalidateKey(Client writer, byte[] key, boolean bcast, boolean deferOwn) {
        Key k = new Key(key);
        if (bcast && !prefixes.isEmpty()) rememberKeyToBroadcast(writer, k);
        LinkedHashSet<Long> ids = table.remove(k);
        if (ids == null) return;
        totalItems -= ids.size();
        for (Long id : ids) {
            Client target = server.clients().get(id);
            if (target == null) continue;
            int flags = target.trackingFlags();
            if ((flags & Client.TRACKING) == 0 || (flags & Client.TRACKING_BCAST) != 0) continue;
            if ((flags & Client.TRACKING_NOLOOP) != 0 && target == writer) continue;
            if (target == writer && deferOwn) {
                target.addTrackingPending(key); // after the command's reply, as Redis's tracking_pending_keys
            } else {
                send(target, key, null, writer);
            }
        }
    }

    private void rememberKeyToBroadcast(Client writer, Key k) {
        for (Map.Entry<Key, Bcast> e : prefixes.entrySet()) {
            byte[] p = e.getKey().bytes;
            if (p.length > k.bytes.length) continue;
            if (p.length != 0 && !Arrays.equals(p, 0, p.length, k.bytes, 0, p.length)) continue;
            e.getValue().keys.put(k, writer == null ? NO_CLIENT : writer);
        }
        if (!bcastPending) {
            bcastPending = true;
            if (!BatchEnd.runAfterBatch(callbacks)) {
                // not on an event loop (cron, embedded caller): send at once
                bcastPending = false;
                broadcastLocked();
            }
        }
    }

    /** A placeholder for "modified by no client" (expiry): TreeMap values must not be null. */
    private static final Client NO_CLIENT = null;

    /** FLUSHALL / FLUSHDB: the null invalidation to every tracking client, and the table is emptied. */
    public void invalidateOnFlush(Client writer) {
        if (trackingClients == 0 && table.isEmpty()) return;
        synchronized (this) {
            for (Client c : server.clients().all()) {
                if ((c.trackingFlags() & Client.TRACKING) == 0) continue;
                if (c == writer) c.addTrackingPending(null);
                else send(c, null, null, writer);
            }
            table.clear();
            totalItems = 0;
        }
    }

    /** Sends what {@link #invalidateKey} queued for the client whose command just answered. */
    public void sendPending(Client c) {
        List<byte[]> keys = c.takeTrackingPending();
        if (keys == null) return;
        synchronized (this) {
            for (byte[] k : keys) send(c, k, null, null);
        }
    }

    /** Redis's {@code trackingLimitUsedSlots}: drops random keys over the limit, invalidating them. */
    private synchronized void limitUsedSlots() {
        long max = maxKeys;
        if (max == 0 || table.size() <= max) {
            limitTimeouts = 0;
            return;
        }
        int effort = 100 * (limitTimeouts + 1);
        Iterator<Key> it = new ArrayList<>(table.keySet()).iterator(); // HashMap order: pseudo-random
        while (effort-- > 0 && it.hasNext()) {
            invalidateKey(null, it.next().bytes, false, false);
            if (table.size() <= max) {
                limitTimeouts = 0;
                return;
            }
        }
        limitTimeouts++;
    }

    /** The batch-end work: Redis's {@code trackingBroadcastInvalidationMessages} in beforeSleep. */
    private void broadcastInvalidations() {
        synchronized (this) {
            bcastPending = false;
            broadcastLocked();
        }
    }

    private void broadcastLocked() {
        for (Bcast b : prefixes.values()) {
            if (b.keys.isEmpty()) continue;
            ByteBuf all = keysArray(b.keys, null, false);
            for (Client c : b.clients) {
                if ((c.trackingFlags() & Client.TRACKING_NOLOOP) != 0) {
                    ByteBuf adhoc = keysArray(b.keys, c, true);
                    if (adhoc != null) {
                        send(c, null, adhoc, null);
                        adhoc.release();
                    }
                } else {
                    send(c, null, all, null);
                }
            }
            all.release();
            b.keys = new TreeMap<>();
        }
    }

    /** An array of the keys, without those {@code c} modified last when {@code exclude}; null if empty. */
    private static ByteBuf keysArray(TreeMap<Key, Client> keys, Client c, boolean exclude) {
        int n = 0;
        for (Client w : keys.values()) if (!exclude || w != c) n++;
        if (n == 0) return null;
        ByteBuf b = ByteBufAllocator.DEFAULT.heapBuffer(16 + keys.size() * 16);
        header(b, '*', n);
        for (Map.Entry<Key, Client> e : keys.entrySet()) {
            if (exclude && e.getValue() == c) continue;
            bulk(b, e.getKey().bytes);
        }
        return b;
    }

    /**
     * Redis's {@code sendTrackingMessage}: to {@code c}, or to its redirect client. {@code keys} is
     * a ready array of keys (BCAST) or null; then {@code key} (one key) or, when both are null, the
     * null of a flush. {@code writer}, the client whose command caused it (null if none or several),
     * gets its reply only after this push has been flushed ({@link io.keyline.session.Connection#writeAheadOf}).
     */
    private void send(Client c, byte[] key, ByteBuf keys, Client writer) {
        Client to = c;
        boolean redirected = false;
        long redir = c.trackingRedirect();
        if (redir != 0) {
            Client r = server.clients().get(redir);
            if (r == null) {
                c.trackingFlags(c.trackingFlags() | Client.TRACKING_BROKEN_REDIR);
                if (c.protocol() > 2) {
                    ByteBuf b = ByteBufAllocator.DEFAULT.buffer(48);
                    header(b, '>', 2);
                    bulk(b, REDIR_BROKEN);
                    b.writeByte(':').writeCharSequence(Long.toString(redir), StandardCharsets.US_ASCII);
                    crlf(b);
                    c.connection().writeFromAnyThread(b);
                }
                return;
            }
            to = r;
            redirected = true;
        }
        int size = 64 + (key == null ? 0 : key.length) + (keys == null ? 0 : keys.readableBytes());
        ByteBuf b = ByteBufAllocator.DEFAULT.buffer(size);
        if (to.protocol() > 2) {
            header(b, '>', 2);
            bulk(b, INVALIDATE);
        } else if (redirected && to.pubsub()) {
            header(b, '*', 3);
            bulk(b, MESSAGE);
            bulk(b, CHANNEL);
        } else {
            b.release();
            return; // RESP2 without a redirect: nowhere to send
        }
        if (keys != null) {
            b.writeBytes(keys, keys.readerIndex(), keys.readableBytes());
        } else if (key != null) {
            header(b, '*', 1);
            bulk(b, key);
        } else if (to.protocol() > 2) {
            b.writeByte('_');
            crlf(b);
        } else {
            b.writeByte('$').writeByte('-').writeByte('1'); // Redis's shared.null[2]
            crlf(b);
        }
        if (writer == null || writer == to) to.connection().writeFromAnyThread(b);
        else to.connection().writeAheadOf(b, writer.connection());
    }

    private static void header(ByteBuf b, char type, int n) {
        b.writeByte(type);
        b.writeCharSequence(Integer.toString(n), StandardCharsets.US_ASCII);
        crlf(b);
    }

    private static void bulk(ByteBuf b, byte[] v) {
        header(b, '$', v.length);
        b.writeBytes(v);
        crlf(b);
    }

    private static void crlf(ByteBuf b) {
        b.writeByte('\r').writeByte('\n');
    }

    // ---- INFO -------------------------------------------------------------------------------------

    public synchronized long totalKeys() {
        return table.size();
    }

    public synchronized long totalItems() {
        return totalItems;
    }

    public synchronized long totalPrefixes() {
        return prefixes.size();
    }
}
