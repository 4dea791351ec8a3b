package io.keyline.pubsub;

import io.keyline.session.Client;
import io.keyline.session.Connection;
import io.keyline.store.Keyspace;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import static org.assertj.core.api.Assertions.assertThat;

class PubSubTest {
    private final Keyspace keyspace = new Keyspace(1);
    private final PubSub ps = new PubSub();

    /** A client whose connection records what it is sent, as text. */
    private static final class Recorder implements Connection {
        final List<String> got = new ArrayList<>();

        @Override
        public String remoteAddress() {
            return "";
        }

        @Override
        public String localAddress() {
            return "";
        }

        @Override
        public Executor executor() {
            return Runnable::run;
        }

        @Override
        public void writeFromAnyThread(ByteBuf data) {
            got.add(data.toString(StandardCharsets.UTF_8));
            data.release();
        }

        @Override
        public void close() {
        }

        @Override
        public void resume() {
        }

        @Override
        public int fd() {
            return 0;
        }
    }

    private Client client(long id, Recorder r) {
        Client c = new Client(keyspace, () -> false, id);
        c.connection(r);
        return c;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void countsAndFlagsFollowSubscriptions() {
        Client c = client(1, new Recorder());
        assertThat(ps.subscribe(c, PubSub.Kind.CHANNEL, b("a"))).isEqualTo(1);
        assertThat(ps.subscribe(c, PubSub.Kind.CHANNEL, b("a"))).isEqualTo(1); // twice is once
        assertThat(ps.subscribe(c, PubSub.Kind.PATTERN, b("a*"))).isEqualTo(2);
        assertThat(ps.subscribe(c, PubSub.Kind.SHARD, b("s"))).isEqualTo(1); // shard channels count apart
        assertThat(c.pubsub()).isTrue();
        assertThat(c.subscribedChannels()).isEqualTo(1);
        assertThat(c.subscribedPatterns()).isEqualTo(1);
        assertThat(c.subscribedShardChannels()).isEqualTo(1);
        assertThat(ps.clientCount()).isEqualTo(1);
        assertThat(ps.unsubscribe(c, PubSub.Kind.CHANNEL, b("nope"))).isEqualTo(2);
        ps.removeClient(c);
        assertThat(c.pubsub()).isFalse();
        assertThat(ps.channelCount() + ps.patternCount() + ps.shardChannelCount() + ps.clientCount()).isZero();
    }

    @Test
    void publishCountsEveryReceiverAndFormatsPerProtocol() {
        Recorder r2 = new Recorder();
        Recorder r3 = new Recorder();
        Client resp2 = client(1, r2);
        Client resp3 = client(2, r3);
        resp3.protocol(3);
        ps.subscribe(resp2, PubSub.Kind.CHANNEL, b("news"));
        ps.subscribe(resp2, PubSub.Kind.PATTERN, b("n[e]ws"));
        ps.subscribe(resp3, PubSub.Kind.CHANNEL, b("news"));
        assertThat(ps.publish(b("news"), b("hi"))).isEqualTo(3);
        assertThat(ps.publish(b("other"), b("hi"))).isZero();
        assertThat(ps.publishShard(b("news"), b("hi"))).isZero();
        assertThat(r2.got).containsExactly("*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n",
                "*4\r\n$8\r\npmessage\r\n$6\r\nn[e]ws\r\n$4\r\nnews\r\n$2\r\nhi\r\n");
        assertThat(r3.got).containsExactly(">3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n");
        assertThat(ps.subscriberCount(PubSub.Kind.CHANNEL, b("news"))).isEqualTo(2);
        assertThat(ps.channels(PubSub.Kind.CHANNEL, b("n*"))).hasSize(1);
        ps.removeClient(resp2);
        assertThat(ps.subscriberCount(PubSub.Kind.CHANNEL, b("news"))).isEqualTo(1);
        assertThat(ps.patternCount()).isZero();
    }

    @Test
    void nobodySubscribedIsCheap() {
        assertThat(ps.publish(b("x"), b("y"))).isZero();
        assertThat(ps.publishShard(b("x"), b("y"))).isZero();
    }
}
