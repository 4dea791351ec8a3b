package io.keyline.embed.junit;

import io.keyline.embed.EmbeddedKeyline;
import io.keyline.embed.ManualClock;
import io.keyline.store.Clock;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A JUnit 5 extension that runs an embedded Keyline server on a free loopback port for a test class
 * (the default) or for each test:
 *
 * <pre>{@code
 * static final ManualClock clock = new ManualClock();
 *
 * @RegisterExtension
 * static KeylineExtension keyline = KeylineExtension.builder()
 *         .config("maxmemory-policy", "allkeys-lru")
 *         .perTest()
 *         .clock(clock)
 *         .build();
 *
 * @Test
 * void sessionExpires() {
 *     try (Jedis jedis = new Jedis(keyline.host(), keyline.port())) { ... }
 * }
 * }</pre>
 *
 * A per-class server needs a {@code static} field; an instance field gets a server per test. Test
 * methods and constructors can also take the {@link EmbeddedKeyline}, a {@link KeylinePort} {@code int}
 * or the {@link ManualClock} as parameters. The annotation form is {@link KeylineTest}.
 */
public final class KeylineExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private final List<String[]> settings;
    private final boolean perClass;
    private final Clock clock;

    private volatile EmbeddedKeyline server;
    /** The class context whose afterAll stops a per-class server (not a @Nested class's context). */
    private volatile String owningClassContext;

    private KeylineExtension(Builder b) {
        this.settings = List.copyOf(b.settings);
        this.perClass = b.perClass;
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The running server; throws outside a test (before it starts or after it stops). */
    public EmbeddedKeyline server() {
        EmbeddedKeyline s = server;
        if (s == null) throw new IllegalStateException("Keyline is not running (outside a test, or the extension is not registered)");
        return s;
    }

    public String host() {
        return server().host();
    }

    public int port() {
        return server().port();
    }

    /** The server's clock: the one given to the builder, else {@link Clock#SYSTEM}. */
    public Clock clock() {
        return clock;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (perClass && owningClassContext == null) {
            owningClassContext = context.getUniqueId();
            ensureStarted();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (context.getUniqueId().equals(owningClassContext)) {
            owningClassContext = null;
            stop();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        ensureStarted();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        // Per test, or per class registered where no class callback runs (an instance field).
        if (!perClass || owningClassContext == null) stop();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (parameter.isAnnotated(KeylinePort.class)) return type == int.class || type == Integer.class;
        return type == EmbeddedKeyline.class || (type == ManualClock.class && clock instanceof ManualClock);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        // A constructor is called before beforeEach: start the server now, beforeEach finds it running.
        EmbeddedKeyline running = ensureStarted();
        if (parameter.isAnnotated(KeylinePort.class)) return running.port();
        if (type == EmbeddedKeyline.class) return running;
        if (type == ManualClock.class) return clock;
        throw new ParameterResolutionException("KeylineExtension cannot supply a " + type.getName());
    }

    private synchronized EmbeddedKeyline ensureStarted() {
        if (server == null) {
            EmbeddedKeyline.Builder b = EmbeddedKeyline.builder().clock(clock);
            for (String[] s : settings) b.config(s[0], s[1]);
            server = b.start();
        }
        return server;
    }

    private synchronized void stop() {
        EmbeddedKeyline s = server;
        server = null;
        if (s != null) s.stop();
    }

    public static final class Builder {
        private final List<String[]> settings = new ArrayList<>();
        private boolean perClass = true;
        private Clock clock = Clock.SYSTEM;

        private Builder() {
        }

        /** Any parameter by its Redis name, e.g. {@code config("maxmemory-policy", "allkeys-lru")}. */
        public Builder config(String name, String value) {
            settings.add(new String[]{Objects.requireNonNull(name), Objects.requireNonNull(value)});
            return this;
        }

        /** One server for the whole test class (the default; the field must be static). */
        public Builder perClass() {
            perClass = true;
            return this;
        }

        /** A fresh, empty server for every test method. */
        public Builder perTest() {
            perClass = false;
            return this;
        }

        /** The server's time source for expiry, typically a {@link ManualClock}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public KeylineExtension build() {
            return new KeylineExtension(this);
        }
    }
}
