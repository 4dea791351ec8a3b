package io.keyline.server;

import io.keyline.util.Words;

import java.util.Locale;

/**
 * {@code client-output-buffer-limit} parsed per client class (Redis's {@code server.client_obuf_limits}):
 * a hard limit in bytes, a soft limit in bytes and the seconds the soft limit may stay exceeded. Zero
 * disables a limit. The configuration keeps the canonical form "normal 0 0 0 slave h s t pubsub h s t".
 */
final class OutputBufferLimits {
    /** One class's limits. */
    record Limit(long hard, long soft, long softSeconds) {
        boolean none() {
            return hard == 0 && soft == 0;
        }
    }

    static final Limit NONE = new Limit(0, 0, 0);

    volatile Limit normal = NONE;
    volatile Limit pubsub = new Limit(32L << 20, 8L << 20, 60);
    volatile Limit replica = new Limit(256L << 20, 64L << 20, 60);

    /** Applies a canonical value; classes not named keep their limits. */
    void apply(String value) {
        String[] t = Words.split(value);
        for (int i = 0; i + 3 < t.length; i += 4) {
            Limit l = new Limit(Long.parseLong(t[i + 1]), Long.parseLong(t[i + 2]), Long.parseLong(t[i + 3]));
            switch (t[i].toLowerCase(Locale.ROOT)) {
                case "normal" -> normal = l;
                case "pubsub" -> pubsub = l;
                case "slave", "replica" -> replica = l;
                default -> { }
            }
        }
    }
}
