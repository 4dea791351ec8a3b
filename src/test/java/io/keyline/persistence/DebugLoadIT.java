package io.keyline.persistence;

import io.keyline.server.KeylineServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.params.SetParams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DEBUG LOADAOF and DEBUG RELOAD's MERGE / NOFLUSH / NOSAVE, as Redis 7.2's debug.c. */
class DebugLoadIT {
    private static final ProtocolCommand DEBUG = () -> "DEBUG".getBytes();
    private Path dir;
    private KeylineServer server;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("keyline-debug-load");
    }

    @AfterEach
    void tearDown() throws IOException {
        if (server != null) server.stop();
        AofTestSupport.deleteTree(dir);
    }

    private Jedis start(String... settings) throws Exception {
        server = AofTestSupport.start(dir, settings);
        server.config().set("enable-debug-command", "yes", true);
        return new Jedis("127.0.0.1", server.port());
    }

    private static String debug(Jedis j, String... args) {
        return new String((byte[]) j.sendCommand(DEBUG, args));
    }

    @Test
    void loadAofReloadsWhatWasLoggedWithoutLoggingItAgain() throws Exception {
        try (Jedis j = start("appendfsync", "everysec")) {
            j.set("k", "v");
            j.rpush("l", "a", "b", "c");
            j.set("ex", "v", SetParams.setParams().ex(1000));
            j.select(3);
            j.sadd("s", "x", "y");
            j.select(0);
            Map<String, String> before = AofTestSupport.snapshot(server.keyspace());
            assertThat(debug(j, "LOADAOF")).isEqualTo("OK");
            assertThat(AofTestSupport.snapshot(server.keyspace())).isEqualTo(before);
            Path incr = dir.resolve("appendonlydir/appendonly.aof.1.incr.aof");
            long size = Files.size(incr);
            assertThat(debug(j, "LOADAOF")).isEqualTo("OK");
            Thread.sleep(50);
            assertThat(Files.size(incr)).as("the reload is not logged again").isEqualTo(size);
            assertThat(j.get("k")).isEqualTo("v");
            assertThat(j.ttl("ex")).isBetween(900L, 1000L);
            server.stop();
            server = AofTestSupport.start(dir);
            assertThat(AofTestSupport.snapshot(server.keyspace())).isEqualTo(before);
        }
    }

    @Test
    void loadAofWithoutAnAofEmptiesTheDataAndFails() throws Exception {
        try (Jedis j = start("appendonly", "no")) {
            j.set("k", "v");
            assertThatThrownBy(() -> j.sendCommand(DEBUG, "LOADAOF")).hasMessage("ERR");
            assertThat(j.dbSize()).isZero();
        }
    }

    @Test
    void reloadNoflushMergeLetsTheSnapshotWinAndKeepsKeysOnlyInMemory() throws Exception {
        try (Jedis j = start("appendonly", "no")) {
            j.set("k", "v");
            j.rpush("l", "a", "b", "c");
            assertThat(debug(j, "RELOAD")).isEqualTo("OK");
            j.set("k", "changed");
            j.rpush("l", "d");
            j.set("only-in-memory", "1");
            assertThat(debug(j, "RELOAD", "NOSAVE", "NOFLUSH", "MERGE")).isEqualTo("OK");
            assertThat(j.get("k")).isEqualTo("v");
            assertThat(j.lrange("l", 0, -1)).isEqualTo(List.of("a", "b", "c")); // replaced, not appended to
            assertThat(j.get("only-in-memory")).isEqualTo("1");
            assertThat(j.dbSize()).isEqualTo(3);
            // NOSAVE alone: back to the snapshot only.
            assertThat(debug(j, "RELOAD", "nosave")).isEqualTo("OK");
            assertThat(j.exists("only-in-memory")).isFalse();
            // MERGE without NOFLUSH: empties first (a plain reload after a save).
            j.set("k", "third");
            assertThat(debug(j, "RELOAD", "MERGE")).isEqualTo("OK");
            assertThat(j.get("k")).isEqualTo("third");
        }
    }

    @Test
    void reloadNoflushWithoutMergeRefusesAKeyAlreadyInMemory() throws Exception {
        try (Jedis j = start("appendonly", "no")) {
            j.set("k", "v");
            assertThat(debug(j, "RELOAD")).isEqualTo("OK");
            // No conflict: keys only in memory and only in the snapshot merge.
            j.del("k");
            j.set("other", "1");
            assertThat(debug(j, "RELOAD", "NOSAVE", "NOFLUSH")).isEqualTo("OK");
            assertThat(j.get("k")).isEqualTo("v");
            assertThat(j.get("other")).isEqualTo("1");
            // k is now in both: Redis would panic; Keyline answers Redis's load error and keeps serving.
            assertThatThrownBy(() -> j.sendCommand(DEBUG, "RELOAD", "NOSAVE", "NOFLUSH"))
                    .hasMessage("ERR Error trying to load the RDB dump, check server logs.");
            assertThat(j.ping()).isEqualTo("PONG");
            assertThatThrownBy(() -> j.sendCommand(DEBUG, "RELOAD", "BAD"))
                    .hasMessage("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
        }
    }
}
