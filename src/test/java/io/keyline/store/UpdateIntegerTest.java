package io.keyline.store;

import io.keyline.util.Bytes;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Database#updateInteger}: INCR's write. A blob whose number keeps its length is rewritten
 * in place (same slot, TTL, access clock and memory); any other goes through a new slot. Either
 * way what was copied out before (a snapshot, a COPY, an entry's value) keeps the old number.
 */
class UpdateIntegerTest {
    private final Clock.Manual clock = new Clock.Manual(1_000_000);
    private final Keyspace keyspace = new Keyspace(1, 2, clock);
    private final Database db = keyspace.db(0);

    private static byte[] k(String s) {
        return Bytes.of(s);
    }

    private Object slotOf(byte[] key) {
        return db.table(keyspace.stripeOf(key)).find(Bytes.hash(key), key);
    }

    /** INCR's sequence: the write lookup, then the new value; returns the value stored after. */
    private String incrTo(byte[] key, long value) {
        Entry e = db.entryForWrite(key, byte[].class);
        db.updateInteger(key, e, value);
        return Bytes.str(db.getString(key));
    }

    @Test
    void aNumberOfTheSameLengthIsWrittenIntoTheBlobKeepingTtlClockAndMemory() {
        byte[] key = k("counter");
        db.set(key, k("41"), clock.millis() + 60_000);
        Object before = slotOf(key);
        long memory = keyspace.usedMemory();
        clock.advance(10_000);
        Entry e = db.entryForWrite(key, byte[].class); // touches the access clock, as INCR's lookup does
        int touched = e.access();
        assertThat(keyspace.idleSeconds(e)).isZero();

        db.updateInteger(key, e, 42);

        assertThat(slotOf(key)).as("the same blob, changed in place").isSameAs(before);
        assertThat(Bytes.str(db.getString(key))).isEqualTo("42");
        assertThat(db.expireAt(key)).isEqualTo(1_000_000 + 60_000);
        assertThat(db.lookupNoTouch(key).access()).isEqualTo(touched);
        assertThat(keyspace.usedMemory()).isEqualTo(memory);
        assertThat(StringEncoding.of(Strings.bytes(db.get(key)))).isEqualTo(StringEncoding.INT);
    }

    @Test
    void aNumberThatChangesLengthGetsANewSlotWithTheSameTtlAndAccountedMemory() {
        byte[] key = k("counter");
        db.set(key, k("9"), clock.millis() + 60_000);
        Object before = slotOf(key);
        long memory = keyspace.usedMemory();

        assertThat(incrTo(key, 10)).isEqualTo("10");

        Object after = slotOf(key);
        assertThat(after).isNotSameAs(before);
        assertThat(db.expireAt(key)).isEqualTo(1_000_000 + 60_000);
        assertThat(keyspace.usedMemory()).isEqualTo(memory - Memory.slot(before) + Memory.slot(after));
        assertThat(SlotLayout.blobValue((byte[]) before)).as("the old blob is left as it was").isEqualTo(k("9"));
    }

    @Test
    void signsAndTheLongRangeEndsAreWrittenExactly() {
        byte[] key = k("n");
        db.set(key, k("0"), Database.NO_TTL);
        long[] sequence = {1, -1, -9, -10, 99, -99, Long.MAX_VALUE, Long.MAX_VALUE - 1, -Long.MAX_VALUE,
                Long.MIN_VALUE, 0, Long.MIN_VALUE + 9};
        for (long v : sequence) {
            assertThat(incrTo(key, v)).isEqualTo(Long.toString(v));
            assertThat(db.lookupNoTouch(key).parseLong(new IllegalStateException())).isEqualTo(v);
        }
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
    void aBoxedKeyIsUpdatedThroughANewSlot() {
        byte[] key = k("k".repeat(SlotLayout.MAX_INLINE_KEY + 1)); // too long for a blob
        db.set(key, k("5"), Database.NO_TTL);
        Object before = slotOf(key);
        assertThat(before).isInstanceOf(BoxedEntry.class);
        assertThat(incrTo(key, 6)).isEqualTo("6");
        assertThat(slotOf(key)).isNotSameAs(before);
    }

    @Test
    void aSnapshotTakenBeforeTheChangeStillSeesTheOldNumber() {
        byte[] key = k("counter");
        db.set(key, k("41"), Database.NO_TTL);
        int stripe = keyspace.stripeOf(key);
        List<String> seen = new ArrayList<>();
        Snapshot snap = keyspace.beginSnapshot((s, c) -> c.forEach((d, e) -> seen.add(Bytes.str((byte[]) e.value()))), null);
        keyspace.lock(stripe); // a client touching the pending stripe first: it copies the stripe
        try {
            assertThat(incrTo(key, 42)).isEqualTo("42");
            assertThat(slotOf(key)).as("changed in place, after the copy").isInstanceOf(byte[].class);
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
        Entry e = db.lookup(key);
        Object valueReadBefore = e.value();
        db.set(copy, Copyable.copyOf(valueReadBefore), Database.NO_TTL); // COPY's write

        assertThat(incrTo(key, 42)).isEqualTo("42");

        assertThat(Bytes.str(db.getString(copy))).isEqualTo("41");
        assertThat(Bytes.str((byte[]) valueReadBefore)).isEqualTo("41");
    }
}
