package io.keyline;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package structure of docs/ARCHITECTURE.md, enforced: packages depend one way (no cycles), each
 * layer uses only the layers below it, and every package has a package-info.java.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.keyline");
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.keyline.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void layersDependOnlyDownward() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("util").definedBy("io.keyline.util..")
                .layer("protocol").definedBy("io.keyline.protocol..")
                .layer("config").definedBy("io.keyline.config..")
                .layer("store").definedBy("io.keyline.store..")
                .layer("session").definedBy("io.keyline.session..")
                .layer("pubsub").definedBy("io.keyline.pubsub..")
                .layer("engine").definedBy("io.keyline.engine..")
                .layer("scripting").definedBy("io.keyline.scripting..")
                .layer("commands").definedBy("io.keyline.commands..")
                .layer("persistence").definedBy("io.keyline.persistence")
                .layer("rdb").definedBy("io.keyline.persistence.rdb..")
                .layer("server").definedBy("io.keyline.server..")
                .layer("embed").definedBy("io.keyline.embed..")
                .layer("cli").definedBy("io.keyline.cli..")
                .whereLayer("util").mayNotAccessAnyLayer()
                .whereLayer("protocol").mayOnlyAccessLayers("util")
                .whereLayer("config").mayOnlyAccessLayers("util", "protocol")
                // The store knows nothing of RESP, the configuration or the commands.
                .whereLayer("store").mayOnlyAccessLayers("util")
                .whereLayer("session").mayOnlyAccessLayers("store", "protocol", "util")
                .whereLayer("pubsub").mayOnlyAccessLayers("session", "protocol", "util")
                .whereLayer("engine").mayOnlyAccessLayers("pubsub", "session", "store", "protocol", "config", "util")
                .whereLayer("scripting").mayOnlyAccessLayers("engine", "pubsub", "session", "store", "protocol", "config", "util")
                // The RDB format: values in, bytes out; callers pass version, compression and limits.
                .whereLayer("rdb").mayOnlyAccessLayers("store", "util")
                .whereLayer("commands").mayOnlyAccessLayers("scripting", "engine", "pubsub", "session", "store", "protocol", "config", "util",
                        "rdb")
                .whereLayer("persistence").mayOnlyAccessLayers("rdb", "engine", "session", "store", "protocol", "config", "util")
                .whereLayer("server").mayOnlyAccessLayers("commands", "persistence", "rdb", "engine", "pubsub", "session", "store",
                        "protocol", "config", "util")
                .whereLayer("embed").mayOnlyAccessLayers("server", "engine", "store", "config", "util")
                .whereLayer("cli").mayOnlyAccessLayers("server", "persistence", "rdb", "engine", "store", "config", "util")
                .check(classes);
    }

    @Test
    void everyPackageSaysWhatLivesThereAndWhatItMayUse() throws IOException {
        Path root = Path.of("src/main/java/io/keyline");
        List<Path> missing = new ArrayList<>();
        try (Stream<Path> dirs = Files.walk(root)) {
            for (Path dir : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
                boolean hasJava;
                try (Stream<Path> files = Files.list(dir)) {
                    hasJava = files.anyMatch(f -> f.toString().endsWith(".java") && !f.endsWith("package-info.java"));
                }
                if (hasJava && !Files.exists(dir.resolve("package-info.java"))) missing.add(dir);
            }
        }
        assertThat(missing).as("packages without package-info.java").isEmpty();
    }
}
