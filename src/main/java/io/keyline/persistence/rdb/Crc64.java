package io.keyline.persistence.rdb;

/**
 * CRC-64/Jones as Redis's {@code crc64.c}: polynomial 0xad93d23594c935a9, reflected input and
 * output, initial value 0, no final xor. {@code crc64(0, "123456789")} is 0xe9c6d914c4b8d9ca.
 * The checksum of DUMP payloads and of RDB files.
 */
public final class Crc64 {
    private static final long[] TABLE = new long[256];

    static {
        long poly = Long.reverse(0xad93d23594c935a9L);
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >>> 1) ^ poly : crc >>> 1;
            TABLE[i] = crc;
        }
    }

    private Crc64() {
    }

    /** Continues {@code crc} over {@code b[from, from + len)}. */
    public static long update(long crc, byte[] b, int from, int len) {
        for (int i = from, end = from + len; i < end; i++) crc = TABLE[(int) ((crc ^ b[i]) & 0xff)] ^ (crc >>> 8);
        return crc;
    }

    public static long of(byte[] b) {
        return update(0, b, 0, b.length);
    }
}
