package io.keyline.integration;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In-place growth of sets and sorted sets is reported to the keyspace's memory accounting, and
 * shrinking them back (or deleting them) returns it to where it was: no drift.
 */
class CollectionMemoryIT extends ServerTestBase {
    private long used() {
        return keyline.server().keyspace().usedMemory();
    }

    @Test
    void setGrowthIsCountedAndReleased() {
        long before = used();
        for (int i = 0; i < 2000; i++) jedis.sadd("s", "member-" + i, Integer.toString(i));
        long grown = used() - before;
        assertThat(grown).isGreaterThan(4000L * 24);
        for (int i = 0; i < 10; i++) jedis.spop("s", 400);
        assertThat(jedis.exists("s")).isFalse();
        assertThat(used()).isEqualTo(before);

        jedis.sadd("i", "1", "2", "3");
        jedis.sadd("x", "a");
        jedis.smove("i", "x", "2");
        jedis.sinterstore("y", "i", "i");
        jedis.del("i", "x", "y");
        assertThat(used()).isEqualTo(before);
    }

    @Test
    void sortedSetGrowthIsCountedAndReleased() {
        long before = used();
        Map<String, Double> batch = new HashMap<>();
        for (int i = 0; i < 3000; i++) batch.put("member-" + i, (double) i);
        jedis.zadd("z", batch);
        long grown = used() - before;
        assertThat(grown).isGreaterThan(3000L * 60);
        for (int i = 0; i < 3000; i += 3) jedis.zincrby("z", 1.5, "member-" + i);
        jedis.zremrangeByRank("z", 0, 999);
        jedis.zpopmax("z", 1000);
        jedis.zunionstore("u", "z", "z");
        jedis.zrem("z", jedis.zrange("z", 0, -1).toArray(new String[0]));
        assertThat(jedis.exists("z")).isFalse();
        jedis.del("u");
        assertThat(used()).isEqualTo(before);
    }
}
