package io.keyline.integration;

import io.keyline.embed.EmbeddedKeyline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** SLOWLOG, LATENCY and INFO latencystats/errorstats over the wire, with Redis 7.2's reply shapes. */
class MonitoringIT extends ServerTestBase {
    @Override
    protected void configure(EmbeddedKeyline.Builder builder) {
        builder.config("enable-debug-command", "yes");
    }

    @AfterEach
    void restoreDefaults() {
        respValue("CONFIG", "SET", "slowlog-log-slower-than", "10000", "slowlog-max-len", "128",
                "latency-monitor-threshold", "0", "latency-tracking", "yes",
                "latency-tracking-info-percentiles", "50 99 99.9");
        respValue("SLOWLOG", "RESET");
        respValue("LATENCY", "RESET");
    }

    @SuppressWarnings("unchecked")
    private List<List<Object>> slowlog(String... countArg) {
        String[] argv = new String[2 + countArg.length];
        argv[0] = "SLOWLOG";
        argv[1] = "GET";
        System.arraycopy(countArg, 0, argv, 2, countArg.length);
        return (List<List<Object>>) respValue(argv);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> args(List<Object> entry) {
        return (List<Object>) entry.get(3);
    }

    @Test
    void slowerThanZeroLogsEveryCommandWithClientAddressAndName() {
        assertThat(respValue("CONFIG", "GET", "slowlog-log-slower-than")).isEqualTo(List.of("slowlog-log-slower-than", "10000"));
        respValue("CONFIG", "SET", "slowlog-log-slower-than", "0");
        respValue("SLOWLOG", "RESET");
        jedis.clientSetname("monitor-test");
        jedis.set("k", "v");
        List<List<Object>> entries = slowlog();
        assertThat(entries).hasSize(3); // SLOWLOG RESET, CLIENT SETNAME, SET: newest first
        List<Object> set = entries.get(0);
        assertThat(set).hasSize(6);
        assertThat(args(set)).containsExactly("SET", "k", "v"); // as sent
        assertThat((Long) set.get(0)).isGreaterThan((Long) entries.get(1).get(0));
        assertThat((Long) set.get(1)).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));
        assertThat((Long) set.get(2)).isGreaterThanOrEqualTo(0);
        assertThat((String) set.get(4)).startsWith("127.0.0.1:");
        assertThat(set.get(5)).isEqualTo("monitor-test");
        assertThat(args(entries.get(1))).containsExactly("CLIENT", "SETNAME", "monitor-test");
        assertThat(args(entries.get(2))).containsExactly("SLOWLOG", "RESET");
        assertThat(respValue("SLOWLOG", "LEN")).isEqualTo(4L); // the GET above is logged too
    }

    @Test
    void negativeThresholdDisablesAndMaxLenTrims() {
        respValue("CONFIG", "SET", "slowlog-log-slower-than", "-1");
        respValue("SLOWLOG", "RESET");
        jedis.set("a", "1");
        assertThat(respValue("SLOWLOG", "LEN")).isEqualTo(0L);
        respValue("CONFIG", "SET", "slowlog-log-slower-than", "0", "slowlog-max-len", "3");
        for (int i = 0; i < 10; i++) jedis.set("k" + i, "v");
        assertThat(respValue("SLOWLOG", "LEN")).isEqualTo(3L);
        assertThat(slowlog("-1")).hasSize(3);
        assertThat(slowlog("1")).hasSize(1);
        assertThat(respValue("SLOWLOG", "GET", "-2")).isEqualTo("!ERR count should be greater than or equal to -1");
        assertThat(respValue("SLOWLOG", "GET", "x")).isEqualTo("!ERR count should be greater than or equal to -1");
        assertThat(respValue("SLOWLOG", "GET", "1", "2"))
                .isEqualTo("!ERR unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG HELP.");
        assertThat(respValue("SLOWLOG", "RESET")).isEqualTo("OK");
        assertThat(respValue("SLOWLOG", "LEN")).isEqualTo(1L); // the RESET itself
    }

    @Test
    void longArgumentsAndArgumentListsAreTrimmedAndSecretsRedacted() {
        respValue("CONFIG", "SET", "slowlog-log-slower-than", "0");
        String[] members = new String[39];
        for (int i = 0; i < members.length; i++) members[i] = "m" + i;
        jedis.sadd("s", members);
        jedis.set("big", "x".repeat(200));
        respValue("AUTH", "nosuchpassword");
        respValue("CONFIG", "SET", "slowlog-log-slower-than", "-1");
        // The CONFIG SET that disabled the log is not logged: the threshold is read after the command, as Redis.
        List<List<Object>> entries = slowlog("3");
        assertThat(args(entries.get(0))).containsExactly("AUTH", "(redacted)");
        assertThat(args(entries.get(1))).containsExactly("SET", "big", "x".repeat(128) + "... (72 more bytes)");
        List<Object> sadd = args(entries.get(2));
        assertThat(sadd).hasSize(32);
        assertThat(sadd.get(31)).isEqualTo("... (10 more arguments)");
    }

    @Test
    void execIsNotLoggedButTheCommandsItRuns() {
        respValue("CONFIG", "SET", "slowlog-log-slower-than", "0");
        respValue("SLOWLOG", "RESET");
        redis.clients.jedis.Transaction t = jedis.multi();
        t.set("a", "1");
        t.incr("a");
        t.exec();
        List<List<Object>> entries = slowlog();
        assertThat(entries).extracting(e -> args(e).get(0)).containsExactly("INCR", "SET", "MULTI", "SLOWLOG");
    }

    @Test
    void blockedCommandIsLoggedOnlyOnceAnswered() throws Exception {
        respValue("CONFIG", "SET", "slowlog-log-slower-than", "0");
        respValue("SLOWLOG", "RESET");
        try (Jedis blocked = newJedis()) {
            CompletableFuture<List<String>> pop = CompletableFuture.supplyAsync(() -> blocked.blpop(0, "queue"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!jedis.info("clients").contains("blocked_clients:1") && System.nanoTime() < deadline) Thread.sleep(10);
            assertThat(slowlog("-1")).noneMatch(e -> args(e).get(0).equals("BLPOP"));
            jedis.lpush("queue", "x");
            assertThat(pop.get(5, TimeUnit.SECONDS)).containsExactly("queue", "x");
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (slowlog("-1").stream().noneMatch(e -> args(e).get(0).equals("BLPOP")) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(slowlog("-1")).filteredOn(e -> args(e).get(0).equals("BLPOP")).singleElement()
                    .satisfies(e -> assertThat(args(e)).containsExactly("BLPOP", "queue", "0"));
        }
    }

    @Test
    void latencyMonitorOffByDefaultThenRecordsSlowCommands() {
        respValue("DEBUG", "SLEEP", "0.05");
        assertThat(respValue("LATENCY", "LATEST")).isEqualTo(List.of());
        assertThat((String) respValue("LATENCY", "DOCTOR")).startsWith("I'm sorry, Dave, I can't do that.");
        respValue("CONFIG", "SET", "latency-monitor-threshold", "20");
        String doctor = (String) respValue("LATENCY", "DOCTOR");
        // Redis's exact words; on a host where this JVM uses transparent huge pages it gives that advice instead, as Redis.
        if (!doctor.contains("anonymous huge pages")) {
            assertThat(doctor).isEqualTo("Dave, no latency spike was observed during the lifetime of this Redis "
                    + "instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress "
                    + "pill, and think things over.\n");
        }
        respValue("DEBUG", "SLEEP", "0.05");
        @SuppressWarnings("unchecked")
        List<List<Object>> latest = (List<List<Object>>) respValue("LATENCY", "LATEST");
        assertThat(latest).singleElement().satisfies(row -> {
            assertThat(row.get(0)).isEqualTo("command");
            assertThat((Long) row.get(2)).isBetween(45L, 5000L);
            assertThat(row.get(3)).isEqualTo(row.get(2));
        });
        @SuppressWarnings("unchecked")
        List<List<Long>> history = (List<List<Long>>) respValue("LATENCY", "HISTORY", "command");
        assertThat(history).singleElement().satisfies(s -> assertThat(s.get(1)).isEqualTo(latest.get(0).get(2)));
        assertThat((String) respValue("LATENCY", "GRAPH", "command")).startsWith("command - high ")
                .contains("\n" + "-".repeat(80) + "\n");
        assertThat((String) respValue("LATENCY", "DOCTOR")).startsWith("Dave, I have observed latency spikes")
                .contains("1. command: 1 latency spikes");
        assertThat(respValue("LATENCY", "GRAPH", "nosuch")).isEqualTo("!ERR No samples available for event 'nosuch'");
        assertThat(respValue("LATENCY", "HISTORY", "nosuch")).isEqualTo(List.of());
        assertThat(respValue("LATENCY", "RESET", "nosuch")).isEqualTo(0L);
        assertThat(respValue("LATENCY", "RESET")).isEqualTo(1L);
        assertThat(respValue("LATENCY", "LATEST")).isEqualTo(List.of());
    }

    @Test
    @SuppressWarnings("unchecked")
    void histogramShapeAfterAFewSets() throws Exception {
        respValue("CONFIG", "RESETSTAT");
        for (int i = 0; i < 5; i++) jedis.set("k", "v");
        List<Object> reply = (List<Object>) respValue("LATENCY", "HISTOGRAM", "set", "nosuch");
        assertThat(reply).hasSize(2);
        assertThat(reply.get(0)).isEqualTo("set");
        List<Object> body = (List<Object>) reply.get(1);
        assertThat(body.get(0)).isEqualTo("calls");
        assertThat(body.get(1)).isEqualTo(5L);
        assertThat(body.get(2)).isEqualTo("histogram_usec");
        List<Long> buckets = (List<Long>) (List<?>) body.get(3);
        assertThat(buckets.size() % 2).isZero();
        assertThat(buckets.get(buckets.size() - 1)).isEqualTo(5L);
        List<Long> bounds = List.of(1L, 2L, 4L, 8L, 16L, 33L, 66L, 132L, 264L, 528L, 1056L, 2113L, 4227L, 8454L, 16908L,
                33816L, 67633L, 135266L, 270532L, 541065L, 1082130L);
        for (int i = 0; i < buckets.size(); i += 2) assertThat(bounds).contains(buckets.get(i));
        // A container name lists its subcommands; no calls, no entry.
        List<Object> config = (List<Object>) respValue("LATENCY", "HISTOGRAM", "config");
        assertThat(config).containsSubsequence("config|resetstat");
        assertThat(respValue("LATENCY", "HISTOGRAM", "lpush")).isEqualTo(List.of());
        // RESP3: a map of maps, bucket bounds and counts as integers.
        String resp3 = raw("HELLO 3\r\nLATENCY HISTOGRAM set\r\n", 100_000);
        assertThat(resp3.substring(resp3.indexOf("%1\r\n$3\r\nset\r\n")))
                .matches("(?s)%1\r\n\\$3\r\nset\r\n%2\r\n\\$5\r\ncalls\r\n:5\r\n\\$14\r\nhistogram_usec\r\n%\\d+\r\n(:\\d+\r\n)+");
    }

    @Test
    void infoLatencystatsAndErrorstats() {
        respValue("CONFIG", "RESETSTAT");
        jedis.set("a", "1");
        assertThat(jedis.info("latencystats"))
                .matches("(?s)# Latencystats\r\n.*latency_percentiles_usec_set:p50=\\d+\\.\\d{3},p99=\\d+\\.\\d{3},p99\\.9=\\d+\\.\\d{3}\r\n.*")
                .contains("latency_percentiles_usec_config|resetstat:p50=");
        respValue("CONFIG", "SET", "latency-tracking-info-percentiles", "0 50 99.99 100");
        assertThat(jedis.info("latencystats")).containsPattern("latency_percentiles_usec_set:p0=[\\d.]+,p50=[\\d.]+,p99\\.99=[\\d.]+,p100=[\\d.]+\r\n");
        respValue("CONFIG", "SET", "latency-tracking", "no");
        assertThat(jedis.info("latencystats")).isEqualTo("# Latencystats\r\n");
        respValue("CONFIG", "SET", "latency-tracking", "yes");

        respValue("CONFIG", "RESETSTAT");
        respValue("LPUSH", "a", "x");
        respValue("NOSUCHCOMMAND");
        respValue("GET", "a", "b");
        assertThat(jedis.info("errorstats")).isEqualTo("# Errorstats\r\nerrorstat_ERR:count=2\r\nerrorstat_WRONGTYPE:count=1\r\n");
        assertThat(jedis.info("stats")).contains("total_error_replies:3\r\n");
        assertThat(jedis.info("commandstats")).containsPattern("cmdstat_lpush:calls=1,.*,rejected_calls=0,failed_calls=1")
                .containsPattern("cmdstat_get:calls=0,.*,rejected_calls=1,failed_calls=0");
    }

    @Test
    void helpTexts() {
        @SuppressWarnings("unchecked")
        List<Object> help = (List<Object>) respValue("SLOWLOG", "HELP");
        assertThat(help.get(0)).isEqualTo("SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        assertThat(help).hasSize(12);
        @SuppressWarnings("unchecked")
        List<Object> latencyHelp = (List<Object>) respValue("LATENCY", "HELP");
        assertThat(latencyHelp).contains("HISTOGRAM [COMMAND ...]").hasSize(17);
        assertThat(respValue("LATENCY", "NOPE")).isEqualTo("!ERR unknown subcommand 'NOPE'. Try LATENCY HELP.");
    }
}
