package io.keyline.integration;

import io.keyline.embed.EmbeddedKeyline;
import io.keyline.testkit.RespClient;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.support.caching.CacheAccessor;
import io.lettuce.core.support.caching.CacheFrontend;
import io.lettuce.core.support.caching.ClientSideCaching;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client-side caching (CLIENT TRACKING), frames checked against redis-server 7.0.15's: default mode,
 * the writer's own invalidation after its reply, MULTI/EXEC, FLUSHALL's null, NOLOOP, OPTIN/OPTOUT,
 * BCAST prefixes, RESP2 redirect through {@code __redis__:invalidate}, a broken redirect, the table
 * limit; with Lettuce's ClientSideCaching and a Jedis redirect subscriber. Two event loops.
 */
class TrackingIT extends ServerTestBase {
    private static final String INV_K = ">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n";
    private static final String INV_NULL = ">2\r\n$10\r\ninvalidate\r\n_\r\n";

    @Override
    protected void configure(EmbeddedKeyline.Builder builder) {
        builder.config("io-threads", "2");
    }

    private RespClient raw3() throws Exception {
        RespClient c = new RespClient(port()).timeout(Duration.ofSeconds(10));
        c.resp3();
        return c;
    }

    private RespClient raw2() throws Exception {
        return new RespClient(port()).timeout(Duration.ofSeconds(10));
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 5 s");
            Thread.sleep(10);
        }
    }

    @Test
    void defaultModeInvalidatesOnceAndTheWriterAfterItsReply() throws Exception {
        try (RespClient t = raw3(); RespClient w = raw2()) {
            assertThat(t.request("CLIENT", "TRACKING", "on").text()).isEqualTo("+OK\r\n");
            assertThat(t.request("GET", "k").text()).isEqualTo("_\r\n");
            assertThat(w.request("SET", "k", "1").text()).isEqualTo("+OK\r\n");
            assertThat(t.readText()).isEqualTo(INV_K);
            // Not remembered any more: a second write sends nothing.
            w.request("SET", "k", "2");
            assertThat(t.request("PING").text()).isEqualTo("+PONG\r\n");
            // The writer itself: its reply first, then the invalidation (Redis's tracking_pending_keys).
            t.request("GET", "k");
            assertThat(t.request("SET", "k", "v").text()).isEqualTo("+OK\r\n");
            assertThat(t.readText()).isEqualTo(INV_K);
            // Inside MULTI: after EXEC's reply.
            t.request("GET", "k");
            t.request("MULTI");
            t.request("SET", "k", "1");
            assertThat(t.request("EXEC").text()).isEqualTo("*1\r\n+OK\r\n");
            assertThat(t.readText()).isEqualTo(INV_K);
            // FLUSHALL: the null invalidation, for the writer after its reply, and for the others.
            assertThat(t.request("FLUSHALL").text()).isEqualTo("+OK\r\n");
            assertThat(t.readText()).isEqualTo(INV_NULL);
            w.request("FLUSHDB");
            assertThat(t.readText()).isEqualTo(INV_NULL);
            // Keys are global: a write in another database invalidates too.
            t.request("GET", "k");
            w.request("SELECT", "3");
            w.request("SET", "k", "x");
            assertThat(t.readText()).isEqualTo(INV_K);
        }
    }

    @Test
    void clientListInfoGetredirAndTrackinginfo() throws Exception {
        try (RespClient t = raw3(); RespClient r = raw2()) {
            long rid = (Long) r.value("CLIENT", "ID");
            assertThat(t.request("CLIENT", "GETREDIR").text()).isEqualTo(":-1\r\n");
            assertThat(t.request("CLIENT", "TRACKINGINFO").text()).isEqualTo(
                    "%3\r\n$5\r\nflags\r\n~1\r\n$3\r\noff\r\n$8\r\nredirect\r\n:-1\r\n$8\r\nprefixes\r\n*0\r\n");
            t.request("CLIENT", "TRACKING", "on");
            assertThat(t.request("CLIENT", "INFO").string()).contains(" flags=t ").contains(" redir=0 ");
            assertThat(t.request("CLIENT", "TRACKINGINFO").text()).isEqualTo(
                    "%3\r\n$5\r\nflags\r\n~1\r\n$2\r\non\r\n$8\r\nredirect\r\n:0\r\n$8\r\nprefixes\r\n*0\r\n");
            t.request("CLIENT", "TRACKING", "off");
            t.request("CLIENT", "TRACKING", "on", "REDIRECT", Long.toString(rid), "BCAST", "PREFIX", "b", "PREFIX", "a", "NOLOOP");
            assertThat(t.request("CLIENT", "GETREDIR").text()).isEqualTo(":" + rid + "\r\n");
            assertThat(t.request("CLIENT", "INFO").string()).contains(" flags=tB ").contains(" redir=" + rid + " ");
            assertThat(t.request("CLIENT", "TRACKINGINFO").text()).isEqualTo(
                    "%3\r\n$5\r\nflags\r\n~3\r\n$2\r\non\r\n$5\r\nbcast\r\n$6\r\nnoloop\r\n$8\r\nredirect\r\n:" + rid
                            + "\r\n$8\r\nprefixes\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n");
            assertThat(jedis.info("stats")).contains("tracking_total_prefixes:2");
            assertThat(jedis.info("clients")).contains("tracking_clients:1");
            // The redirect client goes away: the next invalidation reports it, flag R.
            r.close();
            waitFor(() -> !jedis.clientList().contains("id=" + rid + " "));
            jedis.set("a1", "x");
            assertThat(t.readText()).isEqualTo(">2\r\n$21\r\ntracking-redir-broken\r\n:" + rid + "\r\n");
            assertThat(t.request("CLIENT", "INFO").string()).contains(" flags=tRB ");
            assertThat(t.request("CLIENT", "TRACKINGINFO").text()).contains("$15\r\nbroken_redirect\r\n");
            // RESET ends tracking.
            assertThat(t.request("RESET").text()).isEqualTo("+RESET\r\n");
            assertThat(t.request("CLIENT", "INFO").string()).contains(" flags=N ").contains(" redir=-1 ");
            assertThat(jedis.info("stats")).contains("tracking_total_prefixes:0");
            assertThat(jedis.info("clients")).contains("tracking_clients:0");
        }
    }

    @Test
    void errorsAsRedis() throws Exception {
        try (RespClient t = raw3()) {
            assertThat(t.request("CLIENT", "TRACKING", "on", "PREFIX", "a").string())
                    .isEqualTo("ERR PREFIX option requires BCAST mode to be enabled");
            assertThat(t.request("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "a", "PREFIX", "ab").string())
                    .isEqualTo("ERR Prefix 'a' overlaps with another provided prefix 'ab'. Prefixes for a single client must not overlap.");
            assertThat(t.request("CLIENT", "TRACKING", "on", "BCAST", "OPTIN").string())
                    .isEqualTo("ERR OPTIN and OPTOUT are not compatible with BCAST");
            assertThat(t.request("CLIENT", "TRACKING", "on", "OPTIN", "OPTOUT").string())
                    .isEqualTo("ERR You can't specify both OPTIN mode and OPTOUT mode");
            assertThat(t.request("CLIENT", "TRACKING", "on", "REDIRECT", "99999").string())
                    .isEqualTo("ERR The client ID you want redirect to does not exist");
            assertThat(t.request("CLIENT", "TRACKING", "maybe").string()).isEqualTo("ERR syntax error");
            assertThat(t.request("CLIENT", "TRACKING", "on", "foo").string()).isEqualTo("ERR syntax error");
            assertThat(t.request("CLIENT", "CACHING", "yes").string()).isEqualTo(
                    "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled");
            t.request("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "a");
            assertThat(t.request("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "ac").string())
                    .isEqualTo("ERR Prefix 'ac' overlaps with an existing prefix 'a'. Prefixes for a single client must not overlap.");
            assertThat(t.request("CLIENT", "TRACKING", "on").string()).isEqualTo(
                    "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.");
            t.request("CLIENT", "TRACKING", "off");
            t.request("CLIENT", "TRACKING", "on", "OPTIN");
            assertThat(t.request("CLIENT", "CACHING", "no").string())
                    .isEqualTo("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
            assertThat(t.request("CLIENT", "TRACKING", "on", "OPTOUT").string()).isEqualTo(
                    "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.");
        }
    }

    @Test
    void optinOptoutAndNoloop() throws Exception {
        try (RespClient t = raw3(); RespClient w = raw2()) {
            t.request("CLIENT", "TRACKING", "on", "OPTIN");
            t.request("GET", "a"); // not remembered
            t.request("CLIENT", "CACHING", "yes");
            t.request("GET", "k"); // remembered
            t.request("GET", "b"); // CACHING applied to the previous command only
            w.request("MSET", "a", "1", "b", "1", "k", "1");
            assertThat(t.readText()).isEqualTo(INV_K);
            assertThat(t.request("PING").text()).isEqualTo("+PONG\r\n");
            t.request("CLIENT", "TRACKING", "off");

            t.request("CLIENT", "TRACKING", "on", "OPTOUT");
            t.request("CLIENT", "CACHING", "no");
            t.request("GET", "a"); // not remembered
            t.request("GET", "k");
            w.request("MSET", "a", "1", "k", "2");
            assertThat(t.readText()).isEqualTo(INV_K);
            t.request("CLIENT", "TRACKING", "off");

            t.request("CLIENT", "TRACKING", "on", "NOLOOP");
            t.request("GET", "k");
            assertThat(t.request("SET", "k", "x").text()).isEqualTo("+OK\r\n");
            assertThat(t.request("PING").text()).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void bcastBatchesKeysPerPrefixSortedAndHonoursNoloop() throws Exception {
        try (RespClient t = raw3(); RespClient n = raw3(); RespClient w = raw2()) {
            t.request("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "user:");
            n.request("CLIENT", "TRACKING", "on", "BCAST", "NOLOOP");
            // One pipeline: one batch, one message with the keys in order.
            w.sendRaw(new String(RespClient.encode("SET".getBytes(), "user:2".getBytes(), "x".getBytes()))
                    + new String(RespClient.encode("SET".getBytes(), "user:1".getBytes(), "x".getBytes()))
                    + new String(RespClient.encode("SET".getBytes(), "other".getBytes(), "x".getBytes())));
            w.read();
            w.read();
            w.read();
            assertThat(t.readText()).isEqualTo(">2\r\n$10\r\ninvalidate\r\n*2\r\n$6\r\nuser:1\r\n$6\r\nuser:2\r\n");
            String all = n.readText();
            assertThat(all).startsWith(">2\r\n$10\r\ninvalidate\r\n");
            assertThat(all).contains("$5\r\nother\r\n");
            // NOLOOP: its own writes are left out.
            assertThat(n.request("SET", "mine", "1").text()).isEqualTo("+OK\r\n");
            assertThat(t.request("SET", "user:9", "1").text()).isEqualTo("+OK\r\n");
            assertThat(t.readText()).isEqualTo(">2\r\n$10\r\ninvalidate\r\n*1\r\n$6\r\nuser:9\r\n");
            assertThat(n.readText()).isEqualTo(">2\r\n$10\r\ninvalidate\r\n*1\r\n$6\r\nuser:9\r\n");
        }
    }

    @Test
    void resp2RedirectToASubscribedConnection() throws Exception {
        try (RespClient sub = raw2(); RespClient t = raw2(); RespClient w = raw2()) {
            long sid = (Long) sub.value("CLIENT", "ID");
            sub.send("SUBSCRIBE", "__redis__:invalidate");
            assertThat(sub.readText()).isEqualTo("*3\r\n$9\r\nsubscribe\r\n$20\r\n__redis__:invalidate\r\n:1\r\n");
            t.request("CLIENT", "TRACKING", "on", "REDIRECT", Long.toString(sid));
            t.request("GET", "k");
            w.request("SET", "k", "1");
            assertThat(sub.readText()).isEqualTo("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*1\r\n$1\r\nk\r\n");
            w.request("FLUSHALL");
            assertThat(sub.readText()).isEqualTo("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n$-1\r\n");
        }
    }

    @Test
    void jedisRedirectSubscriberReceivesInvalidations() throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        try (Jedis subscriber = newJedis(); Jedis tracked = newJedis()) {
            long sid = subscriber.clientId();
            JedisPubSub listener = new JedisPubSub() {
                @Override
                public void onMessage(String channel, String message) {
                    got.add(channel + "|" + message);
                }
            };
            Thread th = new Thread(() -> subscriber.subscribe(listener, "__redis__:invalidate"));
            th.start();
            waitFor(listener::isSubscribed);
            tracked.sendCommand(redis.clients.jedis.Protocol.Command.CLIENT, "TRACKING", "on", "REDIRECT", Long.toString(sid));
            tracked.get("k");
            jedis.set("k", "v");
            String m = got.poll(5, TimeUnit.SECONDS);
            assertThat(m).isNotNull().startsWith("__redis__:invalidate|");
            listener.unsubscribe();
            th.join(5000);
        }
    }

    @Test
    void expiredKeysAreInvalidatedAndTheTableIsBounded() throws Exception {
        try (RespClient t = raw3(); RespClient w = raw2()) {
            w.request("SET", "k", "v", "PX", "50");
            t.request("CLIENT", "TRACKING", "on");
            t.request("GET", "k");
            assertThat(t.readText()).isEqualTo(INV_K); // removed by the active expire cycle
            jedis.configSet("tracking-table-max-keys", "2");
            try {
                t.request("MGET", "a", "b");
                assertThat(jedis.info("stats")).contains("tracking_total_keys:2").contains("tracking_total_items:2");
                t.request("GET", "c");
                // Over the limit: one key is evicted from the table and invalidated like a change.
                String inv = t.readText();
                assertThat(inv).startsWith(">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\n");
                assertThat(jedis.info("stats")).contains("tracking_total_keys:2");
            } finally {
                jedis.configSet("tracking-table-max-keys", "1000000");
            }
        }
    }

    @Test
    void lettuceClientSideCacheInvalidatedOnWriteAndOnFlushall() throws Exception {
        Map<String, String> clientCache = new ConcurrentHashMap<>();
        try (StatefulRedisConnection<String, String> conn = lettuceClient.connect()) {
            // Lettuce's frontend evicts the keys of an invalidation but fails on the null of a flush (its
            // listener iterates a null list, with redis-server too): the application clears on it.
            BlockingQueue<String> flushes = new LinkedBlockingQueue<>();
            conn.addListener(message -> {
                if (message.getType().equals("invalidate") && message.getContent().get(1) == null) {
                    clientCache.clear();
                    flushes.add("null");
                }
            });
            CacheFrontend<String, String> frontend = ClientSideCaching.enable(CacheAccessor.forMap(clientCache), conn,
                    TrackingArgs.Builder.enabled());
            jedis.set("k", "v1");
            assertThat(frontend.get("k")).isEqualTo("v1");
            assertThat(clientCache).containsEntry("k", "v1");
            jedis.set("k", "v2");
            waitFor(() -> !clientCache.containsKey("k"));
            assertThat(frontend.get("k")).isEqualTo("v2");
            assertThat(clientCache).containsEntry("k", "v2");
            jedis.set("other", "x");
            assertThat(frontend.get("other")).isEqualTo("x");
            jedis.flushAll();
            assertThat(flushes.poll(5, TimeUnit.SECONDS)).isEqualTo("null");
            waitFor(clientCache::isEmpty);
            assertThat(frontend.get("k")).isNull();
            frontend.close();
        }
    }
}
