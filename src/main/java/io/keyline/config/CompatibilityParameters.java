package io.keyline.config;

/**
 * Redis 7 parameters Keyline accepts, shows in CONFIG GET and ignores, so that existing redis.conf
 * files and scripts keep working. Listed in README as having no effect.
 */
final class CompatibilityParameters {
    private CompatibilityParameters() {
    }

    static void register(Config c) {
        c.integer("io-threads", 1, 1, 128).immutable().noEffect().add();
        c.bool("io-threads-do-reads", false).immutable().noEffect().add();
        c.bool("lazyfree-lazy-eviction", false).noEffect().add();
        c.bool("lazyfree-lazy-expire", false).noEffect().add();
        c.bool("lazyfree-lazy-server-del", false).noEffect().add();
        c.bool("lazyfree-lazy-user-del", false).noEffect().add();
        c.bool("lazyfree-lazy-user-flush", false).noEffect().add();
        c.string("notify-keyspace-events", "").noEffect().add();
        c.integer("slowlog-log-slower-than", 10000, Long.MIN_VALUE, Long.MAX_VALUE).noEffect().add();
        c.integer("slowlog-max-len", 128, 0, Long.MAX_VALUE).noEffect().add();
        c.integer("latency-monitor-threshold", 0, 0, Long.MAX_VALUE).noEffect().add();
        c.bool("activerehashing", true).noEffect().add();
        c.bool("cluster-enabled", false).immutable().noEffect().add();
        c.special("client-output-buffer-limit", "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60").noEffect().add();
        c.string("replicaof", "").noEffect().alias("slaveof").add();
        c.bool("rdbcompression", true).noEffect().add();
        c.bool("rdbchecksum", true).noEffect().add();
        c.bool("stop-writes-on-bgsave-error", true).noEffect().add();
        c.string("unixsocket", "").immutable().noEffect().add();
        c.integer("unixsocketperm", 0, 0, 0777).immutable().noEffect().add();
        c.enumeration("supervised", "no", "upstart", "systemd", "auto", "no").immutable().noEffect().add();
        c.bool("always-show-logo", false).immutable().noEffect().add();
        c.bool("set-proc-title", true).immutable().noEffect().add();
        c.bool("syslog-enabled", false).immutable().noEffect().add();
        c.string("syslog-ident", "redis").immutable().noEffect().add();
        c.bool("jemalloc-bg-thread", true).noEffect().add();
        c.bool("activedefrag", false).noEffect().add();
        c.integer("lua-time-limit", 5000, 0, Long.MAX_VALUE).alias("busy-reply-threshold").noEffect().add();
    }
}
