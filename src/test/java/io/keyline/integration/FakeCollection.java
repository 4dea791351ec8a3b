package io.keyline.integration;

import io.keyline.embed.EmbeddedKeyline;
import io.keyline.store.Copyable;
import io.keyline.store.Database;
import io.keyline.store.Keyspace;
import io.keyline.store.TypedValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal non-string value for tests of generic commands (TYPE, OBJECT ENCODING, COPY, WRONGTYPE)
 * that must not depend on the list/hash/set families, written straight into the keyspace.
 */
final class FakeCollection implements TypedValue, Copyable {
    final List<String> items = new ArrayList<>();

    FakeCollection(String... items) {
        this.items.addAll(List.of(items));
    }

    @Override
    public String typeName() {
        return "list";
    }

    @Override
    public String encoding() {
        return "listpack";
    }

    @Override
    public Object copy() {
        FakeCollection c = new FakeCollection();
        c.items.addAll(items);
        return c;
    }

    /** Stores a FakeCollection under {@code key} in database {@code db}, as a command would (under the stripe lock). */
    static FakeCollection store(EmbeddedKeyline keyline, int db, String key, String... items) {
        Keyspace ks = keyline.server().keyspace();
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        FakeCollection value = new FakeCollection(items);
        int stripe = ks.stripeOf(k);
        ks.lock(stripe);
        try {
            ks.db(db).set(k, value, Database.NO_TTL);
        } finally {
            ks.unlock(stripe);
        }
        return value;
    }

    static Object load(EmbeddedKeyline keyline, int db, String key) {
        Keyspace ks = keyline.server().keyspace();
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int stripe = ks.stripeOf(k);
        ks.lock(stripe);
        try {
            return ks.db(db).get(k);
        } finally {
            ks.unlock(stripe);
        }
    }
}
