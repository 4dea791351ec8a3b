package io.keyline.server;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.keyline.config.Config;
import org.junit.jupiter.api.Test;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class HeapGovernorTest {
    private static final long MB = 1L << 20;

    @Test
    void targetIsTheHeapUsedTimesTheRatioWithinTheFloorAndTheMaximum() {
        assertThat(HeapGovernor.target(0, 4096 * MB)).isEqualTo(HeapGovernor.FLOOR);
        assertThat(HeapGovernor.target(500 * MB, 4096 * MB)).isEqualTo((long) (500 * MB * HeapGovernor.RATIO));
        assertThat(HeapGovernor.target(4000 * MB, 4096 * MB)).isEqualTo(4096 * MB);
    }

    @Test
    void leavesTheFlagAloneUnderACollectorThatIgnoresIt() {
        assumeFalse(followsSoftMax(), "this JVM runs ZGC or Shenandoah");
        String before = softMax();
        assertThat(HeapGovernor.create()).isNull();
        assertThat(softMax()).isEqualTo(before);
    }

    @Test
    void anEmbeddedServerNeverStartsIt() throws Exception {
        Config config = Config.defaults();
        config.set("port", "0", true);
        config.set("appendonly", "no", true);
        String before = softMax();
        try (KeylineServer server = new KeylineServer(config).start()) {
            Thread.sleep(100); // the governor would start on a thread of its own
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("keyline-heap-governor"));
            assertThat(softMax()).isEqualTo(before);
        }
    }

    private static boolean followsSoftMax() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc.getName().startsWith("ZGC") || gc.getName().startsWith("Shenandoah")) return true;
        }
        return false;
    }

    private static String softMax() {
        return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption("SoftMaxHeapSize").getValue();
    }
}
