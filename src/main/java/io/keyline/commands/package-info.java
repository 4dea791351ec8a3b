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
 * never check arity, auth or OOM and never lock: the engine's call path does. Each family registers
 * them through one enum, {@code Op}, whose constant per command switches to the command's method (a
 * method reference per command cost a class and a linked call site each at start-up: see
 * {@link io.keyline.engine.Handler}).
 *
 * <p>The launcher builds the table on a thread of its own while it sets up SLF4J, so nothing that
 * registering loads may get an SLF4J logger in a static initialiser: a family that logs looks its
 * logger up when it logs.
 *
 * <p>May use {@code engine}, {@code session}, {@code store}, {@code protocol}, {@code config} and
 * {@code util}. Enforced by {@code ArchitectureTest}.
 */
package io.keyline.commands;
