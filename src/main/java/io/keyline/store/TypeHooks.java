package io.keyline.store;

import java.util.List;
import java.util.function.BiFunction;

/**
 * Factories one data-type family provides to another without a compile-time dependency (SORT ...
 * STORE builds a list). Set once at startup by the owning family.
 */
public final class TypeHooks {
    /**
     * Builds a list value (head to tail) from elements, holding the given encoding limits (the
     * server's, so its node size follows that server's list-max-listpack-size); null until the list
     * type registers it.
     */
    public static volatile BiFunction<EncodingLimits, List<byte[]>, Object> listFactory;

    private TypeHooks() {
    }
}
