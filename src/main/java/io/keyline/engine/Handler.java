package io.keyline.engine;

/** Runs one command for a client; {@code argv[0]} is the command name. */
@FunctionalInterface
public interface Handler {
    void handle(CallContext c, byte[][] argv);
}
