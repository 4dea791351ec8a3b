package io.keyline.persistence;

import io.keyline.config.Config;
import io.keyline.server.KeylineServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The save check's period follows what it has to do: an idle server's cron sleeps, CONFIG SET save wakes it. */
class PersistenceCronTest {
    @TempDir
    Path dir;

    @Test
    void theSaveCheckRunsEvery100msOnlyWhileASavePolicyIsSet() throws Exception {
        Config config = Config.defaults();
        config.set("appendonly", "no", true);
        config.set("save", "", true);
        config.set("dir", dir.toString(), true);
        KeylineServer server = new KeylineServer(config);
        Persistence p = new Persistence(config);
        p.load(server.context());
        try {
            assertThat(p.saveCheckNeeded()).isFalse();
            assertThat(p.saveCheckDelayMillis()).isGreaterThan(Persistence.SAVE_CHECK_MILLIS);

            config.set("save", "3600 1", false);
            assertThat(p.saveCheckNeeded()).isTrue();
            // Woken at once, then every 100 ms (not after the rest of the idle second).
            assertThat(p.saveCheckDelayMillis()).isLessThanOrEqualTo(Persistence.SAVE_CHECK_MILLIS);
            Thread.sleep(3 * Persistence.SAVE_CHECK_MILLIS);
            assertThat(p.saveCheckDelayMillis()).isLessThanOrEqualTo(Persistence.SAVE_CHECK_MILLIS);

            config.set("save", "", false);
            Thread.sleep(3 * Persistence.SAVE_CHECK_MILLIS);
            assertThat(p.saveCheckDelayMillis()).isGreaterThan(Persistence.SAVE_CHECK_MILLIS);
        } finally {
            p.stop();
            server.stop();
        }
    }
}
