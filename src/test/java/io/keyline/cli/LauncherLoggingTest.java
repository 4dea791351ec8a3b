package io.keyline.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;

class LauncherLoggingTest {
    /** The launcher's set-up: Redis's layout on the console, root at INFO, Netty at WARN. */
    @Test
    void applySetsRedisLayoutOnTheConsole() {
        LoggerContext ctx = new LoggerContext();
        LogConfigurator.apply(ctx);
        ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        assertThat(ctx.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
        ConsoleAppender<?> console = (ConsoleAppender<?>) root.getAppender("console");
        assertThat(console).isNotNull();
        assertThat(((LayoutWrappingEncoder<?>) console.getEncoder()).getLayout()).isInstanceOf(RedisLogLayout.class);
        ctx.stop();
    }

    /** A logback-test.xml on the class path (this test's) still wins over the launcher's set-up, as it did before. */
    @Test
    void providerDefersToALogbackFileOnTheClassPath() {
        LauncherLogging provider = new LauncherLogging();
        assertThat(provider.getMDCAdapter()).isNotNull(); // SLF4J asks for it before initialize()
        provider.initialize();
        LoggerContext ctx = (LoggerContext) provider.getLoggerFactory();
        assertThat(ctx.isStarted()).isTrue();
        ConsoleAppender<?> console = (ConsoleAppender<?>) ctx.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().next();
        assertThat(((LayoutWrappingEncoder<?>) console.getEncoder()).getLayout()).isNotInstanceOf(RedisLogLayout.class);
        assertThat(provider.getMarkerFactory()).isNotNull();
        assertThat(provider.getRequestedApiVersion()).startsWith("2.");
        ctx.stop();
    }

    @TempDir
    Path tmp;

    /** A jar holding {@code entry} (if not null), with {@code Class-Path} in its manifest if not null. */
    private Path jar(String name, String entry, String classPathAttribute) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (classPathAttribute != null) manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPathAttribute);
        Path jar = tmp.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out, manifest)) {
            zip.putNextEntry(new JarEntry("io/keyline/Other.txt"));
            if (entry != null) zip.putNextEntry(new JarEntry(entry));
        }
        return jar;
    }

    private static String path(Path... entries) {
        StringBuilder sb = new StringBuilder();
        for (Path e : entries) sb.append(sb.isEmpty() ? "" : File.pathSeparator).append(e);
        return sb.toString();
    }

    /**
     * The application class loader's class path is looked in directly (directories and jars): this test's own class
     * path has a logback-test.xml, so a "false" shows the loader was not asked.
     */
    @Test
    void aPlainClassPathIsLookedInDirectly() throws IOException {
        ClassLoader app = ClassLoader.getSystemClassLoader();
        Path emptyDir = Files.createDirectories(tmp.resolve("classes"));
        Path plainJar = jar("plain.jar", null, null);
        assertThat(LauncherLogging.configFileOnClassPath(app, path(emptyDir, plainJar, tmp.resolve("missing.jar")))).isFalse();

        assertThat(LauncherLogging.configFileOnClassPath(app, path(emptyDir, jar("test.jar", "logback-test.xml", null)))).isTrue();
        assertThat(LauncherLogging.configFileOnClassPath(app, path(plainJar, jar("main.jar", "logback.xml", null)))).isTrue();

        Path configDir = Files.createDirectories(tmp.resolve("config"));
        Files.writeString(configDir.resolve("logback.xml"), "<configuration/>");
        assertThat(LauncherLogging.configFileOnClassPath(app, path(plainJar, configDir))).isTrue();
    }

    /** A jar's Class-Path (Surefire's manifest-only jar), another loader or no class path: the loader is asked. */
    @Test
    void otherwiseTheClassLoaderIsAsked() throws IOException {
        ClassLoader app = ClassLoader.getSystemClassLoader();
        Path manifestOnly = jar("booter.jar", null, "elsewhere/");
        assertThat(LauncherLogging.configFileOnClassPath(app, path(manifestOnly))).isTrue(); // this test's logback-test.xml
        assertThat(LauncherLogging.configFileOnClassPath(app, "")).isTrue();

        Path configDir = Files.createDirectories(tmp.resolve("config"));
        Files.writeString(configDir.resolve("logback.xml"), "<configuration/>");
        try (URLClassLoader bare = new URLClassLoader(new URL[0], null)) {
            assertThat(LauncherLogging.configFileOnClassPath(bare, path(configDir))).isFalse();
        }
    }
}
