package io.keyline.store;

import java.util.function.Consumer;

/**
 * A data-type value that the AOF rewrite can dump as commands. Strings ({@code byte[]}) are handled
 * by the rewrite itself; every other value class stored in a {@link Database} must implement this,
 * or the rewrite fails (rather than silently dropping the key).
 *
 * <p>The rewrite calls {@link #emit} holding the key's stripe lock, so the value does not change
 * meanwhile; it must be quick and must not lock anything. The TTL is not part of it: the rewrite
 * appends {@code PEXPIREAT key ms} after the value's commands when the key has one.
 */
public interface AofRewritable {
    /** Maximum number of elements per emitted variadic command (Redis's AOF_REWRITE_ITEMS_PER_CMD). */
    int BATCH = 64;

    /**
     * Emits commands that recreate this value at {@code key} on an empty key, in order: e.g.
     * {@code RPUSH key e1 .. e64}, {@code RPUSH key e65 ..}, or {@code HSET key f1 v1 .. f64 v64},
     * {@code SADD}, {@code ZADD key score member ..}: at most {@link #BATCH} elements per command.
     * The arrays passed to {@code out} are encoded at once and may be reused afterwards.
     */
    void emit(byte[] key, Consumer<byte[][]> out);
}
