/**
 * Commands: the {@link io.keyline.command.CommandTable} (one description per command: arity, flags,
 * key positions, ACL categories, docs, handler), the {@link io.keyline.command.Dispatcher} (the one
 * place that looks commands up, checks arity/auth/MULTI/OOM/loading, takes stripe locks, runs the
 * handler, propagates writes to the AOF and counts stats), per-connection
 * {@link io.keyline.command.Client} state, and one class per command family
 * ({@code StringCommands}, {@code KeyCommands}, ...), each with a {@code register(CommandTable)}.
 *
 * <p>Handlers are short: parse arguments, call the store, write the reply. They never check arity,
 * auth or OOM themselves, and never lock: the dispatcher holds the stripes of the command's keys.
 *
 * <p>{@link io.keyline.command.BatchEnd} lets work run once at the end of an event loop's batch of
 * reads: first the AOF's write (and, with {@code appendfsync always}, its fsync), then the replies.
 *
 * <p>Depends on {@code store}, {@code protocol}, {@code config} and Netty's buffer API; never on
 * {@code server} (the network side is reached through the {@link io.keyline.command.Connection}
 * interface).
 */
package io.keyline.command;
