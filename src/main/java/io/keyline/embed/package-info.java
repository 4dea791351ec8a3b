/**
 * Start and stop a Keyline server inside a JVM process, for users' tests and applications:
 * {@link io.keyline.embed.EmbeddedKeyline}, with a {@link io.keyline.embed.ManualClock} to test expiry
 * without sleeping; the JUnit 5 extension is in {@code io.keyline.embed.junit}. May use {@code server},
 * {@code engine}, {@code config}, {@code store} (the {@code Clock}) and {@code util}.
 */
package io.keyline.embed;
