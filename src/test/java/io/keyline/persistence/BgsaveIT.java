package io.keyline.persistence;

import io.keyline.server.KeylineServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisDataException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * BGSAVE as a copy-on-write RDB snapshot: the file is the data at one instant although Jedis
 * writers keep going during the dump; the {@code save} policy fires; a failed BGSAVE stops writes
 * with MISCONF (stop-writes-on-bgsave-error) until a save succeeds.
 */
class BgsaveIT {
    private static final int PRELOAD = 150_000;
    private static final int WRITERS = 4;
    private static final String MISCONF = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to "
            + "persist to disk. Commands that may modify the data set are disabled, because this instance is configured "
            + "to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please "
            + "check the Redis logs for details about the RDB error.";
    private Path dir;
    private KeylineServer server;
    private KeylineServer reader;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("keyline-bgsave");
    }

    @AfterEach
    void tearDown() throws IOException {
        if (reader != null) reader.stop();
        if (server != null) server.stop();
        AofTestSupport.deleteTree(dir);
    }

    private Map<String, String> persistence(Jedis j) {
        Map<String, String> m = new java.util.HashMap<>();
        for (String line : j.info("persistence").split("\r\n")) {
            int i = line.indexOf(':');
            if (i > 0) m.put(line.substring(0, i), line.substring(i + 1));
        }
        return m;
    }

    private void awaitBgsaveDone(Jedis j) throws InterruptedException {
        for (int i = 0; i < 1500 && !"0".equals(persistence(j).get("rdb_bgsave_in_progress")); i++) Thread.sleep(20);
        assertThat(persistence(j).get("rdb_bgsave_in_progress")).isEqualTo("0");
    }

    /**
     * Each writer repeats: SET k:n, HSET h n, RPUSH l n, INCR counter (n = counter + 1). At any
     * instant, a writer's counter C means k:1..k:C exist, k:C+2 does not, the hash has fields
     * 1..C (perhaps C+1) and the list is 1..C (perhaps C+1). A file mixing stripes from different
     * moments breaks that, as the keys of one writer live in different stripes.
     */
    @Test
    void bgsaveUnderWriteLoadIsOnePointInTime() throws Exception {
        server = AofTestSupport.start(dir, "appendonly", "no");
        int port = server.port();
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            Pipeline p = j.pipelined();
            for (int i = 0; i < PRELOAD; i++) {
                switch (i % 3) {
                    case 0 -> p.set("pre:s:" + i, "value-" + i);
                    case 1 -> p.hset("pre:h:" + (i % 1000), "f" + i, "v" + i);
                    default -> p.rpush("pre:l:" + (i % 500), "e" + i);
                }
            }
            p.sync();
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] acked = new long[WRITERS];
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int id = w;
            Thread t = new Thread(() -> {
                try (Jedis j = new Jedis("127.0.0.1", port)) {
                    long n = 0;
                    while (!stop.get()) {
                        n++;
                        j.set("w" + id + ":k:" + n, Long.toString(n));
                        j.hset("w" + id + ":h", Long.toString(n), Long.toString(n));
                        j.rpush("w" + id + ":l", Long.toString(n));
                        assertThat(j.incr("w" + id + ":counter")).isEqualTo(n);
                        synchronized (acked) {
                            acked[id] = n;
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            threads.add(t);
            t.start();
        }
        long[] before = new long[WRITERS];
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            Thread.sleep(300);
            synchronized (acked) {
                System.arraycopy(acked, 0, before, 0, WRITERS);
            }
            assertThat(j.bgsave()).isEqualTo("Background saving started");
            awaitBgsaveDone(j);
            Thread.sleep(100);
            stop.set(true);
            for (Thread t : threads) t.join(10_000);
            assertThat(failure.get()).isNull();
            Map<String, String> info = persistence(j);
            assertThat(info.get("rdb_last_bgsave_status")).isEqualTo("ok");
            assertThat(info.get("rdb_saves")).isEqualTo("1");
            assertThat(Long.parseLong(info.get("rdb_last_bgsave_time_sec"))).isGreaterThanOrEqualTo(0);
            assertThat(Long.parseLong(info.get("rdb_last_cow_size"))).isGreaterThan(0);
            assertThat(info.get("rdb_current_bgsave_time_sec")).isEqualTo("-1");
        }
        // Load the file in a second server.
        Path other = Files.createDirectory(dir.resolve("reader"));
        Files.copy(dir.resolve("dump.rdb"), other.resolve("dump.rdb"), StandardCopyOption.REPLACE_EXISTING);
        reader = AofTestSupport.start(other, "appendonly", "no");
        try (Jedis j = new Jedis("127.0.0.1", reader.port())) {
            for (int i = 0; i < PRELOAD; i += 3) assertThat(j.get("pre:s:" + i)).isEqualTo("value-" + i);
            long fields = 0;
            for (int i = 0; i < PRELOAD; i++) if (i % 3 == 1 && i % 1000 == 1) fields++;
            assertThat(j.hlen("pre:h:1")).isEqualTo(fields);
            for (int w = 0; w < WRITERS; w++) {
                String c = j.get("w" + w + ":counter");
                long cut = c == null ? 0 : Long.parseLong(c);
                assertThat(cut).as("writer %d: writes acknowledged before BGSAVE are in the file", w)
                        .isGreaterThanOrEqualTo(before[w]);
                for (long n = 1; n <= cut; n++) assertThat(j.get("w" + w + ":k:" + n)).isEqualTo(Long.toString(n));
                assertThat(j.exists("w" + w + ":k:" + (cut + 2))).as("writer %d: nothing after the cut", w).isFalse();
                long hlen = j.hlen("w" + w + ":h");
                assertThat(hlen).isBetween(cut, cut + 1);
                long llen = j.llen("w" + w + ":l");
                assertThat(llen).isBetween(cut, cut + 1);
                List<String> list = j.lrange("w" + w + ":l", 0, -1);
                for (int i = 0; i < list.size(); i++) assertThat(list.get(i)).isEqualTo(Long.toString(i + 1));
                for (long n = 1; n <= cut; n++) assertThat(j.hget("w" + w + ":h", Long.toString(n))).isEqualTo(Long.toString(n));
            }
        }
    }

    @Test
    void savePolicyStartsABgsave() throws Exception {
        server = AofTestSupport.start(dir, "appendonly", "no");
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            long before = j.lastsave();
            j.configSet("save", "1 2");
            j.set("a", "1");
            Thread.sleep(2500);
            assertThat(persistence(j).get("rdb_saves")).isEqualTo("0"); // one change, the policy wants two
            j.set("b", "2");
            for (int i = 0; i < 150 && "0".equals(persistence(j).get("rdb_saves")); i++) Thread.sleep(20);
            awaitBgsaveDone(j);
            Map<String, String> info = persistence(j);
            assertThat(info.get("rdb_saves")).isEqualTo("1");
            assertThat(info.get("rdb_changes_since_last_save")).isEqualTo("0");
            assertThat(j.lastsave()).isGreaterThan(before);
            assertThat(Files.exists(dir.resolve("dump.rdb"))).isTrue();
        }
    }

    @Test
    void failedBgsaveStopsWritesWithMisconf() throws Exception {
        Path gone = Files.createDirectory(dir.resolve("gone"));
        server = AofTestSupport.start(gone, "appendonly", "no"); // `dir` is a protected parameter: set at start
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            j.set("k", "v");
            long lastsave = j.lastsave();
            Files.delete(gone); // the temp file cannot be created: the BGSAVE fails
            assertThat(j.bgsave()).isEqualTo("Background saving started");
            awaitBgsaveDone(j);
            assertThat(persistence(j).get("rdb_last_bgsave_status")).isEqualTo("err");
            assertThat(j.lastsave()).isEqualTo(lastsave);
            // no save policy: Redis does not stop writes
            j.configSet("save", "");
            assertThat(j.set("k", "v2")).isEqualTo("OK");
            j.configSet("save", "3600 1000000");
            assertThatThrownBy(() -> j.set("k", "v3")).isInstanceOf(JedisDataException.class).hasMessage(MISCONF);
            assertThatThrownBy(j::ping).isInstanceOf(JedisDataException.class).hasMessage(MISCONF);
            assertThat(j.get("k")).isEqualTo("v2"); // reads go on
            j.configSet("stop-writes-on-bgsave-error", "no");
            assertThat(j.set("k", "v4")).isEqualTo("OK");
            j.configSet("stop-writes-on-bgsave-error", "yes");
            assertThatThrownBy(() -> j.incr("n")).isInstanceOf(JedisDataException.class).hasMessage(MISCONF);
            // a good BGSAVE lifts it
            Files.createDirectory(gone);
            assertThat(j.bgsave()).isEqualTo("Background saving started");
            awaitBgsaveDone(j);
            assertThat(persistence(j).get("rdb_last_bgsave_status")).isEqualTo("ok");
            assertThat(j.set("k", "v5")).isEqualTo("OK");
            assertThat(Files.exists(gone.resolve("dump.rdb"))).isTrue();
        }
    }

    @Test
    void bgsaveRepliesAsRedis() throws Exception {
        server = AofTestSupport.start(dir, "appendonly", "no");
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertThatThrownBy(() -> j.sendCommand(redis.clients.jedis.Protocol.Command.BGSAVE, "now"))
                    .isInstanceOf(JedisDataException.class).hasMessage("ERR syntax error");
            // BGSAVE inside MULTI is scheduled, as Redis 7.2
            j.sendCommand(redis.clients.jedis.Protocol.Command.MULTI);
            j.sendCommand(redis.clients.jedis.Protocol.Command.BGSAVE);
            List<?> r = (List<?>) j.sendCommand(redis.clients.jedis.Protocol.Command.EXEC);
            assertThat(r).hasSize(1);
            assertThat(new String((byte[]) r.get(0), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("Background saving scheduled");
            for (int i = 0; i < 150 && !Files.exists(dir.resolve("dump.rdb")); i++) Thread.sleep(20);
            awaitBgsaveDone(j);
            assertThat(Files.exists(dir.resolve("dump.rdb"))).isTrue();
            assertThat(persistence(j).get("rdb_saves")).isEqualTo("1");
        }
    }

    private static void populate(Jedis j, int keys) {
        Pipeline p = j.pipelined();
        for (int i = 0; i < keys; i++) p.set("key:" + i, "value:" + i);
        p.sync();
    }

    private static long number(Map<String, String> info, String field) {
        return Long.parseLong(info.get(field));
    }

    private boolean tempFilesLeft() throws IOException {
        try (var files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("temp-"));
        }
    }

    /**
     * Redis 7.2's "Test FLUSHALL aborts bgsave": without a save policy FLUSHALL kills the BGSAVE
     * (not an error: the status stays ok), the changes stay unsaved, no file or temp file is left
     * and writes go on. The save is slowed to 20 s so only the kill can end it in time.
     */
    @Test
    void flushallKillsTheBgsave() throws Exception {
        server = AofTestSupport.start(dir, "appendonly", "no", "save", "");
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            populate(j, 2000);
            j.configSet("rdb-key-save-delay", "10000"); // 10 ms a key: 20 s
            assertThat(j.bgsave()).isEqualTo("Background saving started");
            assertThat(persistence(j).get("rdb_bgsave_in_progress")).isEqualTo("1");
            assertThat(j.flushAll()).isEqualTo("OK");
            for (int i = 0; i < 500 && !"0".equals(persistence(j).get("rdb_bgsave_in_progress")); i++) Thread.sleep(20);
            Map<String, String> info = persistence(j);
            assertThat(info.get("rdb_bgsave_in_progress")).isEqualTo("0");
            assertThat(info.get("rdb_last_bgsave_status")).isEqualTo("ok");
            assertThat(info.get("rdb_saves")).isEqualTo("0");
            assertThat(number(info, "rdb_changes_since_last_save")).isGreaterThan(1999);
            assertThat(Files.exists(dir.resolve("dump.rdb"))).isFalse();
            assertThat(tempFilesLeft()).isFalse();
            assertThat(j.set("x", "xx")).isEqualTo("OK");
        }
    }

    /**
     * With a save policy, FLUSHALL during a BGSAVE kills it and saves the empty dataset in the
     * foreground (flushAllDataAndResetRDB): rdb_changes_since_last_save is 0, dump.rdb is the empty
     * dataset (never the killed save's data), and the FLUSHALL still reaches the AOF.
     */
    @Test
    void flushallWithASavePolicyKillsTheBgsaveAndSavesTheEmptyDataset() throws Exception {
        server = AofTestSupport.start(dir, "appendonly", "yes", "save", "3600 1");
        Path other = Files.createDirectory(dir.resolve("reader"));
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            populate(j, 2000);
            j.configSet("rdb-key-save-delay", "10000");
            long savesBefore = number(persistence(j), "rdb_saves");
            assertThat(j.bgsave()).isEqualTo("Background saving started");
            assertThat(j.flushAll()).isEqualTo("OK");
            Map<String, String> info = persistence(j);
            assertThat(info.get("rdb_changes_since_last_save")).isEqualTo("0");
            assertThat(number(info, "rdb_saves")).isEqualTo(savesBefore + 1);
            awaitBgsaveDone(j);
            assertThat(persistence(j).get("rdb_last_bgsave_status")).isEqualTo("ok");
            assertThat(number(persistence(j), "rdb_saves")).isEqualTo(savesBefore + 1);
            assertThat(tempFilesLeft()).isFalse();
            Files.copy(dir.resolve("dump.rdb"), other.resolve("dump.rdb")); // before the shutdown saves again
            j.set("after", "1");
        }
        server.stop();
        server = null;
        // The dump is the empty dataset; the AOF replays the FLUSHALL and the write after it.
        reader = AofTestSupport.start(other, "appendonly", "no");
        try (Jedis j = new Jedis("127.0.0.1", reader.port())) {
            assertThat(j.dbSize()).isZero();
        }
        reader.stop();
        reader = null;
        server = AofTestSupport.start(dir, "appendonly", "yes", "save", "");
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertThat(j.dbSize()).isEqualTo(1);
            assertThat(j.get("after")).isEqualTo("1");
        }
    }

    /** FLUSHALL without a save policy counts as a change, as in Redis ("should not reset the dirty counter"). */
    @Test
    void flushallWithoutASavePolicyKeepsTheChangeCount() throws Exception {
        server = AofTestSupport.start(dir, "appendonly", "no", "save", "");
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            j.set("key", "value");
            j.flushAll();
            assertThat(number(persistence(j), "rdb_changes_since_last_save")).isGreaterThan(0);
            j.configSet("save", "3600 1 300 100 60 10000");
            j.set("key", "value");
            j.flushAll();
            assertThat(persistence(j).get("rdb_changes_since_last_save")).isEqualTo("0");
        }
    }

    /**
     * INFO's current_save_* and current_cow_* fields follow a running BGSAVE and an AOF rewrite
     * (slowed by rdb-key-save-delay): keys at the cut, keys processed so far, the progress in
     * percent; all back to 0 once no save runs.
     */
    @Test
    void infoFollowsARunningSave() throws Exception {
        server = AofTestSupport.start(dir, "appendonly", "no", "save", "");
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            populate(j, 2000);
            // A rewrite of 4 s, left to finish; then a BGSAVE of 20 s, killed by FLUSHALL.
            for (String job : new String[]{"bgrewriteaof", "bgsave"}) {
                boolean bgsave = job.equals("bgsave");
                j.configSet("rdb-key-save-delay", bgsave ? "10000" : "2000");
                assertThat(bgsave ? j.bgsave() : j.bgrewriteaof()).startsWith("Background");
                Map<String, String> info = persistence(j);
                for (int i = 0; i < 500 && number(info, "current_save_keys_processed") == 0; i++) {
                    Thread.sleep(20);
                    info = persistence(j);
                }
                assertThat(number(info, "current_save_keys_total")).isEqualTo(2000);
                assertThat(number(info, "current_save_keys_processed")).isBetween(1L, 1999L);
                assertThat(Double.parseDouble(info.get("current_fork_perc"))).isGreaterThan(0).isLessThan(100);
                assertThat(number(info, "current_cow_peak")).isGreaterThanOrEqualTo(number(info, "current_cow_size"));
                assertThat(info.get("current_cow_size_age")).isEqualTo("0");
                if (bgsave) {
                    j.flushAll(); // kills it
                    awaitBgsaveDone(j);
                } else {
                    for (int i = 0; i < 1500 && !"0".equals(persistence(j).get("aof_rewrite_in_progress")); i++) Thread.sleep(20);
                    assertThat(persistence(j).get("aof_last_bgrewrite_status")).isEqualTo("ok");
                }
                info = persistence(j);
                assertThat(info.get("current_save_keys_total")).isEqualTo("0");
                assertThat(info.get("current_save_keys_processed")).isEqualTo("0");
                assertThat(info.get("current_fork_perc")).isEqualTo("0.00");
                assertThat(info.get("current_cow_size")).isEqualTo("0");
            }
        }
    }

    /**
     * Redis 7.2's startAppendOnly during a BGSAVE: CONFIG SET appendonly yes succeeds, INFO shows
     * aof_enabled:1 and aof_rewrite_scheduled:1, and the rewrite that turns the AOF on runs once
     * the save ended; the data then survives a restart from the AOF.
     */
    @Test
    void appendonlyYesDuringABgsaveSchedulesTheRewrite() throws Exception {
        server = AofTestSupport.start(dir, "appendonly", "no", "save", "");
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            populate(j, 3000);
            j.configSet("rdb-key-save-delay", "1000"); // 3 s
            assertThat(j.bgsave()).isEqualTo("Background saving started");
            assertThat(j.configSet("appendonly", "yes")).isEqualTo("OK");
            Map<String, String> info = persistence(j);
            assertThat(info.get("rdb_bgsave_in_progress")).isEqualTo("1");
            assertThat(info.get("aof_enabled")).isEqualTo("1");
            assertThat(info.get("aof_rewrite_scheduled")).isEqualTo("1");
            assertThat(info.get("aof_rewrite_in_progress")).isEqualTo("0");
            assertThat(j.configGet("appendonly")).containsEntry("appendonly", "yes");
            j.configSet("rdb-key-save-delay", "0"); // the rewrite to come runs at full speed
            j.set("during", "1");
            awaitBgsaveDone(j);
            for (int i = 0; i < 1500; i++) {
                info = persistence(j);
                if ("0".equals(info.get("aof_rewrite_scheduled")) && "0".equals(info.get("aof_rewrite_in_progress"))
                        && "1".equals(info.get("aof_rewrites"))) break;
                Thread.sleep(20);
            }
            assertThat(info.get("aof_rewrite_scheduled")).isEqualTo("0");
            assertThat(info.get("aof_rewrites")).isEqualTo("1");
            assertThat(info.get("aof_last_bgrewrite_status")).isEqualTo("ok");
            assertThat(info.get("aof_enabled")).isEqualTo("1");
            j.set("after", "2");
        }
        server.stop();
        server = AofTestSupport.start(dir, "appendonly", "yes", "save", "");
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertThat(j.dbSize()).isEqualTo(3002);
            assertThat(j.get("during")).isEqualTo("1");
            assertThat(j.get("after")).isEqualTo("2");
        }
    }
}
