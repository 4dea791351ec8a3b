package io.keyline.protocol;

/** A malformed request; the connection that sent it is answered with the message and closed. */
public final class ProtocolException extends RuntimeException {
    public ProtocolException(String message) {
        super("Protocol error: " + message, null, false, false);
    }
}
