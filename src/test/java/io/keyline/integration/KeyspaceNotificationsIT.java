package io.keyline.integration;

import io.keyline.testkit.Reply;
import io.keyline.testkit.RespClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keyspace notifications ({@code notify-keyspace-events}): Redis's event names and order for every
 * family, {@code expired} from the active cycle and from lazy expiry, {@code evicted}, {@code new},
 * {@code keymiss}, each class letter, through raw RESP3 (the events of a command come as pushes
 * before its reply), Jedis (RESP2) and Lettuce (RESP3).
 */
class KeyspaceNotificationsIT extends ServerTestBase {

    @AfterEach
    void notificationsOff() {
        jedis.configSet("notify-keyspace-events", "");
        jedis.configSet("maxmemory", "0");
        jedis.configSet("maxmemory-policy", "noeviction");
        respValue("DEBUG", "SET-ACTIVE-EXPIRE", "1");
    }

    private RespClient subscriber(String pattern) throws Exception {
        RespClient c = new RespClient(port()).timeout(Duration.ofSeconds(10)).resp3();
        Reply r = c.request("PSUBSCRIBE", pattern);
        assertThat(r.isPush()).isTrue();
        return c;
    }

    /**
     * Runs a command on a RESP3 connection subscribed to notifications and returns the pushes it
     * caused as "event key" for keyevent channels and "ks@db__:key event" for keyspace ones. A PING
     * follows the command: pushes are collected until its PONG, so the events are caught whether
     * Redis writes them before the command's reply (SET) or after it (LPOP, GETEX, EXEC).
     */
    private static List<String> events(RespClient c, String... argv) throws Exception {
        c.send(argv);
        c.send("PING");
        List<String> out = new ArrayList<>();
        int replies = 0;
        while (true) {
            Reply r = c.read();
            if (!r.isPush()) {
                if (++replies == 2) return out;
                continue;
            }
            List<Reply> el = r.elements();
            String channel = el.get(2).string();
            String message = el.get(3).string();
            if (channel.startsWith("__keyevent@")) {
                out.add(channel.substring(channel.indexOf("__:") + 3) + " " + message);
            } else {
                out.add(channel.substring(0, channel.indexOf("__:") + 3).replace("__keyspace", "ks")
                        + channel.substring(channel.indexOf("__:") + 3) + " " + message);
            }
        }
    }

