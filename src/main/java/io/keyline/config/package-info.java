/**
 * The parameter registry: every Redis 7 configuration parameter name with its type, default,
 * validation and whether {@code CONFIG SET} may change it, plus redis.conf-style file parsing.
 * Feeds the command line, {@code CONFIG GET/SET/RESETSTAT} and {@code INFO}.
 *
 * <p>Parameters that mean nothing in Keyline are still registered (marked not effective) so users'
 * scripts that set them keep working. Uses only the leaf helpers {@code util.Glob} (CONFIG GET patterns) and
 * {@code protocol.RespParser} (argument splitting).
 */
package io.keyline.config;
