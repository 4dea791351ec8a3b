package io.keyline.persistence;

import io.keyline.engine.AofPreamble;
import io.keyline.store.Strings;
import io.keyline.store.AofRewritable;
import io.keyline.store.Database;
import io.keyline.store.Entry;
import io.keyline.store.Keyspace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.BooleanSupplier;

/**
 * Writes a compact base file from the live keyspace.
 *
 * <p>Consistency without fork: every stripe lock is taken, {@code atSwitch} runs (the writer starts
 * a new incr file there), then the stripes are dumped in order, each one released right after it
 * was encoded. A command that runs after the switch needs the locks of all its keys, so it can
 * only run once all of them were dumped: its effect is not in the base and it is in the new incr
 * file; a command before the switch is in the base and in the old incr files. Base + new incr
 * therefore replay to the live data, with nothing applied twice. Clients of a stripe wait at most
 * until that stripe is encoded to memory.
 */
final class AofRewriter {
    private static final byte[] SET = "SET".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PXAT = "PXAT".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PEXPIREAT = "PEXPIREAT".getBytes(StandardCharsets.US_ASCII);

    private AofRewriter() {
    }

    /** Result of a dump: bytes written and keys dumped. */
    record Stats(long bytes, long keys) {
    }

    static Stats writeBase(Keyspace keyspace, Path target, Runnable atSwitch, BooleanSupplier cancelled) throws IOException {
        return writeBase(keyspace, null, target, atSwitch, cancelled);
    }

    /** As above, the {@code preamble}'s commands (the function libraries) first, as Redis's rewriteAppendOnlyFile. */
    static Stats writeBase(Keyspace keyspace, AofPreamble preamble, Path target, Runnable atSwitch, BooleanSupplier cancelled)
            throws IOException {
        int stripes = keyspace.stripes();
        int dbs = keyspace.databaseCount();
        Resp out = new Resp(1 << 16);
        long bytes = 0;
        long[] keys = {0};
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            int released = 0;
            keyspace.lockAll();
            try {
                atSwitch.run();
                if (preamble != null) for (byte[][] cmd : preamble.commands()) out.command(cmd);
                long now = keyspace.clock().millis();
                int[] lastDb = {-1};
                for (int s = 0; s < stripes; s++) {
                    if (cancelled.getAsBoolean()) throw new IOException("rewrite cancelled");
                    for (int d = 0; d < dbs; d++) {
                        Database db = keyspace.db(d);
                        int dbIndex = d;
                        db.forEachInStripe(s, e -> {
                            long at = e.expireAt();
                            if (at >= 0 && at <= now) return; // already expired: not worth keeping
                            if (lastDb[0] != dbIndex) {
                                out.select(dbIndex);
                                lastDb[0] = dbIndex;
                            }
                            emit(out, e, at);
                            keys[0]++;
                        });
                    }
                    keyspace.unlock(s);
                    released = s + 1;
                    bytes += flush(ch, out);
                }
            } finally {
                for (int s = released; s < stripes; s++) keyspace.unlock(s);
            }
            bytes += flush(ch, out);
            ch.force(true);
        }
        return new Stats(bytes, keys[0]);
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

    private static long flush(FileChannel ch, Resp out) throws IOException {
        if (out.len == 0) return 0;
        ByteBuffer b = ByteBuffer.wrap(out.data, 0, out.len);
        while (b.hasRemaining()) ch.write(b);
        long n = out.len;
        out.clear();
        if (out.data.length > (4 << 20)) out.data = new byte[1 << 16];
        return n;
    }
}