    @Test
    void configGetPrintsTheClassesAsRedisDoes() {
        String[][] cases = {{"KEA", "AKE"}, {"Ex", "xE"}, {"", ""}, {"En", "nE"}, {"Kg$lshzxetd", "AK"},
                {"KEm", "KEm"}, {"gx", "gx"}, {"A", "A"}};
        for (String[] c : cases) {
            jedis.configSet("notify-keyspace-events", c[0]);
            assertThat(jedis.configGet("notify-keyspace-events").get("notify-keyspace-events")).as(c[0]).isEqualTo(c[1]);
        }
        assertThat(respValue("CONFIG", "SET", "notify-keyspace-events", "KEZ").toString()).contains(
                "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
        assertThat(jedis.configGet("notify-keyspace-events").get("notify-keyspace-events")).isEqualTo("A");
    }

    @Test
    void eventsToTheClientItselfFollowTheReply() throws Exception {
        jedis.configSet("notify-keyspace-events", "E$");
        try (RespClient sub = subscriber("__keyevent@*__:*")) {
            assertThat(sub.request("SET", "k", "v").text()).isEqualTo("+OK\r\n"); // Redis 7.2 order
            assertThat(sub.readText()).isEqualTo(
                    ">4\r\n$8\r\npmessage\r\n$16\r\n__keyevent@*__:*\r\n$18\r\n__keyevent@0__:set\r\n$1\r\nk\r\n");
        }
    }

    @Test
    void theConfigFileSettingTakesEffectAtStartup() throws Exception {
        try (io.keyline.embed.EmbeddedKeyline k = io.keyline.embed.EmbeddedKeyline.builder()
                .config("notify-keyspace-events", "KEA").start();
             RespClient sub = new RespClient(k.port()).timeout(Duration.ofSeconds(10)).resp3()) {
            sub.request("PSUBSCRIBE", "__keyevent@*__:*");
            assertThat(sub.request("CONFIG", "GET", "notify-keyspace-events").toJava())
                    .isEqualTo(List.of("notify-keyspace-events", "AKE"));
            assertThat(events(sub, "SET", "k", "v")).containsExactly("set k");
        }
    }

    @Test
    void offMeansNoMessages() throws Exception {
        jedis.configSet("notify-keyspace-events", "");
        try (RespClient sub = subscriber("__key*__:*")) {
            assertThat(events(sub, "SET", "k", "v")).isEmpty();
            assertThat(events(sub, "DEL", "k")).isEmpty();
            // classes without K or E publish nothing either
            jedis.configSet("notify-keyspace-events", "A");
            assertThat(events(sub, "SET", "k", "v")).isEmpty();
            // K or E without a class: nothing
            jedis.configSet("notify-keyspace-events", "KE");
            assertThat(events(sub, "SET", "k", "v")).isEmpty();
        }
    }

    @Test
    void keyspaceAndKeyeventChannels() throws Exception {
        jedis.configSet("notify-keyspace-events", "KE$");
        try (RespClient sub = subscriber("__key*__:*")) {
            assertThat(events(sub, "SET", "k", "v")).containsExactly("ks@0__:k set", "set k");
            sub.request("SELECT", "3");
            assertThat(events(sub, "SET", "k", "v")).containsExactly("ks@3__:k set", "set k");
        }
        jedis.configSet("notify-keyspace-events", "K$");
        try (RespClient sub = subscriber("__key*__:*")) {
            assertThat(events(sub, "SET", "k", "v")).containsExactly("ks@0__:k set");
        }
    }

    @Test
    void eachClassLetterSelectsItsFamily() throws Exception {
        String[][] cases = {
                {"g", "generic"}, {"$", "string"}, {"l", "list"}, {"s", "set"}, {"h", "hash"}, {"z", "zset"}};
        for (String[] c : cases) {
            jedis.flushAll();
            jedis.configSet("notify-keyspace-events", "E" + c[0]);
            try (RespClient sub = subscriber("__keyevent@*__:*")) {
                List<String> all = new ArrayList<>();
                all.addAll(events(sub, "SET", "s", "v"));
                all.addAll(events(sub, "EXPIRE", "s", "100"));
                all.addAll(events(sub, "RPUSH", "l", "a"));
                all.addAll(events(sub, "SADD", "st", "a"));
                all.addAll(events(sub, "HSET", "h", "f", "v"));
                all.addAll(events(sub, "ZADD", "z", "1", "a"));
                all.addAll(events(sub, "DEL", "s"));
                List<String> expected = switch (c[1]) {
                    case "generic" -> List.of("expire s", "del s");
                    case "string" -> List.of("set s");
                    case "list" -> List.of("rpush l");
                    case "set" -> List.of("sadd st");
                    case "hash" -> List.of("hset h");
                    default -> List.of("zadd z");
                };
                assertThat(all).as(c[0]).isEqualTo(expected);
            }
        }
    }

    @Test
    void stringEvents() throws Exception {
        jedis.configSet("notify-keyspace-events", "EA");
        try (RespClient sub = subscriber("__keyevent@*__:*")) {
            assertThat(events(sub, "SET", "k", "v", "EX", "100")).containsExactly("set k", "expire k");
            assertThat(events(sub, "SET", "k", "v", "NX")).isEmpty();
            assertThat(events(sub, "SETEX", "k", "100", "v")).containsExactly("set k", "expire k");
            assertThat(events(sub, "SETNX", "n", "v")).containsExactly("set n");
            assertThat(events(sub, "GETSET", "n", "w")).containsExactly("set n");
            assertThat(events(sub, "MSET", "a", "1", "b", "2")).containsExactly("set a", "set b");
            assertThat(events(sub, "APPEND", "a", "x")).containsExactly("append a");
            assertThat(events(sub, "SETRANGE", "a", "0", "y")).containsExactly("setrange a");
            assertThat(events(sub, "INCR", "b")).containsExactly("incrby b");
            assertThat(events(sub, "DECRBY", "b", "2")).containsExactly("incrby b");
            assertThat(events(sub, "INCRBYFLOAT", "b", "1.5")).containsExactly("incrbyfloat b");
            assertThat(events(sub, "GETEX", "b", "EX", "100")).containsExactly("expire b");
            assertThat(events(sub, "GETEX", "b", "PERSIST")).containsExactly("persist b");
            assertThat(events(sub, "GETDEL", "b")).containsExactly("del b");
            // a deadline already past: Redis stores then expires the key, Keyline drops it at once
            assertThat(events(sub, "SET", "p", "v", "PXAT", "1")).containsExactly("set p", "expire p", "expired p");
            assertThat(events(sub, "GET", "b")).isEmpty();
        }
    }

    @Test
    void genericEvents() throws Exception {
        jedis.configSet("notify-keyspace-events", "Eg");
        try (RespClient sub = subscriber("__keyevent@*__:*")) {
            events(sub, "SET", "a", "1");
            assertThat(events(sub, "EXPIRE", "a", "100")).containsExactly("expire a");
            assertThat(events(sub, "PERSIST", "a")).containsExactly("persist a");
            assertThat(events(sub, "PERSIST", "a")).isEmpty();
            assertThat(events(sub, "RENAME", "a", "b")).containsExactly("rename_from a", "rename_to b");
            assertThat(events(sub, "COPY", "b", "c")).containsExactly("copy_to c");
            assertThat(events(sub, "MOVE", "c", "2")).containsExactly("move_from c", "move_to c");
            assertThat(events(sub, "DEL", "b", "nosuch")).containsExactly("del b");
            events(sub, "SET", "x", "1");
            assertThat(events(sub, "UNLINK", "x")).containsExactly("del x");
            events(sub, "SET", "x", "1");
            assertThat(events(sub, "PEXPIREAT", "x", "1")).containsExactly("del x");
            events(sub, "RPUSH", "l", "3", "1", "2");
            assertThat(events(sub, "SORT", "l", "STORE", "d")).isEmpty(); // "sortstore" is a list event
            assertThat(events(sub, "SORT", "nosuch", "STORE", "d")).containsExactly("del d");
        }
        jedis.configSet("notify-keyspace-events", "El");
        try (RespClient sub = subscriber("__keyevent@*__:*")) {
            assertThat(events(sub, "SORT", "l", "STORE", "d")).containsExactly("sortstore d");
        }
    }

    @Test
    void newFiresWhenAKeyIsCreated() throws Exception {
        jedis.configSet("notify-keyspace-events", "EAn");
        try (RespClient sub = subscriber("__keyevent@*__:*")) {
            assertThat(events(sub, "SET", "k", "v")).containsExactly("new k", "set k");
            assertThat(events(sub, "SET", "k", "w")).containsExactly("set k");
            assertThat(events(sub, "LPUSH", "l", "a")).containsExactly("new l", "lpush l");
            assertThat(events(sub, "LPUSH", "l", "b")).containsExactly("lpush l");
            assertThat(events(sub, "RENAME", "k", "k2")).containsExactly("new k2", "rename_from k", "rename_to k2");
        }
        jedis.configSet("notify-keyspace-events", "En");
        try (RespClient sub = subscriber("__keyevent@*__:*")) {
            assertThat(events(sub, "HSET", "h", "f", "v")).containsExactly("new h");
            assertThat(events(sub, "HSET", "h", "g", "v")).isEmpty();
        }
    }

    @Test
    void keymissOnReadLookups() throws Exception {
        jedis.configSet("notify-keyspace-events", "Em");
        try (RespClient sub = subscriber("__keyevent@*__:*")) {
            assertThat(events(sub, "GET", "nosuch")).containsExactly("keymiss nosuch");
            events(sub, "SET", "k", "v");
            assertThat(events(sub, "GET", "k")).isEmpty();
            assertThat(events(sub, "SET", "other", "v")).isEmpty(); // a write lookup is no miss
        }
    }

    @Test
    void listEvents() throws Exception {
        jedis.configSet("notify-keyspace-events", "EA");
        try (RespClient sub = subscriber("__keyevent@*__:*")) {
            assertThat(events(sub, "RPUSH", "l", "a", "b", "c")).containsExactly("rpush l");
            assertThat(events(sub, "LPUSHX", "nosuch", "a")).isEmpty();
            assertThat(events(sub, "LPUSHX", "l", "z")).containsExactly("lpush l");
            assertThat(events(sub, "LSET", "l", "0", "y")).containsExactly("lset l");
            assertThat(events(sub, "LINSERT", "l", "BEFORE", "a", "q")).containsExactly("linsert l");
            assertThat(events(sub, "LREM", "l", "0", "q")).containsExactly("lrem l");
            assertThat(events(sub, "LPOP", "l")).containsExactly("lpop l");
            assertThat(events(sub, "LMOVE", "l", "m", "LEFT", "RIGHT")).containsExactly("rpush m", "lpop l");
            assertThat(events(sub, "RPOPLPUSH", "l", "m")).containsExactly("lpush m", "rpop l");
            assertThat(events(sub, "LTRIM", "l", "1", "0")).containsExactly("ltrim l", "del l");
            assertThat(events(sub, "RPOP", "m", "5")).containsExactly("rpop m", "del m");
            events(sub, "RPUSH", "l", "a", "b");
            assertThat(events(sub, "LMPOP", "2", "x", "l", "LEFT", "COUNT", "1")).containsExactly("lpop l");
            assertThat(events(sub, "BLPOP", "l", "0")).containsExactly("lpop l", "del l");
            events(sub, "RPUSH", "l", "a");
            assertThat(events(sub, "LMOVE", "l", "m", "LEFT", "LEFT")).containsExactly("lpush m", "lpop l", "del l");
        }
    }

    @Test
    void blockedPopPublishesWhenServed() throws Exception {
        jedis.configSet("notify-keyspace-events", "El");
        try (RespClient sub = subscriber("__keyevent@*__:*");
             RespClient blocked = new RespClient(port()).timeout(Duration.ofSeconds(10))) {
            blocked.send("BRPOP", "q", "0");
            assertThat(waitFor(() -> jedis.clientList().contains("cmd=brpop"))).isTrue();
            jedis.lpush("q", "x");
            assertThat(blocked.read().toJava()).isEqualTo(List.of("q", "x"));
            Reply a = sub.read();
            Reply b = sub.read();
            assertThat(List.of(a.elements().get(2).string() + " " + a.elements().get(3).string(),
                    b.elements().get(2).string() + " " + b.elements().get(3).string()))
                    .containsExactly("__keyevent@0__:lpush q", "__keyevent@0__:rpop q");
        }
    }

    @Test
    void hashEvents() throws Exception {
        jedis.configSet("notify-keyspace-events", "EA");
        try (RespClient sub = subscriber("__keyevent@*__:*")) {
            assertThat(events(sub, "HSET", "h", "a", "1", "b", "2")).containsExactly("hset h");
            assertThat(events(sub, "HMSET", "h", "c", "3")).containsExactly("hset h");
            assertThat(events(sub, "HSETNX", "h", "c", "3")).isEmpty();
            assertThat(events(sub, "HSETNX", "h", "d", "3")).containsExactly("hset h");
            assertThat(events(sub, "HINCRBY", "h", "a", "1")).containsExactly("hincrby h");
            assertThat(events(sub, "HINCRBYFLOAT", "h", "a", "1.5")).containsExactly("hincrbyfloat h");
            assertThat(events(sub, "HDEL", "h", "a", "nosuch")).containsExactly("hdel h");
            assertThat(events(sub, "HDEL", "h", "nosuch")).isEmpty();
            assertThat(events(sub, "HDEL", "h", "b", "c", "d")).containsExactly("hdel h", "del h");
        }
    }

    @Test
    void setEvents() throws Exception {
        jedis.configSet("notify-keyspace-events", "EA");
        try (RespClient sub = subscriber("__keyevent@*__:*")) {
            assertThat(events(sub, "SADD", "s", "a", "b", "c")).containsExactly("sadd s");
            assertThat(events(sub, "SADD", "s", "a")).isEmpty();
            assertThat(events(sub, "SREM", "s", "a")).containsExactly("srem s");
            assertThat(events(sub, "SMOVE", "s", "t", "b")).containsExactly("srem s", "sadd t");
            assertThat(events(sub, "SPOP", "s")).containsExactly("spop s", "del s");
            events(sub, "SADD", "u", "x", "y");
            assertThat(events(sub, "SPOP", "u", "1")).containsExactly("spop u");
            events(sub, "SADD", "v", "x");
            assertThat(events(sub, "SMOVE", "v", "t", "x")).containsExactly("srem v", "del v", "sadd t");
            events(sub, "SADD", "a", "1", "2");
            events(sub, "SADD", "b", "2", "3");
            assertThat(events(sub, "SINTERSTORE", "d", "a", "b")).containsExactly("sinterstore d");
            assertThat(events(sub, "SUNIONSTORE", "d", "a", "b")).containsExactly("sunionstore d");
            assertThat(events(sub, "SDIFFSTORE", "d", "a", "b")).containsExactly("sdiffstore d");
            assertThat(events(sub, "SINTERSTORE", "d", "a", "nosuch")).containsExactly("del d");
            assertThat(events(sub, "SINTERSTORE", "d", "a", "nosuch")).isEmpty();
        }
    }

    @Test
    void sortedSetEvents() throws Exception {
        jedis.configSet("notify-keyspace-events", "EA");
        try (RespClient sub = subscriber("__keyevent@*__:*")) {
            assertThat(events(sub, "ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d")).containsExactly("zadd z");
            assertThat(events(sub, "ZADD", "z", "1", "a")).isEmpty();
            assertThat(events(sub, "ZADD", "z", "INCR", "1", "a")).containsExactly("zincr z");
            assertThat(events(sub, "ZINCRBY", "z", "1", "a")).containsExactly("zincr z");
            assertThat(events(sub, "ZREM", "z", "a")).containsExactly("zrem z");
            assertThat(events(sub, "ZPOPMIN", "z")).containsExactly("zpopmin z");
            assertThat(events(sub, "ZRANGESTORE", "d", "z", "0", "-1")).containsExactly("zrangestore d");
            assertThat(events(sub, "ZUNIONSTORE", "d", "1", "z")).containsExactly("zunionstore d");
            assertThat(events(sub, "ZINTERSTORE", "d", "1", "z")).containsExactly("zinterstore d");
            assertThat(events(sub, "ZDIFFSTORE", "d", "1", "z")).containsExactly("zdiffstore d");
            assertThat(events(sub, "ZDIFFSTORE", "d", "2", "z", "z")).containsExactly("del d");
            assertThat(events(sub, "ZREMRANGEBYSCORE", "z", "100", "200")).isEmpty();
            assertThat(events(sub, "ZREMRANGEBYRANK", "z", "0", "0")).containsExactly("zremrangebyrank z");
            events(sub, "ZADD", "z", "5", "e");
            assertThat(events(sub, "ZREMRANGEBYSCORE", "z", "5", "5")).containsExactly("zremrangebyscore z");
            assertThat(events(sub, "ZREMRANGEBYLEX", "z", "-", "+")).containsExactly("zremrangebylex z", "del z");
            events(sub, "ZADD", "z", "1", "a");
            events(sub, "ZADD", "z", "2", "b");
            assertThat(events(sub, "ZMPOP", "1", "z", "MAX")).containsExactly("zpopmax z");
            assertThat(events(sub, "BZPOPMIN", "z", "0")).containsExactly("zpopmin z", "del z");
        }
    }

    @Test
    void expiredByTheActiveCycleWithNoClientTouchingTheKey() throws Exception {
        jedis.configSet("notify-keyspace-events", "Ex");
        try (RespClient sub = subscriber("__keyevent@*__:expired")) {
            jedis.psetex("soon", 50, "v");
            Reply r = sub.read(); // the active cycle expires it: nobody reads the key
            assertThat(r.elements().get(2).string()).isEqualTo("__keyevent@0__:expired");
            assertThat(r.elements().get(3).string()).isEqualTo("soon");
        }
    }

    @Test
    void expiredByLazyExpiry() throws Exception {
        jedis.configSet("notify-keyspace-events", "Exm");
        respValue("DEBUG", "SET-ACTIVE-EXPIRE", "0");
        Thread.sleep(300); // let an active cycle already under way finish
        try (RespClient sub = subscriber("__keyevent@*__:*")) {
            jedis.psetex("k", 50, "v");
            Thread.sleep(200);
            // the read finds it past its deadline: "expired", then the lookup misses
            assertThat(events(sub, "GET", "k")).containsExactly("expired k", "keymiss k");
        }
    }

    @Test
    void evictedUnderMaxmemory() throws Exception {
        jedis.configSet("notify-keyspace-events", "Ee");
        try (RespClient sub = subscriber("__keyevent@*__:evicted")) {
            jedis.configSet("maxmemory-policy", "allkeys-random");
            jedis.configSet("maxmemory", "1mb");
            byte[] value = new byte[1000];
            for (int i = 0; i < 3000; i++) jedis.set(("k" + i).getBytes(), value);
            Reply r = sub.read();
            assertThat(r.elements().get(2).string()).isEqualTo("__keyevent@0__:evicted");
            assertThat(r.elements().get(3).string()).startsWith("k");
        }
    }

    @Test
    void insideMultiEventsComeAsEachCommandRuns() throws Exception {
        jedis.configSet("notify-keyspace-events", "EA");
        try (RespClient sub = subscriber("__keyevent@*__:*")) {
            sub.request("MULTI");
            sub.request("SET", "k", "v");
            sub.request("RPUSH", "l", "a");
            // Redis 7.2: pushes to the client itself follow the whole EXEC reply, never inside it
            sub.send("EXEC");
            assertThat(sub.readText()).isEqualTo("*2\r\n+OK\r\n:1\r\n");
            assertThat(sub.read().isPush()).isTrue();
            assertThat(sub.read().isPush()).isTrue();
            assertThat(sub.request("PING").text()).isEqualTo("+PONG\r\n");
            sub.request("MULTI");
            sub.request("SET", "k", "v");
            sub.request("RPUSH", "l", "a");
            assertThat(events(sub, "EXEC")).containsExactly("set k", "rpush l");
        }
    }

    @Test
    void jedisResp2Subscriber() throws Exception {
        jedis.configSet("notify-keyspace-events", "KEA");
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        CountDownLatch subscribed = new CountDownLatch(1);
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onPMessage(String pattern, String channel, String message) {
                got.add(channel + "=" + message);
            }

            @Override
            public void onPSubscribe(String pattern, int count) {
                subscribed.countDown();
            }
        };
        try (Jedis subJedis = newJedis()) {
            Thread t = new Thread(() -> subJedis.psubscribe(listener, "__key*__:*"));
            t.start();
            assertThat(subscribed.await(10, TimeUnit.SECONDS)).isTrue();
            jedis.set("k", "v");
            jedis.lpush("l", "a");
            jedis.del("k");
            List<String> expected = List.of("__keyspace@0__:k=set", "__keyevent@0__:set=k",
                    "__keyspace@0__:l=lpush", "__keyevent@0__:lpush=l",
                    "__keyspace@0__:k=del", "__keyevent@0__:del=k");
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < expected.size(); i++) seen.add(got.poll(10, TimeUnit.SECONDS));
            assertThat(seen).isEqualTo(expected);
            listener.punsubscribe();
            t.join(10_000);
        }
    }

    @Test
    void lettuceResp3Subscriber() throws Exception {
        jedis.configSet("notify-keyspace-events", "Ex$");
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        try (StatefulRedisPubSubConnection<String, String> ps = lettuceClient.connectPubSub()) {
            ps.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String pattern, String channel, String message) {
                    got.add(channel + "=" + message);
                }
            });
            ps.sync().psubscribe("__keyevent@*__:*");
            lettuce.set("k", "v");
            lettuce.psetex("gone", 30, "v");
            assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("__keyevent@0__:set=k");
            assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("__keyevent@0__:set=gone");
            assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("__keyevent@0__:expired=gone");
        }
    }

    private static boolean waitFor(java.util.function.BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (cond.getAsBoolean()) return true;
            Thread.sleep(10);
        }
        return false;
    }
}
