package io.keyline.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Connected clients by id (CLIENT LIST/KILL, INFO clients). */
public final class ClientRegistry {
    private final Map<Long, Client> clients = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);

    /** A new client on {@code keyspace}, authenticated unless {@code authRequired} says a password is set. */
    public Client open(io.keyline.store.Keyspace keyspace, java.util.function.BooleanSupplier authRequired) {
        Client c = new Client(keyspace, authRequired, nextId.getAndIncrement());
        clients.put(c.id(), c);
        return c;
    }

    public void close(Client c) {
        clients.remove(c.id());
    }

    public Client get(long id) {
        return clients.get(id);
    }

    public int size() {
        return clients.size();
    }

    public List<Client> all() {
        List<Client> out = new ArrayList<>(clients.values());
        out.sort((a, b) -> Long.compare(a.id(), b.id()));
        return out;
    }

    public int blockedCount() {
        int n = 0;
        for (Client c : clients.values()) if (c.blocked()) n++;
        return n;
    }
}
