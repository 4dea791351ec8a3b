package io.keyline.persistence;

import io.keyline.engine.CallContext;
import io.keyline.session.Client;
import io.keyline.engine.ServerContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Replays AOF files through the normal command table with a detached client (no auth, no
 * propagation). A truncated last command of the last file is cut off (aof-load-truncated), a
 * transaction left open at the end is dropped; anything else malformed stops the load with an
 * {@link IOException} naming the file and byte offset.
 */
final class AofLoader {
    private static final Logger log = LoggerFactory.getLogger(AofLoader.class);

    private final ServerContext ctx;
    private final boolean loadTruncated;
    volatile long totalBytes;
    volatile long loadedBytes;
    volatile long startMillis;
    long commands;
    private long doneBytes; // bytes of files finished
    private long lastProgressNanos;
    private long startNanos;
    private int warnings;
    /** Runs before each replayed command with the replaying client (DEBUG RELOAD MERGE / NOFLUSH). */
    java.util.function.BiConsumer<Client, byte[][]> beforeCommand;
    /** Loads a file's RDB preamble (a {@code .base.rdb}, or a base starting with "REDIS"). */
    java.util.function.Supplier<RdbLoader> preambleLoader;

    AofLoader(ServerContext ctx, boolean loadTruncated) {
        this.ctx = ctx;
        this.loadTruncated = loadTruncated;
    }

    /** Loads {@code files} (in {@code dir}) in order; only the last one may end truncated. */
    void load(Path dir, List<String> files) throws IOException {
        startMillis = System.currentTimeMillis();
        startNanos = System.nanoTime();
        lastProgressNanos = startNanos;
        long total = 0;
        for (String f : files) {
            Path p = dir.resolve(f);
            if (!Files.exists(p)) throw new IOException("The AOF file " + p + " listed in the manifest doesn't exist");
            total += Files.size(p);
        }
        totalBytes = total;
        long keysBefore = ctx.keyspace().keyCount();
        for (int i = 0; i < files.size(); i++) {
            Path p = dir.resolve(files.get(i));
            loadFile(p, i == files.size() - 1);
        }
        double secs = (System.nanoTime() - startNanos) / 1e9;
        log.info("DB loaded from append only file: {} seconds ({} keys, {} commands, {} bytes)",
                String.format("%.3f", secs), ctx.keyspace().keyCount() - keysBefore, commands, total);
    }

    private void loadFile(Path path, boolean last) throws IOException {
        long size = Files.size(path);
        if (size == 0) {
            log.info("AOF file {} is empty", path.getFileName());
            return;
        }
        Client client = new Client(ctx.keyspace(), () -> false, 0);
        CallContext replay = ctx.dispatcher().replayContext(client);
        client.authenticated(true);
        ByteBuf replies = Unpooled.buffer(256);
        client.reply.buffer(replies);
        long validBeforeMulti = -1;
        long lastGood = 0;
        long skip = 0; // bytes of an RDB preamble before the RESP commands
        if (startsWithRdb(path)) {
            if (preambleLoader == null) throw new IOException("The AOF file " + path + " starts with an RDB preamble");
            log.info("Reading RDB base file on AOF loading...");
            RdbLoader rdb = preambleLoader.get();
            skip = rdb.load(path).endOffset();
            log.info("Done loading RDB base of {}, keys loaded: {}", path.getFileName(), rdb.loaded);
            loadedBytes = doneBytes + skip;
            if (skip == size) {
                doneBytes += size;
                return;
            }
            log.info("Reading the remaining AOF tail...");
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
             AofReader reader = new AofReader(skipped(in, skip))) {
            while (true) {
                byte[][] argv;
                try {
                    argv = reader.next();
                } catch (AofReader.TruncatedException e) {
                    long cut = skip + (validBeforeMulti >= 0 ? validBeforeMulti : lastGood);
                    if (!last || !loadTruncated) {
                        throw new IOException("Unexpected end of file reading the append only file " + path + " at offset "
                                + (skip + lastGood) + (last ? " (aof-load-truncated is no)" : " (not the last file)")
                                + ". Fix it with keyline-server --check-aof --fix " + path);
                    }
                    log.warn("!!! Warning: short read while loading the AOF file {} !!!", path);
                    log.warn("!!! Truncating the AOF {} at offset {} !!!", path, cut);
                    truncate(path, cut);
                    log.warn("AOF {} loaded anyway because aof-load-truncated is enabled", path);
                    break;
                } catch (AofReader.CorruptException e) {
                    throw new IOException("Bad file format reading the append only file " + path + " at offset "
                            + (skip + e.offset) + ": " + e.getMessage() + ". Check it with keyline-server --check-aof " + path);
                }
                if (argv == null) {
                    if (validBeforeMulti >= 0) {
                        if (!last) throw new IOException("Unfinished MULTI in the append only file " + path + " at offset " + (skip + validBeforeMulti));
                        log.warn("Revert incomplete MULTI/EXEC transaction in AOF file {} at offset {}", path, skip + validBeforeMulti);
                        truncate(path, skip + validBeforeMulti);
                    }
                    break;
                }
                if (ctx.table().lookup(argv[0]) == null) {
                    throw new IOException("Unknown command '" + new String(argv[0], StandardCharsets.UTF_8)
                            + "' reading the append only file " + path + " at offset " + (skip + reader.commandStart()));
                }
                if (isCommand(argv, "multi")) validBeforeMulti = reader.commandStart();
                replies.clear();
                if (beforeCommand != null) beforeCommand.accept(client, argv);
                ctx.dispatcher().replay(replay, argv);
                if (replies.isReadable() && replies.getByte(replies.readerIndex()) == '-' && warnings++ < 10) {
                    log.warn("Command '{}' at offset {} of {} failed while loading: {}", new String(argv[0], StandardCharsets.UTF_8),
                            reader.commandStart(), path.getFileName(), replies.toString(StandardCharsets.UTF_8).trim());
                }
                if (isCommand(argv, "exec")) validBeforeMulti = -1;
                commands++;
                lastGood = reader.offset();
                loadedBytes = doneBytes + skip + lastGood;
                if ((commands & 1023) == 0) progress();
            }
        } finally {
            replies.release();
        }
        doneBytes += size;
        loadedBytes = doneBytes;
    }

    /** Whether the file begins with an RDB's magic (a preamble, Redis's aof-use-rdb-preamble). */
    private static boolean startsWithRdb(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] head = in.readNBytes(5);
            return head.length == 5 && new String(head, StandardCharsets.US_ASCII).equals("REDIS");
        }
    }

    private static InputStream skipped(InputStream in, long n) throws IOException {
        in.skipNBytes(n);
        return in;
    }

    private static boolean isCommand(byte[][] argv, String lower) {
        return argv.length == 1 && new String(argv[0], StandardCharsets.US_ASCII).equalsIgnoreCase(lower);
    }

    private void progress() {
        long now = System.nanoTime();
        if (now - lastProgressNanos < 1_000_000_000L) return;
        lastProgressNanos = now;
        double secs = (now - startNanos) / 1e9;
        long loaded = loadedBytes;
        long total = Math.max(1, totalBytes);
        log.info("Loading AOF: {}/{} bytes ({}%), {} keys, {} commands, {} MB/s", loaded, totalBytes,
                String.format("%.1f", loaded * 100.0 / total), ctx.keyspace().keyCount(), commands,
                String.format("%.1f", loaded / 1e6 / Math.max(secs, 1e-3)));
    }

    private static void truncate(Path path, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
            ch.truncate(size);
            ch.force(true);
        }
    }
}
