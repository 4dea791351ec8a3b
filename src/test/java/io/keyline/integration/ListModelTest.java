package io.keyline.integration;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.args.ListPosition;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.LPosParams;
import redis.clients.jedis.util.KeyValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Thousands of random list operations sent to Keyline through Jedis and applied to an ArrayList
 * model; every reply must match. Runs with several node sizes so listpack/quicklist conversions and
 * multi-node lists are exercised. The seed is printed on failure.
 */
class ListModelTest extends ServerTestBase {
    private static final String[] KEYS = {"k0", "k1", "k2"};
    private final Map<String, List<String>> model = new HashMap<>();
    private Random rnd;
    private long seed;

    @Test
    void randomOperationsMatchTheModel() {
        seed = Long.getLong("keyline.seed", new Random().nextLong());
        rnd = new Random(seed);
        try {
            for (String fill : new String[]{"3", "-2", "1", "-1"}) {
                keyline.server().config().set("list-max-listpack-size", fill, false);
                jedis.flushAll();
                model.clear();
                for (int step = 0; step < 2500; step++) {
                    step(step);
                    if (step % 250 == 0) compareAll();
                }
                compareAll();
            }
        } catch (AssertionError | RuntimeException e) {
            fail("ListModelTest failed with seed " + seed + " (rerun with -Dkeyline.seed=" + seed + ")", e);
        } finally {
            keyline.server().config().set("list-max-listpack-size", "-2", false);
        }
    }

    private String key() {
        return KEYS[rnd.nextInt(KEYS.length)];
    }

    private String value() {
        return rnd.nextInt(10) == 0 ? "long-value-" + "x".repeat(rnd.nextInt(3000)) : "v" + rnd.nextInt(8);
    }

    private List<String> list(String k) {
        return model.getOrDefault(k, new ArrayList<>());
    }

    private void store(String k, List<String> l) {
        if (l.isEmpty()) model.remove(k);
        else model.put(k, l);
    }

    private void compareAll() {
        for (String k : KEYS) {
            assertThat(jedis.exists(k)).as("exists %s", k).isEqualTo(model.containsKey(k));
            assertThat(jedis.lrange(k, 0, -1)).as("content %s", k).isEqualTo(list(k));
        }
    }

    private static long norm(long i, int size) {
        return i < 0 ? i + size : i;
    }

