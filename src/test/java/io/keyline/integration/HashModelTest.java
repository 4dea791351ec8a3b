package io.keyline.integration;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Thousands of random hash operations sent to Keyline through Jedis and applied to a
 * LinkedHashMap model; every reply must match. Runs with a small and the default
 * hash-max-listpack-entries so both encodings and the conversion are exercised. The seed is
 * printed on failure.
 */
class HashModelTest extends ServerTestBase {
    private static final String[] KEYS = {"h0", "h1", "h2"};
    private final Map<String, LinkedHashMap<String, String>> model = new HashMap<>();
    private Random rnd;

    @Test
    void randomOperationsMatchTheModel() {
        long seed = Long.getLong("keyline.seed", new Random().nextLong());
        rnd = new Random(seed);
        try {
            for (String entries : new String[]{"8", "512"}) {
                keyline.server().config().set("hash-max-listpack-entries", entries, false);
                jedis.flushAll();
                model.clear();
                for (int step = 0; step < 3000; step++) {
                    step();
                    if (step % 300 == 0) compareAll();
                }
                compareAll();
            }
        } catch (AssertionError | RuntimeException e) {
            fail("HashModelTest failed with seed " + seed + " (rerun with -Dkeyline.seed=" + seed + ")", e);
        } finally {
            keyline.server().config().set("hash-max-listpack-entries", "512", false);
        }
    }

    private String key() {
        return KEYS[rnd.nextInt(KEYS.length)];
    }

    private String field() {
        return "f" + rnd.nextInt(40);
    }

    private String value() {
        int r = rnd.nextInt(10);
        if (r < 4) return Integer.toString(rnd.nextInt(200) - 100);
        if (r == 4) return "long-" + "x".repeat(rnd.nextInt(100));
        return "v" + rnd.nextInt(100);
    }

    private LinkedHashMap<String, String> hash(String k) {
        return model.getOrDefault(k, new LinkedHashMap<>());
    }

    private void store(String k, LinkedHashMap<String, String> h) {
        if (h.isEmpty()) model.remove(k);
        else model.put(k, h);
    }

    private void compareAll() {
        for (String k : KEYS) {
            assertThat(jedis.exists(k)).isEqualTo(model.containsKey(k));
            assertThat(jedis.hgetAll(k)).isEqualTo(hash(k));
            // a full HSCAN returns every field
            Map<String, String> scanned = new HashMap<>();
            String cursor = "0";
            do {
                ScanResult<Map.Entry<String, String>> r = jedis.hscan(k, cursor, new ScanParams().count(5));
                for (Map.Entry<String, String> e : r.getResult()) scanned.put(e.getKey(), e.getValue());
                cursor = r.getCursor();
            } while (!cursor.equals("0"));
            assertThat(scanned).isEqualTo(hash(k));
        }
    }

