package io.keyline.protocol;

import io.netty.buffer.ByteBuf;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Incremental request parser for one connection, following Redis's {@code processMultibulkBuffer}
 * and {@code processInlineBuffer}. {@link #next(ByteBuf)} returns the next complete command's
 * arguments, or {@code null} when more bytes are needed; partial multibulk state is kept between
 * calls so a huge command arriving in many reads is never re-parsed from the start.
 *
 * <p>Limits and errors follow Redis 7 (each error closes the connection after the reply):
 * <ul>
 *   <li>multibulk count: {@code string2ll} syntax and at most {@code INT_MAX}, else
 *       {@code invalid multibulk length}; more than 10 while unauthenticated gives
 *       {@code unauthenticated multibulk length}; a count line longer than 64 KB gives
 *       {@code too big mbulk count string};</li>
 *   <li>each argument must start with {@code $} ({@code expected '$', got 'x'}); its length must be
 *       0..{@code proto-max-bulk-len} ({@code invalid bulk length}), at most 16384 while
 *       unauthenticated ({@code unauthenticated bulk length}); a length line longer than 64 KB
 *       gives {@code too big bulk count string};</li>
 *   <li>inline commands are split like {@code sdssplitargs} ({@code unbalanced quotes in request})
 *       and may be at most 64 KB long ({@code too big inline request}).</li>
 * </ul>
 * The bulk length is validated from its length line alone, so a huge announced length is rejected
 * before anything is allocated; argument arrays grow as arguments arrive (never sized from the
 * announced count alone) and an argument's bytes are copied only once they have all arrived.
 */
public final class RespParser {
    /** Longest inline request and longest length line (Redis's {@code PROTO_INLINE_MAX_SIZE}). */
    public static final int MAX_INLINE = 64 * 1024;
    /** Redis 7 accepts multibulk counts up to {@code INT_MAX}. */
    public static final long MAX_MULTIBULK = Integer.MAX_VALUE;
    /** Limits while the client still has to authenticate (Redis's {@code authRequired}). */
    public static final int MAX_UNAUTHENTICATED_MULTIBULK = 10;
    public static final int MAX_UNAUTHENTICATED_BULK = 16384;
    /** A Java array cannot hold more. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    private static final int INITIAL_ARGS = 1024;
    private static final byte[][] EMPTY = new byte[0][];

    private long maxBulkLength;
    private boolean unauthenticated;

    // Partial multibulk state.
    private byte[][] args;
    private int argCount;
    private int expectedArgs;
    private int bulkLength = -1;
    /** Bytes of the arguments parsed so far of the command in progress (Redis's argv_len_sum, argv-mem). */
    private long argvLenSum;

    public RespParser(long maxBulkLength) {
        this.maxBulkLength = maxBulkLength;
    }

    public void setMaxBulkLength(long maxBulkLength) {
        this.maxBulkLength = maxBulkLength;
    }

    /** While true, the tighter unauthenticated limits apply (set before each {@link #next}). */
    public void unauthenticated(boolean value) {
        this.unauthenticated = value;
    }

    /** Bytes of the arguments of the unfinished command parsed so far (argv-mem in CLIENT LIST). */
    public long argvMemory() {
        return args == null ? 0 : argvLenSum;
    }

    /** Arguments of the unfinished command parsed so far. */
    public int argc() {
        return args == null ? 0 : argCount;
    }

    /** True while a multibulk command has been started but not finished. */
    public boolean inProgress() {
        return args != null;
    }

    /**
     * Parses the next command. Returns {@code null} if incomplete, an empty array for a request
     * without arguments ({@code *0}, {@code *-1}, an empty inline line), which the caller skips.
     *
     * @throws ProtocolException for malformed input; the caller replies {@code -ERR <message>} and
     *                           closes the connection
     */
    public byte[][] next(ByteBuf in) {
        windowStart = windowEnd = 0; // the caller may have compacted or replaced its buffer since the last call
        if (args == null) {
            if (!in.isReadable()) return null;
            int start = in.readerIndex();
            fill(in, start);
            if (window[0] != '*') return parseInline(in);
            int eol = findLineEnd(in, start);
            if (eol < 0) {
                if (in.readableBytes() > MAX_INLINE) throw new ProtocolException("too big mbulk count string");
                return null;
            }
            long count = lineNumber(start + 1, eol);
            if (count == INVALID || count > MAX_MULTIBULK) throw new ProtocolException("invalid multibulk length");
            if (count > MAX_UNAUTHENTICATED_MULTIBULK && unauthenticated) {
                throw new ProtocolException("unauthenticated multibulk length");
            }
            in.readerIndex(eol + 2);
            if (count <= 0) return EMPTY;
            expectedArgs = (int) count;
            args = new byte[Math.min(expectedArgs, INITIAL_ARGS)][];
            argCount = 0;
            argvLenSum = 0;
            bulkLength = -1;
        }
        while (argCount < expectedArgs) {
            if (bulkLength < 0) {
                if (!in.isReadable()) return null;
                int start = in.readerIndex();
                int eol = findLineEnd(in, start);
                if (eol < 0) {
                    if (in.readableBytes() > MAX_INLINE) throw new ProtocolException("too big bulk count string");
                    return null;
                }
                byte type = window[start - windowStart]; // findLineEnd left the line's start in the window
                if (type != '$') {
                    throw new ProtocolException("expected '$', got '" + (char) (type & 0xff) + "'");
                }
                long len = lineNumber(start + 1, eol);
                if (len == INVALID || len < 0 || len > maxBulkLength || len > MAX_ARRAY) {
                    throw new ProtocolException("invalid bulk length");
                }
                if (len > MAX_UNAUTHENTICATED_BULK && unauthenticated) {
                    throw new ProtocolException("unauthenticated bulk length");
                }
                bulkLength = (int) len;
                in.readerIndex(eol + 2);
            }
            // As Redis: the two bytes after the data are skipped, not checked.
            if (in.readableBytes() < (long) bulkLength + 2) return null;
            int from = in.readerIndex();
            byte[] arg;
            if (bulkLength > WINDOW) {
                arg = argumentArray(bulkLength);
                in.getBytes(from, arg);
            } else {
                if (from < windowStart || from + bulkLength > windowEnd) fill(in, from);
                int offset = from - windowStart;
                if (argCount == 0 && bulkLength <= MAX_CACHED_NAME) {
                    arg = commandName(offset, bulkLength);
                } else {
                    arg = argumentArray(bulkLength);
                    System.arraycopy(window, offset, arg, 0, bulkLength);
                }
            }
            in.readerIndex(from + bulkLength + 2);
            if (argCount == args.length) args = Arrays.copyOf(args, (int) Math.min((long) args.length * 2, expectedArgs));
            args[argCount++] = arg;
            argvLenSum += bulkLength;
            bulkLength = -1;
        }
        byte[][] done = args;
        args = null;
        return done;
    }

    /**
     * A new argument's array, which the caller fills whole: for a long one, an array a finished command gave
     * back ({@link ArgumentPool}) if this thread holds one of that length, else a new one.
     */
    private static byte[] argumentArray(int length) {
        if (length >= ArgumentPool.MIN_LENGTH) {
            byte[] recycled = ArgumentPool.current().take(length);
            if (recycled != null) return recycled;
        }
        return new byte[length];
    }

    /**
     * The input from {@link #windowStart} to {@link #windowEnd} (buffer indexes), copied out of the buffer
     * in one call: lines, numbers and short arguments are read from this array, where a {@code ByteBuf.getByte}
     * per byte (bounds and reference-count checks, and the pooled buffer's indirection, each time) cost more
     * than the whole copy. A small command fits in one window; only the first fill of a call is certain.
     * Valid during one {@link #next} call only: between calls the caller may compact or replace its buffer.
     */
    private final byte[] window = new byte[WINDOW];
    private int windowStart;
    private int windowEnd;
    /** Bytes one {@link #fill} copies at most: a few small pipelined commands, the lines of any. */
    private static final int WINDOW = 128;

    /** Copies the input from {@code from} (up to {@link #WINDOW} bytes of it) into the window. */
    private void fill(ByteBuf in, int from) {
        int n = Math.min(in.writerIndex() - from, WINDOW);
        in.getBytes(from, window, 0, n);
        windowStart = from;
        windowEnd = from + n;
    }

    /**
     * The command name at {@code window[offset]}, as the array this parser returned the last time the
     * same bytes came: a client sends the same few names over and over, and a fresh array per
     * request is garbage the collector must chase (16 bytes of every GET's 86). Shared arrays are
     * safe because nothing writes into an argument's bytes. One direct-mapped entry per hash.
     */
    private byte[] commandName(int offset, int length) {
        byte[] w = window;
        int h = length;
        for (int i = offset; i < offset + length; i++) h = h * 31 + w[i];
        int slot = (h ^ (h >>> 7)) & (NAME_CACHE - 1);
        byte[] cached = names[slot];
        if (cached != null && cached.length == length && Arrays.equals(cached, 0, length, w, offset, offset + length)) {
            return cached;
        }
        byte[] name = Arrays.copyOfRange(w, offset, offset + length);
        names[slot] = name;
        return name;
    }

    /** Longest command name {@link #commandName} keeps (Redis's longest is 20 bytes). */
    private static final int MAX_CACHED_NAME = 24;
    private static final int NAME_CACHE = 32;
    private final byte[][] names = new byte[NAME_CACHE][];

    /**
     * Index of the {@code \r} ending the line that starts at {@code from}, when the byte after it
     * has arrived too (as Redis, that byte is assumed to be {@code \n}); -1 if not there yet. Looks
     * at most {@link #MAX_INLINE} bytes ahead so garbage without CR costs linear time overall.
     * Leaves {@code from} in the window (at its start if it had to be filled again).
     */
    private int findLineEnd(ByteBuf in, int from) {
        int end = in.writerIndex();
        if (from < windowStart || from >= windowEnd) fill(in, from);
        while (true) {
            byte[] w = window;
            int base = windowStart;
            for (int i = from - base, n = windowEnd - base; i < n; i++) {
                if (w[i] == '\r') return base + i + 1 < end ? base + i : -1;
            }
            if (windowEnd == end) return -1; // every byte that has arrived was looked at
            if (from == windowStart) break;
            fill(in, from); // the line began late in the window: look again from its start
        }
        // A line longer than the window (only ever an error or an inline-sized garbage line): the rest in the buffer.
        int cr = in.indexOf(windowEnd, Math.min(end, from + MAX_INLINE + 1), (byte) '\r');
        if (cr < 0 || cr + 1 >= end) return -1;
        return cr;
    }

    /** {@link #string2ll} of the line {@code [from, to)} (buffer indexes) that {@link #findLineEnd} found. */
    private long lineNumber(int from, int to) {
        // A line that did not fit the window is far longer than any number.
        return to <= windowEnd ? string2ll(window, from - windowStart, to - windowStart) : INVALID;
    }

    private static final long INVALID = Long.MIN_VALUE;

    /**
     * Redis's {@code string2ll} on {@code [from, to)}: optional '-', no '+', no leading zeros, no
     * spaces, must fit a signed 64-bit integer; {@link #INVALID} otherwise. Every valid negative
     * number is returned as -1: both callers only care that it is negative.
     */
    static long string2ll(byte[] in, int from, int to) {
        int len = to - from;
        if (len <= 0 || len > 20) return INVALID;
        if (len <= 2) { // nearly every count and length line: "*3", "$3", "$16", without the loop
            int d = in[from] - '0';
            if (len == 1) return d >= 0 && d <= 9 ? d : INVALID;
            int e = in[from + 1] - '0';
            return d >= 1 && d <= 9 && e >= 0 && e <= 9 ? d * 10 + e : d == '-' - '0' && e >= 1 && e <= 9 ? -e : INVALID;
        }
        int i = from;
        boolean negative = false;
        if (in[i] == '-') {
            negative = true;
            i++;
        }
        byte first = in[i];
        if (first < '1' || first > '9') return INVALID;
        // Accumulate negatively: the negative range is one larger than the positive one.
        long value = -(first - '0');
        for (i++; i < to; i++) {
            byte b = in[i];
            if (b < '0' || b > '9') return INVALID;
            int digit = b - '0';
            if (value < (Long.MIN_VALUE + digit) / 10) return INVALID;
            value = value * 10 - digit;
        }
        if (negative) return -1;
        return value == Long.MIN_VALUE ? INVALID : -value;
    }

    private byte[][] parseInline(ByteBuf in) {
        int start = in.readerIndex();
        int limit = Math.min(in.writerIndex(), start + MAX_INLINE + 2);
        int nl = in.indexOf(start, limit, (byte) '\n');
        if (nl < 0) {
            if (in.readableBytes() > MAX_INLINE) throw new ProtocolException("too big inline request");
            return null;
        }
        int end = nl;
        if (end > start && in.getByte(end - 1) == '\r') end--;
        if (end - start > MAX_INLINE) throw new ProtocolException("too big inline request");
        byte[] line = new byte[end - start];
        in.getBytes(start, line);
        in.readerIndex(nl + 1);
        List<byte[]> parts = splitArgs(line);
        if (parts == null) throw new ProtocolException("unbalanced quotes in request");
        return parts.isEmpty() ? EMPTY : parts.toArray(EMPTY);
    }

    /**
     * Splits a line exactly as Redis's {@code sdssplitargs}: blanks ({@code isspace}) separate
     * words; an unquoted word ends at space, tab, CR or LF; double quotes allow
     * {@code \n \r \t \b \a}, {@code \xHH} and a backslash before any other character; single
     * quotes allow only {@code \'}; a closing quote must be followed by a blank or the end of the
     * line. The line ends at a NUL byte (it is a C string there). Returns {@code null} on
     * unbalanced quotes.
     */
    public static List<byte[]> splitArgs(byte[] line) {
        int n = line.length;
        for (int k = 0; k < n; k++) {
            if (line[k] == 0) {
                n = k;
                break;
            }
        }
        List<byte[]> out = new ArrayList<>();
        ByteArrayOutputStream cur = new ByteArrayOutputStream();
        int i = 0;
        while (true) {
            while (i < n && isSpace(line[i])) i++;
            if (i >= n) return out;
            boolean inDq = false, inSq = false, done = false;
            cur.reset();
            while (!done) {
                if (inDq) {
                    if (i >= n) return null;
                    byte c = line[i];
                    if (c == '\\' && i + 3 < n && line[i + 1] == 'x' && isHex(line[i + 2]) && isHex(line[i + 3])) {
                        cur.write(hex(line[i + 2]) * 16 + hex(line[i + 3]));
                        i += 3;
                    } else if (c == '\\' && i + 1 < n) {
                        i++;
                        switch (line[i]) {
                            case 'n' -> cur.write('\n');
                            case 'r' -> cur.write('\r');
                            case 't' -> cur.write('\t');
                            case 'b' -> cur.write('\b');
                            case 'a' -> cur.write(7);
                            default -> cur.write(line[i]);
                        }
                    } else if (c == '"') {
                        if (i + 1 < n && !isSpace(line[i + 1])) return null;
                        done = true;
                    } else {
                        cur.write(c);
                    }
                } else if (inSq) {
                    if (i >= n) return null;
                    byte c = line[i];
                    if (c == '\\' && i + 1 < n && line[i + 1] == '\'') {
                        i++;
                        cur.write('\'');
                    } else if (c == '\'') {
                        if (i + 1 < n && !isSpace(line[i + 1])) return null;
                        done = true;
                    } else {
                        cur.write(c);
                    }
                } else if (i >= n) {
                    done = true;
                } else {
                    byte c = line[i];
                    switch (c) {
                        case ' ', '\n', '\r', '\t' -> done = true;
                        case '"' -> inDq = true;
                        case '\'' -> inSq = true;
                        default -> cur.write(c);
                    }
                }
                if (i < n) i++;
            }
            out.add(cur.toByteArray());
        }
    }

    /** C's {@code isspace} in the C locale. */
    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == '\f' || b == 0x0b;
    }

    private static boolean isHex(byte b) {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') return b - '0';
        if (b >= 'a' && b <= 'f') return b - 'a' + 10;
        return b - 'A' + 10;
    }
}
