package io.keyline.integration;

import io.keyline.embed.EmbeddedKeyline;
import io.keyline.protocol.Doubles;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of random sorted-set commands against Keyline (through Jedis) and against a HashMap
 * model sorted on demand, comparing every reply. Small thresholds so listpack→skiplist happens.
 */
class SortedSetModelTest extends ServerTestBase {
    private static final String[] KEYS = {"z1", "z2", "z3"};
    private static final double[] SCORES = {0, 1, 2, 2.5, -3, 7, 10, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};

    @Override
    protected void configure(EmbeddedKeyline.Builder builder) {
        builder.config("zset-max-listpack-entries", "12").config("zset-max-listpack-value", "10");
    }

    private final Map<String, Map<String, Double>> model = new HashMap<>();
    private Random rnd;

    /** Replies with "-0" read as "0": Redis's listpack stores -0 as the integer 0, the skiplist keeps -0. */
    private Object call(String... argv) {
        return normalizeZero(respValue(argv));
    }

    private static Object normalizeZero(Object o) {
        if ("-0".equals(o)) return "0";
        if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object x : l) out.add(normalizeZero(x));
            return out;
        }
        return o;
    }

    private String member() {
        return rnd.nextInt(10) == 0 ? "a-long-member-" + rnd.nextInt(5) : "m" + rnd.nextInt(40);
    }

    private double score() {
        return rnd.nextInt(3) == 0 ? SCORES[rnd.nextInt(SCORES.length)] : rnd.nextInt(20) - 5;
    }

    private static String fmt(double d) {
        return d == 0 ? "0" : Doubles.format(d);
    }

    private Map<String, Double> z(String k) {
        return model.getOrDefault(k, Map.of());
    }

    private void put(String k, Map<String, Double> v) {
        if (v.isEmpty()) model.remove(k);
        else model.put(k, new HashMap<>(v));
    }

    private static int cmpMembers(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** Entries in ZSET order. */
    private List<Map.Entry<String, Double>> sorted(String k) {
        List<Map.Entry<String, Double>> l = new ArrayList<>(z(k).entrySet());
        l.sort((x, y) -> {
            double a = x.getValue(), b = y.getValue(); // -0 == 0, as in Redis
            return a < b ? -1 : a > b ? 1 : cmpMembers(x.getKey(), y.getKey());
        });
        return l;
    }

    private static List<String> flat(List<Map.Entry<String, Double>> l, boolean withScores) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Double> e : l) {
            out.add(e.getKey());
            if (withScores) out.add(fmt(e.getValue()));
        }
        return out;
    }

    private static boolean inRange(double s, double min, boolean minEx, double max, boolean maxEx) {
        return (minEx ? s > min : s >= min) && (maxEx ? s < max : s <= max);
    }

    @Test
    void randomOperationsMatchModel() {
        long seed = Long.getLong("seed", System.nanoTime());
        rnd = new Random(seed);
        for (int op = 0; op < 4000; op++) {
            String k = KEYS[rnd.nextInt(KEYS.length)];
            String k2 = KEYS[rnd.nextInt(KEYS.length)];
            String m = member();
            int which = rnd.nextInt(16);
            String step = "seed=" + seed + " op#" + op + " kind " + which;
            switch (which) {
                case 0, 1, 2 -> {
                    // ZADD with random compatible flags
                    boolean nx = rnd.nextInt(6) == 0, xx = !nx && rnd.nextInt(6) == 0;
                    boolean gt = !nx && rnd.nextInt(6) == 0, lt = !nx && !gt && rnd.nextInt(6) == 0;
                    boolean ch = rnd.nextBoolean();
                    List<String> args = new ArrayList<>(List.of("ZADD", k));
                    if (nx) args.add("NX");
                    if (xx) args.add("XX");
                    if (gt) args.add("GT");
                    if (lt) args.add("LT");
                    if (ch) args.add("CH");
                    Map<String, Double> v = new HashMap<>(z(k));
                    long added = 0, changed = 0;
                    int n = 1 + rnd.nextInt(3);
                    Map<String, Double> pairs = new LinkedHashMap<>();
                    for (int i = 0; i < n; i++) pairs.put(member(), score());
                    for (Map.Entry<String, Double> p : pairs.entrySet()) {
                        args.add(fmt(p.getValue()));
                        args.add(p.getKey());
                        Double cur = v.get(p.getKey());
                        double s = p.getValue();
                        if (cur == null) {
                            if (xx) continue;
                            v.put(p.getKey(), s);
                            added++;
                        } else {
                            if (nx) continue;
                            if ((gt && s <= cur) || (lt && s >= cur)) continue;
                            if (s != cur) {
                                v.put(p.getKey(), s);
                                changed++;
                            }
                        }
                    }
                    assertThat(call(args.toArray(new String[0]))).as(step).isEqualTo(ch ? added + changed : added);
                    put(k, v);
                }
                case 3 -> {
                    double incr = score();
                    Double cur = z(k).get(m);
                    double next = cur == null ? incr : cur + incr;
                    Object r = call("ZINCRBY", k, fmt(incr), m);
                    if (Double.isNaN(next)) {
                        assertThat(r).as(step).isEqualTo("!ERR resulting score is not a number (NaN)");
                    } else {
                        assertThat(r).as(step).isEqualTo(fmt(next));
                        Map<String, Double> v = new HashMap<>(z(k));
                        if (cur == null || next != cur) v.put(m, next); // Redis keeps -0 when the new score is 0
                        put(k, v);
                    }
                }
                case 4 -> {
                    Map<String, Double> v = new HashMap<>(z(k));
                    String m2 = member();
                    long removed = (v.remove(m) != null ? 1 : 0) + (v.remove(m2) != null ? 1 : 0);
                    assertThat(call("ZREM", k, m, m2)).as(step).isEqualTo(removed);
                    put(k, v);
                }
                case 5 -> {
                    assertThat(call("ZCARD", k)).as(step).isEqualTo((long) z(k).size());
                    Double s = z(k).get(m);
                    assertThat(call("ZSCORE", k, m)).as(step).isEqualTo(s == null ? null : fmt(s));
                }
                case 6 -> {
                    List<Map.Entry<String, Double>> l = sorted(k);
                    int idx = -1;
                    for (int i = 0; i < l.size(); i++) if (l.get(i).getKey().equals(m)) idx = i;
                    assertThat(call("ZRANK", k, m)).as(step).isEqualTo(idx < 0 ? null : (long) idx);
                    assertThat(call("ZREVRANK", k, m)).as(step).isEqualTo(idx < 0 ? null : (long) (l.size() - 1 - idx));
                }
                case 7 -> {
                    double min = score(), max = score();
                    boolean minEx = rnd.nextBoolean(), maxEx = rnd.nextBoolean();
                    String a = (minEx ? "(" : "") + fmt(min), b = (maxEx ? "(" : "") + fmt(max);
                    List<Map.Entry<String, Double>> in = new ArrayList<>();
                    for (Map.Entry<String, Double> e : sorted(k)) if (inRange(e.getValue(), min, minEx, max, maxEx)) in.add(e);
                    assertThat(call("ZCOUNT", k, a, b)).as(step).isEqualTo((long) in.size());
                    int offset = rnd.nextInt(3), count = rnd.nextInt(5) - 1;
                    List<Map.Entry<String, Double>> window = new ArrayList<>();
                    for (int i = offset; i < in.size() && (count < 0 || window.size() < count); i++) window.add(in.get(i));
                    assertThat(call("ZRANGEBYSCORE", k, a, b, "WITHSCORES", "LIMIT", "" + offset, "" + count)).as(step)
                            .isEqualTo(flat(window, true));
                    List<Map.Entry<String, Double>> rev = new ArrayList<>(in);
                    java.util.Collections.reverse(rev);
                    window.clear();
                    for (int i = offset; i < rev.size() && (count < 0 || window.size() < count); i++) window.add(rev.get(i));
                    assertThat(call("ZRANGE", k, b, a, "BYSCORE", "REV", "LIMIT", "" + offset, "" + count)).as(step)
                            .isEqualTo(flat(window, false));
                }
                case 8 -> {
                    List<Map.Entry<String, Double>> l = sorted(k);
                    int n = l.size();
                    long start = rnd.nextInt(30) - 15, end = rnd.nextInt(30) - 15;
                    long s = start < 0 ? Math.max(0, start + n) : start;
                    long e = end < 0 ? end + n : Math.min(end, n - 1);
                    List<Map.Entry<String, Double>> want = new ArrayList<>();
                    for (long i = s; i <= e && i < n; i++) want.add(l.get((int) i));
                    boolean rev = rnd.nextBoolean();
                    if (rev) {
                        List<Map.Entry<String, Double>> r = new ArrayList<>(l);
                        java.util.Collections.reverse(r);
                        want.clear();
                        for (long i = s; i <= e && i < n; i++) want.add(r.get((int) i));
                        assertThat(call("ZREVRANGE", k, "" + start, "" + end, "WITHSCORES")).as(step).isEqualTo(flat(want, true));
                    } else {
                        assertThat(call("ZRANGE", k, "" + start, "" + end, "WITHSCORES")).as(step).isEqualTo(flat(want, true));
                    }
                }
                case 9 -> {
                    // lex ranges on a key where every score is 0
                    String lk = "lex";
                    Map<String, Double> v = new HashMap<>(z(lk));
                    if (v.put(m, 0.0) == null) assertThat(call("ZADD", lk, "0", m)).as(step).isEqualTo(1L);
                    put(lk, v);
                    String lo = member(), hi = member();
                    boolean loEx = rnd.nextBoolean(), hiEx = rnd.nextBoolean();
                    List<String> want = new ArrayList<>();
                    for (Map.Entry<String, Double> e : sorted(lk)) {
                        int c1 = cmpMembers(e.getKey(), lo), c2 = cmpMembers(e.getKey(), hi);
                        if ((loEx ? c1 > 0 : c1 >= 0) && (hiEx ? c2 < 0 : c2 <= 0)) want.add(e.getKey());
                    }
                    String a = (loEx ? "(" : "[") + lo, b = (hiEx ? "(" : "[") + hi;
                    assertThat(call("ZRANGEBYLEX", lk, a, b)).as(step).isEqualTo(want);
                    assertThat(call("ZLEXCOUNT", lk, a, b)).as(step).isEqualTo((long) want.size());
                    List<String> rev = new ArrayList<>(want);
                    java.util.Collections.reverse(rev);
                    assertThat(call("ZREVRANGEBYLEX", lk, b, a)).as(step).isEqualTo(rev);
                }
                case 10 -> {
                    int count = rnd.nextInt(4);
                    boolean max = rnd.nextBoolean();
                    List<Map.Entry<String, Double>> l = sorted(k);
                    if (max) java.util.Collections.reverse(l);
                    List<Map.Entry<String, Double>> want = l.subList(0, Math.min(count, l.size()));
                    assertThat(call(max ? "ZPOPMAX" : "ZPOPMIN", k, "" + count)).as(step).isEqualTo(flat(want, true));
                    Map<String, Double> v = new HashMap<>(z(k));
                    for (Map.Entry<String, Double> e : want) v.remove(e.getKey());
                    put(k, v);
                }
                case 11 -> {
                    List<Map.Entry<String, Double>> l = sorted(k);
                    int n = l.size();
                    long start = rnd.nextInt(10) - 5, end = rnd.nextInt(10) - 5;
                    long s = start < 0 ? Math.max(0, start + n) : start;
                    long e = end < 0 ? end + n : Math.min(end, n - 1);
                    Map<String, Double> v = new HashMap<>(z(k));
                    long removed = 0;
                    for (long i = s; i <= e && i < n; i++) {
                        v.remove(l.get((int) i).getKey());
                        removed++;
                    }
                    assertThat(call("ZREMRANGEBYRANK", k, "" + start, "" + end)).as(step).isEqualTo(removed);
                    put(k, v);
                }
                case 12 -> {
                    double min = score(), max = score();
                    Map<String, Double> v = new HashMap<>(z(k));
                    v.entrySet().removeIf(e -> inRange(e.getValue(), min, false, max, true));
                    long removed = z(k).size() - v.size();
                    assertThat(call("ZREMRANGEBYSCORE", k, fmt(min), "(" + fmt(max))).as(step).isEqualTo(removed);
                    put(k, v);
                }
                case 13 -> {
                    String dst = KEYS[rnd.nextInt(KEYS.length)];
                    int agg = rnd.nextInt(3);
                    double w1 = rnd.nextInt(4) - 1, w2 = rnd.nextInt(3);
                    boolean union = rnd.nextBoolean();
                    Map<String, Double> out = new HashMap<>();
                    Map<String, Double> a = z(k), b = z(k2);
                    for (String key : union ? unionKeys(a, b) : interKeys(a, b)) {
                        Double x = a.get(key), y = b.get(key);
                        Double vx = x == null ? null : nan0(x * w1), vy = y == null ? null : nan0(y * w2);
                        double r;
                        if (vx == null) r = vy;
                        else if (vy == null) r = vx;
                        else r = switch (agg) {
                            case 1 -> Math.min(vx, vy);
                            case 2 -> Math.max(vx, vy);
                            default -> nan0(vx + vy);
                        };
                        out.put(key, r);
                    }
                    String aggName = new String[] {"SUM", "MIN", "MAX"}[agg];
                    assertThat(call(union ? "ZUNIONSTORE" : "ZINTERSTORE", dst, "2", k, k2, "WEIGHTS", fmt(w1), fmt(w2),
                            "AGGREGATE", aggName)).as(step).isEqualTo((long) out.size());
                    put(dst, out);
                }
                case 14 -> {
                    Map<String, Double> diff = new HashMap<>(z(k));
                    diff.keySet().removeAll(z(k2).keySet());
                    Map<String, Map<String, Double>> tmp = Map.of("tmp", diff);
                    model.putAll(tmp);
                    List<String> want = flat(sorted("tmp"), true);
                    model.remove("tmp");
                    assertThat(call("ZDIFF", "2", k, k2, "WITHSCORES")).as(step).isEqualTo(want);
                }
                default -> {
                    List<String> want = new ArrayList<>(z(k).keySet());
                    java.util.Collections.sort(want);
                    java.util.Set<String> seen = new java.util.TreeSet<>();
                    String cursor = "0";
                    do {
                        @SuppressWarnings("unchecked") List<Object> r = (List<Object>) call("ZSCAN", k, cursor, "COUNT", "4");
                        cursor = (String) r.get(0);
                        @SuppressWarnings("unchecked") List<String> items = (List<String>) r.get(1);
                        for (int i = 0; i < items.size(); i += 2) {
                            seen.add(items.get(i));
                            assertThat(items.get(i + 1)).as(step).isEqualTo(fmt(z(k).get(items.get(i))));
                        }
                    } while (!cursor.equals("0"));
                    assertThat(new ArrayList<>(seen)).as(step).isEqualTo(want);
                }
            }
            for (String key : KEYS) {
                assertThat(call("EXISTS", key)).as(step + " exists " + key).isEqualTo(model.containsKey(key) ? 1L : 0L);
            }
        }
    }

    private static double nan0(double d) {
        return Double.isNaN(d) ? 0 : d;
    }

    private static java.util.Set<String> unionKeys(Map<String, Double> a, Map<String, Double> b) {
        java.util.Set<String> s = new java.util.HashSet<>(a.keySet());
        s.addAll(b.keySet());
        return s;
    }

    private static java.util.Set<String> interKeys(Map<String, Double> a, Map<String, Double> b) {
        java.util.Set<String> s = new java.util.HashSet<>(a.keySet());
        s.retainAll(b.keySet());
        return s;
    }
}
