package io.keyline.integration;

import io.keyline.embed.EmbeddedKeyline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Behaviour found wrong by running Redis 7.2's own test suite against Keyline: bounded glob
 * matching, DEBUG DIGEST, SORT ... STORE, argument errors, string OBJECT ENCODING and INFO's
 * lazyfree counters. Expected replies were checked against redis-server
 * (src/test/resources/compat/bugs-*.txt hold the resp-diff scripts).
 */
class RedisSuiteRegressionIT extends ServerTestBase {
    @Override
    protected void configure(EmbeddedKeyline.Builder builder) {
        builder.config("enable-debug-command", "yes");
    }

    private Object r(String... argv) {
        return respValue(argv);
    }

    private List<Object> digestValues(String... keys) {
        String[] argv = new String[keys.length + 2];
        argv[0] = "DEBUG";
        argv[1] = "DIGEST-VALUE";
        System.arraycopy(keys, 0, argv, 2, keys.length);
        @SuppressWarnings("unchecked")
        List<Object> out = (List<Object>) r(argv);
        return out;
    }

    private long lazyfreed() {
        String info = (String) r("INFO", "memory");
        assertThat(info).contains("lazyfree_pending_objects:0\r\n");
        int at = info.indexOf("lazyfreed_objects:");
        return Long.parseLong(info.substring(at + "lazyfreed_objects:".length(), info.indexOf('\r', at)));
    }

    private static String[] withPrefix(List<String> tail, String... head) {
        List<String> all = new ArrayList<>(List.of(head));
        all.addAll(tail);
        return all.toArray(new String[0]);
    }

