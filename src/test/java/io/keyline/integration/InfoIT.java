package io.keyline.integration;

import redis.clients.jedis.Protocol;
import io.keyline.testkit.RespClient;
import io.keyline.embed.EmbeddedKeyline;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InfoIT extends ServerTestBase {
    @Override
    protected void configure(EmbeddedKeyline.Builder builder) {
        builder.config("enable-debug-command", "yes");
    }

    private static Map<String, String> fields(String info) {
        return info.lines().filter(l -> l.contains(":") && !l.startsWith("#"))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(':')), l -> l.substring(l.indexOf(':') + 1), (a, b) -> b));
    }

    private static List<String> headers(String info) {
        return info.lines().filter(l -> l.startsWith("# ")).toList();
    }

    @Test
    void writeCommandsLookUpKeysWithoutCountingHitsOrMisses() {
        // As Redis's lookupKeyWrite: only reads count in keyspace_hits / keyspace_misses.
        jedis.flushAll();
        long[] before = hitsAndMisses();
        jedis.lpush("l", "a", "b");
        jedis.rpush("l", "c");
        jedis.lpop("l");
        jedis.rpop("nolist");
        jedis.lset("l", 0, "z");
        jedis.ltrim("l", 0, 5);
        jedis.lmove("l", "l2", redis.clients.jedis.args.ListDirection.LEFT, redis.clients.jedis.args.ListDirection.RIGHT);
        jedis.hset("h", "f", "v");
        jedis.hsetnx("h", "f", "x");
        jedis.hincrBy("h", "n", 1);
        jedis.hincrByFloat("h", "n", 1.5);
        jedis.hdel("h", "f");
        jedis.sadd("s", "a");
        jedis.zadd("z", 1, "a");
        jedis.incr("i");
        assertThat(hitsAndMisses()).containsExactly(before[0], before[1]);
        jedis.lrange("l2", 0, -1);
        jedis.hget("nohash", "f");
        assertThat(hitsAndMisses()).containsExactly(before[0] + 1, before[1] + 1);
    }

    private long[] hitsAndMisses() {
        Map<String, String> stats = Arrays.stream(jedis.info("stats").split("\r\n"))
                .filter(l -> l.contains(":")).collect(Collectors.toMap(l -> l.substring(0, l.indexOf(':')),
                        l -> l.substring(l.indexOf(':') + 1), (a, b) -> b));
        return new long[]{Long.parseLong(stats.get("keyspace_hits")), Long.parseLong(stats.get("keyspace_misses"))};
    }

    @Test
    void defaultSectionsInRedisOrderAndFormat() {
        String info = jedis.info();
        assertThat(headers(info)).containsExactly("# Server", "# Clients", "# Memory", "# Persistence", "# Stats",
                "# Replication", "# CPU", "# Modules", "# Errorstats", "# Cluster", "# Keyspace");
        assertThat(info).startsWith("# Server\r\nredis_version:").contains("\r\n\r\n# Clients\r\n").endsWith("\r\n");
        assertThat(info.replace("\r\n", "")).doesNotContain("\n");
        assertThat(headers(jedis.info("default"))).isEqualTo(headers(info));
    }

    @Test
    void allAndEverythingAddCommandstatsAndSectionsCombine() {
        jedis.get("x");
        assertThat(headers(jedis.info("all"))).contains("# Commandstats", "# Latencystats").hasSize(13);
        assertThat(headers(jedis.info("everything"))).hasSize(13);
        String two = new String((byte[]) jedis.sendCommand(redis.clients.jedis.Protocol.Command.INFO, "keyspace", "SERVER"));
        assertThat(headers(two)).containsExactly("# Server", "# Keyspace");
        assertThat(jedis.info("nosuchsection")).isEmpty();
        assertThat(jedis.info("commandstats")).contains("cmdstat_get:calls=").contains(",usec=").contains(",usec_per_call=")
                .contains(",rejected_calls=0,failed_calls=0");
    }

    @Test
    void keyspaceLinesAndCounts() throws IOException {
        jedis.set("a", "1");
        jedis.set("b", "2", SetParams.setParams().ex(100));
        jedis.select(5);
        jedis.set("c", "3");
        String ks = jedis.info("keyspace");
        assertThat(ks).matches("# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=\\d+\r\ndb5:keys=1,expires=0,avg_ttl=0\r\n");
        long avgTtl = Long.parseLong(ks.replaceAll("(?s).*avg_ttl=(\\d+).*db5.*", "$1"));
        assertThat(avgTtl).as("avg_ttl estimates the remaining ms of the one volatile key").isBetween(90_000L, 100_000L);
        Map<String, String> mem = fields(jedis.info("memory"));
        assertThat(mem.get("key_count")).isEqualTo("3");
        assertThat(mem.get("capacity")).isEqualTo("0");
        assertThat(Long.parseLong(mem.get("used_memory"))).isEqualTo(keyline.server().keyspace().usedMemory()).isPositive();
        assertThat(mem.get("maxmemory_policy")).isEqualTo("noeviction");
        assertThat(mem.get("used_memory_human")).matches("\\d+(\\.\\d\\d[KMG])?B?");
        long rss = Long.parseLong(mem.get("used_memory_rss"));
        long vmRss = vmRssOfThisProcess();
        assertThat(rss).as("the embedded server reports this JVM's resident set, not its committed heap")
                .isBetween(vmRss - (16 << 20), vmRss + (16 << 20));
    }

    private static long vmRssOfThisProcess() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return 1024 * Long.parseLong(line.replaceAll("\\D", ""));
        }
        throw new AssertionError("no VmRSS in /proc/self/status");
    }

    @Test
    void statsAreReal() throws Exception {
        jedis.configResetStat();
        jedis.set("k", "v");
        jedis.get("k");
        jedis.get("k");
        jedis.get("missing");
        try {
            jedis.incr("k");
        } catch (Exception expected) {
            // an error reply, counted below
        }
        jedis.set("short", "v", SetParams.setParams().px(50));
        Thread.sleep(200);
        jedis.get("short");
        String stats = jedis.info("stats");
        Map<String, String> st = fields(stats);
        assertThat(st.get("expired_keys")).as(stats).isEqualTo("1");
        assertThat(st.get("keyspace_hits")).isEqualTo("2");
        assertThat(st.get("keyspace_misses")).isEqualTo("2");
        assertThat(st.get("expired_keys")).isEqualTo("1");
        assertThat(Long.parseLong(st.get("total_commands_processed"))).isGreaterThanOrEqualTo(7);
        assertThat(st.get("total_error_replies")).isEqualTo("1");
        assertThat(jedis.info("errorstats")).isEqualTo("# Errorstats\r\nerrorstat_ERR:count=1\r\n");
        assertThat(Long.parseLong(st.get("total_net_input_bytes"))).isPositive();
    }

    @Test
    void commandsAreCountedOnceRunAsRedisCountsThem() {
        // Checked against redis-server 7.0.15 with the same commands on one connection.
        jedis.configResetStat();                                   // counted once done: 1
        assertThat(fields(jedis.info("stats")).get("total_commands_processed")).isEqualTo("1"); // INFO not yet
        assertThatThrownBy(() -> jedis.sendCommand(() -> "nosuchcommand".getBytes())) // unknown: not counted
                .hasMessageContaining("unknown command");
        jedis.set("a", "1");                                       // 3
        assertThatThrownBy(() -> jedis.sendCommand(redis.clients.jedis.Protocol.Command.GET)) // arity: rejected
                .hasMessageContaining("wrong number of arguments");
        jedis.sendCommand(redis.clients.jedis.Protocol.Command.MULTI);
        jedis.sendCommand(redis.clients.jedis.Protocol.Command.SET, "b", "2"); // queued: counted by EXEC
        jedis.sendCommand(redis.clients.jedis.Protocol.Command.EXEC);           // MULTI, SET, EXEC: 6
        jedis.blpop(0.05, "q");                                    // counted when it times out: 7
        assertThat(fields(jedis.info("stats")).get("total_commands_processed")).isEqualTo("7");
        String cs = jedis.info("commandstats");
        assertThat(cs).contains("cmdstat_set:calls=2,").contains("cmdstat_blpop:calls=1,")
                .contains("cmdstat_get:calls=0,usec=0,usec_per_call=0.00,rejected_calls=1,failed_calls=0");
    }

    @Test
    void evictedKeysCount() {
        try {
            jedis.configSet("capacity", "3", "maxmemory-policy", "allkeys-random");
            for (int i = 0; i < 10; i++) jedis.set("k" + i, "v");
            assertThat(jedis.dbSize()).isLessThanOrEqualTo(3);
            assertThat(Long.parseLong(fields(jedis.info("stats")).get("evicted_keys"))).isGreaterThanOrEqualTo(7);
            assertThat(fields(jedis.info("memory")).get("capacity")).isEqualTo("3");
        } finally {
            jedis.configSet("capacity", "0", "maxmemory-policy", "noeviction");
        }
    }

    @Test
    void clientsServerReplicationCpu() {
        try (Jedis a = newJedis(); Jedis b = newJedis()) {
            a.ping();
            b.ping();
            Map<String, String> cl = fields(jedis.info("clients"));
            assertThat(Integer.parseInt(cl.get("connected_clients"))).isGreaterThanOrEqualTo(4);
            assertThat(cl.get("maxclients")).isEqualTo("10000");
            assertThat(cl.get("blocked_clients")).isEqualTo("0");
        }
        Map<String, String> srv = fields(jedis.info("server"));
        assertThat(srv.get("redis_mode")).isEqualTo("standalone");
        assertThat(srv.get("tcp_port")).isEqualTo(Integer.toString(port()));
        assertThat(srv.get("process_id")).isEqualTo(Long.toString(ProcessHandle.current().pid()));
        assertThat(srv.get("run_id")).hasSize(40);
        assertThat(srv.get("hz")).isEqualTo("10");
        assertThat(srv).containsKeys("redis_version", "uptime_in_seconds", "keyline_version", "config_file");
        Map<String, String> repl = fields(jedis.info("replication"));
        assertThat(repl.get("role")).isEqualTo("master");
        assertThat(repl.get("connected_slaves")).isEqualTo("0");
        assertThat(fields(jedis.info("cpu")).get("used_cpu_user")).matches("\\d+\\.\\d{6}");
    }

    @Test
    void persistenceFallsBackToRedisFieldsAndUsesARegisteredSection() {
        Map<String, String> p = fields(jedis.info("persistence"));
        assertThat(p.get("aof_enabled")).isEqualTo("0");
        assertThat(p.get("loading")).isEqualTo("0");
        assertThat(p).containsKeys("rdb_changes_since_last_save", "aof_rewrite_in_progress", "aof_last_bgrewrite_status");
        try (EmbeddedKeyline other = EmbeddedKeyline.start(); Jedis j = new Jedis("127.0.0.1", other.port())) {
            other.server().context().infoSection("persistence", out -> out.append("loading:0\naof_enabled:1\r\n"));
            assertThat(j.info("persistence")).isEqualTo("# Persistence\r\nloading:0\r\naof_enabled:1\r\n");
        }
    }

    @Test
    void resp3InfoIsAVerbatimString() throws Exception {
        assertThat(lettuce.info("server")).startsWith("# Server\r\nredis_version:");
        assertThat(lettuce.info()).contains("# Keyspace");
        try (RespClient s = new RespClient(port())) {
            s.inline("HELLO 3");
            assertThat(s.inline("INFO cluster")).isEqualTo("=34\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n");
        }
        assertThat(Arrays.asList(raw("INFO cluster\r\n", 37).split("\r\n"))).containsExactly("$30", "# Cluster", "cluster_enabled:0");
    }

    /**
     * INFO memory's scripting lines, named and ordered as Redis 7.2's (after total_system_memory_human, before
     * maxmemory); cached scripts and function libraries are counted, SCRIPT FLUSH / FUNCTION FLUSH give it back.
     */
    @Test
    void memoryShowsScriptsAndFunctionsAsRedis72() {
        jedis.scriptFlush();
        jedis.functionFlush();
        List<String> names = jedis.info("memory").lines().filter(l -> l.contains(":"))
                .map(l -> l.substring(0, l.indexOf(':'))).toList();
        List<String> expected = List.of("total_system_memory_human", "used_memory_lua", "used_memory_vm_eval",
                "used_memory_lua_human", "used_memory_scripts_eval", "number_of_cached_scripts", "number_of_functions",
                "number_of_libraries", "used_memory_vm_functions", "used_memory_vm_total", "used_memory_vm_total_human",
                "used_memory_functions", "used_memory_scripts", "used_memory_scripts_human", "maxmemory");
        int at = names.indexOf("total_system_memory_human");
        assertThat(names.subList(at, at + expected.size())).isEqualTo(expected);
        Map<String, String> empty = fields(jedis.info("memory"));
        assertThat(empty.get("number_of_cached_scripts")).isEqualTo("0");
        assertThat(empty.get("used_memory_scripts_eval")).isEqualTo("0");
        assertThat(empty.get("number_of_libraries")).isEqualTo("0");
        assertThat(empty.get("used_memory_functions")).isEqualTo("184"); // as Redis 7.2 with no library

        for (int i = 0; i < 100; i++) jedis.scriptLoad("return redis.call('GET', KEYS[1]) .. '" + i + "'");
        jedis.eval("return 1");
        jedis.functionLoad("#!lua name=lib1\nredis.register_function('f1', function() return 1 end)\n"
                + "redis.register_function('f2', function() return 2 end)");
        Map<String, String> m = fields(jedis.info("memory"));
        assertThat(m.get("number_of_cached_scripts")).isEqualTo("101");
        assertThat(m.get("number_of_functions")).isEqualTo("2");
        assertThat(m.get("number_of_libraries")).isEqualTo("1");
        long scriptsEval = Long.parseLong(m.get("used_memory_scripts_eval"));
        assertThat(scriptsEval).as("each cached body counted").isGreaterThan(100L * 40);
        long functions = Long.parseLong(m.get("used_memory_functions"));
        assertThat(functions).isGreaterThan(184L);
        assertThat(Long.parseLong(m.get("used_memory_scripts"))).isEqualTo(scriptsEval + functions);
        long vmEval = Long.parseLong(m.get("used_memory_vm_eval"));
        assertThat(vmEval).isPositive().isEqualTo(Long.parseLong(m.get("used_memory_lua")));
        assertThat(Long.parseLong(m.get("used_memory_vm_total")))
                .isEqualTo(vmEval + Long.parseLong(m.get("used_memory_vm_functions")));
        assertThat(m.get("used_memory_scripts_human")).matches("\\d+(\\.\\d\\d[KMG])?B?");

        jedis.scriptFlush();
        jedis.functionFlush();
        Map<String, String> after = fields(jedis.info("memory"));
        assertThat(after.get("number_of_cached_scripts")).isEqualTo("0");
        assertThat(after.get("used_memory_scripts_eval")).isEqualTo("0");
        assertThat(after.get("number_of_functions")).isEqualTo("0");
        assertThat(after.get("used_memory_functions")).isEqualTo("184");
    }
}
