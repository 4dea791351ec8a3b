/**
 * The network side: Netty bootstrap (native epoll where it loads, NIO otherwise), one
 * {@link io.keyline.server.ClientConnection} per socket that parses requests, hands them to the
 * dispatcher on the event-loop thread and flushes replies once per read batch, and
 * {@link io.keyline.server.KeylineServer}, which assembles config, keyspace, commands and
 * background tasks (active expiry) and owns start-up and shutdown. Writes from other threads (pub/sub
 * messages, invalidations, wake-ups) queue per connection and are drained by one task per event loop
 * ({@link io.keyline.server.LoopOutbox}). {@link io.keyline.server.StartAhead} lets the launcher build the
 * command table and load Netty's transport on threads of their own while it reads its configuration.
 * {@link io.keyline.server.HeapGovernor} (the command-line server only) collects once when writes have paused
 * for 2 s and left garbage (heap growth beyond the keyspace's own), so that RSS follows the keyspace instead of
 * the heap's peak.
 *
 * <p>May use {@code commands} (the standard table), {@code persistence}, {@code engine},
 * {@code session}, {@code store}, {@code protocol}, {@code config} and {@code util}; nothing uses it
 * but {@code embed} and {@code cli}. Enforced by {@code ArchitectureTest}.
 */
package io.keyline.server;
