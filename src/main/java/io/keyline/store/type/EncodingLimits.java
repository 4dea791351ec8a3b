package io.keyline.store.type;

import io.keyline.config.Config;

/**
 * Encoding thresholds of sets and sorted sets, read on every write. Cached in volatile fields (bound
 * to the config with {@link #bind}) so the hot path never parses config strings. Process-wide, as
 * the values are the same for every server of a normal process.
 */
public final class EncodingLimits {
    public static volatile int setMaxIntsetEntries = 512;
    public static volatile int setMaxListpackEntries = 128;
    public static volatile int setMaxListpackValue = 64;
    public static volatile int zsetMaxListpackEntries = 128;
    public static volatile int zsetMaxListpackValue = 64;

    private EncodingLimits() {
    }

    /** Follows the config's values from now on (CONFIG SET included). */
    public static void bind(Config config) {
        config.onChange("set-max-intset-entries", v -> setMaxIntsetEntries = clamp(v));
        config.onChange("set-max-listpack-entries", v -> setMaxListpackEntries = clamp(v));
        config.onChange("set-max-listpack-value", v -> setMaxListpackValue = clamp(v));
        config.onChange("zset-max-listpack-entries", v -> zsetMaxListpackEntries = clamp(v));
        config.onChange("zset-max-listpack-value", v -> zsetMaxListpackValue = clamp(v));
    }

    private static int clamp(String v) {
        long l = Long.parseLong(v.trim());
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, l));
    }
}
