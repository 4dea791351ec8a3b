package io.keyline.engine;

/** A command error carrying Redis's full error line, e.g. {@code "WRONGTYPE Operation ..."}. */
public final class RedisException extends RuntimeException {
    public RedisException(String line) {
        super(line, null, false, false);
    }
}
