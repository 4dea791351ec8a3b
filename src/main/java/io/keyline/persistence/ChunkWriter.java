package io.keyline.persistence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;

/**
 * Writes byte chunks to a file on its own thread, in the order they were handed over, through a
 * queue bounded in bytes: the way a {@link io.keyline.store.SnapshotSink} gets each encoded stripe
 * out of memory as soon as it is encoded. {@link #put} is called under a stripe lock (by the
 * snapshot's thread or by a client that touched the stripe first), so it never does I/O itself; it
 * blocks only while more than {@code maxQueuedBytes} wait for the disk (back-pressure, so the extra
 * memory of a snapshot is at most that bound plus one stripe per thread that is encoding).
 *
 * <p>A write error is kept and rethrown by {@link #finish()}; chunks handed over after it are
 * dropped (never blocking their caller).
 */
public final class ChunkWriter {
    private final FileChannel channel;
    private final long maxQueuedBytes;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final ArrayDeque<Integer> lengths = new ArrayDeque<>();
    private final Thread thread;
    private long queuedBytes;
    private long peakQueuedBytes;
    private long written;
    private boolean closed;
    private boolean aborted;
    private IOException error;

    /** Sees every chunk once it is written, in file order, on the writer thread (e.g. an RDB writer's CRC64). */
    @FunctionalInterface
    public interface Observer {
        void written(byte[] data, int len);
    }

    private final Observer observer;

    public ChunkWriter(FileChannel channel, long maxQueuedBytes, String threadName) {
        this(channel, maxQueuedBytes, threadName, null);
    }

    /**
     * Starts the writer thread. The file is written from its current position; after
     * {@link #finish()} the caller may append a trailer and must sync and close the channel.
     */
    public ChunkWriter(FileChannel channel, long maxQueuedBytes, String threadName, Observer observer) {
        this.channel = channel;
        this.maxQueuedBytes = maxQueuedBytes;
        this.observer = observer;
        this.thread = new Thread(this::loop, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Hands {@code data[0..len)} over (the array is the writer's from now on). Blocks while the
     * queue is over its bound and not empty.
     */
    public void put(byte[] data, int len) {
        if (len == 0) return;
        boolean interrupted = false;
        synchronized (this) {
            if (aborted) return;
            if (closed) throw new IllegalStateException("chunk writer finished");
            while (error == null && queuedBytes > 0 && queuedBytes + len > maxQueuedBytes) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true; // keep the data: the snapshot must stay whole
                }
            }
            if (error == null && !aborted) {
                queue.add(data);
                lengths.add(len);
                queuedBytes += len;
                peakQueuedBytes = Math.max(peakQueuedBytes, queuedBytes);
                notifyAll();
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private void loop() {
        while (true) {
            byte[] data;
            int len;
            synchronized (this) {
                while (queue.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (queue.isEmpty()) return; // closed and drained
                data = queue.poll();
                len = lengths.poll();
            }
            IOException failed = null;
            try {
                ByteBuffer b = ByteBuffer.wrap(data, 0, len);
                while (b.hasRemaining()) channel.write(b);
                if (observer != null) observer.written(data, len);
            } catch (IOException e) {
                failed = e;
            } catch (RuntimeException e) { // e.g. a channel not open for writing: still unblock every producer
                failed = new IOException(e);
            }
            synchronized (this) {
                if (aborted) return;
                queuedBytes -= len;
                if (failed != null) {
                    error = failed;
                    queue.clear();
                    lengths.clear();
                    queuedBytes = 0;
                } else {
                    written += len;
                }
                notifyAll();
                if (failed != null) return;
            }
        }
    }

    /** Waits until every chunk is written (not synced); rethrows a write error. */
    public void finish() throws IOException {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing the snapshot");
        }
        synchronized (this) {
            if (error != null) throw error;
        }
    }

    /** Stops without waiting for the queue (after a failed or cancelled snapshot). */
    public void abort() {
        synchronized (this) {
            closed = true;
            aborted = true;
            queue.clear();
            lengths.clear();
            queuedBytes = 0;
            notifyAll();
        }
    }

    public synchronized long bytesWritten() {
        return written;
    }

    /** Encoded bytes waiting for the disk right now (INFO's current_cow_size while a save runs). */
    public synchronized long queuedBytes() {
        return queuedBytes;
    }

    /** The most bytes that waited in the queue at once (the snapshot's extra memory, besides the encoders). */
    public synchronized long peakQueuedBytes() {
        return peakQueuedBytes;
    }
}
