package io.keyline.embed;

import io.keyline.server.Logging;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import redis.clients.jedis.Jedis;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a project depending on the {@code io.keyline:keyline} artifact gets: Netty, picocli, LuaJ and the
 * SLF4J API and nothing else on its class path, no Logback set-up registered by the library, and a
 * server that runs (CONFIG SET loglevel included) when Logback is absent.
 */
class LibraryArtifactTest {
    private static final List<String> ALLOWED_GROUPS = List.of("io.netty");
    private static final List<String> ALLOWED_ARTIFACTS = List.of("info.picocli:picocli", "org.slf4j:slf4j-api",
            "org.luaj:luaj-jse"); // the scripting engine (pure Java, loaded on the first script)

    /** The installed pom is this pom (the shade plugin writes its jar beside it, no reduced pom). */
    @Test
    void consumersInheritOnlyNettyPicocliAndSlf4jApi() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        Element dependencies = child(pom.getDocumentElement(), "dependencies");
        List<String> transitive = new ArrayList<>();
        NodeList list = dependencies.getElementsByTagName("dependency");
        for (int i = 0; i < list.getLength(); i++) {
            Element d = (Element) list.item(i);
            String scope = text(d, "scope", "compile");
            boolean optional = Boolean.parseBoolean(text(d, "optional", "false"));
            if (optional || !(scope.equals("compile") || scope.equals("runtime"))) continue;
            transitive.add(text(d, "groupId", "") + ":" + text(d, "artifactId", ""));
        }
        assertThat(transitive).isNotEmpty().allSatisfy(ga ->
                assertThat(ALLOWED_GROUPS.contains(ga.substring(0, ga.indexOf(':'))) || ALLOWED_ARTIFACTS.contains(ga))
                        .as("%s would reach every consumer's class path", ga).isTrue());
        assertThat(transitive).contains("org.slf4j:slf4j-api", "info.picocli:picocli");

        // The fat launcher jar must neither replace the library jar nor swap in a reduced pom (which
        // would list none of the shaded dependencies).
        Element shade = null;
        NodeList plugins = pom.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element p = (Element) plugins.item(i);
            if (text(p, "artifactId", "").equals("maven-shade-plugin") && p.getElementsByTagName("executions").getLength() > 0) shade = p;
        }
        assertThat(shade).as("shade plugin").isNotNull();
        Element configuration = (Element) shade.getElementsByTagName("configuration").item(0);
        assertThat(text(configuration, "outputFile", "")).endsWith("/keyline-server.jar");
        assertThat(text(configuration, "createDependencyReducedPom", "true")).isEqualTo("false");
    }

    @Test
    void theLibraryRegistersNothingWithLogback() throws IOException {
        URL mainClasses = Logging.class.getProtectionDomain().getCodeSource().getLocation();
        for (String service : List.of("META-INF/services/ch.qos.logback.classic.spi.Configurator",
                "META-INF/services/org.slf4j.spi.SLF4JServiceProvider")) {
            for (URL url : Collections.list(Logging.class.getClassLoader().getResources(service))) {
                assertThat(url.toString()).as(service).doesNotStartWith(mainClasses.toString());
            }
        }
        for (String config : List.of("logback.xml", "logback-test.xml", "logback.groovy")) {
            URL url = Logging.class.getClassLoader().getResource(config);
            if (url != null) assertThat(url.toString()).doesNotStartWith(mainClasses.toString());
        }
    }

    @Test
    void runsAndAcceptsConfigSetLoglevelWithoutLogback() throws Exception {
        ClassLoader withoutLogback = new WithoutLogback(LibraryArtifactTest.class.getClassLoader());
        assertThatThrownBy(() -> Class.forName("ch.qos.logback.classic.LoggerContext", false, withoutLogback))
                .isInstanceOf(ClassNotFoundException.class);
        Class<?> embedded = Class.forName("io.keyline.embed.EmbeddedKeyline", true, withoutLogback);
        assertThat(embedded).isNotSameAs(EmbeddedKeyline.class);
        Object builder = embedded.getMethod("builder").invoke(null);
        builder.getClass().getMethod("config", String.class, String.class).invoke(builder, "loglevel", "debug");
        AutoCloseable server = (AutoCloseable) builder.getClass().getMethod("start").invoke(builder);
        try (server) {
            int port = (int) embedded.getMethod("port").invoke(server);
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                assertThat(jedis.configSet("loglevel", "verbose")).isEqualTo("OK");
                assertThat(jedis.set("k", "v")).isEqualTo("OK");
                assertThat(jedis.get("k")).isEqualTo("v");
            }
        }
        Method applyLevel = Class.forName("io.keyline.server.Logging", true, withoutLogback).getMethod("applyLevel", String.class);
        applyLevel.invoke(null, "warning"); // no NoClassDefFoundError
    }

    /**
     * Loads Keyline and SLF4J itself (so their links resolve here) and hides Logback, classes and
     * SLF4J provider registration alike: an application whose class path has no Logback.
     */
    private static final class WithoutLogback extends ClassLoader {
        WithoutLogback(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                if (name.startsWith("ch.qos.logback.")) throw new ClassNotFoundException(name);
                if (!name.startsWith("io.keyline.") && !name.startsWith("org.slf4j.")) return super.loadClass(name, resolve);
                Class<?> c = findLoadedClass(name);
                if (c != null) return c;
                try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                    if (in == null) throw new ClassNotFoundException(name);
                    byte[] bytes = in.readAllBytes();
                    return defineClass(name, bytes, 0, bytes.length);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            List<URL> urls = new ArrayList<>();
            for (URL url : Collections.list(getParent().getResources(name))) {
                if (!url.toString().contains("logback")) urls.add(url);
            }
            return Collections.enumeration(urls);
        }

        @Override
        public URL getResource(String name) {
            URL url = getParent().getResource(name);
            return url == null || url.toString().contains("logback") ? null : url;
        }
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) return e;
        }
        throw new AssertionError("no <" + name + "> in pom.xml");
    }

    private static String text(Element parent, String name, String absent) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) return e.getTextContent().strip();
        }
        return absent;
    }
}
