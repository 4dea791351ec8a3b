package io.keyline.command;

import io.keyline.protocol.ReplyWriter;
import io.keyline.store.Database;

/** What a {@link BlockedRequest} may use while it serves its client. */
public final class ServeContext {
    private final ServerContext server;
    private final Client client;
    private final Database db;
    private final ReplyWriter reply;
    long durableSeq;
    boolean changed;

    ServeContext(ServerContext server, Client client, Database db, ReplyWriter reply) {
        this.server = server;
        this.client = client;
        this.db = db;
        this.reply = reply;
    }

    public Database db() {
        return db;
    }

    public ReplyWriter reply() {
        return reply;
    }

    /** The blocked client being served. */
    public Client client() {
        return client;
    }

    /** A key changed: WATCH invalidation and wake-ups of other waiters (e.g. BLMOVE's destination). */
    public void modified(byte[] key) {
        changed = true;
        server.watches().touch(db.id(), key);
        server.keyReadyListener().keyModified(client, db, key);
    }

    /** Logs the non-blocking equivalent of what was served (called under the serving locks). */
    public void propagate(byte[]... argv) {
        long seq = server.propagator().append(db.id(), argv);
        if (seq > durableSeq) durableSeq = seq;
        server.stats().dirtySinceSave.incrementAndGet();
    }
}
