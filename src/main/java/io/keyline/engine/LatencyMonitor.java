package io.keyline.engine;

import io.keyline.config.Config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Redis's latency monitor ({@code latency.c}): for each event class ("command", "fast-command",
 * "expire-cycle", "aof-fsync-always"...) the worst latency per second over the last 160 samples
 * and the all-time maximum, recorded only when an event takes at least
 * {@code latency-monitor-threshold} milliseconds (0 turns the monitor off).
 */
public final class LatencyMonitor {
    /** Redis's LATENCY_TS_LEN. */
    static final int HISTORY_LENGTH = 160;
    private static final int GRAPH_COLUMNS = 80;

    /** One event's samples, a ring of (unix seconds, latency ms) as Redis's latencyTimeSeries. */
    static final class Series {
        final long[] times = new long[HISTORY_LENGTH];
        final long[] latencies = new long[HISTORY_LENGTH];
        int next;
        long max;
    }

    /** A sample: when (unix seconds) and how long (ms). */
    public record Sample(long unixSeconds, long latencyMillis) {
    }

    /** LATENCY LATEST's row for an event. */
    public record Latest(String event, long unixSeconds, long latencyMillis, long maxMillis) {
    }

    private final Map<String, Series> events = new LinkedHashMap<>();
    private volatile long thresholdMillis;
    private volatile Config config;

    void bind(Config config) {
        this.config = config;
        config.onChange(new ThresholdListener(), "latency-monitor-threshold");
    }

    /** A class rather than a lambda: see {@link Config#onChange(java.util.function.BiConsumer, String...)}. */
    private final class ThresholdListener implements java.util.function.BiConsumer<String, String> {
        @Override
        public void accept(String name, String v) {
            thresholdMillis = Long.parseLong(v);
        }
    }

    /** latency-monitor-threshold in milliseconds; 0 when the monitor is off. */
    public long thresholdMillis() {
        return thresholdMillis;
    }

    /** Redis's latencyAddSampleIfNeeded: one compare when the monitor is off or the event was fast. */
    public void addSampleIfNeeded(String event, long latencyMillis) {
        long threshold = thresholdMillis;
        if (threshold != 0 && latencyMillis >= threshold) addSample(event, latencyMillis);
    }

    /** Redis's latencyAddSample: one sample per second per event, the worst one of that second. */
    public void addSample(String event, long latencyMillis) {
        addSample(event, latencyMillis, System.currentTimeMillis() / 1000);
    }

    synchronized void addSample(String event, long latencyMillis, long now) {
        Series ts = events.computeIfAbsent(event, e -> new Series());
        if (latencyMillis > ts.max) ts.max = latencyMillis;
        int prev = (ts.next + HISTORY_LENGTH - 1) % HISTORY_LENGTH;
        if (ts.times[prev] == now) {
            if (latencyMillis > ts.latencies[prev]) ts.latencies[prev] = latencyMillis;
            return;
        }
        ts.times[ts.next] = now;
        ts.latencies[ts.next] = latencyMillis;
        ts.next = (ts.next + 1) % HISTORY_LENGTH;
    }

    /** Forgets one event (names compared ignoring case, as Redis), or all for null; returns how many. */
    public synchronized int reset(String event) {
        int n = 0;
        for (var it = events.keySet().iterator(); it.hasNext(); ) {
            String name = it.next();
            if (event == null || name.equalsIgnoreCase(event)) {
                it.remove();
                n++;
            }
        }
        return n;
    }

    public synchronized List<Latest> latest() {
        List<Latest> out = new ArrayList<>(events.size());
        for (Map.Entry<String, Series> e : events.entrySet()) {
            Series ts = e.getValue();
            int last = (ts.next + HISTORY_LENGTH - 1) % HISTORY_LENGTH;
            out.add(new Latest(e.getKey(), ts.times[last], ts.latencies[last], ts.max));
        }
        return out;
    }

    /** The samples of an event, oldest first; null when the event has none (exact, case-sensitive name). */
    public synchronized List<Sample> history(String event) {
        Series ts = events.get(event);
        if (ts == null) return null;
        List<Sample> out = new ArrayList<>();
        for (int j = 0; j < HISTORY_LENGTH; j++) {
            int i = (ts.next + j) % HISTORY_LENGTH;
            if (ts.times[i] != 0) out.add(new Sample(ts.times[i], ts.latencies[i]));
        }
        return out;
    }

