package io.keyline.store.type;

import io.keyline.store.Memory;

import java.util.Arrays;

/**
 * The ordered half of a large sorted set: a counted B+ tree of (score, member) pairs, ordered by
 * score and then member bytes (unsigned). Inner nodes keep each child's element count, so ranks,
 * rank-indexed access and counts below a score or member are O(log n) as with Redis's zskiplist's
 * spans; leaves are linked both ways for ranges.
 *
 * <p>Why not a skip list, as Redis has: a search in a skip list of n nodes loads about
 * 4 log4(n) nodes one after the other, each at a random heap address (about 36 for 300,000
 * members), and those cache misses were two thirds of ZADD's pinned -P 16 profile. Here a search
 * loads one node per level (three or four levels for 300,000 members, the top ones staying in the
 * cache), and compares scores in one {@code double[]} per node; a member's bytes are read only on an
 * equal score. It also needs no node object per element: a leaf holds up to {@link #LEAF_MAX}
 * elements in two arrays.
 *
 * <p>Each inner node keeps a lower bound for each child but the first: every element of child i is
 * at least key i, and below key i+1. Deletions never break that, so they never update keys; a
 * leaf or inner node that falls below a quarter full is merged into a neighbour when both fit in
 * three quarters of a node, and an emptied node is removed. The caller guarantees that an inserted
 * pair is absent and a deleted pair present (the member table knows), so counts are adjusted on
 * the way down. Not thread-safe.
 */
final class ScoreTree {
    static final int LEAF_MAX = 64;
    static final int INNER_MAX = 64;
    /** Heap bytes of a leaf and of an inner node with their arrays (four references and an int each). */
    static final long LEAF_BYTES = Memory.object(4L * Memory.REFERENCE + 4) + Memory.longArray(LEAF_MAX)
            + Memory.referenceArray(LEAF_MAX);
    static final long INNER_BYTES = Memory.object(4L * Memory.REFERENCE + 4) + 2 * Memory.referenceArray(INNER_MAX)
            + Memory.intArray(INNER_MAX) + Memory.longArray(INNER_MAX);
    /** This object: three references, an int and three longs. */
    private static final long OBJECT = Memory.object(3L * Memory.REFERENCE + 4 + 3 * 8);

    static final class Leaf {
        final double[] scores = new double[LEAF_MAX];
        final byte[][] members = new byte[LEAF_MAX][];
        int n;
        Leaf prev, next;
    }

    static final class Inner {
        final Object[] kids = new Object[INNER_MAX]; // Leaf or Inner, by the tree's height
        final int[] counts = new int[INNER_MAX];
        final double[] keyScores = new double[INNER_MAX]; // key 0 is unused
        final byte[][] keyMembers = new byte[INNER_MAX][];
        int n;
    }

    private Object root = new Leaf();
    /** Inner levels above the leaves (0: the root is a leaf). */
    private int height;
    private long size;
    private long leaves = 1;
    private long inners;
    // The inner nodes and child indexes of the last descent, root first, reused (one tree per key).
    private Inner[] path = new Inner[8];
    private int[] at = new int[8];

    long size() {
        return size;
    }

    long bytes() {
        return OBJECT + leaves * LEAF_BYTES + inners * INNER_BYTES + Memory.referenceArray(path.length)
                + Memory.intArray(at.length);
    }

    static int compare(double s1, byte[] m1, double s2, byte[] m2) {
        if (s1 < s2) return -1;
        if (s1 > s2) return 1;
        return Arrays.compareUnsigned(m1, m2);
    }

