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

/**
 * {@code --check-rdb FILE}, like {@code redis-check-rdb}: reads the whole file with every value
 * decoded and the checksum verified, prints the AUX fields and a summary, or the offset and reason
 * of the first error. Exit code 0 when the file is good, 1 otherwise.
 */
public final class RdbCheck {
    private RdbCheck() {
    }

    public static int run(Path file, PrintStream out) {
        out.println("[offset 0] Checking RDB file " + file.getFileName());
        long[] keys = {0, 0, 0}; // read, with an expire, already expired
        long now = System.currentTimeMillis();
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            out.println("Fatal error: can't open the RDB file " + file + " for reading: " + e.getMessage());
            return 1;
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            RdbFileReader.Summary s = RdbFileReader.read(in, size, EncodingLimits.DEFAULTS, Integer.MAX_VALUE, true,
                    new RdbFileReader.Sink() {
                        @Override
                        public void aux(byte[] key, byte[] value) {
                            out.println("[info] AUX FIELD " + new String(key, StandardCharsets.UTF_8) + " = '"
                                    + new String(value, StandardCharsets.UTF_8) + "'");
                        }

                        @Override
                        public void function(byte[] code) {
                            String first = new String(code, StandardCharsets.UTF_8).lines().findFirst().orElse("");
                            out.println("[info] FUNCTION library '" + first + "'");
                        }

                        @Override
                        public void entry(int db, byte[] key, Object value, long expireAt, long lruIdleSeconds, int lfuFreq) {
                            keys[0]++;
                            if (expireAt >= 0) {
                                keys[1]++;
                                if (expireAt < now) keys[2]++;
                            }
                        }
                    });
            out.println("[offset " + s.endOffset() + "] " + (s.checksumChecked() ? "Checksum OK" : "RDB file was saved with checksum disabled: no check performed."));
            out.println("[offset " + s.endOffset() + "] \\o/ RDB looks OK! \\o/");
            info(out, keys);
            out.println("[info] RDB version " + s.version() + ", " + s.functions() + " function libraries");
            return 0;
        } catch (RdbFormatException | IOException e) {
            out.println("--- RDB ERROR DETECTED ---");
            out.println("[error] " + e.getMessage());
            info(out, keys);
            out.println("--- RDB ERROR DETECTED ---");
            return 1;
        }
    }

    private static void info(PrintStream out, long[] keys) {
        out.println("[info] " + keys[0] + " keys read");
        out.println("[info] " + keys[1] + " expires");
        out.println("[info] " + keys[2] + " already expired");
    }
}
