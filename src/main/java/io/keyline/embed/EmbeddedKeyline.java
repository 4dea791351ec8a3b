package io.keyline.embed;

import io.keyline.config.Config;
import io.keyline.server.KeylineServer;
import io.keyline.server.Logging;
import io.keyline.store.Clock;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Keyline server inside this JVM. By default it listens on a free loopback port with persistence
 * off, which is what a test wants:
 *
 * <pre>{@code
 * try (EmbeddedKeyline keyline = EmbeddedKeyline.builder().start()) {
 *     Jedis jedis = new Jedis("127.0.0.1", keyline.port());
 *     jedis.set("k", "v");
 * }
 * }</pre>
 *
 * Any Redis parameter can be set with {@link Builder#config(String, String)}, and expiry can be tested
 * without sleeping by passing a {@link ManualClock} to {@link Builder#clock(Clock)}.
 *
 * <p>Logging goes through SLF4J under the {@code io.keyline} loggers. The application's logging
 * configuration is left as it is: Keyline sets the level of {@code io.keyline} (and nothing else) only
 * when {@code loglevel} is configured explicitly or changed with {@code CONFIG SET}, and only when
 * Logback is the SLF4J backend.
 */
public final class EmbeddedKeyline implements AutoCloseable {
    private final KeylineServer server;
    private final Clock clock;

    private EmbeddedKeyline(KeylineServer server, Clock clock) {
        this.server = server;
        this.clock = clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts a server with the defaults (free port, no persistence, capacity unlimited). */
    public static EmbeddedKeyline start() {
        return builder().start();
    }

    public int port() {
        return server.port();
    }

    public String host() {
        return "127.0.0.1";
    }

    /** The clock the server reads for expiry: {@link Clock#SYSTEM} unless the builder was given one. */
    public Clock clock() {
        return clock;
    }

    /** The underlying server, for advanced use (its keyspace and config). */
    public KeylineServer server() {
        return server;
    }

    public void stop() {
        server.stop();
    }

    @Override
    public void close() {
        stop();
    }

    public static final class Builder {
        private final Map<String, String> settings = new LinkedHashMap<>();
        private Clock clock = Clock.SYSTEM;

        private Builder() {
            settings.put("port", "0");
            settings.put("appendonly", "no");
            settings.put("capacity", "0");
        }

        /** Port to listen on; 0 (the default) picks a free one. */
        public Builder port(int port) {
            return config("port", Integer.toString(port));
        }

        /** Maximum number of keys; 0 = unlimited (the default here). */
        public Builder capacity(long keys) {
            return config("capacity", Long.toString(keys));
        }

        /** Any parameter by its Redis name, e.g. {@code config("maxmemory-policy", "allkeys-lru")}. */
        public Builder config(String name, String value) {
            settings.put(name, value);
            return this;
        }

        /**
         * A {@code "name value"} directive as in redis.conf, e.g. {@code config("maxmemory-policy allkeys-lru")};
         * the value is everything after the first space.
         */
        public Builder config(String directive) {
            String d = directive.strip();
            int space = d.indexOf(' ');
            if (space < 0) throw new IllegalArgumentException("expected \"name value\", got \"" + directive + "\"");
            return config(d.substring(0, space), d.substring(space + 1).strip());
        }

        /** The time source for expiry, e.g. a {@link ManualClock}; the system clock by default. */
        public Builder clock(Clock clock) {
            this.clock = java.util.Objects.requireNonNull(clock, "clock");
            return this;
        }

        public EmbeddedKeyline start() {
            Config config = Config.defaults();
            for (Map.Entry<String, String> e : settings.entrySet()) config.set(e.getKey(), e.getValue(), true);
            // Only an explicit loglevel touches logging (the io.keyline loggers): the default leaves the
            // embedding application's configuration as it is.
            if (settings.containsKey("loglevel")) Logging.applyLevel(config.get("loglevel"));
            KeylineServer server = new KeylineServer(config, clock);
            try {
                server.start();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("Keyline failed to start: " + e.getMessage(), e);
            }
            return new EmbeddedKeyline(server, clock);
        }
    }
}
