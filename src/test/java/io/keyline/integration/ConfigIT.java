package io.keyline.integration;

import redis.clients.jedis.Protocol;
import io.keyline.testkit.RespClient;
import io.keyline.config.Config;
import io.keyline.server.KeylineServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigIT extends ServerTestBase {
    @TempDir
    Path dir;

    @Test
    void getWithSeveralPatterns() {
        Map<String, String> got = jedis.configGet("maxmemory", "hash-max-z*", "nosuch");
        assertThat(got).containsEntry("maxmemory", "0").containsEntry("hash-max-ziplist-entries", "512")
                .containsEntry("hash-max-ziplist-value", "64").hasSize(3);
        assertThat(lettuce.configGet("maxmemory-policy", "timeout"))
                .isEqualTo(Map.of("maxmemory-policy", "noeviction", "timeout", "0"));
        assertThat(jedis.configGet("*")).hasSizeGreaterThan(190).containsKeys("slaveof", "replicaof", "tls-port", "capacity");
    }

    @Test
    void getReplyIsAMapInResp3() throws Exception {
        try (RespClient s = new RespClient(port())) {
            s.inline("HELLO 3");
            assertThat(s.inline("CONFIG GET timeout")).isEqualTo("%1\r\n$7\r\ntimeout\r\n$1\r\n0\r\n");
        }
        assertThat(raw("CONFIG GET timeout\r\n", 28)).isEqualTo("*2\r\n$7\r\ntimeout\r\n$1\r\n0\r\n");
    }

    @Test
    void setSeveralAtOnceAndAtomically() {
        try {
            assertThat(jedis.configSet("timeout", "30", "maxmemory-samples", "7")).isEqualTo("OK");
            assertThat(jedis.configGet("timeout", "maxmemory-samples"))
                    .isEqualTo(Map.of("timeout", "30", "maxmemory-samples", "7"));
            assertThatThrownBy(() -> jedis.configSet("timeout", "40", "hz", "abc"))
                    .hasMessage("ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer");
            assertThat(jedis.configGet("timeout")).containsEntry("timeout", "30");
            assertThat(lettuce.configSet(Map.of("timeout", "0", "maxmemory-samples", "5"))).isEqualTo("OK");
        } finally {
            jedis.configSet("timeout", "0", "maxmemory-samples", "5");
        }
    }

    @Test
    void setErrorsHaveRedisTexts() {
        assertThatThrownBy(() -> jedis.configSet("foo", "1"))
                .hasMessage("ERR Unknown option or number of arguments for CONFIG SET - 'foo'");
        assertThatThrownBy(() -> jedis.configSet("maxmemory", "lots"))
                .hasMessage("ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value");
        assertThatThrownBy(() -> jedis.configSet("maxmemory", "1", "maxmemory", "2"))
                .hasMessage("ERR CONFIG SET failed (possibly related to argument 'maxmemory') - duplicate parameter");
        assertThatThrownBy(() -> jedis.configSet("databases", "2"))
                .hasMessage("ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config");
        assertThatThrownBy(() -> jedis.sendCommand(redis.clients.jedis.Protocol.Command.CONFIG, "SET", "maxmemory", "1", "hz"))
                .hasMessage("ERR syntax error");
        assertThatThrownBy(() -> jedis.sendCommand(redis.clients.jedis.Protocol.Command.CONFIG, "SET", "maxmemory"))
                .hasMessage("ERR wrong number of arguments for 'config|set' command");
        assertThatThrownBy(() -> lettuce.configSet("maxmemory-policy", "bogus"))
                .hasMessageContaining("argument(s) must be one of the following: volatile-lru");
    }

    @Test
    void maxmemoryAndPolicyTakeEffectAtRunTime() {
        try {
            jedis.set("a", "1");
            jedis.configSet("maxmemory", "1");
            assertThatThrownBy(() -> jedis.set("b", "2")).hasMessage("OOM command not allowed when used memory > 'maxmemory'.");
            assertThat(jedis.get("a")).isEqualTo("1");
            jedis.configSet("maxmemory-policy", "allkeys-random");
            assertThat(keyline.server().keyspace().policy().name()).isEqualTo("ALLKEYS_RANDOM");
        } finally {
            jedis.configSet("maxmemory", "0", "maxmemory-policy", "noeviction");
        }
        assertThat(jedis.set("b", "2")).isEqualTo("OK");
    }

    @Test
    void capacityTakesEffectAtRunTime() {
        try {
            jedis.configSet("capacity", "2");
            jedis.set("a", "1");
            jedis.set("b", "1");
            assertThatThrownBy(() -> jedis.set("c", "1")).hasMessageStartingWith("OOM");
            jedis.configSet("maxmemory-policy", "allkeys-lru");
            assertThat(jedis.set("c", "1")).isEqualTo("OK");
            assertThat(jedis.dbSize()).isEqualTo(2);
        } finally {
            jedis.configSet("capacity", "0", "maxmemory-policy", "noeviction");
        }
    }

    @Test
    void requirepassTakesEffectForNewConnections() {
        try {
            jedis.configSet("requirepass", "s3cret");
            try (Jedis other = newJedis()) {
                assertThatThrownBy(other::ping).hasMessage("NOAUTH Authentication required.");
                assertThatThrownBy(() -> other.auth("wrong")).hasMessageStartingWith("WRONGPASS");
                assertThat(other.auth("s3cret")).isEqualTo("OK");
                assertThat(other.ping()).isEqualTo("PONG");
            }
            assertThat(jedis.ping()).isEqualTo("PONG"); // already authenticated connections stay so
        } finally {
            jedis.configSet("requirepass", "");
        }
        try (Jedis other = newJedis()) {
            assertThat(other.ping()).isEqualTo("PONG");
        }
    }

    @Test
    void hzAndLoglevelAreApplied() {
        try {
            jedis.configSet("hz", "1000");
            assertThat(jedis.configGet("hz")).containsEntry("hz", "500");
            jedis.configSet("loglevel", "warning");
            assertThat(jedis.configGet("loglevel")).containsEntry("loglevel", "warning");
        } finally {
            jedis.configSet("hz", "10", "loglevel", "notice");
        }
    }

    @Test
    void protoMaxBulkLenAppliesToOpenConnections() throws Exception {
        try (RespClient s = new RespClient(port())) {
            assertThat(s.inline("PING")).isEqualTo("+PONG\r\n");
            jedis.configSet("proto-max-bulk-len", "1mb");
            String reply = s.sendUntilClosed("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + (1024 * 1024 + 1) + "\r\n");
            assertThat(reply).isEqualTo("-ERR Protocol error: invalid bulk length\r\n");
        } finally {
            jedis.configSet("proto-max-bulk-len", "512mb");
        }
        String ok = "x".repeat(1024 * 1024 + 1);
        assertThat(jedis.set("k".getBytes(), ok.getBytes())).isEqualTo("OK");
    }

    @Test
    void resetstatZeroesTheCounters() {
        jedis.get("nosuchkey");
        assertThat(jedis.info("stats")).contains("keyspace_misses:");
        assertThat(jedis.configResetStat()).isEqualTo("OK");
        String stats = jedis.info("stats");
        assertThat(stats).contains("keyspace_misses:0\r\n").contains("total_error_replies:0\r\n");
        assertThat(jedis.info("commandstats")).doesNotContain("cmdstat_get:");
    }

    @Test
    void rewriteWithoutConfigFile() {
        assertThatThrownBy(jedis::configRewrite).hasMessage("ERR The server is running without a config file");
    }

    @Test
    void rewriteWritesTheConfigFile() throws Exception {
        Path file = dir.resolve("keyline.conf");
        Files.writeString(file, "# test config\ntimeout 5\nappendonly no\n");
        Config config = Config.defaults();
        config.loadFile(file);
        config.configFile(file);
        config.set("port", "0", true);
        try (KeylineServer server = new KeylineServer(config).start(); Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertThat(j.info("server")).contains("config_file:" + file.toAbsolutePath() + "\r\n");
            j.configSet("timeout", "60", "maxmemory", "2mb");
            assertThat(j.configRewrite()).isEqualTo("OK");
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).contains("# test config", "timeout 60", "appendonly no", "# Generated by CONFIG REWRITE", "maxmemory 2097152");
        assertThat(lines.indexOf("timeout 60")).isLessThan(lines.indexOf("# Generated by CONFIG REWRITE"));
    }

    @Test
    void helpAndUnknownSubcommand() throws Exception {
        Object help = jedis.sendCommand(redis.clients.jedis.Protocol.Command.CONFIG, "HELP");
        assertThat(help.toString()).isNotEmpty();
        assertThat(raw("CONFIG HELP\r\n", 60)).startsWith("*11\r\n+CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n");
        assertThatThrownBy(() -> jedis.sendCommand(redis.clients.jedis.Protocol.Command.CONFIG, "FOO"))
                .hasMessage("ERR unknown subcommand 'FOO'. Try CONFIG HELP.");
    }
}
