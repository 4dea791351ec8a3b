package io.keyline.persistence.rdb;

import io.keyline.store.EncodingLimits;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a whole RDB file of version 1 to 11 ({@code rdbLoadRioWithLoadingCtx} of Redis 7.2's
 * {@code rdb.c}) from a stream, handing each record to a {@link Sink}. Auxiliary fields, RESIZEDB
 * hints, expire times in seconds and milliseconds, LRU idle times and LFU frequencies, function
 * libraries and every value encoding are understood; module values and module AUX data are
 * refused. Anything malformed (an unknown opcode or type, an impossible length, a truncated file,
 * a wrong checksum) is an {@link RdbFormatException} whose message names the byte offset; the caller
 * must then refuse the data (Redis exits), since the sink has seen only part of it.
 */
public final class RdbFileReader {
    private RdbFileReader() {
    }

    /** Where the records go. Called on the reading thread, in file order. */
    public interface Sink {
        default void aux(byte[] key, byte[] value) {
        }

        /** A function library's code (RDB_OPCODE_FUNCTION2). */
        default void function(byte[] code) {
        }

        default void resizeDb(int db, long size, long expires) {
        }

        /**
         * One key. {@code expireAt} is epoch ms or -1; {@code lruIdleSeconds} / {@code lfuFreq} are -1
         * when the file has none for the key.
         */
        void entry(int db, byte[] key, Object value, long expireAt, long lruIdleSeconds, int lfuFreq);

        /** Called every few thousand keys with the offset reached (loading progress). */
        default void progress(long offset) {
        }

        /** Called once, first: the reader's current byte offset, for a tool that reports where each record ends. */
        default void position(java.util.function.LongSupplier offset) {
        }

        /** A SELECTDB record. */
        default void selectDb(int db) {
        }
    }

    /**
     * What was read: the version, the keys, whether a checksum was checked, and {@code endOffset},
     * the offset just past the checksum (where an AOF's RESP tail begins after an RDB preamble).
     */
    public record Summary(int version, long keys, long keysWithExpire, long functions, int auxFields, boolean checksumChecked,
                          long checksum, long endOffset) {
    }

