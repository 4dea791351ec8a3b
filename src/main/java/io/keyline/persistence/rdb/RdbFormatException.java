package io.keyline.persistence.rdb;

/**
 * A value or file that is not well-formed RDB: truncated, impossible lengths, bad encodings. The
 * message names the offset. Thrown by {@link RdbFileReader}, it also says where the reader was,
 * in redis-check-rdb's terms ({@link #where()}), so {@code --check-rdb} can report as that tool does.
 */
public final class RdbFormatException extends RuntimeException {
    private final boolean endOfData;
    private Where where;

    public RdbFormatException(String message) {
        this(message, false);
    }

    private RdbFormatException(String message, boolean endOfData) {
        super(message);
        this.endOfData = endOfData;
    }

    /** The data ended before what was being read (a short read: Redis's "Unexpected EOF"). */
    public static RdbFormatException endOfData(String message) {
        return new RdbFormatException(message, true);
    }

    public boolean endOfData() {
        return endOfData;
    }

    /**
     * Where the file reader stopped, as redis-check-rdb's rdbstate: {@code offset} the bytes read
     * so far, {@code doing} its stage name ("read-type", "read-key", "check-sum"...), {@code key} the
     * key being read (null between keys), {@code type} the type byte of the record (-1 none),
     * {@code reason} the error in Redis's words where Redis has them.
     */
    public record Where(long offset, String doing, byte[] key, int type, String reason) {
    }

    /** Null unless thrown by {@link RdbFileReader}. */
    public Where where() {
        return where;
    }

    RdbFormatException at(Where w) {
        this.where = w;
        return this;
    }
}
