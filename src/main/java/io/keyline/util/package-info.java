/**
 * Leaf utilities, depends on nothing but the JDK.
 *
 * <p>{@link io.keyline.util.Glob} is Redis's glob matcher ({@code stringmatchlen}), used by KEYS, the
 * SCAN family's MATCH, CONFIG GET, COMMAND LIST FILTERBY PATTERN and other pattern arguments.
 */
package io.keyline.util;
