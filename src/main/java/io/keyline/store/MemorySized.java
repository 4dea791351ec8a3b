package io.keyline.store;

/** A value that can estimate its own heap footprint (for {@code maxmemory} and MEMORY USAGE). */
public interface MemorySized {
    long estimatedBytes();
}
