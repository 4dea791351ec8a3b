package io.keyline.store;

/**
 * A mutable value that COPY can duplicate. Strings are immutable {@code byte[]} and are shared
 * instead of copied; every mutable data type must implement this with a deep copy (the copy and
 * the original must never share mutable state).
 */
public interface Copyable {
    /** An independent deep copy of this value. */
    Object copy();

    /** A value safe to store under a second key: the same array for strings, a deep copy otherwise. */
    static Object copyOf(Object value) {
        if (value instanceof byte[]) return value;
        if (value instanceof Copyable c) return c.copy();
        throw new IllegalStateException("value of " + value.getClass().getName() + " cannot be copied");
    }
}
