package io.keyline.embed.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated test class against an embedded Keyline server on a free loopback port:
 *
 * <pre>{@code
 * @KeylineTest(config = {"maxmemory-policy allkeys-lru"}, lifecycle = KeylineTest.Lifecycle.PER_METHOD, manualClock = true)
 * class CacheTest {
 *     @Test
 *     void expires(EmbeddedKeyline keyline, ManualClock clock) { ... }
 *
 *     @Test
 *     void byPort(@KeylinePort int port) { ... }
 * }
 * }</pre>
 *
 * Test methods, lifecycle methods and constructors can take an {@link io.keyline.embed.EmbeddedKeyline},
 * an {@code int} annotated with {@link KeylinePort}, and (with {@code manualClock = true}) the
 * {@link io.keyline.embed.ManualClock}. The programmatic form is {@link KeylineExtension}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(KeylineTestExtension.class)
public @interface KeylineTest {
    /** Parameters as redis.conf directives, {@code "name value"}, e.g. {@code "maxmemory 10mb"}. */
    String[] config() default {};

    /** One server for the whole class (the default), or a fresh one for every test method. */
    Lifecycle lifecycle() default Lifecycle.PER_CLASS;

    /** Give the server a {@link io.keyline.embed.ManualClock} (injectable) instead of the system clock. */
    boolean manualClock() default false;

    /** How long one server lives. */
    enum Lifecycle {
        /** Started before the first test of the class, stopped after the last. */
        PER_CLASS,
        /** Started before each test method and stopped after it: every test sees an empty server. */
        PER_METHOD
    }
}
