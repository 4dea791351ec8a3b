package io.keyline.store.type;

import io.keyline.util.Bytes;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The skiplist against a sorted array on 100k elements: ranks, spans, by-rank access, range counts. */
class SkipListTest {
    record E(double score, byte[] member) {
    }

    private static final Comparator<E> ORDER = (a, b) -> SkipList.compare(a.score, a.member, b.score, b.member);

    @Test
    void hundredThousandElements() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        SkipList list = new SkipList();
        List<E> model = new ArrayList<>();
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            E e = new E(rnd.nextInt(20_000), Bytes.of("m" + i));
            model.add(e);
            list.insert(e.score, e.member);
        }
        // delete a third, in random order
        for (int i = 0; i < n / 3; i++) {
            E e = model.remove(rnd.nextInt(model.size()));
            assertThat(list.delete(e.score, e.member)).as("seed %d", seed).isNotNull();
        }
        assertThat(list.delete(-1, Bytes.of("nope"))).isNull();
        model.sort(ORDER);
        assertThat(list.length).isEqualTo(model.size());
        checkSpans(list, seed);
        // walk level 0 and backward pointers
        SkipList.Node x = list.header.next0;
        for (E e : model) {
            assertThat(x.member).isEqualTo(e.member);
            x = x.next0;
        }
        assertThat(x).isNull();
        assertThat(list.tail.member).isEqualTo(model.get(model.size() - 1).member);
        // ranks and by-rank for a sample
        for (int k = 0; k < 5000; k++) {
            int r = rnd.nextInt(model.size());
            E e = model.get(r);
            assertThat(list.rank(e.score, e.member)).as("seed %d", seed).isEqualTo(r + 1);
            assertThat(list.byRank(r + 1).member).isEqualTo(e.member);
        }
        assertThat(list.byRank(0)).isNull();
        assertThat(list.byRank(model.size() + 1)).isNull();
        // score ranges
        double[] scores = model.stream().mapToDouble(E::score).toArray();
        for (int k = 0; k < 2000; k++) {
            double s = rnd.nextInt(20_002) - 1 + (rnd.nextBoolean() ? 0 : 0.5);
            long below = Arrays.stream(scores).filter(v -> v < s).count();
            long atMost = Arrays.stream(scores).filter(v -> v <= s).count();
            assertThat(list.countBelow(s, false)).as("seed %d", seed).isEqualTo(below);
            assertThat(list.countBelow(s, true)).isEqualTo(atMost);
        }
    }

    @Test
    void lexRangesOnEqualScores() {
        SkipList list = new SkipList();
        List<String> words = new ArrayList<>();
        Random rnd = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            String w = Integer.toString(rnd.nextInt(1_000_000_000), 36);
            if (list.rank(0, Bytes.of(w)) == 0) {
                list.insert(0, Bytes.of(w));
                words.add(w);
            }
        }
        words.sort(Comparator.naturalOrder());
        checkSpans(list, 42);
        for (int k = 0; k < 1000; k++) {
            String probe = Integer.toString(rnd.nextInt(1_000_000_000), 36);
            int lt = 0, le = 0;
            int idx = java.util.Collections.binarySearch(words, probe);
            if (idx >= 0) {
                lt = idx;
                le = idx + 1;
            } else {
                lt = le = -idx - 1;
            }
            assertThat(list.countLexBelow(Bytes.of(probe), false)).isEqualTo(lt);
            assertThat(list.countLexBelow(Bytes.of(probe), true)).isEqualTo(le);
        }
    }

    /** Every forward pointer's span equals the number of level-0 steps it skips. */
    private static void checkSpans(SkipList list, long seed) {
        java.util.IdentityHashMap<SkipList.Node, Long> pos = new java.util.IdentityHashMap<>();
        long p = 0;
        pos.put(list.header, 0L);
        for (SkipList.Node x = list.header.next0; x != null; x = x.next0) pos.put(x, ++p);
        for (SkipList.Node x = list.header; x != null; x = x.next0) {
            int levels = x == list.header ? list.level : x.levels();
            for (int i = 1; i < levels; i++) {
                SkipList.Node nx = SkipList.next(x, i);
                if (nx != null) assertThat(SkipList.span(x, i)).as("seed %d", seed).isEqualTo(pos.get(nx) - pos.get(x));
            }
        }
    }
}
