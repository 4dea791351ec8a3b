package io.keyline.store;

import io.keyline.util.Bytes;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-stripe hash table alone: incremental rehash, SCAN guarantees, the volatile index. */
class KeyTableTest {
    /** A blob slot, or a boxed one for every third key, so both kinds share the table. */
    private static Object entry(String key) {
        byte[] k = Bytes.of(key);
        return Bytes.hash(k) % 3 == 0 ? new BoxedEntry(k, k, 0) : SlotLayout.make(k, k, -1, 0);
    }

    private static Object volatileEntry(String key, long at) {
        byte[] k = Bytes.of(key);
        return Bytes.hash(k) % 3 == 0 ? new VolatileEntry(k, k, at, 0) : SlotLayout.make(k, k, at, 0);
    }

    private static void insert(KeyTable t, Object slot) {
        t.insert(Bytes.hash(SlotLayout.key(slot)), slot);
    }

    private static String keyOf(Object slot) {
        return Bytes.str(SlotLayout.key(slot));
    }

    private static Object find(KeyTable t, String key) {
        byte[] k = Bytes.of(key);
        return t.find(Bytes.hash(k), k);
    }

    private static Object remove(KeyTable t, String key) {
        byte[] k = Bytes.of(key);
        return t.remove(Bytes.hash(k), k);
    }

    private static void replace(KeyTable t, Object old, Object replacement) {
        t.replace(Bytes.hash(SlotLayout.key(old)), old, replacement);
    }

    @Test
    void growsIncrementallyAndFindsEveryKeyMidRehash() {
        KeyTable t = new KeyTable();
        boolean sawRehash = false;
        for (int i = 0; i < 5000; i++) {
            insert(t, entry("key:" + i));
            sawRehash |= t.rehashing();
            // Every key inserted so far is findable whether or not a rehash is in progress.
            if (i % 97 == 0) {
                for (int j = 0; j <= i; j += 13) assertThat(find(t, "key:" + j)).as("key:" + j).isNotNull();
            }
        }
        assertThat(sawRehash).isTrue();
        assertThat(t.size()).isEqualTo(5000);
        for (int i = 0; i < 5000; i++) assertThat(find(t, "key:" + i)).isNotNull();
        assertThat(find(t, "nope")).isNull();
    }

    @Test
    void finishRehashCompletesAGrowthAtOnce() {
        KeyTable t = new KeyTable();
        int finished = 0;
        for (int i = 0; i < 5000; i++) {
            insert(t, entry("key:" + i));
            if (t.rehashing()) {
                t.finishRehash();
                finished++;
            }
            assertThat(t.rehashing()).isFalse();
        }
        assertThat(finished).isGreaterThan(5); // the table doubled several times
        assertThat(t.size()).isEqualTo(5000);
        for (int i = 0; i < 5000; i++) assertThat(find(t, "key:" + i)).as("key:" + i).isNotNull();
    }

    @Test
    void shrinksWhenEmptiedAndKeepsTheRest() {
        KeyTable t = new KeyTable();
        for (int i = 0; i < 4000; i++) insert(t, entry("k" + i));
        boolean sawRehash = false;
        for (int i = 0; i < 3990; i++) {
            assertThat(remove(t, "k" + i)).isNotNull();
            sawRehash |= t.rehashing();
        }
        assertThat(sawRehash).isTrue();
        assertThat(t.size()).isEqualTo(10);
        for (int i = 3990; i < 4000; i++) assertThat(find(t, "k" + i)).isNotNull();
        assertThat(remove(t, "k0")).isNull();
    }

    @Test
    void fullScanReturnsEveryKeyOfAStableTable() {
        KeyTable t = new KeyTable();
        Set<String> all = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            insert(t, entry("s" + i));
            all.add("s" + i);
        }
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        do {
            cursor = t.scan(cursor, o -> seen.add(keyOf(o)));
        } while (cursor != 0);
        assertThat(seen).isEqualTo(all);
    }

    @Test
    void scanSurvivesGrowthAndShrinkBetweenSteps() {
        Random rnd = new Random(42);
        for (int round = 0; round < 8; round++) {
            KeyTable t = new KeyTable();
            Set<String> stable = new HashSet<>();
            List<String> churn = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                insert(t, entry("stable" + i));
                stable.add("stable" + i);
            }
            Set<String> seen = new HashSet<>();
            long cursor = 0;
            int n = 0;
            do {
                cursor = t.scan(cursor, o -> seen.add(keyOf(o)));
                // Between steps the table grows a lot, then shrinks back: both trigger rehashes.
                int phase = (n++ / 20) % 2;
                if (phase == 0) {
                    for (int k = 0; k < 40; k++) {
                        String key = "churn" + round + ":" + rnd.nextInt(1_000_000);
                        if (find(t, key) == null) {
                            insert(t, entry(key));
                            churn.add(key);
                        }
                    }
                } else {
                    for (int k = 0; k < 60 && !churn.isEmpty(); k++) remove(t, churn.remove(churn.size() - 1));
                }
            } while (cursor != 0);
            assertThat(seen).containsAll(stable);
        }
    }

    @Test
    void volatileIndexFollowsInsertReplaceAndRemove() {
        KeyTable t = new KeyTable();
        for (int i = 0; i < 100; i++) insert(t, i % 2 == 0 ? volatileEntry("v" + i, 1000 + i) : entry("v" + i));
        assertThat(t.volatileCount()).isEqualTo(50);
        // Replacing a plain entry with a volatile one (EXPIRE) and back (PERSIST).
        Object plain = find(t, "v1");
        Object withTtl = volatileEntry("v1", 5);
        replace(t, plain, withTtl);
        assertThat(t.volatileCount()).isEqualTo(51);
        replace(t, withTtl, entry("v1"));
        assertThat(t.volatileCount()).isEqualTo(50);
        for (int i = 0; i < 100; i += 4) remove(t, "v" + i);
        assertThat(t.volatileCount()).isEqualTo(25);
        Set<String> sampled = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            Object v = t.randomVolatile(ThreadLocalRandom.current());
            assertThat(SlotLayout.expireAt(v)).isGreaterThanOrEqualTo(1000);
            assertThat(find(t, keyOf(v))).isSameAs(v);
            sampled.add(keyOf(v));
        }
        assertThat(sampled).hasSize(25);
    }
}
