package io.keyline.integration;

import io.keyline.testkit.RespClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Blocking XREADGROUP with several consumers of one group: clients are served in the order they
 * blocked, as in Redis (a client woken with nothing left for it stays blocked in its place; a client
 * that blocks again after being served queues behind the others). Each consumer has its own
 * connection; who was served is read from that connection, who was not from {@code blocked_clients}.
 */
class StreamBlockingFairnessIT extends ServerTestBase {
    private final List<RespClient> clients = new ArrayList<>();

    @AfterEach
    void closeConsumers() throws IOException {
        for (RespClient c : clients) c.close();
        clients.clear();
    }

    private RespClient consumer() throws IOException {
        RespClient c = new RespClient(port()).timeout(Duration.ofSeconds(10));
        clients.add(c);
        return c;
    }

    private long blocked() {
        String info = jedis.info("clients");
        int at = info.indexOf("blocked_clients:") + "blocked_clients:".length();
        return Long.parseLong(info.substring(at, info.indexOf('\r', at)).trim());
    }

    private void awaitBlocked(long n) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            if (blocked() == n) return;
            Thread.sleep(10);
        }
        throw new AssertionError("expected " + n + " blocked clients, " + jedis.info("clients"));
    }

    /** Sends a blocking XREADGROUP and waits until the server has it blocked (so the order is known). */
    private void block(RespClient c, String name, long alreadyBlocked, String... count) throws Exception {
        List<String> argv = new ArrayList<>(List.of("XREADGROUP", "GROUP", "g", name));
        argv.addAll(List.of(count));
        argv.addAll(List.of("BLOCK", "0", "STREAMS", "q", ">"));
        c.send(argv.toArray(new String[0]));
        awaitBlocked(alreadyBlocked + 1);
    }

    private static List<Object> reply(String... ids) {
        List<Object> entries = new ArrayList<>();
        for (String id : ids) entries.add(List.of(id, List.of("n", id)));
        return List.of(List.of("q", entries));
    }

    @Test
    void oneEntryAtATimeGoesToTheConsumersInTheOrderTheyBlocked() throws Exception {
        jedis.sendCommand(() -> "XGROUP".getBytes(), "CREATE", "q", "g", "$", "MKSTREAM");
        int n = 5;
        List<RespClient> cs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RespClient c = consumer();
            block(c, "c" + i, i);
            cs.add(c);
        }
        for (int i = 1; i <= n; i++) {
            String id = i + "-0";
            jedis.sendCommand(() -> "XADD".getBytes(), "q", id, "n", id);
            assertThat(cs.get(i - 1).read().toJava()).as("consumer c%d, blocked %d-th", i - 1, i).isEqualTo(reply(id));
            awaitBlocked(n - i); // everyone behind is still waiting
        }
        // the group's PEL records who got what
        List<?> pending = (List<?>) consumer().value("XPENDING", "q", "g", "-", "+", "10");
        assertThat(pending).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(((List<?>) pending.get(i)).subList(0, 2)).isEqualTo(List.of((i + 1) + "-0", "c" + i));
        }
    }

    @Test
    void entriesArrivingTogetherAreSharedOutInBlockingOrder() throws Exception {
        jedis.sendCommand(() -> "XGROUP".getBytes(), "CREATE", "q", "g", "$", "MKSTREAM");
        List<RespClient> cs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            RespClient c = consumer();
            block(c, "c" + i, i, "COUNT", "1");
            cs.add(c);
        }
        // One transaction, one wake-up: each consumer (COUNT 1) takes the next entry, in blocking order.
        RespClient tx = consumer();
        tx.request("MULTI");
        for (int i = 1; i <= 3; i++) tx.request("XADD", "q", i + "-0", "n", i + "-0");
        assertThat(tx.request("EXEC").toJava()).isEqualTo(List.of("1-0", "2-0", "3-0"));
        for (int i = 0; i < 3; i++) assertThat(cs.get(i).read().toJava()).isEqualTo(reply((i + 1) + "-0"));
        awaitBlocked(1); // c3 found nothing left and still waits
        jedis.sendCommand(() -> "XADD".getBytes(), "q", "4-0", "n", "4-0");
        assertThat(cs.get(3).read().toJava()).isEqualTo(reply("4-0"));
        awaitBlocked(0);

        // Without COUNT the first consumer takes everything that arrived; the others keep waiting.
        RespClient a = consumer();
        RespClient b = consumer();
        block(a, "a", 0);
        block(b, "b", 1);
        tx.request("MULTI");
        tx.request("XADD", "q", "5-0", "n", "5-0");
        tx.request("XADD", "q", "6-0", "n", "6-0");
        tx.request("EXEC");
        assertThat(a.read().toJava()).isEqualTo(reply("5-0", "6-0"));
        awaitBlocked(1);
        jedis.sendCommand(() -> "XADD".getBytes(), "q", "7-0", "n", "7-0");
        assertThat(b.read().toJava()).isEqualTo(reply("7-0"));
    }

    @Test
    void aServedConsumerThatBlocksAgainQueuesBehindTheOthers() throws Exception {
        jedis.sendCommand(() -> "XGROUP".getBytes(), "CREATE", "q", "g", "$", "MKSTREAM");
        RespClient c0 = consumer();
        RespClient c1 = consumer();
        block(c0, "c0", 0);
        block(c1, "c1", 1);
        jedis.sendCommand(() -> "XADD".getBytes(), "q", "1-0", "n", "1-0");
        assertThat(c0.read().toJava()).isEqualTo(reply("1-0"));
        awaitBlocked(1);
        block(c0, "c0", 1); // c0 now waits behind c1
        jedis.sendCommand(() -> "XADD".getBytes(), "q", "2-0", "n", "2-0");
        assertThat(c1.read().toJava()).isEqualTo(reply("2-0"));
        awaitBlocked(1);
        jedis.sendCommand(() -> "XADD".getBytes(), "q", "3-0", "n", "3-0");
        assertThat(c0.read().toJava()).isEqualTo(reply("3-0"));
        awaitBlocked(0);
    }

    @Test
    void aPlainXreadBlockedBetweenConsumersTakesNothingFromThem() throws Exception {
        jedis.sendCommand(() -> "XGROUP".getBytes(), "CREATE", "q", "g", "$", "MKSTREAM");
        RespClient c0 = consumer();
        RespClient reader = consumer();
        RespClient c1 = consumer();
        block(c0, "c0", 0);
        reader.send("XREAD", "BLOCK", "0", "STREAMS", "q", "$");
        awaitBlocked(2);
        block(c1, "c1", 2);
        jedis.sendCommand(() -> "XADD".getBytes(), "q", "1-0", "n", "1-0");
        // XREAD does not consume: the reader sees the entry and so does the first consumer; c1 waits.
        assertThat(c0.read().toJava()).isEqualTo(reply("1-0"));
        assertThat(reader.read().toJava()).isEqualTo(reply("1-0"));
        awaitBlocked(1);
        jedis.sendCommand(() -> "XADD".getBytes(), "q", "2-0", "n", "2-0");
        assertThat(c1.read().toJava()).isEqualTo(reply("2-0"));
    }
}
