package io.keyline.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

import java.util.ArrayList;
import java.util.List;

/**
 * Incremental request parser for one connection. {@link #next(ByteBuf)} returns the next complete
 * command's arguments, or {@code null} when more bytes are needed; partial multibulk state is kept
 * between calls so a huge command arriving in many reads is never re-parsed from the start.
 *
 * <p>Limits follow Redis: at most 1,048,576 arguments per command, bulk strings up to
 * {@code proto-max-bulk-len}, inline requests and length lines up to 64 KB.
 */
public final class RespParser {
    public static final int MAX_INLINE = 64 * 1024;
    public static final int MAX_MULTIBULK = 1024 * 1024;
    private static final byte[][] EMPTY = new byte[0][];

    private long maxBulkLength;

    // Partial multibulk state.
    private byte[][] args;
    private int argIndex;
    private int bulkLength = -1;

    public RespParser(long maxBulkLength) {
        this.maxBulkLength = maxBulkLength;
    }

    public void setMaxBulkLength(long maxBulkLength) {
        this.maxBulkLength = maxBulkLength;
    }

    /** True while a multibulk command has been started but not finished. */
    public boolean inProgress() {
        return args != null;
    }

    /**
     * Parses the next command. Returns {@code null} if incomplete, an empty array for an empty
     * inline line (to be skipped by the caller).
     */
    public byte[][] next(ByteBuf in) {
        if (args == null) {
            if (!in.isReadable()) return null;
            if (in.getByte(in.readerIndex()) != '*') return parseInline(in);
            int eol = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\r');
            if (eol < 0 || eol + 1 >= in.writerIndex()) {
                if (in.readableBytes() > MAX_INLINE) throw new ProtocolException("too big mbulk count string");
                return null;
            }
            long count = parseLength(in, in.readerIndex() + 1, eol, "invalid multibulk length");
            if (count > MAX_MULTIBULK) throw new ProtocolException("invalid multibulk length");
            in.readerIndex(eol + 2);
            if (count <= 0) return EMPTY;
            args = new byte[(int) count][];
            argIndex = 0;
            bulkLength = -1;
        }
        while (argIndex < args.length) {
            if (bulkLength < 0) {
                if (!in.isReadable()) return null;
                int start = in.readerIndex();
                int eol = in.indexOf(start, in.writerIndex(), (byte) '\r');
                if (eol < 0 || eol + 1 >= in.writerIndex()) {
                    if (in.readableBytes() > MAX_INLINE) throw new ProtocolException("too big bulk count string");
                    return null;
                }
                byte type = in.getByte(start);
                if (type != '$') {
                    throw new ProtocolException("expected '$', got '" + (char) (type & 0xff) + "'");
                }
                long len = parseLength(in, start + 1, eol, "invalid bulk length");
                if (len < 0 || len > maxBulkLength) throw new ProtocolException("invalid bulk length");
                bulkLength = (int) len;
                in.readerIndex(eol + 2);
            }
            if (in.readableBytes() < bulkLength + 2) return null;
            byte[] arg = new byte[bulkLength];
            in.readBytes(arg);
            in.skipBytes(2);
            args[argIndex++] = arg;
            bulkLength = -1;
        }
        byte[][] done = args;
        args = null;
        return done;
    }

    private static long parseLength(ByteBuf in, int from, int to, String error) {
        if (to <= from || to - from > 19) throw new ProtocolException(error);
        boolean negative = false;
        int i = from;
        if (in.getByte(i) == '-') {
            negative = true;
            i++;
            if (i == to) throw new ProtocolException(error);
        }
        long value = 0;
        for (; i < to; i++) {
            byte b = in.getByte(i);
            if (b < '0' || b > '9') throw new ProtocolException(error);
            value = value * 10 + (b - '0');
        }
        return negative ? -value : value;
    }

    private byte[][] parseInline(ByteBuf in) {
        int nl = in.forEachByte(in.readerIndex(), in.readableBytes(), ByteProcessor.FIND_LF);
        if (nl < 0) {
            if (in.readableBytes() > MAX_INLINE) throw new ProtocolException("too big inline request");
            return null;
        }
        int end = nl;
        if (end > in.readerIndex() && in.getByte(end - 1) == '\r') end--;
        byte[] line = new byte[end - in.readerIndex()];
        in.getBytes(in.readerIndex(), line);
        in.readerIndex(nl + 1);
        List<byte[]> parts = splitArgs(line);
        if (parts == null) throw new ProtocolException("unbalanced quotes in request");
        return parts.toArray(EMPTY);
    }

    /**
     * Splits a line the way Redis's {@code sdssplitargs} does: spaces separate words, double quotes
     * allow {@code \n \r \t \b \a \\ \"} and {@code \xHH} escapes, single quotes allow {@code \'}.
     * Returns {@code null} on unbalanced quotes.
     */
    public static List<byte[]> splitArgs(byte[] line) {
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        int n = line.length;
        java.io.ByteArrayOutputStream cur = new java.io.ByteArrayOutputStream();
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
                        byte e = line[i];
                        switch (e) {
                            case 'n' -> cur.write('\n');
                            case 'r' -> cur.write('\r');
                            case 't' -> cur.write('\t');
                            case 'b' -> cur.write('\b');
                            case 'a' -> cur.write(7);
                            default -> cur.write(e);
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
                } else {
                    if (i >= n) {
                        done = true;
                        continue;
                    }
                    byte c = line[i];
                    if (isSpace(c)) done = true;
                    else if (c == '"') inDq = true;
                    else if (c == '\'') inSq = true;
                    else cur.write(c);
                }
                if (i < n) i++;
            }
            out.add(cur.toByteArray());
        }
    }

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
