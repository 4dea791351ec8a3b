package io.keyline.store.type;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** DEBUG QUICKLIST-PACKED-THRESHOLD: in a quicklist, elements at least that long sit alone in plain nodes. */
class ListPackedThresholdTest {
    @AfterEach
    void restoreDefault() {
        ListValue.setPackedThreshold(0);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> strings(ListValue l) {
        List<String> out = new ArrayList<>();
        for (byte[] e : l.toList()) out.add(new String(e, StandardCharsets.UTF_8));
        return out;
    }

    @Test
    void thresholdRangeAsRedis() {
        assertThat(ListValue.packedThreshold()).isEqualTo(1L << 30);
        assertThat(ListValue.setPackedThreshold(1000)).isTrue();
        assertThat(ListValue.packedThreshold()).isEqualTo(1000);
        assertThat(ListValue.setPackedThreshold((1L << 32) - (1L << 20))).isTrue();
        assertThat(ListValue.setPackedThreshold((1L << 32) - (1L << 20) + 1)).isFalse();
        assertThat(ListValue.packedThreshold()).isEqualTo((1L << 32) - (1L << 20));
        assertThat(ListValue.setPackedThreshold(0)).isTrue();
        assertThat(ListValue.packedThreshold()).isEqualTo(1L << 30);
    }

    @Test
    void largeElementsGetNodesOfTheirOwnInAQuicklist() {
        ListValue.setPackedThreshold(5);
        io.keyline.store.EncodingLimits limits = new io.keyline.store.EncodingLimits();
        limits.listMaxListpackSize = 4;
        ListValue l = new ListValue(limits);
        for (int i = 0; i < 8; i++) l.pushRight(b("e" + i)); // 2 nodes of 4
        assertThat(l.nodeCount()).isEqualTo(2);
        l.pushRight(b("large1"));
        l.pushLeft(b("large0"));
        assertThat(l.nodeCount()).isEqualTo(4);
        l.pushRight(b("x")); // nothing joins a plain node
        assertThat(l.nodeCount()).isEqualTo(5);
        l.insertAt(2, b("large2")); // mid-node: the node splits around it
        assertThat(l.nodeCount()).isEqualTo(7);
        assertThat(strings(l)).containsExactly("large0", "e0", "large2", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "large1", "x");
        l.set(6, b("large3"));
        assertThat(strings(l)).containsExactly("large0", "e0", "large2", "e1", "e2", "e3", "large3", "e5", "e6", "e7", "large1", "x");
        assertThat(l.nodeCount()).isEqualTo(8); // [e4 e5 e6 e7] became [large3] [e5 e6 e7]
    }

    @Test
    void listOperationsStayCorrectWithPlainNodes() {
        ListValue.setPackedThreshold(3);
        Random rnd = new Random(7);
        io.keyline.store.EncodingLimits limits = new io.keyline.store.EncodingLimits();
        limits.listMaxListpackSize = 4;
        ListValue l = new ListValue(limits);
        List<String> model = new ArrayList<>();
        for (int step = 0; step < 5000; step++) {
            String e = "v".repeat(1 + rnd.nextInt(4)) + step % 10;
            switch (rnd.nextInt(6)) {
                case 0 -> {
                    l.pushLeft(b(e));
                    model.add(0, e);
                }
                case 1 -> {
                    l.pushRight(b(e));
                    model.add(e);
                }
                case 2 -> {
                    int i = rnd.nextInt(model.size() + 1);
                    l.insertAt(i, b(e));
                    model.add(i, e);
                }
                case 3 -> {
                    if (!model.isEmpty()) {
                        int i = rnd.nextInt(model.size());
                        l.set(i, b(e));
                        model.set(i, e);
                    }
                }
                case 4 -> {
                    if (!model.isEmpty()) assertThat(new String(l.popLeft(), StandardCharsets.UTF_8)).isEqualTo(model.remove(0));
                }
                default -> {
                    if (!model.isEmpty()) {
                        assertThat(new String(l.popRight(), StandardCharsets.UTF_8)).isEqualTo(model.remove(model.size() - 1));
                    }
                }
            }
            assertThat(l.size()).isEqualTo(model.size());
        }
        assertThat(strings(l)).isEqualTo(model);
    }
}