    /** LATENCY GRAPH's text (Redis's latencyCommandGenSparkeline); null when the event has no samples. */
    public String graph(String event) {
        long allTimeHigh;
        List<Sample> samples;
        synchronized (this) {
            Series ts = events.get(event);
            if (ts == null) return null;
            allTimeHigh = ts.max;
            samples = history(event);
        }
        long now = System.currentTimeMillis() / 1000;
        Sparkline seq = new Sparkline();
        long min = 0, max = 0;
        for (Sample s : samples) {
            if (seq.length() == 0) {
                min = max = s.latencyMillis();
            } else {
                max = Math.max(max, s.latencyMillis());
                min = Math.min(min, s.latencyMillis());
            }
            int elapsed = (int) (now - s.unixSeconds());
            String label;
            if (elapsed < 60) label = elapsed + "s";
            else if (elapsed < 3600) label = (elapsed / 60) + "m";
            else if (elapsed < 3600 * 24) label = (elapsed / 3600) + "h";
            else label = (elapsed / (3600 * 24)) + "d";
            seq.add(s.latencyMillis(), label);
        }
        StringBuilder graph = new StringBuilder();
        graph.append(event).append(" - high ").append(max).append(" ms, low ").append(min)
                .append(" ms (all time high ").append(allTimeHigh).append(" ms)\n");
        graph.append("-".repeat(GRAPH_COLUMNS)).append('\n');
        seq.render(graph, GRAPH_COLUMNS, 4, true);
        return graph.toString();
    }

    // ---- DOCTOR ------------------------------------------------------------------------------

    /** Redis's analyzeLatencyForEvent: samples, average, mean deviation, period. */
    private record Stats(int samples, long avg, long mad, long period, long allTimeHigh) {
    }

    private Stats analyze(Series ts, long now) {
        int samples = 0;
        long sum = 0, oldest = 0;
        for (int j = 0; j < HISTORY_LENGTH; j++) {
            if (ts.times[j] == 0) continue;
            samples++;
            sum += ts.latencies[j];
            if (oldest == 0 || ts.times[j] < oldest) oldest = ts.times[j];
        }
        long avg = 0, period = 0, mad = 0;
        if (samples > 0) {
            avg = sum / samples;
            period = now - oldest;
            if (period == 0) period = 1;
            long dev = 0;
            for (int j = 0; j < HISTORY_LENGTH; j++) {
                if (ts.times[j] != 0) dev += Math.abs(avg - ts.latencies[j]);
            }
            mad = dev / samples;
        }
        return new Stats(samples, avg, mad, period, ts.max);
    }

