package io.keyline.config;

/**
 * Every parameter Keyline knows: the ones it acts on first, then the rest of Redis 7's names,
 * accepted for compatibility ({@code noEffect()}).
 */
final class Parameters {
    private static final long INT_MAX = Integer.MAX_VALUE;
    private static final long LONG_MAX = Long.MAX_VALUE;

    private Parameters() {
    }

    static void registerAll(Config c) {
        registerEffective(c);
        CompatibilityParameters.register(c);
    }

    private static void registerEffective(Config c) {
        // Network
        c.integer("port", 8080, 0, 65535).add();
        c.special("bind", "127.0.0.1").add();
        c.bool("protected-mode", true).add();
        c.integer("maxclients", 10000, 1, 4294967295L).add();
        c.integer("timeout", 0, 0, INT_MAX).add();
        c.integer("tcp-keepalive", 300, 0, INT_MAX).add();
        c.integer("tcp-backlog", 511, 0, INT_MAX).immutable().add();
        // Event-loop threads; Redis's default of 1 (see KeylineServer for the measurements).
        c.integer("io-threads", 1, 1, 128).immutable().add();

        // Keyspace and limits
        c.integer("capacity", 10000, 0, LONG_MAX).add();
        c.integer("databases", 16, 1, INT_MAX).immutable().add();
        c.memory("maxmemory", 0).add();
        c.enumeration("maxmemory-policy", "noeviction", "volatile-lru", "volatile-lfu", "volatile-random",
                "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction").add();
        c.integer("maxmemory-samples", 5, 1, INT_MAX).add();
        c.integer("lfu-log-factor", 10, 0, INT_MAX).add();
        c.integer("lfu-decay-time", 1, 0, INT_MAX).add();
        c.integer("hz", 10, 0, INT_MAX).normalize(Validators.Check.HZ).add();
        c.bool("active-expire-enabled", true).add(); // Keyline name; DEBUG SET-ACTIVE-EXPIRE sets it too
        // Keyline's own: the standalone server collects once writes have paused for 2 s, so RSS follows the data (server.HeapGovernor).
        c.bool("heap-governor", true).add();

        // Protocol
        c.memory("proto-max-bulk-len", 512L * 1024 * 1024).range(1024 * 1024, LONG_MAX).add();
        c.memory("client-query-buffer-limit", 1024L * 1024 * 1024).range(1024 * 1024, LONG_MAX).add();

        // Security and operations
        c.string("requirepass", "").sensitive().add();
        c.enumeration("enable-debug-command", "no", "no", "yes", "local").immutable().add();
        c.enumeration("enable-protected-configs", "no", "no", "yes", "local").immutable().add();
        c.enumeration("loglevel", "notice", "debug", "verbose", "notice", "warning", "nothing").add();
        c.string("logfile", "").immutable().add();
        c.string("dir", ".").protectedConfig().add();
        c.string("pidfile", "").immutable().add();
        c.bool("daemonize", false).immutable().noEffect().add();

        // Monitoring: the slow log, the latency monitor and per-command latency histograms
        c.integer("slowlog-log-slower-than", 10000, -1, LONG_MAX).add(); // microseconds; negative disables
        c.integer("slowlog-max-len", 128, 0, LONG_MAX).add();
        c.integer("latency-monitor-threshold", 0, 0, LONG_MAX).add(); // milliseconds; 0 disables
        c.bool("latency-tracking", true).add();
        c.special("latency-tracking-info-percentiles", "50 99 99.9").normalize(Validators.Check.PERCENTILES).add();

        // Persistence
        c.bool("appendonly", true).add();
        c.enumeration("appendfsync", "everysec", "everysec", "always", "no").add();
        c.string("appendfilename", "appendonly.aof").immutable().add();
        c.string("appenddirname", "appendonlydir").immutable().add();
        c.bool("aof-load-truncated", true).add();
        c.bool("aof-use-rdb-preamble", true).add();
        c.bool("aof-timestamp-enabled", false).noEffect().add();
        c.integer("auto-aof-rewrite-percentage", 100, 0, INT_MAX).add();
        c.memory("auto-aof-rewrite-min-size", 64L * 1024 * 1024).add();
        c.bool("no-appendfsync-on-rewrite", false).add();
        c.bool("aof-rewrite-incremental-fsync", true).add();
        c.special("save", "").normalize(Validators.Check.SAVE).add();
        c.string("dbfilename", "dump.rdb").protectedConfig().add();
        // Keyline's own: the RDB version DUMP, SAVE and the AOF preamble write; 10 leaves out 7.2-only encodings so Redis 7.0 reads it.
        c.integer("rdb-version", 11, 10, 11).add();

        // Data-type encodings
        c.integer("list-max-listpack-size", -2, Integer.MIN_VALUE, INT_MAX).alias("list-max-ziplist-size").add();
        c.integer("list-compress-depth", 0, 0, INT_MAX).noEffect().add();
        c.integer("hash-max-listpack-entries", 512, 0, LONG_MAX).alias("hash-max-ziplist-entries").add();
        c.memory("hash-max-listpack-value", 64).alias("hash-max-ziplist-value").add();
        c.integer("set-max-intset-entries", 512, 0, LONG_MAX).add();
        c.integer("set-max-listpack-entries", 128, 0, LONG_MAX).add();
        c.memory("set-max-listpack-value", 64).add();
        c.integer("zset-max-listpack-entries", 128, 0, LONG_MAX).alias("zset-max-ziplist-entries").add();
        c.memory("zset-max-listpack-value", 64).alias("zset-max-ziplist-value").add();
    }
}
