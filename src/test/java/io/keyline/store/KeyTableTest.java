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
        return Bytes.hash(k) % 3 == 0 ? new BoxedEntry(k, Bytes.hash(k), k, 0) : SlotLayout.make(k, Bytes.hash(k), k, -1, 0);
    }

    private static Object volatileEntry(String key, long at) {
        byte[] k = Bytes.of(key);
        return Bytes.hash(k) % 3 == 0 ? new VolatileEntry(k, Bytes.hash(k), k, at, 0) : SlotLayout.make(k, Bytes.hash(k), k, at, 0);
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

    // ---- tables of several chunks (16384 slots each) ------------------------------------------

    private static final int TWO_CHUNKS = 1 << 15;
    private static final int CHUNK = 1 << 14;

    /** {@code count} keys named {@code prefix<n>} whose home in a table of {@code length} slots is {@code home}. */
    private static List<String> keysWithHome(String prefix, int length, int home, int count) {
        List<String> keys = new ArrayList<>();
        for (int n = 0; keys.size() < count; n++) {
            String key = prefix + n;
            if ((Bytes.hash(Bytes.of(key)) & (length - 1)) == home) keys.add(key);
        }
        return keys;
    }

    private static boolean nearBoundary(int home) {
        int guard = 512;
        return Math.abs(home - CHUNK) < guard || home < guard || home >= TWO_CHUNKS - guard;
    }

    /**
     * A table of two chunks at rest holding 13,000 keys whose homes are far from the chunk boundary
     * and from the ends, so runs placed there by a test are its own.
     */
    private static KeyTable twoChunkTable() {
        KeyTable t = new KeyTable();
        int added = 0;
        for (int n = 0; added < 13_000; n++) {
            String key = "filler" + n;
            if (nearBoundary(Bytes.hash(Bytes.of(key)) & (TWO_CHUNKS - 1))) continue;
            insert(t, entry(key));
            added++;
        }
        t.finishRehash();
        assertThat(t.capacity()).isEqualTo(TWO_CHUNKS);
        return t;
    }

    private static int position(KeyTable t, String key) {
        byte[] k = Bytes.of(key);
        return t.positionOf(Bytes.hash(k), k);
    }

    @Test
    void probeRunsAndBackwardShiftCrossFromOneChunkIntoTheNext() {
        KeyTable t = twoChunkTable();
        List<String> run = new ArrayList<>();
        run.addAll(keysWithHome("a", TWO_CHUNKS, CHUNK - 2, 3));
        run.addAll(keysWithHome("b", TWO_CHUNKS, CHUNK - 1, 3));
        run.addAll(keysWithHome("c", TWO_CHUNKS, CHUNK, 2));
        for (String key : run) insert(t, entry(key));
        for (int i = 0; i < run.size(); i++) {
            assertThat(position(t, run.get(i))).as(run.get(i)).isEqualTo(CHUNK - 2 + i);
            assertThat(find(t, run.get(i))).isNotNull();
        }
        // Deleting the run's first key shifts every later one back by one, three of them across the boundary.
        assertThat(remove(t, run.get(0))).isNotNull();
        assertThat(find(t, run.get(0))).isNull();
        for (int i = 1; i < run.size(); i++) {
            assertThat(position(t, run.get(i))).as(run.get(i)).isEqualTo(CHUNK - 3 + i);
            assertThat(find(t, run.get(i))).isNotNull();
        }
        // With the other keys of CHUNK - 2 gone the rest moves back only as far as their homes allow.
        assertThat(remove(t, run.get(1))).isNotNull();
        assertThat(remove(t, run.get(2))).isNotNull();
        int[] home = {CHUNK - 1, CHUNK, CHUNK + 1, CHUNK + 2, CHUNK + 3};
        for (int i = 3; i < run.size(); i++) assertThat(position(t, run.get(i))).as(run.get(i)).isEqualTo(home[i - 3]);
        assertThat(t.size()).isEqualTo(13_000 + run.size() - 3);
    }

    @Test
    void probeRunsAndBackwardShiftWrapFromTheLastChunkToTheFirst() {
        KeyTable t = twoChunkTable();
        List<String> run = new ArrayList<>();
        run.addAll(keysWithHome("y", TWO_CHUNKS, TWO_CHUNKS - 2, 2));
        run.addAll(keysWithHome("z", TWO_CHUNKS, TWO_CHUNKS - 1, 2));
        run.addAll(keysWithHome("w", TWO_CHUNKS, 0, 1));
        for (String key : run) insert(t, entry(key));
        int[] placed = {TWO_CHUNKS - 2, TWO_CHUNKS - 1, 0, 1, 2};
        for (int i = 0; i < run.size(); i++) assertThat(position(t, run.get(i))).as(run.get(i)).isEqualTo(placed[i]);
        assertThat(remove(t, run.get(0))).isNotNull();
        int[] shifted = {TWO_CHUNKS - 2, TWO_CHUNKS - 1, 0, 1};
        for (int i = 1; i < run.size(); i++) {
            assertThat(position(t, run.get(i))).as(run.get(i)).isEqualTo(shifted[i - 1]);
            assertThat(find(t, run.get(i))).isNotNull();
        }
        // A lookup of an absent key whose home is the last slot walks across the wrap to the gap.
        assertThat(find(t, keysWithHome("absent", TWO_CHUNKS, TWO_CHUNKS - 1, 1).get(0))).isNull();
    }

    @Test
    void scanOfAMultiChunkTableMidResizeReturnsEveryStableKey() {
        Random rnd = new Random(7);
        KeyTable t = new KeyTable();
        Set<String> stable = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            insert(t, entry("stable" + i));
            stable.add("stable" + i);
        }
        t.finishRehash();
        assertThat(t.capacity()).isEqualTo(TWO_CHUNKS);
        List<String> churn = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int stepsMidGrowth = 0, n = 0;
        do {
            // First grow past 3/4 of 32768 slots (a resize to four chunks), then empty the churn again.
            boolean growing = n++ < 1200;
            cursor = t.scan(cursor, o -> seen.add(keyOf(o)));
            if (t.rehashing() && growing) stepsMidGrowth++;
            for (int k = 0; k < 8; k++) {
                if (growing) {
                    String key = "churn" + rnd.nextInt(1 << 30);
                    if (find(t, key) == null) {
                        insert(t, entry(key));
                        churn.add(key);
                    }
                } else if (!churn.isEmpty()) {
                    assertThat(remove(t, churn.remove(churn.size() - 1))).isNotNull();
                }
            }
        } while (cursor != 0);
        assertThat(seen).containsAll(stable);
        assertThat(stepsMidGrowth).isPositive();
        assertThat(t.size()).isEqualTo(stable.size() + churn.size());
    }

    @Test
    void randomSamplingAndTheVolatileIndexSpanSeveralChunks() {
        KeyTable t = new KeyTable();
        int keys = 3 * CHUNK + 100; // the volatile index needs four chunks
        for (int i = 0; i < keys; i++) insert(t, volatileEntry("v" + i, 1000 + i));
        assertThat(t.volatileCount()).isEqualTo(keys);
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        Set<String> sampled = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            Object v = t.randomVolatile(rnd);
            assertThat(find(t, keyOf(v))).isSameAs(v);
            sampled.add(keyOf(v));
            Object s = t.randomSlot(rnd);
            assertThat(find(t, keyOf(s))).isSameAs(s);
        }
        // Samples reach keys in every chunk of the index (they were added in order, v0 first).
        assertThat(sampled.stream().mapToInt(k -> Integer.parseInt(k.substring(1)) / CHUNK).distinct().count()).isEqualTo(4);
        // Removing from the front moves the last entries into the gaps; dropping chunks keeps the rest.
        for (int i = 0; i < keys - 10; i++) assertThat(remove(t, "v" + i)).isNotNull();
        assertThat(t.volatileCount()).isEqualTo(10);
        Set<String> left = new HashSet<>();
        for (int i = 0; i < 2000; i++) left.add(keyOf(t.randomVolatile(rnd)));
        assertThat(left).hasSize(10);
        for (int i = keys - 10; i < keys; i++) assertThat(left).contains("v" + i);
        for (int i = keys - 10; i < keys; i++) remove(t, "v" + i);
        assertThat(t.volatileCount()).isZero();
        assertThat(t.randomVolatile(rnd)).isNull();
    }
}
