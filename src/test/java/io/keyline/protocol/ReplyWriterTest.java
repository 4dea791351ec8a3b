package io.keyline.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Byte-exact replies in RESP2 and RESP3, as Redis's addReply* functions write them. */
class ReplyWriterTest {
    private static String resp(int protocol, Consumer<ReplyWriter> write) {
        ByteBuf buf = Unpooled.buffer(16);
        write.accept(new ReplyWriter(buf, protocol));
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    private static String resp2(Consumer<ReplyWriter> write) {
        return resp(2, write);
    }

    private static String resp3(Consumer<ReplyWriter> write) {
        return resp(3, write);
    }

    @Test
    void statusReplies() {
        for (int p = 2; p <= 3; p++) {
            assertThat(resp(p, ReplyWriter::ok)).isEqualTo("+OK\r\n");
            assertThat(resp(p, ReplyWriter::queued)).isEqualTo("+QUEUED\r\n");
            assertThat(resp(p, ReplyWriter::pong)).isEqualTo("+PONG\r\n");
            assertThat(resp(p, r -> r.simple("RESET"))).isEqualTo("+RESET\r\n");
        }
    }

    @Test
    void errors() {
        assertThat(resp2(r -> r.error("ERR syntax error"))).isEqualTo("-ERR syntax error\r\n");
        assertThat(resp3(r -> r.error("WRONGTYPE Operation against a key holding the wrong kind of value")))
                .isEqualTo("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
        // An error must stay one line.
        assertThat(resp2(r -> r.error("ERR bad\r\nthing\n"))).isEqualTo("-ERR bad  thing \r\n");
    }

    @Test
    void integers() {
        for (int p = 2; p <= 3; p++) {
            assertThat(resp(p, r -> r.integer(0))).isEqualTo(":0\r\n");
            assertThat(resp(p, r -> r.integer(9))).isEqualTo(":9\r\n");
            assertThat(resp(p, r -> r.integer(9999))).isEqualTo(":9999\r\n");
            assertThat(resp(p, r -> r.integer(10000))).isEqualTo(":10000\r\n");
            assertThat(resp(p, r -> r.integer(-1))).isEqualTo(":-1\r\n");
            assertThat(resp(p, r -> r.integer(-10))).isEqualTo(":-10\r\n");
            assertThat(resp(p, r -> r.integer(Long.MAX_VALUE))).isEqualTo(":9223372036854775807\r\n");
            assertThat(resp(p, r -> r.integer(Long.MIN_VALUE))).isEqualTo(":-9223372036854775808\r\n");
            assertThat(resp(p, r -> r.integer(Long.MIN_VALUE + 1))).isEqualTo(":-9223372036854775807\r\n");
            assertThat(resp(p, r -> r.integer(1234567890123L))).isEqualTo(":1234567890123\r\n");
        }
    }

    @Test
    void integerDigitsAtEveryPowerOfTen() {
        long v = 1;
        for (int i = 0; i < 19; i++) {
            long x = v;
            assertThat(resp2(r -> r.integer(x))).isEqualTo(":" + x + "\r\n");
            assertThat(resp2(r -> r.integer(x - 1))).isEqualTo(":" + (x - 1) + "\r\n");
            assertThat(resp2(r -> r.integer(-x))).isEqualTo(":" + (-x) + "\r\n");
            v *= 10;
        }
    }

    @Test
    void bulkStrings() {
        for (int p = 2; p <= 3; p++) {
            assertThat(resp(p, r -> r.bulk("hello".getBytes()))).isEqualTo("$5\r\nhello\r\n");
            assertThat(resp(p, r -> r.bulk(new byte[0]))).isEqualTo("$0\r\n\r\n");
            assertThat(resp(p, r -> r.bulk("a\r\nb".getBytes()))).isEqualTo("$4\r\na\r\nb\r\n");
            assertThat(resp(p, r -> r.bulk("xhellox".getBytes(), 1, 5))).isEqualTo("$5\r\nhello\r\n");
            assertThat(resp(p, r -> r.bulk("héllo"))).isEqualTo("$6\r\nh\u00c3\u00a9llo\r\n");
            assertThat(resp(p, r -> r.bulkLong(-42))).isEqualTo("$3\r\n-42\r\n");
            String big = "x".repeat(5000);
            assertThat(resp(p, r -> r.bulk(big.getBytes()))).isEqualTo("$5000\r\n" + big + "\r\n");
        }
    }

    /** Bulk lengths around every power of ten up to 10^6 (the header's digit count changes there), and after other replies. */
    @Test
    void bulkHeadersAtEveryPowerOfTen() {
        for (int power = 1; power <= 1_000_000; power *= 10) {
            for (int length : new int[]{power - 1, power, power + 1}) {
                if (length < 0) continue;
                byte[] value = new byte[length];
                java.util.Arrays.fill(value, (byte) 'v');
                String payload = "v".repeat(length);
                assertThat(resp2(r -> r.bulk(value))).isEqualTo("$" + length + "\r\n" + payload + "\r\n");
                assertThat(resp2(r -> {
                    r.ok();
                    r.bulk(value, 0, length);
                    r.integer(7);
                })).isEqualTo("+OK\r\n$" + length + "\r\n" + payload + "\r\n:7\r\n");
            }
        }
    }

    @Test
    void decimalDigits() {
        for (int n = 0; n < 2_000_000; n++) assertThat(ReplyWriter.decimalDigits(n)).isEqualTo(Integer.toString(n).length());
        for (int p = 1, k = 1; k <= 9; p *= 10, k++) {
            int power = p * 10;
            assertThat(ReplyWriter.decimalDigits(power - 1)).isEqualTo(k);
            assertThat(ReplyWriter.decimalDigits(power)).isEqualTo(k + 1);
        }
        assertThat(ReplyWriter.decimalDigits(Integer.MAX_VALUE)).isEqualTo(10);
    }

    @Test
    void nulls() {
        assertThat(resp2(ReplyWriter::nullBulk)).isEqualTo("$-1\r\n");
        assertThat(resp2(ReplyWriter::nullArray)).isEqualTo("*-1\r\n");
        assertThat(resp2(r -> r.bulk((byte[]) null))).isEqualTo("$-1\r\n");
        assertThat(resp2(r -> r.bulk((String) null))).isEqualTo("$-1\r\n");
        assertThat(resp3(ReplyWriter::nullBulk)).isEqualTo("_\r\n");
        assertThat(resp3(ReplyWriter::nullArray)).isEqualTo("_\r\n");
        assertThat(resp3(r -> r.bulk((byte[]) null))).isEqualTo("_\r\n");
    }

    @Test
    void aggregates() {
        assertThat(resp2(ReplyWriter::emptyArray)).isEqualTo("*0\r\n");
        assertThat(resp3(ReplyWriter::emptyArray)).isEqualTo("*0\r\n");
        assertThat(resp2(r -> {
            r.arrayHeader(2);
            r.bulk("a".getBytes());
            r.integer(1);
        })).isEqualTo("*2\r\n$1\r\na\r\n:1\r\n");
        assertThat(resp3(r -> r.arrayHeader(3))).isEqualTo("*3\r\n");
        assertThat(resp2(r -> {
            r.mapHeader(2);
            r.bulk("k1");
            r.integer(1);
            r.bulk("k2");
            r.nullBulk();
        })).isEqualTo("*4\r\n$2\r\nk1\r\n:1\r\n$2\r\nk2\r\n$-1\r\n");
        assertThat(resp3(r -> {
            r.mapHeader(2);
            r.bulk("k1");
            r.integer(1);
            r.bulk("k2");
            r.nullBulk();
        })).isEqualTo("%2\r\n$2\r\nk1\r\n:1\r\n$2\r\nk2\r\n_\r\n");
        assertThat(resp2(r -> r.mapHeader(0))).isEqualTo("*0\r\n");
        assertThat(resp3(r -> r.mapHeader(0))).isEqualTo("%0\r\n");
        assertThat(resp2(r -> r.setHeader(3))).isEqualTo("*3\r\n");
        assertThat(resp3(r -> r.setHeader(3))).isEqualTo("~3\r\n");
        assertThat(resp2(r -> r.pushHeader(3))).isEqualTo("*3\r\n");
        assertThat(resp3(r -> r.pushHeader(3))).isEqualTo(">3\r\n");
        assertThat(resp3(r -> r.attributeHeader(1))).isEqualTo("|1\r\n");
    }

    @Test
    void pushMessageLikeRedisPubSub() {
        Consumer<ReplyWriter> message = r -> {
            r.pushHeader(3);
            r.bulk("message");
            r.bulk("ch");
            r.bulk("hi");
        };
        assertThat(resp2(message)).isEqualTo("*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n");
        assertThat(resp3(message)).isEqualTo(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n");
    }

    @Test
    void booleans() {
        assertThat(resp2(r -> r.bool(true))).isEqualTo(":1\r\n");
        assertThat(resp2(r -> r.bool(false))).isEqualTo(":0\r\n");
        assertThat(resp3(r -> r.bool(true))).isEqualTo("#t\r\n");
        assertThat(resp3(r -> r.bool(false))).isEqualTo("#f\r\n");
    }

    @Test
    void doubles() {
        assertThat(resp2(r -> r.doubleValue(1.5))).isEqualTo("$3\r\n1.5\r\n");
        assertThat(resp3(r -> r.doubleValue(1.5))).isEqualTo(",1.5\r\n");
        assertThat(resp2(r -> r.doubleValue(0.1))).isEqualTo("$3\r\n0.1\r\n");
        assertThat(resp3(r -> r.doubleValue(0.1))).isEqualTo(",0.1\r\n");
        assertThat(resp2(r -> r.doubleValue(3))).isEqualTo("$1\r\n3\r\n");
        assertThat(resp3(r -> r.doubleValue(3))).isEqualTo(",3\r\n");
        assertThat(resp2(r -> r.doubleValue(1e20))).isEqualTo("$5\r\n1e+20\r\n");
        assertThat(resp3(r -> r.doubleValue(1e20))).isEqualTo(",1e+20\r\n");
        assertThat(resp2(r -> r.doubleValue(Double.POSITIVE_INFINITY))).isEqualTo("$3\r\ninf\r\n");
        assertThat(resp3(r -> r.doubleValue(Double.POSITIVE_INFINITY))).isEqualTo(",inf\r\n");
        assertThat(resp2(r -> r.doubleValue(Double.NEGATIVE_INFINITY))).isEqualTo("$4\r\n-inf\r\n");
        assertThat(resp3(r -> r.doubleValue(Double.NEGATIVE_INFINITY))).isEqualTo(",-inf\r\n");
        assertThat(resp3(r -> r.doubleValue(Double.NaN))).isEqualTo(",nan\r\n");
        assertThat(resp3(r -> r.doubleValue(-0.0))).isEqualTo(",-0\r\n");
        assertThat(resp2(r -> r.doubleValue(-2.5))).isEqualTo("$4\r\n-2.5\r\n");
    }

    @Test
    void verbatimAndBigNumber() {
        assertThat(resp3(r -> r.verbatim("hello"))).isEqualTo("=9\r\ntxt:hello\r\n");
        assertThat(resp2(r -> r.verbatim("hello"))).isEqualTo("$5\r\nhello\r\n");
        assertThat(resp3(r -> r.bigNumber("3492890328409238509324850943850943825024385")))
                .isEqualTo("(3492890328409238509324850943850943825024385\r\n");
        assertThat(resp2(r -> r.bigNumber("12345678901234567890"))).isEqualTo("$20\r\n12345678901234567890\r\n");
    }

    @Test
    void protocolSwitchesAffectLaterReplies() {
        ByteBuf buf = Unpooled.buffer();
        ReplyWriter r = new ReplyWriter(buf, 2);
        r.nullBulk();
        r.protocol(3);
        assertThat(r.resp3()).isTrue();
        r.nullBulk();
        assertThat(buf.toString(StandardCharsets.US_ASCII)).isEqualTo("$-1\r\n_\r\n");
    }

    /** Staged bulks write what one bulk call per element writes: short, long, empty, across staging blocks. */
    @Test
    void stagedBulksMatchOneBulkCallEach() {
        java.util.Random rnd = new java.util.Random(3);
        byte[][] elements = new byte[3000][];
        for (int i = 0; i < elements.length; i++) {
            int len = switch (i % 7) {
                case 0 -> 0;
                case 1 -> 256; // the longest staged
                case 2 -> 257; // the shortest written straight
                case 3 -> 1024 + rnd.nextInt(4000);
                default -> rnd.nextInt(20);
            };
            elements[i] = new byte[len + 2];
            rnd.nextBytes(elements[i]);
        }
        String expected = resp2(r -> {
            for (byte[] e : elements) r.bulk(e, 1, e.length - 2);
        });
        String staged = resp2(r -> {
            io.keyline.util.ByteRangeSink sink = r.bulks();
            for (byte[] e : elements) sink.accept(e, 1, e.length - 2);
            r.endBulks();
        });
        assertThat(staged).isEqualTo(expected);
        // LPOP with a count asks for the sink once per element before endBulks(): nothing staged is lost.
        String perElement = resp2(r -> {
            for (byte[] e : elements) r.bulks().accept(e, 1, e.length - 2);
            r.endBulks();
        });
        assertThat(perElement).isEqualTo(expected);
        // A range that failed half-way leaves nothing staged for the next command's reply.
        ByteBuf buf = Unpooled.buffer(16);
        ReplyWriter w = new ReplyWriter(buf, 2);
        w.bulks().accept(new byte[]{'x'}, 0, 1);
        w.buffer(buf);
        w.endBulks();
        assertThat(buf.readableBytes()).isZero();
    }
}
