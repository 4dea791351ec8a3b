package io.keyline.util;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SlotsTest {
    /** The byte-at-a-time CRC16 (XMODEM) of Redis's crc16.c, bit by bit: the reference for the sliced one. */
    private static int reference(byte[] b, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc ^= (b[i] & 0xff) << 8;
            for (int j = 0; j < 8; j++) crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
        }
        return crc;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void knownValues() {
        assertThat(Slots.crc16(b("123456789"), 0, 9)).isEqualTo(0x31c3); // Redis's crc16 test vector
        assertThat(Slots.slot(b("foo"))).isEqualTo(12182);                  // CLUSTER KEYSLOT foo
        assertThat(Slots.slot(b("{user1000}.following"))).isEqualTo(Slots.slot(b("{user1000}.followers")));
        assertThat(Slots.slot(b("foo{}{bar}"))).isEqualTo(Slots.crc16(b("foo{}{bar}"), 0, 10) & 16383);
        assertThat(Slots.crc16(new byte[0], 0, 0)).isZero();
    }

    @Test
    void slicedMatchesByteAtATimeForEveryLengthAndOffset() {
        Random rnd = new Random(42);
        for (int round = 0; round < 2000; round++) {
            byte[] data = new byte[rnd.nextInt(40)];
            rnd.nextBytes(data);
            int from = data.length == 0 ? 0 : rnd.nextInt(data.length + 1);
            int to = from + rnd.nextInt(data.length - from + 1);
            assertThat(Slots.crc16(data, from, to)).isEqualTo(reference(data, from, to));
        }
    }
}
