package io.keyline.persistence;

import io.keyline.engine.CallContext;
import io.keyline.engine.ServerContext;
import io.keyline.persistence.rdb.RdbFileReader;
import io.keyline.persistence.rdb.RdbFormatException;
import io.keyline.session.Client;
import io.keyline.store.Database;
import io.keyline.store.Entry;
import io.keyline.store.Keyspace;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads an RDB file (or an AOF's RDB preamble) into the keyspace, as Redis's {@code rdbLoad}: keys
 * already past their deadline are dropped (not in a preamble, whose incr files may still touch
 * them), LRU/LFU hints applied, function libraries loaded through FUNCTION LOAD, progress logged.
 * Any corruption is an {@link IOException} naming the file and offset; the caller refuses the data
 * (start-up fails), as Redis exits.
 */
final class RdbLoader implements RdbFileReader.Sink {
    private static final Logger log = LoggerFactory.getLogger(RdbLoader.class);
    private static final byte[] FUNCTION = "FUNCTION".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LOAD = "LOAD".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REPLACE = "REPLACE".getBytes(StandardCharsets.US_ASCII);

    /** What to do with a key the keyspace already holds (DEBUG RELOAD NOFLUSH [MERGE]). */
    enum Duplicates { FAIL, REPLACE }

    private final ServerContext ctx;
    private final Keyspace ks;
    private final boolean preamble;
    private final Duplicates duplicates;
    private final long now;
    volatile long totalBytes;
    volatile long loadedBytes;
    volatile long startMillis;
    long loaded;
    long expired;
    private long lastProgressNanos;
    private Client client;
    private CallContext replay;
    private ByteBuf replies;

    /** FUNCTION LOAD REPLACE: a library already loaded is replaced (DEBUG RELOAD, MERGE). */
    boolean replaceFunctions;

    RdbLoader(ServerContext ctx, boolean preamble, Duplicates duplicates) {
        this.ctx = ctx;
        this.ks = ctx.keyspace();
        this.preamble = preamble;
        this.duplicates = duplicates;
        this.now = ks.clock().millis();
    }

    /** Reads {@code file} from its start; returns the summary (its endOffset is where an AOF's RESP tail starts). */
    RdbFileReader.Summary load(Path file) throws IOException {
        startMillis = System.currentTimeMillis();
        lastProgressNanos = System.nanoTime();
        long size = Files.size(file);
        totalBytes = size;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return RdbFileReader.read(in, size, ctx.encodingLimits(), ks.databaseCount(), ctx.config().getBool("rdbchecksum"), this);
        } catch (RdbFormatException e) {
            throw new IOException("Bad RDB file " + file + ": " + e.getMessage(), e);
        } catch (DuplicateKey e) {
            throw e;
        } finally {
            loadedBytes = size;
            if (replies != null) replies.release();
        }
    }

    @Override
    public void aux(byte[] key, byte[] value) {
        String k = new String(key, StandardCharsets.UTF_8);
        String v = new String(value, StandardCharsets.UTF_8);
        switch (k) {
            case "redis-ver" -> log.info("Loading RDB produced by version {}", v);
            case "ctime" -> {
                try {
                    long age = Math.max(0, System.currentTimeMillis() / 1000 - Long.parseLong(v));
                    log.info("RDB age {} seconds", age);
                } catch (NumberFormatException ignored) {
                    // an odd ctime is not worth failing the load for (Redis ignores it too)
                }
            }
            case "used-mem" -> {
                try {
                    log.info("RDB memory usage when created {} Mb", String.format("%.2f", Long.parseLong(v) / 1024.0 / 1024.0));
                } catch (NumberFormatException ignored) {
                    // as above
                }
            }
            case "aof-base" -> {
                if (!"0".equals(v)) log.info("RDB is base AOF");
            }
            default -> log.debug("Unrecognized RDB AUX field: '{}'", k);
        }
    }

    @Override
    public void function(byte[] code) {
        if (client == null) {
            client = new Client(ks, () -> false, 0);
            client.authenticated(true);
            replay = ctx.dispatcher().replayContext(client);
            replies = Unpooled.buffer(256);
            client.reply.buffer(replies);
        }
        replies.clear();
        byte[][] argv = replaceFunctions || duplicates == Duplicates.REPLACE ? new byte[][]{FUNCTION, LOAD, REPLACE, code} : new byte[][]{FUNCTION, LOAD, code};
        ctx.dispatcher().replay(replay, argv);
        if (replies.isReadable() && replies.getByte(replies.readerIndex()) == '-') {
            throw new RdbFormatException("Failed loading library: " + replies.toString(StandardCharsets.UTF_8).trim());
        }
    }

    @Override
    public void entry(int dbIndex, byte[] key, Object value, long expireAt, long lruIdleSeconds, int lfuFreq) {
        if (expireAt >= 0 && expireAt < now && !preamble) {
            expired++;
            return;
        }
        Database db = ks.db(dbIndex);
        if (db.holds(key)) {
            if (duplicates == Duplicates.FAIL) throw new DuplicateKey(dbIndex, key);
            db.remove(key);
        }
        db.set(key, value, expireAt >= 0 ? expireAt : Database.NO_TTL);
        if (lruIdleSeconds >= 0 || lfuFreq >= 0) {
            Entry e = db.peek(key);
            if (e != null) ks.setAccess(e, lfuFreq, lruIdleSeconds);
        }
        loaded++;
    }

    @Override
    public void progress(long offset) {
        loadedBytes = offset;
        long t = System.nanoTime();
        if (t - lastProgressNanos < 1_000_000_000L) return;
        lastProgressNanos = t;
        log.info("Loading RDB: {}/{} bytes ({}%), {} keys", offset, totalBytes,
                String.format("%.1f", offset * 100.0 / Math.max(1, totalBytes)), loaded);
    }

    /** A key both in memory and in the file without MERGE (Redis: "Duplicate key ... found in RDB file"). */
    static final class DuplicateKey extends RuntimeException {
        final int db;
        final String key;

        DuplicateKey(int db, byte[] key) {
            super("Duplicate key '" + new String(key, StandardCharsets.UTF_8) + "' found in RDB file (DB " + db + ")", null, false, false);
            this.db = db;
            this.key = new String(key, StandardCharsets.UTF_8);
        }
    }
}
