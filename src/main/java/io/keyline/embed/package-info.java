/**
 * Start and stop a Keyline server inside a JVM process, for users' tests and applications:
 * {@link io.keyline.embed.EmbeddedKeyline}, with a {@link io.keyline.embed.ManualClock} to test expiry
 * without sleeping; the JUnit 5 extension is in {@code io.keyline.embed.junit}. Depends on
 * {@code server}, {@code config} and {@code store} (the {@code Clock}).
 */
package io.keyline.embed;
