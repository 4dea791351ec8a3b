package io.keyline.util;

/**
 * Redis's CRC-64 (crc64.c: the "Jones" polynomial 0xad93d23594c935a9, reflected in and out, initial
 * value 0, no final xor), which seals DUMP and FUNCTION DUMP payloads. {@code crc64(0, "123456789")} is
 * {@code 0xe9c6d914c4b8d9ca}, the check value in crc64.c's self-test.
 */
public final class Crc64 {
    private static final long[] TABLE = new long[256];

    static {
        long poly = Long.reverse(0xad93d23594c935a9L); // reflected algorithm: the polynomial bit-reversed
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >>> 1) ^ poly : crc >>> 1;
            TABLE[i] = crc;
        }
    }

    private Crc64() {
    }

    /** Continues {@code crc} over {@code data[off, off+len)}. */
    public static long update(long crc, byte[] data, int off, int len) {
        for (int i = off; i < off + len; i++) crc = TABLE[(int) ((crc ^ data[i]) & 0xff)] ^ (crc >>> 8);
        return crc;
    }

    public static long of(byte[] data) {
        return update(0, data, 0, data.length);
    }

    public static long crc64(byte[] data, int len) {
        return update(0, data, 0, len);
    }
}