    private void step() {
        String k = key();
        LinkedHashMap<String, String> h = new LinkedHashMap<>(hash(k));
        switch (rnd.nextInt(14)) {
            case 0, 1, 2 -> {
                Map<String, String> pairs = new LinkedHashMap<>();
                int n = 1 + rnd.nextInt(4);
                for (int i = 0; i < n; i++) pairs.put(field(), value());
                long added = pairs.keySet().stream().filter(f -> !h.containsKey(f)).count();
                assertThat(jedis.hset(k, pairs)).isEqualTo(added);
                h.putAll(pairs);
            }
            case 3 -> {
                String f = field();
                String v = value();
                assertThat(jedis.hsetnx(k, f, v)).isEqualTo(h.containsKey(f) ? 0 : 1);
                h.putIfAbsent(f, v);
            }
            case 4 -> {
                String f = field();
                assertThat(jedis.hget(k, f)).isEqualTo(h.get(f));
            }
            case 5 -> {
                String[] fs = {field(), field(), field()};
                List<String> expected = new ArrayList<>();
                for (String f : fs) expected.add(h.get(f));
                assertThat(jedis.hmget(k, fs)).isEqualTo(expected);
            }
            case 6 -> {
                String[] fs = {field(), field()};
                Set<String> distinct = new HashSet<>(List.of(fs));
                long removed = 0;
                for (String f : distinct) if (h.remove(f) != null) removed++;
                assertThat(jedis.hdel(k, fs)).isEqualTo(removed);
            }
            case 7 -> {
                assertThat(jedis.hlen(k)).isEqualTo(h.size());
                String f = field();
                assertThat(jedis.hstrlen(k, f)).isEqualTo(h.containsKey(f) ? h.get(f).length() : 0);
                assertThat(jedis.hexists(k, f)).isEqualTo(h.containsKey(f));
            }
            case 8 -> {
                assertThat(jedis.hkeys(k)).isEqualTo(h.keySet());
                assertThat(jedis.hvals(k)).containsExactlyInAnyOrderElementsOf(h.values());
            }
            case 9, 10 -> {
                String f = field();
                long incr = rnd.nextInt(21) - 10;
                String cur = h.get(f);
                Long curValue = cur == null ? Long.valueOf(0) : parse(cur);
                boolean asFloat = rnd.nextBoolean();
                try {
                    if (asFloat) {
                        double got = jedis.hincrByFloat(k, f, incr);
                        assertThat(curValue).isNotNull();
                        assertThat(got).isEqualTo((double) (curValue + incr));
                    } else {
                        long got = jedis.hincrBy(k, f, incr);
                        assertThat(curValue).isNotNull();
                        assertThat(got).isEqualTo(curValue + incr);
                    }
                    h.put(f, Long.toString(curValue + incr));
                } catch (JedisDataException e) {
                    if (asFloat) {
                        assertThat(e.getMessage()).isEqualTo("ERR hash value is not a float");
                        assertThat(isFloat(cur)).isFalse();
                    } else {
                        assertThat(e.getMessage()).isEqualTo("ERR hash value is not an integer");
                        assertThat(curValue).isNull();
                    }
                }
            }
            case 11 -> {
                if (h.isEmpty()) {
                    assertThat(jedis.hrandfield(k)).isNull();
                    assertThat(jedis.hrandfield(k, 3)).isEmpty();
                } else {
                    assertThat(h).containsKey(jedis.hrandfield(k));
                    long count = rnd.nextInt(20) - 10;
                    List<String> got = jedis.hrandfield(k, count);
                    if (count >= 0) {
                        assertThat(got).hasSize((int) Math.min(count, h.size())).doesNotHaveDuplicates();
                    } else {
                        assertThat(got).hasSize((int) -count);
                    }
                    assertThat(h.keySet()).containsAll(got);
                    for (Map.Entry<String, String> e : jedis.hrandfieldWithValues(k, count)) {
                        assertThat(h.get(e.getKey())).isEqualTo(e.getValue());
                    }
                }
            }
            default -> {
                ScanResult<Map.Entry<String, String>> r = jedis.hscan(k, "0", new ScanParams().match("f1*").count(1000));
                Map<String, String> expected = new HashMap<>();
                h.forEach((f, v) -> {
                    if (f.startsWith("f1")) expected.put(f, v);
                });
                Map<String, String> got = new HashMap<>();
                for (Map.Entry<String, String> e : r.getResult()) got.put(e.getKey(), e.getValue());
                assertThat(r.getCursor()).isEqualTo("0");
                assertThat(got).isEqualTo(expected);
            }
        }
        store(k, h);
    }

    private static Long parse(String s) {
        try {
            long v = Long.parseLong(s);
            return Long.toString(v).equals(s) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean isFloat(String s) {
        if (s == null) return true;
        try {
            Double.parseDouble(s);
            return !s.isEmpty() && !Character.isWhitespace(s.charAt(0)) && !s.matches(".*[^0-9eE.+-].*");
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
