package io.keyline.store;

import java.util.Locale;

/** Redis's {@code maxmemory-policy} values. */
public enum EvictionPolicy {
    NOEVICTION, ALLKEYS_LRU, ALLKEYS_LFU, ALLKEYS_RANDOM, VOLATILE_LRU, VOLATILE_LFU, VOLATILE_RANDOM, VOLATILE_TTL;

    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static EvictionPolicy parse(String s) {
        for (EvictionPolicy p : values()) {
            if (p.configName().equalsIgnoreCase(s)) return p;
        }
        return null;
    }

    public boolean volatileOnly() {
        return name().startsWith("VOLATILE");
    }

    public boolean lfu() {
        return this == ALLKEYS_LFU || this == VOLATILE_LFU;
    }
}
