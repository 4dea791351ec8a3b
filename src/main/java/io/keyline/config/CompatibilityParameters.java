package io.keyline.config;

/**
 * Every other Redis 7 parameter (7.0's {@code standardConfig} table plus 7.2's additions), with
 * Redis's default, type, limits, mutability and aliases. Keyline accepts them, validates them as
 * Redis would, shows them in CONFIG GET and rewrites them, but does not act on them (all
 * {@code noEffect()}): existing redis.conf files and scripts keep working.
 */
final class CompatibilityParameters {
    private static final long INT_MAX = Integer.MAX_VALUE;
    private static final long UINT_MAX = 4294967295L;
    private static final long LONG_MAX = Long.MAX_VALUE;

    private CompatibilityParameters() {
    }

    static void register(Config c) {
        registerGeneral(c);
        registerReplicationAndCluster(c);
        registerTls(c);
        registerHidden(c);
    }

    private static void registerGeneral(Config c) {
        c.bool("rdbchecksum", true).immutable().add(); // CRC64 of RDB files written, checked on load (persistence)
        c.bool("io-threads-do-reads", false).immutable().noEffect().add();
        c.bool("always-show-logo", false).immutable().noEffect().add();
        c.bool("rdbcompression", true).add(); // LZF in DUMP payloads and RDB files (persistence.rdb)
        c.bool("rdb-del-sync-files", false).noEffect().add();
        c.bool("activerehashing", true).add(); // the cron finishes resizes commands left half done (store.Keyspace)
        c.bool("stop-writes-on-bgsave-error", true).add();
        c.bool("set-proc-title", true).immutable().noEffect().add();
        c.bool("dynamic-hz", true).noEffect().add();
        c.bool("lazyfree-lazy-eviction", false).noEffect().add();
        c.bool("lazyfree-lazy-expire", false).noEffect().add();
        c.bool("lazyfree-lazy-server-del", false).noEffect().add();
        c.bool("lazyfree-lazy-user-del", false).noEffect().add();
        c.bool("lazyfree-lazy-user-flush", false).noEffect().add();
        c.bool("rdb-save-incremental-fsync", true).noEffect().add();
        c.bool("jemalloc-bg-thread", true).noEffect().add();
        c.bool("activedefrag", false).noEffect().add();
        c.bool("syslog-enabled", false).immutable().noEffect().add();
        c.bool("crash-log-enabled", true).noEffect().add();
        c.bool("crash-memcheck-enabled", true).noEffect().add();
        c.bool("disable-thp", true).immutable().noEffect().add();
        c.bool("aof-disable-auto-gc", false).noEffect().add();

        c.string("aclfile", "").immutable().add(); // engine.Acl: loaded at start, ACL LOAD / SAVE
        c.string("unixsocket", "").immutable().noEffect().add();
        c.string("syslog-ident", "redis").immutable().noEffect().add();
        c.string("server_cpulist", "").immutable().noEffect().add();
        c.string("bio_cpulist", "").immutable().noEffect().add();
        c.string("aof_rewrite_cpulist", "").immutable().noEffect().add();
        c.string("bgsave_cpulist", "").immutable().noEffect().add();
        c.string("ignore-warnings", "").noEffect().add();
        c.string("proc-title-template", "{title} {listen-addr} {server-mode}").noEffect().add();
        c.string("bind-source-addr", "").noEffect().add();
        c.string("locale-collate", "").noEffect().add(); // 7.2

        c.enumeration("supervised", "no", "upstart", "systemd", "auto", "no").immutable().noEffect().add();
        c.enumeration("syslog-facility", "local0", "user", "local0", "local1", "local2", "local3", "local4",
                "local5", "local6", "local7").immutable().noEffect().add();
        c.enumeration("oom-score-adj", "no", "no", "yes", "relative", "absolute").noEffect().add();
        c.enumeration("acl-pubsub-default", "resetchannels", "allchannels", "resetchannels").add(); // engine.Acl
        c.enumeration("sanitize-dump-payload", "no", "no", "yes", "clients").noEffect().add();
        c.enumeration("enable-module-command", "no", "no", "yes", "local").immutable().noEffect().add();
        c.enumeration("propagation-error-behavior", "ignore", "ignore", "panic", "panic-on-replicas").noEffect().add();
        c.enumeration("shutdown-on-sigint", "default", "default", "save", "nosave", "now", "force").multi().noEffect().add();
        c.enumeration("shutdown-on-sigterm", "default", "default", "save", "nosave", "now", "force").multi().noEffect().add();

        c.integer("active-defrag-cycle-min", 1, 1, 99).noEffect().add();
        c.integer("active-defrag-cycle-max", 25, 1, 99).noEffect().add();
        c.integer("active-defrag-threshold-lower", 10, 0, 1000).noEffect().add();
        c.integer("active-defrag-threshold-upper", 100, 0, 1000).noEffect().add();
        c.integer("maxmemory-eviction-tenacity", 10, 0, 100).noEffect().add();
        c.integer("active-expire-effort", 1, 1, 10).noEffect().add();
        c.integer("shutdown-timeout", 10, 0, INT_MAX).noEffect().add();
        c.integer("max-new-connections-per-cycle", 10, 1, 1000).noEffect().add(); // 7.2
        c.integer("max-new-tls-connections-per-cycle", 1, 1, 1000).noEffect().add(); // 7.2
        c.integer("unixsocketperm", 0, 0, 0777).immutable().noEffect().add();
        c.integer("socket-mark-id", 0, 0, UINT_MAX).noEffect().add();
        c.integer("active-defrag-max-scan-fields", 1000, 1, LONG_MAX).noEffect().add();
        c.integer("acllog-max-len", 128, 0, LONG_MAX).add(); // engine.Acl
        c.integer("busy-reply-threshold", 5000, 0, LONG_MAX).alias("lua-time-limit").add(); // scripting.Scripting's time limit
        c.integer("stream-node-max-entries", 100, 0, LONG_MAX).add(); // stream node size, approximate trimming (StreamValue)
        c.integer("tracking-table-max-keys", 1000000, 0, LONG_MAX).add(); // engine.Tracking
        c.memory("active-defrag-ignore-bytes", 100L << 20).range(1, LONG_MAX).noEffect().add();
        c.memory("stream-node-max-bytes", 4096).add(); // stream node size (StreamValue)
        c.memory("hll-sparse-max-bytes", 3000).add();

        c.special("client-output-buffer-limit", "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60")
                .normalizeWithCurrent(new Validators.ClientOutputBufferLimit()).add();
        c.special("oom-score-adj-values", "0 200 800").normalize(Validators.Check.OOM_SCORE_ADJ_VALUES).noEffect().add();
        c.special("notify-keyspace-events", "").normalize(Validators.Check.NOTIFY_KEYSPACE_EVENTS)
                .display(Validators.Check.NOTIFY_KEYSPACE_EVENTS_SHOWN).add();
        c.special("maxmemory-clients", "0").normalize(Validators.Check.MEMORY_OR_PERCENT).add(); // server.ClientEviction
    }

