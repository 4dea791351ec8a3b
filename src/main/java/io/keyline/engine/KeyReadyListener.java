package io.keyline.engine;

import io.keyline.session.Client;

import io.keyline.store.Database;

/** Told when a write touched a key, under that key's stripe lock (serves BLPOP-style waiters). */
public interface KeyReadyListener {
    KeyReadyListener NONE = (c, db, key) -> {
    };

    void keyModified(Client writer, Database db, byte[] key);
}
