package io.keyline.store;

import io.keyline.util.Bytes;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Database over its striped tables: SCAN across stripes, expiry, MOVE/RENAME accounting. */
class DatabaseTest {
    private final Clock.Manual clock = new Clock.Manual(1_000_000);
    private final Keyspace keyspace = new Keyspace(4, 6, clock);
    private final Database db = keyspace.db(0);

    private static byte[] k(String s) {
        return Bytes.of(s);
    }

    private Set<String> fullScan(Database d, long count, Runnable betweenSteps) {
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        do {
            cursor = d.scan(cursor, count, e -> seen.add(Bytes.str(e.key())));
            betweenSteps.run();
        } while (cursor != 0);
        return seen;
    }

    /** Inserts into stripe 0 until its table starts a resize; returns the keys inserted. */
    private List<byte[]> fillUntilStripe0Resizes(Keyspace ks) {
        List<byte[]> keys = new ArrayList<>();
        KeyTable t = ks.db(0).table(0);
        for (int i = 0; !t.rehashing(); i++) {
            byte[] key = k("k" + i);
            if (ks.stripeOf(key) != 0) continue;
            ks.db(0).set(key, key, Database.NO_TTL);
            keys.add(key);
        }
        return keys;
    }

    private static byte[] filled(int length, char c) {
        byte[] b = new byte[length];
        java.util.Arrays.fill(b, (byte) c);
        return b;
    }

    @Test
    void setReusingCopiesALongValueOfTheSameLengthIntoTheStoredArrayAndKeepsTheEntry() {
        byte[] key = k("big");
        byte[] first = filled(1024, 'a');
        assertThat(db.setReusing(key, first, new byte[0][])).as("absent before: the argument itself is stored").isFalse();
        Entry entry = db.peek(key);
        long memory = keyspace.usedMemory();
        byte[] second = filled(1024, 'b');
        assertThat(db.setReusing(key, second, new byte[0][])).as("copied: the caller may recycle it").isTrue();
        assertThat(db.getString(key)).isSameAs(first).isEqualTo(second);
        assertThat(db.peek(key).slot()).as("the same entry").isSameAs(entry.slot());
        assertThat(keyspace.usedMemory()).isEqualTo(memory);
        assertThat(db.size()).isEqualTo(1);
    }

    @Test
    void setReusingStoresTheNewArrayWhenTheStoredOneCannotBeOverwritten() {
        byte[] key = k("big");
        db.set(key, filled(1024, 'a'), Database.NO_TTL);
        byte[] longer = filled(1025, 'b');
        assertThat(db.setReusing(key, longer, new byte[0][])).isFalse();
        assertThat(db.getString(key)).as("another length").isSameAs(longer);

        byte[] inFlight = db.getString(key);
        byte[] same = filled(1025, 'c');
        assertThat(db.setReusing(key, same, new byte[][]{key, inFlight, same})).isFalse();
        assertThat(db.getString(key)).as("the stored array is one the command still logs").isSameAs(same);
        assertThat(inFlight).containsOnly((byte) 'b');

        db.set(key, filled(1025, 'd'), clock.millis() + 10_000);
        byte[] afterTtl = filled(1025, 'e');
        assertThat(db.setReusing(key, afterTtl, new byte[0][])).isFalse();
        assertThat(db.getString(key)).as("a key with a TTL: SET clears it with a new entry").isSameAs(afterTtl);
        assertThat(db.expireAt(key)).isEqualTo(Database.NO_TTL);

        byte[] small = k("s");
        db.set(small, filled(64, 'x'), Database.NO_TTL);
        byte[] inline = filled(64, 'y');
        assertThat(db.setReusing(small, inline, new byte[0][])).isFalse();
        assertThat(db.getString(small)).as("short values live inline").isEqualTo(inline);
    }

