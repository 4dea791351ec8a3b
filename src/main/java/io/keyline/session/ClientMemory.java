package io.keyline.session;

/**
 * A client's memory as Redis 7.2's {@code getClientMemoryUsage} counts it: output buffers, the
 * query buffer's allocation, a fixed struct and reply buffer, the arguments of a command parsed in
 * part, the MULTI queue and watched keys ({@code multiStateMemOverhead}), the pub/sub subscriptions
 * ({@code pubsubMemOverhead}: per-client dict entries, the names being shared) and the tracking
 * prefixes. CLIENT LIST's tot-mem and client eviction ({@code maxmemory-clients}) use it. Readable
 * from any thread: every part is a volatile or a racy-but-benign counter read.
 */
public final class ClientMemory {
    /** Redis's {@code zmalloc_size(client)} is about 1.8 KB; ours plus the reply buffer (rbs). */
    public static final long FIXED = 1024 + 1024;
    /** One queued MULTI command's record (Redis's multiCmd). */
    private static final long MULTI_CMD = 24;
    /** One watched key: list node plus watchedKey record. */
    private static final long WATCHED_KEY = 24 + 32;
    /** One subscription: a dict entry with its key pointer, in the client's dict. */
    private static final long SUBSCRIPTION = 24 + 8;
    /** One tracking prefix: a rax node and pointer. */
    private static final long TRACKING_PREFIX = 32 * 8;

    private ClientMemory() {
    }

    /** multi-mem: queued commands plus watched keys' overhead. */
    public static long multi(Client c) {
        int queued = c.multiQueueLength();
        return c.multiArgvBytes() + (queued > 0 ? queued * MULTI_CMD : 0) + (long) c.watchedCount() * WATCHED_KEY;
    }

    /** Everything but the output buffer, whose size the caller read already. */
    public static long total(Client c, long outputBytes) {
        Connection conn = c.connection();
        long mem = outputBytes + FIXED;
        mem += (long) conn.queryBufferLength() + conn.queryBufferFree();
        mem += conn.argvMemory() + 8L * conn.argc();
        mem += multi(c);
        mem += SUBSCRIPTION * ((long) c.subscribedChannels() + c.subscribedPatterns() + c.subscribedShardChannels());
        java.util.List<byte[]> prefixes = c.trackingPrefixes();
        if (prefixes != null) mem += TRACKING_PREFIX * prefixes.size();
        return mem;
    }

    /** The whole client. */
    public static long total(Client c) {
        return total(c, c.connection().outputBufferBytes());
    }
}
