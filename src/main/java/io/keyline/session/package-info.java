/**
 * Client sessions, as state: {@link io.keyline.session.Client} (selected database, protocol, auth,
 * name, MULTI queue, watched keys, blocked flag, reply writer, AOF sequence its replies wait for),
 * {@link io.keyline.session.ClientRegistry} (clients by id), {@link io.keyline.session.WatchRegistry}
 * (WATCH bookkeeping, with Redis 7's stale-key rules) and the {@link io.keyline.session.Connection}
 * interface the network side implements, and {@link io.keyline.session.UserRef}, the ACL user a client runs
 * as (the engine's {@code AclUser}).
 *
 * <p>The engine acts on this state (queueing, EXEC, blocking); nothing here runs a command. May use
 * {@code store}, {@code protocol} and {@code util}; never {@code engine}, {@code commands} or
 * {@code server}. Enforced by {@code ArchitectureTest}.
 */
package io.keyline.session;
