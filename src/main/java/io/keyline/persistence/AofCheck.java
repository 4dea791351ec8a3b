package io.keyline.persistence;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code keyline-server --check-aof [--fix] DIR_OR_FILE}, like redis-check-aof: validates an
 * append-only directory (through its manifest) or a single file; with {@code --fix} truncates the
 * last file at its last valid command (also cutting an unfinished MULTI). Exit code 0 when the AOF
 * is valid (or was fixed), 1 otherwise.
 */
public final class AofCheck {
    private AofCheck() {
    }

    public static int run(Path target, boolean fix, PrintStream out) {
        try {
            List<Path> files = new ArrayList<>();
            if (Files.isDirectory(target)) {
                Path manifest = findManifest(target);
                if (manifest == null) {
                    out.println("No AOF manifest (*.manifest) found in " + target);
                    return 1;
                }
                Manifest m = Manifest.read(manifest);
                out.println("Start checking Multi Part AOF");
                for (String f : m.files()) files.add(target.resolve(f));
            } else if (target.getFileName().toString().endsWith(Manifest.SUFFIX)) {
                Manifest m = Manifest.read(target);
                out.println("Start checking Multi Part AOF");
                for (String f : m.files()) files.add(target.resolveSibling(f));
            } else if (Files.isRegularFile(target)) {
                files.add(target);
            } else {
                out.println("Cannot open " + target + ": no such file or directory");
                return 1;
            }
            for (int i = 0; i < files.size(); i++) {
                if (!check(files.get(i), i == files.size() - 1, fix, out)) return 1;
            }
            out.println("All AOF files and manifest are valid");
            return 0;
        } catch (IOException e) {
            out.println("Error: " + e.getMessage());
            return 1;
        }
    }

    private static Path findManifest(Path dir) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + Manifest.SUFFIX)) {
            for (Path p : ds) return p;
        }
        return null;
    }

    /** Checks one file; returns true if it is valid (or was fixed). */
    private static boolean check(Path file, boolean last, boolean fix, PrintStream out) throws IOException {
        if (!Files.exists(file)) {
            out.println("AOF file " + file + " doesn't exist");
            return false;
        }
        long size = Files.size(file);
        long lastGood = 0;
        long beforeMulti = -1;
        long commands = 0;
        String problem = null;
        long problemAt = -1;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             AofReader reader = new AofReader(in)) {
            if (reader.startsWithRdbPreamble()) {
                out.println("AOF " + file + " has an RDB preamble: Keyline cannot check or load it");
                return false;
            }
            while (true) {
                byte[][] argv;
                try {
                    argv = reader.next();
                } catch (AofReader.TruncatedException e) {
                    problem = "truncated: " + e.getMessage();
                    problemAt = lastGood;
                    break;
                } catch (AofReader.CorruptException e) {
                    problem = "format error: " + e.getMessage();
                    problemAt = e.offset;
                    break;
                }
                if (argv == null) {
                    if (beforeMulti >= 0) {
                        problem = "unfinished MULTI";
                        problemAt = beforeMulti;
                    }
                    break;
                }
                String name = new String(argv[0], StandardCharsets.UTF_8);
                if (argv.length == 1 && name.equalsIgnoreCase("multi")) {
                    if (beforeMulti >= 0) {
                        problem = "nested MULTI";
                        problemAt = reader.commandStart();
                        break;
                    }
                    beforeMulti = reader.commandStart();
                } else if (argv.length == 1 && name.equalsIgnoreCase("exec")) {
                    if (beforeMulti < 0) {
                        problem = "EXEC without MULTI";
                        problemAt = reader.commandStart();
                        break;
                    }
                    beforeMulti = -1;
                }
                commands++;
                if (beforeMulti < 0) lastGood = reader.offset();
            }
        }
        long cut = beforeMulti >= 0 ? beforeMulti : lastGood;
        out.println("AOF analyzed: filename=" + file.getFileName() + ", size=" + size + ", ok_up_to=" + cut
                + ", commands=" + commands + ", diff=" + (size - cut));
        if (problem == null) {
            out.println("AOF " + file.getFileName() + " is valid");
            return true;
        }
        out.println("AOF " + file + " is not valid: " + problem + " at offset " + problemAt);
        if (!fix) {
            out.println("Use the --fix option to try fixing it.");
            return false;
        }
        if (!last) {
            out.println("Only the last file of a multi part AOF can be fixed; " + file.getFileName() + " is not the last one");
            return false;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(cut);
            ch.force(true);
        }
        out.println("Successfully truncated AOF " + file + " to " + cut + " bytes (" + (size - cut) + " bytes discarded)");
        return true;
    }
}
