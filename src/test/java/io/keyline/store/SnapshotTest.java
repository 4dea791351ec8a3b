package io.keyline.store;

import io.keyline.store.type.HashValue;
import io.keyline.store.type.ListValue;
import io.keyline.store.type.SetValue;
import io.keyline.util.Bytes;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Snapshot}: the data a sink receives is exactly the data at the cut, while writers, active
 * expiry and whole-keyspace commands keep changing the keyspace; every stripe is dumped once.
 * The expected data is recorded inside {@code atCut}, which runs under every stripe lock.
 */
class SnapshotTest {
    private static final int DBS = 3;
    private static final int KEYS = 400;

    /** One key's state in a canonical, comparable form. */
    private static String record(int db, Entry e) {
        StringBuilder sb = new StringBuilder();
        sb.append(db).append('|').append(Bytes.str(e.key())).append('|').append(e.expireAt()).append('|');
        Object v = e.value();
        if (Strings.isString(v)) {
            sb.append("S:").append(HexFormat.of().formatHex(Strings.bytes(v)));
        } else {
            ((AofRewritable) v).emit(e.key(), argv -> {
                for (byte[] a : argv) sb.append(HexFormat.of().formatHex(a)).append(',');
                sb.append(';');
            });
        }
        return sb.toString();
    }

    private static List<String> everything(Keyspace ks) {
        List<String> out = new ArrayList<>();
        for (int d = 0; d < ks.databaseCount(); d++) {
            int db = d;
            for (int s = 0; s < ks.stripes(); s++) ks.db(d).forEachInStripe(s, e -> out.add(record(db, e)));
        }
        Collections.sort(out);
        return out;
    }

    private static byte[] key(Random rnd) {
        int n = rnd.nextInt(KEYS);
        // A few hash tags, so some stripes are crowded and multi-key operations share stripes.
        return Bytes.of(n % 7 == 0 ? "{tag" + (n % 3) + "}k" + n : "k" + n);
    }

    /** One random operation, under the locks it needs, as a command would do it. */
    private static void randomOp(Keyspace ks, Clock clock, Random rnd) {
        Database db = ks.db(rnd.nextInt(DBS));
        byte[] k = key(rnd);
        int op = rnd.nextInt(12);
        if (op == 11) { // RENAME: two stripes, in ascending order
            byte[] k2 = key(rnd);
            int a = ks.stripeOf(k), b = ks.stripeOf(k2);
            int lo = Math.min(a, b), hi = Math.max(a, b);
            ks.lock(lo);
            if (hi != lo) ks.lock(hi);
            try {
                db.rename(k, k2);
            } finally {
                if (hi != lo) ks.unlock(hi);
                ks.unlock(lo);
            }
            return;
        }
        int stripe = ks.stripeOf(k);
        ks.lock(stripe);
        try {
            byte[] v = Bytes.of("v" + rnd.nextInt(1000));
            switch (op) {
                case 0, 1 -> db.set(k, v, Database.NO_TTL);
                case 2 -> db.set(k, v, clock.millis() + rnd.nextInt(40));
                case 3 -> db.delete(k);
                case 4 -> db.setExpire(k, clock.millis() + rnd.nextInt(40));
                case 5 -> db.persist(k);
                case 6 -> db.lookup(k); // a read: may expire the key lazily
                case 7 -> {
                    HashValue h = db.getOrCreate(k, HashValue.class, HashValue::new);
                    long before = db.beginUpdate(h);
                    if (rnd.nextInt(4) == 0) h.remove(Bytes.of("f" + rnd.nextInt(20)));
                    else h.put(Bytes.of("f" + rnd.nextInt(20)), v);
                    db.endUpdate(k, h, before);
                }
                case 8 -> {
                    SetValue s = db.getOrCreate(k, SetValue.class, SetValue::new);
                    long before = db.beginUpdate(s);
                    if (rnd.nextInt(4) == 0) s.remove(Bytes.of("m" + rnd.nextInt(200)));
                    else s.add(Bytes.of("m" + rnd.nextInt(200)));
                    db.endUpdate(k, s, before);
                }
                case 9 -> {
                    ListValue l = db.getOrCreate(k, ListValue.class, ListValue::new);
                    long before = db.beginUpdate(l);
                    if (rnd.nextInt(3) == 0) l.popLeft();
                    else l.pushRight(v);
                    db.endUpdate(k, l, before);
                }
                default -> {
                    MutableString m = db.mutableStringForWrite(k); // APPEND: changes a string in place
                    if (m != null) m.append(v);
                    else db.set(k, v, Database.NO_TTL);
                }
            }
        } catch (WrongTypeException e) {
            // the key holds another type: as a command would, change nothing
        } finally {
            ks.unlock(stripe);
        }
    }