    /**
     * Reads {@code in} (of {@code length} bytes, -1 when unknown) to the EOF opcode and the
     * checksum; the bytes after it are not read. {@code databases} bounds SELECTDB; {@code
     * verifyChecksum} is {@code rdbchecksum} (a stored 0 means "not computed" and is never checked).
     */
    public static Summary read(InputStream in, long length, EncodingLimits limits, int databases, boolean verifyChecksum, Sink sink) {
        Rdb.Input r = new Rdb.Input(in, length);
        sink.position(r::offset);
        byte[] magic;
        try {
            magic = r.read(9);
        } catch (RdbFormatException e) {
            throw new RdbFormatException("Short read or OOM loading DB: the file is shorter than the RDB header (offset 0)")
                    .at(new RdbFormatException.Where(0, "start", null, 0, EOF_REASON));
        }
        String head = new String(magic, StandardCharsets.US_ASCII);
        if (!head.startsWith("REDIS")) {
            throw new RdbFormatException("Wrong signature trying to load DB from file (offset 0)")
                    .at(new RdbFormatException.Where(9, "start", null, 0, "Wrong signature trying to load DB from file"));
        }
        int version;
        try {
            version = Integer.parseInt(head.substring(5));
        } catch (NumberFormatException e) {
            version = 0; // atoi's answer for a non-number, refused below as Redis does
        }
        if (version < 1 || version > Rdb.VERSION) {
            throw new RdbFormatException("Can't handle RDB format version " + version + " (offset 5)")
                    .at(new RdbFormatException.Where(9, "start", null, 0, "Can't handle RDB format version " + version));
        }
        int db = 0;
        long expireAt = -1, lruIdle = -1;
        int lfuFreq = -1;
        long keys = 0, volatileKeys = 0, functions = 0;
        int aux = 0;
        // What redis-check-rdb's rdbstate would say at an error (see RdbFormatException.Where). Its
        // key type starts at 0 and becomes -1 after the first key: a quirk its output shows, kept.
        String doing = "start";
        byte[] key = null;
        int keyType = 0;
        while (true) {
            long at = r.offset();
            int type = -1;
            try {
                doing = "read-type";
                type = r.readByte();
                if (type == Rdb.OPCODE_EXPIRETIME) {
                    doing = "read-expire";
                    expireAt = r.readLE(4) * 1000;
                    continue;
                } else if (type == Rdb.OPCODE_EXPIRETIME_MS) {
                    doing = "read-expire";
                    expireAt = r.readMillis();
                    continue;
                } else if (type == Rdb.OPCODE_FREQ) {
                    lfuFreq = r.readByte();
                    continue;
                } else if (type == Rdb.OPCODE_IDLE) {
                    lruIdle = r.readLen();
                    if (r.encoded || lruIdle < 0) throw new RdbFormatException("bad LRU idle time");
                    continue;
                } else if (type == Rdb.OPCODE_EOF) {
                    break;
                } else if (type == Rdb.OPCODE_SELECTDB) {
                    doing = "read-len";
                    long d = r.readLen();
                    if (r.encoded || d < 0) throw new RdbFormatException("bad database number");
                    if (d >= databases) {
                        throw new RdbFormatException("Data file was created with a Redis server configured to handle more than "
                                + databases + " databases");
                    }
                    db = (int) d;
                    sink.selectDb(db);
                    continue;
                } else if (type == Rdb.OPCODE_RESIZEDB) {
                    doing = "read-len";
                    long size = r.readLen();
                    boolean bad = r.encoded;
                    long expires = r.readLen();
                    if (bad || r.encoded) throw new RdbFormatException("bad RESIZEDB lengths");
                    sink.resizeDb(db, size, expires);
                    continue;
                } else if (type == Rdb.OPCODE_AUX) {
                    doing = "read-aux";
                    byte[] k = r.readString();
                    byte[] v = r.readString();
                    aux++;
                    sink.aux(k, v);
                    continue;
                } else if (type == Rdb.OPCODE_MODULE_AUX) {
                    doing = "read-module-aux";
                    throw new RdbFormatException("the file holds module AUX data (RDB_OPCODE_MODULE_AUX): Redis modules are not supported");
                } else if (type == Rdb.OPCODE_FUNCTION_PRE_GA) {
                    throw new RdbFormatException("Pre-release function format not supported");
                } else if (type == Rdb.OPCODE_FUNCTION2) {
                    doing = "read-functions";
                    sink.function(r.readString());
                    functions++;
                    continue;
                } else if (type == Rdb.TYPE_MODULE_PRE_GA || type == Rdb.TYPE_MODULE_2) {
                    throw new RdbFormatException("the file holds a module value (type " + type + "): Redis modules are not supported");
                } else if (!Rdb.isValueType(type)) {
                    throw new RdbFormatException("Unknown RDB opcode or value type " + type);
                }
                keyType = type;
                doing = "read-key";
                key = r.readString();
                keys++;
                doing = "read-object-value";
                Object value;
                try {
                    value = RdbValues.read(type, r, limits);
                } catch (RdbFormatException e) {
                    String m = e.getMessage() + " (key '" + printable(key) + "')";
                    throw e.endOfData() ? RdbFormatException.endOfData(m) : new RdbFormatException(m);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    throw new RdbFormatException("bad value: " + e.getMessage() + " (key '" + printable(key) + "')");
                }
                sink.entry(db, key, value, expireAt, lruIdle, lfuFreq);
                key = null;
                keyType = -1;
                if (expireAt >= 0) volatileKeys++;
                if ((keys & 1023) == 0) sink.progress(r.offset());
                expireAt = -1;
                lruIdle = -1;
                lfuFreq = -1;
            } catch (RdbFormatException e) {
                String reason = e.endOfData() ? EOF_REASON
                        : doing.equals("read-type") && type >= 0 && !Rdb.isValueType(type) ? "Invalid object type: " + type
                        : e.getMessage();
                throw withOffset(e, at).at(new RdbFormatException.Where(r.offset(), doing, key, keyType, reason));
            }
        }
        long computed = r.crcSoFar();
        long stored = 0;
        boolean checked = false;
        if (version >= 5) {
            long at = r.offset();
            try {
                stored = r.readLE(8);
            } catch (RdbFormatException e) {
                throw new RdbFormatException("Short read loading the checksum at offset " + at)
                        .at(new RdbFormatException.Where(r.offset(), "check-sum", null, keyType, EOF_REASON));
            }
            if (verifyChecksum && stored != 0) {
                checked = true;
                if (stored != computed) {
                    throw new RdbFormatException(String.format("Wrong RDB checksum expected: (%x) got: (%x) at offset %d",
                            stored, computed, at)).at(new RdbFormatException.Where(r.offset(), "check-sum", null, keyType, "RDB CRC error"));
                }
            }
        }
        return new Summary(version, keys, volatileKeys, functions, aux, checked, stored, r.offset());
    }

    /** redis-check-rdb's words for a short read. */
    private static final String EOF_REASON = "Unexpected EOF reading RDB file";

    private static RdbFormatException withOffset(RdbFormatException e, long recordAt) {
        String m = e.getMessage();
        if (m != null && m.contains("offset")) return new RdbFormatException(m + " (record at offset " + recordAt + ")");
        return new RdbFormatException(m + " at offset " + recordAt);
    }

    /** A key for a log line: printable ASCII as is, other bytes as \xNN, cut at 64 bytes. */
    static String printable(byte[] key) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < key.length && i < 64; i++) {
            int b = key[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '\\') sb.append((char) b);
            else sb.append(String.format("\\x%02x", b));
        }
        if (key.length > 64) sb.append("...");
        return sb.toString();
    }
}
