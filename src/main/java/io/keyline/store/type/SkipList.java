package io.keyline.store.type;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Redis's zskiplist: nodes ordered by (score, member bytes unsigned), each level's forward pointer
 * carrying a span (nodes skipped) so rank lookups, rank-indexed access and counts below a score or
 * member are O(log n). Level 0 is stored inline in the node (its span is always 1) and higher
 * levels in small arrays, so the 3 in 4 nodes of level 1 cost a single 40-byte object.
 */
final class SkipList {
    static final int MAX_LEVEL = 32;
    private static final int P_THRESHOLD = (int) (0.25 * 0xFFFF);

    static final class Node {
        final byte[] member;
        double score;
        Node backward;
        Node next0;
        Node[] up;      // levels 1.. (null for a level-1 node)
        int[] upSpan;

        Node(byte[] member, double score, int levels) {
            this.member = member;
            this.score = score;
            if (levels > 1) {
                up = new Node[levels - 1];
                upSpan = new int[levels - 1];
            }
        }

        int levels() {
            return up == null ? 1 : up.length + 1;
        }

        Node next(int i) {
            return i == 0 ? next0 : up[i - 1];
        }

        void next(int i, Node n) {
            if (i == 0) next0 = n;
            else up[i - 1] = n;
        }

        long span(int i) {
            return i == 0 ? 1 : upSpan[i - 1];
        }

        void span(int i, long s) {
            if (i > 0) upSpan[i - 1] = (int) s;
        }

        /** Heap bytes of this node without its member array. */
        long bytes() {
            long b = 40;
            if (up != null) b += 2 * ((16 + 4L * up.length + 7) & ~7L);
            return b;
        }
    }

    final Node header = new Node(null, 0, MAX_LEVEL);
    Node tail;
    long length;
    int level = 1;
    private final Node[] update = new Node[MAX_LEVEL];
    private final long[] rank = new long[MAX_LEVEL];

    static int compare(double s1, byte[] m1, double s2, byte[] m2) {
        if (s1 < s2) return -1;
        if (s1 > s2) return 1;
        return Arrays.compareUnsigned(m1, m2);
    }

    private static int randomLevel() {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int level = 1;
        while ((rnd.nextInt() & 0xFFFF) < P_THRESHOLD && level < MAX_LEVEL) level++;
        return level;
    }

    /** Inserts a member that is not in the list. */
    Node insert(double score, byte[] member) {
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            rank[i] = i == level - 1 ? 0 : rank[i + 1];
            Node n;
            while ((n = x.next(i)) != null && compare(n.score, n.member, score, member) < 0) {
                rank[i] += x.span(i);
                x = n;
            }
            update[i] = x;
        }
        int lvl = randomLevel();
        if (lvl > level) {
            for (int i = level; i < lvl; i++) {
                rank[i] = 0;
                update[i] = header;
                header.span(i, length);
            }
            level = lvl;
        }
        x = new Node(member, score, lvl);
        for (int i = 0; i < lvl; i++) {
            x.next(i, update[i].next(i));
            update[i].next(i, x);
            x.span(i, update[i].span(i) - (rank[0] - rank[i]));
            update[i].span(i, (rank[0] - rank[i]) + 1);
        }
        for (int i = lvl; i < level; i++) update[i].span(i, update[i].span(i) + 1);
        x.backward = update[0] == header ? null : update[0];
        if (x.next0 != null) x.next0.backward = x;
        else tail = x;
        length++;
        Arrays.fill(update, null);
        return x;
    }

    /** Removes the node with this score and member; returns it or null. */
    Node delete(double score, byte[] member) {
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            Node n;
            while ((n = x.next(i)) != null && compare(n.score, n.member, score, member) < 0) x = n;
            update[i] = x;
        }
        x = x.next0;
        Node found = null;
        if (x != null && x.score == score && Arrays.equals(x.member, member)) {
            deleteNode(x);
            found = x;
        }
        Arrays.fill(update, null);
        return found;
    }

    private void deleteNode(Node x) {
        for (int i = 0; i < level; i++) {
            if (update[i].next(i) == x) {
                update[i].span(i, update[i].span(i) + x.span(i) - 1);
                update[i].next(i, x.next(i));
            } else {
                update[i].span(i, update[i].span(i) - 1);
            }
        }
        if (x.next0 != null) x.next0.backward = x.backward;
        else tail = x.backward;
        while (level > 1 && header.next(level - 1) == null) level--;
        length--;
    }

    /** 1-based rank of the element, 0 if absent. */
    long rank(double score, byte[] member) {
        Node x = header;
        long r = 0;
        for (int i = level - 1; i >= 0; i--) {
            Node n;
            while ((n = x.next(i)) != null && compare(n.score, n.member, score, member) <= 0) {
                r += x.span(i);
                x = n;
            }
            if (x.member != null && x != header && Arrays.equals(x.member, member)) return r;
        }
        return 0;
    }

    /** The node at a 1-based rank, or null. */
    Node byRank(long r) {
        Node x = header;
        long traversed = 0;
        for (int i = level - 1; i >= 0; i--) {
            Node n;
            while ((n = x.next(i)) != null && traversed + x.span(i) <= r) {
                traversed += x.span(i);
                x = n;
            }
            if (traversed == r) return x == header ? null : x;
        }
        return null;
    }

    /** Number of elements with score below {@code s} (or at most {@code s} when {@code inclusive}). */
    long countBelow(double s, boolean inclusive) {
        Node x = header;
        long r = 0;
        for (int i = level - 1; i >= 0; i--) {
            Node n;
            while ((n = x.next(i)) != null && (inclusive ? n.score <= s : n.score < s)) {
                r += x.span(i);
                x = n;
            }
        }
        return r;
    }

    /** Number of elements whose member sorts below {@code m} (or at most {@code m}), assuming equal scores. */
    long countLexBelow(byte[] m, boolean inclusive) {
        Node x = header;
        long r = 0;
        for (int i = level - 1; i >= 0; i--) {
            Node n;
            while ((n = x.next(i)) != null) {
                int c = Arrays.compareUnsigned(n.member, m);
                if (inclusive ? c > 0 : c >= 0) break;
                r += x.span(i);
                x = n;
            }
        }
        return r;
    }
}