    /** Runs one scenario and returns how many keys the cut held. */
    private int scenario(long seed, boolean flushes, boolean activeExpiry) throws Exception {
        Random setup = new Random(seed);
        Clock.Manual clock = new Clock.Manual(1_000_000);
        Keyspace ks = new Keyspace(DBS, 4, clock);
        for (int i = 0; i < 3000; i++) randomOp(ks, clock, setup);

        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong ops = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            Random rnd = new Random(seed * 31 + w);
            threads.add(new Thread(() -> {
                while (!stop.get()) {
                    randomOp(ks, clock, rnd);
                    ops.incrementAndGet();
                }
            }));
        }
        if (activeExpiry) {
            threads.add(new Thread(() -> {
                while (!stop.get()) {
                    clock.advance(1);
                    ks.activeExpireCycle(1);
                    Thread.yield();
                }
            }));
        }
        if (flushes) {
            Random rnd = new Random(seed * 17);
            threads.add(new Thread(() -> {
                while (!stop.get()) {
                    ks.lockAll();
                    try {
                        if (rnd.nextBoolean()) ks.flushAllLocked();
                        else ks.swapLocked(0, 1 + rnd.nextInt(DBS - 1));
                    } finally {
                        ks.unlockAll();
                    }
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.setUncaughtExceptionHandler((th, e) -> failure.compareAndSet(null, e));
            t.start();
        }
        while (ops.get() < 2000) Thread.onSpinWait(); // writers are running

        List<String> atCut = new ArrayList<>();
        List<String> dumped = Collections.synchronizedList(new ArrayList<>());
        ConcurrentHashMap<Integer, AtomicInteger> perStripe = new ConcurrentHashMap<>();
        Random slow = new Random(seed);
        Thread saver = Thread.currentThread();
        Snapshot snap = ks.beginSnapshot((stripe, contents) -> {
            // Encoding happens only on the snapshot's own thread: others copy what they touch first.
            assertThat(Thread.currentThread()).isSameAs(saver);
            perStripe.computeIfAbsent(stripe, s -> new AtomicInteger()).incrementAndGet();
            List<String> mine = new ArrayList<>();
            contents.forEach((db, e) -> mine.add(record(db, e)));
            dumped.addAll(mine);
            Thread.yield(); // let others run into the lock
        }, () -> atCut.addAll(everything(ks)));
        Thread.sleep(slow.nextInt(4)); // clients get to dump some stripes first
        snap.run();
        Thread.sleep(2);
        stop.set(true);
        for (Thread t : threads) t.join();
        if (failure.get() != null) throw new AssertionError(failure.get());

        assertThat(ks.snapshotRunning()).isFalse();
        assertThat(perStripe).hasSize(ks.stripes());
        assertThat(perStripe.values()).allMatch(n -> n.get() == 1);
        List<String> got = new ArrayList<>(dumped);
        Collections.sort(got);
        assertThat(got).as("seed %d", seed).isEqualTo(atCut);
        // Without flushes the cut always holds the preloaded keys. With them, a cut can land right after a
        // FLUSHALL on a loaded machine (CI saw that), so the flush test requires data across its seeds instead.
        if (!flushes) assertThat(atCut).isNotEmpty();
        return atCut.size();
    }

    @Test
    void snapshotEqualsTheDataAtTheCutUnderConcurrentWriters() throws Exception {
        for (long seed = 1; seed <= 25; seed++) scenario(seed, false, false);
    }

    @Test
    void snapshotEqualsTheDataAtTheCutWithActiveExpiry() throws Exception {
        for (long seed = 100; seed <= 115; seed++) scenario(seed, false, true);
    }

    @Test
    void snapshotEqualsTheDataAtTheCutWithFlushallAndSwapdb() throws Exception {
        long keysAtCuts = 0;
        for (long seed = 200; seed <= 215; seed++) keysAtCuts += scenario(seed, true, true);
        assertThat(keysAtCuts).as("keys at the cuts of all seeds").isPositive();
    }

    @Test
    void aCollectionChangedInPlaceAfterTheCopyIsSavedAsItWasAtTheCut() {
        Keyspace ks = new Keyspace(1, 2, new Clock.Manual(0));
        byte[] k = Bytes.of("list");
        int stripe = ks.stripeOf(k);
        ListValue l = ks.db(0).getOrCreate(k, ListValue.class, ListValue::new);
        l.pushRight(Bytes.of("a"));
        List<Integer> sizes = new ArrayList<>();
        Snapshot snap = ks.beginSnapshot((s, c) -> c.forEach((db, e) -> sizes.add((int) ((ListValue) e.value()).size())), null);
        ks.lock(stripe); // a client gets there first: it copies the stripe, then changes the list in place
        try {
            ListValue live = ks.db(0).getOrCreate(k, ListValue.class, ListValue::new);
            long before = ks.db(0).beginUpdate(live);
            live.pushRight(Bytes.of("b"));
            live.pushRight(Bytes.of("c"));
            ks.db(0).endUpdate(k, live, before);
        } finally {
            ks.unlock(stripe);
        }
        snap.run();
        assertThat(sizes).containsExactly(1);
        assertThat(ks.db(0).get(k, ListValue.class).size()).isEqualTo(3);
    }

    @Test
    void aClientThatTouchesAPendingStripeCopiesItAndTheSnapshotEncodesTheCopy() {
        Keyspace ks = new Keyspace(1, 2, new Clock.Manual(0));
        byte[] k = Bytes.of("a");
        int stripe = ks.stripeOf(k);
        ks.db(0).set(k, Bytes.of("before"), Database.NO_TTL);
        List<String> seen = new ArrayList<>();
        Snapshot snap = ks.beginSnapshot((s, c) -> c.forEach((db, e) -> seen.add(Bytes.str((byte[]) e.value()))), null);
        ks.lock(stripe);
        try {
            assertThat(seen).as("a client only copies the stripe; encoding is left to run()").isEmpty();
            ks.db(0).set(k, Bytes.of("after"), Database.NO_TTL);
        } finally {
            ks.unlock(stripe);
        }
        snap.run();
        assertThat(seen).containsExactly("before");
        assertThat(snap.stripesDumpedByOthers()).isEqualTo(1);
        assertThat(ks.snapshotRunning()).isFalse();
        ks.lock(stripe); // no snapshot: nothing happens
        ks.unlock(stripe);
        assertThat(seen).hasSize(1);
    }

    @Test
    void aSetReusingMemoryDuringASnapshotLeavesTheCapturedArrayAsItWasAtTheCut() {
        Keyspace ks = new Keyspace(1, 2, new Clock.Manual(0));
        byte[] k = Bytes.of("a");
        int stripe = ks.stripeOf(k);
        byte[] before = new byte[100];
        java.util.Arrays.fill(before, (byte) 'b');
        ks.db(0).set(k, before, Database.NO_TTL);
        List<String> seen = new ArrayList<>();
        Snapshot snap = ks.beginSnapshot((s, c) -> c.forEach((db, e) -> seen.add(Bytes.str((byte[]) e.value()))), null);
        byte[] after = new byte[100];
        java.util.Arrays.fill(after, (byte) 'a');
        ks.lock(stripe);
        try {
            ks.db(0).setReusing(k, after, new byte[0][]); // the capture shares the boxed array
            assertThat(ks.db(0).getString(k)).as("a new array while the snapshot runs").isSameAs(after);
        } finally {
            ks.unlock(stripe);
        }
        snap.run();
        assertThat(seen).containsExactly("b".repeat(100));
        assertThat(before).as("the array at the cut was not written").containsOnly((byte) 'b');
        byte[] again = new byte[100];
        java.util.Arrays.fill(again, (byte) 'c');
        ks.db(0).setReusing(k, again, new byte[0][]);
        assertThat(ks.db(0).getString(k)).as("reused once the snapshot ended").isSameAs(after).containsOnly((byte) 'c');
    }

    @Test
    void aBlobCopiedAtFirstTouchKeepsItsClockAndDeadlineFromTheCut() {
        Clock.Manual clock = new Clock.Manual(1_000_000);
        Keyspace ks = new Keyspace(1, 2, clock);
        byte[] k = Bytes.of("a"); // a short key and value: stored as one blob
        int stripe = ks.stripeOf(k);
        ks.lock(stripe);
        try {
            ks.db(0).set(k, Bytes.of("v"), 5_000_000);
        } finally {
            ks.unlock(stripe);
        }
        List<String> seen = new ArrayList<>();
        Snapshot snap = ks.beginSnapshot((s, c) -> c.forEach((db, e) -> seen.add(
                Bytes.str((byte[]) e.value()) + "|" + e.expireAt() + "|" + e.access())), null);
        int accessAtCut;
        ks.lock(stripe);
        try {
            accessAtCut = ks.db(0).lookupNoTouch(k).access();
            clock.advance(100_000); // 100 s later the read below moves the LRU clock, written into the blob in place
            assertThat(ks.db(0).lookup(k).access()).isNotEqualTo(accessAtCut);
            ks.db(0).setExpire(k, 9_000_000);
        } finally {
            ks.unlock(stripe);
        }
        snap.run();
        assertThat(seen).containsExactly("v|5000000|" + accessAtCut);
    }

    @Test
    void runWorksOnAThreadThatHoldsEveryLock() {
        Keyspace ks = new Keyspace(2, 3, new Clock.Manual(0));
        for (int i = 0; i < 100; i++) ks.db(i % 2).set(Bytes.of("k" + i), Bytes.of("v"), Database.NO_TTL);
        AtomicLong n = new AtomicLong();
        ks.lockAll();
        try {
            Snapshot snap = ks.beginSnapshot((s, c) -> c.forEach((db, e) -> n.incrementAndGet()), null);
            snap.run();
        } finally {
            ks.unlockAll();
        }
        assertThat(n.get()).isEqualTo(100);
    }

    @Test
    void oneSnapshotAtATime() {
        Keyspace ks = new Keyspace(1, 2, new Clock.Manual(0));
        Snapshot first = ks.beginSnapshot((s, c) -> { }, null);
        assertThatThrownBy(() -> ks.beginSnapshot((s, c) -> { }, null)).isInstanceOf(IllegalStateException.class);
        first.run();
        ks.beginSnapshot((s, c) -> { }, null).run();
    }

    @Test
    void aFailingSinkFailsTheSnapshotNotTheClient() {
        Keyspace ks = new Keyspace(1, 2, new Clock.Manual(0));
        byte[] k = Bytes.of("a");
        ks.db(0).set(k, Bytes.of("v"), Database.NO_TTL);
        Snapshot snap = ks.beginSnapshot((s, c) -> {
            throw new IllegalStateException("disk on fire");
        }, null);
        int stripe = ks.stripeOf(k);
        ks.lock(stripe); // the client's own work goes on
        try {
            ks.db(0).set(k, Bytes.of("w"), Database.NO_TTL);
        } finally {
            ks.unlock(stripe);
        }
        assertThatThrownBy(snap::run).hasMessage("disk on fire");
        assertThat(ks.snapshotRunning()).isFalse();
    }

    @Test
    void cancelStopsTheDump() throws Exception {
        Keyspace ks = new Keyspace(1, 3, new Clock.Manual(0));
        AtomicInteger stripes = new AtomicInteger();
        Snapshot snap = ks.beginSnapshot((s, c) -> stripes.incrementAndGet(), null);
        AtomicInteger checks = new AtomicInteger();
        assertThatThrownBy(() -> snap.run(() -> checks.incrementAndGet() > 3)).isInstanceOf(CancellationException.class);
        assertThat(stripes.get()).isEqualTo(3);
        assertThat(ks.snapshotRunning()).isFalse();
        ks.beginSnapshot((s, c) -> { }, null).run(); // a new one may start
    }
}