    private void step(int step) {
        String k = key();
        List<String> l = new ArrayList<>(list(k));
        int op = rnd.nextInt(16);
        switch (op) {
            case 0, 1 -> {
                String[] vs = new String[1 + rnd.nextInt(4)];
                for (int i = 0; i < vs.length; i++) vs[i] = value();
                boolean left = op == 0;
                boolean onlyIfExists = rnd.nextInt(5) == 0;
                long got = onlyIfExists ? (left ? jedis.lpushx(k, vs) : jedis.rpushx(k, vs)) : (left ? jedis.lpush(k, vs) : jedis.rpush(k, vs));
                if (!onlyIfExists || !l.isEmpty()) {
                    for (String v : vs) {
                        if (left) l.add(0, v);
                        else l.add(v);
                    }
                }
                assertThat(got).isEqualTo(l.size());
            }
            case 2, 3 -> {
                boolean left = op == 2;
                if (rnd.nextBoolean()) {
                    String got = left ? jedis.lpop(k) : jedis.rpop(k);
                    assertThat(got).isEqualTo(l.isEmpty() ? null : left ? l.remove(0) : l.remove(l.size() - 1));
                } else {
                    int count = rnd.nextInt(5);
                    List<String> got = left ? jedis.lpop(k, count) : jedis.rpop(k, count);
                    if (l.isEmpty()) {
                        assertThat(got).isNull();
                    } else {
                        List<String> expected = new ArrayList<>();
                        for (int i = 0; i < count && !l.isEmpty(); i++) expected.add(left ? l.remove(0) : l.remove(l.size() - 1));
                        assertThat(got).isEqualTo(expected);
                    }
                }
            }
            case 4 -> assertThat(jedis.llen(k)).isEqualTo(l.size());
            case 5 -> {
                long start = rnd.nextInt(20) - 10;
                long end = rnd.nextInt(20) - 10;
                int size = l.size();
                long s = Math.max(0, norm(start, size));
                long e = Math.min(size - 1, norm(end, size));
                List<String> expected = s > e || s >= size ? List.of() : l.subList((int) s, (int) e + 1);
                assertThat(jedis.lrange(k, start, end)).isEqualTo(expected);
            }
            case 6 -> {
                long i = rnd.nextInt(20) - 10;
                long n = norm(i, l.size());
                assertThat(jedis.lindex(k, i)).isEqualTo(n >= 0 && n < l.size() ? l.get((int) n) : null);
            }
            case 7 -> {
                long i = rnd.nextInt(16) - 8;
                long n = norm(i, l.size());
                String v = value();
                String error = null;
                try {
                    jedis.lset(k, i, v);
                } catch (JedisDataException ex) {
                    error = ex.getMessage();
                }
                if (l.isEmpty()) assertThat(error).isEqualTo("ERR no such key");
                else if (n < 0 || n >= l.size()) assertThat(error).isEqualTo("ERR index out of range");
                else {
                    assertThat(error).isNull();
                    l.set((int) n, v);
                }
            }
            case 8 -> {
                String pivot = "v" + rnd.nextInt(8);
                String v = value();
                boolean before = rnd.nextBoolean();
                long got = jedis.linsert(k, before ? ListPosition.BEFORE : ListPosition.AFTER, pivot, v);
                int at = l.indexOf(pivot);
                if (l.isEmpty()) assertThat(got).isZero();
                else if (at < 0) assertThat(got).isEqualTo(-1);
                else {
                    l.add(before ? at : at + 1, v);
                    assertThat(got).isEqualTo(l.size());
                }
            }
            case 9 -> {
                long count = rnd.nextInt(7) - 3;
                String v = "v" + rnd.nextInt(8);
                long removed = 0;
                long limit = count == 0 ? Long.MAX_VALUE : Math.abs(count);
                if (count >= 0) {
                    for (int i = 0; i < l.size() && removed < limit; ) {
                        if (l.get(i).equals(v)) {
                            l.remove(i);
                            removed++;
                        } else i++;
                    }
                } else {
                    for (int i = l.size() - 1; i >= 0 && removed < limit; i--) {
                        if (l.get(i).equals(v)) {
                            l.remove(i);
                            removed++;
                        }
                    }
                }
                assertThat(jedis.lrem(k, count, v)).isEqualTo(removed);
            }
            case 10 -> {
                if (rnd.nextInt(4) != 0) break; // trims shrink lists fast: keep them rarer
                long start = rnd.nextInt(6) - 2;
                long end = rnd.nextInt(30) - 3;
                int size = l.size();
                long s = Math.max(0, norm(start, size));
                long e = norm(end, size);
                List<String> kept = s > e || s >= size ? new ArrayList<>() : new ArrayList<>(l.subList((int) s, (int) Math.min(size - 1, e) + 1));
                assertThat(jedis.ltrim(k, start, end)).isEqualTo("OK");
                l = kept;
            }
            case 11 -> {
                String v = "v" + rnd.nextInt(8);
                int rank = (rnd.nextInt(3) + 1) * (rnd.nextBoolean() ? 1 : -1);
                int maxlen = rnd.nextInt(3) == 0 ? rnd.nextInt(10) : 0;
                boolean withCount = rnd.nextBoolean();
                int count = rnd.nextInt(4);
                List<Long> expected = lpos(l, v, rank, withCount ? count : -1, maxlen);
                LPosParams p = LPosParams.lPosParams().rank(rank).maxlen(maxlen);
                if (withCount) assertThat(jedis.lpos(k, v, p, count)).isEqualTo(expected);
                else assertThat(jedis.lpos(k, v, p)).isEqualTo(expected.isEmpty() ? null : expected.get(0));
            }
            case 12, 13 -> {
                String dst = key();
                boolean fromLeft = rnd.nextBoolean();
                boolean toLeft = rnd.nextBoolean();
                String got = jedis.lmove(k, dst, fromLeft ? ListDirection.LEFT : ListDirection.RIGHT, toLeft ? ListDirection.LEFT : ListDirection.RIGHT);
                if (l.isEmpty()) {
                    assertThat(got).isNull();
                } else {
                    String e = fromLeft ? l.remove(0) : l.remove(l.size() - 1);
                    assertThat(got).isEqualTo(e);
                    store(k, l);
                    List<String> d = new ArrayList<>(list(dst));
                    if (toLeft) d.add(0, e);
                    else d.add(e);
                    store(dst, d);
                    return;
                }
            }
            case 14 -> {
                boolean left = rnd.nextBoolean();
                int count = 1 + rnd.nextInt(3);
                String k2 = key();
                KeyValue<String, List<String>> got = jedis.lmpop(left ? ListDirection.LEFT : ListDirection.RIGHT, count, k, k2);
                String from = !l.isEmpty() ? k : model.containsKey(k2) ? k2 : null;
                if (from == null) {
                    assertThat(got).isNull();
                } else {
                    List<String> src = from.equals(k) ? l : new ArrayList<>(list(k2));
                    List<String> expected = new ArrayList<>();
                    for (int i = 0; i < count && !src.isEmpty(); i++) expected.add(left ? src.remove(0) : src.remove(src.size() - 1));
                    assertThat(got.getKey()).isEqualTo(from);
                    assertThat(got.getValue()).isEqualTo(expected);
                    if (!from.equals(k)) {
                        store(k2, src);
                        return;
                    }
                }
            }
            default -> {
                // BLPOP with data present (or a short timeout) behaves like LPOP with the key
                KeyValue<String, String> got = jedis.blpop(0.01, k);
                if (l.isEmpty()) assertThat(got).isNull();
                else assertThat(got.getValue()).isEqualTo(l.remove(0));
            }
        }
        store(k, l);
    }

    private static List<Long> lpos(List<String> l, String v, int rank, int count, int maxlen) {
        List<Long> out = new ArrayList<>();
        boolean forward = rank > 0;
        int r = Math.abs(rank);
        int matches = 0;
        int scanned = 0;
        for (int j = 0; j < l.size() && (maxlen == 0 || scanned < maxlen); j++, scanned++) {
            int i = forward ? j : l.size() - 1 - j;
            if (l.get(i).equals(v) && ++matches >= r) {
                out.add((long) i);
                if (count == -1) return out;
                if (count != 0 && out.size() >= count) return out;
            }
        }
        return out;
    }
}
