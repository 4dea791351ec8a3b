package io.keyline.store.type;

import io.keyline.config.Config;

/**
 * Encoding thresholds of the collection types, read on every write. One instance per server
 * ({@link #bind}), kept current through the config's change listeners (CONFIG SET included) so the
 * hot path reads a field instead of parsing a parameter; each value holds its server's instance, so
 * several servers in one JVM (embedded tests) keep their own thresholds. {@link #DEFAULTS} carries
 * Redis's defaults for values built outside a server (unit tests).
 */
public final class EncodingLimits {
    public static final EncodingLimits DEFAULTS = new EncodingLimits();

    public volatile int setMaxIntsetEntries = 512;
    public volatile int setMaxListpackEntries = 128;
    public volatile int setMaxListpackValue = 64;
    public volatile int zsetMaxListpackEntries = 128;
    public volatile int zsetMaxListpackValue = 64;
    public volatile int listMaxListpackSize = -2;
    public volatile long hashMaxListpackEntries = 512;
    public volatile long hashMaxListpackValue = 64;

    /** Limits that follow {@code config} from now on. */
    public static EncodingLimits bind(Config config) {
        EncodingLimits l = new EncodingLimits();
        config.onChange("set-max-intset-entries", v -> l.setMaxIntsetEntries = clamp(v));
        config.onChange("set-max-listpack-entries", v -> l.setMaxListpackEntries = clamp(v));
        config.onChange("set-max-listpack-value", v -> l.setMaxListpackValue = clamp(v));
        config.onChange("zset-max-listpack-entries", v -> l.zsetMaxListpackEntries = clamp(v));
        config.onChange("zset-max-listpack-value", v -> l.zsetMaxListpackValue = clamp(v));
        config.onChange("list-max-listpack-size", v -> l.listMaxListpackSize = (int) Long.parseLong(v.trim()));
        config.onChange("hash-max-listpack-entries", v -> l.hashMaxListpackEntries = Long.parseLong(v.trim()));
        config.onChange("hash-max-listpack-value", v -> l.hashMaxListpackValue = Long.parseLong(v.trim()));
        return l;
    }

    private static int clamp(String v) {
        long l = Long.parseLong(v.trim());
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, l));
    }
}
