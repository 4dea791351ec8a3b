package io.keyline.persistence;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads commands from an AOF stream: RESP arrays of bulk strings, with Redis's {@code #...}
 * annotation lines skipped. Tells a clean end, a truncated last command and corruption apart,
 * and knows the byte offset of every command.
 */
final class AofReader implements AutoCloseable {
    /** The stream ended in the middle of a command. */
    static final class TruncatedException extends IOException {
        TruncatedException(String message) {
            super(message);
        }
    }

    /** The bytes are not a valid AOF at {@link #offset}. */
    static final class CorruptException extends IOException {
        final long offset;

        CorruptException(String message, long offset) {
            super(message);
            this.offset = offset;
        }
    }

    private static final long MAX_BULK = 512L * 1024 * 1024;
    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    private long bufStart; // stream offset of buf[0]
    private long commandStart;

    AofReader(InputStream in) {
        this.in = in;
    }

    /** Offset just after the last command returned (the end of the valid prefix). */
    long offset() {
        return bufStart + pos;
    }

    /** Offset where the last command returned started. */
    long commandStart() {
        return commandStart;
    }

    /** True if the stream starts with an RDB preamble ("REDIS"), which Keyline cannot load. */
    boolean startsWithRdbPreamble() throws IOException {
        if (!fill(5)) return false;
        return buf[pos] == 'R' && buf[pos + 1] == 'E' && buf[pos + 2] == 'D' && buf[pos + 3] == 'I' && buf[pos + 4] == 'S';
    }

    /** The next command, or null at a clean end of the stream. */
    byte[][] next() throws IOException {
        while (true) {
            if (!fill(1)) return null;
            commandStart = offset();
            byte b = buf[pos];
            if (b == '#') { // annotation, e.g. #TS:1700000000
                skipLine();
                continue;
            }
            if (b != '*') {
                throw new CorruptException("expected '*' but found " + describe(b), offset());
            }
            pos++;
            long argc = readNumber();
            if (argc < 1 || argc > Integer.MAX_VALUE - 8) throw new CorruptException("invalid argument count " + argc, commandStart);
            byte[][] argv = new byte[(int) argc][];
            for (int i = 0; i < argc; i++) {
                if (!fill(1)) throw new TruncatedException("unexpected end of file");
                if (buf[pos] != '$') throw new CorruptException("expected '$' but found " + describe(buf[pos]), offset());
                pos++;
                long len = readNumber();
                if (len < 0 || len > MAX_BULK) throw new CorruptException("invalid bulk length " + len, offset());
                argv[i] = readBytes((int) len);
                if (!fill(2)) throw new TruncatedException("unexpected end of file");
                if (buf[pos] != '\r' || buf[pos + 1] != '\n') throw new CorruptException("bulk string not terminated by CRLF", offset());
                pos += 2;
            }
            return argv;
        }
    }

    private static String describe(byte b) {
        if (b >= 32 && b < 127) return "'" + (char) b + "'";
        return String.format("byte 0x%02x", b & 0xff);
    }

    private void skipLine() throws IOException {
        while (true) {
            if (!fill(1)) throw new TruncatedException("unexpected end of file in an annotation");
            if (buf[pos++] == '\n') return;
        }
    }

    private long readNumber() throws IOException {
        long v = 0;
        int digits = 0;
        boolean negative = false;
        long start = offset();
        while (true) {
            if (!fill(1)) throw new TruncatedException("unexpected end of file");
            byte b = buf[pos++];
            if (b == '\r') {
                if (!fill(1)) throw new TruncatedException("unexpected end of file");
                if (buf[pos++] != '\n') throw new CorruptException("expected LF after CR", offset() - 1);
                if (digits == 0) throw new CorruptException("missing number", start);
                return negative ? -v : v;
            }
            if (b == '-' && digits == 0 && !negative) {
                negative = true;
                continue;
            }
            if (b < '0' || b > '9' || digits > 18) throw new CorruptException("invalid number", start);
            v = v * 10 + (b - '0');
            digits++;
        }
    }

    private byte[] readBytes(int n) throws IOException {
        byte[] out = new byte[n];
        int done = 0;
        while (done < n) {
            if (pos == limit && !fill(1)) throw new TruncatedException("unexpected end of file");
            int k = Math.min(n - done, limit - pos);
            System.arraycopy(buf, pos, out, done, k);
            pos += k;
            done += k;
        }
        return out;
    }

    /** Makes at least {@code n} (<= buffer size) bytes available; false at end of stream. */
    private boolean fill(int n) throws IOException {
        if (limit - pos >= n) return true;
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            bufStart += pos;
            limit -= pos;
            pos = 0;
        }
        while (limit < n) {
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) return false;
            limit += r;
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
