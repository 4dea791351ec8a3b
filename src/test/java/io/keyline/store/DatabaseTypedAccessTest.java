package io.keyline.store;

import io.keyline.util.Bytes;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bookkeeping the store owns for the command families: typed lookups (WRONGTYPE in one place),
 * create-if-absent, memory accounting of in-place changes, delete-when-empty.
 */
class DatabaseTypedAccessTest {
    private final Keyspace keyspace = new Keyspace(2, 2, new Clock.Manual(1_000_000));
    private final Database db = keyspace.db(0);

    /** A collection whose size estimate is exact and easy to predict: 24 bytes plus 8 per element. */
    static final class Bag implements CollectionValue {
        final List<String> items = new ArrayList<>();

        Bag with(String... xs) {
            items.addAll(List.of(xs));
            return this;
        }

        @Override
        public boolean isEmpty() {
            return items.isEmpty();
        }

        @Override
        public long estimatedBytes() {
            return 24 + 8L * items.size();
        }
    }

    /** Another collection type, to be the wrong one. */
    static final class OtherBag implements CollectionValue {
        @Override
        public boolean isEmpty() {
            return false;
        }

        @Override
        public long estimatedBytes() {
            return 24;
        }
    }

    private static byte[] k(String s) {
        return Bytes.of(s);
    }

    private long hits() {
        return keyspace.stats().keyspaceHits.sum();
    }

    private long misses() {
        return keyspace.stats().keyspaceMisses.sum();
    }

    @Test
    void getReturnsTheValueOfTheAskedTypeOrNullAndCountsAsARead() {
        Bag bag = new Bag().with("a");
        db.set(k("b"), bag, Database.NO_TTL);
        assertThat(db.get(k("b"), Bag.class)).isSameAs(bag);
        assertThat(db.get(k("absent"), Bag.class)).isNull();
        assertThat(hits()).isEqualTo(1);
        assertThat(misses()).isEqualTo(1);
        db.set(k("s"), k("text"), Database.NO_TTL);
        assertThat(db.get(k("s"), byte[].class)).isEqualTo(k("text"));
    }

    @Test
    void everyTypedLookupRaisesWrongTypeForAnotherType() {
        db.set(k("s"), k("text"), Database.NO_TTL);
        db.set(k("o"), new OtherBag(), Database.NO_TTL);
        assertThatThrownBy(() -> db.get(k("s"), Bag.class)).isInstanceOf(WrongTypeException.class);
        assertThatThrownBy(() -> db.get(k("o"), byte[].class)).isInstanceOf(WrongTypeException.class);
        assertThatThrownBy(() -> db.getForWrite(k("o"), Bag.class)).isInstanceOf(WrongTypeException.class);
        assertThatThrownBy(() -> db.entryForWrite(k("o"), byte[].class)).isInstanceOf(WrongTypeException.class);
        assertThatThrownBy(() -> db.getOrCreate(k("o"), Bag.class, Bag::new)).isInstanceOf(WrongTypeException.class);
        assertThatThrownBy(() -> db.getAnyOf(k("s"), Bag.class, OtherBag.class)).isInstanceOf(WrongTypeException.class);
        assertThatThrownBy(() -> Database.typed(k("x"), Bag.class)).isInstanceOf(WrongTypeException.class);
        // nothing was created or changed on the way
        assertThat(db.size()).isEqualTo(2);
        assertThat(db.get(k("o"), OtherBag.class)).isNotNull();
    }

    @Test
    void getAnyOfAcceptsEachListedTypeAndNullForAbsent() {
        db.set(k("b"), new Bag(), Database.NO_TTL);
        db.set(k("o"), new OtherBag(), Database.NO_TTL);
        assertThat(db.getAnyOf(k("b"), Bag.class, OtherBag.class)).isInstanceOf(Bag.class);
        assertThat(db.getAnyOf(k("o"), Bag.class, OtherBag.class)).isInstanceOf(OtherBag.class);
        assertThat(db.getAnyOf(k("none"), Bag.class, OtherBag.class)).isNull();
        assertThat(Database.typed(null, Bag.class)).isNull();
    }

