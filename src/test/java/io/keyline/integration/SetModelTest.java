package io.keyline.integration;

import io.keyline.embed.EmbeddedKeyline;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of random set commands against Keyline (through Jedis) and against a HashSet model,
 * comparing every reply. Small encoding thresholds so intset/listpack/hashtable conversions happen.
 */
class SetModelTest extends ServerTestBase {
    private static final String[] KEYS = {"s1", "s2", "s3", "s4"};

    @Override
    protected void configure(EmbeddedKeyline.Builder builder) {
        builder.config("set-max-intset-entries", "6").config("set-max-listpack-entries", "10")
                .config("set-max-listpack-value", "8");
    }

    private final Map<String, Set<String>> model = new HashMap<>();
    private Random rnd;

    private String member() {
        int k = rnd.nextInt(10);
        if (k < 5) return Integer.toString(rnd.nextInt(40) - 10);
        if (k < 9) return "m" + rnd.nextInt(30);
        return "long-member-" + rnd.nextInt(10);
    }

    private String key() {
        return KEYS[rnd.nextInt(KEYS.length)];
    }

    private Object call(String... argv) {
        return respValue(argv);
    }

    private Set<String> set(String k) {
        return model.getOrDefault(k, Set.of());
    }

    private void store(String k, Set<String> v) {
        if (v.isEmpty()) model.remove(k);
        else model.put(k, new HashSet<>(v));
    }

    @SuppressWarnings("unchecked")
    private static Set<String> asSet(Object reply) {
        return new HashSet<>((List<String>) reply);
    }

    @Test
    void randomOperationsMatchModel() {
        long seed = Long.getLong("seed", System.nanoTime());
        rnd = new Random(seed);
        String ctx = "seed=" + seed;
        for (int op = 0; op < 4000; op++) {
            String k = key(), k2 = key();
            String m = member();
            int which = rnd.nextInt(14);
            String step = ctx + " op#" + op + " kind " + which;
            switch (which) {
                case 0, 1 -> {
                    List<String> args = new ArrayList<>(List.of("SADD", k));
                    int n = 1 + rnd.nextInt(4);
                    Set<String> s = new HashSet<>(set(k));
                    long added = 0;
                    for (int i = 0; i < n; i++) {
                        String x = member();
                        args.add(x);
                        if (s.add(x)) added++;
                    }
                    assertThat(call(args.toArray(new String[0]))).as(step).isEqualTo(added);
                    store(k, s);
                }
                case 2 -> {
                    Set<String> s = new HashSet<>(set(k));
                    String m2 = member();
                    long removed = (s.remove(m) ? 1 : 0) + (s.remove(m2) ? 1 : 0);
                    assertThat(call("SREM", k, m, m2)).as(step).isEqualTo(removed);
                    store(k, s);
                }
                case 3 -> assertThat(call("SCARD", k)).as(step).isEqualTo((long) set(k).size());
                case 4 -> assertThat(call("SISMEMBER", k, m)).as(step).isEqualTo(set(k).contains(m) ? 1L : 0L);
                case 5 -> assertThat(asSet(call("SMEMBERS", k))).as(step).isEqualTo(set(k));
                case 6 -> {
                    int count = rnd.nextInt(4);
                    Object r = call("SPOP", k, Integer.toString(count));
                    Set<String> popped = asSet(r);
                    assertThat(popped).as(step).hasSize(Math.min(count, set(k).size()));
                    assertThat(set(k)).as(step).containsAll(popped);
                    Set<String> s = new HashSet<>(set(k));
                    s.removeAll(popped);
                    store(k, s);
                }
                case 7 -> {
                    int count = rnd.nextInt(9) - 4;
                    @SuppressWarnings("unchecked") List<String> r = (List<String>) call("SRANDMEMBER", k, Integer.toString(count));
                    int expected = set(k).isEmpty() ? 0 : count < 0 ? -count : Math.min(count, set(k).size());
                    assertThat(r).as(step).hasSize(expected);
                    assertThat(set(k)).as(step).containsAll(r);
                    if (count > 0) assertThat(new HashSet<>(r)).as(step).hasSize(r.size());
                }
                case 8 -> {
                    long expected = 0;
                    if (set(k).contains(m)) {
                        expected = 1;
                        if (!k.equals(k2)) {
                            Set<String> a = new HashSet<>(set(k));
                            a.remove(m);
                            Set<String> b = new HashSet<>(set(k2));
                            b.add(m);
                            store(k, a);
                            store(k2, b);
                        }
                    }
                    assertThat(call("SMOVE", k, k2, m)).as(step).isEqualTo(expected);
                }
                case 9 -> {
                    Set<String> inter = new HashSet<>(set(k));
                    inter.retainAll(set(k2));
                    assertThat(asSet(call("SINTER", k, k2))).as(step).isEqualTo(inter);
                    assertThat(call("SINTERCARD", "2", k, k2)).as(step).isEqualTo((long) inter.size());
                }
                case 10 -> {
                    Set<String> union = new HashSet<>(set(k));
                    union.addAll(set(k2));
                    assertThat(asSet(call("SUNION", k, k2))).as(step).isEqualTo(union);
                }
                case 11 -> {
                    Set<String> diff = new HashSet<>(set(k));
                    diff.removeAll(set(k2));
                    assertThat(asSet(call("SDIFF", k, k2))).as(step).isEqualTo(diff);
                }
                case 12 -> {
                    String dst = key();
                    Set<String> result = new HashSet<>(set(k));
                    String cmd = switch (rnd.nextInt(3)) {
                        case 0 -> {
                            result.retainAll(set(k2));
                            yield "SINTERSTORE";
                        }
                        case 1 -> {
                            result.addAll(set(k2));
                            yield "SUNIONSTORE";
                        }
                        default -> {
                            result.removeAll(set(k2));
                            yield "SDIFFSTORE";
                        }
                    };
                    assertThat(call(cmd, dst, k, k2)).as(step).isEqualTo((long) result.size());
                    store(dst, result);
                }
                default -> {
                    Set<String> scanned = new TreeSet<>();
                    String cursor = "0";
                    do {
                        @SuppressWarnings("unchecked") List<Object> r = (List<Object>) call("SSCAN", k, cursor, "COUNT", "3");
                        cursor = (String) r.get(0);
                        @SuppressWarnings("unchecked") List<String> items = (List<String>) r.get(1);
                        scanned.addAll(items);
                    } while (!cursor.equals("0"));
                    assertThat(scanned).as(step).isEqualTo(new TreeSet<>(set(k)));
                }
            }
            for (String key : KEYS) {
                assertThat(call("EXISTS", key)).as(step + " exists " + key).isEqualTo(model.containsKey(key) ? 1L : 0L);
            }
        }
    }
}
