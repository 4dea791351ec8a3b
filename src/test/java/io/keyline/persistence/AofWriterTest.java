package io.keyline.persistence;

import io.keyline.engine.TestEventLoop;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** The writer thread against an in-memory file that can fail on demand (disk full, EIO). */
class AofWriterTest {
    /** A file in memory; while {@code failing}, a write stores half its bytes and throws (a partial write). */
    static final class FlakyFile implements AofFile {
        final ByteArrayOutputStream content = new ByteArrayOutputStream();
        volatile boolean failing;
        volatile int forces;

        @Override
        public synchronized void write(ByteBuffer src, long position) throws IOException {
            assertThat(position).isEqualTo(content.size());
            byte[] b = new byte[src.remaining()];
            src.get(b);
            if (failing) {
                content.write(b, 0, b.length / 2);
                throw new IOException("No space left on device");
            }
            content.write(b, 0, b.length);
        }

        @Override
        public void force() throws IOException {
            if (failing) throw new IOException("Input/output error");
            forces++;
        }

        @Override
        public synchronized void truncate(long size) {
            byte[] all = content.toByteArray();
            content.reset();
            content.write(all, 0, (int) Math.min(size, all.length));
        }

        @Override
        public synchronized long size() {
            return content.size();
        }

        @Override
        public void close() {
        }

