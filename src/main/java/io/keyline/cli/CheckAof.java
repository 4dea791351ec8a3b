package io.keyline.cli;

import io.keyline.persistence.AofCheck;

import java.nio.file.Path;

/** {@code --check-aof DIR_OR_FILE [--fix]}: reports (and optionally repairs) an AOF; see {@link AofCheck}. */
final class CheckAof {
    private CheckAof() {
    }

    static int run(Path target, boolean fix) {
        return AofCheck.run(target, fix, System.out);
    }
}
