/**
 * The command families, one class each ({@code StringCommands}, {@code KeyCommands},
 * {@code ListCommands}, {@code HashCommands}, {@code SetCommands}, {@code SortedSetCommands},
 * {@code TransactionCommands}, {@code ConnectionCommands}, {@code ServerCommands},
 * {@code MonitoringCommands}...), each with a {@code register(CommandTable)} that lists its commands
 * explicitly; {@link io.keyline.commands.StandardCommands} lists the families (no classpath scanning).
 * Commands with more parsing get a small class of their own ({@code SetCommand}, {@code SortCommand},
 * {@code ScanCommand}, {@code LcsCommand}, {@code ObjectCommand}).
 *
 * <p>Handlers are short: parse arguments, call the store's typed API, report through the
 * {@code CallContext} ({@code modified}, {@code propagateAs}, {@code block}) and write the reply. They
 * never check arity, auth or OOM and never lock: the engine's call path does.
 *
 * <p>May use {@code engine}, {@code session}, {@code store}, {@code protocol}, {@code config} and
 * {@code util}. Enforced by {@code ArchitectureTest}.
 */
package io.keyline.commands;
