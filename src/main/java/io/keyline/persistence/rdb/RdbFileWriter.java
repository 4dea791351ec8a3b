package io.keyline.persistence.rdb;

import io.keyline.util.Crc64;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A whole RDB file ({@code rdbSaveRio} of Redis 7.2's {@code rdb.c}): the magic {@code REDIS00NN},
 * auxiliary fields, function libraries, then key/value records, then EOF and the CRC64 of
 * everything before it (0 when checksums are off).
 *
 * <p>Records are taken in any order: {@link #entry} writes a SELECTDB whenever the database changes,
 * which RDB allows as often as needed, so a caller can feed it stripe by stripe (a point-in-time
 * snapshot) or database by database (then {@link #selectDb} with the sizes writes Redis's RESIZEDB
 * hint too). Records are encoded into a buffer written out every 64 KB; the checksum is updated as
 * the buffer is written, so the writer never holds more than one value's encoding.
 */
public final class RdbFileWriter {
    private static final int FLUSH_AT = 1 << 16;

    private final OutputStream out;
    private final int version;
    private final boolean checksum;
    private final int streamNodeMaxEntries;
    private final Rdb.Output buf;
    private long crc;
    private long written;
    private int currentDb = -1;
    private long keys;

    /**
     * @param version 11 (Redis 7.2) or 10 (7.0 reads it)
     * @param compress LZF for strings over 20 bytes ({@code rdbcompression})
     * @param checksum write the CRC64 ({@code rdbchecksum}); 0 in its place otherwise
     */
    public RdbFileWriter(OutputStream out, int version, boolean compress, boolean checksum, int streamNodeMaxEntries) {
        this(out, version, compress, checksum, streamNodeMaxEntries, true);
    }

    /**
     * A writer for a piece of a file (one stripe of a snapshot): no magic, no checksum of its own
     * (the caller checksums the whole file as the pieces reach it); {@link #drain()} instead of
     * {@link #finish()}. Its first record starts with a SELECTDB.
     */
    public static RdbFileWriter chunk(OutputStream out, int version, boolean compress, int streamNodeMaxEntries) {
        return new RdbFileWriter(out, version, compress, false, streamNodeMaxEntries, false);
    }

    private RdbFileWriter(OutputStream out, int version, boolean compress, boolean checksum, int streamNodeMaxEntries,
                          boolean magic) {
        if (version < 10 || version > Rdb.VERSION) throw new IllegalArgumentException("RDB version " + version);
        this.out = out;
        this.version = version;
        this.checksum = checksum;
        this.streamNodeMaxEntries = streamNodeMaxEntries;
        this.buf = new Rdb.Output(FLUSH_AT + 1024, compress);
        if (magic) buf.write(String.format("REDIS%04d", version).getBytes(StandardCharsets.US_ASCII));
    }

    public int version() {
        return version;
    }

    /** An AUX field with a string value ({@code rdbSaveAuxFieldStrStr}). */
    public void aux(String key, String value) throws IOException {
        buf.writeByte(Rdb.OPCODE_AUX);
        buf.writeString(key.getBytes(StandardCharsets.UTF_8));
        buf.writeString(value.getBytes(StandardCharsets.UTF_8));
        maybeFlush();
    }

    /** An AUX field with an integer value ({@code rdbSaveAuxFieldStrInt}: integer-encoded when it fits). */
    public void aux(String key, long value) throws IOException {
        buf.writeByte(Rdb.OPCODE_AUX);
        buf.writeString(key.getBytes(StandardCharsets.UTF_8));
        buf.writeLongAsString(value);
        maybeFlush();
    }

    /**
     * The auxiliary fields Redis 7.2's {@code rdbSaveInfoAuxFields} writes, in its order: redis-ver,
     * redis-bits, ctime, used-mem, the replication fields when there is a replication state
     * ({@code replId} not null), aof-base.
     */
    public void standardAux(String redisVersion, long ctimeSeconds, long usedMemory, String replId, int replStreamDb,
                            long replOffset, boolean aofBase) throws IOException {
        aux("redis-ver", redisVersion);
        aux("redis-bits", 64);
        aux("ctime", ctimeSeconds);
        aux("used-mem", usedMemory);
        if (replId != null) {
            aux("repl-stream-db", replStreamDb);
            aux("repl-id", replId);
            aux("repl-offset", replOffset);
        }
        aux("aof-base", aofBase ? 1 : 0);
    }

    /** A function library's code (RDB_OPCODE_FUNCTION2, {@code rdbSaveFunctions}). */
    public void function(byte[] code) throws IOException {
        buf.writeByte(Rdb.OPCODE_FUNCTION2);
        buf.writeString(code);
        maybeFlush();
    }

    /** SELECTDB, and the RESIZEDB hint when {@code dbSize} is not negative. */
    public void selectDb(int db, long dbSize, long expiresSize) throws IOException {
        buf.writeByte(Rdb.OPCODE_SELECTDB);
        buf.writeLen(db);
        currentDb = db;
        if (dbSize >= 0) {
            buf.writeByte(Rdb.OPCODE_RESIZEDB);
            buf.writeLen(dbSize);
            buf.writeLen(Math.max(0, expiresSize));
        }
        maybeFlush();
    }

    /**
     * One key ({@code rdbSaveKeyValuePair}): the expire time, the LRU idle time or LFU frequency,
     * the value's type, the key and the value. A SELECTDB comes first when {@code db} differs from
     * the previous record's.
     *
     * @param expireAt epoch ms, or negative for none
     * @param lruIdleSeconds written as RDB_OPCODE_IDLE when not negative (LRU policies)
     * @param lfuFreq written as RDB_OPCODE_FREQ when not negative (LFU policies)
     * @return false (nothing written) for a value that is not one of Keyline's types
     */
    public boolean entry(int db, byte[] key, Object value, long expireAt, long lruIdleSeconds, int lfuFreq) throws IOException {
        if (db != currentDb) selectDb(db, -1, -1);
        int mark = buf.size();
        if (expireAt >= 0) {
            buf.writeByte(Rdb.OPCODE_EXPIRETIME_MS);
            buf.writeMillis(expireAt);
        }
        if (lruIdleSeconds >= 0) {
            buf.writeByte(Rdb.OPCODE_IDLE);
            buf.writeLen(lruIdleSeconds);
        } else if (lfuFreq >= 0) {
            buf.writeByte(Rdb.OPCODE_FREQ);
            buf.writeByte(lfuFreq & 0xff);
        }
        if (!RdbValues.write(value, key, buf, version, streamNodeMaxEntries)) {
            buf.truncate(mark);
            return false;
        }
        keys++;
        maybeFlush();
        return true;
    }

    /** Keys written so far. */
    public long keys() {
        return keys;
    }

    /** EOF and the checksum; flushes. Returns the file's size. The stream stays open. */
    public long finish() throws IOException {
        buf.writeByte(Rdb.OPCODE_EOF);
        flush();
        buf.writeLE(checksum ? crc : 0, 8);
        out.write(buf.buffer(), 0, buf.size());
        written += buf.size();
        buf.reset();
        out.flush();
        return written;
    }

    /** Writes out what is buffered, no EOF (a {@link #chunk} writer's end). Returns the bytes written so far. */
    public long drain() throws IOException {
        flush();
        return written;
    }

    private void maybeFlush() throws IOException {
        if (buf.size() >= FLUSH_AT) flush();
    }

    private void flush() throws IOException {
        if (buf.size() == 0) return;
        if (checksum) crc = Crc64.update(crc, buf.buffer(), 0, buf.size());
        out.write(buf.buffer(), 0, buf.size());
        written += buf.size();
        buf.reset();
    }
}