    /** LATENCY DOCTOR's report, worded as Redis's createLatencyReport for the events Keyline records. */
    public synchronized String doctor() {
        Config cfg = config;
        if (events.isEmpty() && thresholdMillis == 0) {
            return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. "
                    + "You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. "
                    + "If we weren't in a deep space mission I'd suggest to take a look at "
                    + "https://redis.io/topics/latency-monitor.\n";
        }
        long now = System.currentTimeMillis() / 1000;
        long slowlogSlowerThan = cfg == null ? 10_000 : cfg.getLong("slowlog-log-slower-than");
        StringBuilder report = new StringBuilder();
        boolean slowlogEnable = false, slowlogTuning = false, slowlogInspect = false, scheduler = false;
        boolean relaxFsync = false, hz = false, largeObjects = false, massEviction = false, thp = false;
        boolean localDisk = false, ssd = false, dataWriteback = false, diskContention = false;
        int advices = 0;
        int eventNumber = 0;
        for (Map.Entry<String, Series> e : events.entrySet()) {
            String event = e.getKey();
            Stats ls = analyze(e.getValue(), now);
            eventNumber++;
            if (eventNumber == 1) {
                report.append("Dave, I have observed latency spikes in this Redis instance. "
                        + "You don't mind talking about it, do you Dave?\n\n");
            }
            report.append(String.format(Locale.ROOT,
                    "%d. %s: %d latency spikes (average %dms, mean deviation %dms, period %.2f sec). Worst all time event %dms.",
                    eventNumber, event, ls.samples, ls.avg, ls.mad, (double) ls.period / ls.samples, ls.allTimeHigh));
            switch (event.toLowerCase(Locale.ROOT)) {
                case "command" -> {
                    if (slowlogSlowerThan < 0) {
                        slowlogEnable = true;
                        advices++;
                    } else if (slowlogSlowerThan / 1000 > thresholdMillis) {
                        slowlogTuning = true;
                        advices++;
                    }
                    slowlogInspect = true;
                    largeObjects = true;
                    advices += 2;
                }
                case "fast-command" -> {
                    scheduler = true;
                    advices++;
                }
                case "aof-write-pending-fsync" -> {
                    localDisk = diskContention = ssd = dataWriteback = true;
                    advices += 4;
                }
                case "aof-write-alone", "aof-write" -> {
                    localDisk = dataWriteback = ssd = true;
                    advices += 3;
                }
                case "aof-fsync-always" -> {
                    relaxFsync = true;
                    advices++;
                }
                case "expire-cycle" -> {
                    hz = true;
                    largeObjects = true;
                    advices += 2;
                }
                case "eviction-del" -> {
                    largeObjects = true;
                    advices++;
                }
                case "eviction-cycle" -> {
                    massEviction = true;
                    advices++;
                }
                default -> {
                }
            }
            report.append('\n');
        }
        if (anonHugePagesBytes() > 0) {
            thp = true;
            advices++;
        }
        if (eventNumber == 0 && advices == 0) {
            report.append("Dave, no latency spike was observed during the lifetime of this Redis instance, not in the "
                    + "slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n");
        } else if (eventNumber > 0 && advices == 0) {
            report.append("\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the "
                    + "Redis community to get some help, providing this report in your help request.\n");
        } else {
            report.append("\nI have a few advices for you:\n\n");
            if (slowlogEnable) {
                report.append("- There are latency issues with potentially slow commands you are using. Try to enable the "
                        + "Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than ")
                        .append(thresholdMillis * 1000).append("'. If the Slow log is disabled Redis is not able to log "
                        + "slow commands execution for you.\n");
            }
            if (slowlogTuning) {
                report.append("- Your current Slow Log configuration only logs events that are slower than your configured "
                        + "latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than ")
                        .append(thresholdMillis * 1000).append("'.\n");
            }
            if (slowlogInspect) {
                report.append("- Check your Slow Log to understand what are the commands you are running which are too "
                        + "slow to execute. Please check https://redis.io/commands/slowlog for more information.\n");
            }
            if (scheduler) {
                report.append("- The system is slow to execute Redis code paths not containing system calls. This usually "
                        + "means the system does not provide Redis CPU time to run for long periods. You should try to:\n"
                        + "  1) Lower the system load.\n"
                        + "  2) Use a computer / VM just for Redis if you are running other software in the same system.\n"
                        + "  3) Check if you have a \"noisy neighbour\" problem.\n"
                        + "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n"
                        + "  5) Check if the JVM is pausing for garbage collection (Keyline runs on the JVM: see -Xlog:gc).\n");
            }
            if (localDisk) {
                report.append("- It is strongly advised to use local disks for persistence, especially if you are using AOF. "
                        + "Remote disks provided by platform-as-a-service providers are known to be slow.\n");
            }
            if (ssd) {
                report.append("- SSD disks are able to reduce fsync latency, and total time needed for snapshotting and AOF "
                        + "log rewriting (resulting in smaller memory usage and smaller final AOF rewrite buffer flushes). "
                        + "With extremely high write load SSD disks can be a good option. However Redis should perform "
                        + "reasonably with high load using normal disks. Use this advice as a last resort.\n");
            }
            if (dataWriteback) {
                report.append("- Mounting ext3/4 filesystems with data=writeback can provide a performance boost compared "
                        + "to data=ordered, however this mode of operation provides less guarantees, and sometimes it can "
                        + "happen that after a hard crash the AOF file will have a half-written command at the end and "
                        + "will require to be repaired before Redis restarts.\n");
            }
            if (diskContention) {
                report.append("- Try to lower the disk contention. This is often caused by other disk intensive processes "
                        + "running in the same computer (including other Redis instances).\n");
            }
            if (relaxFsync && cfg != null && "always".equals(cfg.get("appendfsync"))) {
                report.append("- Your fsync policy is set to 'always'. It is very hard to get good performances with such a "
                        + "setup, if possible try to relax the fsync policy to 'onesec'.\n");
            }
            if (hz && cfg != null && cfg.getInt("hz") < 100) {
                report.append("- In order to make the Redis keys expiring process more incremental, try to set the 'hz' "
                        + "configuration parameter to 100 using 'CONFIG SET hz 100'.\n");
            }
            if (largeObjects) {
                report.append("- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking "
                        + "operation. If you have very large objects that are often deleted, expired, or evicted, try to "
                        + "fragment those objects into multiple smaller objects.\n");
            }
            if (massEviction) {
                report.append("- Sudden changes to the 'maxmemory' setting via 'CONFIG SET', or allocation of large objects "
                        + "via sets or sorted sets intersections, STORE option of SORT, Redis Cluster large keys "
                        + "migrations (RESTORE command), may create sudden memory pressure forcing the server to block "
                        + "trying to evict keys. \n");
            }
            if (thp) {
                report.append("- I detected a non zero amount of anonymous huge pages used by your process. This creates "
                        + "very serious latency events in different conditions, especially when Redis is persisting on "
                        + "disk. To disable THP support use the command 'echo never > "
                        + "/sys/kernel/mm/transparent_hugepage/enabled', make sure to also add it into /etc/rc.local so "
                        + "that the command will be executed again after a reboot. Note that even if you have already "
                        + "disabled THP, you still need to restart the Redis process to get rid of the huge pages already "
                        + "created.\n");
            }
        }
        return report.toString();
    }

