package io.keyline.store;

/**
 * A typed lookup ({@link Database#get(byte[], Class)} and friends) found a value of another type.
 * Carries no text: the command engine maps it to Redis's {@code WRONGTYPE} error in one place.
 * Preallocated and stackless, as it is thrown on an ordinary (if erroneous) command path.
 */
public final class WrongTypeException extends RuntimeException {
    public static final WrongTypeException INSTANCE = new WrongTypeException();

    private WrongTypeException() {
        super(null, null, false, false);
    }
}
