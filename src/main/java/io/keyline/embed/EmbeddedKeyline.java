package io.keyline.embed;

import io.keyline.config.Config;
import io.keyline.server.KeylineServer;

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
 * Any Redis parameter can be set with {@link Builder#config(String, String)}.
 */
public final class EmbeddedKeyline implements AutoCloseable {
    private final KeylineServer server;

    private EmbeddedKeyline(KeylineServer server) {
        this.server = server;
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

        public EmbeddedKeyline start() {
            Config config = Config.defaults();
            for (Map.Entry<String, String> e : settings.entrySet()) config.set(e.getKey(), e.getValue(), true);
            KeylineServer server = new KeylineServer(config);
            try {
                server.start();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("Keyline failed to start: " + e.getMessage(), e);
            }
            return new EmbeddedKeyline(server);
        }
    }
}
