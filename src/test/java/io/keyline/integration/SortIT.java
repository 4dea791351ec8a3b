package io.keyline.integration;

import io.keyline.store.Database;
import io.keyline.store.HashLike;
import io.keyline.store.Keyspace;
import io.keyline.store.ListLike;
import io.keyline.store.TypeHooks;
import io.lettuce.core.SortArgs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.params.SortingParams;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SORT and SORT_RO through Jedis and Lettuce over sets and sorted sets, and over lists and hashes
 * through the {@link ListLike}/{@link HashLike} seams (test values written into the keyspace, so
 * this test does not depend on the list and hash families).
 */
class SortIT extends ServerTestBase {
    static final class TestList implements ListLike {
        final List<byte[]> items = new ArrayList<>();

        @Override
        public int size() {
            return items.size();
        }

        @Override
        public void forEach(Consumer<byte[]> action) {
            items.forEach(action);
        }
    }

    static final class TestHash implements HashLike {
        final Map<String, byte[]> fields = new HashMap<>();

        @Override
        public byte[] get(byte[] field) {
            return fields.get(new String(field, StandardCharsets.UTF_8));
        }
    }

    private void put(String key, Object value) {
        Keyspace ks = keyline.server().keyspace();
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int stripe = ks.stripeOf(k);
        ks.lock(stripe);
        try {
            ks.db(0).set(k, value, Database.NO_TTL);
        } finally {
            ks.unlock(stripe);
        }
    }

    private Object get(String key) {
        Keyspace ks = keyline.server().keyspace();
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int stripe = ks.stripeOf(k);
        ks.lock(stripe);
        try {
            return ks.db(0).get(k);
        } finally {
            ks.unlock(stripe);
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @AfterEach
    void resetHook() {
        TypeHooks.listFactory = null;
    }

    private Object call(String... argv) {
        return respValue(argv);
    }

    @Test
    void numericAlphaLimitDesc() {
        jedis.sadd("s", "3", "1", "2", "10");
        assertThat(jedis.sort("s")).containsExactly("1", "2", "3", "10");
        assertThat(jedis.sort("s", new SortingParams().desc().limit(1, 2))).containsExactly("3", "2");
        assertThat(jedis.sort("s", new SortingParams().alpha())).containsExactly("1", "10", "2", "3");
        assertThat(jedis.sortReadonly("s", new SortingParams().desc())).containsExactly("10", "3", "2", "1");
        assertThat(lettuce.sort("s", SortArgs.Builder.desc().limit(0, 1))).containsExactly("10");
        assertThat(lettuce.sortReadOnly("s")).containsExactly("1", "2", "3", "10");
        assertThat(jedis.sort("nokey")).isEmpty();
        jedis.sadd("words", "b", "a");
        assertThat(call("SORT", "words")).isEqualTo("!ERR One or more scores can't be converted into double");
        assertThat(jedis.sort("words", new SortingParams().alpha())).containsExactly("a", "b");
    }

    @Test
    void byAndGetPatterns() {
        jedis.sadd("s", "1", "2", "3");
        jedis.mset("w_1", "30", "w_2", "10", "w_3", "20", "n_1", "one", "n_2", "two");
        assertThat(jedis.sort("s", new SortingParams().by("w_*"))).containsExactly("2", "3", "1");
        assertThat(jedis.sort("s", new SortingParams().by("w_*").get("n_*", "#")))
                .containsExactly("two", "2", null, "3", "one", "1");
        assertThat(lettuce.sort("s", SortArgs.Builder.by("w_*").get("#").desc())).containsExactly("1", "3", "2");
        assertThat(call("SORT", "s", "BY", "nosort", "GET", "#")).asList().hasSize(3);
        jedis.zadd("z", Map.of("c", 1.0, "b", 2.0, "a", 3.0));
        assertThat(call("SORT", "z", "BY", "nosort")).isEqualTo(List.of("c", "b", "a"));
        assertThat(call("SORT", "z", "BY", "nosort", "DESC", "LIMIT", "1", "5")).isEqualTo(List.of("b", "c"));
        jedis.set("w_3", "abc");
        assertThat(call("SORT", "s", "BY", "w_*")).isEqualTo("!ERR One or more scores can't be converted into double");
    }

    @Test
    void listsAndHashFieldsThroughTheSeams() {
        TestList list = new TestList();
        for (String s : new String[] {"3", "1", "2"}) list.items.add(b(s));
        put("l", list);
        for (int i = 1; i <= 3; i++) {
            TestHash h = new TestHash();
            h.fields.put("weight", b(Integer.toString(10 - i)));
            h.fields.put("name", b("item" + i));
            put("h_" + i, h);
        }
        assertThat(jedis.sort("l")).containsExactly("1", "2", "3");
        assertThat(call("SORT", "l", "BY", "nosort")).isEqualTo(List.of("3", "1", "2"));
        assertThat(call("SORT", "l", "BY", "nosort", "DESC")).isEqualTo(List.of("2", "1", "3"));
        assertThat(call("SORT", "l", "BY", "nosort", "DESC", "LIMIT", "1", "1")).isEqualTo(List.of("1"));
        assertThat(call("SORT", "l", "BY", "nosort", "LIMIT", "1", "5")).isEqualTo(List.of("1", "2"));
        assertThat(call("SORT", "l", "BY", "h_*->weight", "GET", "h_*->name", "GET", "h_*->nope"))
                .isEqualTo(java.util.Arrays.asList("item3", null, "item2", null, "item1", null));
        assertThat(call("SORT", "l", "GET", "h_*->")).isEqualTo(java.util.Arrays.asList(null, null, null));
    }

    @Test
    void storeBuildsAListThroughTheHook() {
        jedis.sadd("s", "2", "1");
        List<Object> limitsSeen = new ArrayList<>();
        TypeHooks.listFactory = (limits, elements) -> {
            limitsSeen.add(limits);
            TestList l = new TestList();
            l.items.addAll(elements);
            return l;
        };
        assertThat(jedis.sort("s", "dst")).isEqualTo(2);
        Object stored = get("dst");
        assertThat(stored).isInstanceOf(TestList.class);
        assertThat(((TestList) stored).items).extracting(x -> new String(x, StandardCharsets.UTF_8)).containsExactly("1", "2");
        assertThat(limitsSeen).containsExactly(keyline.server().context().encodingLimits()); // the server's, live
        assertThat(lettuce.sortStore("s", SortArgs.Builder.get("nokey_*"), "dst")).isEqualTo(2);
        assertThat(((TestList) get("dst")).items).extracting(x -> x.length).containsExactly(0, 0);
        assertThat(jedis.sort("nokey", "dst")).isZero();
        assertThat(jedis.exists("dst")).isFalse();
    }

    @Test
    void errors() {
        jedis.sadd("s", "1");
        jedis.set("str", "v");
        assertThat(call("SORT", "str")).isEqualTo("!WRONGTYPE Operation against a key holding the wrong kind of value");
        assertThat(call("SORT_RO", "str")).isEqualTo("!WRONGTYPE Operation against a key holding the wrong kind of value");
        assertThat(call("SORT", "s", "LIMIT", "1")).isEqualTo("!ERR syntax error");
        assertThat(call("SORT", "s", "FOO")).isEqualTo("!ERR syntax error");
        assertThat(call("SORT_RO", "s", "STORE", "d")).isEqualTo("!ERR syntax error");
        assertThat(call("SORT", "s", "LIMIT", "a", "1")).isEqualTo("!ERR value is not an integer or out of range");
        assertThat(call("SORT")).isEqualTo("!ERR wrong number of arguments for 'sort' command");
    }
}
