package io.keyline.server;

import io.keyline.config.Config;
import io.keyline.engine.ServerContext;
import io.keyline.persistence.Persistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** When persistence loads relative to the port opening: clients meet -LOADING only when there is data to load. */
class StartupLoadingTest {
    @TempDir
    Path dir;

    private Config config() {
        Config config = Config.defaults();
        config.set("port", "0", true);
        config.set("appendonly", "no", true);
        config.set("save", "", true);
        config.set("dir", dir.toString(), true);
        return config;
    }

    /** Starts a server whose persistence reports nothingToLoad; returns what load() saw: [port bound, loading]. */
    private List<Boolean> startWith(boolean nothingToLoad) throws Exception {
        List<Boolean> seen = new ArrayList<>();
        try {
            KeylineServer.persistenceFactory(c -> new KeylineServer.PersistenceHook() {
                @Override
                public void load(ServerContext ctx) {
                    seen.add(ctx.tcpPort() != 0);
                    seen.add(ctx.loading());
                }

                @Override
                public boolean nothingToLoad() {
                    return nothingToLoad;
                }
            });
            try (KeylineServer server = new KeylineServer(config()).start()) {
                assertThat(server.context().loading()).isFalse();
            }
        } finally {
            KeylineServer.persistenceFactory(KeylineServer::appendOnlyFile); // JVM-wide: the default back
        }
        return seen;
    }

    @Test
    void withNothingToLoadPersistenceLoadsBeforeThePortOpensAndNoClientSeesLoading() throws Exception {
        assertThat(startWith(true)).containsExactly(false, false);
    }

    @Test
    void withDataToLoadClientsMayConnectAndGetLoadingMeanwhile() throws Exception {
        assertThat(startWith(false)).containsExactly(true, true);
    }

    @Test
    void theAppendOnlyFileHasNothingToLoadOnlyWithoutAofManifestAndDumpRdb() throws Exception {
        Config config = config();
        Persistence p = new Persistence(config);
        assertThat(p.nothingToLoad()).isTrue();

        Files.write(dir.resolve("dump.rdb"), new byte[0]);
        assertThat(p.nothingToLoad()).isFalse();
        Files.delete(dir.resolve("dump.rdb"));

        Path aofDir = Files.createDirectories(dir.resolve(config.get("appenddirname")));
        Files.write(aofDir.resolve(config.get("appendfilename") + ".manifest"), new byte[0]);
        assertThat(p.nothingToLoad()).isFalse();
        Files.delete(aofDir.resolve(config.get("appendfilename") + ".manifest"));
        assertThat(p.nothingToLoad()).isTrue();

        config.set("appendonly", "yes", true);
        assertThat(p.nothingToLoad()).isFalse();
    }
}
