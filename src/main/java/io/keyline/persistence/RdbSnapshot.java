package io.keyline.persistence;

import io.keyline.engine.AofPreamble;
import io.keyline.engine.ServerContext;
import io.keyline.persistence.rdb.RdbFileWriter;
import io.keyline.store.Database;
import io.keyline.store.EvictionPolicy;
import io.keyline.store.Keyspace;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Writes the keyspace as an RDB file (SAVE, SHUTDOWN, DEBUG RELOAD, the AOF's RDB preamble) with
 * {@link RdbFileWriter}: the auxiliary fields Redis 7.2 writes, the function libraries, then the keys.
 *
 * <p>Two ways to hold the data still. {@link #saveLocked} (SAVE, which blocks in Redis too) holds every
 * stripe for the whole dump and writes database by database with Redis's RESIZEDB hints.
 * {@link #writeStriped} (the AOF preamble) takes every stripe, runs {@code atSwitch}, then dumps
 * stripe by stripe, releasing each once written (the AofRewriter's point-in-time argument: a
 * command that changes a dumped stripe runs after the switch, so it is in the new incr file, not in
 * the base); records then switch database with repeated SELECTDBs, which RDB allows.
 */
final class RdbSnapshot {
    private RdbSnapshot() {
    }

    /** Result of a dump: bytes written and keys dumped. */
    record Stats(long bytes, long keys) {
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
            return new Stats(bytes, w.keys());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The AOF preamble: see the class comment. */
    static Stats writeStriped(ServerContext ctx, Options o, Path target, Runnable atSwitch, BooleanSupplier cancelled)
            throws IOException {
        Keyspace ks = ctx.keyspace();
        int stripes = ks.stripes();
        try (FileOutputStream fos = new FileOutputStream(target.toFile())) {
            RdbFileWriter w;
            int released = 0;
            ks.lockAll();
            try {
                atSwitch.run();
                w = header(ctx, o, fos, true);
                long now = ks.clock().millis();
                for (int s = 0; s < stripes; s++) {
                    if (cancelled.getAsBoolean()) throw new IOException("rewrite cancelled");
                    for (int d = 0; d < ks.databaseCount(); d++) dumpStripe(ks, ks.db(d), s, w, now);
                    ks.unlock(s);
                    released = s + 1;
                }
            } finally {
                for (int s = released; s < stripes; s++) ks.unlock(s);
            }
            long bytes = w.finish();
            fos.getFD().sync();
            return new Stats(bytes, w.keys());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static RdbFileWriter header(ServerContext ctx, Options o, FileOutputStream fos, boolean aofBase) throws IOException {
        RdbFileWriter w = new RdbFileWriter(fos, o.version(), o.compress(), o.checksum(), o.streamNodeMaxEntries());
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
