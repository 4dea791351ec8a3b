package io.keyline.command;

import java.lang.reflect.Method;

/**
 * CLIENT UNBLOCK's way to the blocking registry, which is built on another branch.
 * TODO(blocking-merge): once {@code BlockingRegistry} is on this branch, replace the reflection with
 * {@code server.blocking().unblock(id, withError)}.
 */
final class BlockingBridge {
    private BlockingBridge() {
    }

    static boolean unblock(ServerContext server, long clientId, boolean withError) {
        Object registry = registry(server);
        if (registry == null) return false;
        try {
            Method m = registry.getClass().getMethod("unblock", long.class, boolean.class);
            return (Boolean) m.invoke(registry, clientId, withError);
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    private static Object registry(ServerContext server) {
        try {
            Method accessor = ServerContext.class.getMethod("blocking");
            Object r = accessor.invoke(server);
            if (r != null) return r;
        } catch (ReflectiveOperationException ignored) {
            // not merged yet: try the service registry
        }
        try {
            Class<?> type = Class.forName("io.keyline.command.BlockingRegistry");
            return server.service(type);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }
}
