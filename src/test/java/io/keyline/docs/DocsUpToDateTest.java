package io.keyline.docs;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** README's generated tables and docs/commands.md match the command table and config registry. */
class DocsUpToDateTest {
    @Test
    void generatedDocsAreCurrent() throws Exception {
        Path root = Path.of(".").toAbsolutePath();
        if (Boolean.getBoolean("keyline.docs.write")) DocsGenerator.write(root);
        String readme = Files.readString(root.resolve("README.md"), StandardCharsets.UTF_8);
        assertThat(readme).as("README tables are stale: run ./run-tests -Dtest=DocsUpToDateTest -Dkeyline.docs.write=true")
                .isEqualTo(DocsGenerator.updatedReadme(readme));
        assertThat(Files.readString(root.resolve("docs/commands.md"), StandardCharsets.UTF_8))
                .as("docs/commands.md is stale: run ./run-tests -Dtest=DocsUpToDateTest -Dkeyline.docs.write=true")
                .isEqualTo(DocsGenerator.commandsDoc());
    }
}
