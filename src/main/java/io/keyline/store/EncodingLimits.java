package io.keyline.store;

/**
 * Encoding thresholds of the collection types, read on every write: a plain holder the values
 * decide their conversions from (listpack to hashtable and so on). The server keeps one instance
 * current from its config (CONFIG SET included; the binding lives on the engine side, the store
 * knows nothing of config), so the hot path reads a field instead of parsing a parameter; each value
 * holds its server's instance, so several servers in one JVM (embedded tests) keep their own
 * thresholds. {@link #DEFAULTS} carries Redis's defaults for values built outside a server (unit tests).
 *
 * <p>It lives in {@code io.keyline.store}, not beside the values in {@code store.type}, so that
 * {@link TypeHooks} can hand it to a value factory (SORT ... STORE) without a package cycle.
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
    public volatile int streamNodeMaxEntries = 100;
    public volatile long streamNodeMaxBytes = 4096;
}
