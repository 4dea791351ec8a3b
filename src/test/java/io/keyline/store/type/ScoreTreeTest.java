package io.keyline.store.type;

import io.keyline.util.Bytes;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The counted B+ tree against a sorted model: structure (counts, key bounds, leaf links) after
 * growth and after deletions down to empty (merges, dropped nodes, a shrinking root), ranks,
 * ranges both ways, counts below a score or member, updates in place.
 */
class ScoreTreeTest {
    record E(double score, byte[] member) {
    }

    private static final Comparator<E> ORDER = (a, b) -> ScoreTree.compare(a.score, a.member, b.score, b.member);

    @Test
    void growsAndShrinksAgainstAModel() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        ScoreTree tree = new ScoreTree();
        TreeSet<E> model = new TreeSet<>(ORDER);
        int n = 60_000;
        for (int i = 0; i < n; i++) {
            E e = new E(rnd.nextInt(5_000), Bytes.of("m" + i));
            model.add(e);
            tree.insert(e.score, e.member);
            if (i % 5_000 == 0) tree.check();
        }
        tree.check();
        compare(tree, new ArrayList<>(model), rnd, seed);
        // random deletions and re-insertions, then delete everything
        List<E> all = new ArrayList<>(model);
        java.util.Collections.shuffle(all, rnd);
        for (int i = 0; i < n / 2; i++) {
            E e = all.get(i);
            tree.delete(e.score, e.member);
            model.remove(e);
            if (i % 3 == 0) {
                E f = new E(rnd.nextInt(5_000), e.member);
                tree.insert(f.score, f.member);
                model.add(f);
                all.set(i, f);
            }
            if (i % 3_000 == 0) tree.check();
        }
        tree.check();
        compare(tree, new ArrayList<>(model), rnd, seed);
        List<E> rest = new ArrayList<>(model);
        java.util.Collections.shuffle(rest, rnd);
        for (int i = 0; i < rest.size(); i++) {
            tree.delete(rest.get(i).score, rest.get(i).member);
            if (i % 1_000 == 0) tree.check();
        }
        tree.check();
        assertThat(tree.size()).isZero();
        assertThat(tree.countBelow(1e9, true)).isZero();
        tree.insert(1, Bytes.of("again"));
        tree.check();
        assertThat(tree.rank(1, Bytes.of("again"))).isEqualTo(1);
    }

    @Test
    void deletingInOrderFromEitherEnd() {
        for (boolean fromTop : new boolean[] {false, true}) {
            ScoreTree tree = new ScoreTree();
            int n = 20_000;
            for (int i = 0; i < n; i++) tree.insert(i, Bytes.of("m"));
            for (int i = 0; i < n; i++) {
                int k = fromTop ? n - 1 - i : i;
                tree.delete(k, Bytes.of("m"));
                if (i % 997 == 0) tree.check();
            }
            tree.check();
            assertThat(tree.size()).isZero();
        }
    }

    @Test
    void orderedLoadsFillLeaves() {
        for (boolean descending : new boolean[] {false, true}) {
            ScoreTree tree = new ScoreTree();
            int n = 200_000;
            for (int i = 0; i < n; i++) tree.insert(descending ? n - i : i, Bytes.of("m"));
            tree.check();
            // full leaves but the last: n / LEAF_MAX of them, not twice as many
            assertThat(tree.bytes()).isLessThan((n / ScoreTree.LEAF_MAX + 1) * ScoreTree.LEAF_BYTES * 11 / 10
                    + (n / ScoreTree.LEAF_MAX / 16 + 8) * ScoreTree.INNER_BYTES);
            assertThat(tree.rank(descending ? n : n - 1, Bytes.of("m"))).isEqualTo(n);
        }
    }

    @Test
    void updateInPlaceOnlyBetweenNeighbours() {
        ScoreTree tree = new ScoreTree();
        for (int i = 0; i < 1000; i++) tree.insert(i * 10, Bytes.of("m" + i));
        // m500 at 5000 -> 5003 keeps its place; -> 6000 would pass m501..m599
        assertThat(tree.updateInPlace(5000, Bytes.of("m500"), 5003)).isTrue();
        assertThat(tree.rank(5003, Bytes.of("m500"))).isEqualTo(501);
        assertThat(tree.updateInPlace(5003, Bytes.of("m500"), 6000)).isFalse();
        assertThat(tree.rank(5003, Bytes.of("m500"))).isEqualTo(501);
        tree.check();
    }

    private static void compare(ScoreTree tree, List<E> model, Random rnd, long seed) {
        assertThat(tree.size()).isEqualTo(model.size());
        List<E> walked = new ArrayList<>();
        tree.range(0, model.size(), false, (m, s) -> walked.add(new E(s, m)));
        assertThat(walked).hasSize(model.size());
        for (int i = 0; i < model.size(); i++) {
            assertThat(walked.get(i).member).as("seed %d", seed).isEqualTo(model.get(i).member);
            assertThat(walked.get(i).score).isEqualTo(model.get(i).score);
        }
        for (int k = 0; k < 3000; k++) {
            int r = rnd.nextInt(model.size());
            E e = model.get(r);
            assertThat(tree.rank(e.score, e.member)).as("seed %d", seed).isEqualTo(r + 1);
            List<byte[]> down = new ArrayList<>();
            tree.range(r, 70, true, (m, s) -> down.add(m));
            assertThat(down).hasSize(Math.min(70, r + 1));
            for (int j = 0; j < down.size(); j++) assertThat(down.get(j)).isEqualTo(model.get(r - j).member);
        }
        assertThat(tree.rank(-1, Bytes.of("nope"))).isZero();
        double[] scores = model.stream().mapToDouble(E::score).toArray();
        for (int k = 0; k < 1000; k++) {
            double s = rnd.nextInt(5_002) - 1 + (rnd.nextBoolean() ? 0 : 0.5);
            long below = Arrays.stream(scores).filter(v -> v < s).count();
            long atMost = Arrays.stream(scores).filter(v -> v <= s).count();
            assertThat(tree.countBelow(s, false)).as("seed %d", seed).isEqualTo(below);
            assertThat(tree.countBelow(s, true)).isEqualTo(atMost);
        }
    }

    @Test
    void lexRangesOnEqualScores() {
        ScoreTree tree = new ScoreTree();
        List<String> words = new ArrayList<>();
        Random rnd = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            String w = Integer.toString(rnd.nextInt(1_000_000_000), 36);
            if (tree.rank(0, Bytes.of(w)) == 0) {
                tree.insert(0, Bytes.of(w));
                words.add(w);
            }
        }
        words.sort(Comparator.naturalOrder());
        tree.check();
        for (int k = 0; k < 1000; k++) {
            String probe = Integer.toString(rnd.nextInt(1_000_000_000), 36);
            int lt, le;
            int idx = java.util.Collections.binarySearch(words, probe);
            if (idx >= 0) {
                lt = idx;
                le = idx + 1;
            } else {
                lt = le = -idx - 1;
            }
            assertThat(tree.countLexBelow(Bytes.of(probe), false)).isEqualTo(lt);
            assertThat(tree.countLexBelow(Bytes.of(probe), true)).isEqualTo(le);
        }
    }
}
