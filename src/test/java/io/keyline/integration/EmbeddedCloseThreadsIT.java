package io.keyline.integration;

import io.keyline.embed.EmbeddedKeyline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EmbeddedKeyline#close()} leaves nothing running in the embedding JVM: after a script, a MIGRATE (with its
 * cached socket) and a BGREWRITEAOF, every thread the two servers started is gone, and none of them ever was a
 * non-daemon thread that could keep an application's JVM alive.
 */
class EmbeddedCloseThreadsIT {
    @TempDir
    Path dir;

    private static Set<Thread> threads() {
        return Thread.getAllStackTraces().keySet();
    }

    private static List<String> describe(Set<Thread> ts) {
        return ts.stream().filter(Thread::isAlive).map(t -> t.getName() + (t.isDaemon() ? " (daemon)" : " (NON-DAEMON)"))
                .sorted().collect(Collectors.toList());
    }

    @Test
    void closeEndsEveryThreadAfterScriptMigrateAndRewrite() throws Exception {
        Set<Thread> before = threads();
        Set<Thread> started;
        try (EmbeddedKeyline target = EmbeddedKeyline.start();
             EmbeddedKeyline source = EmbeddedKeyline.builder()
                     .config("appendonly", "yes").config("dir", dir.toString()).config("io-threads", "2").start();
             Jedis j = new Jedis(source.host(), source.port())) {
            assertThat(j.eval("return redis.call('set', KEYS[1], ARGV[1])", 1, "s", "1")).isEqualTo("OK");
            for (int i = 0; i < 100; i++) j.set("k" + i, "v" + i);
            assertThat(j.migrate(target.host(), target.port(), "k1", 0, 5000)).isEqualTo("OK");
            assertThat(j.bgrewriteaof()).contains("rewriting started");
            long end = System.currentTimeMillis() + 30_000;
            while (j.info("persistence").contains("aof_rewrite_in_progress:1") && System.currentTimeMillis() < end) {
                Thread.sleep(20);
            }
            started = threads();
            started.removeAll(before);
            assertThat(started).as("servers started threads").isNotEmpty();
            assertThat(started.stream().filter(t -> !t.isDaemon()).map(Thread::getName))
                    .as("non-daemon threads started by Keyline: %s", describe(started)).isEmpty();
        }
        // Gone once close() returned, or very shortly after (a pool thread finishing its last task); the
        // bound is generous and only catches a thread that never ends.
        Set<Thread> left = Set.copyOf(started);
        long end = System.currentTimeMillis() + 20_000;
        while (left.stream().anyMatch(Thread::isAlive) && System.currentTimeMillis() < end) Thread.sleep(50);
        assertThat(describe(left)).as("threads still alive after close()").isEmpty();
    }
}
