package io.keyline.integration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The launcher's class-data sharing archive (JDK 19+): made at the first clean exit, used by the next
 * start, made again when the jar changes, and neither a stale nor a corrupt archive stops the server
 * or leaves it without an archive. Not timed: whether classes come from the archive is read from the
 * JVM's class-loading log. Runs a copy of the launcher and the jar in a temporary directory, so the
 * repository's own archive is left alone.
 */
class LauncherCdsIT {
    /** A dynamic CDS archive starts with 0xf00baba8, little-endian. */
    private static final byte[] MAGIC = {(byte) 0xa8, (byte) 0xab, 0x0b, (byte) 0xf0};

    @TempDir
    Path dir;

    private Path launcher;
    private Path jar;
    private Path cdsDir;
    private String javaBin;

    @BeforeEach
    void copyLauncherAndJar() throws IOException {
        javaBin = jdk19OrNewer().orElse(null);
        assumeTrue(javaBin != null, "no JDK 19+ installed: the launcher uses no CDS archive");
        Path builtJar = Path.of("target", "keyline-server.jar");
        assumeTrue(Files.isRegularFile(builtJar), "target/keyline-server.jar is built by mvn package");
        launcher = dir.resolve("keyline-server");
        Files.copy(Path.of("keyline-server"), launcher, StandardCopyOption.COPY_ATTRIBUTES);
        Files.createDirectories(dir.resolve("target"));
        jar = dir.resolve("target").resolve("keyline-server.jar");
        Files.copy(builtJar, jar);
        cdsDir = dir.resolve("cds");
    }

    @Test
    void archiveIsMadeUsedRemadeForANewJarAndSurvivesCorruption() throws Exception {
        // 1. No archive yet: the server starts without one and writes one when it exits.
        Run first = runServer();
        assertThat(first.fromArchive).as("no archive to use yet").isZero();
        Path archive = onlyArchive();
        assertThat(startsWithMagic(archive)).isTrue();

        // 2. The next start loads Keyline's classes from it.
        Run second = runServer();
        assertThat(second.fromArchive).as("classes from the archive; log:%n%s", second.output).isGreaterThan(500);
        assertThat(onlyArchive()).isEqualTo(archive);

        // 3. A new jar (a rebuild leaves the jar newer than the archive): the old archive no longer
        // applies. The server starts, and the archive it leaves is a new one, made for the new jar.
        // Another flag set's archive made from the old jar is removed too (they piled up, one per flag set).
        long jarTime = Files.getLastModifiedTime(jar).toMillis();
        Files.setLastModifiedTime(archive, FileTime.fromMillis(jarTime - 120_000));
        Path otherFlags = Files.copy(archive, archive.resolveSibling("keyline-jdk25-12345.jsa"));
        Files.setLastModifiedTime(otherFlags, FileTime.fromMillis(jarTime - 120_000));
        Run rebuilt = runServer();
        assertThat(otherFlags).as("another flag set's archive older than the jar").doesNotExist();
        assertThat(rebuilt.fromArchive).as("the stale archive is not used").isZero();
        Path remade = onlyArchive();
        assertThat(Files.getLastModifiedTime(remade).toMillis()).as("a new archive, newer than the jar").isGreaterThan(jarTime);
        assertThat(startsWithMagic(remade)).isTrue();
        assertThat(runServer().fromArchive).as("the new archive is used").isGreaterThan(500);

        // 4. A corrupt archive (not an archive at all): the server still starts, without a JVM warning,
        // and leaves a valid archive behind, which the next start uses.
        Files.write(remade, "not a CDS archive, just some bytes that happen to be here".getBytes(StandardCharsets.US_ASCII));
        Run corrupt = runServer();
        assertThat(corrupt.output).doesNotContainIgnoringCase("warning");
        Path repaired = onlyArchive();
        assertThat(startsWithMagic(repaired)).as("a new archive replaced the corrupt one").isTrue();
        assertThat(runServer().fromArchive).isGreaterThan(500);

        // 5. A truncated archive (right magic number, missing its end): the JVM notices and remakes it.
        byte[] whole = Files.readAllBytes(repaired);
        Files.write(repaired, java.util.Arrays.copyOf(whole, whole.length / 3));
        Run truncated = runServer();
        assertThat(truncated.fromArchive).isZero();
        assertThat(Files.size(onlyArchive())).isGreaterThan(whole.length / 2);
        assertThat(runServer().fromArchive).isGreaterThan(500);
    }

    private record Run(String output, int fromArchive) {
    }

    /** Starts the launcher copy, waits for PING, stops it with SIGTERM and waits for its exit (when the archive is written). */
    private Run runServer() throws Exception {
        int port = freePort();
        Path classLog = Files.createTempFile(dir, "classes", ".log");
        Path out = Files.createTempFile(dir, "server", ".log");
        List<String> cmd = new ArrayList<>(List.of(launcher.toString(), "--port", Integer.toString(port),
                "--appendonly", "no", "--dir", dir.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        Map<String, String> env = pb.environment();
        env.put("KEYLINE_JAVA", javaBin);
        env.put("KEYLINE_CDS_DIR", cdsDir.toString());
        // -Xlog options are not part of the archive's flag set (see the launcher), so this changes nothing but the log.
        env.put("KEYLINE_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog);
        Process p = pb.start();
        try {
            assertThat(waitForPong(p, port, 120_000)).as("server answered PING; output:%n%s", read(out)).isTrue();
        } finally {
            p.destroy(); // SIGTERM: a clean exit, at which the JVM writes a missing archive
            if (!p.waitFor(180, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String log = read(classLog);
        int fromArchive = (int) log.lines().filter(l -> l.contains("source: shared objects file (top)")).count();
        return new Run(read(out), fromArchive);
    }

    private Path onlyArchive() throws IOException {
        try (Stream<Path> s = Files.list(cdsDir)) {
            List<Path> archives = s.filter(f -> f.getFileName().toString().endsWith(".jsa")).toList();
            assertThat(archives).as("one archive in %s", cdsDir).hasSize(1);
            return archives.get(0);
        }
    }

    private static boolean startsWithMagic(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            return java.util.Arrays.equals(in.readNBytes(4), MAGIC);
        }
    }

    private static boolean waitForPong(Process p, int port, long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < end && p.isAlive()) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                OutputStream o = s.getOutputStream();
                o.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] reply = s.getInputStream().readNBytes(7);
                if (new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n")) return true;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static String read(Path f) throws IOException {
        return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A java binary of JDK 19 or newer (the launcher's CDS needs -XX:+AutoCreateSharedArchive), from its release file. */
    private static Optional<String> jdk19OrNewer() throws IOException {
        List<Path> homes = new ArrayList<>();
        String javaHome = System.getenv("JAVA_HOME");
        if (javaHome != null) homes.add(Path.of(javaHome));
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> s = Files.list(jvms)) {
                s.sorted().forEach(homes::add);
            }
        }
        for (Path home : homes) {
            Path release = home.resolve("release");
            Path bin = home.resolve("bin").resolve("java");
            if (!Files.isRegularFile(release) || !Files.isExecutable(bin)) continue;
            for (String line : Files.readAllLines(release)) {
                if (!line.startsWith("JAVA_VERSION=\"")) continue;
                String v = line.substring("JAVA_VERSION=\"".length());
                int end = 0;
                while (end < v.length() && Character.isDigit(v.charAt(end))) end++;
                if (end > 0 && Integer.parseInt(v.substring(0, end)) >= 19) return Optional.of(bin.toString());
            }
        }
        return Optional.empty();
    }
}
