package io.keyline.util;

/** Redis Cluster hash slots: CRC16 (XMODEM) of the key or of its first non-empty {@code {tag}}. */
public final class Slots {
    public static final int COUNT = 16384;
    private static final int[] TABLE = new int[256];
    /** TABLE advanced by one more zero byte: {@code TABLE2[a]} is the CRC contribution of byte {@code a} two bytes back. */
    private static final int[] TABLE2 = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int j = 0; j < 8; j++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            TABLE[i] = crc & 0xffff;
        }
        for (int i = 0; i < 256; i++) TABLE2[i] = (((TABLE[i] & 0xff) << 8) ^ TABLE[TABLE[i] >>> 8]) & 0xffff;
    }

    private Slots() {
    }

    /**
     * Two bytes per step (slicing-by-2): CRC is linear, so the pair's two table lookups are independent
     * and the loop's dependency chain is half as long as byte by byte. Every single-key command hashes
     * its key here twice (its stripe lock, then its table), which made this ~5% of an INCR's profile.
     */
    public static int crc16(byte[] b, int from, int to) {
        int crc = 0;
        int i = from;
        for (; i + 1 < to; i += 2) {
            crc = TABLE2[((crc >>> 8) ^ b[i]) & 0xff] ^ TABLE[(crc ^ b[i + 1]) & 0xff];
        }
        if (i < to) crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ b[i]) & 0xff]) & 0xffff;
        return crc;
    }

    public static int slot(byte[] key) {
        int open = -1;
        for (int i = 0; i < key.length; i++) {
            if (key[i] == '{') {
                open = i;
                break;
            }
        }
        if (open >= 0) {
            for (int j = open + 1; j < key.length; j++) {
                if (key[j] == '}') {
                    if (j > open + 1) return crc16(key, open + 1, j) & (COUNT - 1);
                    break;
                }
            }
        }
        return crc16(key, 0, key.length) & (COUNT - 1);
    }
}