    @Test
    void writeLookupsAreNotKeyspaceHitsOrMisses() {
        db.set(k("b"), new Bag().with("a"), Database.NO_TTL);
        db.getForWrite(k("b"), Bag.class);
        db.getForWrite(k("none"), Bag.class);
        db.getOrCreate(k("b"), Bag.class, Bag::new);
        db.entryForWrite(k("b"), Bag.class);
        assertThat(hits()).isZero();
        assertThat(misses()).isZero();
    }

    @Test
    void getOrCreateStoresOneValueOnceWithoutTtl() {
        AtomicInteger made = new AtomicInteger();
        Bag first = db.getOrCreate(k("b"), Bag.class, () -> {
            made.incrementAndGet();
            return new Bag();
        });
        Bag second = db.getOrCreate(k("b"), Bag.class, () -> {
            made.incrementAndGet();
            return new Bag();
        });
        assertThat(second).isSameAs(first);
        assertThat(made).hasValue(1);
        assertThat(keyspace.keyCount()).isEqualTo(1);
        assertThat(db.expireAt(k("b"))).isEqualTo(Database.NO_TTL);
    }

    @Test
    void creationCountsAgainstTheKeyCapacityAsSetDoes() {
        keyspace.capacity(1);
        keyspace.policy(EvictionPolicy.NOEVICTION);
        db.getOrCreate(k("one"), Bag.class, Bag::new);
        assertThatThrownBy(() -> db.getOrCreate(k("two"), Bag.class, Bag::new)).isInstanceOf(CapacityExceededException.class);
        assertThatThrownBy(() -> db.add(k("two"), new Bag())).isInstanceOf(CapacityExceededException.class);
        assertThat(db.exists(k("two"))).isFalse();
        assertThat(keyspace.keyCount()).isEqualTo(1);
    }

    @Test
    void anUpdateReportsTheSizeDeltaSoAccountingMatchesStoringTheFinalValue() {
        Bag bag = db.getOrCreate(k("b"), Bag.class, Bag::new);
        long before = db.beginUpdate(bag);
        bag.with("a", "b", "c");
        assertThat(db.endUpdate(k("b"), bag, before)).isFalse();
        long grown = keyspace.usedMemory();
        assertThat(grown).isEqualTo(Memory.entry(k("b"), new Bag().with("a", "b", "c")));

        before = db.beginUpdate(bag);
        bag.items.remove("a");
        db.endUpdate(k("b"), bag, before);
        assertThat(keyspace.usedMemory()).isEqualTo(grown - 8);
        assertThat(db.get(k("b"), Bag.class)).isSameAs(bag);
    }

    @Test
    void anUpdateThatEmptiesTheCollectionDeletesTheKeyAndItsMemory() {
        Bag bag = db.add(k("b"), new Bag().with("a", "b"));
        db.setExpire(k("b"), 2_000_000);
        long before = db.beginUpdate(bag);
        bag.items.clear();
        assertThat(db.endUpdate(k("b"), bag, before)).isTrue();
        assertThat(db.exists(k("b"))).isFalse();
        assertThat(keyspace.keyCount()).isZero();
        assertThat(keyspace.usedMemory()).isZero();
    }

    @Test
    void aCreatedCollectionLeftEmptyIsRemovedByItsUpdate() {
        // e.g. a command that fails after creating its key: its update scope still closes and the key goes.
        Bag bag = db.getOrCreate(k("b"), Bag.class, Bag::new);
        long before = db.beginUpdate(bag);
        assertThat(db.endUpdate(k("b"), bag, before)).isTrue();
        assertThat(db.exists(k("b"))).isFalse();
        assertThat(keyspace.usedMemory()).isZero();
    }
}
