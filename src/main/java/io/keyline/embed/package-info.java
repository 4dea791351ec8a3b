/**
 * Start and stop a Keyline server inside a JVM process, for users' tests and applications:
 * {@link io.keyline.embed.EmbeddedKeyline}. Depends on {@code server} and {@code config}.
 */
package io.keyline.embed;
