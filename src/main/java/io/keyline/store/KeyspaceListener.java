package io.keyline.store;

/** Told about keys that disappear without a command naming them, so they can be logged as DEL. */
public interface KeyspaceListener {
    KeyspaceListener NONE = new KeyspaceListener() {
    };

    /** A key was found past its deadline and removed (lazily or by the active cycle). */
    default void expired(Database db, byte[] key) {
    }

    /** A key was removed by the eviction policy. */
    default void evicted(Database db, byte[] key) {
    }

    /** A key was created (Redis's dbAdd "new" notification); not called while bulk loading. */
    default void created(Database db, byte[] key) {
    }

    /** A read lookup found no key (Redis's "keymiss" notification in lookupKeyRead). */
    default void missed(Database db, byte[] key) {
    }
}
