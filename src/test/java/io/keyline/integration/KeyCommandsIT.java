package io.keyline.integration;

import io.keyline.embed.EmbeddedKeyline;
import io.lettuce.core.CopyArgs;
import io.lettuce.core.ExpireArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.args.ExpiryOption;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Generic key commands through Jedis (RESP2) and Lettuce (RESP3), including their error replies. */
class KeyCommandsIT extends ServerTestBase {
    private Object send(Protocol.Command cmd, String... args) {
        Object r = jedis.sendCommand(cmd, args);
        return r instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : r;
    }

    private static void assertError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).hasMessage(message);
    }

    @Test
    void delUnlinkExistsTouch() {
        jedis.mset("a", "1", "b", "2", "c", "3");
        assertThat(jedis.exists("a", "a", "missing")).isEqualTo(2);
        assertThat(lettuce.exists("a", "b", "c")).isEqualTo(3);
        assertThat(jedis.touch("a", "missing", "b")).isEqualTo(2);
        assertThat(lettuce.touch("c")).isEqualTo(1);
        assertThat(jedis.del("a", "missing")).isEqualTo(1);
        assertThat(lettuce.unlink("b", "c")).isEqualTo(2);
        assertThat(jedis.del("a")).isZero();
        assertThat(jedis.dbSize()).isZero();
        assertError(() -> send(Protocol.Command.DEL), "ERR wrong number of arguments for 'del' command");
    }

    @Test
    void typeAndObjectEncodingAskTheValue() {
        jedis.set("s", "x");
        FakeCollection.store(keyline, 0, "list", "a");
        assertThat(jedis.type("s")).isEqualTo("string");
        assertThat(lettuce.type("list")).isEqualTo("list");
        assertThat(jedis.type("missing")).isEqualTo("none");
        assertThat(jedis.objectEncoding("list")).isEqualTo("listpack");
        jedis.set("i", "12345");
        jedis.set("e", "x".repeat(44));
        jedis.set("r", "x".repeat(45));
        jedis.set("lead", "012");
        assertThat(jedis.objectEncoding("i")).isEqualTo("int");
        assertThat(lettuce.objectEncoding("e")).isEqualTo("embstr");
        assertThat(jedis.objectEncoding("r")).isEqualTo("raw");
        assertThat(jedis.objectEncoding("lead")).isEqualTo("embstr");
        assertThat(jedis.objectEncoding("missing")).isNull();
        assertThat(jedis.objectRefcount("i")).isEqualTo(1);
        jedis.set("small", "42");
        assertThat(jedis.objectRefcount("small")).isEqualTo(Integer.MAX_VALUE);
        assertThat(jedis.objectIdletime("s")).isBetween(0L, 2L);
        assertError(() -> jedis.objectFreq("s"), "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.");
        assertThat(jedis.objectHelp()).first().asString().startsWith("OBJECT <subcommand>");
        assertError(() -> send(Protocol.Command.OBJECT, "foo", "k"), "ERR unknown subcommand 'foo'. Try OBJECT HELP.");
        assertError(() -> send(Protocol.Command.OBJECT, "encoding"), "ERR wrong number of arguments for 'object|encoding' command");
    }

    @Test
    void objectFreqUnderLfu() {
        keyline.server().keyspace().policy(io.keyline.store.EvictionPolicy.ALLKEYS_LFU); // CONFIG SET is another family's
        try {
            jedis.set("k", "v");
            for (int i = 0; i < 10; i++) jedis.get("k");
            assertThat(jedis.objectFreq("k")).isGreaterThanOrEqualTo(5);
            assertError(() -> jedis.objectIdletime("k"), "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.");
        } finally {
            keyline.server().keyspace().policy(io.keyline.store.EvictionPolicy.NOEVICTION);
        }
    }

    @Test
    void expireFamilyWithConditions() {
        jedis.set("k", "v");
        assertThat(jedis.expire("k", 100, ExpiryOption.XX)).isZero();
        assertThat(jedis.expire("k", 100, ExpiryOption.NX)).isEqualTo(1);
        assertThat(jedis.expire("k", 200, ExpiryOption.NX)).isZero();
        assertThat(lettuce.expire("k", 50, ExpireArgs.Builder.gt())).isFalse();
        assertThat(lettuce.expire("k", 300, ExpireArgs.Builder.gt())).isTrue();
        assertThat(jedis.ttl("k")).isBetween(299L, 300L);
        assertThat(jedis.expire("k", 400, ExpiryOption.LT)).isZero();
        assertThat(jedis.pexpire("k", 10_000, ExpiryOption.LT)).isEqualTo(1);
        assertThat(jedis.pttl("k")).isBetween(9_000L, 10_000L);
        long at = System.currentTimeMillis() / 1000 + 1000;
        assertThat(jedis.expireAt("k", at)).isEqualTo(1);
        assertThat(lettuce.expiretime("k")).isEqualTo(at);
        assertThat(jedis.pexpireAt("k", at * 1000 + 7)).isEqualTo(1);
        assertThat(lettuce.pexpiretime("k")).isEqualTo(at * 1000 + 7);
        assertThat(jedis.persist("k")).isEqualTo(1);
        assertThat(jedis.persist("k")).isZero();
        assertThat(jedis.ttl("k")).isEqualTo(-1);
        assertThat(jedis.expireTime("k")).isEqualTo(-1);
        // Without a TTL, GT never passes (infinite) and LT always does.
        assertThat(jedis.expire("k", 100, ExpiryOption.GT)).isZero();
        assertThat(jedis.expire("k", 100, ExpiryOption.LT)).isEqualTo(1);
        assertThat(jedis.ttl("missing")).isEqualTo(-2);
        assertThat(jedis.pttl("missing")).isEqualTo(-2);
        assertThat(jedis.expireTime("missing")).isEqualTo(-2);
        assertThat(jedis.expire("missing", 10)).isZero();
        // A deadline in the past deletes the key.
        assertThat(jedis.expire("k", -1)).isEqualTo(1);
        assertThat(jedis.exists("k")).isFalse();
        jedis.set("k", "v");
        assertThat(jedis.pexpireAt("k", 1)).isEqualTo(1);
        assertThat(jedis.exists("k")).isFalse();

        jedis.set("k", "v");
        assertError(() -> send(Protocol.Command.EXPIRE, "k", "10", "NX", "XX"), "ERR NX and XX, GT or LT options at the same time are not compatible");
        assertError(() -> send(Protocol.Command.EXPIRE, "k", "10", "GT", "LT"), "ERR GT and LT options at the same time are not compatible");
        assertError(() -> send(Protocol.Command.EXPIRE, "k", "10", "FOO"), "ERR Unsupported option FOO");
        assertError(() -> send(Protocol.Command.EXPIRE, "k", "abc"), "ERR value is not an integer or out of range");
        assertError(() -> send(Protocol.Command.EXPIRE, "k", "9223372036854775807"), "ERR invalid expire time in 'expire' command");
        assertError(() -> send(Protocol.Command.PEXPIRE, "k", "9223372036854775807"), "ERR invalid expire time in 'pexpire' command");
        assertError(() -> send(Protocol.Command.EXPIREAT, "k", "9223372036854775807"), "ERR invalid expire time in 'expireat' command");
        assertThat(jedis.ttl("k")).isEqualTo(-1);
    }

    @Test
    void keysWithGlobs() {
        jedis.mset("hello", "1", "hallo", "2", "hxllo", "3", "hllo", "4", "world", "5");
        assertThat(jedis.keys("*")).hasSize(5);
        assertThat(jedis.keys("h?llo")).containsExactlyInAnyOrder("hello", "hallo", "hxllo");
        assertThat(lettuce.keys("h[ae]llo")).containsExactlyInAnyOrder("hello", "hallo");
        assertThat(jedis.keys("h[^e]llo")).containsExactlyInAnyOrder("hallo", "hxllo");
        assertThat(jedis.keys("h*llo")).hasSize(4);
        assertThat(jedis.keys("nothing*")).isEmpty();
    }

    @Test
    void scanWalksEverythingWithMatchCountAndType() {
        for (int i = 0; i < 500; i++) jedis.set("key:" + i, "v");
        FakeCollection.store(keyline, 0, "list:1", "a");
        Set<String> seen = new HashSet<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        int calls = 0;
        do {
            ScanResult<String> r = jedis.scan(cursor, new ScanParams().count(20));
            seen.addAll(r.getResult());
            cursor = r.getCursor();
            calls++;
        } while (!cursor.equals("0"));
        assertThat(seen).hasSize(501);
        assertThat(calls).isGreaterThan(5);

        Set<String> matched = new HashSet<>();
        ScanCursor lc = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> r = lettuce.scan(lc, ScanArgs.Builder.matches("key:1*").limit(50));
            matched.addAll(r.getKeys());
            lc = r;
        } while (!lc.isFinished());
        assertThat(matched).hasSize(111); // key:1, key:10-19, key:100-199

        Set<String> lists = new HashSet<>();
        cursor = "0";
        do {
            ScanResult<String> r = jedis.scan(cursor, new ScanParams().count(1000), "list");
            lists.addAll(r.getResult());
            cursor = r.getCursor();
        } while (!cursor.equals("0"));
        assertThat(lists).containsExactly("list:1");

        assertError(() -> send(Protocol.Command.SCAN, "abc"), "ERR invalid cursor");
        assertError(() -> send(Protocol.Command.SCAN, "0", "COUNT", "0"), "ERR syntax error");
        assertError(() -> send(Protocol.Command.SCAN, "0", "COUNT", "x"), "ERR value is not an integer or out of range");
        assertError(() -> send(Protocol.Command.SCAN, "0", "FOO", "bar"), "ERR syntax error");
    }

    @Test
    void scanKeepsItsGuaranteeWhileAnotherClientWrites() throws Exception {
        for (int i = 0; i < 2000; i++) jedis.set("stable:" + i, "v");
        Set<String> seen = new HashSet<>();
        try (Jedis writer = newJedis()) {
            String cursor = "0";
            int step = 0;
            do {
                ScanResult<String> r = jedis.scan(cursor, new ScanParams().count(25));
                seen.addAll(r.getResult());
                cursor = r.getCursor();
                // Grow, then shrink, the keyspace between SCAN calls so tables rehash both ways.
                if ((step++ / 10) % 2 == 0) {
                    String[] kv = new String[200];
                    for (int i = 0; i < 100; i++) {
                        kv[2 * i] = "churn:" + step + ":" + i;
                        kv[2 * i + 1] = "x";
                    }
                    writer.mset(kv);
                } else {
                    Set<String> churn = writer.keys("churn:*");
                    if (!churn.isEmpty()) writer.del(churn.toArray(new String[0]));
                }
            } while (!cursor.equals("0"));
        }
        for (int i = 0; i < 2000; i++) assertThat(seen).contains("stable:" + i);
    }

    @Test
    void randomkey() {
        assertThat(jedis.randomKey()).isNull();
        jedis.set("only", "v");
        assertThat(jedis.randomKey()).isEqualTo("only");
        assertThat(lettuce.randomkey()).isEqualTo("only");
    }

    @Test
    void renameAndRenamenx() {
        assertError(() -> jedis.rename("missing", "x"), "ERR no such key");
        assertError(() -> jedis.renamenx("missing", "x"), "ERR no such key");
        jedis.setex("src", 100, "v");
        assertThat(jedis.rename("src", "src")).isEqualTo("OK");
        assertThat(jedis.rename("src", "dst")).isEqualTo("OK");
        assertThat(jedis.exists("src")).isFalse();
        assertThat(jedis.get("dst")).isEqualTo("v");
        assertThat(jedis.ttl("dst")).isBetween(99L, 100L);
        jedis.set("other", "o");
        assertThat(jedis.renamenx("dst", "other")).isZero();
        assertThat(lettuce.renamenx("dst", "fresh")).isTrue();
        assertThat(lettuce.rename("fresh", "other")).isEqualTo("OK");
        assertThat(jedis.get("other")).isEqualTo("v");
        assertThat(jedis.dbSize()).isEqualTo(1);
        FakeCollection list = FakeCollection.store(keyline, 0, "list", "a");
        jedis.rename("list", "list2");
        assertThat(FakeCollection.load(keyline, 0, "list2")).isSameAs(list);
    }

    @Test
    void copyWithinAndAcrossDatabasesDeepCopiesCollections() {
        jedis.setex("src", 100, "v");
        assertThat(jedis.copy("src", "dst", false)).isTrue();
        assertThat(jedis.copy("src", "dst", false)).isFalse();
        assertThat(jedis.copy("src", "dst", true)).isTrue();
        assertThat(jedis.ttl("dst")).isBetween(99L, 100L);
        assertThat(lettuce.copy("src", "other", CopyArgs.Builder.destinationDb(2))).isTrue();
        assertThat(lettuce.copy("src", "other", CopyArgs.Builder.destinationDb(2))).isFalse();
        assertThat(lettuce.copy("src", "other", CopyArgs.Builder.destinationDb(2).replace(true))).isTrue();
        try (Jedis db2 = newJedis()) {
            db2.select(2);
            assertThat(db2.get("other")).isEqualTo("v");
            assertThat(db2.ttl("other")).isBetween(99L, 100L);
        }
        assertThat(jedis.copy("missing", "x", false)).isFalse();
        assertError(() -> jedis.copy("src", "src", false), "ERR source and destination objects are the same");
        assertError(() -> send(Protocol.Command.COPY, "src", "x", "DB", "16"), "ERR DB index is out of range");
        assertError(() -> send(Protocol.Command.COPY, "src", "x", "DB", "abc"), "ERR value is not an integer or out of range");
        assertError(() -> send(Protocol.Command.COPY, "src", "x", "FOO"), "ERR syntax error");

        FakeCollection list = FakeCollection.store(keyline, 0, "list", "a", "b");
        assertThat(jedis.copy("list", "list", 3, false)).isTrue();
        Object copy = FakeCollection.load(keyline, 3, "list");
        assertThat(copy).isInstanceOf(FakeCollection.class).isNotSameAs(list);
        assertThat(((FakeCollection) copy).items).containsExactly("a", "b");
        long keys = keyline.server().keyspace().keyCount();
        assertThat(keys).isEqualTo(5); // src, dst, other@2, list, list@3
    }

    @Test
    void moveBetweenDatabases() {
        jedis.setex("k", 100, "v");
        assertThat(jedis.move("k", 1)).isEqualTo(1);
        assertThat(jedis.exists("k")).isFalse();
        assertThat(jedis.move("k", 1)).isZero();
        try (Jedis db1 = newJedis()) {
            db1.select(1);
            assertThat(db1.get("k")).isEqualTo("v");
            assertThat(db1.ttl("k")).isBetween(99L, 100L);
            jedis.set("k", "again");
            assertThat(jedis.move("k", 1)).isZero(); // already there
        }
        assertThat(lettuce.move("k", 2)).isTrue();
        assertThat(keyline.server().keyspace().keyCount()).isEqualTo(2);
        assertError(() -> jedis.move("k", 0), "ERR source and destination objects are the same");
        assertError(() -> jedis.move("k", 16), "ERR DB index is out of range");
        assertError(() -> send(Protocol.Command.MOVE, "k", "abc"), "ERR value is not an integer or out of range");
        assertError(() -> send(Protocol.Command.MOVE, "k", "99999999999"), "ERR value is out of range, value must between -2147483648 and 2147483647");
    }

    @Test
    void swapdbSwapsContentsUnderEveryClient() {
        jedis.set("zero", "0");
        try (Jedis db1 = newJedis()) {
            db1.select(1);
            db1.set("one", "1");
            assertThat(jedis.swapDB(0, 1)).isEqualTo("OK");
            assertThat(jedis.get("one")).isEqualTo("1");
            assertThat(jedis.get("zero")).isNull();
            assertThat(db1.get("zero")).isEqualTo("0");
        }
        assertThat(jedis.swapDB(1, 1)).isEqualTo("OK");
        assertError(() -> jedis.swapDB(0, 16), "ERR DB index is out of range");
        assertError(() -> send(Protocol.Command.SWAPDB, "a", "1"), "ERR invalid first DB index");
        assertError(() -> send(Protocol.Command.SWAPDB, "1", "b"), "ERR invalid second DB index");
    }

    @Test
    void swapdbFailsTransactionsWatchingEitherDatabase() {
        jedis.set("w", "1");
        try (Jedis watcher = newJedis()) {
            watcher.watch("w");
            jedis.swapDB(0, 5);
            redis.clients.jedis.Transaction tx = watcher.multi();
            tx.set("w", "2");
            assertThat(tx.exec()).isNull();
        }
    }

    /** keyspace_hits/misses as Redis counts them: reads count, writes' own lookups do not. */
    @Test
    void keyspaceHitsAndMissesFollowRedis() {
        String[][] cases = {
                {"EXISTS k", "1 0"}, {"EXISTS nokey", "0 1"}, {"TTL k", "1 0"}, {"TYPE k", "1 0"},
                {"OBJECT ENCODING k", "1 0"}, {"INCR n", "0 0"}, {"SET k v2", "0 0"}, {"SET k v2 GET", "1 0"},
                {"EXPIRE k 10", "0 0"}, {"TOUCH k", "1 0"}, {"GETEX k", "1 0"}, {"GETDEL k", "1 0"},
                {"APPEND k x", "0 0"}, {"SETRANGE k 0 x", "0 0"}, {"MGET k nokey", "1 1"}, {"LCS k nokey", "1 1"},
                {"RENAME k k2", "0 0"}, {"COPY k k2", "1 0"}, {"MOVE k 1", "0 0"}, {"INCRBYFLOAT f 1", "0 0"},
                {"SCAN 0", "0 0"}, {"KEYS *", "0 0"}, {"GET k", "1 0"}, {"PEXPIRETIME k", "1 0"},
        };
        for (String[] c : cases) {
            jedis.flushAll();
            jedis.set("k", "v");
            jedis.configResetStat();
            String[] argv = c[0].split(" ");
            jedis.sendCommand(() -> redis.clients.jedis.util.SafeEncoder.encode(argv[0]),
                    java.util.Arrays.copyOfRange(argv, 1, argv.length));
            String stats = jedis.info("stats");
            String hits = stats.replaceAll("(?s).*keyspace_hits:(\\d+).*", "$1");
            String misses = stats.replaceAll("(?s).*keyspace_misses:(\\d+).*", "$1");
            assertThat(hits + " " + misses).as(c[0]).isEqualTo(c[1]);
        }
    }

    @Test
    void resp3ReplyShapes() throws Exception {
        String reply = raw("HELLO 3\r\nSET k v\r\nTYPE k\r\nOBJECT ENCODING missing\r\nSCAN 0 MATCH k\r\nQUIT\r\n", 100_000);
        assertThat(reply).endsWith("+OK\r\n+string\r\n_\r\n*2\r\n$1\r\n0\r\n*1\r\n$1\r\nk\r\n+OK\r\n");
    }

    @Override
    protected void configure(EmbeddedKeyline.Builder builder) {
        builder.config("databases", "16");
    }
}
