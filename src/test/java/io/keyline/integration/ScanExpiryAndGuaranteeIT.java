package io.keyline.integration;

import io.keyline.embed.EmbeddedKeyline;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SCAN reclaims the expired keys it meets (scan.tcl "SCAN with expired keys"), and SSCAN / ZSCAN /
 * HSCAN return every element present for the whole scan while other clients add and remove members.
 */
class ScanExpiryAndGuaranteeIT extends ServerTestBase {
    private static final redis.clients.jedis.commands.ProtocolCommand DEBUG = () -> "DEBUG".getBytes();

    @Override
    protected void configure(EmbeddedKeyline.Builder builder) {
        builder.config("enable-debug-command", "yes");
    }

    private long keyspaceKeys() {
        Matcher m = Pattern.compile("db0:keys=(\\d+)").matcher(jedis.info("keyspace"));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private List<String> scanAll(ScanParams params) {
        List<String> keys = new ArrayList<>();
        String cursor = "0";
        do {
            ScanResult<String> r = jedis.scan(cursor, params);
            keys.addAll(r.getResult());
            cursor = r.getCursor();
        } while (!cursor.equals("0"));
        return keys;
    }

    @Test
    void scanReclaimsExpiredKeysItMeets() throws Exception {
        jedis.sendCommand(DEBUG, "SET-ACTIVE-EXPIRE", "0");
        try {
            for (int i = 0; i < 1000; i++) jedis.set("key:" + i, "v");
            jedis.set("foo", "bar");
            jedis.pexpire("foo", 1);
            jedis.hset("hash", "f", "v");
            jedis.pexpire("hash", 1);
            Thread.sleep(10);
            assertThat(keyspaceKeys()).isEqualTo(1002); // stale keys still counted
            assertThat(scanAll(new ScanParams().count(10))).hasSize(1000);
            assertThat(keyspaceKeys()).isEqualTo(1000);
        } finally {
            jedis.sendCommand(DEBUG, "SET-ACTIVE-EXPIRE", "1");
        }
    }

    @Test
    void scanReclaimsOnlyExpiredKeysMatchingThePattern() throws Exception {
        jedis.sendCommand(DEBUG, "SET-ACTIVE-EXPIRE", "0");
        try {
            jedis.set("a:1", "v");
            jedis.pexpire("a:1", 1);
            jedis.set("b:1", "v");
            jedis.pexpire("b:1", 1);
            jedis.set("a:2", "v");
            Thread.sleep(10);
            assertThat(scanAll(new ScanParams().match("a:*").count(100))).containsExactly("a:2");
            assertThat(keyspaceKeys()).isEqualTo(2); // b:1 did not pass MATCH, as in Redis it stays
            assertThat(scanAll(new ScanParams().count(100))).containsExactly("a:2");
            assertThat(keyspaceKeys()).isEqualTo(1);
        } finally {
            jedis.sendCommand(DEBUG, "SET-ACTIVE-EXPIRE", "1");
        }
    }

    @Test
    void collectionCursorsAreUnsignedAsInRedis() {
        jedis.sadd("ints", "1", "2", "3");
        ScanResult<String> r = jedis.sscan("ints", "-1"); // 2^64-1; a small set is returned whole anyway
        assertThat(r.getCursor()).isEqualTo("0");
        assertThat(r.getResult()).containsExactlyInAnyOrder("1", "2", "3");
        assertThat(jedis.sscan("ints", "18446744073709551615").getResult()).hasSize(3);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> jedis.sscan("ints", "18446744073709551616"))
                .hasMessage("ERR invalid cursor");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> jedis.sscan("ints", " 1"))
                .hasMessage("ERR invalid cursor");
        assertThat(jedis.sscan("ints", "").getResult()).hasSize(3);
    }

    /** Another client adds and removes churn members until stopped. */
    private Thread churn(AtomicBoolean stop, String key, String type) {
        Thread t = new Thread(() -> {
            try (Jedis w = newJedis()) {
                int n = 0;
                while (!stop.get()) {
                    String[] batch = new String[500];
                    for (int i = 0; i < batch.length; i++) batch[i] = "churn:" + (n++);
                    switch (type) {
                        case "set" -> w.sadd(key, batch);
                        case "zset" -> {
                            for (String m : batch) w.zadd(key, 1, m);
                        }
                        default -> {
                            for (String m : batch) w.hset(key, m, "v");
                        }
                    }
                    if (n % 3000 == 0) {
                        // drop everything added so far so the table shrinks
                        for (int j = n - 3000; j < n; j += 500) {
                            String[] del = new String[500];
                            for (int i = 0; i < 500; i++) del[i] = "churn:" + (j + i);
                            switch (type) {
                                case "set" -> w.srem(key, del);
                                case "zset" -> w.zrem(key, del);
                                default -> w.hdel(key, del);
                            }
                        }
                    }
                }
            }
        });
        t.start();
        return t;
    }

    private void assertScanUnderChurn(String type) throws Exception {
        String key = type + "-key";
        for (int i = 0; i < 500; i++) {
            switch (type) {
                case "set" -> jedis.sadd(key, "stable:" + i);
                case "zset" -> jedis.zadd(key, 0, "stable:" + i);
                default -> jedis.hset(key, "stable:" + i, "v");
            }
        }
        for (int round = 0; round < 3; round++) {
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = churn(stop, key, type);
            Set<String> seen = new HashSet<>();
            String cursor = "0";
            try {
                do {
                    ScanParams p = new ScanParams().count(5);
                    switch (type) {
                        case "set" -> {
                            ScanResult<String> r = jedis.sscan(key, cursor, p);
                            seen.addAll(r.getResult());
                            cursor = r.getCursor();
                        }
                        case "zset" -> {
                            var r = jedis.zscan(key, cursor, p);
                            r.getResult().forEach(t -> seen.add(t.getElement()));
                            cursor = r.getCursor();
                        }
                        default -> {
                            var r = jedis.hscan(key, cursor, p);
                            r.getResult().forEach(e -> seen.add(e.getKey()));
                            cursor = r.getCursor();
                        }
                    }
                } while (!cursor.equals("0"));
            } finally {
                stop.set(true);
                writer.join();
            }
            for (int i = 0; i < 500; i++) assertThat(seen).as(type + " round " + round).contains("stable:" + i);
            jedis.del(key);
            for (int i = 0; i < 500; i++) {
                switch (type) {
                    case "set" -> jedis.sadd(key, "stable:" + i);
                    case "zset" -> jedis.zadd(key, 0, "stable:" + i);
                    default -> jedis.hset(key, "stable:" + i, "v");
                }
            }
        }
    }

    @Test
    void sscanReturnsStableMembersWhileOthersAddAndRemove() throws Exception {
        assertScanUnderChurn("set");
    }

    @Test
    void zscanReturnsStableMembersWhileOthersAddAndRemove() throws Exception {
        assertScanUnderChurn("zset");
    }

    @Test
    void hscanReturnsStableFieldsWhileOthersAddAndRemove() throws Exception {
        assertScanUnderChurn("hash");
    }
}