    private static void registerReplicationAndCluster(Config c) {
        c.special("replicaof", "").alias("slaveof").immutable().noEffect().add();
        c.string("masterauth", "").sensitive().noEffect().add();
        c.string("masteruser", "").sensitive().noEffect().add();
        c.string("replica-announce-ip", "").alias("slave-announce-ip").noEffect().add();
        c.integer("replica-announce-port", 0, 0, 65535).alias("slave-announce-port").noEffect().add();
        c.bool("replica-announced", true).noEffect().add();
        c.bool("replica-ignore-disk-write-errors", false).noEffect().add();
        c.bool("replica-lazy-flush", false).alias("slave-lazy-flush").noEffect().add();
        c.bool("replica-serve-stale-data", true).alias("slave-serve-stale-data").noEffect().add();
        c.bool("replica-read-only", true).alias("slave-read-only").noEffect().add();
        c.bool("replica-ignore-maxmemory", true).alias("slave-ignore-maxmemory").noEffect().add();
        c.integer("replica-priority", 100, 0, INT_MAX).alias("slave-priority").noEffect().add();
        c.bool("repl-disable-tcp-nodelay", false).noEffect().add();
        c.bool("repl-diskless-sync", true).noEffect().add();
        c.enumeration("repl-diskless-load", "disabled", "disabled", "on-empty-db", "swapdb").noEffect().add();
        c.integer("repl-diskless-sync-delay", 5, 0, INT_MAX).noEffect().add();
        c.integer("repl-diskless-sync-max-replicas", 0, 0, INT_MAX).noEffect().add();
        c.integer("repl-timeout", 60, 1, INT_MAX).noEffect().add();
        c.integer("repl-ping-replica-period", 10, 1, INT_MAX).alias("repl-ping-slave-period").noEffect().add();
        c.memory("repl-backlog-size", 1024 * 1024).range(1, LONG_MAX).noEffect().add();
        c.integer("repl-backlog-ttl", 3600, 0, LONG_MAX).noEffect().add();
        c.integer("min-replicas-to-write", 0, 0, INT_MAX).alias("min-slaves-to-write").noEffect().add();
        c.integer("min-replicas-max-lag", 10, 0, INT_MAX).alias("min-slaves-max-lag").noEffect().add();

        c.bool("cluster-enabled", false).immutable().noEffect().add();
        c.string("cluster-config-file", "nodes.conf").immutable().noEffect().add();
        c.integer("cluster-node-timeout", 15000, 0, LONG_MAX).noEffect().add();
        c.integer("cluster-port", 0, 0, 65535).immutable().noEffect().add();
        c.integer("cluster-announce-bus-port", 0, 0, 65535).noEffect().add();
        c.integer("cluster-announce-port", 0, 0, 65535).noEffect().add();
        c.integer("cluster-announce-tls-port", 0, 0, 65535).noEffect().add();
        c.string("cluster-announce-ip", "").noEffect().add();
        c.string("cluster-announce-hostname", "").noEffect().add();
        c.string("cluster-announce-human-nodename", "").noEffect().add(); // 7.2
        c.integer("cluster-replica-validity-factor", 10, 0, INT_MAX).alias("cluster-slave-validity-factor").noEffect().add();
        c.integer("cluster-migration-barrier", 1, 0, INT_MAX).noEffect().add();
        c.bool("cluster-require-full-coverage", true).noEffect().add();
        c.bool("cluster-replica-no-failover", false).alias("cluster-slave-no-failover").noEffect().add();
        c.bool("cluster-allow-reads-when-down", false).noEffect().add();
        c.bool("cluster-allow-pubsubshard-when-down", true).noEffect().add();
        c.bool("cluster-allow-replica-migration", true).noEffect().add();
        c.enumeration("cluster-preferred-endpoint-type", "ip", "ip", "hostname", "unknown-endpoint").noEffect().add();
        c.memory("cluster-link-sendbuf-limit", 0).noEffect().add();
    }

