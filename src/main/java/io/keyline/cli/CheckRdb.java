package io.keyline.cli;

import io.keyline.persistence.RdbCheck;

import java.nio.file.Path;

/** {@code --check-rdb FILE}: reports whether an RDB file is sound and where it is not; see {@link RdbCheck}. */
final class CheckRdb {
    private CheckRdb() {
    }

    static int run(Path file) {
        return RdbCheck.run(file, System.out);
    }
}
