package io.keyline.integration;

import io.lettuce.core.Consumer;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Stream commands through Jedis (RESP2), Lettuce (RESP3) and raw RESP, with Redis's error texts. */
class StreamCommandsIT extends ServerTestBase {
    private static final String WRONGTYPE = "!WRONGTYPE Operation against a key holding the wrong kind of value";

    private Object call(String... argv) {
        return respValue(argv);
    }

    @Test
    void xaddIdsAndErrors() {
        assertThat(jedis.xadd("s", new StreamEntryID(1, 1), Map.of("a", "1"))).isEqualTo(new StreamEntryID(1, 1));
        assertThat(call("XADD", "s", "1-*", "b", "2")).isEqualTo("1-2");
        assertThat(call("XADD", "s", "2", "c", "3")).isEqualTo("2-0");
        assertThat(lettuce.xadd("s", new XAddArgs().id("3-0"), Map.of("d", "4"))).isEqualTo("3-0");
        String auto = lettuce.xadd("s", Map.of("e", "5"));
        assertThat(auto).matches("\\d+-0");
        assertThat(call("XADD", "s", "1-5", "x", "y"))
                .isEqualTo("!ERR The ID specified in XADD is equal or smaller than the target stream top item");
        assertThat(call("XADD", "s", "0-0", "x", "y")).isEqualTo("!ERR The ID specified in XADD must be greater than 0-0");
        assertThat(call("XADD", "s", "*", "x")).isEqualTo("!ERR wrong number of arguments for 'xadd' command");
        assertThat(call("XADD", "s", "abc", "x", "y")).isEqualTo("!ERR Invalid stream ID specified as stream command argument");
        assertThat(call("XADD", "s", "LIMIT", "1", "*", "x", "y"))
                .isEqualTo("!ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
        assertThat(call("XADD", "s", "MAXLEN", "1", "LIMIT", "1", "*", "x", "y"))
                .isEqualTo("!ERR syntax error, LIMIT cannot be used without the special ~ option");
        assertThat(call("XADD", "s", "MAXLEN", "-1", "*", "x", "y")).isEqualTo("!ERR The MAXLEN argument must be >= 0.");
        assertThat(call("XADD", "nos", "NOMKSTREAM", "*", "x", "y")).isNull();
        assertThat(jedis.exists("nos")).isFalse();
        assertThat(jedis.xlen("s")).isEqualTo(5);
        assertThat(jedis.type("s")).isEqualTo("stream");
        assertThat(call("OBJECT", "ENCODING", "s")).isEqualTo("stream");
        jedis.set("str", "x");
        assertThat(call("XADD", "str", "*", "a", "b")).isEqualTo(WRONGTYPE);
        assertThat(call("XLEN", "str")).isEqualTo(WRONGTYPE);
        assertThat(call("LPUSH", "s", "x")).isEqualTo(WRONGTYPE);
        assertThat(call("GET", "s")).isEqualTo(WRONGTYPE);
    }

    @Test
    void rangesTrimAndDelete() {
        for (int i = 1; i <= 10; i++) call("XADD", "s", i + "-1", "f", "v" + i);
        List<StreamEntry> all = jedis.xrange("s", "-", "+");
        assertThat(all).hasSize(10);
        assertThat(all.get(0).getFields()).isEqualTo(Map.of("f", "v1"));
        List<StreamMessage<String, String>> some = lettuce.xrange("s", Range.create("3", "5"));
        assertThat(some).extracting(StreamMessage::getId).containsExactly("3-1", "4-1", "5-1");
        assertThat(call("XRANGE", "s", "(3-1", "+", "COUNT", "2")).isEqualTo(List.of(
                List.of("4-1", List.of("f", "v4")), List.of("5-1", List.of("f", "v5"))));
        assertThat(call("XREVRANGE", "s", "+", "(8-1", "COUNT", "1")).isEqualTo(List.of(List.of("10-1", List.of("f", "v10"))));
        assertThat(call("XRANGE", "s", "(18446744073709551615-18446744073709551615", "+"))
                .isEqualTo("!ERR invalid start ID for the interval");
        assertThat(call("XRANGE", "s", "-", "(0-0")).isEqualTo("!ERR invalid end ID for the interval");
        assertThat(jedis.xdel("s", new StreamEntryID(2, 1), new StreamEntryID(99, 0))).isEqualTo(1);
        assertThat(call("XTRIM", "s", "MAXLEN", "5")).isEqualTo(4L);
        assertThat(call("XTRIM", "s", "MINID", "8")).isEqualTo(2L);
        assertThat(call("XTRIM", "s", "MAXLEN", "~", "1")).isEqualTo(0L); // whole nodes only (the one node must stay)
        assertThat(call("XTRIM", "s", "FOO", "1")).isEqualTo("!ERR syntax error");
        assertThat(call("XTRIM", "s", "LIMIT", "1")).isEqualTo("!ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
        assertThat(jedis.xlen("s")).isEqualTo(3);
        assertThat(call("XSETID", "s", "1-0")).isEqualTo("!ERR The ID specified in XSETID is smaller than the target stream top item");
        assertThat(call("XSETID", "s", "100-0", "ENTRIESADDED", "1"))
                .isEqualTo("!ERR The entries_added specified in XSETID is smaller than the target stream length");
        assertThat(call("XSETID", "s", "100-0", "ENTRIESADDED", "50", "MAXDELETEDID", "90-0")).isEqualTo("OK");
        assertThat(call("XSETID", "nokey", "1-0")).isEqualTo("!ERR no such key");
        @SuppressWarnings("unchecked")
        List<Object> info = (List<Object>) call("XINFO", "STREAM", "s");
        assertThat(info.subList(0, 2)).containsExactly("length", 3L);
        assertThat(info).containsSequence("last-generated-id", "100-0", "max-deleted-entry-id", "90-0", "entries-added", 50L);
        // empty streams stay
        call("XTRIM", "s", "MAXLEN", "0");
        assertThat(jedis.exists("s")).isTrue();
        assertThat(jedis.xlen("s")).isZero();
    }

    @Test
    void consumerGroupsPendingClaimAndLag() {
        for (int i = 1; i <= 5; i++) call("XADD", "s", i + "-0", "f", "v" + i);
        assertThat(jedis.xgroupCreate("s", "g", new StreamEntryID(0, 0), false)).isEqualTo("OK");
        assertThat(call("XGROUP", "CREATE", "s", "g", "0")).isEqualTo("!BUSYGROUP Consumer Group name already exists");
        assertThat(call("XGROUP", "CREATE", "nokey", "g", "0")).asString().startsWith("!ERR The XGROUP subcommand requires the key to exist");
        assertThat(call("XGROUP", "CREATE", "s", "g2", "$", "ENTRIESREAD", "-3"))
                .isEqualTo("!ERR value for ENTRIESREAD must be positive or -1");
        List<StreamMessage<String, String>> read = lettuce.xreadgroup(Consumer.from("g", "c1"),
                XReadArgs.Builder.count(2), XReadArgs.StreamOffset.lastConsumed("s"));
        assertThat(read).extracting(StreamMessage::getId).containsExactly("1-0", "2-0");
        assertThat(call("XPENDING", "s", "g")).isEqualTo(List.of(2L, "1-0", "2-0", List.of(List.of("c1", "2"))));
        assertThat(lettuce.xack("s", "g", "1-0", "9-0")).isEqualTo(1);
        assertThat(jedis.xpending("s", "g").getTotal()).isEqualTo(1);
        @SuppressWarnings("unchecked")
        List<Object> groups = (List<Object>) call("XINFO", "GROUPS", "s");
        assertThat((List<Object>) groups.get(0)).containsSequence("last-delivered-id", "2-0", "entries-read", 2L, "lag", 3L);
        // history read
        assertThat(call("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", "0"))
                .isEqualTo(List.of(List.of("s", List.of(List.of("2-0", List.of("f", "v2"))))));
        // claim to c2, then autoclaim to c3
        assertThat(call("XCLAIM", "s", "g", "c2", "0", "2-0", "JUSTID")).isEqualTo(List.of("2-0"));
        assertThat(call("XAUTOCLAIM", "s", "g", "c3", "0", "0", "COUNT", "10", "JUSTID"))
                .isEqualTo(List.of("0-0", List.of("2-0"), List.of()));
        @SuppressWarnings("unchecked")
        List<Object> ext = (List<Object>) call("XPENDING", "s", "g", "-", "+", "10");
        assertThat(((List<?>) ext.get(0)).subList(0, 2)).isEqualTo(List.of("2-0", "c3"));
        // deleted entries are dropped from the PEL by XAUTOCLAIM
        jedis.xdel("s", new StreamEntryID(2, 0));
        assertThat(call("XAUTOCLAIM", "s", "g", "c3", "0", "0")).isEqualTo(List.of("0-0", List.of(), List.of("2-0")));
        assertThat(call("XGROUP", "CREATECONSUMER", "s", "g", "c9")).isEqualTo(1L);
        assertThat(call("XGROUP", "CREATECONSUMER", "s", "g", "c9")).isEqualTo(0L);
        assertThat(call("XGROUP", "DELCONSUMER", "s", "g", "c9")).isEqualTo(0L);
        assertThat(call("XGROUP", "SETID", "s", "g", "$")).isEqualTo("OK");
        assertThat(call("XREADGROUP", "GROUP", "nog", "c", "STREAMS", "s", ">"))
                .isEqualTo("!NOGROUP No such key 's' or consumer group 'nog' in XREADGROUP with GROUP option");
        assertThat(call("XPENDING", "s", "nog")).isEqualTo("!NOGROUP No such key 's' or consumer group 'nog'");
        assertThat(call("XGROUP", "DESTROY", "s", "g")).isEqualTo(1L);
        assertThat(call("XGROUP", "DESTROY", "s", "g")).isEqualTo(0L);
    }

    @Test
    void xreadNonBlocking() {
        call("XADD", "a", "1-0", "x", "1");
        call("XADD", "b", "2-0", "y", "2");
        assertThat(call("XREAD", "COUNT", "1", "STREAMS", "a", "b", "0", "0")).isEqualTo(List.of(
                List.of("a", List.of(List.of("1-0", List.of("x", "1")))),
                List.of("b", List.of(List.of("2-0", List.of("y", "2"))))));
        assertThat(call("XREAD", "STREAMS", "a", "$")).isNull();
        assertThat(call("XREAD", "STREAMS", "a", "b", "0"))
                .isEqualTo("!ERR Unbalanced 'xread' list of streams: for each stream key an ID or '$' must be specified.");
        assertThat(call("XREAD", "STREAMS", "a", ">"))
                .isEqualTo("!ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.");
        List<StreamMessage<String, String>> r = lettuce.xread(XReadArgs.StreamOffset.from("a", "0"));
        assertThat(r).extracting(StreamMessage::getBody).containsExactly(Map.of("x", "1"));
    }

    @Test
    void blockingReadsAreWokenInArrivalOrderAndReleasedWithErrors() throws Exception {
        call("XGROUP", "CREATE", "q", "g", "$", "MKSTREAM");
        int consumers = 4;
        List<String> got = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(consumers);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < consumers; i++) {
            String name = "c" + i;
            Thread t = new Thread(() -> {
                try (Jedis j = new Jedis("127.0.0.1", keyline.port(), 10_000)) {
                    Object reply = j.sendCommand(() -> "XREADGROUP".getBytes(), "GROUP", "g", name, "COUNT", "1",
                            "BLOCK", "5000", "STREAMS", "q", ">");
                    got.add(name + "=" + String.valueOf(redis.clients.jedis.util.SafeEncoder.encodeObject(reply)));
                } finally {
                    done.countDown();
                }
            });
            t.start();
            threads.add(t);
            awaitBlocked(i + 1);
        }
        for (int i = 1; i <= consumers; i++) call("XADD", "q", i + "-0", "n", Integer.toString(i));
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        // each consumer got exactly one entry, the first to block the first entry
        assertThat(got).hasSize(consumers);
        assertThat(got).anySatisfy(s -> assertThat(s).startsWith("c0=").contains("1-0"));
        assertThat(call("XPENDING", "q", "g")).asList().first().isEqualTo((long) consumers);

        // XREAD with $ is woken by a later XADD only
        List<Object> xread = new CopyOnWriteArrayList<>();
        Thread t = new Thread(() -> {
            try (Jedis j = new Jedis("127.0.0.1", keyline.port(), 10_000)) {
                xread.add(redis.clients.jedis.util.SafeEncoder.encodeObject(
                        j.sendCommand(() -> "XREAD".getBytes(), "BLOCK", "5000", "STREAMS", "q", "$")));
            }
        });
        t.start();
        awaitBlocked(1);
        call("XADD", "q", "10-0", "late", "1");
        t.join(5000);
        assertThat(xread).hasSize(1);
        assertThat(xread.get(0).toString()).contains("10-0").doesNotContain("4-0");

        // group destroyed / key deleted while blocked
        call("XGROUP", "SETID", "q", "g", "$");
        List<String> errors = new CopyOnWriteArrayList<>();
        Thread t2 = new Thread(() -> {
            try (Jedis j = new Jedis("127.0.0.1", keyline.port(), 10_000)) {
                j.sendCommand(() -> "XREADGROUP".getBytes(), "GROUP", "g", "cx", "BLOCK", "5000", "STREAMS", "q", ">");
            } catch (Exception e) {
                errors.add(e.getMessage());
            }
        });
        t2.start();
        awaitBlocked(1);
        call("XGROUP", "DESTROY", "q", "g");
        t2.join(5000);
        assertThat(errors).containsExactly("NOGROUP the consumer group this client was blocked on no longer exists");
        call("XGROUP", "CREATE", "q", "g", "$");
        Thread t3 = new Thread(() -> {
            try (Jedis j = new Jedis("127.0.0.1", keyline.port(), 10_000)) {
                j.sendCommand(() -> "XREADGROUP".getBytes(), "GROUP", "g", "cx", "BLOCK", "5000", "STREAMS", "q", ">");
            } catch (Exception e) {
                errors.add(e.getMessage());
            }
        });
        t3.start();
        awaitBlocked(1);
        jedis.del("q");
        t3.join(5000);
        assertThat(errors).last().isEqualTo("UNBLOCKED the stream key no longer exists");
        // timeout: null reply
        assertThat(call("XREAD", "BLOCK", "50", "STREAMS", "none", "$")).isNull();
        for (Thread th : threads) th.join(1000);
    }

    private void awaitBlocked(int n) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            String info = jedis.info("clients");
            if (info.contains("blocked_clients:" + n)) return;
            Thread.sleep(10);
        }
        throw new AssertionError("clients did not block: " + jedis.info("clients"));
    }

    @Test
    void genericKeyCommandsWorkOnStreams() {
        call("XADD", "s", "1-0", "a", "b");
        call("XGROUP", "CREATE", "s", "g", "0");
        assertThat(call("COPY", "s", "c")).isEqualTo(1L);
        call("XADD", "s", "2-0", "a", "b");
        assertThat(jedis.xlen("c")).isEqualTo(1);
        assertThat(call("XINFO", "GROUPS", "c")).asList().hasSize(1);
        assertThat(call("RENAME", "c", "d")).isEqualTo("OK");
        assertThat(call("SCAN", "0", "TYPE", "stream")).asList().last().asList().containsExactlyInAnyOrder("s", "d");
        assertThat((Long) call("MEMORY", "USAGE", "s")).isPositive();
        assertThat(String.valueOf(call("DEBUG", "DIGEST-VALUE", "d"))).isNotEqualTo("[0000000000000000000000000000000000000000]")
                .isEqualTo(String.valueOf(call("DEBUG", "DIGEST-VALUE", "d")));
        assertThat(call("XGROUP", "HELP")).asList().first().isEqualTo(
                "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
    }
}
