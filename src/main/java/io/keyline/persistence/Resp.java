package io.keyline.persistence;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte buffer that encodes commands as RESP arrays of bulk strings (the AOF format). */
final class Resp {
    private static final byte[][] SMALL = new byte[1024][];

    static {
        for (int i = 0; i < SMALL.length; i++) SMALL[i] = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
    }

    byte[] data;
    int len;

    Resp(int capacity) {
        data = new byte[capacity];
    }

    void clear() {
        len = 0;
    }

    private void ensure(int extra) {
        if (len + extra > data.length) {
            int n = Math.max(data.length * 2, len + extra);
            data = Arrays.copyOf(data, n);
        }
    }

    void append(Resp other) {
        ensure(other.len);
        System.arraycopy(other.data, 0, data, len, other.len);
        len += other.len;
    }

    /** Removes the first {@code n} bytes. */
    void drop(int n) {
        if (n >= len) {
            len = 0;
            return;
        }
        System.arraycopy(data, n, data, 0, len - n);
        len -= n;
    }

    void command(byte[][] argv) {
        int size = 16;
        for (byte[] a : argv) size += a.length + 16;
        ensure(size);
        data[len++] = '*';
        number(argv.length);
        for (byte[] a : argv) {
            data[len++] = '$';
            number(a.length);
            System.arraycopy(a, 0, data, len, a.length);
            len += a.length;
            data[len++] = '\r';
            data[len++] = '\n';
        }
    }

    /** SELECT db */
    void select(int db) {
        command(new byte[][]{"SELECT".getBytes(StandardCharsets.US_ASCII), Integer.toString(db).getBytes(StandardCharsets.US_ASCII)});
    }

    private void number(long v) {
        if (v >= 0 && v < SMALL.length) {
            byte[] s = SMALL[(int) v];
            System.arraycopy(s, 0, data, len, s.length);
            len += s.length;
        } else {
            byte[] s = Long.toString(v).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(s, 0, data, len, s.length);
            len += s.length;
        }
        data[len++] = '\r';
        data[len++] = '\n';
    }

    static byte[] encode(byte[]... argv) {
        Resp r = new Resp(64);
        r.command(argv);
        return Arrays.copyOf(r.data, r.len);
    }
}
