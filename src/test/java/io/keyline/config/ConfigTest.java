package io.keyline.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigTest {
    @TempDir
    Path dir;

    private static List<String[]> pairs(String... nv) {
        List<String[]> out = new java.util.ArrayList<>();
        for (int i = 0; i < nv.length; i += 2) out.add(new String[]{nv[i], nv[i + 1]});
        return out;
    }

    @Test
    void memoryUnitsFollowRedis() {
        assertThat(Parameter.parseMemory("100")).isEqualTo(100);
        assertThat(Parameter.parseMemory("1k")).isEqualTo(1000);
        assertThat(Parameter.parseMemory("1kb")).isEqualTo(1024);
        assertThat(Parameter.parseMemory("2MB")).isEqualTo(2L * 1024 * 1024);
        assertThat(Parameter.parseMemory("1g")).isEqualTo(1_000_000_000L);
        assertThat(Parameter.parseMemory("1gb")).isEqualTo(1L << 30);
        assertThat(Parameter.parseMemory("1.5mb")).isEqualTo(-1);
        assertThat(Parameter.parseMemory("-1")).isEqualTo(-1);
        assertThat(Parameter.parseMemory("abc")).isEqualTo(-1);
        Config c = Config.defaults();
        c.set("maxmemory", "1gb", false);
        assertThat(c.get("maxmemory")).isEqualTo("1073741824");
        assertThatThrownBy(() -> c.set("maxmemory", "lots", false)).hasMessage("argument must be a memory value");
    }

    @Test
    void typesValidateWithRedisMessages() {
        Config c = Config.defaults();
        assertThatThrownBy(() -> c.set("appendonly", "maybe", false)).hasMessage("argument must be 'yes' or 'no'");
        c.set("activerehashing", "NO", false);
        assertThat(c.get("activerehashing")).isEqualTo("no");
        assertThatThrownBy(() -> c.set("hz", "abc", false)).hasMessage("argument couldn't be parsed into an integer");
        assertThatThrownBy(() -> c.set("hz", " 5", false)).hasMessage("argument couldn't be parsed into an integer");
        assertThatThrownBy(() -> c.set("maxclients", "0", false)).hasMessage("argument must be between 1 and 4294967295 inclusive");
        assertThatThrownBy(() -> c.set("maxmemory-policy", "lru", false))
                .hasMessage("argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction");
        c.set("maxmemory-policy", "ALLKEYS-LRU", false);
        assertThat(c.get("maxmemory-policy")).isEqualTo("allkeys-lru");
        c.set("hz", "1000", false);
        assertThat(c.get("hz")).isEqualTo("500");
        c.set("hz", "0", false);
        assertThat(c.get("hz")).isEqualTo("1");
    }

    @Test
    void specialParametersNormalizeLikeRedis() {
        Config c = Config.defaults();
        c.set("notify-keyspace-events", "KEA", false);
        assertThat(c.get("notify-keyspace-events")).isEqualTo("AKE");
        c.set("notify-keyspace-events", "Kx", false);
        assertThat(c.get("notify-keyspace-events")).isEqualTo("xK");
        assertThatThrownBy(() -> c.set("notify-keyspace-events", "Q", false))
                .hasMessage("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
    }

    @Test
    void notifyKeyspaceEventsShowsWhatRedisPrintsAndKeepsNewInEffect() {
        Config c = Config.defaults();
        String[][] cases = {
                // set, CONFIG GET (keyspaceEventsFlagsToString), stored/effective
                {"KEA", "AKE", "AKE"}, {"AKE", "AKE", "AKE"}, {"EKA", "AKE", "AKE"},
                {"AKEn", "AKE", "AnKE"}, {"nA", "A", "An"}, {"Kg$lshzxetdn", "AK", "AnK"},
                {"Kg$lshzxetd", "AK", "AK"}, {"En", "nE", "nE"}, {"Eng", "gnE", "gnE"},
                {"mEK", "KEm", "KEm"}, {"Am", "Am", "Am"}, {"Anm", "Am", "Anm"}, {"", "", ""},
                {"xxKK", "xK", "xK"}, {"n", "n", "n"},
        };
        for (String[] t : cases) {
            c.set("notify-keyspace-events", t[0], false);
            assertThat(c.getMatching(java.util.List.of("notify-keyspace-events")))
                    .as("CONFIG GET after %s", t[0]).containsEntry("notify-keyspace-events", t[1]);
            assertThat(c.getMatching(java.util.List.of("notify-keyspace-*")))
                    .as("CONFIG GET by pattern after %s", t[0]).containsEntry("notify-keyspace-events", t[1]);
            assertThat(c.get("notify-keyspace-events")).as("stored after %s", t[0]).isEqualTo(t[2]);
            assertThat(io.keyline.pubsub.KeyspaceEvents.parse(c.get("notify-keyspace-events")))
                    .isEqualTo(io.keyline.pubsub.KeyspaceEvents.parse(t[0]));
        }
        c.set("client-output-buffer-limit", "pubsub 1mb 2 3", false);
        assertThat(c.get("client-output-buffer-limit"))
                .isEqualTo("normal 0 0 0 slave 268435456 67108864 60 pubsub 1048576 2 3");
        assertThatThrownBy(() -> c.set("client-output-buffer-limit", "normal 1 2", false))
                .hasMessage("Wrong number of arguments in buffer limit configuration.");
        c.set("save", "3600 1 300 100", false);
        assertThat(c.get("save")).isEqualTo("3600 1 300 100");
        assertThatThrownBy(() -> c.set("save", "1 2 3", false)).hasMessage("Invalid save parameters");
        c.set("maxmemory-clients", "10%", false);
        assertThat(c.get("maxmemory-clients")).isEqualTo("10%");
        assertThatThrownBy(() -> c.set("maxmemory-clients", "101%", false))
                .hasMessage("percentage argument must be less or equal to 100");
    }

    @Test
    void aliasesShareTheValueAndShowUnderTheirOwnName() {
        Config c = Config.defaults();
        c.set("hash-max-ziplist-entries", "256", false);
        assertThat(c.get("hash-max-listpack-entries")).isEqualTo("256");
        Map<String, String> got = c.getMatching(List.of("hash-max-z*"));
        assertThat(got).containsEntry("hash-max-ziplist-entries", "256").containsEntry("hash-max-ziplist-value", "64");
        assertThat(c.getMatching(List.of("slaveof"))).containsEntry("slaveof", "");
        assertThat(c.getMatching(List.of("lua-time-limit"))).containsEntry("lua-time-limit", "5000");
        assertThat(c.getMatching(List.of("MAXMEMORY"))).containsOnlyKeys("MAXMEMORY");
    }

    @Test
    void everyRedis7ParameterIsKnown() {
        Config c = Config.defaults();
        for (String name : List.of("acl-pubsub-default", "activedefrag", "busy-reply-threshold", "cluster-node-timeout",
                "latency-tracking-info-percentiles", "oom-score-adj-values", "propagation-error-behavior",
                "repl-backlog-size", "shutdown-on-sigterm", "tls-port", "tracking-table-max-keys", "slave-read-only",
                "min-slaves-to-write", "list-max-ziplist-size", "zset-max-ziplist-value", "cluster-slave-no-failover")) {
            assertThat(c.find(name)).as(name).isNotNull();
        }
        assertThat(c.find("slave-read-only").effective()).isFalse();
        assertThat(c.find("maxmemory").effective()).isTrue();
    }

    @Test
    void hiddenParametersNeedTheExactName() {
        Config c = Config.defaults();
        assertThat(c.getMatching(List.of("key-load-*"))).isEmpty();
        assertThat(c.getMatching(List.of("key-load-delay"))).containsEntry("key-load-delay", "0");
    }

    @Test
    void setAllIsAtomicAndChecksInRedisOrder() {
        Config c = Config.defaults();
        assertThatThrownBy(() -> c.setAll(pairs("maxmemory", "10", "hz", "abc"), false))
                .hasMessage("CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer");
        assertThat(c.get("maxmemory")).isEqualTo("0");
        assertThatThrownBy(() -> c.setAll(pairs("timeout", "1", "foo", "2"), false))
                .hasMessage("Unknown option or number of arguments for CONFIG SET - 'foo'");
        assertThatThrownBy(() -> c.setAll(pairs("maxmemory", "10", "maxmemory", "20"), false))
                .hasMessage("CONFIG SET failed (possibly related to argument 'maxmemory') - duplicate parameter");
        assertThatThrownBy(() -> c.setAll(pairs("port", "1", "databases", "3"), false))
                .hasMessage("CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config");
        assertThatThrownBy(() -> c.setAll(pairs("dir", "/tmp"), false))
                .hasMessage("CONFIG SET failed (possibly related to argument 'dir') - can't set protected config");
        c.setAll(pairs("maxmemory", "5mb", "timeout", "7"), false);
        assertThat(c.get("maxmemory")).isEqualTo("5242880");
        assertThat(c.get("timeout")).isEqualTo("7");
    }

    @Test
    void aGroupListenerGetsEachNameWithItsValueNowAndAfterEveryChange() {
        Config c = Config.defaults();
        c.set("timeout", "7", false);
        List<String> seen = new java.util.ArrayList<>();
        c.onChange((name, v) -> seen.add(name + "=" + v), "maxmemory", "timeout");
        assertThat(seen).containsExactly("maxmemory=0", "timeout=7");
        c.set("timeout", "9", false);
        c.setAll(pairs("maxmemory", "10", "hz", "20"), false);
        assertThat(seen).containsExactly("maxmemory=0", "timeout=7", "timeout=9", "maxmemory=10");
    }

    @Test
    void aFailingListenerRollsBackEveryChange() {
        Config c = Config.defaults();
        c.onChange("timeout", v -> {
            if (v.equals("13")) throw new ConfigException("unlucky");
        });
        assertThatThrownBy(() -> c.setAll(pairs("maxmemory", "10", "timeout", "13"), false))
                .hasMessage("CONFIG SET failed (possibly related to argument 'timeout') - unlucky");
        assertThat(c.get("maxmemory")).isEqualTo("0");
        assertThat(c.get("timeout")).isEqualTo("0");
    }

    @Test
    void loadsRedisConfWithQuotesCommentsAndRepeatedSave() throws IOException {
        Path f = dir.resolve("redis.conf");
        Files.writeString(f, """
                # a comment
                maxmemory 2mb
                  requirepass "p@ss word"
                notify-keyspace-events 'Ex'
                slaveof ""
                save 900 1
                save 300 10
                hash-max-ziplist-entries 64
                """);
        Config c = Config.defaults();
        c.loadFile(f);
        assertThat(c.get("maxmemory")).isEqualTo("2097152");
        assertThat(c.get("requirepass")).isEqualTo("p@ss word");
        assertThat(c.get("notify-keyspace-events")).isEqualTo("xE");
        assertThat(c.get("save")).isEqualTo("900 1 300 10");
        assertThat(c.get("hash-max-listpack-entries")).isEqualTo("64");
    }

    @Test
    void badConfigFileLinesNameTheLine() throws IOException {
        Path f = dir.resolve("bad.conf");
        Files.writeString(f, "port 7000\nnosuchthing 1\n");
        assertThatThrownBy(() -> Config.defaults().loadFile(f))
                .hasMessageContaining("line 2").hasMessageContaining("Bad directive or wrong number of arguments");
        Files.writeString(f, "requirepass \"unbalanced\n");
        assertThatThrownBy(() -> Config.defaults().loadFile(f)).hasMessageContaining("Unbalanced quotes");
        Files.writeString(f, "maxmemory lots\n");
        assertThatThrownBy(() -> Config.defaults().loadFile(f)).hasMessageContaining("argument must be a memory value");
    }

    @Test
    void rewriteKeepsCommentsUpdatesLinesAndAppendsChanges() throws IOException {
        Path f = dir.resolve("rw.conf");
        Files.writeString(f, "# my settings\nmaxmemory 1mb\nunknown-directive-from-elsewhere x\nmaxmemory 2mb\n");
        Config c = Config.defaults();
        c.configFile(f);
        c.set("maxmemory", "3mb", false);
        c.set("timeout", "30", false);
        c.set("requirepass", "a \"b\"", false);
        c.rewrite();
        List<String> lines = Files.readAllLines(f);
        assertThat(lines).containsExactly("# my settings", "maxmemory 3145728", "unknown-directive-from-elsewhere x",
                "# Generated by CONFIG REWRITE", "timeout 30", "requirepass \"a \\\"b\\\"\"");
        Files.write(f, lines.stream().filter(l -> !l.startsWith("unknown")).toList());
        Config again = Config.defaults();
        again.loadFile(f);
        assertThat(again.get("requirepass")).isEqualTo("a \"b\"");
        assertThat(again.get("timeout")).isEqualTo("30");
    }

    @Test
    void rewriteWithoutFileFails() {
        assertThatThrownBy(() -> Config.defaults().rewrite()).hasMessage("The server is running without a config file");
    }
}
