package io.keyline.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** ArgumentPool's bounds, and RespParser taking a recycled array for the next long argument of its length. */
class ArgumentPoolTest {
    private final ArgumentPool pool = ArgumentPool.current();

    @BeforeEach
    @AfterEach
    void empty() { // the pool is per thread: start empty, leave nothing for the next test on this thread
        pool.clear();
    }

    @Test
    void handsBackAnArrayOfTheLengthAskedForOnce() {
        byte[] a = new byte[1024];
        pool.recycle(a);
        assertThat(pool.take(1000)).as("another length").isNull();
        assertThat(pool.take(1024)).isSameAs(a);
        assertThat(pool.take(1024)).as("given out once").isNull();
    }

    @Test
    void keepsNoShortArraysAndOneLengthAtATime() {
        pool.recycle(new byte[ArgumentPool.MIN_LENGTH - 1]);
        assertThat(pool.size()).isZero();
        pool.recycle(new byte[1024]);
        pool.recycle(new byte[100]);
        assertThat(pool.size()).as("the length in use keeps the pool").isEqualTo(1);
        assertThat(pool.take(1024)).isNotNull();
        byte[] other = new byte[100];
        pool.recycle(other);
        assertThat(pool.take(100)).as("an empty pool takes any length").isSameAs(other);
    }

    @Test
    void holdsAtMostSixteenArraysAndMaxBytes() {
        for (int i = 0; i < 40; i++) pool.recycle(new byte[100]);
        assertThat(pool.size()).isEqualTo(16);
        pool.clear();
        for (int i = 0; i < 40; i++) pool.recycle(new byte[ArgumentPool.MAX_BYTES / 3]);
        assertThat(pool.size()).isEqualTo(3);
    }

    @Test
    void theParserFillsARecycledArrayWithTheNextArgumentOfItsLength() {
        byte[] recycled = new byte[100];
        Arrays.fill(recycled, (byte) 'x');
        pool.recycle(recycled);
        String value = "v".repeat(99) + "!";
        String shortValue = "s".repeat(ArgumentPool.MIN_LENGTH - 1);
        ByteBuf in = Unpooled.copiedBuffer("*4\r\n$3\r\nSET\r\n$" + shortValue.length() + "\r\n" + shortValue
                + "\r\n$100\r\n" + value + "\r\n$100\r\n" + value + "\r\n", StandardCharsets.ISO_8859_1);
        byte[][] argv = new RespParser(1 << 20).next(in);
        assertThat(argv[2]).as("the recycled array, overwritten whole").isSameAs(recycled)
                .isEqualTo(value.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(argv[3]).as("the pool is empty: a new array").isNotSameAs(recycled)
                .isEqualTo(value.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(new String(argv[1], StandardCharsets.ISO_8859_1)).isEqualTo(shortValue);
    }
}
