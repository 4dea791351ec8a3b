package io.keyline.persistence.rdb;

/** A value or file that is not well-formed RDB: truncated, impossible lengths, bad encodings. */
public final class RdbFormatException extends RuntimeException {
    public RdbFormatException(String message) {
        super(message);
    }
}