    /** AnonHugePages of this process (Redis's THPGetAnonHugePagesSize), from /proc; 0 where unavailable. */
    private static long anonHugePagesBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/smaps_rollup"))) {
                if (line.startsWith("AnonHugePages:")) {
                    String kb = line.substring("AnonHugePages:".length()).trim().split("\\s+")[0];
                    return Long.parseLong(kb) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    /**
     * Redis's sparkline.c: an ASCII graph of a sequence, {@code rows} rows of "_-`" (or "_o#" and
     * '|' filled below), with each sample's label written vertically under its column.
     */
    static final class Sparkline {
        private static final String CHARSET = "_-`";
        private static final String CHARSET_FILL = "_o#";
        private static final int LABEL_MARGIN_TOP = 1;

        private final List<Double> values = new ArrayList<>();
        private final List<String> labels = new ArrayList<>();
        private double min, max;
        private int labelCount;

        int length() {
            return values.size();
        }

        void add(double value, String label) {
            if (label != null && label.isEmpty()) label = null;
            if (values.isEmpty()) {
                min = max = value;
            } else if (value < min) {
                min = value;
            } else if (value > max) {
                max = value;
            }
            values.add(value);
            labels.add(label);
            if (label != null) labelCount++;
        }

        void render(StringBuilder out, int columns, int rows, boolean fill) {
            for (int j = 0; j < values.size(); j += columns) {
                int len = Math.min(values.size() - j, columns);
                if (j != 0) out.append('\n');
                renderRange(out, rows, j, len, fill);
            }
        }

        private void renderRange(StringBuilder out, int rows, int offset, int len, boolean fill) {
            double relmax = max - min;
            int charsetLength = CHARSET.length();
            int steps = charsetLength * rows;
            if (relmax == 0) relmax = 1;
            char[] chars = new char[len];
            int row = 0;
            boolean loop = true;
            while (loop) {
                loop = false;
                java.util.Arrays.fill(chars, ' ');
                for (int j = 0; j < len; j++) {
                    double relval = values.get(j + offset) - min;
                    // As C: (int)(relval*steps) / relmax, truncated back to int.
                    int step = (int) ((int) (relval * steps) / relmax);
                    if (step < 0) step = 0;
                    if (step >= steps) step = steps - 1;
                    if (row < rows) {
                        int charIndex = step - ((rows - row - 1) * charsetLength);
                        loop = true;
                        if (charIndex >= 0 && charIndex < charsetLength) {
                            chars[j] = fill ? CHARSET_FILL.charAt(charIndex) : CHARSET.charAt(charIndex);
                        } else if (fill && charIndex >= charsetLength) {
                            chars[j] = '|';
                        }
                    } else {
                        if (labelCount > 0 && row - rows < LABEL_MARGIN_TOP) {
                            loop = true;
                            break;
                        }
                        String label = labels.get(j + offset);
                        if (label != null) {
                            int labelChar = row - rows - LABEL_MARGIN_TOP;
                            if (label.length() > labelChar) {
                                loop = true;
                                chars[j] = label.charAt(labelChar);
                            }
                        }
                    }
                }
                if (loop) {
                    row++;
                    out.append(chars).append('\n');
                }
            }
        }
    }
}
