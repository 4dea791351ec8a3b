package io.keyline.config;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Validation and canonical forms of Redis's multi-word and special parameters, with its error texts. */
final class Validators {
    private Validators() {
    }

    /**
     * The validators the parameter table names, as objects: an enum with a switch rather than method references.
     * {@code Config.defaults()} runs early on the launcher's main thread, and its first method reference linked
     * {@code java.lang.invoke} there (ZGC on JDK 25 has no archived heap, so no call site comes linked from the
     * CDS archive): ~100 LambdaForm and class-file API classes, ~0.02 s of CPU quiet, 0.1-0.2 s at load 7.
     */
    enum Check implements java.util.function.UnaryOperator<String> {
        SAVE, HZ, PERCENTILES, OOM_SCORE_ADJ_VALUES, NOTIFY_KEYSPACE_EVENTS, NOTIFY_KEYSPACE_EVENTS_SHOWN,
        MEMORY_OR_PERCENT;

        @Override
        public String apply(String v) {
            return switch (this) {
                case SAVE -> save(v);
                case HZ -> hz(v);
                case PERCENTILES -> percentiles(v);
                case OOM_SCORE_ADJ_VALUES -> oomScoreAdjValues(v);
                case NOTIFY_KEYSPACE_EVENTS -> notifyKeyspaceEvents(v);
                case NOTIFY_KEYSPACE_EVENTS_SHOWN -> notifyKeyspaceEventsShown(v);
                case MEMORY_OR_PERCENT -> memoryOrPercent(v);
            };
        }
    }

    /** {@link #clientOutputBufferLimit} as a normalizer (a class for the reason given at {@link Check}). */
    static final class ClientOutputBufferLimit implements Parameter.Normalizer {
        @Override
        public String apply(String current, String candidate) {
            return clientOutputBufferLimit(current, candidate);
        }
    }

    private static String[] words(String v) {
        String t = v.trim();
        return t.isEmpty() ? new String[0] : t.split("\\s+");
    }

    /** {@code save "<seconds> <changes> ..."}: pairs of non-negative integers, or "" for none. */
    static String save(String v) {
        String[] w = words(v);
        if (w.length % 2 != 0) throw new ConfigException("Invalid save parameters");
        StringBuilder sb = new StringBuilder();
        for (String s : w) {
            long n;
            try {
                n = Parameter.strictLong(s);
            } catch (NumberFormatException e) {
                throw new ConfigException("Invalid save parameters");
            }
            if (n < 0) throw new ConfigException("Invalid save parameters");
            if (sb.length() > 0) sb.append(' ');
            sb.append(n);
        }
        return sb.toString();
    }

    /** {@code hz}: Redis keeps it within 1..500 and shows the clamped value. */
    static String hz(String v) {
        long n = Long.parseLong(v);
        return Long.toString(Math.max(1, Math.min(500, n)));
    }

    private static final String[] CLASSES = {"normal", "slave", "pubsub"};

