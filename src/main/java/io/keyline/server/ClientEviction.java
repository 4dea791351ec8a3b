package io.keyline.server;

import io.keyline.engine.ServerContext;
import io.keyline.session.Client;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code maxmemory-clients}, as Redis 7.2's {@code evictClients}: when the memory of all normal and
 * pub/sub clients reaches the limit, the biggest evictable clients are closed first until it is below.
 * Redis keeps evictable clients in power-of-two buckets and evicts from the top bucket down; sorting
 * by size gives the same order (ties within a bucket are in no defined order there either).
 *
 * <p>Each connection reports its own memory ({@link ClientConnection#accountMemory}) after every
 * command and whenever its query buffer grows, and the cron refreshes every client each tick (a
 * subscriber's output grows from other loops), as Redis's clientsCron. Nothing is counted while the
 * limit is 0, so the feature costs nothing when off.
 */
final class ClientEviction {
    private static final Logger log = LoggerFactory.getLogger(ClientEviction.class);
    /** Redis refuses to go below 128 KB so a bad setting cannot lock everyone out. */
    static final long MIN_LIMIT = 128 * 1024;

    private final ServerContext server;
    /** Configured value: bytes, or the negated percentage of maxmemory (as Redis stores it); 0 is off. */
    private volatile long configured;
    private volatile long maxmemory;
    /** Sum of the memory the connections last reported. */
    final AtomicLong total = new AtomicLong();

    ClientEviction(ServerContext server) {
        this.server = server;
    }

    void configure(String value) {
        configured = value.endsWith("%") ? -Long.parseLong(value.substring(0, value.length() - 1)) : Long.parseLong(value);
        if (configured != 0) refreshAll(); // counting starts now: take every client's current size
    }

    void maxmemory(long bytes) {
        maxmemory = bytes;
    }

    boolean enabled() {
        return configured != 0;
    }

    /** Redis's getClientEvictionLimit: 0 when off. */
    long limit() {
        long c = configured;
        long actual;
        if (c < 0 && maxmemory > 0) actual = (long) ((double) maxmemory * -(double) c / 100);
        else if (c > 0) actual = c;
        else return 0;
        return Math.max(actual, MIN_LIMIT);
    }

    /** The cron's pass: every client's size refreshed, then eviction if over. */
    void cron() {
        if (!enabled()) return;
        refreshAll();
        evictIfNeeded();
    }

    private void refreshAll() {
        for (Client c : server.clients().all()) {
            if (c.connection() instanceof ClientConnection cc) cc.accountMemory();
        }
    }

    /** Closes the biggest evictable clients while the total is at or above the limit. */
    synchronized void evictIfNeeded() {
        long limit = limit();
        if (limit == 0 || total.get() < limit) return;
        List<ClientConnection> candidates = new ArrayList<>();
        for (Client c : server.clients().all()) {
            if (c.connection() instanceof ClientConnection cc && cc.evictable()) candidates.add(cc);
        }
        candidates.sort((a, b) -> Long.compare(b.accountedMemory(), a.accountedMemory()));
        for (ClientConnection cc : candidates) {
            if (total.get() < limit) return;
            log.info("Evicting client: id={} addr={} name={} tot-mem={}", cc.client().id(), cc.remoteAddress(), cc.client().name(), cc.accountedMemory());
            if (cc.evict()) server.stats().evictedClients.increment();
        }
        if (total.get() >= limit) log.warn("Over client maxmemory after evicting all evictable clients");
    }
}
