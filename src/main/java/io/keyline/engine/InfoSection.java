package io.keyline.engine;

/** A provider of one INFO section's {@code name:value} lines (e.g. persistence, from the AOF). */
@FunctionalInterface
public interface InfoSection {
    void append(StringBuilder out);
}
