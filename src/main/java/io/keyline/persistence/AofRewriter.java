package io.keyline.persistence;

import io.keyline.engine.AofPreamble;
import io.keyline.store.Strings;
import io.keyline.store.AofRewritable;
import io.keyline.store.Database;
import io.keyline.store.Entry;
import io.keyline.store.Keyspace;
import io.keyline.store.Snapshot;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes a compact base file from the live keyspace, from a {@link Snapshot} (copy-on-write per
 * stripe, no stop-the-world).
 *
 * <p>Cut: {@link Keyspace#beginSnapshot} holds every stripe lock for an instant and runs
 * {@code atSwitch} there (the writer starts a new incr file); from then on every stripe is dumped
 * exactly as it was at that instant, by this thread or by the first client that locks it. A command
 * that ran before the switch is in the base and in the old incr files; one after it is in the new
 * incr file only, and not in the base (its stripes were dumped before it could touch them). Base +
 * new incr therefore replay to the live data, with nothing applied twice. A client waits at most for
 * the encoding of the stripes it locks (once per snapshot), never for the disk: encoded stripes go
 * to a {@link ChunkWriter} thread through a queue bounded by {@link #MAX_QUEUED_BYTES}.
 */
final class AofRewriter {
    private static final byte[] SET = "SET".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PXAT = "PXAT".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PEXPIREAT = "PEXPIREAT".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SELECT = "SELECT".getBytes(StandardCharsets.US_ASCII);
    /** Encoded stripes waiting for the disk, at most (beyond one stripe per encoding thread). */
    static final long MAX_QUEUED_BYTES = 8L << 20;

    private AofRewriter() {
    }

    /** Result of a dump: bytes written, keys dumped, and what the snapshot cost. */
    record Stats(long bytes, long keys, long peakQueuedBytes, long maxStripeNanos, long avgStripeNanos, long stripesDumpedByClients) {
    }

    /**
     * The {@code preamble}'s commands (the function libraries) first, as Redis's rewriteAppendOnlyFile,
     * then the keys; {@code progress} follows the dump for INFO, paces it and can kill it.
     */
    static Stats writeBase(Keyspace keyspace, AofPreamble preamble, Path target, Runnable atSwitch, SaveProgress progress)
            throws IOException {
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            LongAdder keys = new LongAdder();
            ChunkWriter out = new ChunkWriter(ch, MAX_QUEUED_BYTES, "keyline-aof-rewrite-writer");
            Snapshot snapshot;
            try {
                snapshot = keyspace.beginSnapshot((stripe, contents) -> dumpStripe(contents, out, keys), () -> {
                    progress.atCut(keyspace);
                    atSwitch.run();
                    // The libraries at the cut: no command can change them while every lock is held.
                    if (preamble != null) {
                        Resp r = new Resp(1 << 12);
                        for (byte[][] cmd : preamble.commands()) r.command(cmd);
                        out.put(r.data, r.len);
                    }
                });
            } catch (java.util.concurrent.CancellationException e) {
                out.abort();
                throw new IOException("rewrite cancelled");
            } catch (RuntimeException e) {
                out.abort();
                throw e;
            }
            progress.started(snapshot, out);
            try {
                snapshot.run(progress::pacedCancelCheck);
                progress.pace();
                if (progress.killed()) throw new java.util.concurrent.CancellationException("rewrite cancelled");
                out.finish();
            } catch (java.util.concurrent.CancellationException e) {
                out.abort();
                throw new IOException("rewrite cancelled");
            } catch (RuntimeException | IOException e) {
                out.abort();
                throw e;
            }
            ch.force(true);
            return new Stats(out.bytesWritten(), keys.sum(), out.peakQueuedBytes(), snapshot.maxStripeNanos(),
                    snapshot.totalStripeNanos() / snapshot.stripes(), snapshot.stripesDumpedByOthers());
        }
    }

    /**
     * One stripe as commands, under its lock (see {@link io.keyline.store.SnapshotSink}): keys past
     * their deadline at the cut are left out; each database's run starts with a SELECT, as the
     * stripes reach the file in any order.
     */
    private static void dumpStripe(Snapshot.StripeContents contents, ChunkWriter out, LongAdder keys) {
        Resp r = new Resp(1 << 14);
        long now = contents.cutMillis();
        int[] lastDb = {-1};
        contents.forEach((db, e) -> {
            long at = e.expireAt();
            if (at >= 0 && at <= now) return; // already expired: not worth keeping
            if (lastDb[0] != db) {
                r.command(new byte[][]{SELECT, Integer.toString(db).getBytes(StandardCharsets.US_ASCII)});
                lastDb[0] = db;
            }
            emit(r, e, at);
            keys.increment();
        });
        out.put(r.data, r.len);
    }

    private static void emit(Resp out, Entry e, long expireAt) {
        Object v = e.value();
        byte[] key = e.key();
        if (Strings.isString(v)) {
            byte[] s = Strings.bytes(v);
            if (expireAt >= 0) out.command(new byte[][]{SET, key, s, PXAT, Long.toString(expireAt).getBytes(StandardCharsets.US_ASCII)});
            else out.command(new byte[][]{SET, key, s});
            return;
        }
        if (v instanceof AofRewritable r) {
            r.emit(key, out::command);
            if (expireAt >= 0) out.command(new byte[][]{PEXPIREAT, key, Long.toString(expireAt).getBytes(StandardCharsets.US_ASCII)});
            return;
        }
        throw new IllegalStateException("cannot rewrite a value of type " + v.getClass().getName()
                + " (it must implement io.keyline.store.AofRewritable)");
    }
}
