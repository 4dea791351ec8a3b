package io.keyline.persistence;

import io.keyline.engine.AofPreamble;
import io.keyline.engine.ServerContext;
import io.keyline.persistence.rdb.RdbFileWriter;
import io.keyline.store.Database;
import io.keyline.store.EvictionPolicy;
import io.keyline.store.Keyspace;

import io.keyline.persistence.rdb.Rdb;
import io.keyline.store.Snapshot;
import io.keyline.util.Crc64;

import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes the keyspace as an RDB file (SAVE, SHUTDOWN, DEBUG RELOAD, the AOF's RDB preamble) with
 * {@link RdbFileWriter}: the auxiliary fields Redis 7.2 writes, the function libraries, then the keys.
 *
 * <p>Two ways to hold the data still. {@link #saveLocked} (SAVE, which blocks in Redis too) holds every
 * stripe for the whole dump and writes database by database with Redis's RESIZEDB hints.
 * {@link #writeSnapshot} (BGSAVE, the AOF preamble) takes a {@link Snapshot} (copy-on-write per
 * stripe, as {@link AofRewriter}): the header, aux fields and libraries are encoded at the cut, each
 * stripe into its own in-memory chunk (starting with a SELECTDB: stripes reach the file in any order,
 * which RDB allows) by whichever thread locks it first, and a {@link ChunkWriter} thread writes the
 * chunks in order, computing the CRC64 as they pass; EOF and the checksum close the file. Clients
 * never wait for the disk, only for the encoding of a stripe they touch first.
 */
final class RdbSnapshot {
    private RdbSnapshot() {
    }

    /** Result of a dump: bytes written and keys dumped. */
    record Stats(long bytes, long keys, long peakQueuedBytes) {
    }

    /** The file's settings, from the configuration. */
    record Options(int version, boolean compress, boolean checksum, int streamNodeMaxEntries) {
        static Options of(ServerContext ctx) {
            var c = ctx.config();
            return new Options((int) c.getLong("rdb-version"), c.getBool("rdbcompression"), c.getBool("rdbchecksum"),
                    ctx.encodingLimits().streamNodeMaxEntries);
        }
    }

    /** SAVE: writes {@code target} while the caller holds every stripe lock; fsyncs it. */
    static Stats saveLocked(ServerContext ctx, Options o, Path target) throws IOException {
        Keyspace ks = ctx.keyspace();
        try (FileOutputStream fos = new FileOutputStream(target.toFile())) {
            RdbFileWriter w = header(ctx, o, fos, false);
            long now = ks.clock().millis();
            for (int d = 0; d < ks.databaseCount(); d++) {
                Database db = ks.db(d);
                long size = db.size();
                if (size == 0) continue;
                w.selectDb(d, size, db.volatileSize());
                for (int s = 0; s < ks.stripes(); s++) dumpStripe(ks, db, s, w, now);
            }
            long bytes = w.finish();
            fos.getFD().sync();
            return new Stats(bytes, w.keys(), 0);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * BGSAVE and the AOF's RDB preamble: the file from a {@link Snapshot} (see the class comment).
     * {@code atCut} runs under every stripe lock at the cut; {@code progress} follows the save for
     * INFO, paces it ({@code rdb-key-save-delay}) and can kill it: a killed save fails with an
     * IOException.
     */
    static Stats writeSnapshot(ServerContext ctx, Options o, Path target, boolean aofBase, Runnable atCut,
                               SaveProgress progress) throws IOException {
        Keyspace ks = ctx.keyspace();
        EvictionPolicy policy = ks.policy();
        boolean lfu = policy != null && policy.lfu();
        boolean lru = policy == EvictionPolicy.ALLKEYS_LRU || policy == EvictionPolicy.VOLATILE_LRU;
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            // CRC64 of every byte before the checksum, in file order, on the writer thread
            long[] crc = {0};
            ChunkWriter out = new ChunkWriter(ch, AofRewriter.MAX_QUEUED_BYTES, "keyline-rdb-writer",
                    o.checksum() ? (data, len) -> crc[0] = Crc64.update(crc[0], data, 0, len) : null);
            LongAdder keys = new LongAdder();
            Snapshot snapshot;
            try {
                snapshot = ks.beginSnapshot((stripe, contents) -> dumpStripe(contents, o, out, keys, lru, lfu), () -> {
                    progress.atCut(ks);
                    if (atCut != null) atCut.run();
                    // Header, aux fields and libraries as they are at the cut (every lock is held).
                    Chunk c = new Chunk(1 << 12);
                    try {
                        RdbFileWriter w = new RdbFileWriter(c, o.version(), o.compress(), false, o.streamNodeMaxEntries());
                        header(ctx, w, aofBase);
                        w.drain();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    out.put(c.data(), c.size());
                });
            } catch (UncheckedIOException e) {
                out.abort();
                throw e.getCause();
            } catch (CancellationException e) {
                out.abort();
                throw new IOException("snapshot cancelled");
            } catch (RuntimeException e) {
                out.abort();
                throw e;
            }
            progress.started(snapshot, out);
            try {
                snapshot.run(progress::pacedCancelCheck);
                progress.pace(); // the delay owed for the last stripes
                if (progress.killed()) throw new CancellationException("snapshot cancelled");
                out.put(new byte[]{(byte) Rdb.OPCODE_EOF}, 1);
                out.finish();
            } catch (CancellationException e) {
                out.abort();
                throw new IOException("snapshot cancelled");
            } catch (UncheckedIOException e) {
                out.abort();
                throw e.getCause();
            } catch (RuntimeException | IOException e) {
                out.abort();
                throw e;
            }
            ByteBuffer sum = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(o.checksum() ? crc[0] : 0).flip();
            while (sum.hasRemaining()) ch.write(sum);
            ch.force(true);
            return new Stats(out.bytesWritten() + 8, keys.sum(), out.peakQueuedBytes());
        }
    }

    /**
     * One stripe as RDB records, under its lock (see {@link io.keyline.store.SnapshotSink}): encoded
     * into memory by a chunk writer (its first record starts with a SELECTDB, as the stripes reach
     * the file in any order) and handed to the file's writer thread.
     */
    private static void dumpStripe(Snapshot.StripeContents contents, Options o, ChunkWriter out, LongAdder keys,
                                   boolean lru, boolean lfu) {
        Keyspace ks = contents.keyspace();
        long now = contents.cutMillis();
        Chunk c = new Chunk(1 << 12);
        RdbFileWriter w = RdbFileWriter.chunk(c, o.version(), o.compress(), o.streamNodeMaxEntries());
        try {
            contents.forEach((db, e) -> {
                long at = e.expireAt();
                if (at >= 0 && at < now) return; // already expired at the cut: a load would drop it anyway
                try {
                    if (!w.entry(db, e.key(), e.value(), at, lru ? ks.idleSeconds(e) : -1, lfu ? ks.lfuDecayed(e) : -1)) {
                        throw new IllegalStateException("cannot save a value of type " + e.value().getClass().getName());
                    }
                } catch (IOException x) {
                    throw new UncheckedIOException(x);
                }
            });
            w.drain();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        keys.add(w.keys());
        out.put(c.data(), c.size());
    }

    /** An in-memory chunk whose array is handed to the {@link ChunkWriter} as it is (no copy). */
    private static final class Chunk extends ByteArrayOutputStream {
        Chunk(int size) {
            super(size);
        }

        byte[] data() {
            return buf;
        }
    }

    private static RdbFileWriter header(ServerContext ctx, Options o, FileOutputStream fos, boolean aofBase) throws IOException {
        return header(ctx, new RdbFileWriter(fos, o.version(), o.compress(), o.checksum(), o.streamNodeMaxEntries()), aofBase);
    }

    private static RdbFileWriter header(ServerContext ctx, RdbFileWriter w, boolean aofBase) throws IOException {
        w.standardAux(ServerContext.VERSION, ctx.keyspace().clock().millis() / 1000, ctx.keyspace().usedMemory(),
                null, 0, 0, aofBase);
        AofPreamble functions = ctx.service(AofPreamble.class);
        if (functions != null) {
            // FUNCTION LOAD <code> per library: the code is the last argument
            for (byte[][] cmd : functions.commands()) w.function(cmd[cmd.length - 1]);
        }
        return w;
    }

    private static void dumpStripe(Keyspace ks, Database db, int stripe, RdbFileWriter w, long now) {
        EvictionPolicy policy = ks.policy();
        boolean lfu = policy != null && policy.lfu();
        boolean lru = policy == EvictionPolicy.ALLKEYS_LRU || policy == EvictionPolicy.VOLATILE_LRU;
        int d = db.id();
        db.forEachInStripe(stripe, e -> {
            long at = e.expireAt();
            if (at >= 0 && at < now) return; // already expired: a load would drop it anyway
            try {
                if (!w.entry(d, e.key(), e.value(), at, lru ? ks.idleSeconds(e) : -1, lfu ? ks.lfuDecayed(e) : -1)) {
                    throw new IllegalStateException("cannot save a value of type " + e.value().getClass().getName());
                }
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
        });
    }
}