    private static List<String> members(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) out.add(prefix + i);
        return out;
    }

    // ---- glob -------------------------------------------------------------------------------------

    /** keyspace.tcl "Regression for pattern matching long nested loops": it used to hang the server. */
    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void keysWithNestedStarsFinishesAndTheServerKeepsAnswering() {
        r("SET", "a".repeat(40), "1");
        assertThat(r("KEYS", "a*".repeat(20) + "b")).isEqualTo(List.of());
        assertThat(r("KEYS", "*?".repeat(50000))).isEqualTo(List.of());
        assertThat(r("PING")).isEqualTo("PONG");
        assertThat(r("KEYS", "a*a")).isEqualTo(List.of("a".repeat(40)));
    }

    @Test
    void scanMatchAndConfigGetUseTheSameMatcher() {
        r("SET", "foo_a", "1");
        r("SET", "foo_b", "1");
        r("SET", "bar", "1");
        @SuppressWarnings("unchecked")
        List<Object> scan = (List<Object>) r("SCAN", "0", "MATCH", "foo_[a]", "COUNT", "100");
        assertThat(scan.get(1)).isEqualTo(List.of("foo_a"));
        assertThat(r("CONFIG", "GET", "MAXMEMORY-P*")).isEqualTo(List.of("maxmemory-policy", "noeviction"));
    }

    // ---- DEBUG DIGEST -----------------------------------------------------------------------------

    @Test
    void digestsAreRedisDigests() {
        assertThat(r("DEBUG", "DIGEST")).isEqualTo("0".repeat(40));
        r("HSET", "h", "f", "v");
        r("ZADD", "z", "1", "a", "2.5", "b");
        r("RPUSH", "l", "a", "b");
        r("SADD", "s", "a", "1");
        r("SET", "str", "hello");
        // Values printed by redis-server for the same data.
        assertThat(digestValues("h", "z", "l", "s", "str", "missing")).containsExactly(
                "90c76e9e9f4c62d642a34fc97c7dad503b51f906",
                "c45c5b051acd64070e5ed1a949939d5145f806c5",
                "62f55a532623cf6c3d81081db480b6fd8461eb3f",
                "012434e5fd10923eb5614823e20e4674a940a6f5",
                "36b23a1456b2dce2c3ed252c456761301dba8060",
                "0".repeat(40));
        assertThat(r("DEBUG", "DIGEST")).isEqualTo("1ce1ddc7b8b42e66e0cfb6f11212fbc30ffe72e8");
    }

    @Test
    void aCopyDigestsLikeItsOriginalInEveryEncoding() {
        for (String small : new String[]{"128", "2"}) {
            r("FLUSHALL");
            r("CONFIG", "SET", "hash-max-listpack-entries", small);
            r("CONFIG", "SET", "zset-max-listpack-entries", small);
            r("CONFIG", "SET", "set-max-listpack-entries", small);
            r("CONFIG", "SET", "set-max-intset-entries", small);
            r("CONFIG", "SET", "list-max-listpack-size", small.equals("2") ? "2" : "-2");
            r("RPUSH", "l", "a", "b", "c", "1", "2", "3");
            r("SADD", "s", "x", "y", "z", "1");
            r("SADD", "i", "1", "2", "3");
            r("HSET", "h", "f1", "v1", "f2", "v2", "num", "10");
            r("ZADD", "z", "1", "a", "0.1", "b", "-3.5", "c", "1e20", "d");
            for (String key : List.of("l", "s", "i", "h", "z")) r("COPY", key, key + "-copy");
            assertThat(digestValues("l-copy", "s-copy", "i-copy", "h-copy", "z-copy"))
                    .isEqualTo(digestValues("l", "s", "i", "h", "z"))
                    .doesNotContain("0".repeat(40));
        }
        r("CONFIG", "SET", "hash-max-listpack-entries", "128");
        r("CONFIG", "SET", "zset-max-listpack-entries", "128");
        r("CONFIG", "SET", "set-max-listpack-entries", "128");
        r("CONFIG", "SET", "set-max-intset-entries", "512");
        r("CONFIG", "SET", "list-max-listpack-size", "-2");
    }

    @Test
    void digestIgnoresSetAndHashOrderButNotListOrderAndSeesTtls() {
        r("SADD", "s1", "a", "b", "c");
        r("SADD", "s2", "c", "b", "a");
        r("HSET", "h1", "a", "1", "b", "2");
        r("HSET", "h2", "b", "2", "a", "1");
        r("RPUSH", "l1", "a", "b");
        r("RPUSH", "l2", "b", "a");
        List<Object> d = digestValues("s1", "s2", "h1", "h2", "l1", "l2");
        assertThat(d.get(0)).isEqualTo(d.get(1));
        assertThat(d.get(2)).isEqualTo(d.get(3));
        assertThat(d.get(4)).isNotEqualTo(d.get(5));
        Object before = r("DEBUG", "DIGEST");
        r("EXPIRE", "s1", "1000");
        assertThat(digestValues("s1").get(0)).isNotEqualTo(d.get(0));
        assertThat(r("DEBUG", "DIGEST")).isNotEqualTo(before);
    }

    @Test
    void logicallyExpiredKeysAreStillDigestedAndNotDeleted() throws InterruptedException {
        r("DEBUG", "SET-ACTIVE-EXPIRE", "0");
        try {
            r("SET", "gone", "v", "PX", "30");
            Object withTtl = digestValues("gone").get(0);
            Thread.sleep(100);
            assertThat(digestValues("gone").get(0)).isEqualTo(withTtl).isNotEqualTo("0".repeat(40));
            assertThat(r("DEBUG", "DIGEST")).isNotEqualTo("0".repeat(40));
            assertThat(r("EXISTS", "gone")).isEqualTo(0L); // a real lookup still expires it
            assertThat(r("DEBUG", "DIGEST")).isEqualTo("0".repeat(40));
        } finally {
            r("DEBUG", "SET-ACTIVE-EXPIRE", "1");
        }
    }

    // ---- SORT ... STORE ---------------------------------------------------------------------------

    @Test
    void sortStoresEveryGetOfEverySortedElement() {
        r("RPUSH", "tosort", "3", "1", "2");
        r("SET", "weight_1", "10");
        r("SET", "weight_2", "5");
        r("SET", "weight_3", "30");
        r("SET", "obj_1", "one");
        r("SET", "obj_3", "three");
        r("HSET", "h_2", "name", "dos");
        assertThat(r("SORT", "tosort", "BY", "weight_*", "GET", "#", "GET", "obj_*", "GET", "h_*->name", "STORE", "dst"))
                .isEqualTo(9L);
        assertThat(r("LRANGE", "dst", "0", "-1")).isEqualTo(List.of("2", "", "dos", "1", "one", "", "3", "three", ""));
        assertThat(r("SORT", "tosort", "GET", "#", "STORE", "invalid", "STORE", "dst2")).isEqualTo(3L);
        assertThat(r("EXISTS", "invalid")).isEqualTo(0L);
        assertThat(r("LRANGE", "dst2", "0", "-1")).isEqualTo(List.of("1", "2", "3"));
        assertThat(r("COMMAND", "GETKEYS", "SORT", "abc", "STORE", "invalid", "STORE", "stillbad", "STORE", "def"))
                .isEqualTo(List.of("abc", "def"));
    }

    /** sort.tcl "SORT with BY <constant> and STORE should still order output". */
    @Test
    void sortOfASetByAConstantWithStoreIsStillOrdered() {
        r("SADD", "myset", "a", "b", "c", "d", "e", "f", "g", "h", "i", "l", "m", "n", "o", "p", "q", "r", "s", "t",
                "u", "v", "z", "aa", "aaa", "azz");
        r("SORT", "myset", "ALPHA", "BY", "_", "STORE", "mylist");
        assertThat(r("LRANGE", "mylist", "0", "-1")).isEqualTo(List.of("a", "aa", "aaa", "azz", "b", "c", "d", "e",
                "f", "g", "h", "i", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "z"));
    }

    // ---- argument errors --------------------------------------------------------------------------

    @Test
    void errorsNameTheArgument() {
        r("SADD", "s", "a");
        r("ZADD", "z", "1", "a");
        r("RPUSH", "l", "a");
        String limit = "!ERR LIMIT can't be negative";
        String count = "!ERR count should be greater than 0";
        String numkeys = "!ERR numkeys should be greater than 0";
        assertThat(r("SINTERCARD", "1", "s", "LIMIT", "-1")).isEqualTo(limit);
        assertThat(r("SINTERCARD", "1", "s", "LIMIT", "abc")).isEqualTo(limit);
        assertThat(r("ZINTERCARD", "1", "z", "LIMIT", "-1")).isEqualTo(limit);
        assertThat(r("ZINTERCARD", "1", "z", "LIMIT", "abc")).isEqualTo(limit);
        for (String c : new String[]{"0", "-1", "abc"}) {
            assertThat(r("ZMPOP", "1", "z", "MIN", "COUNT", c)).isEqualTo(count);
            assertThat(r("BZMPOP", "0", "1", "z", "MIN", "COUNT", c)).isEqualTo(count);
            assertThat(r("LMPOP", "1", "l", "LEFT", "COUNT", c)).isEqualTo(count);
            assertThat(r("BLMPOP", "0", "1", "l", "LEFT", "COUNT", c)).isEqualTo(count);
        }
        assertThat(r("SINTERCARD", "0", "s")).isEqualTo(numkeys);
        assertThat(r("SINTERCARD", "2", "s")).isEqualTo("!ERR Number of keys can't be greater than number of args");
        assertThat(r("ZINTERCARD", "0", "z")).isEqualTo("!ERR at least 1 input key is needed for 'zintercard' command");
        assertThat(r("ZMPOP", "0", "z", "MIN")).isEqualTo(numkeys);
        assertThat(r("LMPOP", "0", "l", "LEFT")).isEqualTo(numkeys);
        assertThat(r("BLMPOP", "0", "0", "l", "LEFT")).isEqualTo(numkeys);
        assertThat(r("ZMPOP", "2", "z", "MIN")).isEqualTo("!ERR syntax error");
    }

    // ---- OBJECT ENCODING of strings ---------------------------------------------------------------

    private Object encoding(String key) {
        return r("OBJECT", "ENCODING", key);
    }

    /** string.tcl / incr.tcl encoding cases. */
    @Test
    void stringEncodingsFollowHowTheValueWasMade() {
        r("SET", "foo", "1");
        assertThat(encoding("foo")).isEqualTo("int");
        r("APPEND", "foo", "2");
        assertThat(r("GET", "foo")).isEqualTo("12");
        assertThat(encoding("foo")).isEqualTo("raw");
        r("INCR", "foo");
        assertThat(encoding("foo")).isEqualTo("int");
        r("SET", "foo", "1");
        r("SETRANGE", "foo", "1", "2");
        assertThat(encoding("foo")).isEqualTo("raw");
        r("DECR", "foo");
        assertThat(encoding("foo")).isEqualTo("int");

        r("SET", "mykey", "1234");
        assertThat(r("SETRANGE", "mykey", "0", "")).isEqualTo(4L);
        assertThat(encoding("mykey")).isEqualTo("int"); // nothing set: unchanged
        r("SETRANGE", "mykey", "0", "2");
        assertThat(encoding("mykey")).isEqualTo("raw");

        r("SET", "e", "hello");
        assertThat(encoding("e")).isEqualTo("embstr");
        r("APPEND", "e", "");
        assertThat(encoding("e")).isEqualTo("raw");
        r("SET", "e", "x".repeat(44));
        assertThat(encoding("e")).isEqualTo("embstr");
        r("SET", "e", "x".repeat(45));
        assertThat(encoding("e")).isEqualTo("raw");

        r("APPEND", "new", "123"); // APPEND creating the key encodes like SET
        assertThat(encoding("new")).isEqualTo("int");
        r("SETRANGE", "new2", "0", "12"); // SETRANGE creating the key builds a raw string
        assertThat(encoding("new2")).isEqualTo("raw");
        r("SET", "f", "1");
        r("INCRBYFLOAT", "f", "1");
        assertThat(encoding("f")).isEqualTo("embstr");

        r("SET", "a", "1");
        r("COPY", "a", "b");
        r("APPEND", "a", "");
        assertThat(encoding("a")).isEqualTo("raw");
        assertThat(encoding("b")).isEqualTo("int"); // the copy is a separate object
        assertThat(r("OBJECT", "REFCOUNT", "a")).isEqualTo(1L); // a raw "1" is not the shared integer
    }

    // ---- INFO lazyfree ----------------------------------------------------------------------------

    @Test
    void lazyfreedObjectsCountsWhatRedisFreesInTheBackground() {
        r("CONFIG", "RESETSTAT");
        assertThat(lazyfreed()).isZero();
        r(withPrefix(members("m", 200), "SADD", "bigset"));
        r("SADD", "smallset", "a", "b");
        r("SET", "str", "x");
        r(withPrefix(members("m", 200), "SADD", "bigset2"));
        r("DEL", "bigset2"); // a plain DEL frees synchronously in Redis too
        assertThat(r("UNLINK", "bigset", "smallset", "str", "nokey")).isEqualTo(3L);
        assertThat(lazyfreed()).isEqualTo(1L); // only the hashtable set is above the effort threshold

        r("CONFIG", "SET", "hash-max-listpack-entries", "16");
        List<String> fields64 = new ArrayList<>();
        for (int i = 1; i <= 65; i++) {
            if (i <= 64) fields64.add("f" + i);
            if (i <= 64) fields64.add("v");
        }
        r(withPrefix(fields64, "HSET", "h64"));
        r(withPrefix(fields64, "HSET", "h65"));
        r("HSET", "h65", "f65", "v");
        r("UNLINK", "h64", "h65");
        assertThat(lazyfreed()).isEqualTo(2L); // effort 64 is freed in place, 65 lazily
        r("CONFIG", "SET", "hash-max-listpack-entries", "128");

        r("SET", "a", "1");
        r("SET", "b", "1");
        r("FLUSHALL", "ASYNC");
        assertThat(lazyfreed()).isEqualTo(4L); // every key of an async flush
        r("SET", "a", "1");
        r("FLUSHALL", "SYNC");
        r("FLUSHALL");
        assertThat(lazyfreed()).isEqualTo(4L);

        r("CONFIG", "SET", "lazyfree-lazy-user-flush", "yes");
        r("SET", "a", "1");
        r("FLUSHDB");
        r("CONFIG", "SET", "lazyfree-lazy-user-flush", "no");
        r("CONFIG", "SET", "lazyfree-lazy-user-del", "yes");
        r(withPrefix(members("m", 200), "SADD", "bigset"));
        r("DEL", "bigset");
        r("CONFIG", "SET", "lazyfree-lazy-user-del", "no");
        assertThat(lazyfreed()).isEqualTo(6L);

        r("CONFIG", "RESETSTAT");
        assertThat(lazyfreed()).isZero();
    }
}
