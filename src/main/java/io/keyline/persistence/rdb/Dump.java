package io.keyline.persistence.rdb;

import io.keyline.util.Crc64;
import io.keyline.store.EncodingLimits;

/**
 * DUMP's serialization ({@code createDumpPayload} / {@code verifyDumpPayload} of Redis's
 * {@code cluster.c}): the value's RDB type byte and body, the RDB version as 2 bytes
 * little-endian, and the CRC64 of all that as 8 bytes little-endian.
 */
public final class Dump {
    private Dump() {
    }

    /** The payload of {@code value}, written as RDB {@code version} (11, or 10 for Redis 7.0); null for an unknown type. */
    public static byte[] payload(Object value, int version, boolean compress, int streamNodeMaxEntries) {
        Rdb.Output out = new Rdb.Output(64, compress);
        if (!RdbValues.write(value, out, version, streamNodeMaxEntries)) return null;
        out.writeLE(version, 2);
        long crc = Crc64.update(0, out.buffer(), 0, out.size());
        out.writeLE(crc, 8);
        return out.toByteArray();
    }

    /** Whether the footer's version is one this server reads and the checksum matches. */
    public static boolean verify(byte[] p) {
        if (p.length < 10) return false;
        int version = (p[p.length - 10] & 0xff) | (p[p.length - 9] & 0xff) << 8;
        if (version > Rdb.VERSION) return false;
        long crc = Crc64.update(0, p, 0, p.length - 8);
        long stored = 0;
        for (int i = 0; i < 8; i++) stored |= (p[p.length - 8 + i] & 0xffL) << (8 * i);
        return crc == stored;
    }

    /**
     * The value of a payload {@link #verify} accepted. The body must be consumed exactly up to
     * the footer; anything else is an {@link RdbFormatException}.
     */
    public static Object value(byte[] p, EncodingLimits limits) {
        Rdb.Input in = new Rdb.Input(p, 0, p.length - 10);
        int type = in.readByte();
        if (!Rdb.isValueType(type)) throw new RdbFormatException("unknown value type " + type);
        Object v = RdbValues.read(type, in, limits);
        if (in.remaining() != 0) throw new RdbFormatException("trailing bytes in payload");
        return v;
    }
}
