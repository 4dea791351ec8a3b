package io.keyline.persistence;

import io.keyline.persistence.rdb.RdbFileReader;
import io.keyline.persistence.rdb.RdbFormatException;
import io.keyline.store.EncodingLimits;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * {@code --check-rdb FILE}, printing what Redis 7.2's {@code redis-check-rdb} prints: each AUX
 * field and database selector with the offset where it ends, the checksum verdict and
 * {@code \o/ RDB looks OK! \o/} with the key counts; or {@code --- RDB ERROR DETECTED ---}, the
 * offset reached and the reason in Redis's words where Redis has them (a short read is "Unexpected
 * EOF reading RDB file", a bad checksum "RDB CRC error"; a corrupt value is described in
 * Keyline's words), the stage, key and type being read, and the counts so far. Every value is
 * decoded as a load would. Exit code 0 when the file is good, 1 otherwise.
 */
public final class RdbCheck {
    /** redis-check-rdb's rdb_type_string (7.2), indexed by RDB type byte. */
    private static final String[] TYPE_NAMES = {"string", "list-linked", "set-hashtable", "zset-v1", "hash-hashtable",
            "zset-v2", "module-pre-release", "module-value", "", "hash-zipmap", "list-ziplist", "set-intset",
            "zset-ziplist", "hash-ziplist", "quicklist", "stream", "hash-listpack", "zset-listpack", "quicklist-v2",
            "stream-v2", "set-listpack", "stream-v3"};

    private RdbCheck() {
    }

    public static int run(Path file, PrintStream out) {
        out.println("[offset 0] Checking RDB file " + file);
        long[] keys = {0, 0, 0}; // read, with an expire, already expired
        long now = System.currentTimeMillis();
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            // redis-check-rdb exits 1 without a word when it cannot open the file; a reason helps.
            out.println("Fatal error: can't open the RDB file " + file + " for reading: " + e.getMessage());
            return 1;
        }
        LongSupplier[] offset = {() -> 0};
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            RdbFileReader.Summary s = RdbFileReader.read(in, size, EncodingLimits.DEFAULTS, Integer.MAX_VALUE, true,
                    new RdbFileReader.Sink() {
                        @Override
                        public void position(LongSupplier reader) {
                            offset[0] = reader;
                        }

                        @Override
                        public void aux(byte[] key, byte[] value) {
                            out.println("[offset " + offset[0].getAsLong() + "] AUX FIELD " + text(key) + " = '" + text(value) + "'");
                        }

                        @Override
                        public void selectDb(int db) {
                            out.println("[offset " + offset[0].getAsLong() + "] Selecting DB ID " + db);
                        }

                        @Override
                        public void entry(int db, byte[] key, Object value, long expireAt, long lruIdleSeconds, int lfuFreq) {
                            keys[0]++;
                            if (expireAt != -1) { // as redis-check-rdb: any stored deadline, even a negative one
                                keys[1]++;
                                if (expireAt < now) keys[2]++;
                            }
                        }
                    });
            if (s.version() >= 5) {
                out.println("[offset " + s.endOffset() + "] " + (s.checksum() == 0
                        ? "RDB file was saved with checksum disabled: no check performed." : "Checksum OK"));
            }
            out.println("[offset " + s.endOffset() + "] \\o/ RDB looks OK! \\o/");
            info(out, keys);
            return 0;
        } catch (RdbFormatException e) {
            RdbFormatException.Where w = e.where();
            out.println("--- RDB ERROR DETECTED ---");
            if (w == null) {
                out.println("[offset " + offset[0].getAsLong() + "] " + e.getMessage());
            } else {
                out.println("[offset " + w.offset() + "] " + w.reason());
                out.println("[additional info] While doing: " + w.doing());
                if (w.key() != null) {
                    out.println("[additional info] Reading key '" + text(w.key()) + "'");
                    keys[0]++; // redis-check-rdb counts a key once its name is read
                }
                if (w.type() != -1) {
                    String name = w.type() >= 0 && w.type() < TYPE_NAMES.length ? TYPE_NAMES[w.type()] : "unknown";
                    out.println("[additional info] Reading type " + w.type() + " (" + name + ")");
                }
            }
            info(out, keys);
            return 1;
        } catch (IOException e) {
            out.println("--- RDB ERROR DETECTED ---");
            out.println("[offset " + offset[0].getAsLong() + "] " + e.getMessage());
            info(out, keys);
            return 1;
        }
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void info(PrintStream out, long[] keys) {
        out.println("[info] " + keys[0] + " keys read");
        out.println("[info] " + keys[1] + " expires");
        out.println("[info] " + keys[2] + " already expired");
    }
}
