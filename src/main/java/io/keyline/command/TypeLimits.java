package io.keyline.command;

import io.keyline.config.Config;

/**
 * The encoding thresholds of the collection types, cached from the config (and kept current through
 * {@link Config#onChange}) so writes read a field instead of parsing a parameter.
 * One instance per server, published as a {@link ServerContext#service} service.
 */
final class TypeLimits {
    volatile int listMaxListpackSize;
    volatile long hashMaxListpackEntries;
    volatile long hashMaxListpackValue;

    private TypeLimits(Config config) {
        config.onChange("list-max-listpack-size", v -> listMaxListpackSize = (int) Long.parseLong(v));
        config.onChange("hash-max-listpack-entries", v -> hashMaxListpackEntries = Long.parseLong(v));
        config.onChange("hash-max-listpack-value", v -> hashMaxListpackValue = Long.parseLong(v));
    }

    static TypeLimits of(ServerContext server) {
        TypeLimits l = server.service(TypeLimits.class);
        if (l != null) return l;
        synchronized (server) {
            l = server.service(TypeLimits.class);
            if (l == null) {
                l = new TypeLimits(server.config());
                server.service(TypeLimits.class, l);
            }
            return l;
        }
    }
}
