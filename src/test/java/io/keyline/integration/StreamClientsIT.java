package io.keyline.integration;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XPendingArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.XTrimArgs;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.lettuce.core.models.stream.PendingMessage;
import io.lettuce.core.models.stream.PendingMessages;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XClaimParams;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.params.XTrimParams;
import redis.clients.jedis.resps.StreamConsumersInfo;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamFullInfo;
import redis.clients.jedis.resps.StreamGroupInfo;
import redis.clients.jedis.resps.StreamInfo;
import redis.clients.jedis.resps.StreamPendingEntry;
import redis.clients.jedis.resps.StreamPendingSummary;
import redis.clients.jedis.util.SafeEncoder;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every stream command and its main options through both real clients: Jedis (RESP2) on key {@code j}, Lettuce
 * (RESP3) on key {@code l}, with the same expectations (checked against redis-server). Options a client has no
 * typed API for go through Jedis's sendCommand and Lettuce's dispatch.
 */
class StreamClientsIT extends ServerTestBase {
    private static final Map<String, String> F = Map.of("f", "v");

    private static ProtocolKeyword kw(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        return new ProtocolKeyword() {
            @Override public byte[] getBytes() { return bytes; }
            @Override public String toString() { return name; }
        };
    }

    private Object jcmd(String cmd, String... args) {
        return SafeEncoder.encodeObject(jedis.sendCommand(kw(cmd)::getBytes, args));
    }

    /** The error text of a command Jedis rejects with an exception. */
    private String jerr(String cmd, String... args) {
        try {
            return "unexpected reply " + jcmd(cmd, args);
        } catch (redis.clients.jedis.exceptions.JedisDataException e) {
            return e.getMessage();
        }
    }

    private List<Object> lcmd(String cmd, String... args) {
        CommandArgs<String, String> a = new CommandArgs<>(StringCodec.UTF8);
        for (String s : args) a.add(s);
        return lettuce.dispatch(kw(cmd), new ArrayOutput<>(StringCodec.UTF8), a);
    }

    private String lstatus(String cmd, String... args) {
        CommandArgs<String, String> a = new CommandArgs<>(StringCodec.UTF8);
        for (String s : args) a.add(s);
        return lettuce.dispatch(kw(cmd), new StatusOutput<>(StringCodec.UTF8), a);
    }

