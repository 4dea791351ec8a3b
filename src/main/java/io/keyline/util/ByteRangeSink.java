package io.keyline.util;

/**
 * Receives bytes where they lie, {@code bytes[offset, offset + length)}, valid only during the call.
 * Lets a value in the store hand an element straight to a reply writer (which implements it) without
 * the store knowing about replies or the element being copied out first.
 */
@FunctionalInterface
public interface ByteRangeSink {
    void accept(byte[] bytes, int offset, int length);
}
