/**
 * The execution engine: where every command runs, whoever calls it.
 *
 * <ul>
 *   <li>{@link io.keyline.engine.CommandTable} and {@link io.keyline.engine.CommandSpec}: one description
 *   per command (arity, flags, key positions, ACL categories, docs, handler). Behaviour that differs per
 *   command is a flag here (internal ones such as {@code LOCK_ALL}, {@code NOT_QUEUED},
 *   {@code EXECUTES_QUEUED} are not shown by COMMAND), never a name check.</li>
 *   <li>{@link io.keyline.engine.Dispatcher}: {@code execute} is Redis's {@code processCommand} (lookup,
 *   arity, auth, MULTI queueing, OOM, MISCONF, LOADING); {@code call} is Redis's {@code call()}, the one
 *   call path for a client connection, EXEC's queued commands, AOF replay and a blocked client re-running
 *   its command: stripe locks, the handler, block registration, AOF propagation, command stats, the
 *   slow log and latency monitor ({@link io.keyline.engine.CallObserver}).</li>
 *   <li>{@link io.keyline.engine.CallContext}: the per-call context handlers receive: database, reply
 *   sink, clock (read once per call), "key modified", "propagate as", "block on these keys".</li>
 *   <li>{@link io.keyline.engine.BlockingRegistry}: clients blocked on keys; a ready key re-runs the
 *   waiter's command through {@code call} (Redis 7's reprocessing), so each blocking command is written
 *   once.</li>
 *   <li>{@link io.keyline.engine.ScriptThread}: the thread network clients' scripts run on (their connection
 *   suspended, flag {@code SCRIPT_THREAD}) and the running script's state: BUSY after busy-reply-threshold,
 *   SCRIPT KILL / FUNCTION KILL, FUNCTION STATS.</li>
 *   <li>{@link io.keyline.engine.Acl} and {@link io.keyline.engine.AclUser}: Redis 7.2's ACL (users, rules,
 *   selectors, the permission check {@code Dispatcher} makes for clients, EXEC's queued commands and
 *   scripts' calls, the ACL log, the ACL file). A user's rules are an immutable state swapped as a whole,
 *   so checks never lock; an all-permissions user costs the call path one test.</li>
 *   <li>Errors ({@link io.keyline.engine.Errors}, {@link io.keyline.engine.RedisException}), argument
 *   parsing ({@link io.keyline.engine.Args}), propagation targets ({@link io.keyline.engine.Propagator}),
 *   the batch-end hook ({@link io.keyline.engine.BatchEnd}), stats, SLOWLOG and LATENCY data, and the
 *   {@link io.keyline.engine.ServerContext} that holds them together.</li>
 * </ul>
 *
 * <p>May use {@code session}, {@code store}, {@code protocol}, {@code config}, {@code util} and Netty's
 * buffer and executor API. Never {@code commands} (families register into a table given to it),
 * {@code persistence} or {@code server} (they plug in through {@code Propagator},
 * {@code PersistenceControl} and {@code session.Connection}). Enforced by {@code ArchitectureTest}.
 */
package io.keyline.engine;