    /** Lettuce hands XINFO's map (RESP3) or flat array (RESP2) back as a flat key/value list. */
    private static Map<String, Object> pairs(List<Object> flat) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) m.put(String.valueOf(flat.get(i)), flat.get(i + 1));
        return m;
    }

    private static List<String> jids(List<StreamEntry> entries) {
        return entries.stream().map(e -> e.getID().toString()).toList();
    }

    private static List<String> lids(List<StreamMessage<String, String>> messages) {
        return messages.stream().map(StreamMessage::getId).toList();
    }

    @Test
    void xaddOptions() {
        // explicit, partial (ms-*) and auto IDs
        assertThat(jedis.xadd("j", XAddParams.xAddParams().id("5-1"), F).toString()).isEqualTo("5-1");
        assertThat(jedis.xadd("j", XAddParams.xAddParams().id("5-*"), F).toString()).isEqualTo("5-2");
        assertThat(jedis.xadd("j", XAddParams.xAddParams().id(6), F).toString()).isEqualTo("6-0");
        assertThat(lettuce.xadd("l", new XAddArgs().id("5-1"), F)).isEqualTo("5-1");
        assertThat(lettuce.xadd("l", new XAddArgs().id("5-*"), F)).isEqualTo("5-2");
        assertThat(lettuce.xadd("l", new XAddArgs().id("6"), F)).isEqualTo("6-0");
        assertThat(jedis.xadd("j", XAddParams.xAddParams(), F).getTime()).isGreaterThan(6);
        assertThat(lettuce.xadd("l", F)).matches("\\d{13}-0");
        // NOMKSTREAM: nil and no key
        assertThat(jedis.xadd("jn", XAddParams.xAddParams().noMkStream(), F)).isNull();
        assertThat(lettuce.xadd("ln", new XAddArgs().nomkstream(), F)).isNull();
        assertThat(jedis.exists("jn", "ln")).isZero();
        // MAXLEN = : exact trim to N
        for (String key : List.of("j", "l")) jedis.del(key);
        for (int i = 1; i <= 5; i++) {
            jedis.xadd("j", XAddParams.xAddParams().id(i, 0).maxLen(3).exactTrimming(), F);
            lettuce.xadd("l", new XAddArgs().id(i + "-0").maxlen(3).exactTrimming(), F);
        }
        assertThat(jids(jedis.xrange("j", "-", "+"))).containsExactly("3-0", "4-0", "5-0");
        assertThat(lids(lettuce.xrange("l", Range.create("-", "+")))).containsExactly("3-0", "4-0", "5-0");
        // MINID = : everything below the id goes
        jedis.xadd("j", XAddParams.xAddParams().id(6, 0).minId("5").exactTrimming(), F);
        lettuce.xadd("l", new XAddArgs().id("6-0").minId("5").exactTrimming(), F);
        assertThat(jids(jedis.xrange("j", "-", "+"))).containsExactly("5-0", "6-0");
        assertThat(lids(lettuce.xrange("l", Range.create("-", "+")))).containsExactly("5-0", "6-0");
        // MAXLEN ~ with LIMIT: approximate trimming removes whole nodes only, so a 2-entry node survives
        jedis.xadd("j", XAddParams.xAddParams().id(7, 0).maxLen(1).approximateTrimming().limit(10), F);
        lettuce.xadd("l", new XAddArgs().id("7-0").maxlen(1).approximateTrimming().limit(10), F);
        assertThat(jedis.xlen("j")).isEqualTo(3);
        assertThat(lettuce.xlen("l")).isEqualTo(3);
        // MINID ~
        jedis.xadd("j", XAddParams.xAddParams().id(8, 0).minId("8").approximateTrimming(), F);
        lettuce.xadd("l", new XAddArgs().id("8-0").minId("8").approximateTrimming(), F);
        assertThat(jedis.xlen("j")).isEqualTo(4);
        assertThat(lettuce.xlen("l")).isEqualTo(4);
    }

    @Test
    void rangesLenDelTrim() {
        for (int i = 1; i <= 10; i++) {
            jedis.xadd("j", XAddParams.xAddParams().id(i, 0), Map.of("n", "" + i));
            lettuce.xadd("l", new XAddArgs().id(i + "-0"), Map.of("n", "" + i));
        }
        assertThat(jids(jedis.xrange("j", "(3-0", "+", 2))).containsExactly("4-0", "5-0");
        assertThat(lids(lettuce.xrange("l", Range.create("(3-0", "+"), Limit.from(2)))).containsExactly("4-0", "5-0");
        assertThat(jids(jedis.xrevrange("j", "+", "(8", 5))).containsExactly("10-0", "9-0");
        assertThat(lids(lettuce.xrevrange("l", Range.create("(8", "+"), Limit.from(5)))).containsExactly("10-0", "9-0");
        assertThat(jedis.xrange("j", "2", "2").get(0).getFields()).isEqualTo(Map.of("n", "2"));
        assertThat(lettuce.xrange("l", Range.create("2", "2")).get(0).getBody()).isEqualTo(Map.of("n", "2"));
        assertThat(jedis.xrevrange("j", "(1-0", "-")).isEmpty();
        assertThat(lettuce.xrevrange("l", Range.create("-", "(1-0"))).isEmpty();
        // XDEL counts only existing entries
        assertThat(jedis.xdel("j", new StreamEntryID(1, 0), new StreamEntryID(2, 0), new StreamEntryID(99, 0))).isEqualTo(2);
        assertThat(lettuce.xdel("l", "1-0", "2-0", "99-0")).isEqualTo(2);
        assertThat(jedis.xlen("j")).isEqualTo(8);
        assertThat(lettuce.xlen("l")).isEqualTo(8);
        // XTRIM MAXLEN = / MINID = / MAXLEN ~ LIMIT
        assertThat(jedis.xtrim("j", XTrimParams.xTrimParams().maxLen(6).exactTrimming())).isEqualTo(2);
        assertThat(lettuce.xtrim("l", new XTrimArgs().maxlen(6).exactTrimming())).isEqualTo(2);
        assertThat(jedis.xtrim("j", XTrimParams.xTrimParams().minId("7"))).isEqualTo(2);
        assertThat(lettuce.xtrim("l", new XTrimArgs().minId("7"))).isEqualTo(2);
        assertThat(jedis.xtrim("j", XTrimParams.xTrimParams().maxLen(0).approximateTrimming().limit(2))).isZero(); // the 4-entry node exceeds LIMIT
        assertThat(lettuce.xtrim("l", new XTrimArgs().maxlen(0).approximateTrimming().limit(2))).isZero();
        assertThat(jedis.xtrim("j", 1, false)).isEqualTo(3);
        assertThat(lettuce.xtrim("l", 1)).isEqualTo(3);
        assertThat(jids(jedis.xrange("j", "-", "+"))).containsExactly("10-0");
        assertThat(lids(lettuce.xrange("l", Range.create("-", "+")))).containsExactly("10-0");
        // a node whose entries all fit in LIMIT goes whole; the empty stream key stays
        assertThat(jedis.xtrim("j", XTrimParams.xTrimParams().maxLen(0).approximateTrimming().limit(100))).isEqualTo(1);
        assertThat(lettuce.xtrim("l", new XTrimArgs().maxlen(0).approximateTrimming().limit(100))).isEqualTo(1);
        assertThat(jedis.exists("j", "l")).isEqualTo(2);
        assertThat(jedis.xlen("missing")).isZero();
        assertThat(lettuce.xlen("missing")).isZero();
    }

    @Test
    void xreadCountBlockDollarPlus() throws Exception {
        for (int i = 1; i <= 3; i++) {
            jedis.xadd("j", XAddParams.xAddParams().id(i, 0), F);
            lettuce.xadd("l", new XAddArgs().id(i + "-0"), F);
        }
        var jr = jedis.xread(XReadParams.xReadParams().count(2), Map.of("j", new StreamEntryID(0, 0)));
        assertThat(jr).hasSize(1);
        assertThat(jr.get(0).getKey()).isEqualTo("j");
        assertThat(jids(jr.get(0).getValue())).containsExactly("1-0", "2-0");
        assertThat(lids(lettuce.xread(XReadArgs.Builder.count(2), StreamOffset.from("l", "0")))).containsExactly("1-0", "2-0");
        // "+" reads the last entry
        var jl = jedis.xread(XReadParams.xReadParams(), Map.of("j", StreamEntryID.XREAD_LAST_ENTRY));
        assertThat(jids(jl.get(0).getValue())).containsExactly("3-0");
        assertThat(lids(lettuce.xread(StreamOffset.from("l", "+")))).containsExactly("3-0");
        // non-blocking read past the end: nil (Jedis null, Lettuce empty)
        assertThat(jedis.xread(XReadParams.xReadParams(), Map.of("j", new StreamEntryID(3, 0)))).isNull();
        assertThat(lettuce.xread(StreamOffset.from("l", "3-0"))).isEmpty();
        // BLOCK with a timeout and nothing arriving
        assertThat(jedis.xread(XReadParams.xReadParams().block(50), Map.of("j", StreamEntryID.XREAD_NEW_ENTRY))).isNull();
        assertThat(lettuce.xread(XReadArgs.Builder.block(50), StreamOffset.latest("l"))).isEmpty();
        // BLOCK $ woken by an XADD from another client
        try (Jedis other = newJedis()) {
            CompletableFuture<List<String>> jFuture = CompletableFuture.supplyAsync(() -> {
                try (Jedis j = newJedis()) {
                    return jids(j.xread(XReadParams.xReadParams().block(15_000), Map.of("j", StreamEntryID.XREAD_NEW_ENTRY)).get(0).getValue());
                }
            });
            var lFuture = lettuceConnection.async().xread(XReadArgs.Builder.block(15_000), StreamOffset.latest("l"));
            waitBlocked(2);
            other.xadd("j", XAddParams.xAddParams().id(4, 0), F);
            other.xadd("l", XAddParams.xAddParams().id(4, 0), F);
            assertThat(jFuture.get(15, TimeUnit.SECONDS)).containsExactly("4-0");
            assertThat(lids(lFuture.get(15, TimeUnit.SECONDS))).containsExactly("4-0");
        }
    }

    private void waitBlocked(int n) throws InterruptedException {
        for (int i = 0; i < 1000; i++) { // up to 10 s: the machine is shared
            if (jedis.info("clients").contains("blocked_clients:" + n)) return;
            Thread.sleep(10);
        }
        throw new AssertionError("clients did not block: " + jedis.info("clients"));
    }

    @Test
    void xsetid() {
        jedis.xadd("j", XAddParams.xAddParams().id(1, 0), F);
        lettuce.xadd("l", new XAddArgs().id("1-0"), F);
        assertThat(jcmd("XSETID", "j", "5-0", "ENTRIESADDED", "10", "MAXDELETEDID", "3-0")).isEqualTo("OK");
        assertThat(lstatus("XSETID", "l", "5-0", "ENTRIESADDED", "10", "MAXDELETEDID", "3-0")).isEqualTo("OK");
        StreamInfo info = jedis.xinfoStream("j");
        assertThat(info.getLastGeneratedId().toString()).isEqualTo("5-0");
        assertThat(info.getStreamInfo()).containsEntry("entries-added", 10L).containsEntry("max-deleted-entry-id", new StreamEntryID(3, 0));
        Map<String, Object> l = pairs(lettuce.xinfoStream("l"));
        assertThat(l).containsEntry("last-generated-id", "5-0").containsEntry("entries-added", 10L)
                .containsEntry("max-deleted-entry-id", "3-0");
        assertThat(jerr("XSETID", "j", "0-5")).isEqualTo("ERR The ID specified in XSETID is smaller than the target stream top item");
    }

    @Test
    void groupsLifecycle() {
        // MKSTREAM + ENTRIESREAD
        assertThat(jedis.xgroupCreate("j", "g", new StreamEntryID(0, 0), true)).isEqualTo("OK");
        assertThat(lettuce.xgroupCreate(StreamOffset.from("l", "0"), "g", XGroupCreateArgs.Builder.mkstream())).isEqualTo("OK");
        assertThat(jcmd("XGROUP", "CREATE", "j", "g2", "$", "ENTRIESREAD", "0")).isEqualTo("OK");
        assertThat(lettuce.xgroupCreate(StreamOffset.latest("l"), "g2", new XGroupCreateArgs().entriesRead(0))).isEqualTo("OK");
        assertThat(jerr("XGROUP", "CREATE", "j", "g", "$")).isEqualTo("BUSYGROUP Consumer Group name already exists");
        assertThat(jedis.xgroupCreateConsumer("j", "g", "c1")).isTrue();
        assertThat(jedis.xgroupCreateConsumer("j", "g", "c1")).isFalse();
        assertThat(lettuce.xgroupCreateconsumer("l", Consumer.from("g", "c1"))).isTrue();
        assertThat(lettuce.xgroupCreateconsumer("l", Consumer.from("g", "c1"))).isFalse();
        for (int i = 1; i <= 3; i++) {
            jedis.xadd("j", XAddParams.xAddParams().id(i, 0), F);
            lettuce.xadd("l", new XAddArgs().id(i + "-0"), F);
        }
        jedis.xreadGroup("g", "c1", XReadGroupParams.xReadGroupParams().count(2), Map.of("j", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        lettuce.xreadgroup(Consumer.from("g", "c1"), XReadArgs.Builder.count(2), StreamOffset.lastConsumed("l"));
        // DELCONSUMER returns the pending count it dropped
        assertThat(jedis.xgroupDelConsumer("j", "g", "c1")).isEqualTo(2);
        assertThat(lettuce.xgroupDelconsumer("l", Consumer.from("g", "c1"))).isEqualTo(2);
        // SETID with ENTRIESREAD drives lag
        assertThat(jedis.xgroupSetID("j", "g", new StreamEntryID(1, 0))).isEqualTo("OK");
        assertThat(lettuce.xgroupSetid(StreamOffset.from("l", "1-0"), "g")).isEqualTo("OK");
        assertThat(jcmd("XGROUP", "SETID", "j", "g", "1-0", "ENTRIESREAD", "1")).isEqualTo("OK");
        assertThat(lstatus("XGROUP", "SETID", "l", "g", "1-0", "ENTRIESREAD", "1")).isEqualTo("OK");
        StreamGroupInfo jg = jedis.xinfoGroups("j").stream().filter(g -> g.getName().equals("g")).findFirst().orElseThrow();
        assertThat(jg.getLastDeliveredId().toString()).isEqualTo("1-0");
        assertThat(jg.getConsumers()).isZero();
        assertThat(jg.getPending()).isZero();
        assertThat(jg.getGroupInfo()).containsEntry("entries-read", 1L).containsEntry("lag", 2L);
        @SuppressWarnings("unchecked")
        Map<String, Object> lg = pairs((List<Object>) lettuce.xinfoGroups("l").get(0));
        assertThat(lg).containsEntry("name", "g").containsEntry("consumers", 0L).containsEntry("pending", 0L)
                .containsEntry("last-delivered-id", "1-0").containsEntry("entries-read", 1L).containsEntry("lag", 2L);
        // DESTROY
        assertThat(jedis.xgroupDestroy("j", "g")).isEqualTo(1);
        assertThat(jedis.xgroupDestroy("j", "g")).isZero();
        assertThat(lettuce.xgroupDestroy("l", "g")).isTrue();
        assertThat(lettuce.xgroupDestroy("l", "g")).isFalse();
        assertThat(jedis.xinfoGroups("j")).extracting(StreamGroupInfo::getName).containsExactly("g2");
        assertThat(lettuce.xinfoGroups("l")).hasSize(1);
    }

    @Test
    void readGroupAckPending() throws Exception {
        jedis.xgroupCreate("j", "g", new StreamEntryID(0, 0), true);
        lettuce.xgroupCreate(StreamOffset.from("l", "0"), "g", XGroupCreateArgs.Builder.mkstream());
        for (int i = 1; i <= 4; i++) {
            jedis.xadd("j", XAddParams.xAddParams().id(i, 0), F);
            lettuce.xadd("l", new XAddArgs().id(i + "-0"), F);
        }
        var jr = jedis.xreadGroup("g", "a", XReadGroupParams.xReadGroupParams().count(2), Map.of("j", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        assertThat(jids(jr.get(0).getValue())).containsExactly("1-0", "2-0");
        assertThat(lids(lettuce.xreadgroup(Consumer.from("g", "a"), XReadArgs.Builder.count(2), StreamOffset.lastConsumed("l"))))
                .containsExactly("1-0", "2-0");
        // NOACK: delivered but not pending
        jr = jedis.xreadGroup("g", "b", XReadGroupParams.xReadGroupParams().count(1).noAck(), Map.of("j", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        assertThat(jids(jr.get(0).getValue())).containsExactly("3-0");
        assertThat(lids(lettuce.xreadgroup(Consumer.from("g", "b"), XReadArgs.Builder.count(1).noack(true), StreamOffset.lastConsumed("l"))))
                .containsExactly("3-0");
        // history (an explicit id) re-reads this consumer's pending entries only
        jr = jedis.xreadGroup("g", "a", XReadGroupParams.xReadGroupParams(), Map.of("j", new StreamEntryID(0, 0)));
        assertThat(jids(jr.get(0).getValue())).containsExactly("1-0", "2-0");
        assertThat(lids(lettuce.xreadgroup(Consumer.from("g", "a"), StreamOffset.from("l", "0")))).containsExactly("1-0", "2-0");
        jr = jedis.xreadGroup("g", "b", XReadGroupParams.xReadGroupParams(), Map.of("j", new StreamEntryID(0, 0)));
        assertThat(jr.get(0).getValue()).isEmpty();
        // summary XPENDING
        StreamPendingSummary js = jedis.xpending("j", "g");
        assertThat(js.getTotal()).isEqualTo(2);
        assertThat(js.getMinId().toString()).isEqualTo("1-0");
        assertThat(js.getMaxId().toString()).isEqualTo("2-0");
        assertThat(js.getConsumerMessageCount()).isEqualTo(Map.of("a", 2L));
        PendingMessages ls = lettuce.xpending("l", "g");
        assertThat(ls.getCount()).isEqualTo(2);
        assertThat(ls.getMessageIds().getLower().getValue()).isEqualTo("1-0");
        assertThat(ls.getMessageIds().getUpper().getValue()).isEqualTo("2-0");
        assertThat(ls.getConsumerMessageCount()).isEqualTo(Map.of("a", 2L));
        // extended XPENDING with consumer; delivery count 2 after the history re-read
        List<StreamPendingEntry> je = jedis.xpending("j", "g", XPendingParams.xPendingParams("-", "+", 10).consumer("a"));
        assertThat(je).extracting(e -> e.getID().toString()).containsExactly("1-0", "2-0");
        assertThat(je).allSatisfy(e -> { assertThat(e.getConsumerName()).isEqualTo("a"); assertThat(e.getDeliveredTimes()).isEqualTo(2); });
        List<PendingMessage> le = lettuce.xpending("l", Consumer.from("g", "a"), Range.create("-", "+"), Limit.from(10));
        assertThat(le).extracting(PendingMessage::getId).containsExactly("1-0", "2-0");
        assertThat(le).allSatisfy(e -> assertThat(e.getRedeliveryCount()).isEqualTo(2));
        assertThat(jedis.xpending("j", "g", XPendingParams.xPendingParams("-", "+", 10).consumer("b"))).isEmpty();
        // IDLE filter: nothing has been idle for an hour, everything for >= 0 ms
        assertThat(jedis.xpending("j", "g", XPendingParams.xPendingParams("-", "+", 10).idle(3_600_000))).isEmpty();
        assertThat(jedis.xpending("j", "g", XPendingParams.xPendingParams("-", "+", 10).idle(0))).hasSize(2);
        assertThat(lettuce.xpending("l", new XPendingArgs<String>().group("g").range(Range.create("-", "+")).limit(Limit.from(10)).idle(3_600_000))).isEmpty();
        assertThat(lettuce.xpending("l", new XPendingArgs<String>().group("g").range(Range.create("-", "+")).limit(Limit.from(10)).idle(0))).hasSize(2);
        // IDLE and consumer together
        assertThat(jedis.xpending("j", "g", XPendingParams.xPendingParams("-", "+", 10).idle(0).consumer("a"))).hasSize(2);
        assertThat(jedis.xpending("j", "g", XPendingParams.xPendingParams("-", "+", 10).idle(0).consumer("b"))).isEmpty();
        assertThat(lettuce.xpending("l", new XPendingArgs<String>().group("g").consumer(Consumer.from("g", "a"))
                .range(Range.create("-", "+")).limit(Limit.from(10)).idle(0))).hasSize(2);
        assertThat(lettuce.xpending("l", new XPendingArgs<String>().group("g").consumer(Consumer.from("g", "a"))
                .range(Range.create("-", "+")).limit(Limit.from(10)).idle(3_600_000))).isEmpty();
        // XACK
        assertThat(jedis.xack("j", "g", new StreamEntryID(1, 0), new StreamEntryID(3, 0), new StreamEntryID(9, 0))).isEqualTo(1);
        assertThat(lettuce.xack("l", "g", "1-0", "3-0", "9-0")).isEqualTo(1);
        assertThat(jedis.xpending("j", "g").getTotal()).isEqualTo(1);
        assertThat(lettuce.xpending("l", "g").getCount()).isEqualTo(1);
        // XREADGROUP BLOCK woken by XADD (4-0 goes to "a" first so that "c" has nothing to read and blocks)
        jedis.xreadGroup("g", "a", XReadGroupParams.xReadGroupParams(), Map.of("j", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        lettuce.xreadgroup(Consumer.from("g", "a"), StreamOffset.lastConsumed("l"));
        CompletableFuture<List<String>> jf = CompletableFuture.supplyAsync(() -> {
            try (Jedis j = newJedis()) {
                return jids(j.xreadGroup("g", "c", XReadGroupParams.xReadGroupParams().block(15_000),
                        Map.of("j", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY)).get(0).getValue());
            }
        });
        var lf = lettuceConnection.async().xreadgroup(Consumer.from("g", "c"), XReadArgs.Builder.block(15_000), StreamOffset.lastConsumed("l"));
        waitBlocked(2);
        try (Jedis other = newJedis()) {
            other.xadd("j", XAddParams.xAddParams().id(5, 0), F);
            other.xadd("l", XAddParams.xAddParams().id(5, 0), F);
        }
        assertThat(jf.get(15, TimeUnit.SECONDS)).containsExactly("5-0");
        assertThat(lids(lf.get(15, TimeUnit.SECONDS))).containsExactly("5-0");
    }

    @Test
    void claimAutoclaimAndInfo() {
        for (String key : List.of("j", "l")) {
            jedis.xgroupCreate(key, "g", new StreamEntryID(0, 0), true);
            for (int i = 1; i <= 4; i++) jedis.xadd(key, XAddParams.xAddParams().id(i, 0), F);
            jedis.xreadGroup("g", "a", XReadGroupParams.xReadGroupParams(), Map.of(key, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        }
        // IDLE + RETRYCOUNT
        assertThat(jids(jedis.xclaim("j", "g", "b", 0, XClaimParams.xClaimParams().idle(5000).retryCount(7), new StreamEntryID(1, 0))))
                .containsExactly("1-0");
        assertThat(lids(lettuce.xclaim("l", Consumer.from("g", "b"), new XClaimArgs().minIdleTime(0).idle(5000).retryCount(7), "1-0")))
                .containsExactly("1-0");
        // min-idle-time not reached: nothing claimed
        assertThat(jedis.xclaim("j", "g", "b", 3_600_000, XClaimParams.xClaimParams(), new StreamEntryID(2, 0))).isEmpty();
        assertThat(lettuce.xclaim("l", Consumer.from("g", "b"), 3_600_000, "2-0")).isEmpty();
        // TIME + JUSTID (JUSTID does not count a delivery)
        long past = System.currentTimeMillis() - 10_000;
        assertThat(jedis.xclaimJustId("j", "g", "b", 0, XClaimParams.xClaimParams().time(past), new StreamEntryID(2, 0)))
                .extracting(StreamEntryID::toString).containsExactly("2-0");
        assertThat(lids(lettuce.xclaim("l", Consumer.from("g", "b"), new XClaimArgs().minIdleTime(0).time(past).justid(), "2-0")))
                .containsExactly("2-0");
        // FORCE claims an undelivered entry that exists, and skips an id that does not
        for (String key : List.of("j", "l")) jedis.xadd(key, XAddParams.xAddParams().id(5, 0), F);
        assertThat(jids(jedis.xclaim("j", "g", "b", 0, XClaimParams.xClaimParams().force(), new StreamEntryID(5, 0), new StreamEntryID(99, 0))))
                .containsExactly("5-0");
        assertThat(lids(lettuce.xclaim("l", Consumer.from("g", "b"), new XClaimArgs().minIdleTime(0).force(), "5-0", "99-0")))
                .containsExactly("5-0");
        // LASTID moves the group's last-delivered-id forward (no typed option in either client)
        assertThat(jcmd("XCLAIM", "j", "g", "b", "0", "3-0", "LASTID", "10-0", "JUSTID")).isEqualTo(List.of("3-0"));
        assertThat(lcmd("XCLAIM", "l", "g", "b", "0", "3-0", "LASTID", "10-0", "JUSTID")).isEqualTo(List.of("3-0"));
        assertThat(jedis.xinfoGroups("j").get(0).getLastDeliveredId().toString()).isEqualTo("10-0");
        @SuppressWarnings("unchecked")
        Map<String, Object> lg = pairs((List<Object>) lettuce.xinfoGroups("l").get(0));
        assertThat(lg).containsEntry("last-delivered-id", "10-0").containsEntry("consumers", 2L).containsEntry("pending", 5L);
        // the extended XPENDING shows what the claims did
        List<StreamPendingEntry> je = jedis.xpending("j", "g", XPendingParams.xPendingParams("-", "+", 10));
        assertThat(je).extracting(e -> e.getID() + "/" + e.getConsumerName() + "/" + e.getDeliveredTimes())
                .containsExactly("1-0/b/7", "2-0/b/1", "3-0/b/1", "4-0/a/1", "5-0/b/2"); // FORCE creates the PEL entry (1) and the claim counts a delivery
        assertThat(je.get(0).getIdleTime()).isGreaterThanOrEqualTo(5000);
        assertThat(je.get(1).getIdleTime()).isGreaterThanOrEqualTo(10_000);
        List<PendingMessage> le = lettuce.xpending("l", "g", Range.create("-", "+"), Limit.from(10));
        assertThat(le).extracting(e -> e.getId() + "/" + e.getConsumer() + "/" + e.getRedeliveryCount())
                .containsExactly("1-0/b/7", "2-0/b/1", "3-0/b/1", "4-0/a/1", "5-0/b/2"); // FORCE creates the PEL entry (1) and the claim counts a delivery
        assertThat(le.get(1).getMsSinceLastDelivery()).isGreaterThanOrEqualTo(10_000);
        // XAUTOCLAIM: COUNT and cursor, then JUSTID and the deleted-ids list
        jedis.xdel("j", new StreamEntryID(3, 0));
        lettuce.xdel("l", "3-0");
        var ja = jedis.xautoclaim("j", "g", "c", 0, new StreamEntryID(0, 0), XAutoClaimParams.xAutoClaimParams().count(2));
        assertThat(ja.getKey().toString()).isEqualTo("3-0");
        assertThat(jids(ja.getValue())).containsExactly("1-0", "2-0");
        ClaimedMessages<String, String> la = lettuce.xautoclaim("l", new XAutoClaimArgs<String>().consumer(Consumer.from("g", "c"))
                .minIdleTime(0).startId("0-0").count(2));
        assertThat(la.getId()).isEqualTo("3-0");
        assertThat(lids(la.getMessages())).containsExactly("1-0", "2-0");
        var jj = jedis.xautoclaimJustId("j", "g", "c", 0, new StreamEntryID(0, 0), XAutoClaimParams.xAutoClaimParams().count(10));
        assertThat(jj.getKey().toString()).isEqualTo("0-0");
        assertThat(jj.getValue()).extracting(StreamEntryID::toString).containsExactly("1-0", "2-0", "4-0", "5-0");
        assertThat(jcmd("XAUTOCLAIM", "j", "g", "c", "0", "0-0", "JUSTID"))
                .isEqualTo(List.of("0-0", List.of("1-0", "2-0", "4-0", "5-0"), List.of()));
        assertThat(lcmd("XAUTOCLAIM", "l", "g", "c", "0", "0-0", "COUNT", "10", "JUSTID"))
                .isEqualTo(List.of("0-0", List.of("1-0", "2-0", "4-0", "5-0"), List.of("3-0")));
        // XINFO STREAM
        StreamInfo js = jedis.xinfoStream("j");
        assertThat(js.getLength()).isEqualTo(4);
        assertThat(js.getGroups()).isEqualTo(1);
        assertThat(js.getLastGeneratedId().toString()).isEqualTo("5-0");
        assertThat(js.getFirstEntry().getID().toString()).isEqualTo("1-0");
        assertThat(js.getLastEntry().getID().toString()).isEqualTo("5-0");
        assertThat(js.getStreamInfo()).containsEntry("entries-added", 5L).containsEntry("recorded-first-entry-id", new StreamEntryID(1, 0))
                .containsEntry("max-deleted-entry-id", new StreamEntryID(3, 0));
        Map<String, Object> ls = pairs(lettuce.xinfoStream("l"));
        assertThat(ls).containsEntry("length", 4L).containsEntry("groups", 1L).containsEntry("last-generated-id", "5-0")
                .containsEntry("entries-added", 5L).containsEntry("recorded-first-entry-id", "1-0")
                .containsEntry("max-deleted-entry-id", "3-0").containsEntry("first-entry", List.of("1-0", List.of("f", "v")))
                .containsEntry("last-entry", List.of("5-0", List.of("f", "v")));
        // XINFO STREAM FULL [COUNT]
        StreamFullInfo jf = jedis.xinfoStreamFull("j", 1);
        assertThat(jf.getLength()).isEqualTo(4);
        assertThat(jids(jf.getEntries())).containsExactly("1-0");
        assertThat(jf.getGroups()).hasSize(1);
        assertThat(jf.getGroups().get(0).getName()).isEqualTo("g");
        assertThat(jf.getGroups().get(0).getPelCount()).isEqualTo(4);
        assertThat(jf.getGroups().get(0).getPending()).hasSize(1);
        assertThat(jf.getGroups().get(0).getConsumers()).hasSize(3);
        assertThat(jids(jedis.xinfoStreamFull("j").getEntries())).containsExactly("1-0", "2-0", "4-0", "5-0");
        Map<String, Object> lf = pairs(lcmd("XINFO", "STREAM", "l", "FULL", "COUNT", "1"));
        assertThat(lf).containsEntry("length", 4L).containsEntry("entries", List.of(List.of("1-0", List.of("f", "v"))));
        @SuppressWarnings("unchecked")
        Map<String, Object> lfg = pairs((List<Object>) ((List<Object>) lf.get("groups")).get(0));
        assertThat(lfg).containsEntry("name", "g").containsEntry("pel-count", 4L).containsEntry("last-delivered-id", "10-0");
        assertThat((List<?>) lfg.get("pending")).hasSize(1);
        assertThat((List<?>) lfg.get("consumers")).hasSize(3);
        // XINFO CONSUMERS
        List<StreamConsumersInfo> jc = jedis.xinfoConsumers("j", "g");
        assertThat(jc).extracting(c -> c.getName() + "/" + c.getPending()).containsExactly("a/0", "b/0", "c/4");
        assertThat(jc).allSatisfy(c -> assertThat(c.getIdle()).isGreaterThanOrEqualTo(0));
        List<Object> lc = lettuce.xinfoConsumers("l", "g");
        assertThat(lc).hasSize(3);
        @SuppressWarnings("unchecked")
        Map<String, Object> lc3 = pairs((List<Object>) lc.get(2));
        // "inactive" is 7.2 (Keyline follows 7.2; Debian's 7.0.15 lacks the field)
        assertThat(lc3).containsEntry("name", "c").containsEntry("pending", 4L).containsKeys("idle", "inactive");
    }

    /** The error text Lettuce surfaces for a rejected command. */
    private static String lerr(Runnable call) {
        try {
            call.run();
            return "no error";
        } catch (io.lettuce.core.RedisCommandExecutionException e) {
            return e.getMessage();
        }
    }

    @Test
    void errorTextsThroughBothClients() {
        String needKey = "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use "
                + "the MKSTREAM option to create an empty stream automatically.";
        assertThat(jerr("XGROUP", "CREATE", "j", "g", "$")).isEqualTo(needKey);
        assertThat(lerr(() -> lettuce.xgroupCreate(StreamOffset.latest("l"), "g"))).isEqualTo(needKey);
        jedis.xadd("j", XAddParams.xAddParams().id(1, 0), F);
        lettuce.xadd("l", new XAddArgs().id("1-0"), F);
        assertThat(jerr("XREADGROUP", "GROUP", "nog", "c", "STREAMS", "j", ">"))
                .isEqualTo("NOGROUP No such key 'j' or consumer group 'nog' in XREADGROUP with GROUP option");
        assertThat(lerr(() -> lettuce.xreadgroup(Consumer.from("nog", "c"), StreamOffset.lastConsumed("l"))))
                .isEqualTo("NOGROUP No such key 'l' or consumer group 'nog' in XREADGROUP with GROUP option");
        assertThat(jerr("XCLAIM", "j", "nog", "c", "0", "1-0")).isEqualTo("NOGROUP No such key 'j' or consumer group 'nog'");
        assertThat(lerr(() -> lettuce.xclaim("l", Consumer.from("nog", "c"), 0, "1-0")))
                .isEqualTo("NOGROUP No such key 'l' or consumer group 'nog'");
        assertThat(jerr("XINFO", "CONSUMERS", "j", "nog")).isEqualTo("NOGROUP No such consumer group 'nog' for key name 'j'");
        assertThat(lerr(() -> lettuce.xinfoConsumers("l", "nog"))).isEqualTo("NOGROUP No such consumer group 'nog' for key name 'l'");
        assertThat(lerr(() -> lettuce.xgroupSetid(StreamOffset.from("l", "0"), "nog")))
                .isEqualTo("NOGROUP No such consumer group 'nog' for key name 'l'");
        assertThat(jerr("XINFO", "STREAM", "nokey")).isEqualTo("ERR no such key");
        assertThat(lerr(() -> lettuce.xinfoStream("nokey"))).isEqualTo("ERR no such key");
        assertThat(lerr(() -> lstatus("XSETID", "l", "0-5")))
                .isEqualTo("ERR The ID specified in XSETID is smaller than the target stream top item");
    }
}
