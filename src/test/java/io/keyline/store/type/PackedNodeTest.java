package io.keyline.store.type;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PackedNodeTest {
    private static byte[] element(Random rnd) {
        int len = switch (rnd.nextInt(6)) {
            case 0 -> 0;
            case 1 -> 127 + rnd.nextInt(3);      // one/two-byte length boundary
            case 2 -> 16383 + rnd.nextInt(3);    // two/three-byte length boundary
            default -> rnd.nextInt(20);
        };
        byte[] b = new byte[len];
        rnd.nextBytes(b);
        return b;
    }

    @Test
    void aNodeWithRoomFillsToItWithoutReallocatingAtEitherEnd() {
        byte[] a = {1, 2, 3}, b = {4, 5}, c = {6};
        for (boolean prepends : new boolean[] {true, false}) {
            PackedNode sizing = new PackedNode();
            sizing.addLast(a);
            sizing.addLast(b);
            sizing.addLast(c);
            PackedNode n = PackedNode.withRoom(sizing.usedBytes(), prepends);
            byte[] buf = n.buf;
            if (prepends) {
                n.addFirst(c);
                n.addFirst(b);
                n.addFirst(a);
            } else {
                n.addLast(a);
                n.addLast(b);
                n.addLast(c);
            }
            assertThat(n.buf).isSameAs(buf);
            assertThat(n.get(0)).containsExactly(a);
            assertThat(n.get(1)).containsExactly(b);
            assertThat(n.get(2)).containsExactly(c);
            n.addLast(a); // past the room: grows as before
            assertThat(n.size()).isEqualTo(4);
            assertThat(n.get(3)).containsExactly(a);
        }
    }

    @Test
    void randomOperationsMatchArrayListIncludingMultiByteLengths() {
        long seed = new Random().nextLong();
        Random rnd = new Random(seed);
        PackedNode n = new PackedNode();
        List<byte[]> model = new ArrayList<>();
        for (int step = 0; step < 4000; step++) {
            int op = rnd.nextInt(9);
            byte[] e = element(rnd);
            switch (op) {
                case 0 -> {
                    n.addFirst(e);
                    model.add(0, e);
                }
                case 1 -> {
                    n.addLast(e);
                    model.add(e);
                }
                case 2 -> {
                    if (!model.isEmpty()) assertThat(n.removeFirst()).as("seed %d", seed).isEqualTo(model.remove(0));
                }
                case 3 -> {
                    if (!model.isEmpty()) assertThat(n.removeLast()).as("seed %d", seed).isEqualTo(model.remove(model.size() - 1));
                }
                case 4 -> {
                    int i = rnd.nextInt(model.size() + 1);
                    n.add(i, e);
                    model.add(i, e);
                }
                case 5 -> {
                    if (!model.isEmpty()) {
                        int i = rnd.nextInt(model.size());
                        assertThat(n.remove(i)).as("seed %d", seed).isEqualTo(model.remove(i));
                    }
                }
                case 6 -> {
                    if (!model.isEmpty()) {
                        int i = rnd.nextInt(model.size());
                        assertThat(n.set(i, e)).as("seed %d", seed).isEqualTo(model.set(i, e));
                    }
                }
                case 7 -> n.compact();
                default -> {
                    // sequential walks both ways through the cache
                    for (int i = 0; i < model.size(); i++) assertThat(Arrays.equals(n.get(i), model.get(i))).as("seed %d", seed).isTrue();
                    for (int i = model.size() - 1; i >= 0; i--) assertThat(Arrays.equals(n.get(i), model.get(i))).as("seed %d", seed).isTrue();
                }
            }
            assertThat(n.size()).isEqualTo(model.size());
            if (model.size() > 60) {
                while (model.size() > 10) {
                    model.remove(0);
                    n.removeFirst();
                }
            }
        }
        PackedNode c = n.copy();
        for (int i = 0; i < model.size(); i++) assertThat(c.get(i)).isEqualTo(model.get(i));
    }
}