    /** {@code <class> <hard> <soft> <soft-seconds>} groups merged into the current limits. */
    static String clientOutputBufferLimit(String current, String v) {
        Map<String, String[]> limits = new LinkedHashMap<>();
        String[] cur = words(current);
        for (int i = 0; i + 3 < cur.length; i += 4) limits.put(cur[i], new String[]{cur[i + 1], cur[i + 2], cur[i + 3]});
        String[] w = words(v);
        if (w.length % 4 != 0) throw new ConfigException("Wrong number of arguments in buffer limit configuration.");
        Map<String, String[]> updates = new LinkedHashMap<>();
        for (int i = 0; i < w.length; i += 4) {
            String cls = w[i].toLowerCase(Locale.ROOT);
            if (cls.equals("replica")) cls = "slave";
            if (!limits.containsKey(cls)) {
                throw new ConfigException("Invalid client class specified in buffer limit configuration.");
            }
            long hard = Parameter.parseMemory(w[i + 1]);
            long soft = Parameter.parseMemory(w[i + 2]);
            long secs;
            try {
                secs = Long.parseLong(w[i + 3]);
            } catch (NumberFormatException e) {
                secs = -1;
            }
            if (hard < 0 || soft < 0 || secs < 0) {
                throw new ConfigException("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
            }
            updates.put(cls, new String[]{Long.toString(hard), Long.toString(soft), Long.toString(secs)});
        }
        limits.putAll(updates);
        StringBuilder sb = new StringBuilder();
        for (String cls : CLASSES) {
            String[] l = limits.get(cls);
            if (sb.length() > 0) sb.append(' ');
            sb.append(cls).append(' ').append(l[0]).append(' ').append(l[1]).append(' ').append(l[2]);
        }
        return sb.toString();
    }

    /** Three integers in -2000..2000. */
    static String oomScoreAdjValues(String v) {
        String[] w = words(v);
        if (w.length != 3) throw new ConfigException("wrong number of arguments");
        StringBuilder sb = new StringBuilder();
        for (String s : w) {
            long n;
            try {
                n = Parameter.strictLong(s);
            } catch (NumberFormatException e) {
                throw new ConfigException("Invalid oom-score-adj-values, elements must be between -2000 and 2000.");
            }
            if (n < -2000 || n > 2000) {
                throw new ConfigException("Invalid oom-score-adj-values, elements must be between -2000 and 2000.");
            }
            if (sb.length() > 0) sb.append(' ');
            sb.append(n);
        }
        return sb.toString();
    }

    // Redis's keyspace notification classes, in the order keyspaceEventsFlagsToString prints them.
    private static final String CLASS_CHARS = "g$lshzxetdn";
    private static final String ALL_CLASSES = "g$lshzxetd";

    /**
     * Keyspace notification flags in a canonical form that keeps every class: "KEA" is stored as
     * "AKE", "AnKE" keeps its 'n' (Redis's NOTIFY_NEW is not part of NOTIFY_ALL). CONFIG GET shows
     * {@link #notifyKeyspaceEventsShown} instead.
     */
    static String notifyKeyspaceEvents(String v) {
        boolean[] cls = new boolean[CLASS_CHARS.length()];
        boolean keyspace = false, keyevent = false, miss = false;
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            int idx = CLASS_CHARS.indexOf(ch);
            if (ch == 'A') {
                for (int j = 0; j < ALL_CLASSES.length(); j++) cls[j] = true;
            } else if (idx >= 0) {
                cls[idx] = true;
            } else if (ch == 'K') {
                keyspace = true;
            } else if (ch == 'E') {
                keyevent = true;
            } else if (ch == 'm') {
                miss = true;
            } else {
                throw new ConfigException("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
            }
        }
        StringBuilder sb = new StringBuilder();
        boolean all = true;
        for (int j = 0; j < ALL_CLASSES.length(); j++) all &= cls[j];
        if (all) {
            sb.append('A');
            if (cls[CLASS_CHARS.length() - 1]) sb.append('n');
        } else {
            for (int j = 0; j < CLASS_CHARS.length(); j++) if (cls[j]) sb.append(CLASS_CHARS.charAt(j));
        }
        if (keyspace) sb.append('K');
        if (keyevent) sb.append('E');
        if (miss) sb.append('m');
        return sb.toString();
    }

    /**
     * What Redis 7.2's keyspaceEventsFlagsToString (notify.c) prints for the stored form: when every
     * class of 'A' is set it prints "A" and skips the per-class letters, 'n' included (it sits in
     * the same else-branch), so "AnKE" prints "AKE" while 'n' stays in effect.
     */
    static String notifyKeyspaceEventsShown(String stored) {
        if (stored.length() > 1 && stored.charAt(0) == 'A' && stored.charAt(1) == 'n') {
            return "A" + stored.substring(2);
        }
        return stored;
    }

    /** Percentiles in [0, 100], shown like %f with trailing zeros trimmed. */
    static String percentiles(String v) {
        StringBuilder sb = new StringBuilder();
        for (String s : words(v)) {
            double d;
            try {
                d = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new ConfigException("Invalid latency-tracking-info-percentiles parameters");
            }
            if (d < 0 || d > 100 || Double.isNaN(d)) {
                throw new ConfigException("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
            }
            if (sb.length() > 0) sb.append(' ');
            BigDecimal bd = new BigDecimal(String.format(Locale.ROOT, "%f", d)).stripTrailingZeros();
            sb.append(bd.scale() < 0 ? bd.setScale(0).toPlainString() : bd.toPlainString());
        }
        return sb.toString();
    }

    /** A memory value or a percentage (maxmemory-clients). */
    static String memoryOrPercent(String v) {
        String t = v.trim();
        if (t.endsWith("%")) {
            long n;
            try {
                n = Parameter.strictLong(t.substring(0, t.length() - 1));
            } catch (NumberFormatException e) {
                throw new ConfigException("argument must be a memory or percent value");
            }
            if (n < 0) throw new ConfigException("argument must be a memory or percent value");
            if (n > 100) throw new ConfigException("percentage argument must be less or equal to 100");
            return n + "%";
        }
        long m = Parameter.parseMemory(t);
        if (m < 0) throw new ConfigException("argument must be a memory or percent value");
        return Long.toString(m);
    }
}
