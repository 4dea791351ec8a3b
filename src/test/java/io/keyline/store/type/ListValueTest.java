package io.keyline.store.type;

import io.keyline.store.EncodingLimits;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ListValueTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A list whose node size is {@code fill} (list-max-listpack-size), through limits of its own. */
    private static ListValue list(int fill) {
        EncodingLimits limits = new EncodingLimits();
        limits.listMaxListpackSize = fill;
        return new ListValue(limits);
    }

    private static List<String> strings(ListValue l) {
        List<String> out = new ArrayList<>();
        for (byte[] e : l.toList()) out.add(new String(e, StandardCharsets.UTF_8));
        return out;
    }

    @Test
    void pushPopBothEnds() {
        ListValue l = new ListValue();
        l.push(true, new byte[][]{b("a"), b("b"), b("c")}, 0);
        l.push(false, new byte[][]{b("d"), b("e")}, 0);
        assertThat(strings(l)).containsExactly("c", "b", "a", "d", "e");
        assertThat(new String(l.popLeft())).isEqualTo("c");
        assertThat(new String(l.popRight())).isEqualTo("e");
        assertThat(l.size()).isEqualTo(3);
        assertThat(l.typeName()).isEqualTo("list");
        assertThat(l.encoding()).isEqualTo("listpack");
    }

    /**
     * A list growing at an end opens each new node with the room the full one before it used, so pushes fill it
     * without growing its buffer (growing by half each time it filled copied ~2 KB per 1 KB element); only the
     * first node grows from nothing.
     */
    @Test
    void nodesOpenedByPushesAfterAFullOneFillWithoutGrowing() {
        for (boolean left : new boolean[] {true, false}) {
            ListValue l = list(-2); // 8 KB nodes: seven 1 KB elements each
            List<String> model = new ArrayList<>();
            int nodes = 1, endBuffer = -1, filledWithoutGrowing = 0;
            for (int i = 0; i < 50; i++) {
                byte[] e = new byte[1024];
                java.util.Arrays.fill(e, (byte) ('a' + i % 26));
                l.push(left, new byte[][] {e}, 0);
                model.add(left ? 0 : model.size(), new String(e, StandardCharsets.ISO_8859_1));
                int end = l.nodeBufferBytes(left ? 0 : l.nodeCount() - 1);
                if (l.nodeCount() > 1 && l.nodeCount() == nodes) {
                    assertThat(end).as("push %d into the %s end's node", i, left ? "left" : "right").isEqualTo(endBuffer);
                    filledWithoutGrowing++;
                }
                nodes = l.nodeCount();
                endBuffer = end;
            }
            assertThat(l.nodeCount()).isGreaterThan(5);
            assertThat(filledWithoutGrowing).isGreaterThan(30);
            List<String> got = new ArrayList<>();
            for (byte[] e : l.toList()) got.add(new String(e, StandardCharsets.ISO_8859_1));
            assertThat(got).isEqualTo(model);
        }
    }

    /** Popping into a sink (LPOP's reply, read in place) leaves the list exactly as the copying pop does. */
    @Test
    void popIntoSinkMatchesCopyingPop() {
        Random rnd = new Random(7);
        for (int fill : new int[]{-2, 3, 128}) {
            ListValue copying = list(fill);
            ListValue sinking = list(fill);
            for (int i = 0; i < 300; i++) {
                // Integers take listpack's integer encodings: the node sizes must come out the same.
                byte[] e = switch (i % 4) {
                    case 0 -> b(Integer.toString(rnd.nextInt(100000) - 50000));
                    case 1 -> b("-0");
                    case 2 -> new byte[rnd.nextInt(3000)];
                    default -> b("element-" + i);
                };
                copying.pushRight(e);
                sinking.pushRight(e);
            }
            while (copying.size() > 0) {
                boolean left = rnd.nextBoolean();
                byte[] expected = copying.pop(left);
                byte[][] got = new byte[1][];
                assertThat(sinking.pop(left, (bytes, off, len) -> got[0] = java.util.Arrays.copyOfRange(bytes, off, off + len))).isTrue();
                assertThat(got[0]).isEqualTo(expected);
                assertThat(sinking.size()).isEqualTo(copying.size());
                assertThat(sinking.estimatedBytes()).isEqualTo(copying.estimatedBytes());
                assertThat(sinking.encoding()).isEqualTo(copying.encoding());
                assertThat(sinking.nodeCount()).isEqualTo(copying.nodeCount());
            }
            assertThat(sinking.pop(true, (bytes, off, len) -> { throw new AssertionError("empty list"); })).isFalse();
        }
    }

    @Test
    void countLimitConvertsToQuicklistAndBackWhenSmall() {
        ListValue l = list(4);
        for (int i = 0; i < 4; i++) l.pushRight(b("e" + i));
        assertThat(l.encoding()).isEqualTo("listpack");
        l.pushRight(b("e4"));
        assertThat(l.encoding()).isEqualTo("quicklist");
        for (int i = 5; i < 20; i++) l.pushRight(b("e" + i));
        assertThat(l.nodeCount()).isEqualTo(5);
        // Shrinks back (Redis 7.2) only once a single node at most half full remains.
        while (l.size() > 3) l.popLeft();
        assertThat(l.encoding()).isEqualTo("quicklist");
        l.popLeft();
        assertThat(l.size()).isEqualTo(2);
        assertThat(l.encoding()).isEqualTo("listpack");
        assertThat(strings(l)).containsExactly("e18", "e19");
    }

    @Test
    void nodeSizeComesFromTheListsOwnLimits() {
        ListValue four = list(4);
        ListValue defaults = new ListValue();
        for (int i = 0; i < 5; i++) {
            four.pushRight(b("e" + i));
            defaults.pushRight(b("e" + i));
        }
        assertThat(four.encoding()).isEqualTo("quicklist");
        assertThat(four.nodeCount()).isEqualTo(2);
        assertThat(defaults.encoding()).isEqualTo("listpack"); // 8 KB nodes by default (-2)
        assertThat(EncodingLimits.DEFAULTS.listMaxListpackSize).isEqualTo(-2);
    }

    @Test
    void aChangedLimitAppliesOnTheNextWrite() {
        EncodingLimits limits = new EncodingLimits();
        ListValue l = new ListValue(limits);
        for (int i = 0; i < 10; i++) l.pushRight(b("e" + i));
        assertThat(l.encoding()).isEqualTo("listpack");
        limits.listMaxListpackSize = 4; // as CONFIG SET list-max-listpack-size 4 does on the server's instance
        assertThat(l.encoding()).isEqualTo("listpack"); // nothing is re-packed until a write
        l.pushRight(b("e10"));
        assertThat(l.encoding()).isEqualTo("quicklist");
        assertThat(l.nodeCount()).isEqualTo(3); // re-packed into nodes of at most 4
        assertThat(strings(l)).containsExactly("e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9", "e10");
        limits.listMaxListpackSize = -2;
        while (l.size() > 2) l.popLeft();
        assertThat(l.encoding()).isEqualTo("listpack");
    }

    @Test
    void aCopyKeepsTheOriginalsLimits() {
        EncodingLimits limits = new EncodingLimits();
        limits.listMaxListpackSize = 2;
        ListValue l = new ListValue(limits);
        l.pushRight(b("a"));
        ListValue copy = l.copy();
        copy.pushRight(b("b"));
        assertThat(copy.encoding()).isEqualTo("listpack");
        copy.pushRight(b("c"));
        assertThat(copy.encoding()).isEqualTo("quicklist");
        assertThat(copy.nodeCount()).isEqualTo(2);
    }

    @Test
    void multiElementPushConvertsUpfrontAsRedisDoes() {
        ListValue l = list(4);
        l.push(false, new byte[][]{b("1"), b("2"), b("3"), b("4"), b("5")}, 0);
        assertThat(l.encoding()).isEqualTo("quicklist");
        assertThat(strings(l)).containsExactly("1", "2", "3", "4", "5");
    }

    @Test
    void sizeLimitConvertsPast8KbForMinus2() {
        ListValue l = new ListValue();
        byte[] big = new byte[1000];
        for (int i = 0; i < 8; i++) l.pushRight(big);
        assertThat(l.encoding()).isEqualTo("listpack");
        l.pushRight(big);
        assertThat(l.encoding()).isEqualTo("quicklist");
        // -1 (4 KB) converts earlier
        ListValue small = list(-1);
        for (int i = 0; i < 4; i++) small.pushRight(big);
        assertThat(small.encoding()).isEqualTo("listpack");
        small.pushRight(big);
        assertThat(small.encoding()).isEqualTo("quicklist");
        // A single element larger than the limit also makes a quicklist.
        ListValue huge = new ListValue();
        huge.pushRight(new byte[9000]);
        assertThat(huge.encoding()).isEqualTo("quicklist");
    }

    @Test
    void indexAccessAcrossNodes() {
        ListValue l = list(3);
        for (int i = 0; i < 50; i++) l.pushRight(b(Integer.toString(i)));
        for (int i = 0; i < 50; i++) assertThat(new String(l.get(i))).isEqualTo(Integer.toString(i));
        assertThat(l.normalize(-1)).isEqualTo(49);
        assertThat(l.normalize(50)).isEqualTo(-1);
        l.set(25, b("x"));
        assertThat(new String(l.get(25))).isEqualTo("x");
        l.insertAt(10, b("ins"));
        assertThat(new String(l.get(10))).isEqualTo("ins");
        assertThat(l.size()).isEqualTo(51);
        List<String> range = new ArrayList<>();
        l.forEach(8, 12, e -> range.add(new String(e)));
        assertThat(range).containsExactly("8", "9", "ins", "10", "11");
    }

    @Test
    void lremFromHeadTailAndAll() {
        ListValue l = list(2);
        for (String s : "a b a c a d a".split(" ")) l.pushRight(b(s));
        assertThat(l.remove(2, b("a"))).isEqualTo(2);
        assertThat(strings(l)).containsExactly("b", "c", "a", "d", "a");
        assertThat(l.remove(-1, b("a"))).isEqualTo(1);
        assertThat(strings(l)).containsExactly("b", "c", "a", "d");
        assertThat(l.remove(0, b("a"))).isEqualTo(1);
        assertThat(strings(l)).containsExactly("b", "c", "d");
    }

    @Test
    void trimAndCursor() {
        ListValue l = list(5);
        for (int i = 0; i < 100; i++) l.pushRight(b(Integer.toString(i)));
        l.trim(10, 19);
        assertThat(l.size()).isEqualTo(10);
        assertThat(new String(l.get(0))).isEqualTo("10");
        ListValue.Cursor back = l.cursor(false);
        assertThat(back.index()).isEqualTo(9);
        assertThat(new String(back.next())).isEqualTo("19");
        l.trim(1, 0);
        assertThat(l.isEmpty()).isTrue();
    }

    @Test
    void copyIsIndependentAndEmitBatches() {
        ListValue l = new ListValue();
        for (int i = 0; i < 130; i++) l.pushRight(b("v" + i));
        ListValue copy = l.copy();
        l.popLeft();
        assertThat(copy.size()).isEqualTo(130);
        assertThat(copy.estimatedBytes()).isGreaterThan(l.estimatedBytes());
        List<byte[][]> cmds = new ArrayList<>();
        copy.emit(b("k"), cmds::add);
        assertThat(cmds).hasSize(3);
        assertThat(cmds.get(0).length).isEqualTo(66);
        assertThat(cmds.get(2).length).isEqualTo(4);
        assertThat(new String(cmds.get(0)[0])).isEqualTo("RPUSH");
        assertThat(new String(cmds.get(2)[3])).isEqualTo("v129");
    }

    @Test
    void listpackEntrySizesFollowRedisEncodings() {
        assertThat(ListValue.listpackEntryBytes(b("5"))).isEqualTo(2);          // 7-bit uint + backlen
        assertThat(ListValue.listpackEntryBytes(b("-5"))).isEqualTo(3);         // 13-bit int
        assertThat(ListValue.listpackEntryBytes(b("100000"))).isEqualTo(5);     // 24-bit int
        assertThat(ListValue.listpackEntryBytes(b("9223372036854775807"))).isEqualTo(10);
        assertThat(ListValue.listpackEntryBytes(b("-9223372036854775808"))).isEqualTo(10);
        assertThat(ListValue.listpackEntryBytes(b("9223372036854775808"))).isEqualTo(1 + 19 + 1); // string
        assertThat(ListValue.listpackEntryBytes(b("007"))).isEqualTo(5);        // not canonical: string
        assertThat(ListValue.listpackEntryBytes(b("-0"))).isEqualTo(4);
        assertThat(ListValue.listpackEntryBytes(b("abc"))).isEqualTo(5);
        assertThat(ListValue.listpackEntryBytes(new byte[100])).isEqualTo(2 + 100 + 1);
        assertThat(ListValue.listpackEntryBytes(new byte[200])).isEqualTo(2 + 200 + 2);
    }

    @Test
    void memoryEstimateFollowsContent() {
        ListValue l = new ListValue();
        long empty = l.estimatedBytes();
        l.pushRight(new byte[100]);
        assertThat(l.estimatedBytes()).isGreaterThanOrEqualTo(empty + 100);
        l.popRight();
        assertThat(l.estimatedBytes()).isEqualTo(empty);
    }

    @Test
    void randomOperationsMatchArrayList() {
        long seed = new Random().nextLong();
        Random rnd = new Random(seed);
        for (int fill : new int[]{-2, 1, 3, 16}) {
            ListValue l = list(fill);
            List<String> model = new ArrayList<>();
            for (int step = 0; step < 5000; step++) {
                int op = rnd.nextInt(8);
                String v = Integer.toString(rnd.nextInt(20));
                switch (op) {
                    case 0, 1 -> {
                        l.pushLeft(b(v));
                        model.add(0, v);
                    }
                    case 2, 3 -> {
                        l.pushRight(b(v));
                        model.add(v);
                    }
                    case 4 -> {
                        byte[] p = l.popLeft();
                        assertThat(p == null ? null : new String(p)).as("seed %d", seed).isEqualTo(model.isEmpty() ? null : model.remove(0));
                    }
                    case 5 -> {
                        byte[] p = l.popRight();
                        assertThat(p == null ? null : new String(p)).as("seed %d", seed).isEqualTo(model.isEmpty() ? null : model.remove(model.size() - 1));
                    }
                    case 6 -> {
                        if (!model.isEmpty()) {
                            int i = rnd.nextInt(model.size() + 1);
                            l.insertAt(i, b(v));
                            model.add(i, v);
                        }
                    }
                    default -> {
                        int count = rnd.nextInt(5) - 2;
                        int n = l.remove(count, b(v));
                        int expected = 0;
                        int limit = count == 0 ? Integer.MAX_VALUE : Math.abs(count);
                        if (count >= 0) {
                            for (int i = 0; i < model.size() && expected < limit; ) {
                                if (model.get(i).equals(v)) {
                                    model.remove(i);
                                    expected++;
                                } else {
                                    i++;
                                }
                            }
                        } else {
                            for (int i = model.size() - 1; i >= 0 && expected < limit; i--) {
                                if (model.get(i).equals(v)) {
                                    model.remove(i);
                                    expected++;
                                }
                            }
                        }
                        assertThat(n).as("seed %d", seed).isEqualTo(expected);
                    }
                }
                assertThat(l.size()).as("seed %d", seed).isEqualTo(model.size());
            }
            assertThat(strings(l)).as("seed %d", seed).isEqualTo(model);
        }
    }

    /** Element {@code id} of a small pool: short (packed) for even ids, 512-2047 bytes (kept by reference) for odd ones. */
    private static byte[] pooled(int id) {
        if (id % 2 == 0) return b("s" + id);
        byte[] e = new byte[ReferenceNode.MIN_LENGTH + (id * 397) % 1536];
        java.util.Arrays.fill(e, (byte) id);
        e[0] = (byte) (id >> 8);
        return e;
    }

    private static String text(byte[] e) {
        return e == null ? null : new String(e, StandardCharsets.ISO_8859_1);
    }

    /**
     * Short and long elements mixed (so packed and reference nodes meet in merges, splits and repacks), every
     * write the list has, against a java.util model; the bookkeeping (sizes, listpack bytes, heap estimate) is
     * recounted after every step, and a copy taken midway must not change.
     */
    @Test
    void randomMixedShortAndLongElementsMatchArrayListAndKeepTheBookkeeping() {
        long seed = Long.getLong("seed", new Random().nextLong()); // -Dseed=N replays a failure
        Random rnd = new Random(seed);
        for (int fill : new int[]{-2, -1, 2, 5}) {
            ListValue l = list(fill);
            List<String> model = new ArrayList<>();
            ListValue copy = null;
            List<String> copyModel = null;
            for (int step = 0; step < 4000; step++) {
                int id = rnd.nextInt(12);
                byte[] v = pooled(id);
                String t = text(v);
                switch (rnd.nextInt(12)) {
                    case 0, 1 -> {
                        boolean left = rnd.nextBoolean();
                        int n = 1 + rnd.nextInt(3);
                        byte[][] args = new byte[n + 2][];
                        for (int i = 0; i < n; i++) {
                            args[2 + i] = pooled(rnd.nextInt(12));
                            if (left) model.add(0, text(args[2 + i]));
                            else model.add(text(args[2 + i]));
                        }
                        l.push(left, args, 2);
                    }
                    case 2 -> {
                        l.pushLeft(v);
                        model.add(0, t);
                    }
                    case 3 -> {
                        l.pushRight(v);
                        model.add(t);
                    }
                    case 4 -> assertThat(text(l.popLeft())).as("seed %d", seed).isEqualTo(model.isEmpty() ? null : model.remove(0));
                    case 5 -> assertThat(text(l.popRight())).as("seed %d", seed).isEqualTo(model.isEmpty() ? null : model.remove(model.size() - 1));
                    case 6 -> {
                        boolean left = rnd.nextBoolean();
                        List<String> got = new ArrayList<>();
                        boolean popped = l.pop(left, (bytes, off, len) -> got.add(new String(bytes, off, len, StandardCharsets.ISO_8859_1)));
                        assertThat(popped).as("seed %d", seed).isEqualTo(!model.isEmpty());
                        if (popped) assertThat(got).as("seed %d", seed).containsExactly(model.remove(left ? 0 : model.size() - 1));
                    }
                    case 7 -> {
                        int i = rnd.nextInt(model.size() + 1);
                        l.insertAt(i, v);
                        model.add(i, t);
                    }
                    case 8 -> {
                        if (!model.isEmpty()) {
                            int i = rnd.nextInt(model.size());
                            l.set(i, v);
                            model.set(i, t);
                        }
                    }
                    case 9 -> {
                        int count = rnd.nextInt(5) - 2;
                        int limit = count == 0 ? Integer.MAX_VALUE : Math.abs(count);
                        int expected = 0;
                        for (int k = 0; k < model.size() && expected < limit; k++) {
                            int i = count >= 0 ? k : model.size() - 1 - k;
                            if (model.get(i).equals(t)) {
                                model.remove(i);
                                expected++;
                                k--; // the same k now names the next element in either direction
                            }
                        }
                        assertThat(l.remove(count, v)).as("seed %d", seed).isEqualTo(expected);
                    }
                    case 10 -> {
                        if (model.size() > 40 && rnd.nextInt(8) == 0) {
                            int from = rnd.nextInt(5), to = model.size() - 1 - rnd.nextInt(5);
                            l.trim(from, to);
                            List<String> kept = new ArrayList<>(model.subList(from, to + 1));
                            model.clear();
                            model.addAll(kept);
                        }
                    }
                    default -> {
                        if (copy == null && model.size() > 20) {
                            copy = l.copy();
                            copyModel = new ArrayList<>(model);
                        }
                    }
                }
                assertThat(l.size()).as("seed %d", seed).isEqualTo(model.size());
                l.checkBookkeeping();
            }
            List<String> all = new ArrayList<>();
            for (byte[] e : l.toList()) all.add(text(e));
            assertThat(all).as("seed %d fill %d", seed, fill).isEqualTo(model);
            assertThat(copy).as("seed %d", seed).isNotNull();
            copy.checkBookkeeping();
            List<String> copied = new ArrayList<>();
            for (byte[] e : copy.toList()) copied.add(text(e));
            assertThat(copied).as("seed %d fill %d", seed, fill).isEqualTo(copyModel);
        }
    }

    /** A long element is kept as the array pushed (no copy) and handed back by a pop; a short one is packed. */
    @Test
    void longElementsAreKeptByReferenceAndShortOnesPacked() {
        ListValue l = list(-2);
        byte[] big = new byte[1024];
        l.push(true, new byte[][]{b("LPUSH"), b("k"), big}, 2);
        assertThat(l.nodeKeepsReferences(0)).isTrue();
        assertThat(l.get(0)).isSameAs(big);
        assertThat(l.popLeft()).isSameAs(big);
        byte[] small = b("small");
        l.pushRight(small);
        assertThat(l.nodeKeepsReferences(0)).isFalse();
        assertThat(l.get(0)).isNotSameAs(small).isEqualTo(small);
        // A quicklist growing by long elements opens reference nodes; the short element's node stays packed.
        for (int i = 0; i < 30; i++) l.pushRight(new byte[ReferenceNode.MIN_LENGTH]);
        assertThat(l.encoding()).isEqualTo(ListValue.ENCODING_QUICKLIST);
        assertThat(l.nodeKeepsReferences(0)).isFalse();
        assertThat(l.nodeKeepsReferences(l.nodeCount() - 1)).isTrue();
        l.checkBookkeeping();
    }

    /**
     * MEMORY USAGE of a list of 1 KB elements stays truthful: Redis's listpack takes 1,028 bytes per such element
     * (2-byte header, data, 2-byte back-length); a reference node's array header and reference add ~2%.
     */
    @Test
    void memoryEstimateOfLongElementsIsCloseToTheListpacks() {
        ListValue l = list(-2);
        long empty = l.estimatedBytes();
        int n = 700;
        for (int i = 0; i < n; i++) l.push(true, new byte[][]{new byte[1024]}, 0);
        double perElement = (double) (l.estimatedBytes() - empty) / n;
        assertThat(perElement).isBetween(1028.0, 1028.0 * 1.05);
        while (!l.isEmpty()) l.pop(true, (bytes, off, len) -> { });
        assertThat(l.estimatedBytes()).isEqualTo(empty);
    }

    /** The elements forEachRange hands over, each copied out of the node it was read in place from. */
    private static List<byte[]> range(ListValue l, int from, int to) {
        List<byte[]> out = new ArrayList<>();
        l.forEachRange(from, to, (bytes, off, len) -> out.add(java.util.Arrays.copyOfRange(bytes, off, off + len)));
        return out;
    }

    /** Every range of lists of several node sizes (element lengths around the varint steps) matches the elements by index. */
    @Test
    void forEachRangeMatchesTheElementsByIndex() {
        Random rnd = new Random(11);
        for (int fill : new int[]{-2, 1, 3, 128}) {
            ListValue l = list(fill);
            for (int i = 0; i < 60; i++) {
                byte[] e = switch (i % 5) {
                    case 0 -> new byte[0];
                    case 1 -> new byte[127 + rnd.nextInt(3)]; // one- and two-byte lengths
                    case 2 -> new byte[rnd.nextInt(2000)];
                    case 3 -> b(Integer.toString(i));
                    default -> b("element-" + i);
                };
                rnd.nextBytes(e);
                if (rnd.nextBoolean()) l.pushLeft(e);
                else l.pushRight(e);
            }
            if (fill != 128) assertThat(l.nodeCount()).isGreaterThan(1);
            // By index (LINDEX's lookup), not toList(): that walk is built on forEachRange itself.
            List<byte[]> all = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) all.add(l.get(i));
            for (int from = 0; from < l.size(); from++) {
                for (int to = from; to < l.size(); to++) {
                    assertThat(range(l, from, to)).containsExactlyElementsOf(all.subList(from, to + 1));
                }
            }
            assertThat(range(l, 5, 4)).isEmpty();
        }
    }

    @Test
    void forEachRangeOfAnEmptyListOrAnEmptyRangeCallsNothing() {
        ListValue l = new ListValue();
        l.forEachRange(0, -1, (bytes, off, len) -> { throw new AssertionError("empty"); });
        l.pushRight(b("x"));
        l.forEachRange(1, 0, (bytes, off, len) -> { throw new AssertionError("empty range"); });
        assertThat(range(l, 0, 0)).containsExactly(b("x"));
    }

    /** A range that starts and ends mid-node, crossing whole nodes, after pops left the edge nodes partial. */
    @Test
    void forEachRangeAcrossNodeBoundariesAfterPops() {
        ListValue l = list(4);
        for (int i = 0; i < 40; i++) l.pushRight(b("v" + i));
        l.popLeft();
        l.popLeft();
        l.popRight();
        assertThat(l.nodeCount()).isGreaterThan(5);
        List<String> got = new ArrayList<>();
        l.forEachRange(3, 20, (bytes, off, len) -> got.add(new String(bytes, off, len, StandardCharsets.UTF_8)));
        List<String> want = new ArrayList<>();
        for (int i = 5; i <= 22; i++) want.add("v" + i);
        assertThat(got).containsExactlyElementsOf(want);
    }
}
