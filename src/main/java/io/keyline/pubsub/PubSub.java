package io.keyline.pubsub;

import io.keyline.session.Client;
import io.keyline.util.Glob;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pub/sub registry, like Redis's {@code server.pubsub_channels}, {@code pubsub_patterns} and
 * {@code pubsubshard_channels}: channel (pattern, shard channel) → subscribers, and per client what
 * it is subscribed to. Subscriptions change under this object's lock; publishing reads immutable
 * snapshots of the subscriber sets, so it never waits for a subscriber and is cheap when nobody
 * subscribes. A message's frame is encoded once per protocol and shared by its subscribers; it goes
 * out through each subscriber's {@code Connection.writePushFromAnyThread}, which keeps one
 * publisher's messages in publish order on every subscriber.
 */
public final class PubSub {
    /** The three kinds of subscription. */
    public enum Kind {
        CHANNEL("subscribe", "unsubscribe", "message"),
        PATTERN("psubscribe", "punsubscribe", "pmessage"),
        SHARD("ssubscribe", "sunsubscribe", "smessage");

        final byte[] subscribe;
        final byte[] unsubscribe;
        final byte[] message;

        Kind(String subscribe, String unsubscribe, String message) {
            this.subscribe = subscribe.getBytes(StandardCharsets.US_ASCII);
            this.unsubscribe = unsubscribe.getBytes(StandardCharsets.US_ASCII);
            this.message = message.getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** A channel name as a map key. */
    private record Name(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Name n && Arrays.equals(bytes, n.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    /** What one client is subscribed to, in subscription order (UNSUBSCRIBE without arguments goes in that order). */
    private static final class Subscriptions {
        final Set<Name> channels = new LinkedHashSet<>();
        final Set<Name> patterns = new LinkedHashSet<>();
        final Set<Name> shards = new LinkedHashSet<>();

        Set<Name> of(Kind k) {
            return switch (k) {
                case CHANNEL -> channels;
                case PATTERN -> patterns;
                case SHARD -> shards;
            };
        }

        int total() {
            return channels.size() + patterns.size() + shards.size();
        }
    }

    private static final Client[] NONE = new Client[0];

    // name → subscribers (an array replaced on change: publishers read it without locking)
    private final Map<Name, Client[]> channels = new ConcurrentHashMap<>();
    private final Map<Name, Client[]> patterns = new ConcurrentHashMap<>();
    private final Map<Name, Client[]> shards = new ConcurrentHashMap<>();
    private final Map<Client, Subscriptions> clients = new ConcurrentHashMap<>();
    private volatile int pubsubClients;

    private Map<Name, Client[]> map(Kind k) {
        return switch (k) {
            case CHANNEL -> channels;
            case PATTERN -> patterns;
            case SHARD -> shards;
        };
    }

    /**
     * Subscribes {@code c} to {@code name}; returns the client's total subscription count afterwards
     * (what the confirmation shows). Shard channels count separately, as in Redis: an SSUBSCRIBE's
     * confirmation shows the shard subscriptions only.
     */
    public synchronized int subscribe(Client c, Kind kind, byte[] name) {
        Subscriptions s = clients.computeIfAbsent(c, k -> new Subscriptions());
        Name n = new Name(name.clone());
        if (s.of(kind).add(n)) {
            map(kind).merge(n, new Client[] {c}, PubSub::concat);
            update(c, s);
        }
        return count(s, kind);
    }

    /** Unsubscribes {@code c} from {@code name}; returns the client's count afterwards (see {@link #subscribe}). */
    public synchronized int unsubscribe(Client c, Kind kind, byte[] name) {
        Subscriptions s = clients.get(c);
        if (s == null) return 0;
        Name n = new Name(name);
        if (s.of(kind).remove(n)) {
            removeSubscriber(map(kind), n, c);
            update(c, s);
        }
        return count(s, kind);
    }

    /** What {@code c} is subscribed to of this kind, in subscription order (a copy). */
    public synchronized List<byte[]> subscriptions(Client c, Kind kind) {
        Subscriptions s = clients.get(c);
        if (s == null) return Collections.emptyList();
        List<byte[]> out = new ArrayList<>(s.of(kind).size());
        for (Name n : s.of(kind)) out.add(n.bytes);
        return out;
    }

    /** The count a confirmation shows: channels + patterns, or shard channels alone (Redis 7.2). */
    public synchronized int count(Client c, Kind kind) {
        Subscriptions s = clients.get(c);
        return s == null ? 0 : count(s, kind);
    }

    private static int count(Subscriptions s, Kind kind) {
        return kind == Kind.SHARD ? s.shards.size() : s.channels.size() + s.patterns.size();
    }

    /** Drops every subscription of {@code c} (RESET, disconnect), without confirmations. */
    public synchronized void removeClient(Client c) {
        Subscriptions s = clients.remove(c);
        if (s == null) return;
        for (Kind k : Kind.values()) for (Name n : s.of(k)) removeSubscriber(map(k), n, c);
        s.channels.clear();
        s.patterns.clear();
        s.shards.clear();
        update(c, s);
    }

    private void update(Client c, Subscriptions s) {
        boolean was = c.pubsub();
        c.pubsubCounts(s.channels.size(), s.patterns.size(), s.shards.size());
        if (s.total() == 0) clients.remove(c);
        if (was != c.pubsub()) pubsubClients += c.pubsub() ? 1 : -1;
    }

    private static void removeSubscriber(Map<Name, Client[]> map, Name n, Client c) {
        map.computeIfPresent(n, (k, subs) -> {
            if (subs.length == 1) return subs[0] == c ? null : subs;
            Client[] out = new Client[subs.length - 1];
            int j = 0;
            for (Client x : subs) {
                if (x == c) continue;
                if (j == out.length) return subs; // not there
                out[j++] = x;
            }
            return out;
        });
    }

    private static Client[] concat(Client[] a, Client[] b) {
        Client[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    // ---- publishing ----------------------------------------------------------------------------

    /**
     * PUBLISH: delivers {@code message} to the channel's subscribers and to the clients whose
     * patterns match it; returns the number of receivers (a client subscribed both ways counts twice,
     * as in Redis). Cheap when nobody subscribes: keyspace notifications may call it for every write.
     */
    public int publish(byte[] channel, byte[] message) {
        if (channels.isEmpty() && patterns.isEmpty()) return 0;
        Client[] subs = channels.getOrDefault(new Name(channel), NONE);
        int receivers = subs.length;
        if (subs.length > 0) deliver(subs, Kind.CHANNEL, null, channel, message);
        if (!patterns.isEmpty()) {
            for (Map.Entry<Name, Client[]> e : patterns.entrySet()) {
                byte[] p = e.getKey().bytes;
                if (!Glob.match(p, channel, false)) continue;
                deliver(e.getValue(), Kind.PATTERN, p, channel, message);
                receivers += e.getValue().length;
            }
        }
        return receivers;
    }

    /** SPUBLISH: delivers to the shard channel's subscribers; returns their number. */
    public int publishShard(byte[] channel, byte[] message) {
        if (shards.isEmpty()) return 0;
        Client[] subs = shards.getOrDefault(new Name(channel), NONE);
        if (subs.length > 0) deliver(subs, Kind.SHARD, null, channel, message);
        return subs.length;
    }

    /**
     * One message to many subscribers: its frame is encoded once per protocol (RESP2 array, RESP3
     * push; each only if a subscriber speaks it) and every subscriber gets a retained duplicate of
     * the same bytes (own indices, shared memory: what one subscriber has not read costs it its
     * size in omem, as Redis counts it, but the server holds it once).
     */
    private static void deliver(Client[] subs, Kind kind, byte[] pattern, byte[] channel, byte[] message) {
        ByteBuf resp2 = null, resp3 = null;
        try {
            for (Client c : subs) {
                ByteBuf frame;
                if (c.protocol() == 3) {
                    if (resp3 == null) resp3 = encode(true, kind, pattern, channel, message);
                    frame = resp3;
                } else {
                    if (resp2 == null) resp2 = encode(false, kind, pattern, channel, message);
                    frame = resp2;
                }
                c.connection().writePushFromAnyThread(frame.retainedDuplicate());
            }
        } finally {
            if (resp2 != null) resp2.release();
            if (resp3 != null) resp3.release();
        }
    }

    private static ByteBuf encode(boolean resp3, Kind kind, byte[] pattern, byte[] channel, byte[] message) {
        int n = pattern == null ? 3 : 4;
        int size = 16 + kind.message.length + channel.length + message.length + 48 + (pattern == null ? 0 : pattern.length + 16);
        ByteBuf b = ByteBufAllocator.DEFAULT.buffer(size);
        b.writeByte(resp3 ? '>' : '*').writeByte('0' + n).writeByte('\r').writeByte('\n');
        bulk(b, kind.message);
        if (pattern != null) bulk(b, pattern);
        bulk(b, channel);
        bulk(b, message);
        return b;
    }

    private static void bulk(ByteBuf b, byte[] v) {
        b.writeByte('$');
        b.writeCharSequence(Integer.toString(v.length), StandardCharsets.US_ASCII);
        b.writeByte('\r').writeByte('\n');
        b.writeBytes(v);
        b.writeByte('\r').writeByte('\n');
    }

    // ---- introspection ---------------------------------------------------------------------------

    /** PUBSUB CHANNELS / SHARDCHANNELS: active channels matching {@code pattern} (null: all). */
    public List<byte[]> channels(Kind kind, byte[] pattern) {
        List<byte[]> out = new ArrayList<>();
        for (Name n : map(kind).keySet()) {
            if (pattern == null || Glob.match(pattern, n.bytes, false)) out.add(n.bytes);
        }
        return out;
    }

    /** PUBSUB NUMSUB / SHARDNUMSUB: subscribers of one channel (patterns not counted). */
    public int subscriberCount(Kind kind, byte[] channel) {
        Client[] subs = map(kind).get(new Name(channel));
        return subs == null ? 0 : subs.length;
    }

    /** INFO pubsub_channels. */
    public int channelCount() {
        return channels.size();
    }

    /** PUBSUB NUMPAT, INFO pubsub_patterns: distinct patterns with a subscriber. */
    public int patternCount() {
        return patterns.size();
    }

    /** INFO pubsubshard_channels. */
    public int shardChannelCount() {
        return shards.size();
    }

    /** INFO pubsub_clients: clients with at least one subscription. */
    public int clientCount() {
        return pubsubClients;
    }
}
