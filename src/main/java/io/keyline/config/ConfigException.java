package io.keyline.config;

/** A bad parameter name or value; the message is the text after {@code ERR } / the startup error. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
