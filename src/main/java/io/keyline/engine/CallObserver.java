package io.keyline.engine;

import io.keyline.session.Client;

import io.keyline.config.Config;
import io.keyline.util.Words;

import java.util.Locale;

/**
 * What Redis's {@code call()} measures after each command, in one place the dispatcher calls:
 * the latency monitor's "command"/"fast-command" events, the per-command latency histogram
 * ({@code latency-tracking}) and the slow log. When nothing is logged this costs a few compares,
 * one map lookup and one array increment, and allocates nothing.
 *
 * <p>As Redis, a command that blocks is logged when it is answered (served, timed out or
 * unblocked).
 */
public final class CallObserver {
    private final SlowLog slowLog = new SlowLog();
    private final LatencyMonitor latencyMonitor = new LatencyMonitor();
    private volatile boolean latencyTracking = true;
    private volatile double[] infoPercentiles = {50, 99, 99.9};

    CallObserver(Config config) {
        slowLog.bind(config);
        latencyMonitor.bind(config);
        config.onChange(new ConfigListener(), "latency-tracking", "latency-tracking-info-percentiles");
    }

    /** A class rather than a lambda per parameter: see {@link Config#onChange(java.util.function.BiConsumer, String...)}. */
    private final class ConfigListener implements java.util.function.BiConsumer<String, String> {
        @Override
        public void accept(String name, String v) {
            if (name.equals("latency-tracking")) latencyTracking = "yes".equals(v);
            else infoPercentiles = parsePercentiles(v);
        }
    }

    public SlowLog slowLog() {
        return slowLog;
    }

    public LatencyMonitor latencyMonitor() {
        return latencyMonitor;
    }

    /**
     * After a command was answered (not for AOF replay): called by the call path next to the
     * commandstats update; for a blocked command when it is served (its re-run), times out or is
     * unblocked, as Redis's updateStatsOnUnblock.
     */
    public void afterCall(Client c, CommandSpec spec, byte[][] argv, long elapsedNanos) {
        long micros = elapsedNanos / 1000;
        latencyMonitor.addSampleIfNeeded(spec.latencyEvent, micros / 1000);
        record(c, spec, argv, micros);
    }

    /** A command blocked: as Redis's call(), only the latency monitor sees it now; the rest when answered. */
    public void afterBlock(CommandSpec spec, long elapsedNanos) {
        latencyMonitor.addSampleIfNeeded(spec.latencyEvent, elapsedNanos / 1_000_000);
    }

    private void record(Client c, CommandSpec spec, byte[][] argv, long micros) {
        if (latencyTracking) spec.latencyHistogramForRecording().record(micros * 1000); // Redis records µs * 1000
        slowLog.pushIfNeeded(spec, argv, micros, c);
    }

    /** The command's latency histogram, or null if it was not called since start or CONFIG RESETSTAT. */
    public LatencyHistogram histogramOf(CommandSpec spec) {
        return spec.latencyHistogram();
    }

    /** CONFIG RESETSTAT: latency histograms go, as Redis's resetCommandTableStats; the slow log and latency events stay. */
    public void resetStats() {
        // The histograms live on the specs; CommandSpec.resetStats (run by RESETSTAT for every spec) drops them.
    }

    public boolean latencyTracking() {
        return latencyTracking;
    }

    public double[] infoPercentiles() {
        return infoPercentiles;
    }

    /** INFO latencystats: one line per command with a histogram, in the command table's order. */
    public void appendLatencyStats(CommandTable table, StringBuilder out) {
        if (!latencyTracking) return;
        double[] percentiles = infoPercentiles;
        for (CommandSpec spec : table.all()) {
            appendLatencyStats(spec, percentiles, out);
            for (CommandSpec sub : spec.subcommands().values()) appendLatencyStats(sub, percentiles, out);
        }
    }

    private void appendLatencyStats(CommandSpec spec, double[] percentiles, StringBuilder out) {
        LatencyHistogram h = spec.latencyHistogram();
        if (h == null) return;
        out.append("latency_percentiles_usec_").append(spec.name()).append(':');
        for (int j = 0; j < percentiles.length; j++) {
            if (j > 0) out.append(',');
            out.append('p').append(percentileLabel(percentiles[j])).append('=')
                    .append(String.format(Locale.ROOT, "%.3f", h.valueAtPercentile(percentiles[j]) / 1000.0));
        }
        out.append("\r\n");
    }

    /** Redis prints the percentile with "%f" and trims trailing zeros (trimDoubleString): 50, 99, 99.9. */
    static String percentileLabel(double p) {
        String s = String.format(Locale.ROOT, "%f", p);
        if (s.indexOf('.') >= 0) {
            int end = s.length();
            while (s.charAt(end - 1) == '0') end--;
            if (s.charAt(end - 1) == '.') end--;
            s = s.substring(0, end);
        }
        return s;
    }

    private static double[] parsePercentiles(String value) {
        String v = value.trim();
        if (v.isEmpty()) return new double[0];
        String[] parts = Words.split(v);
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = Double.parseDouble(parts[i]);
        return out;
    }
}
