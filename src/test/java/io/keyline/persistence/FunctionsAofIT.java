package io.keyline.persistence;

import io.keyline.server.KeylineServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Function libraries survive a restart: FUNCTION LOAD/DELETE/FLUSH/RESTORE are logged, and an AOF rewrite writes the libraries first. */
class FunctionsAofIT {
    @TempDir
    Path dir;
    private KeylineServer server;

    @AfterEach
    void stop() {
        if (server != null) server.stop();
    }

    private static final String LIB = "#!lua name=counter\n"
            + "redis.register_function('bump', function(keys, args) return redis.call('INCR', keys[1]) end)";

    @Test
    void librariesSurviveRestartAndRewrite() throws Exception {
        server = AofTestSupport.start(dir, "aof-use-rdb-preamble", "no");
        byte[] dump;
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            j.functionLoad(LIB);
            j.functionLoad("#!lua name=gone\nredis.register_function('g', function() return 1 end)");
            j.functionDelete("gone");
            assertThat(j.fcall("bump", List.of("c"), List.of())).isEqualTo(1L);
            dump = j.functionDump();
        }
        server.stop();
        server = AofTestSupport.start(dir, "aof-use-rdb-preamble", "no");
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertThat(j.functionList()).hasSize(1);
            assertThat(j.fcall("bump", List.of("c"), List.of())).isEqualTo(2L);
            assertThat(j.bgrewriteaof()).contains("rewriting");
            for (int i = 0; i < 100 && j.info("persistence").contains("aof_rewrite_in_progress:1"); i++) Thread.sleep(50);
        }
        Path aofDir = dir.resolve("appendonlydir");
        String base;
        try (var files = Files.list(aofDir)) {
            Path b = files.filter(p -> p.getFileName().toString().endsWith(".base.aof")).findFirst().orElseThrow();
            base = Files.readString(b, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        assertThat(base).startsWith("*3\r\n$8\r\nFUNCTION\r\n$4\r\nLOAD\r\n");
        assertThat(base).contains("#!lua name=counter").doesNotContain("name=gone");
        server.stop();
        server = AofTestSupport.start(dir, "aof-use-rdb-preamble", "no");
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertThat(j.fcall("bump", List.of("c"), List.of())).isEqualTo(3L);
            j.functionFlush();
            j.functionRestore(dump);
            j.functionFlush();
        }
        server.stop();
        server = AofTestSupport.start(dir, "aof-use-rdb-preamble", "no");
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertThat(j.functionList()).isEmpty();
            assertThat(j.get("c")).isEqualTo("3");
        }
    }
}
