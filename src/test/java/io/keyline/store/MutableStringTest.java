package io.keyline.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Strings changed in place grow with amortised capacity: a loop of appends or SETBITs is linear. */
class MutableStringTest {
    @Test
    void hundredThousandAppendsReallocateLogarithmically() {
        MutableString m = MutableString.of(null);
        int reallocations = 0;
        long copiedBytes = 0;
        int capacity = m.capacity();
        byte[] add = {'x', 'y', 'z'};
        for (int i = 0; i < 100_000; i++) {
            m.append(add);
            if (m.capacity() != capacity) {
                reallocations++;
                copiedBytes += m.length();
                capacity = m.capacity();
            }
        }
        assertThat(m.length()).isEqualTo(300_000);
        assertThat(reallocations).isLessThan(25);
        assertThat(copiedBytes).isLessThan(2L * 300_000 + 1024 * 1024); // linear, not quadratic
        assertThat(m.toBytes()[299_999]).isEqualTo((byte) 'z');
    }

    @Test
    void hundredThousandSetbitsGrowingTheStringReallocateLogarithmically() {
        MutableString m = MutableString.of(null);
        int reallocations = 0;
        int capacity = m.capacity();
        for (int bit = 0; bit < 100_000 * 8; bit += 8) {
            m.ensureLength((bit >>> 3) + 1);
            m.buffer()[bit >>> 3] |= (byte) 0x80;
            if (m.capacity() != capacity) {
                reallocations++;
                capacity = m.capacity();
            }
        }
        assertThat(m.length()).isEqualTo(100_000);
        assertThat(reallocations).isLessThan(25);
        assertThat(m.capacity()).isLessThanOrEqualTo(2 * 100_000 + 2);
    }

    @Test
    void copyIsDeepAndMemoryCountsCapacity() {
        MutableString m = MutableString.of("abc".getBytes());
        m.append("d".getBytes());
        MutableString c = (MutableString) Copyable.copyOf(m);
        c.setRange(0, "Z".getBytes());
        assertThat(new String(m.toBytes())).isEqualTo("abcd");
        assertThat(new String(c.toBytes())).isEqualTo("Zbcd");
        assertThat(Memory.value(m)).isGreaterThanOrEqualTo(Memory.array(m.capacity()));
        assertThat(Strings.bytes(m)).isEqualTo("abcd".getBytes());
        assertThat(Strings.length(m)).isEqualTo(4);
        assertThat(TypedValue.typeOf(m)).isEqualTo("string");
        assertThat(m.encoding()).isEqualTo("raw");
        assertThat(Database.typed(m, byte[].class)).isEqualTo("abcd".getBytes());
    }
}
