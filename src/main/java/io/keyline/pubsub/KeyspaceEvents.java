package io.keyline.pubsub;

import java.nio.charset.StandardCharsets;

/**
 * Keyspace notifications, like Redis's {@code notify.c}: the {@code notify-keyspace-events} classes
 * as bit flags (Redis's own values) and {@link #notify}, which publishes
 * {@code __keyspace@<db>__:<key>} and {@code __keyevent@<db>__:<event>} through {@link PubSub}.
 * Command handlers call it after a change with their family's class and Redis's event name; it
 * returns after one volatile read when the class is not enabled, so it costs nothing by default.
 */
public final class KeyspaceEvents {
    public static final int KEYSPACE = 1 << 0;   // K
    public static final int KEYEVENT = 1 << 1;   // E
    public static final int GENERIC = 1 << 2;    // g
    public static final int STRING = 1 << 3;     // $
    public static final int LIST = 1 << 4;       // l
    public static final int SET = 1 << 5;        // s
    public static final int HASH = 1 << 6;       // h
    public static final int ZSET = 1 << 7;       // z
    public static final int EXPIRED = 1 << 8;    // x
    public static final int EVICTED = 1 << 9;    // e
    public static final int STREAM = 1 << 10;    // t
    public static final int KEY_MISS = 1 << 11;  // m (not part of A)
    public static final int LOADED = 1 << 12;    // module only
    public static final int MODULE = 1 << 13;    // d
    public static final int NEW = 1 << 14;       // n (not part of A)
    /** What 'A' stands for: g$lshzxetd. */
    public static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

    private final PubSub pubsub;
    private volatile int flags;

    public KeyspaceEvents(PubSub pubsub) {
        this.pubsub = pubsub;
    }

    /** Parses Redis's class string ({@code "KEA"}, {@code "Kx"}...); -1 on an unknown character. */
    public static int parse(String classes) {
        int f = 0;
        for (int i = 0; i < classes.length(); i++) {
            switch (classes.charAt(i)) {
                case 'A' -> f |= ALL;
                case 'g' -> f |= GENERIC;
                case '$' -> f |= STRING;
                case 'l' -> f |= LIST;
                case 's' -> f |= SET;
                case 'h' -> f |= HASH;
                case 'z' -> f |= ZSET;
                case 'x' -> f |= EXPIRED;
                case 'e' -> f |= EVICTED;
                case 'K' -> f |= KEYSPACE;
                case 'E' -> f |= KEYEVENT;
                case 't' -> f |= STREAM;
                case 'm' -> f |= KEY_MISS;
                case 'd' -> f |= MODULE;
                case 'n' -> f |= NEW;
                default -> {
                    return -1;
                }
            }
        }
        return f;
    }

    public void flags(int flags) {
        this.flags = flags;
    }

    public int flags() {
        return flags;
    }

    /** True when an event of {@code type} would be published (callers may skip building names). */
    public boolean enabled(int type) {
        int f = flags;
        return (f & type) != 0 && (f & (KEYSPACE | KEYEVENT)) != 0;
    }

    /**
     * Publishes one event, as Redis's {@code notifyKeyspaceEvent(type, event, key, dbid)}.
     * {@code event} is Redis's lower-case event name ({@code "set"}, {@code "lpush"}, {@code "expired"}...).
     */
    public void notify(int type, String event, byte[] key, int db) {
        int f = flags;
        if ((f & type) == 0) return;
        byte[] eventBytes = event.getBytes(StandardCharsets.US_ASCII);
        if ((f & KEYSPACE) != 0) {
            byte[] prefix = ("__keyspace@" + db + "__:").getBytes(StandardCharsets.US_ASCII);
            byte[] channel = new byte[prefix.length + key.length];
            System.arraycopy(prefix, 0, channel, 0, prefix.length);
            System.arraycopy(key, 0, channel, prefix.length, key.length);
            pubsub.publish(channel, eventBytes);
        }
        if ((f & KEYEVENT) != 0) {
            byte[] channel = ("__keyevent@" + db + "__:" + event).getBytes(StandardCharsets.US_ASCII);
            pubsub.publish(channel, key);
        }
    }
}
