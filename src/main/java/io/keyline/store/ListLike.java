package io.keyline.store;

import java.util.function.Consumer;

/**
 * What SORT needs of a list value without depending on the list implementation: the list type's
 * value class implements this. Elements are visited head to tail.
 */
public interface ListLike {
    int size();

    void forEach(Consumer<byte[]> action);
}
