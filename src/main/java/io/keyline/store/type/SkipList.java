package io.keyline.store.type;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Redis's zskiplist: nodes ordered by (score, member bytes unsigned), each level's forward pointer
 * carrying a span (nodes skipped) so rank lookups, rank-indexed access and counts below a score or
 * member are O(log n).
 *
 * <p>Redis keeps a node's levels inline (a flexible array member), so stepping through a node costs
 * one cache miss. Java cannot inline an array, so the levels a search touches most live in fields:
 * level 0 in every {@link Node} (its span is always 1), levels 1–3 in a {@link TallNode}'s fields, and
 * only levels 4 and up (1 node in 256) in arrays. The 3 in 4 nodes of level 1 are a plain 32-byte
 * {@code Node}; a search at level i &ge; 1 only ever stands on nodes with more than i levels, so the
 * cast to {@code TallNode} there cannot fail. (Levels in separate arrays cost ZADD a second miss per
 * step at every upper level: two thirds of its pinned -P 16 profile was insert and compare.)
 */
final class SkipList {
    static final int MAX_LEVEL = 32;
    private static final int P_THRESHOLD = (int) (0.25 * 0xFFFF);
    /** Levels kept in a TallNode's fields: 1, 2 and 3 (level 0 is in every Node). */
    private static final int FIELD_LEVELS = 4;

    static class Node {
        final byte[] member;
        double score;
        Node backward;
        Node next0;

        Node(byte[] member, double score) {
            this.member = member;
            this.score = score;
        }

        static Node of(byte[] member, double score, int levels) {
            return levels == 1 ? new Node(member, score) : new TallNode(member, score, levels);
        }

        int levels() {
            return 1;
        }

        /** Heap bytes of this node without its member array (compressed oops). */
        long bytes() {
            return 32;
        }
    }

    static final class TallNode extends Node {
        final int levels;
        Node next1, next2, next3;
        int span1, span2, span3;
        Node[] up;      // levels 4.. (null below 5 levels)
        int[] upSpan;

        TallNode(byte[] member, double score, int levels) {
            super(member, score);
            this.levels = levels;
            if (levels > FIELD_LEVELS) {
                up = new Node[levels - FIELD_LEVELS];
                upSpan = new int[levels - FIELD_LEVELS];
            }
        }

        @Override
        int levels() {
            return levels;
        }

        @Override
        long bytes() {
            long b = 64;
            if (up != null) b += 2 * ((16 + 4L * up.length + 7) & ~7L);
            return b;
        }

        Node high(int i) {
            return switch (i) {
                case 1 -> next1;
                case 2 -> next2;
                case 3 -> next3;
                default -> up[i - FIELD_LEVELS];
            };
        }

        void high(int i, Node n) {
            switch (i) {
                case 1 -> next1 = n;
                case 2 -> next2 = n;
                case 3 -> next3 = n;
                default -> up[i - FIELD_LEVELS] = n;
            }
        }

        int highSpan(int i) {
            return switch (i) {
                case 1 -> span1;
                case 2 -> span2;
                case 3 -> span3;
                default -> upSpan[i - FIELD_LEVELS];
            };
        }

        void highSpan(int i, int s) {
            switch (i) {
                case 1 -> span1 = s;
                case 2 -> span2 = s;
                case 3 -> span3 = s;
                default -> upSpan[i - FIELD_LEVELS] = s;
            }
        }
    }

    static Node next(Node x, int i) {
        return i == 0 ? x.next0 : ((TallNode) x).high(i);
    }

    private static void next(Node x, int i, Node n) {
        if (i == 0) x.next0 = n;
        else ((TallNode) x).high(i, n);
    }

    static long span(Node x, int i) {
        return i == 0 ? 1 : ((TallNode) x).highSpan(i);
    }

    private static void span(Node x, int i, long s) {
        if (i > 0) ((TallNode) x).highSpan(i, (int) s);
    }

    final Node header = new TallNode(null, 0, MAX_LEVEL);
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
            while ((n = next(x, i)) != null && compare(n.score, n.member, score, member) < 0) {
                rank[i] += span(x, i);
                x = n;
            }
            update[i] = x;
        }
        int lvl = randomLevel();
        if (lvl > level) {
            for (int i = level; i < lvl; i++) {
                rank[i] = 0;
                update[i] = header;
                span(header, i, length);
            }
            level = lvl;
        }
        x = Node.of(member, score, lvl);
        for (int i = 0; i < lvl; i++) {
            next(x, i, next(update[i], i));
            next(update[i], i, x);
            span(x, i, span(update[i], i) - (rank[0] - rank[i]));
            span(update[i], i, (rank[0] - rank[i]) + 1);
        }
        for (int i = lvl; i < level; i++) span(update[i], i, span(update[i], i) + 1);
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
            while ((n = next(x, i)) != null && compare(n.score, n.member, score, member) < 0) x = n;
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
            if (next(update[i], i) == x) {
                span(update[i], i, span(update[i], i) + span(x, i) - 1);
                next(update[i], i, next(x, i));
            } else {
                span(update[i], i, span(update[i], i) - 1);
            }
        }
        if (x.next0 != null) x.next0.backward = x.backward;
        else tail = x.backward;
        while (level > 1 && next(header, level - 1) == null) level--;
        length--;
    }

    /** 1-based rank of the element, 0 if absent. */
    long rank(double score, byte[] member) {
        Node x = header;
        long r = 0;
        for (int i = level - 1; i >= 0; i--) {
            Node n;
            while ((n = next(x, i)) != null && compare(n.score, n.member, score, member) <= 0) {
                r += span(x, i);
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
            while ((n = next(x, i)) != null && traversed + span(x, i) <= r) {
                traversed += span(x, i);
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
            while ((n = next(x, i)) != null && (inclusive ? n.score <= s : n.score < s)) {
                r += span(x, i);
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
            while ((n = next(x, i)) != null) {
                int c = Arrays.compareUnsigned(n.member, m);
                if (inclusive ? c > 0 : c >= 0) break;
                r += span(x, i);
                x = n;
            }
        }
        return r;
    }
}
