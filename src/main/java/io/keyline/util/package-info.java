/**
 * Leaf utilities, depends on nothing but the JDK.
 *
 * <p>{@link io.keyline.util.Bytes}: binary-safe key and number helpers; {@link io.keyline.util.Slots}:
 * cluster hash slots (CRC16, hash tags), which also pick a key's stripe; {@link io.keyline.util.DoubleFormat}:
 * doubles printed and parsed as Redis does. {@link io.keyline.util.Words} splits configuration values into words without a regular expression. {@link io.keyline.util.Glob} is Redis's glob matcher ({@code stringmatchlen}), used by KEYS, the
 * SCAN family's MATCH, CONFIG GET, COMMAND LIST FILTERBY PATTERN and other pattern arguments.
 * {@link io.keyline.util.ProcessId} is the pid without {@code ProcessHandle}'s set-up on the start path.
 */
package io.keyline.util;
