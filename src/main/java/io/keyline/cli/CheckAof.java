package io.keyline.cli;

import java.nio.file.Path;

/** {@code --check-aof}: filled in by the persistence work; reports and optionally repairs an AOF. */
final class CheckAof {
    private CheckAof() {
    }

    static int run(Path target, boolean fix) {
        System.err.println("keyline-server: --check-aof is not available in this build");
        return 1;
    }
}
