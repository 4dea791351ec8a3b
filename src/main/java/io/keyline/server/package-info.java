/**
 * The network side: Netty bootstrap (native epoll where it loads, NIO otherwise), one
 * {@link io.keyline.server.ClientConnection} per socket that parses requests, hands them to the
 * dispatcher on the event-loop thread and flushes replies once per read batch, and
 * {@link io.keyline.server.KeylineServer}, which assembles config, keyspace, commands and
 * background tasks (active expiry) and owns start-up and shutdown.
 *
 * <p>Depends on {@code command}, {@code store}, {@code protocol}, {@code config} and (for the AOF)
 * {@code persistence}.
 */
package io.keyline.server;