        synchronized String text() {
            return content.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static byte[][] cmd(String... words) {
        return Arrays.stream(words).map(w -> w.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }

    private static void await(java.util.function.BooleanSupplier cond) throws InterruptedException {
        for (int i = 0; i < 500 && !cond.getAsBoolean(); i++) Thread.sleep(10);
        assertThat(cond.getAsBoolean()).isTrue();
    }

    @Test
    void encodesSelectOnlyWhenTheDatabaseChanges() throws Exception {
        FlakyFile f = new FlakyFile();
        AofWriter w = new AofWriter(f, 0, AofWriter.Fsync.ALWAYS);
        w.start();
        w.append(0, cmd("SET", "a", "1"));
        w.append(0, cmd("SET", "b", "2"));
        long seq = w.append(1, cmd("DEL", "c"));
        CountDownLatch durable = new CountDownLatch(1);
        w.whenDurable(seq, durable::countDown);
        assertThat(durable.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(f.text()).isEqualTo("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n"
                + "*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$6\r\nSELECT\r\n$1\r\n1\r\n*2\r\n$3\r\nDEL\r\n$1\r\nc\r\n");
        assertThat(seq).isEqualTo(f.size());
        w.close();
    }

    @Test
    void failedWritesAreTruncatedRefusedAndRetriedUntilTheDiskRecovers() throws Exception {
        FlakyFile f = new FlakyFile();
        AofWriter w = new AofWriter(f, 0, AofWriter.Fsync.ALWAYS);
        w.start();
        long first = w.append(0, cmd("SET", "a", "1"));
        await(() -> w.isDurable(first));
        String good = f.text();

        f.failing = true;
        long second = w.append(0, cmd("SET", "b", "2"));
        AtomicBoolean released = new AtomicBoolean();
        w.whenDurable(second, () -> released.set(true));
        await(() -> w.writeError() != null);
        assertThat(w.writeError()).isEqualTo("MISCONF Errors writing to the AOF file: No space left on device");
        Thread.sleep(50);
        assertThat(f.text()).isEqualTo(good);     // the half-written command was truncated away
        assertThat(released).isFalse();           // no reply before its bytes are on disk
        assertThat(w.isDurable(second)).isFalse();

        f.failing = false;                        // space freed: the retry (within ~1 s) succeeds
        await(() -> w.writeError() == null && released.get());
        assertThat(f.text()).isEqualTo(good + "*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n");
        w.close();
    }

    @Test
    void groupCommitSharesFsyncsAndStopFlushesEverything() throws Exception {
        FlakyFile f = new FlakyFile();
        AofWriter w = new AofWriter(f, 0, AofWriter.Fsync.ALWAYS);
        w.start();
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 500; i++) {
                    long s = w.append(0, cmd("SET", "k" + id + ":" + i, "v"));
                    CountDownLatch l = new CountDownLatch(1);
                    w.whenDurable(s, l::countDown);
                    try {
                        l.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) t.join();
        assertThat(f.forces).isLessThan(4000); // 4000 acknowledged writes, fewer fsyncs
        w.append(0, cmd("SET", "last", "1"));
        w.close();
        assertThat(f.text()).endsWith("$4\r\nlast\r\n$1\r\n1\r\n");
    }

    @Test
    void alwaysOnAnEventLoopSyncsAtTheEndOfTheBatchOnThatThread() throws Exception {
        FlakyFile f = new FlakyFile();
        AofWriter w = new AofWriter(f, 0, AofWriter.Fsync.ALWAYS);
        w.start();
        try (TestEventLoop loop = new TestEventLoop()) {
            List<Thread> releasedOn = new CopyOnWriteArrayList<>();
            int forcesBefore = f.forces;
            loop.batch(() -> { // one batch: three clients' writes and their waiting replies
                for (int i = 0; i < 3; i++) {
                    long s = w.append(0, cmd("SET", "k" + i, "v"));
                    w.whenDurable(s, () -> releasedOn.add(Thread.currentThread()));
                }
                assertThat(f.size()).isZero(); // nothing written before the batch ends
            });
            assertThat(releasedOn).hasSize(3).containsOnly(loop.thread()); // synced and released on the loop itself
            assertThat(f.forces - forcesBefore).isEqualTo(1); // one fsync for the batch
            assertThat(f.text()).contains("$2\r\nk0\r\n", "$2\r\nk2\r\n");
        } finally {
            w.close();
        }
    }

    @Test
    void everysecOnAnEventLoopWritesAtTheEndOfTheBatchAndLeavesTheFsyncToTheWriter() throws Exception {
        FlakyFile f = new FlakyFile();
        AofWriter w = new AofWriter(f, 0, AofWriter.Fsync.EVERYSEC);
        w.start();
        try (TestEventLoop loop = new TestEventLoop()) {
            int forcesBefore = f.forces;
            long seq = loop.batch(() -> {
                w.append(0, cmd("SET", "a", "1"));
                long s = w.append(0, cmd("SET", "b", "2"));
                assertThat(f.size()).isZero(); // written when the batch ends, not per command
                return s;
            });
            assertThat(f.size()).isEqualTo(seq); // in the file (the page cache) without the writer
            assertThat(f.forces).isEqualTo(forcesBefore); // no fsync on the loop
            await(() -> f.forces > forcesBefore); // the writer's once-a-second fsync
        } finally {
            w.close();
        }
    }

    @Test
    void alwaysOffTheEventLoopsTheWriterThreadSyncsPromptly() throws Exception {
        FlakyFile f = new FlakyFile();
        AofWriter w = new AofWriter(f, 0, AofWriter.Fsync.ALWAYS);
        w.start();
        Thread.sleep(50); // the writer is idle and waiting
        long t0 = System.nanoTime();
        long s = w.append(0, cmd("SET", "a", "1"));
        CountDownLatch l = new CountDownLatch(1);
        w.whenDurable(s, l::countDown);
        assertThat(l.await(5, TimeUnit.SECONDS)).isTrue();
        // Woken by the append, not found by its one-second idle poll.
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(500);
        w.close();
    }

    @Test
    void everysecDoesNotMakeAnyoneWait() {
        FlakyFile f = new FlakyFile();
        AofWriter w = new AofWriter(f, 0, AofWriter.Fsync.EVERYSEC);
        long s = w.append(0, cmd("SET", "a", "1"));
        assertThat(w.isDurable(s)).isTrue(); // the writer thread has not even started
        w.start();
        w.close();
        assertThat(f.text()).contains("SET");
    }
}
