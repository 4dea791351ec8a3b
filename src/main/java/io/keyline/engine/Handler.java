package io.keyline.engine;

/**
 * Runs one command for a client; {@code argv[0]} is the command name.
 *
 * <p>Each command family implements it once, as an enum with one constant per command whose
 * {@code handle} switches to the command's method, rather than with a method reference or lambda per
 * command: each of those is a class of its own plus a call site the JVM links at start-up (~0.5 ms
 * each even from the class-data sharing archive, ~350 of them: most of the command table's share
 * of the time to the first PING).
 */
@FunctionalInterface
public interface Handler {
    void handle(CallContext c, byte[][] argv);
}