    /** The child of {@code x} whose range holds (score, member): the last i with key i at most the pair. */
    private static int child(Inner x, double score, byte[] member) {
        int lo = 1, hi = x.n; // first i >= 1 whose key is above the pair
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            double k = x.keyScores[mid];
            if (k < score || (k == score && Arrays.compareUnsigned(x.keyMembers[mid], member) <= 0)) lo = mid + 1;
            else hi = mid;
        }
        return lo - 1;
    }

    /** First index in the leaf whose element is not below (score, member). */
    private static int lowerBound(Leaf l, double score, byte[] member) {
        int lo = 0, hi = l.n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            double s = l.scores[mid];
            if (s < score || (s == score && Arrays.compareUnsigned(l.members[mid], member) < 0)) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** Descends to the leaf for (score, member), recording the path and adding {@code delta} to its counts. */
    private Leaf descend(double score, byte[] member, int delta) {
        if (path.length < height) {
            path = Arrays.copyOf(path, height * 2);
            at = Arrays.copyOf(at, height * 2);
        }
        Object x = root;
        for (int h = 0; h < height; h++) {
            Inner in = (Inner) x;
            int i = child(in, score, member);
            in.counts[i] += delta;
            path[h] = in;
            at[h] = i;
            x = in.kids[i];
        }
        return (Leaf) x;
    }

    /** Inserts a pair that is not in the tree. */
    void insert(double score, byte[] member) {
        Leaf l = descend(score, member, 1);
        size++;
        int pos = lowerBound(l, score, member);
        if (l.n < LEAF_MAX) {
            insertAt(l, pos, score, member);
            return;
        }
        // Split: the upper half moves to a new right neighbour, then the pair goes where it belongs. At
        // either end of the whole tree the new leaf takes only the pair (as a B+ tree's bulk load does),
        // so ascending or descending loads fill leaves instead of leaving them half empty.
        Leaf r = new Leaf();
        leaves++;
        int half = pos == LEAF_MAX && l.next == null ? LEAF_MAX : pos == 0 && l.prev == null ? 0 : LEAF_MAX / 2;
        System.arraycopy(l.scores, half, r.scores, 0, LEAF_MAX - half);
        System.arraycopy(l.members, half, r.members, 0, LEAF_MAX - half);
        Arrays.fill(l.members, half, LEAF_MAX, null);
        r.n = LEAF_MAX - half;
        l.n = half;
        r.next = l.next;
        if (r.next != null) r.next.prev = r;
        r.prev = l;
        l.next = r;
        if (pos < half || (pos == half && half < LEAF_MAX)) insertAt(l, pos, score, member);
        else insertAt(r, pos - half, score, member);
        addChild(height - 1, l, l.n, r, r.n, r.scores[0], r.members[0]);
    }

    private static void insertAt(Leaf l, int pos, double score, byte[] member) {
        System.arraycopy(l.scores, pos, l.scores, pos + 1, l.n - pos);
        System.arraycopy(l.members, pos, l.members, pos + 1, l.n - pos);
        l.scores[pos] = score;
        l.members[pos] = member;
        l.n++;
    }

    /**
     * After {@code left} (the child at path level {@code h}, or the root when h &lt; 0) split off
     * {@code right} with lower bound (keyScore, keyMember): sets both counts and puts right after left,
     * splitting the parent in turn when it is full.
     */
    private void addChild(int h, Object left, int leftCount, Object right, int rightCount, double keyScore, byte[] keyMember) {
        if (h < 0) {
            Inner r = new Inner();
            inners++;
            r.kids[0] = left;
            r.counts[0] = leftCount;
            r.kids[1] = right;
            r.counts[1] = rightCount;
            r.keyScores[1] = keyScore;
            r.keyMembers[1] = keyMember;
            r.n = 2;
            root = r;
            height++;
            if (path.length < height) {
                path = Arrays.copyOf(path, height * 2);
                at = Arrays.copyOf(at, height * 2);
            }
            return;
        }
        Inner p = path[h];
        int i = at[h];
        p.counts[i] = leftCount;
        if (p.n < INNER_MAX) {
            insertKid(p, i + 1, right, rightCount, keyScore, keyMember);
            return;
        }
        Inner q = new Inner();
        inners++;
        // Appending at the right edge of the tree: q takes only the new child (see insert).
        int half = i + 1 == INNER_MAX && rightmost(h) ? INNER_MAX - 1 : INNER_MAX / 2;
        System.arraycopy(p.kids, half, q.kids, 0, INNER_MAX - half);
        System.arraycopy(p.counts, half, q.counts, 0, INNER_MAX - half);
        System.arraycopy(p.keyScores, half, q.keyScores, 0, INNER_MAX - half);
        System.arraycopy(p.keyMembers, half, q.keyMembers, 0, INNER_MAX - half);
        Arrays.fill(p.kids, half, INNER_MAX, null);
        Arrays.fill(p.keyMembers, half, INNER_MAX, null);
        q.n = INNER_MAX - half;
        p.n = half;
        double upScore = q.keyScores[0];
        byte[] upMember = q.keyMembers[0];
        q.keyMembers[0] = null;
        if (i + 1 <= half) insertKid(p, i + 1, right, rightCount, keyScore, keyMember);
        else insertKid(q, i + 1 - half, right, rightCount, keyScore, keyMember);
        addChild(h - 1, p, sum(p), q, sum(q), upScore, upMember);
    }

    /** Whether path[h] is the last node of its level (every ancestor's child on the path is its last). */
    private boolean rightmost(int h) {
        for (int k = 0; k < h; k++) if (at[k] != path[k].n - 1) return false;
        return true;
    }

    private static void insertKid(Inner p, int i, Object kid, int count, double keyScore, byte[] keyMember) {
        System.arraycopy(p.kids, i, p.kids, i + 1, p.n - i);
        System.arraycopy(p.counts, i, p.counts, i + 1, p.n - i);
        System.arraycopy(p.keyScores, i, p.keyScores, i + 1, p.n - i);
        System.arraycopy(p.keyMembers, i, p.keyMembers, i + 1, p.n - i);
        p.kids[i] = kid;
        p.counts[i] = count;
        p.keyScores[i] = keyScore;
        p.keyMembers[i] = keyMember;
        p.n++;
    }

    private static void removeKid(Inner p, int i) {
        System.arraycopy(p.kids, i + 1, p.kids, i, p.n - i - 1);
        System.arraycopy(p.counts, i + 1, p.counts, i, p.n - i - 1);
        System.arraycopy(p.keyScores, i + 1, p.keyScores, i, p.n - i - 1);
        System.arraycopy(p.keyMembers, i + 1, p.keyMembers, i, p.n - i - 1);
        p.n--;
        p.kids[p.n] = null;
        p.keyMembers[p.n] = null;
    }

    private static int sum(Inner p) {
        int s = 0;
        for (int i = 0; i < p.n; i++) s += p.counts[i];
        return s;
    }

    /** Removes a pair that is in the tree. */
    void delete(double score, byte[] member) {
        Leaf l = descend(score, member, -1);
        int pos = lowerBound(l, score, member);
        if (pos >= l.n || l.scores[pos] != score || !Arrays.equals(l.members[pos], member)) {
            throw new IllegalStateException("delete of an absent element"); // the member table and the tree disagree
        }
        size--;
        System.arraycopy(l.scores, pos + 1, l.scores, pos, l.n - pos - 1);
        System.arraycopy(l.members, pos + 1, l.members, pos, l.n - pos - 1);
        l.members[--l.n] = null;
        if (height > 0 && l.n < LEAF_MAX / 4) rebalance(height - 1);
    }

    /** The child at {@code path[h]}/{@code at[h]} fell below a quarter: merge it with a neighbour or drop it. */
    private void rebalance(int h) {
        Inner p = path[h];
        int i = at[h];
        Object kid = p.kids[i];
        boolean leaf = kid instanceof Leaf;
        int n = leaf ? ((Leaf) kid).n : ((Inner) kid).n;
        int max = leaf ? LEAF_MAX : INNER_MAX;
        if (n == 0) {
            if (leaf) unlink((Leaf) kid);
            else inners--;
            dropKid(h, i);
        } else {
            int j = i + 1 < p.n ? i + 1 : i - 1; // merge the right one of the pair into the left one
            if (j < 0) return;
            int lo = Math.min(i, j), hi = lo + 1;
            int other = leaf ? ((Leaf) p.kids[j]).n : ((Inner) p.kids[j]).n;
            if (n + other > max * 3 / 4) return;
            if (leaf) mergeLeaves((Leaf) p.kids[lo], (Leaf) p.kids[hi]);
            else mergeInners((Inner) p.kids[lo], (Inner) p.kids[hi], p.keyScores[hi], p.keyMembers[hi]);
            p.counts[lo] += p.counts[hi];
            dropKid(h, hi);
        }
    }

    /** Removes child i of path[h]; the parent itself may then need merging, or the root may shrink. */
    private void dropKid(int h, int i) {
        Inner p = path[h];
        removeKid(p, i);
        if (h == 0) {
            while (height > 0 && ((Inner) root).n == 1) {
                root = ((Inner) root).kids[0];
                inners--;
                height--;
            }
            return;
        }
        if (p.n < INNER_MAX / 4) rebalance(h - 1);
    }

    private void unlink(Leaf l) {
        if (l.prev != null) l.prev.next = l.next;
        if (l.next != null) l.next.prev = l.prev;
        leaves--;
    }

    private void mergeLeaves(Leaf a, Leaf b) {
        System.arraycopy(b.scores, 0, a.scores, a.n, b.n);
        System.arraycopy(b.members, 0, a.members, a.n, b.n);
        a.n += b.n;
        unlink(b);
    }

    private void mergeInners(Inner a, Inner b, double keyScore, byte[] keyMember) {
        System.arraycopy(b.kids, 0, a.kids, a.n, b.n);
        System.arraycopy(b.counts, 0, a.counts, a.n, b.n);
        System.arraycopy(b.keyScores, 0, a.keyScores, a.n, b.n);
        System.arraycopy(b.keyMembers, 0, a.keyMembers, a.n, b.n);
        a.keyScores[a.n] = keyScore; // b's first child is bounded by b's own key in the parent
        a.keyMembers[a.n] = keyMember;
        a.n += b.n;
        inners--;
    }

    /**
     * Gives a present pair a new score in place when it stays between its neighbours in its leaf
     * (Redis's zslUpdateScore does the same for a node between its neighbours); false, changing
     * nothing, when it would have to move.
     */
    boolean updateInPlace(double score, byte[] member, double newScore) {
        Object x = root;
        for (int h = 0; h < height; h++) x = ((Inner) x).kids[child((Inner) x, score, member)];
        Leaf l = (Leaf) x;
        int pos = lowerBound(l, score, member);
        if (pos == 0 || pos + 1 >= l.n) return false; // an edge: the neighbour, and the bound, are elsewhere
        if (compare(l.scores[pos - 1], l.members[pos - 1], newScore, member) >= 0
                || compare(l.scores[pos + 1], l.members[pos + 1], newScore, member) <= 0) return false;
        l.scores[pos] = newScore;
        return true;
    }

    /** 1-based rank of the pair, 0 if absent. */
    long rank(double score, byte[] member) {
        Object x = root;
        long r = 0;
        for (int h = 0; h < height; h++) {
            Inner in = (Inner) x;
            int i = child(in, score, member);
            for (int k = 0; k < i; k++) r += in.counts[k];
            x = in.kids[i];
        }
        Leaf l = (Leaf) x;
        int pos = lowerBound(l, score, member);
        if (pos < l.n && l.scores[pos] == score && Arrays.equals(l.members[pos], member)) return r + pos + 1;
        return 0;
    }

    /**
     * Visits up to {@code count} elements from 0-based rank {@code start}, going up, or down when
     * {@code reverse}; {@code start} must be below the size.
     */
    void range(long start, long count, boolean reverse, SortedSetValue.ElementConsumer out) {
        Object x = root;
        long r = start;
        for (int h = 0; h < height; h++) {
            Inner in = (Inner) x;
            int i = 0;
            while (r >= in.counts[i]) r -= in.counts[i++];
            x = in.kids[i];
        }
        Leaf l = (Leaf) x;
        int i = (int) r;
        for (long k = 0; k < count && l != null; k++) {
            out.accept(l.members[i], l.scores[i]);
            if (reverse) {
                if (--i < 0) {
                    l = l.prev;
                    if (l != null) i = l.n - 1;
                }
            } else if (++i == l.n) {
                l = l.next;
                i = 0;
            }
        }
    }

    /** Number of elements with score below {@code s} (or at most {@code s} when {@code inclusive}). */
    long countBelow(double s, boolean inclusive) {
        Object x = root;
        long r = 0;
        for (int h = 0; h < height; h++) {
            Inner in = (Inner) x;
            int i = 0;
            while (i + 1 < in.n && (inclusive ? in.keyScores[i + 1] <= s : in.keyScores[i + 1] < s)) r += in.counts[i++];
            x = in.kids[i];
        }
        Leaf l = (Leaf) x;
        int lo = 0, hi = l.n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (inclusive ? l.scores[mid] <= s : l.scores[mid] < s) lo = mid + 1;
            else hi = mid;
        }
        return r + lo;
    }

    /** Number of elements whose member sorts below {@code m} (or at most {@code m}), assuming equal scores. */
    long countLexBelow(byte[] m, boolean inclusive) {
        Object x = root;
        long r = 0;
        for (int h = 0; h < height; h++) {
            Inner in = (Inner) x;
            int i = 0;
            while (i + 1 < in.n && below(in.keyMembers[i + 1], m, inclusive)) r += in.counts[i++];
            x = in.kids[i];
        }
        Leaf l = (Leaf) x;
        int lo = 0, hi = l.n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (below(l.members[mid], m, inclusive)) lo = mid + 1;
            else hi = mid;
        }
        return r + lo;
    }

    private static boolean below(byte[] a, byte[] m, boolean inclusive) {
        int c = Arrays.compareUnsigned(a, m);
        return inclusive ? c <= 0 : c < 0;
    }

    /** Checks the counts, key bounds, order and leaf links (tests). */
    void check() {
        long[] seen = new long[1];
        Leaf[] prev = new Leaf[1];
        long n = check(root, height, null, 0, null, 0, seen, prev);
        if (n != size || seen[0] != size) throw new AssertionError("size " + size + " counted " + n + " seen " + seen[0]);
        if (prev[0] != null && prev[0].next != null) throw new AssertionError("last leaf has a next");
    }

    private long check(Object x, int h, byte[] loM, double loS, byte[] hiM, double hiS, long[] seen, Leaf[] prev) {
        if (h == 0) {
            Leaf l = (Leaf) x;
            if (l.prev != prev[0] || (prev[0] != null && prev[0].next != l)) throw new AssertionError("leaf links");
            prev[0] = l;
            for (int i = 0; i < l.n; i++) {
                if (i > 0 && compare(l.scores[i - 1], l.members[i - 1], l.scores[i], l.members[i]) >= 0) throw new AssertionError("order");
                if (loM != null && compare(l.scores[i], l.members[i], loS, loM) < 0) throw new AssertionError("below bound");
                if (hiM != null && compare(l.scores[i], l.members[i], hiS, hiM) >= 0) throw new AssertionError("above bound");
            }
            seen[0] += l.n;
            return l.n;
        }
        Inner in = (Inner) x;
        if (in.n == 0 || (x == root && in.n < 2)) throw new AssertionError("empty inner");
        long total = 0;
        for (int i = 0; i < in.n; i++) {
            byte[] lo = i == 0 ? loM : in.keyMembers[i];
            double ls = i == 0 ? loS : in.keyScores[i];
            byte[] hi = i + 1 < in.n ? in.keyMembers[i + 1] : hiM;
            double hs = i + 1 < in.n ? in.keyScores[i + 1] : hiS;
            long c = check(in.kids[i], h - 1, lo, ls, hi, hs, seen, prev);
            if (c != in.counts[i]) throw new AssertionError("count " + in.counts[i] + " vs " + c);
            total += c;
        }
        return total;
    }
}
