package io.keyline.integration;

import io.keyline.embed.EmbeddedKeyline;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SortingParams;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** TYPE, OBJECT ENCODING, CONFIG SET thresholds and COPY for lists and hashes. */
class CollectionEncodingIT extends ServerTestBase {

    @Test
    void listEncodingFollowsListMaxListpackSize() {
        jedis.configSet("list-max-listpack-size", "4");
        try {
            jedis.rpush("l", "1", "2", "3", "4");
            assertThat(jedis.type("l")).isEqualTo("list");
            assertThat(jedis.objectEncoding("l")).isEqualTo("listpack");
            jedis.rpush("l", "5");
            assertThat(jedis.objectEncoding("l")).isEqualTo("quicklist");
            // Redis 7.2: back to listpack once one node at most half full remains
            jedis.ltrim("l", 0, 1);
            assertThat(jedis.objectEncoding("l")).isEqualTo("listpack");
        } finally {
            jedis.configSet("list-max-listpack-size", "-2");
        }
        jedis.rpush("big", "x".repeat(9000));
        assertThat(jedis.objectEncoding("big")).isEqualTo("quicklist");
    }

    /**
     * Redis 7.2: a list is a listpack while it fits one node of list-max-listpack-size, a quicklist
     * beyond; SORT ... STORE builds a quicklist and converts it at the end by the same rule
     * (listTypeTryConversion, LIST_CONV_AUTO), so the stored list follows the server's setting too.
     */
    @Test
    void configSetListMaxListpackSizeShapesNewListsAndSortStoreResults() {
        jedis.sadd("s", "5", "3", "1", "4", "2");
        jedis.sort("s", "sorted-default");
        assertThat(jedis.objectEncoding("sorted-default")).isEqualTo("listpack"); // 8 KB nodes fit five
        jedis.configSet("list-max-listpack-size", "3");
        try {
            jedis.rpush("fits", "1", "2", "3");
            assertThat(jedis.objectEncoding("fits")).isEqualTo("listpack");
            jedis.rpush("over", "1", "2", "3", "4");
            assertThat(jedis.objectEncoding("over")).isEqualTo("quicklist");

            assertThat(jedis.sort("s", new SortingParams().limit(0, 3), "sorted3")).isEqualTo(3);
            assertThat(jedis.objectEncoding("sorted3")).isEqualTo("listpack");
            assertThat(jedis.sort("s", "sorted5")).isEqualTo(5);
            assertThat(jedis.objectEncoding("sorted5")).isEqualTo("quicklist");
            assertThat(jedis.lrange("sorted5", 0, -1)).containsExactly("1", "2", "3", "4", "5");
            // Popping to one node of two: still over half of 3, so it stays a quicklist ...
            jedis.lpop("sorted5", 3);
            assertThat(jedis.objectEncoding("sorted5")).isEqualTo("quicklist");

            // ... while a later CONFIG SET reaches existing lists, SORT-stored ones too, on their next write.
            jedis.configSet("list-max-listpack-size", "8");
            jedis.lpush("sorted5", "3");
            jedis.lpop("sorted5");
            assertThat(jedis.objectEncoding("sorted5")).isEqualTo("listpack"); // 2 <= 8 / 2
            assertThat(jedis.lrange("sorted5", 0, -1)).containsExactly("4", "5");
        } finally {
            jedis.configSet("list-max-listpack-size", "-2");
        }
    }

    /** Two servers in one JVM share the SORT ... STORE factory but each stored list follows its own server. */
    @Test
    void sortStoreUsesTheLimitsOfTheServerItRunsIn() {
        try (EmbeddedKeyline tight = EmbeddedKeyline.builder().config("list-max-listpack-size", "2").start();
             Jedis other = new Jedis(tight.host(), tight.port())) {
            other.sadd("s", "1", "2", "3");
            jedis.sadd("s", "1", "2", "3");
            assertThat(other.sort("s", "dst")).isEqualTo(3);
            assertThat(jedis.sort("s", "dst")).isEqualTo(3);
            assertThat(other.objectEncoding("dst")).isEqualTo("quicklist");
            assertThat(jedis.objectEncoding("dst")).isEqualTo("listpack");
        }
    }

    @Test
    void hashEncodingFollowsEntriesAndValueLimits() {
        jedis.configSet("hash-max-listpack-entries", "3");
        jedis.configSet("hash-max-listpack-value", "10");
        try {
            jedis.hset("h", Map.of("a", "1", "b", "2", "c", "3"));
            assertThat(jedis.type("h")).isEqualTo("hash");
            assertThat(jedis.objectEncoding("h")).isEqualTo("listpack");
            jedis.hset("h", "d", "4");
            assertThat(jedis.objectEncoding("h")).isEqualTo("hashtable");
            jedis.hdel("h", "a", "b", "c");
            assertThat(jedis.objectEncoding("h")).isEqualTo("hashtable"); // never converts back
            jedis.hset("v", "f", "0123456789");
            assertThat(jedis.objectEncoding("v")).isEqualTo("listpack");
            jedis.hset("v", "g", "01234567890");
            assertThat(jedis.objectEncoding("v")).isEqualTo("hashtable");
        } finally {
            jedis.configSet("hash-max-listpack-entries", "512");
            jedis.configSet("hash-max-listpack-value", "64");
        }
    }

    @Test
    void copyIsDeep() {
        jedis.rpush("l", "a", "b");
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i < 600; i++) fields.put("f" + i, "v" + i);
        jedis.hset("h", fields);
        assertThat(jedis.objectEncoding("h")).isEqualTo("hashtable");
        assertThat(jedis.copy("l", "l2", false)).isTrue();
        assertThat(jedis.copy("h", "h2", false)).isTrue();
        jedis.rpush("l", "c");
        jedis.hdel("h", "f1");
        assertThat(jedis.lrange("l2", 0, -1)).containsExactly("a", "b");
        assertThat(jedis.hlen("h2")).isEqualTo(600);
        assertThat(jedis.objectEncoding("h2")).isEqualTo("hashtable");
    }

    @Test
    void memoryAccountingReturnsToBaselineAfterInPlaceChanges() {
        jedis.flushAll();
        long baseline = keyline.server().keyspace().usedMemory();
        for (int i = 0; i < 2000; i++) jedis.rpush("l", "element-" + i);
        for (int i = 0; i < 700; i++) jedis.hset("h", "field-" + i, "value-" + i);
        long grown = keyline.server().keyspace().usedMemory();
        assertThat(grown - baseline).isGreaterThan(2000L * 12 + 700L * 20);
        jedis.lset("l", 5, "x".repeat(1000));
        jedis.linsert("l", redis.clients.jedis.args.ListPosition.BEFORE, "element-9", "y");
        jedis.lrem("l", 0, "element-10");
        jedis.ltrim("l", 3, 1500);
        jedis.lmove("l", "l2", redis.clients.jedis.args.ListDirection.LEFT, redis.clients.jedis.args.ListDirection.LEFT);
        jedis.lpop("l", 10);
        jedis.hincrBy("h", "counter", 5);
        jedis.hdel("h", "field-1", "field-2");
        jedis.hset("h", "field-3", "z".repeat(500));
        while (jedis.lpop("l", 100) != null) {
            // drain
        }
        jedis.del("l2");
        for (int i = 0; i < 700; i++) jedis.hdel("h", "field-" + i);
        jedis.hdel("h", "counter");
        assertThat(jedis.exists("l", "l2", "h")).isZero();
        assertThat(keyline.server().keyspace().usedMemory()).isEqualTo(baseline);
    }
}
