package io.keyline.persistence;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis 7's AOF manifest: one line per file, {@code file <name> seq <n> type <b|i|h>}, base first,
 * then the incr files in order. Immutable; {@link #write} replaces the file atomically.
 */
record Manifest(String baseName, long baseSeq, List<String> incrNames, List<Long> incrSeqs) {
    static final String SUFFIX = ".manifest";

    static String manifestName(String prefix) {
        // concat, not +: a server without AOF reaches this first while clients wait for the end of loading, and the
        // JVM's first string concatenation bootstraps StringConcatFactory (a generated class, ~3-5 ms interpreted)
        return prefix.concat(SUFFIX);
    }

    static String baseName(String prefix, long seq) {
        return prefix + "." + seq + ".base.aof";
    }

    /** A base written with aof-use-rdb-preamble: an RDB file (Redis 7's {@code .base.rdb}). */
    static String baseRdbName(String prefix, long seq) {
        return prefix + "." + seq + ".base.rdb";
    }

    static String incrName(String prefix, long seq) {
        return prefix + "." + seq + ".incr.aof";
    }

    long lastIncrSeq() {
        return incrSeqs.isEmpty() ? 0 : incrSeqs.get(incrSeqs.size() - 1);
    }

    /** Every file the manifest refers to, base first. */
    List<String> files() {
        List<String> all = new ArrayList<>();
        if (baseName != null) all.add(baseName);
        all.addAll(incrNames);
        return all;
    }

    Manifest withIncr(String name, long seq) {
        List<String> n = new ArrayList<>(incrNames);
        List<Long> s = new ArrayList<>(incrSeqs);
        n.add(name);
        s.add(seq);
        return new Manifest(baseName, baseSeq, List.copyOf(n), List.copyOf(s));
    }

    String format() {
        StringBuilder sb = new StringBuilder();
        if (baseName != null) sb.append("file ").append(quote(baseName)).append(" seq ").append(baseSeq).append(" type b\n");
        for (int i = 0; i < incrNames.size(); i++) {
            sb.append("file ").append(quote(incrNames.get(i))).append(" seq ").append(incrSeqs.get(i)).append(" type i\n");
        }
        return sb.toString();
    }

    private static String quote(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c == '"' || c == '\'' || c == '\\' || c > 126) {
                StringBuilder q = new StringBuilder("\"");
                for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
                    if (b == '"' || b == '\\') q.append('\\').append((char) b);
                    else if (b >= 32 && b < 127) q.append((char) b);
                    else q.append(String.format("\\x%02x", b & 0xff));
                }
                return q.append('"').toString();
            }
        }
        return name;
    }

    static Manifest parse(String text, String where) throws IOException {
        String base = null;
        long baseSeq = 0;
        List<String> incr = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            List<byte[]> words = io.keyline.protocol.RespParser.splitArgs(line.getBytes(StandardCharsets.UTF_8));
            if (words == null || words.size() % 2 != 0) throw new IOException("Invalid AOF manifest file format: " + where + " line " + lineNo);
            String file = null, type = null;
            long seq = -1;
            for (int i = 0; i < words.size(); i += 2) {
                String k = new String(words.get(i), StandardCharsets.UTF_8);
                String v = new String(words.get(i + 1), StandardCharsets.UTF_8);
                switch (k) {
                    case "file" -> file = v;
                    case "seq" -> {
                        try {
                            seq = Long.parseLong(v);
                        } catch (NumberFormatException e) {
                            throw new IOException("Invalid AOF manifest file format: " + where + " line " + lineNo + ": bad seq");
                        }
                    }
                    case "type" -> type = v;
                    default -> { } // unknown keys are ignored, as Redis does
                }
            }
            if (file == null || type == null || seq < 0 || file.contains("/")) {
                throw new IOException("Invalid AOF manifest file format: " + where + " line " + lineNo);
            }
            switch (type) {
                case "b" -> {
                    if (base != null) throw new IOException("Found duplicate base file information in " + where);
                    base = file;
                    baseSeq = seq;
                }
                case "i" -> {
                    incr.add(file);
                    seqs.add(seq);
                }
                case "h" -> { } // history: left over from a rewrite, not loaded
                default -> throw new IOException("Unknown AOF file type '" + type + "' in " + where + " line " + lineNo);
            }
        }
        if (base == null && incr.isEmpty()) throw new IOException("Found an empty AOF manifest: " + where);
        return new Manifest(base, baseSeq, List.copyOf(incr), List.copyOf(seqs));
    }

    static Manifest read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Writes {@code dir/name} atomically: temp file, fsync, rename, fsync the directory. */
    void write(Path dir, String name) throws IOException {
        writeAtomically(dir, name, format().getBytes(StandardCharsets.UTF_8));
    }

    static void writeAtomically(Path dir, String name, byte[] content) throws IOException {
        Path tmp = dir.resolve("temp-" + name);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(content);
            while (b.hasRemaining()) ch.write(b);
            ch.force(true);
        }
        try {
            Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        fsyncDir(dir);
    }

    static void fsyncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems cannot fsync a directory; the rename is still atomic.
        }
    }
}