    private static void registerTls(Config c) {
        c.integer("tls-port", 0, 0, 65535).noEffect().add();
        c.integer("tls-session-cache-size", 20 * 1024, 0, INT_MAX).noEffect().add();
        c.integer("tls-session-cache-timeout", 300, 0, INT_MAX).noEffect().add();
        c.bool("tls-cluster", false).noEffect().add();
        c.bool("tls-replication", false).noEffect().add();
        c.enumeration("tls-auth-clients", "yes", "no", "yes", "optional").noEffect().add();
        c.bool("tls-prefer-server-ciphers", false).noEffect().add();
        c.bool("tls-session-caching", true).noEffect().add();
        for (String name : new String[]{"tls-cert-file", "tls-key-file", "tls-key-file-pass", "tls-client-cert-file",
                "tls-client-key-file", "tls-client-key-file-pass", "tls-dh-params-file", "tls-ca-cert-file",
                "tls-ca-cert-dir", "tls-protocols", "tls-ciphers", "tls-ciphersuites"}) {
            c.string(name, "").noEffect().add();
        }
    }

    /** Redis's HIDDEN_CONFIG test knobs: CONFIG GET shows them only when asked by exact name. */
    private static void registerHidden(Config c) {
        // Microseconds per key a background save waits (tests watch a save run): see persistence.SaveProgress.
        c.integer("rdb-key-save-delay", 0, Integer.MIN_VALUE, INT_MAX).hidden().add();
        c.integer("key-load-delay", 0, Integer.MIN_VALUE, INT_MAX).hidden().noEffect().add();
        c.integer("watchdog-period", 0, 0, INT_MAX).hidden().noEffect().add();
        c.bool("use-exit-on-panic", false).hidden().noEffect().add();
        c.integer("loading-process-events-interval-bytes", 2 * 1024 * 1024, 1024, INT_MAX).hidden().noEffect().add();
    }
}
