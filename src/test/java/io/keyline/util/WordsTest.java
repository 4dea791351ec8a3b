package io.keyline.util;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WordsTest {
    @Test
    void splitsAsTrimAndSplitOnWhitespaceDo() {
        for (String value : new String[] {"", "   ", "a", " a ", "127.0.0.1 -::1", "a\tb\n c\r\fd\u000Be", "50 99 99.9", "  x   y  "}) {
            assertThat(Words.split(value)).as("'%s'", value).containsExactly(value.trim().split("\\s+"));
        }
    }
}
