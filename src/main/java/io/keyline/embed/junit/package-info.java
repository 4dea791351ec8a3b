/**
 * JUnit 5 support: {@link io.keyline.embed.junit.KeylineExtension} ({@code @RegisterExtension}) and
 * {@link io.keyline.embed.junit.KeylineTest} (annotation) run an embedded server per class or per test.
 * junit-jupiter-api is an optional dependency: only code that uses this package needs it.
 */
package io.keyline.embed.junit;
