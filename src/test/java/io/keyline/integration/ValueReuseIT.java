package io.keyline.integration;

import io.keyline.engine.Propagator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.params.SortingParams;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plain SET or MSET of a long value over one of the same length copies the bytes into the stored
 * array (Database.setReusing). Nothing that read or shares the old value may see it change: the
 * copy COPY made, a list SORT ... STORE filled, SET ... GET's reply, and what the AOF logs for MSET, EXEC and
 * scripts, whose arguments are stored as values before the log is written.
 */
class ValueReuseIT extends ServerTestBase {
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    private static String v(char c) {
        return String.valueOf(c).repeat(1000);
    }

    @BeforeEach
    void record() {
        keyline.server().context().propagator(new Propagator() {
            @Override
            public long append(int db, byte[][] argv) {
                List<String> args = new ArrayList<>();
                for (byte[] a : argv) {
                    String s = new String(a, StandardCharsets.UTF_8);
                    args.add(s.length() == 1000 && s.chars().distinct().count() == 1 ? s.charAt(0) + "*1000" : s);
                }
                log.add(String.join(" ", args));
                return 0;
            }
        });
        log.clear();
    }

    @Test
    void overwritingInPlaceGivesTheNewValue() {
        for (char c = 'a'; c <= 'e'; c++) {
            assertThat(jedis.set("k", v(c))).isEqualTo("OK");
            assertThat(jedis.get("k")).isEqualTo(v(c));
        }
        assertThat(jedis.mset("k", v('x'), "k2", v('y'))).isEqualTo("OK");
        assertThat(jedis.mget("k", "k2")).containsExactly(v('x'), v('y'));
        assertThat(jedis.strlen("k")).isEqualTo(1000);
        assertThat(jedis.objectEncoding("k")).isEqualTo("raw");
    }

    @Test
    void aCopyKeepsItsValueWhenTheSourceIsOverwritten() {
        jedis.set("src", v('a'));
        assertThat(jedis.copy("src", "dst", false)).isTrue();
        jedis.set("src", v('b'));
        assertThat(jedis.get("dst")).isEqualTo(v('a'));
        jedis.set("dst", v('c'));
        assertThat(jedis.get("src")).isEqualTo(v('b'));
    }

    @Test
    void sortStoreKeepsTheValuesItGotWhenTheirKeysAreOverwritten() { // a list packs (copies) its elements
        jedis.rpush("ids", "1", "2");
        jedis.set("w_1", v('a'));
        jedis.set("w_2", v('b'));
        assertThat(jedis.sort("ids", new SortingParams().get("w_*"), "out")).isEqualTo(2);
        jedis.set("w_1", v('c'));
        jedis.set("w_2", v('d'));
        assertThat(jedis.lrange("out", 0, -1)).containsExactly(v('a'), v('b'));
    }

    @Test
    void setGetAnswersTheOldValue() {
        jedis.set("k", v('a'));
        assertThat(jedis.setGet("k", v('b'))).isEqualTo(v('a'));
        assertThat(jedis.getSet("k", v('c'))).isEqualTo(v('b'));
        assertThat(jedis.get("k")).isEqualTo(v('c'));
    }

    // In the three tests below the key first holds a short value, so the first write stores the
    // command's own argument array and the second one meets that array.
    @Test
    void theLogKeepsEveryValueOfAKeyWrittenTwiceInOneCommand() {
        jedis.set("k", "short");
        log.clear();
        jedis.mset("k", v('b'), "k", v('c'));
        assertThat(jedis.get("k")).isEqualTo(v('c'));
        assertThat(log).containsExactly("MSET k b*1000 k c*1000");
    }

    @Test
    void theLogKeepsEveryValueOfAKeyWrittenTwiceInATransaction() {
        jedis.set("k", "short");
        log.clear();
        Transaction t = jedis.multi();
        t.set("k", v('b'));
        t.copy("k", "k2", false);
        t.set("k", v('c'));
        t.exec();
        assertThat(log).containsExactly("MULTI", "SET k b*1000", "COPY k k2", "SET k c*1000", "EXEC");
        assertThat(jedis.get("k2")).isEqualTo(v('b'));
    }

    @Test
    void theLogKeepsEveryValueOfAKeyWrittenTwiceInAScript() {
        jedis.set("k", "short");
        log.clear();
        jedis.eval("redis.call('SET', KEYS[1], ARGV[1]); redis.call('SET', KEYS[1], ARGV[2])",
                List.of("k"), List.of(v('b'), v('c')));
        assertThat(log).containsExactly("MULTI", "SET k b*1000", "SET k c*1000", "EXEC");
        assertThat(jedis.get("k")).isEqualTo(v('c'));
    }

    @Test
    void pipelinedOverwritesFromTwoClientsLeaveOneWholeValue() throws Exception {
        jedis.set("k", v('a'));
        Thread other = new Thread(() -> {
            try (redis.clients.jedis.Jedis j = new redis.clients.jedis.Jedis("127.0.0.1", keyline.port())) {
                Pipeline p = j.pipelined();
                for (int i = 0; i < 2000; i++) p.set("k", v('b'));
                p.sync();
            }
        });
        other.start();
        Pipeline p = jedis.pipelined();
        List<redis.clients.jedis.Response<String>> reads = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            p.set("k", v('c'));
            reads.add(p.get("k"));
        }
        p.sync();
        other.join();
        for (var r : reads) assertThat(r.get()).isIn(v('b'), v('c'));
    }
}
