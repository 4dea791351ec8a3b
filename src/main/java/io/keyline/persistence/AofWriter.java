package io.keyline.persistence;

import io.keyline.engine.LatencyMonitor;
import io.keyline.engine.BatchEnd;
import io.keyline.engine.Propagator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The AOF's write path. {@link #append} (event loops, under the command's stripe locks) encodes the
 * command as RESP into a memory buffer under one short lock and returns its end offset as the
 * sequence number; a single writer thread swaps the buffer out, writes it to the current incr file
 * and fsyncs by the policy:
 * <ul>
 *   <li>{@code always}: fsync after every write; replies wait ({@link #whenDurable}) for the fsync
 *   that covers them. Whatever accumulates while one fsync runs shares the next: group commit.</li>
 *   <li>{@code everysec}: fsync about once a second; nobody waits.</li>
 *   <li>{@code no}: never fsync (the OS decides), except on a file switch and at stop.</li>
 * </ul>
 * A failed write is truncated away and retried every second; meanwhile {@link #writeError} makes the
 * dispatcher refuse writes with MISCONF. Nothing acknowledged is dropped: the bytes stay buffered.
 */
final class AofWriter implements Propagator {
    private static final Logger log = LoggerFactory.getLogger(AofWriter.class);

    enum Fsync {
        ALWAYS, EVERYSEC, NO;

        static Fsync parse(String v) {
            return switch (v) {
                case "always" -> ALWAYS;
                case "no" -> NO;
                default -> EVERYSEC;
            };
        }
    }

    private final Object lock = new Object();
    // guarded by lock
    private Resp buffer = new Resp(1 << 16);
    private long appended;
    private int lastDb = -1;
    private boolean writerWaiting;
    private AofFile switchTo;
    private long switchAt;
    private Runnable switchDone;
    private boolean stopping;

    /** Held while moving bytes to the file: by the writer thread, or by an event loop at its batch end. */
    private final ReentrantLock fileLock = new ReentrantLock();
    // guarded by fileLock
    private Resp carry = new Resp(1 << 16);
    private long carryStart;
    private AofFile file;
    private long lastFsyncNanos = System.nanoTime();
    private volatile long syncedSeq; // read unlocked by the writer's everysec timing

    private volatile long filePos;
    /** Bytes taken from the buffer but not yet in the file (carry.len > 0), for the writer's idle test. */
    private volatile boolean carryLeft;

    private volatile long writtenSeq;
    private volatile long durableSeq;
    private volatile String error;
    private volatile Fsync policy;
    private volatile Thread suppressed;
    private volatile long fsyncCount;
    private volatile LatencyMonitor latencyMonitor;
    private final List<Waiter> waiters = new ArrayList<>();
    private final Thread thread;

    private record Waiter(long seq, Runnable action) {
    }

    AofWriter(AofFile file, long size, Fsync policy) {
        this.file = file;
        this.filePos = size;
        this.policy = policy;
        this.thread = new Thread(this::run, "keyline-aof-writer");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void policy(Fsync p) {
        this.policy = p;
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    Fsync policy() {
        return policy;
    }

    /** Commands appended by {@code t} are not logged (the thread replaying DEBUG RELOAD). */
    void suppress(Thread t) {
        this.suppressed = t;
    }

    // ---- Propagator ---------------------------------------------------------------------------

    @Override
    public long append(int db, byte[][] argv) {
        if (Thread.currentThread() == suppressed) return 0;
        boolean onLoop = BatchEnd.runAfterBatch(batchEnd); // the loop writes its batch when it ends
        synchronized (lock) {
            int before = buffer.len;
            if (db != lastDb) {
                buffer.select(db);
                lastDb = db;
            }
            buffer.command(argv);
            appended += buffer.len - before;
            if (!onLoop) wakeWriter(); // other threads' appends are the writer's
            return appended;
        }
    }

    @Override
    public boolean isDurable(long seq) {
        return policy != Fsync.ALWAYS || seq <= durableSeq;
    }

    @Override
    public void whenDurable(long seq, Runnable action) {
        boolean durable;
        synchronized (waiters) {
            durable = isDurable(seq);
            if (!durable) {
                waiters.add(new Waiter(seq, action));
            }
        }
        if (durable) action.run();
        else if (!BatchEnd.runAfterBatch(batchEnd)) wakeWriter(); // not on an event loop: the writer syncs
    }

    @Override
    public String writeError() {
        return error;
    }

    // ---- what Persistence uses ----------------------------------------------------------------

    /**
     * From now on appends go to {@code next} (an empty file): what was appended before is written
     * to the current file and fsynced first. Called by the rewrite holding every stripe lock, so no
     * command is half-way. {@code done} runs on the writer thread once the switch happened.
     */
    void switchTo(AofFile next, Runnable done) {
        synchronized (lock) {
            if (switchTo != null) throw new IllegalStateException("a previous AOF file switch is still pending (write errors?)");
            switchTo = next;
            switchAt = appended;
            switchDone = done;
            lastDb = -1; // the new file starts with a SELECT
            lock.notify();
        }
    }

    /**
     * Writes and fsyncs everything appended so far on the calling thread (DEBUG LOADAOF reads the
     * file back right after). False after a write error.
     */
    boolean flushNow() {
        fileLock.lock();
        try {
            return writeLocked(true, true);
        } finally {
            fileLock.unlock();
        }
    }

    long bufferLength() {
        synchronized (lock) {
            return buffer.len;
        }
    }

    long currentFileSize() {
        return filePos;
    }

    long appendedSeq() {
        synchronized (lock) {
            return appended;
        }
    }

    /** Where the fsync of appendfsync always reports its latency ("aof-fsync-always"), as Redis. */
    void latencyMonitor(LatencyMonitor monitor) {
        this.latencyMonitor = monitor;
    }

    long fsyncCount() {
        return fsyncCount;
    }

    /** Writes and fsyncs everything appended so far, then stops the thread and closes the file. */
    void close() {
        synchronized (lock) {
            stopping = true;
            lock.notifyAll();
        }
        try {
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) log.warn("The AOF writer did not finish in time; the last writes may be lost");
    }

    // ---- writing: an event loop at the end of its batch, or the writer thread ---------------

    /**
     * Runs on an event loop after a batch in which it appended (or started waiting on
     * {@link #whenDurable}), as Redis's {@code beforeSleep} does: the batch's commands go to the
     * file with one write; with {@code always} it is fsynced here too before the waiting replies
     * are released, so every client read in the batch shares the fsync.
     *
     * <p>Why not the writer thread: on the 2-core benchmark VM the hand-offs cost more than the
     * disk. Waking the writer after an append took 230-290 us and waking the loop after the fsync
     * 430-710 us (per-fsync averages, 60,000 SETs from 50 clients), against ~330 us for the
     * fdatasync itself; the writer sat idle 40% of the time. With {@code everysec} the per-append
     * wake-ups were 79 futex calls and 118 context switches per 1,000 SETs (Redis: 0.15 and 33).
     * Overlapping the fsync with the next batch through io_uring was tried too: the kernel's worker
     * for the fsync has the same wake-up latency, and it ran at 15k SET/s against 26k inline.
     *
     * <p>{@code everysec} and {@code no} never wait for the disk here: if the writer thread is in
     * its once-a-second fsync, the loop leaves the bytes in the buffer for the next batch.
     */
    private void batchEnd() {
        if (error != null) return; // the writer retries every second
        Fsync p = policy;
        if (p == Fsync.ALWAYS) {
            fileLock.lock();
        } else if (!fileLock.tryLock()) {
            return;
        }
        boolean ok;
        try {
            synchronized (lock) {
                if (switchTo != null) return; // the writer thread switches files (it was notified)
            }
            ok = writeLocked(false, p == Fsync.ALWAYS);
        } finally {
            fileLock.unlock();
        }
        if (ok && p == Fsync.ALWAYS) runWaiters();
    }

    private final Runnable batchEnd = this::batchEnd;

    private void wakeWriter() {
        synchronized (lock) { // reentrant from append()
            if (writerWaiting) {
                writerWaiting = false;
                lock.notify();
            }
        }
    }

    /**
     * The writer thread: file switches for rewrites, the once-a-second fsync of {@code everysec},
     * retries after a disk error, the last flush on stop, and appends made off the event loops
     * (it is woken for those; what a loop appended but left behind is picked up within 10 ms).
     */
    private void run() {
        boolean stop = false;
        int failuresWhileStopping = 0;
        long staleMark = 0;
        while (true) {
            boolean skip = false;
            synchronized (lock) {
                boolean idle = buffer.len == 0 && switchTo == null && !carryLeft;
                long waitMs = waitMillis(idle);
                boolean woke = false;
                if (!stopping && switchTo == null && waitMs > 0) {
                    writerWaiting = true;
                    try {
                        lock.wait(waitMs);
                    } catch (InterruptedException e) {
                        stopping = true;
                    }
                    woke = !writerWaiting; // notified rather than timed out
                    writerWaiting = false;
                }
                stop = stopping;
                if (!woke && !stop && switchTo == null && error == null && !fsyncDue()) {
                    skip = writtenSeq >= staleMark; // the loops wrote all that was there at the last look
                    staleMark = appended;
                }
            }
            if (skip) continue;
            boolean ok;
            fileLock.lock();
            try {
                ok = writeLocked(stop, true);
            } finally {
                fileLock.unlock();
            }
            if (!ok && stop && ++failuresWhileStopping >= 3) {
                log.error("Could not write the last bytes of the AOF on shutdown: {}", error);
                break;
            }
            runWaiters();
            if (stop && ok) {
                synchronized (lock) {
                    if (buffer.len == 0 && switchTo == null && !carryLeft) break;
                }
            }
        }
        fileLock.lock();
        try {
            file.close();
        } catch (IOException e) {
            log.warn("Closing the AOF file failed: {}", e.toString());
        } finally {
            fileLock.unlock();
        }
        durableSeq = Long.MAX_VALUE; // release anyone still waiting; nothing more will be written
        runWaiters();
    }

    private boolean fsyncDue() {
        return policy == Fsync.EVERYSEC && syncedSeq < writtenSeq && System.nanoTime() - lastFsyncNanos >= 1_000_000_000L;
    }

    /**
     * Holding fileLock: moves what was appended to the file (switching files first if a rewrite
     * asked), then fsyncs if {@code mayFsync} and the policy says so ({@code stop}: always). False
     * after an I/O error, which is then reported as MISCONF until a later call succeeds.
     */
    private boolean writeLocked(boolean stop, boolean mayFsync) {
        AofFile next;
        long nextAt;
        Runnable done;
        long end;
        synchronized (lock) {
            if (buffer.len > 0) {
                if (carry.len == 0) {
                    Resp t = carry;
                    carry = buffer;
                    buffer = t;
                    carryStart = appended - carry.len;
                } else {
                    carry.append(buffer);
                    buffer.clear();
                }
            }
            end = appended;
            next = switchTo;
            nextAt = switchAt;
            done = switchDone;
        }
        carryLeft = carry.len > 0;
        try {
            if (next != null) {
                int k = (int) (nextAt - carryStart);
                if (k > 0) writeCarry(k);
                file.force();
                fsyncCount++;
                try {
                    file.close();
                } catch (IOException e) {
                    log.warn("Closing the previous AOF file failed: {}", e.toString());
                }
                file = next;
                filePos = 0;
                synchronized (lock) {
                    switchTo = null;
                    switchDone = null;
                }
                if (done != null) done.run();
            }
            if (carry.len > 0) {
                long writeStarted = System.nanoTime();
                writeCarry(carry.len);
                LatencyMonitor lm = latencyMonitor;
                if (lm != null) lm.addSampleIfNeeded("aof-write", (System.nanoTime() - writeStarted) / 1_000_000);
            }
            carryLeft = false;
            writtenSeq = end;
            Fsync p = policy;
            if (mayFsync && syncedSeq < end && (p == Fsync.ALWAYS || stop || fsyncDue())) {
                long now = System.nanoTime();
                file.force();
                fsyncCount++;
                LatencyMonitor lm = latencyMonitor;
                if (lm != null && p == Fsync.ALWAYS) lm.addSampleIfNeeded("aof-fsync-always", (System.nanoTime() - now) / 1_000_000);
                syncedSeq = end;
                lastFsyncNanos = now;
            }
            durableSeq = syncedSeq;
            if (error != null) {
                error = null;
                log.warn("AOF write error looks solved, Keyline can write again.");
            }
            return true;
        } catch (IOException | RuntimeException e) {
            if (error == null) {
                log.warn("Error writing to the AOF file: {}; refusing writes until it succeeds again (retrying every second)", e.toString());
            }
            error = "MISCONF Errors writing to the AOF file: " + reason(e);
            return false;
        }
    }

    private long waitMillis(boolean idle) {
        if (error != null) return 1000;
        if (!idle) return 10;
        if (policy == Fsync.EVERYSEC && syncedSeq < writtenSeq) {
            long left = 1000 - (System.nanoTime() - lastFsyncNanos) / 1_000_000;
            return Math.max(1, left);
        }
        return 1000;
    }

    private static String reason(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isEmpty()) return e.getClass().getSimpleName();
        return m;
    }

    /** Writes the first {@code n} carried bytes; on failure truncates the file back (no half commands). */
    private void writeCarry(int n) throws IOException {
        long start = filePos;
        try {
            file.write(ByteBuffer.wrap(carry.data, 0, n), start);
        } catch (IOException | RuntimeException e) {
            try {
                file.truncate(start);
            } catch (IOException t) {
                log.warn("Could not truncate the AOF back to {} after a failed write: {}", start, t.toString());
            }
            throw e;
        }
        filePos = start + n;
        carry.drop(n);
        carryStart += n;
    }

    private void runWaiters() {
        List<Runnable> ready = null;
        synchronized (waiters) {
            if (waiters.isEmpty()) return;
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (isDurable(w.seq)) {
                    if (ready == null) ready = new ArrayList<>();
                    ready.add(w.action);
                    it.remove();
                }
            }
        }
        if (ready == null) return;
        for (Runnable r : ready) {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.warn("A durability callback failed", e);
            }
        }
    }
}
