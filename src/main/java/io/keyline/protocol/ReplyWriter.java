package io.keyline.protocol;

import io.keyline.util.ByteRangeSink;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;

import java.nio.charset.StandardCharsets;

/**
 * Writes replies in the connection's protocol (RESP2 or RESP3) straight into an outbound buffer,
 * like Redis's {@code addReply*} family: handlers call {@link #map(int)} or {@link #nullBulk()} and
 * never think about which protocol the client speaks.
 *
 * <p>The buffer is swapped per read batch by the connection; nothing here allocates except when a
 * buffer grows.
 */
public final class ReplyWriter implements ByteRangeSink {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] QUEUED = "+QUEUED\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PONG = "+PONG\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_BULK = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_ARRAY = "*-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL3 = "_\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY_ARRAY = "*0\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRUE3 = "#t\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE3 = "#f\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int SHARED_INTEGERS = 10000;
    private static final byte[][] INTEGER_REPLIES = new byte[SHARED_INTEGERS][];
    /** Headers of the short bulk strings a range reply stages ({@link #stageBulk}). */
    private static final byte[][] BULK_HEADERS = new byte[ReplyWriter.STAGE_MAX_ELEMENT + 1][];

    // Filled digit by digit: this runs, interpreted, inside a server's first reply, where 11,000 string
    // concatenations and encodings also bootstrapped indy string concatenation (a generated class).
    static {
        for (int i = 0; i < SHARED_INTEGERS; i++) INTEGER_REPLIES[i] = sharedLine((byte) ':', i);
        for (int i = 0; i < BULK_HEADERS.length; i++) BULK_HEADERS[i] = sharedLine((byte) '$', i);
    }

    /** {@code prefix}, the decimal digits of {@code n >= 0}, CRLF. */
    private static byte[] sharedLine(byte prefix, int n) {
        int digits = 1;
        for (int rest = n / 10; rest > 0; rest /= 10) digits++;
        byte[] line = new byte[digits + 3];
        line[0] = prefix;
        for (int i = digits; i > 0; i--, n /= 10) line[i] = (byte) ('0' + n % 10);
        line[digits + 1] = '\r';
        line[digits + 2] = '\n';
        return line;
    }

    private ByteBuf out;
    private int protocol = 2;

    /**
     * Short bulk strings of a range reply (LRANGE of 3-byte elements) are gathered here, header,
     * payload and CRLF, and go to the buffer in one write per block instead of three buffer calls
     * (each with its bounds and capacity checks) per element.
     */
    private static final int STAGE_BYTES = 8192;
    /** Longer elements are written straight to the buffer: staging would only add a copy. */
    private static final int STAGE_MAX_ELEMENT = 256;
    /**
     * One block per thread, not per client: a range reply fills and empties it within one command,
     * and 10,000 clients that once ran LRANGE would otherwise keep 80 MB of blocks.
     */
    private static final FastThreadLocal<byte[]> STAGE = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[STAGE_BYTES];
        }
    };
    /** The thread's block between {@link #bulks()} and {@link #endBulks()}; null otherwise. */
    private byte[] stage;
    private int staged;
    private final ByteRangeSink stagedBulks = this::stageBulk;

    public ReplyWriter() {
    }

    public ReplyWriter(ByteBuf out, int protocol) {
        this.out = out;
        this.protocol = protocol;
    }

    public ByteBuf buffer() {
        return out;
    }

    public void buffer(ByteBuf out) {
        this.out = out;
        stage = null; // whatever a failed range left staged belongs to no reply
        staged = 0;
    }

    /**
     * A sink that writes each range it is handed as a bulk string, short ones staged: the caller
     * hands it every element of the reply and then calls {@link #endBulks()}, writing nothing else
     * in between.
     */
    public ByteRangeSink bulks() {
        if (stage == null) { // callers may ask again per element (LPOP with a count) before endBulks()
            stage = STAGE.get();
            staged = 0;
        }
        return stagedBulks;
    }

    /** Writes what {@link #bulks()} staged. */
    public void endBulks() {
        flushStage();
        stage = null;
    }

    private void flushStage() {
        if (staged > 0) {
            out.writeBytes(stage, 0, staged);
            staged = 0;
        }
    }

    private void stageBulk(byte[] bytes, int offset, int length) {
        if (length > STAGE_MAX_ELEMENT) {
            flushStage();
            bulk(bytes, offset, length);
            return;
        }
        byte[] s = stage;
        int p = staged;
        if (p + length + 8 > s.length) { // "$256\r\n" + payload + CRLF at most
            flushStage();
            p = 0;
        }
        byte[] header = BULK_HEADERS[length];
        System.arraycopy(header, 0, s, p, header.length);
        p += header.length;
        System.arraycopy(bytes, offset, s, p, length);
        p += length;
        s[p] = '\r';
        s[p + 1] = '\n';
        staged = p + 2;
    }

    public int protocol() {
        return protocol;
    }

    public void protocol(int protocol) {
        this.protocol = protocol;
    }

    public boolean resp3() {
        return protocol == 3;
    }

    public void ok() {
        out.writeBytes(OK);
    }

    public void queued() {
        out.writeBytes(QUEUED);
    }

    public void pong() {
        out.writeBytes(PONG);
    }

    /** A status line, {@code +text}. The text must not contain CR or LF. */
    public void simple(String text) {
        out.writeByte('+');
        out.writeCharSequence(text, StandardCharsets.UTF_8);
        out.writeBytes(CRLF);
    }

    /** An error line; {@code line} starts with its code, e.g. {@code "ERR syntax error"}. */
    public void error(String line) {
        out.writeByte('-');
        // Redis replaces newlines in error text so the reply stays one line.
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\r' || c == '\n') {
                out.writeCharSequence(line.replace('\r', ' ').replace('\n', ' '), StandardCharsets.UTF_8);
                out.writeBytes(CRLF);
                return;
            }
        }
        out.writeCharSequence(line, StandardCharsets.UTF_8);
        out.writeBytes(CRLF);
    }

    public void integer(long value) {
        if (value >= 0 && value < SHARED_INTEGERS) {
            out.writeBytes(INTEGER_REPLIES[(int) value]);
            return;
        }
        out.writeByte(':');
        writeLong(value);
        out.writeBytes(CRLF);
    }

    public void bulk(byte[] value) {
        if (value == null) {
            nullBulk();
            return;
        }
        bulk(value, 0, value.length);
    }

    /**
     * One capacity check for the whole bulk string, and its length written by the same instructions
     * whatever the length: with a table of headers for short lengths and another branch for the rest,
     * C2 pruned the branch that a server's first traffic never took (3-byte values) and the first 1 KB
     * value trapped there, recompiling the command that had inlined it. As fast as the table for 3-byte
     * values and ~6 ns faster for 1 KB ones (16 replies into a pooled buffer, JDK 25).
     */
    public void bulk(byte[] value, int offset, int length) {
        ByteBuf o = out;
        o.ensureWritable(length + BULK_FRAMING);
        int at = o.writerIndex();
        o.setByte(at, '$');
        at = setDigits(o, at + 1, length);
        o.setShort(at, CRLF_SHORT);
        at += 2;
        o.setBytes(at, value, offset, length);
        at += length;
        o.setShort(at, CRLF_SHORT);
        o.writerIndex(at + 2);
    }

    /** CR LF as one big-endian short, for {@link ByteBuf#setShort}. */
    private static final int CRLF_SHORT = ('\r' << 8) | '\n';
    /** What a bulk string adds to its payload at most: '$', 10 digits, two CRLFs. */
    private static final int BULK_FRAMING = 15;
    /** 10^k for k >= 1, and 0 for k = 0 (so that 0 counts as one digit): see {@link #decimalDigits}. */
    private static final int[] POWERS_OF_TEN = {0, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000};

    /**
     * Sets the decimal digits of {@code n >= 0} at {@code at} (capacity already ensured); returns the
     * index after them. A loop whose condition is tested at its bottom, so every length takes both
     * ways of the same branch and C2 has nothing to prune.
     */
    private static int setDigits(ByteBuf o, int at, int n) {
        int end = at + decimalDigits(n);
        for (int p = end - 1; p >= at; p--) {
            o.setByte(p, '0' + n % 10);
            n /= 10;
        }
        return end;
    }

    /** The number of decimal digits of {@code n >= 0}, without a branch: from its bit length (1233/4096 ~ log10 2), corrected once. */
    static int decimalDigits(int n) {
        int guess = (32 - Integer.numberOfLeadingZeros(n | 1)) * 1233 >>> 12;
        return guess + 1 - ((n - POWERS_OF_TEN[guess]) >>> 31);
    }

    /** As a {@link ByteRangeSink}: the bytes as one bulk string (a value handing its element straight to the reply). */
    @Override
    public void accept(byte[] bytes, int offset, int length) {
        bulk(bytes, offset, length);
    }

    public void bulk(String value) {
        if (value == null) {
            nullBulk();
            return;
        }
        bulk(value.getBytes(StandardCharsets.UTF_8));
    }

    /** A number as a bulk string (what Redis does for e.g. INCRBYFLOAT results). */
    public void bulkLong(long value) {
        bulk(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
    }

    /** Verbatim string in RESP3 ({@code =len\r\ntxt:...}), plain bulk in RESP2. */
    public void verbatim(String text) {
        if (protocol == 3) {
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            out.writeByte('=');
            writeLong(body.length + 4);
            out.writeBytes(CRLF);
            out.writeCharSequence("txt:", StandardCharsets.US_ASCII);
            out.writeBytes(body);
            out.writeBytes(CRLF);
        } else {
            bulk(text);
        }
    }

    public void nullBulk() {
        out.writeBytes(protocol == 3 ? NULL3 : NULL_BULK);
    }

    public void nullArray() {
        out.writeBytes(protocol == 3 ? NULL3 : NULL_ARRAY);
    }

    public void emptyArray() {
        out.writeBytes(EMPTY_ARRAY);
    }

    public void arrayHeader(long count) {
        out.writeByte('*');
        writeLong(count);
        out.writeBytes(CRLF);
    }

    /** A map of {@code pairs} key/value pairs: RESP3 {@code %}, a flat array in RESP2. */
    public void mapHeader(long pairs) {
        if (protocol == 3) {
            out.writeByte('%');
            writeLong(pairs);
        } else {
            out.writeByte('*');
            writeLong(pairs * 2);
        }
        out.writeBytes(CRLF);
    }

    /** A set: RESP3 {@code ~}, an array in RESP2. */
    public void setHeader(long count) {
        out.writeByte(protocol == 3 ? '~' : '*');
        writeLong(count);
        out.writeBytes(CRLF);
    }

    /** An out-of-band push: RESP3 {@code >}, an array in RESP2. */
    public void pushHeader(long count) {
        out.writeByte(protocol == 3 ? '>' : '*');
        writeLong(count);
        out.writeBytes(CRLF);
    }

    /** An attribute map (RESP3 only; callers skip it for RESP2). */
    public void attributeHeader(long pairs) {
        out.writeByte('|');
        writeLong(pairs);
        out.writeBytes(CRLF);
    }

    /** A boolean: RESP3 {@code #t/#f}, integer 1/0 in RESP2. */
    public void bool(boolean value) {
        if (protocol == 3) {
            out.writeBytes(value ? TRUE3 : FALSE3);
        } else {
            integer(value ? 1 : 0);
        }
    }

    /** A double: RESP3 {@code ,}; a bulk string in RESP2. Formatted as Redis does. */
    public void doubleValue(double value) {
        if (protocol == 3) {
            out.writeByte(',');
            out.writeCharSequence(Doubles.resp3(value), StandardCharsets.US_ASCII);
            out.writeBytes(CRLF);
        } else {
            bulk(Doubles.format(value).getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** A big number: RESP3 {@code (}, bulk string in RESP2. */
    public void bigNumber(String digits) {
        if (protocol == 3) {
            out.writeByte('(');
            out.writeCharSequence(digits, StandardCharsets.US_ASCII);
            out.writeBytes(CRLF);
        } else {
            bulk(digits);
        }
    }

    /** Raw bytes already in RESP form. */
    public void raw(byte[] resp) {
        out.writeBytes(resp);
    }

    private void writeLong(long value) {
        if (value == Long.MIN_VALUE) {
            out.writeCharSequence("-9223372036854775808", StandardCharsets.US_ASCII);
            return;
        }
        if (value < 0) {
            out.writeByte('-');
            value = -value;
        }
        if (value < 10) {
            out.writeByte((int) ('0' + value));
            return;
        }
        int digits = digits(value);
        int end = out.writerIndex() + digits;
        out.ensureWritable(digits);
        int pos = end;
        while (value > 0) {
            out.setByte(--pos, (int) ('0' + value % 10));
            value /= 10;
        }
        out.writerIndex(end);
    }

    private static int digits(long v) {
        int d = 1;
        while (v >= 10) {
            v /= 10;
            d++;
        }
        return d;
    }
}
