package io.keyline.store;

import io.keyline.store.type.ListValue;
import io.keyline.util.Bytes;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Database#addToInteger}: INCRBY's read-modify-write. A blob whose number keeps its length
 * is rewritten in place (same slot, TTL, access clock and memory); any other key gets a new slot.
 * Either way what was copied out before (a snapshot, a COPY, an entry's value) keeps the old number.
 */
class AddToIntegerTest {
    private static final RuntimeException NOT_INTEGER = new IllegalStateException("not an integer");
    private static final RuntimeException OVERFLOW = new IllegalStateException("overflow");

    private final Clock.Manual clock = new Clock.Manual(1_000_000);
    private final Keyspace keyspace = new Keyspace(1, 2, clock);
    private final Database db = keyspace.db(0);

    private static byte[] k(String s) {
        return Bytes.of(s);
    }

    private Object slotOf(byte[] key) {
        return db.table(keyspace.stripeOf(key)).find(Bytes.hash(key), key);
    }

    private long add(byte[] key, long increment) {
        return db.addToInteger(key, increment, NOT_INTEGER, OVERFLOW);
    }

    private String valueOf(byte[] key) {
        return Bytes.str(db.getString(key));
    }

    @Test
    void aNumberOfTheSameLengthIsWrittenIntoTheBlobKeepingTtlClockAndMemory() {
        byte[] key = k("counter");
        db.set(key, k("41"), clock.millis() + 60_000);
        Object before = slotOf(key);
        long memory = keyspace.usedMemory();
        clock.advance(10_000);

        assertThat(add(key, 1)).isEqualTo(42);

        assertThat(slotOf(key)).as("the same blob, changed in place").isSameAs(before);
        assertThat(valueOf(key)).isEqualTo("42");
        assertThat(db.expireAt(key)).isEqualTo(1_000_000 + 60_000);
        assertThat(keyspace.idleSeconds(db.lookupNoTouch(key))).as("the lookup touched the access clock").isZero();
        assertThat(keyspace.usedMemory()).isEqualTo(memory);
        assertThat(StringEncoding.of(db.getString(key))).isEqualTo(StringEncoding.INT);
    }

    @Test
    void aNumberThatChangesLengthGetsANewSlotWithTheSameTtlClockAndAccountedMemory() {
        byte[] key = k("counter");
        db.set(key, k("9"), clock.millis() + 60_000);
        Object before = slotOf(key);
        long memory = keyspace.usedMemory();
        clock.advance(10_000);

        assertThat(add(key, 1)).isEqualTo(10);

        Object after = slotOf(key);
        assertThat(after).isNotSameAs(before);
        assertThat(valueOf(key)).isEqualTo("10");
        assertThat(db.expireAt(key)).isEqualTo(1_000_000 + 60_000);
        assertThat(keyspace.idleSeconds(db.lookupNoTouch(key))).isZero();
        assertThat(keyspace.usedMemory()).isEqualTo(memory - Memory.slot(before) + Memory.slot(after));
        assertThat(SlotLayout.blobValue((byte[]) before)).as("the old blob is left as it was").isEqualTo(k("9"));
    }

    @Test
    void anAbsentKeyIsCreatedWithTheIncrementAsASetWouldStoreIt() {
        byte[] key = k("fresh"), same = k("same");
        assertThat(add(key, -15)).isEqualTo(-15);
        db.set(same, k("-15"), Database.NO_TTL);
        assertThat(valueOf(key)).isEqualTo("-15");
        assertThat(db.expireAt(key)).isEqualTo(-1);
        assertThat(keyspace.keyCount()).isEqualTo(2);
        assertThat(Memory.slot(slotOf(key))).isEqualTo(Memory.slot(slotOf(same)));
        assertThat(keyspace.usedMemory()).isEqualTo(2 * Memory.slot(slotOf(same)));
        assertThat((byte[]) slotOf(key)).isEqualTo((byte[]) SlotLayout.make(key, Bytes.hash(key), k("-15"), -1,
                SlotLayout.access(slotOf(key))));
    }

    @Test
    void anExpiredKeyCountsAsAbsentAlsoWhileExpiryDeletionIsPaused() {
        for (boolean paused : new boolean[]{false, true}) {
            byte[] key = k("expiring" + paused);
            db.set(key, k("41"), clock.millis() + 1000);
            clock.advance(2000);
            keyspace.expiryDeletionPaused(paused); // CLIENT PAUSE: expired keys read as missing, not deleted
            assertThat(add(key, 5)).isEqualTo(5);
            keyspace.expiryDeletionPaused(false);
            assertThat(valueOf(key)).isEqualTo("5");
            assertThat(db.expireAt(key)).isEqualTo(-1);
        }
        assertThat(keyspace.keyCount()).as("one slot per key, the expired one replaced").isEqualTo(2);
        assertThat(db.size()).isEqualTo(2);
    }

    @Test
    void signsAndTheLongRangeEndsAreWrittenExactly() {
        byte[] key = k("n");
        long[] results = {0, 1, -1, -9, -10, 10, 99, -99, -100, Long.MAX_VALUE, Long.MAX_VALUE - 1, -Long.MAX_VALUE,
                Long.MIN_VALUE, Long.MIN_VALUE + 9};
        for (long v : results) {
            for (long step : new long[]{1, -1}) { // reached from both sides: in place or through a new slot
                if (v == Long.MIN_VALUE && step == 1 || v == Long.MAX_VALUE && step == -1) continue;
                db.set(key, k(Long.toString(v - step)), Database.NO_TTL);
                assertThat(add(key, step)).isEqualTo(v);
                assertThat(valueOf(key)).isEqualTo(Long.toString(v));
            }
        }
    }

    @Test
    void overflowNonIntegersAndOtherTypesThrowAndChangeNothing() {
        byte[] key = k("n");
        db.set(key, k("9223372036854775806"), Database.NO_TTL);
        assertThat(add(key, 1)).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> add(key, 1)).isSameAs(OVERFLOW);
        db.set(key, k("-9223372036854775807"), Database.NO_TTL);
        assertThatThrownBy(() -> add(key, -2)).isSameAs(OVERFLOW);
        assertThat(valueOf(key)).isEqualTo("-9223372036854775807");

        for (String text : new String[]{"4x", " 1", "01", "", "-", "+1", "99999999999999999999"}) {
            db.set(key, k(text), Database.NO_TTL);
            assertThatThrownBy(() -> add(key, 1)).as(text).isSameAs(NOT_INTEGER);
            assertThat(valueOf(key)).isEqualTo(text);
        }
        db.set(key, new ListValue(), Database.NO_TTL);
        assertThatThrownBy(() -> add(key, 1)).isInstanceOf(WrongTypeException.class);
    }

    @Test
    void boxedKeysAndMutableStringsAreReadAndGetANewSlot() {
        byte[] key = k("k".repeat(SlotLayout.MAX_INLINE_KEY + 1)); // too long for a blob
        db.set(key, k("5"), Database.NO_TTL);
        Object before = slotOf(key);
        assertThat(before).isInstanceOf(BoxedEntry.class);
        assertThat(add(key, 1)).isEqualTo(6);
        assertThat(slotOf(key)).isNotSameAs(before);
        assertThat(((BoxedEntry) slotOf(key)).key).as("the stored key array is kept").isSameAs(((BoxedEntry) before).key);
        assertThat(valueOf(key)).isEqualTo("6");

        byte[] appended = k("appended");
        db.set(appended, MutableString.of(k("12")), Database.NO_TTL); // APPEND's form
        assertThat(add(appended, 1)).isEqualTo(13);
        assertThat(db.get(appended)).isEqualTo(k("13"));
    }

    @Test
    void decimalTextMatchesLongToString() {
        long[] values = {0, 7, -7, 10, -10, 123456789, -1000000000000L, Long.MAX_VALUE, Long.MIN_VALUE,
                Long.MIN_VALUE + 1};
        for (long v : values) {
            String expected = Long.toString(v);
            assertThat(Bytes.decimalLength(v)).as("%d", v).isEqualTo(expected.length());
            assertThat(Bytes.str(Bytes.fromLong(v))).isEqualTo(expected);
            byte[] out = k("##" + "x".repeat(expected.length()) + "##");
            Bytes.putDecimal(v, out, out.length - 2);
            assertThat(Bytes.str(out)).as("written where asked, nothing else touched").isEqualTo("##" + expected + "##");
        }
    }

    @Test
    void aSnapshotTakenBeforeTheChangeStillSeesTheOldNumber() {
        byte[] key = k("counter");
        db.set(key, k("41"), Database.NO_TTL);
        Object blob = slotOf(key);
        int stripe = keyspace.stripeOf(key);
        List<String> seen = new ArrayList<>();
        Snapshot snap = keyspace.beginSnapshot((s, c) -> c.forEach((d, e) -> seen.add(Bytes.str((byte[]) e.value()))), null);
        keyspace.lock(stripe); // a client touching the pending stripe first: it copies the stripe
        try {
            assertThat(add(key, 1)).isEqualTo(42);
            assertThat(slotOf(key)).as("changed in place, after the copy").isSameAs(blob);
        } finally {
            keyspace.unlock(stripe);
        }
        snap.run();
        assertThat(seen).containsExactly("41");
    }

    @Test
    void aCopiedKeyAndAValueReadBeforeKeepTheOldNumber() {
        byte[] key = k("counter"), copy = k("copy");
        db.set(key, k("41"), Database.NO_TTL);
        Object valueReadBefore = db.lookup(key).value();
        db.set(copy, Copyable.copyOf(valueReadBefore), Database.NO_TTL); // COPY's write

        assertThat(add(key, 1)).isEqualTo(42);

        assertThat(valueOf(copy)).isEqualTo("41");
        assertThat(Bytes.str((byte[]) valueReadBefore)).isEqualTo("41");
    }
}