    @Test
    void theIteratorHandsOutACopyOfABlobWhoseNumberAnIncrRewritesInPlace() {
        byte[] key = k("n");
        db.set(key, k("10"), Database.NO_TTL);
        Entry seen = db.iterator().next();
        db.addToInteger(key, 1, new IllegalStateException(), new IllegalStateException());
        assertThat(Bytes.str((byte[]) seen.value())).isEqualTo("10");
        assertThat(Bytes.str(db.getString(key))).isEqualTo("11");
    }

    @Test
    void theIteratorHandsOutACopyOfAValueThatASetCouldOverwriteInPlace() {
        byte[] key = k("big");
        db.set(key, filled(200, 'a'), Database.NO_TTL);
        Entry seen = db.iterator().next();
        db.setReusing(key, filled(200, 'b'), new byte[0][]);
        assertThat((byte[]) seen.value()).containsOnly((byte) 'a');
        assertThat(db.getString(key)).containsOnly((byte) 'b');
    }

    @Test
    void theCronFinishesAResizeLeftHalfDoneUnlessTurnedOffOrAFileIsLoading() {
        List<byte[]> keys = fillUntilStripe0Resizes(keyspace);
        KeyTable t = db.table(0);
        keyspace.activeRehashing(false);
        keyspace.cronTick();
        assertThat(t.rehashing()).isTrue();
        keyspace.activeRehashing(true);
        keyspace.bulkLoading(true);
        keyspace.cronTick();
        assertThat(t.rehashing()).as("not while a loader writes without the locks").isTrue();
        keyspace.bulkLoading(false);
        keyspace.cronTick();
        assertThat(t.rehashing()).isFalse();
        assertThat(t.capacity()).isGreaterThan(keys.size());
        for (byte[] key : keys) assertThat((byte[]) db.lookupNoTouch(key).value()).isEqualTo(key);
    }

    @Test
    void scanReturnsEveryKeyPresentForTheWholeScanWhileKeysComeAndGo() {
        Random rnd = new Random(7);
        for (long count : new long[]{1, 10, 100}) {
            keyspace.flushAllLocked();
            Set<String> stable = new HashSet<>();
            for (int i = 0; i < 1000; i++) {
                db.set(k("stable:" + i), k("v"), Database.NO_TTL);
                stable.add("stable:" + i);
            }
            List<String> added = new ArrayList<>();
            int[] step = {0};
            Set<String> seen = fullScan(db, count, () -> {
                // Grow hard for a while (tables double, rehash), then delete most of it (tables shrink).
                if ((step[0]++ / 30) % 2 == 0) {
                    for (int i = 0; i < 50; i++) {
                        String key = "churn:" + rnd.nextInt(10_000_000);
                        db.set(k(key), k("x"), Database.NO_TTL);
                        added.add(key);
                    }
                } else {
                    for (int i = 0; i < 80 && !added.isEmpty(); i++) db.delete(k(added.remove(added.size() - 1)));
                }
            });
            assertThat(seen).as("count " + count).containsAll(stable);
        }
    }

    @Test
    void scanOfAnEmptyDatabaseEndsAtOnce() {
        assertThat(db.scan(0, 10, e -> { })).isZero();
    }

    @Test
    void scanCursorsAreResumableAndEndAtZero() {
        for (int i = 0; i < 500; i++) db.set(k("k" + i), k("v"), Database.NO_TTL);
        Set<String> seen = fullScan(db, 7, () -> { });
        assertThat(seen).hasSize(500);
    }

    @Test
    void expiredKeysAreInvisibleAndReclaimedLazily() {
        db.set(k("a"), k("1"), clock.millis() + 100);
        db.set(k("b"), k("2"), Database.NO_TTL);
        assertThat(db.size()).isEqualTo(2);
        assertThat(db.volatileSize()).isEqualTo(1);
        clock.advance(100);
        // As Redis's keyIsExpired (now > when): alive at its deadline, gone a millisecond later.
        assertThat(db.get(k("a"))).isNotNull();
        clock.advance(1);
        assertThat(fullScan(db, 10, () -> { })).containsExactly("b");
        assertThat(db.size()).isEqualTo(2); // not yet reclaimed: SCAN only skips it
        assertThat(db.get(k("a"))).isNull();
        assertThat(db.size()).isEqualTo(1);
        assertThat(db.volatileSize()).isZero();
        assertThat(keyspace.keyCount()).isEqualTo(1);
    }

