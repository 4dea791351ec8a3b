package io.keyline.engine;

import io.keyline.config.Config;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LatencyMonitorTest {
    private static LatencyMonitor monitor(String threshold) {
        Config config = Config.defaults();
        config.set("latency-monitor-threshold", threshold, false);
        LatencyMonitor m = new LatencyMonitor();
        m.bind(config);
        return m;
    }

    @Test
    void sparklineAsRedisDrawsIt() {
        // redis-server 7.0 drew exactly this for samples of 100, 303 and 200 ms taken 3, 2 and 1 s ago.
        LatencyMonitor.Sparkline s = new LatencyMonitor.Sparkline();
        s.add(100, "3s");
        s.add(303, "2s");
        s.add(200, "1s");
        StringBuilder out = new StringBuilder();
        s.render(out, 80, 4, true);
        assertThat(out.toString()).isEqualTo(" # \n | \n |#\n_||\n   \n321\nsss\n");
    }

    @Test
    void thresholdZeroRecordsNothingAndDoctorSaysItIsDisabled() {
        LatencyMonitor m = monitor("0");
        m.addSampleIfNeeded("command", 5000);
        assertThat(m.latest()).isEmpty();
        assertThat(m.doctor()).startsWith("I'm sorry, Dave, I can't do that. Latency monitoring is disabled");
    }

    @Test
    void samplesAtOrAboveTheThresholdKeepTheWorstOfEachSecond() {
        LatencyMonitor m = monitor("10");
        m.addSampleIfNeeded("command", 9);
        assertThat(m.latest()).isEmpty();
        m.addSampleIfNeeded("command", 10);
        assertThat(m.history("command")).hasSize(1);
        m.reset(null);
        long now = System.currentTimeMillis() / 1000;
        m.addSample("command", 10, now);
        m.addSample("command", 30, now);
        m.addSample("command", 20, now);
        assertThat(m.history("command")).hasSize(1);
        assertThat(m.history("command").get(0).latencyMillis()).isEqualTo(30);
        assertThat(m.latest()).singleElement().satisfies(l -> {
            assertThat(l.event()).isEqualTo("command");
            assertThat(l.maxMillis()).isEqualTo(30);
        });
        assertThat(m.history("COMMAND")).isNull(); // exact names, as Redis's dict lookup
        assertThat(m.graph("command")).startsWith("command - high 30 ms, low 30 ms (all time high 30 ms)\n" + "-".repeat(80) + "\n");
        assertThat(m.doctor()).startsWith("Dave, I have observed latency spikes in this Redis instance.")
                .contains("1. command: 1 latency spikes (average 30ms, mean deviation 0ms, period 1.00 sec). Worst all time event 30ms.");
        m.addSample("fast-command", 12);
        assertThat(m.reset("COMMAND")).isEqualTo(1); // RESET ignores case
        assertThat(m.reset(null)).isEqualTo(1);
        assertThat(m.latest()).isEmpty();
    }

    @Test
    void historyKeepsTheLast160Seconds() {
        LatencyMonitor m = monitor("1");
        long start = 1_700_000_000L;
        for (int i = 0; i < 200; i++) m.addSample("x", i + 1, start + i);
        assertThat(m.history("x")).hasSize(160);
        assertThat(m.history("x").get(0)).isEqualTo(new LatencyMonitor.Sample(start + 40, 41));
        assertThat(m.history("x").get(159)).isEqualTo(new LatencyMonitor.Sample(start + 199, 200));
        assertThat(m.latest().get(0).maxMillis()).isEqualTo(200);
    }
}
