package io.keyline.commands;

import io.keyline.engine.ServerContext;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * MIGRATE's connections to target servers, one per {@code host:port}, as Redis's
 * {@code migrate_cached_sockets}: at most 64 (a random one is closed to make room), closed after 10 seconds
 * unused (Redis's serverCron check), each remembering the database it last selected so the next MIGRATE to
 * the same database sends no SELECT.
 *
 * <p>Redis runs one MIGRATE at a time; here several clients may migrate at once, so a connection is taken
 * out of the cache while a MIGRATE uses it ({@link #take}) and put back afterwards ({@link #release}); a
 * second MIGRATE to the same target meanwhile opens a connection of its own, and only one of the two stays
 * cached.
 */
final class MigrateSockets implements AutoCloseable {
    static final int MAX_ITEMS = 64;
    static final long TTL_MILLIS = 10_000;

    /** One timer for every server's cache; its thread ends while nothing is cached. */
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final Map<String, Target> cached = new HashMap<>();
    private boolean checkScheduled;
    private boolean closed;

    static MigrateSockets of(ServerContext server) {
        synchronized (MigrateSockets.class) {
            MigrateSockets s = server.service(MigrateSockets.class);
            if (s == null) {
                s = new MigrateSockets();
                server.service(MigrateSockets.class, s);
            }
            return s;
        }
    }

    /** A cached connection to {@code host:port}, or a new one; null if connecting failed within the timeout. */
    Target take(String host, int port, long timeoutMillis) {
        String name = host + ":" + port;
        synchronized (this) {
            Target t = cached.remove(name);
            if (t != null) return t;
        }
        Socket s = new Socket();
        try {
            if (port == 0) throw new java.net.ConnectException("Connection refused"); // as connect(2) to port 0
            s.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, timeoutMillis));
            s.setTcpNoDelay(true);
            return new Target(name, s);
        } catch (java.net.ConnectException refused) {
            // As Redis's blocking connect, which only waits for the socket to become writable: a refused
            // connection counts as made, and the first write fails ("error or timeout writing").
            closeQuietly(s);
            try {
                return new Target(name, null);
            } catch (IOException impossible) {
                return null;
            }
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            closeQuietly(s);
            return null;
        }
    }

    /** Puts a connection that is still good back in the cache (closes it instead if one is cached already). */
    void release(Target t) {
        Target dropped = null;
        synchronized (this) {
            t.lastUse = System.currentTimeMillis();
            if (closed || cached.containsKey(t.name)) { // closed: a MIGRATE that ended after the server stopped
                dropped = t;
            } else {
                if (cached.size() >= MAX_ITEMS) {
                    // As migrateGetSocket: too many items, drop one at random.
                    List<String> names = new ArrayList<>(cached.keySet());
                    dropped = cached.remove(names.get(ThreadLocalRandom.current().nextInt(names.size())));
                }
                cached.put(t.name, t);
                if (!checkScheduled) {
                    checkScheduled = true;
                    TIMER.schedule(this::closeIdle, 1, TimeUnit.SECONDS);
                }
            }
        }
        if (dropped != null) dropped.close();
    }

    /** The server stopped: closes every cached connection now rather than when its idle time is up. */
    @Override
    public void close() {
        List<Target> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(cached.values());
            cached.clear();
        }
        for (Target t : all) t.close();
    }

    /** Number of cached connections (tests). */
    synchronized int size() {
        return cached.size();
    }

    /** Once a second while anything is cached, as Redis's migrateCloseTimedoutSockets in serverCron. */
    private void closeIdle() {
        List<Target> idle = new ArrayList<>();
        synchronized (this) {
            long now = System.currentTimeMillis();
            cached.values().removeIf(t -> {
                if (now - t.lastUse <= TTL_MILLIS) return false;
                idle.add(t);
                return true;
            });
            checkScheduled = !cached.isEmpty();
            if (checkScheduled) TIMER.schedule(this::closeIdle, 1, TimeUnit.SECONDS);
        }
        for (Target t : idle) t.close();
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "keyline-migrate-sockets");
            th.setDaemon(true);
            return th;
        });
        t.setKeepAliveTime(15, TimeUnit.SECONDS);
        t.allowCoreThreadTimeOut(true);
        return t;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do: the connection is gone either way
        }
    }

    /** One connection to a target, used by one MIGRATE at a time. */
    static final class Target {
        final String name;
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        /** The database last selected on the target; -1 forces a SELECT (Redis's last_dbid). */
        long lastDbid = -1;
        long lastUse;

        Target(String name, Socket socket) throws IOException {
            this.name = name;
            this.socket = socket;
            this.in = socket == null ? null : new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            this.out = socket == null ? null : socket.getOutputStream();
        }

        /** Writes {@code buf} in 64 KB chunks, each within {@code timeoutMillis} (Redis's syncWrite). */
        void write(byte[] buf, int len, long timeoutMillis) throws IOException {
            if (socket == null) throw new java.net.ConnectException("Connection refused");
            for (int pos = 0; pos < len; pos += 64 * 1024) {
                // A blocking socket write has no timeout in Java: a guard closes the socket if the chunk is not
                // taken in time (a target that stopped reading), which fails the write.
                java.util.concurrent.atomic.AtomicBoolean expired = new java.util.concurrent.atomic.AtomicBoolean();
                java.util.concurrent.ScheduledFuture<?> guard = TIMER.schedule(() -> {
                    expired.set(true);
                    close();
                }, timeoutMillis, TimeUnit.MILLISECONDS);
                try {
                    out.write(buf, pos, Math.min(64 * 1024, len - pos));
                    if (pos + 64 * 1024 >= len) out.flush();
                } catch (IOException e) {
                    if (expired.get()) throw new SocketTimeoutException("Write timed out");
                    throw e;
                } finally {
                    guard.cancel(false);
                }
            }
        }

        /**
         * One reply line without its CRLF, read within {@code timeoutMillis} (Redis's syncReadLine, which MIGRATE
         * uses for every reply: the target answers RESTORE, SELECT and AUTH with a status or an error line).
         */
        String readLine(long timeoutMillis) throws IOException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            ByteArrayOutputStream line = new ByteArrayOutputStream(64);
            while (true) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) throw new SocketTimeoutException("Read timed out");
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
                int b = in.read();
                if (b < 0) throw new IOException("Connection closed by the target");
                if (b == '\n') break;
                line.write(b);
            }
            byte[] bytes = line.toByteArray();
            int n = bytes.length;
            if (n > 0 && bytes[n - 1] == '\r') n--;
            if (n == 0) throw new IOException("Empty reply line"); // syncReadLine's 0 counts as an error
            return new String(bytes, 0, n, StandardCharsets.UTF_8);
        }

        void close() {
            if (socket != null) closeQuietly(socket);
        }
    }
}