    @Test
    void activeExpiryReclaimsWithoutAccess() {
        for (int i = 0; i < 500; i++) db.set(k("t" + i), k("v"), clock.millis() + 10);
        for (int i = 0; i < 50; i++) db.set(k("keep" + i), k("v"), Database.NO_TTL);
        clock.advance(10);
        assertThat(keyspace.activeExpireCycle(100)).as("nothing expires at its deadline").isZero();
        clock.advance(1);
        long removed = 0;
        for (int i = 0; i < 50 && db.size() > 50; i++) removed += keyspace.activeExpireCycle(100);
        assertThat(removed).isEqualTo(500);
        assertThat(db.size()).isEqualTo(50);
        assertThat(keyspace.keyCount()).isEqualTo(50);
    }

    @Test
    void setExpireAndPersistMoveEntriesInAndOutOfTheVolatileIndex() {
        db.set(k("a"), k("1"), Database.NO_TTL);
        assertThat(db.setExpire(k("a"), clock.millis() + 1000)).isTrue();
        assertThat(db.volatileSize()).isEqualTo(1);
        assertThat(db.expireAt(k("a"))).isEqualTo(clock.millis() + 1000);
        db.set(k("a"), k("2"), Database.KEEP_TTL);
        assertThat(db.expireAt(k("a"))).isEqualTo(clock.millis() + 1000);
        assertThat(db.persist(k("a"))).isTrue();
        assertThat(db.persist(k("a"))).isFalse();
        assertThat(db.volatileSize()).isZero();
        assertThat(db.expireAt(k("a"))).isEqualTo(-1);
        assertThat(db.expireAt(k("missing"))).isEqualTo(-2);
    }

    @Test
    void moveKeepsValueTtlAndKeyCount() {
        Database other = keyspace.db(1);
        db.set(k("m"), k("v"), clock.millis() + 5000);
        long memory = keyspace.usedMemory();
        assertThat(db.moveTo(k("m"), other)).isTrue();
        assertThat(db.exists(k("m"))).isFalse();
        assertThat(other.get(k("m"))).isEqualTo(k("v"));
        assertThat(other.expireAt(k("m"))).isEqualTo(clock.millis() + 5000);
        assertThat(other.volatileSize()).isEqualTo(1);
        assertThat(db.volatileSize()).isZero();
        assertThat(keyspace.keyCount()).isEqualTo(1);
        assertThat(keyspace.usedMemory()).isEqualTo(memory);
        db.set(k("m"), k("w"), Database.NO_TTL);
        assertThat(db.moveTo(k("m"), other)).isFalse(); // already there
        assertThat(db.moveTo(k("missing"), other)).isFalse();
    }

    @Test
    void renameWorksAtFullCapacityAndKeepsTheTtl() {
        keyspace.capacity(2);
        db.set(k("a"), k("1"), clock.millis() + 5000);
        db.set(k("b"), k("2"), Database.NO_TTL);
        assertThat(db.rename(k("a"), k("c"))).isTrue();
        assertThat(db.get(k("c"))).isEqualTo(k("1"));
        assertThat(db.expireAt(k("c"))).isEqualTo(clock.millis() + 5000);
        assertThat(db.rename(k("c"), k("b"))).isTrue(); // overwrites
        assertThat(db.size()).isEqualTo(1);
        assertThat(keyspace.keyCount()).isEqualTo(1);
        assertThat(db.rename(k("nope"), k("x"))).isFalse();
    }

