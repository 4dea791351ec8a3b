package io.keyline.integration;

import io.keyline.embed.EmbeddedKeyline;
import io.keyline.testkit.Reply;
import io.keyline.testkit.RespClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pub/sub through Jedis (RESP2), Lettuce (RESP3) and raw RESP for exact frames; with two event loops,
 * so publishers and subscribers sit on different loops.
 */
class PubSubIT extends ServerTestBase {
    @Override
    protected void configure(EmbeddedKeyline.Builder builder) {
        builder.config("io-threads", "2");
    }

    private RespClient raw() throws Exception {
        return new RespClient(port()).timeout(Duration.ofSeconds(10));
    }

    @Test
    void resp2FramesConfirmationsMessagesAndTheSubscribedContext() throws Exception {
        try (RespClient sub = raw(); RespClient pub = raw()) {
            sub.send("SUBSCRIBE", "a", "b");
            assertThat(sub.readText()).isEqualTo("*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n");
            assertThat(sub.readText()).isEqualTo("*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n");
            sub.send("PSUBSCRIBE", "h?llo");
            assertThat(sub.readText()).isEqualTo("*3\r\n$10\r\npsubscribe\r\n$5\r\nh?llo\r\n:3\r\n");

            assertThat(sub.request("GET", "x").string()).isEqualTo(
                    "ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
            assertThat(sub.request("CONFIG", "GET", "port").string()).startsWith("ERR Can't execute 'config|get'");
            assertThat(sub.request("PING").text()).isEqualTo("*2\r\n$4\r\npong\r\n$0\r\n\r\n");
            assertThat(sub.request("PING", "x").text()).isEqualTo("*2\r\n$4\r\npong\r\n$1\r\nx\r\n");

            assertThat(pub.request("PUBLISH", "a", "hi").text()).isEqualTo(":1\r\n");
            assertThat(pub.request("PUBLISH", "hello", "p").text()).isEqualTo(":1\r\n");
            assertThat(pub.request("PUBLISH", "zzz", "p").text()).isEqualTo(":0\r\n");
            assertThat(sub.readText()).isEqualTo("*3\r\n$7\r\nmessage\r\n$1\r\na\r\n$2\r\nhi\r\n");
            assertThat(sub.readText()).isEqualTo("*4\r\n$8\r\npmessage\r\n$5\r\nh?llo\r\n$5\r\nhello\r\n$1\r\np\r\n");

            sub.send("UNSUBSCRIBE");
            assertThat(sub.readText()).isEqualTo("*3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:2\r\n");
            assertThat(sub.readText()).isEqualTo("*3\r\n$11\r\nunsubscribe\r\n$1\r\nb\r\n:1\r\n");
            assertThat(sub.request("PUNSUBSCRIBE").text()).isEqualTo("*3\r\n$12\r\npunsubscribe\r\n$5\r\nh?llo\r\n:0\r\n");
            assertThat(sub.request("UNSUBSCRIBE").text()).isEqualTo("*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n");
            assertThat(sub.request("GET", "x").text()).isEqualTo("$-1\r\n"); // out of the subscribed context
        }
    }

    @Test
    void shardChannelsCountSeparately() throws Exception {
        try (RespClient sub = raw(); RespClient pub = raw()) {
            sub.send("SUBSCRIBE", "c");
            sub.readText();
            assertThat(sub.request("SSUBSCRIBE", "s").text()).isEqualTo("*3\r\n$10\r\nssubscribe\r\n$1\r\ns\r\n:1\r\n");
            assertThat(pub.request("SPUBLISH", "s", "m").text()).isEqualTo(":1\r\n");
            assertThat(pub.request("PUBLISH", "s", "m").text()).isEqualTo(":0\r\n");
            assertThat(sub.readText()).isEqualTo("*3\r\n$8\r\nsmessage\r\n$1\r\ns\r\n$1\r\nm\r\n");
            assertThat(pub.value("PUBSUB", "SHARDCHANNELS")).isEqualTo(List.of("s"));
            assertThat(pub.value("PUBSUB", "SHARDNUMSUB", "s", "t")).isEqualTo(List.of("s", 1L, "t", 0L));
            assertThat(sub.request("SUNSUBSCRIBE").text()).isEqualTo("*3\r\n$12\r\nsunsubscribe\r\n$1\r\ns\r\n:0\r\n");
        }
    }

    @Test
    void oneFramePerProtocolSharedBySubscribersOnBothLoopsInPublishOrder() throws Exception {
        int n = 500;
        try (RespClient a2 = raw(); RespClient b3 = raw(); RespClient c2 = raw(); RespClient d3 = raw();
             RespClient pub = raw()) {
            b3.resp3();
            d3.resp3();
            for (RespClient s : List.of(a2, b3, c2, d3)) s.request("SUBSCRIBE", "ch");
            d3.request("PSUBSCRIBE", "c*"); // d3 gets each message twice: the channel's frame, then the pattern's
            for (int i = 0; i < n; i++) {
                pub.send("PUBLISH", "ch", "m" + i);
            }
            for (int i = 0; i < n; i++) assertThat(pub.readText()).isEqualTo(":5\r\n");
            for (int i = 0; i < n; i++) {
                String m = "m" + i;
                String body = "$2\r\nch\r\n$" + m.length() + "\r\n" + m + "\r\n";
                assertThat(a2.readText()).isEqualTo("*3\r\n$7\r\nmessage\r\n" + body);
                assertThat(c2.readText()).isEqualTo("*3\r\n$7\r\nmessage\r\n" + body);
                assertThat(b3.readText()).isEqualTo(">3\r\n$7\r\nmessage\r\n" + body);
                assertThat(d3.readText()).isEqualTo(">3\r\n$7\r\nmessage\r\n" + body);
                assertThat(d3.readText()).isEqualTo(">4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n" + body);
            }
        }
    }

    @Test
    void numsubIsAFlatArrayInResp3AsInRedis72() throws Exception {
        try (RespClient sub = raw(); RespClient pub = raw()) {
            sub.send("SUBSCRIBE", "c");
            sub.readText();
            sub.send("SSUBSCRIBE", "s");
            sub.readText();
            pub.request("HELLO", "3");
            assertThat(pub.request("PUBSUB", "NUMSUB", "c", "d").text())
                    .isEqualTo("*4\r\n$1\r\nc\r\n:1\r\n$1\r\nd\r\n:0\r\n");
            assertThat(pub.request("PUBSUB", "SHARDNUMSUB", "s").text()).isEqualTo("*2\r\n$1\r\ns\r\n:1\r\n");
            assertThat(pub.request("PUBSUB", "NUMSUB").text()).isEqualTo("*0\r\n");
        }
    }

    @Test
    void resp3PushFramesInterleaveWithReplies() throws Exception {
        try (RespClient sub = raw().resp3(); RespClient pub = raw()) {
            assertThat(sub.request("SUBSCRIBE", "ch").text()).isEqualTo(">3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n");
            assertThat(sub.request("SET", "k", "v").text()).isEqualTo("+OK\r\n"); // no restriction in RESP3
            assertThat(pub.request("PUBLISH", "ch", "m1").text()).isEqualTo(":1\r\n");
            Reply push = sub.read();
            assertThat(push.isPush()).isTrue();
            assertThat(push.text()).isEqualTo(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nm1\r\n");
            assertThat(sub.request("GET", "k").text()).isEqualTo("$1\r\nv\r\n");
            // Publishing to itself: the message comes after PUBLISH's reply, as in Redis 7.2 (7.0 sent it before).
            sub.send("PUBLISH", "ch", "self");
            assertThat(sub.readText()).isEqualTo(":1\r\n");
            assertThat(sub.readText()).isEqualTo(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$4\r\nself\r\n");
            assertThat(sub.request("UNSUBSCRIBE").text()).isEqualTo(">3\r\n$11\r\nunsubscribe\r\n$2\r\nch\r\n:0\r\n");
            assertThat(sub.request("UNSUBSCRIBE").text()).isEqualTo(">3\r\n$11\r\nunsubscribe\r\n_\r\n:0\r\n");
        }
    }

    @Test
    void jedisPubSubWithChannelsAndPatterns() throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        CountDownLatch subscribed = new CountDownLatch(2);
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                got.add(channel + "=" + message);
            }

            @Override
            public void onPMessage(String pattern, String channel, String message) {
                got.add(pattern + ":" + channel + "=" + message);
            }

            @Override
            public void onSubscribe(String channel, int count) {
                subscribed.countDown();
            }

            @Override
            public void onPSubscribe(String pattern, int count) {
                subscribed.countDown();
            }
        };
        Jedis subConn = newJedis();
        Thread t = new Thread(() -> subConn.subscribe(listener, "news"));
        t.start();
        try {
            assertThat(waitFor(() -> jedis.pubsubNumSub("news").get("news") == 1L)).isTrue();
            listener.psubscribe("user.*");
            assertThat(subscribed.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(jedis.publish("news", "hello")).isEqualTo(1);
            assertThat(jedis.publish("user.42", "login")).isEqualTo(1);
            assertThat(jedis.publish("user", "nobody")).isEqualTo(0);
            assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("news=hello");
            assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("user.*:user.42=login");
            assertThat(jedis.pubsubNumPat()).isEqualTo(1);
            assertThat(jedis.pubsubChannels()).containsExactly("news");
            String line = jedis.clientList().lines().filter(l -> l.contains(" sub=1 ")).findFirst().orElseThrow();
            assertThat(line).contains(" psub=1 ssub=0").contains("flags=P");
            assertThat(jedis.info("stats")).contains("pubsub_channels:1").contains("pubsub_patterns:1");
            assertThat(jedis.info("clients")).contains("pubsub_clients:1");
            listener.unsubscribe();
            listener.punsubscribe();
            t.join(10_000);
            assertThat(t.isAlive()).isFalse();
            assertThat(jedis.pubsubNumSub("news").get("news")).isEqualTo(0L);
        } finally {
            subConn.close();
        }
    }

    @Test
    void lettuceResp3PubSubConnection() throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        try (StatefulRedisPubSubConnection<String, String> ps = lettuceClient.connectPubSub()) {
            ps.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    got.add(channel + "=" + message);
                }

                @Override
                public void message(String pattern, String channel, String message) {
                    got.add(pattern + ":" + channel + "=" + message);
                }
            });
            ps.sync().subscribe("orders");
            ps.sync().psubscribe("ord*");
            // RESP3: the same connection still runs ordinary commands
            assertThat(ps.sync().set("k", "v")).isEqualTo("OK");
            assertThat(lettuce.publish("orders", "o1")).isEqualTo(2L);
            assertThat(got.poll(10, TimeUnit.SECONDS)).isIn("orders=o1", "ord*:orders=o1");
            assertThat(got.poll(10, TimeUnit.SECONDS)).isIn("orders=o1", "ord*:orders=o1");
            assertThat(ps.sync().get("k")).isEqualTo("v");
            assertThat(lettuce.pubsubNumsub("orders")).containsEntry("orders", 1L);
        }
        assertThat(waitFor(() -> lettuce.pubsubNumsub("orders").get("orders") == 0L)).isTrue(); // disconnect cleans up
        assertThat(lettuce.pubsubNumpat()).isZero();
    }

    @Test
    void resetAndQuitDropEverySubscription() throws Exception {
        try (RespClient a = raw(); RespClient b = raw()) {
            a.send("SUBSCRIBE", "x", "y");
            a.readText();
            a.readText();
            a.request("PSUBSCRIBE", "x*");
            a.request("SSUBSCRIBE", "sx");
            assertThat(respValue("PUBSUB", "NUMSUB", "x", "y")).isEqualTo(List.of("x", 1L, "y", 1L));
            assertThat(a.request("RESET").text()).isEqualTo("+RESET\r\n");
            assertThat(respValue("PUBSUB", "NUMSUB", "x", "y")).isEqualTo(List.of("x", 0L, "y", 0L));
            assertThat(respValue("PUBSUB", "NUMPAT")).isEqualTo(0L);
            assertThat(respValue("PUBSUB", "SHARDNUMSUB", "sx")).isEqualTo(List.of("sx", 0L));
            assertThat(a.request("GET", "x").text()).isEqualTo("$-1\r\n");

            b.request("SUBSCRIBE", "q");
            assertThat(b.request("QUIT").text()).isEqualTo("+OK\r\n");
            assertThat(waitFor(() -> List.of("q", 0L).equals(respValue("PUBSUB", "NUMSUB", "q")))).isTrue();
        }
    }

    @Test
    void publishInsideMulti() throws Exception {
        try (RespClient sub = raw(); RespClient pub = raw()) {
            sub.request("SUBSCRIBE", "t");
            pub.request("MULTI");
            assertThat(pub.request("PUBLISH", "t", "one").text()).isEqualTo("+QUEUED\r\n");
            pub.request("SPUBLISH", "t", "two");
            assertThat(pub.request("EXEC").text()).isEqualTo("*2\r\n:1\r\n:0\r\n");
            assertThat(sub.readText()).isEqualTo("*3\r\n$7\r\nmessage\r\n$1\r\nt\r\n$3\r\none\r\n");
        }
    }

    /** One publisher, 10,000 messages, two subscribers (on other event loops): both see publish order. */
    @Test
    void messagesArriveInPublishOrder() throws Exception {
        int n = 10_000;
        try (RespClient s1 = raw(); RespClient s2 = raw(); RespClient pub = raw()) {
            s1.request("SUBSCRIBE", "seq");
            s2.request("SUBSCRIBE", "seq");
            StringBuilder pipeline = new StringBuilder();
            for (int i = 0; i < n; i++) {
                String m = Integer.toString(i);
                pipeline.append("*3\r\n$7\r\nPUBLISH\r\n$3\r\nseq\r\n$").append(m.length()).append("\r\n").append(m).append("\r\n");
            }
            pub.sendRaw(pipeline.toString());
            for (int i = 0; i < n; i++) assertThat(pub.readText()).isEqualTo(":2\r\n");
            for (RespClient s : List.of(s1, s2)) {
                for (int i = 0; i < n; i++) {
                    String m = Integer.toString(i);
                    assertThat(s.readText()).isEqualTo("*3\r\n$7\r\nmessage\r\n$3\r\nseq\r\n$" + m.length() + "\r\n" + m + "\r\n");
                }
            }
        }
    }

    @Test
    void pubsubHelpAndErrors() throws Exception {
        assertThat(respValue("PUBSUB", "HELP").toString()).contains("SHARDNUMSUB");
        assertThat(respValue("PUBSUB", "CHANNELS", "a", "b").toString())
                .contains("unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP.");
        assertThat(respValue("SUBSCRIBE").toString()).contains("wrong number of arguments for 'subscribe' command");
    }

    private static boolean waitFor(java.util.function.BooleanSupplier cond) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            if (cond.getAsBoolean()) return true;
            Thread.sleep(20);
        }
        return cond.getAsBoolean();
    }
}
