package io.keyline.session;

/**
 * The ACL user a client is authenticated as (Redis's {@code client->user}). The engine's ACL user
 * implements it; a client without one (AOF replay, internal callers) runs anything, as in Redis.
 */
public interface UserRef {
    /** The user name, as CLIENT LIST's {@code user=} and ACL WHOAMI print it. */
    String name();
}