    @Test
    void memoryAccountingReturnsToZero() {
        for (int i = 0; i < 100; i++) db.set(k("k" + i), k("value" + i), i % 2 == 0 ? clock.millis() + 1000 : Database.NO_TTL);
        for (int i = 0; i < 100; i++) db.delete(k("k" + i));
        assertThat(keyspace.usedMemory()).isZero();
    }

    @Test
    void iteratorSeesEveryLiveKey() {
        for (int i = 0; i < 300; i++) db.set(k("i" + i), k("v"), Database.NO_TTL);
        Set<String> seen = new HashSet<>();
        for (Iterator<Entry> it = db.iterator(); it.hasNext(); ) seen.add(Bytes.str(it.next().key()));
        assertThat(seen).hasSize(300);
    }

    @Test
    void overwritingABlobSizedStringAllocatesOneBlobAndNothingElse() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        byte[] key = k("key:000000000001"); // 16 bytes, as the memory benchmark's keys
        byte[][] values = {k("value-0000000001"), k("value-0000000002")};
        int stripe = keyspace.stripeOf(key);
        keyspace.lock(stripe);
        try {
            db.set(key, values[0], Database.NO_TTL);
            long blob = Memory.array(4 + 16 + 16);
            for (int round = 0; round < 3; round++) { // the later rounds run compiled
                int n = 20_000;
                long before = mx.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < n; i++) db.set(key, values[i & 1], Database.NO_TTL);
                long perSet = (mx.getCurrentThreadAllocatedBytes() - before) / n;
                assertThat(perSet).as("bytes allocated per SET, round " + round).isLessThanOrEqualTo(blob);
            }
        } finally {
            keyspace.unlock(stripe);
        }
    }

    @Test
    void readingABlobsStringHandsOverItsBytesWithoutCopying() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        byte[] key = k("key:000000000001");
        db.set(key, k("value-0000000001"), Database.NO_TTL);
        db.set(k("list"), new io.keyline.store.type.ListValue(), Database.NO_TTL);
        int[] seen = new int[1];
        io.keyline.util.ByteRangeSink sink = (bytes, offset, length) -> {
            assertThat(new String(bytes, offset, length, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("value-0000000001");
            seen[0]++;
        };
        assertThat(db.readString(key, sink)).isTrue();
        assertThat(db.readString(k("absent"), sink)).isFalse();
        assertThatThrownBy(() -> db.readString(k("list"), sink)).isInstanceOf(WrongTypeException.class);
        assertThat(seen[0]).isEqualTo(1);
        io.keyline.util.ByteRangeSink quiet = (bytes, offset, length) -> seen[0] += length;
        for (int round = 0; round < 3; round++) { // the later rounds run compiled
            int n = 20_000;
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < n; i++) db.readString(key, quiet);
            assertThat((mx.getCurrentThreadAllocatedBytes() - before) / n).as("bytes allocated per read, round " + round).isZero();
        }
    }

    @Test
    void anUpdateKeepsTtlAndTheBoxedKeysOwnArray() {
        byte[] small = k("counter");
        db.set(small, k("41"), clock.millis() + 5000); // a blob with a TTL
        db.update(db.entryForWrite(small, byte[].class), k("42"));
        assertThat(db.get(small, byte[].class)).isEqualTo(k("42"));
        assertThat(db.entryForWrite(small, byte[].class).expireAt()).isEqualTo(clock.millis() + 5000);

        byte[] longKey = k("x".repeat(200)); // too long for a blob: boxed
        db.set(longKey, k("-7"), Database.NO_TTL);
        Entry boxed = db.entryForWrite(longKey, byte[].class);
        db.update(boxed, k("-6"));
        Entry after = db.entryForWrite(longKey, byte[].class);
        assertThat(after.value()).isEqualTo(k("-6"));
        assertThat(after.key()).as("the stored key array is kept").isSameAs(boxed.key());
    }
}
