package io.keyline.server;

import io.keyline.config.Config;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HeapGovernorTest {
    private static final long MB = 1L << 20;

    @Test
    void aPauseIsWorthACollectionAfterEnoughAllocationForTheHeapsSize() {
        assertThat(HeapGovernor.worthCollecting(HeapGovernor.MIN_GROWTH - 1, 0, 0)).isFalse();
        assertThat(HeapGovernor.worthCollecting(HeapGovernor.MIN_GROWTH, 0, 0)).isTrue();
        assertThat(HeapGovernor.worthCollecting(HeapGovernor.MIN_GROWTH, 0, 10 * MB)).isTrue();
        // A 2 GB heap: a 100 MB burst is not worth collecting 2 GB for; a 1 GB one is.
        assertThat(HeapGovernor.worthCollecting(100 * MB, 0, 2048 * MB)).isFalse();
        assertThat(HeapGovernor.worthCollecting(1024 * MB, 0, 2048 * MB)).isTrue();
    }

    @Test
    void growthThatIsNewDataIsNotWorthACollection() {
        // 200 MB of new keys: nothing a collection could free.
        assertThat(HeapGovernor.worthCollecting(200 * MB, 190 * MB, 0)).isFalse();
        // 200 MB of allocation of which 100 MB is garbage (overwritten or deleted values): worth one.
        assertThat(HeapGovernor.worthCollecting(200 * MB, 100 * MB, 0)).isTrue();
        // A FLUSHALL of 500 MB of data and no allocation since the last collection: all of it is garbage.
        assertThat(HeapGovernor.worthCollecting(0, -500 * MB, 600 * MB)).isTrue();
    }

    @Test
    void itPollsSlowlyWhileNoCollectionCouldBeWorthIt() {
        long fast = HeapGovernor.pollMillis(true, HeapGovernor.MIN_GROWTH, 0, 0);
        assertThat(fast).isLessThan(HeapGovernor.IDLE_POLL_MILLIS);
        // An idle server (no growth), a burst too small for its heap, growth that is all new data, or the governor off:
        // the long poll.
        assertThat(HeapGovernor.pollMillis(true, 0, 0, 0)).isEqualTo(HeapGovernor.IDLE_POLL_MILLIS);
        assertThat(HeapGovernor.pollMillis(true, 100 * MB, 0, 2048 * MB)).isEqualTo(HeapGovernor.IDLE_POLL_MILLIS);
        assertThat(HeapGovernor.pollMillis(true, 1024 * MB, 1024 * MB, 0)).isEqualTo(HeapGovernor.IDLE_POLL_MILLIS);
        assertThat(HeapGovernor.pollMillis(false, 1024 * MB, 0, 0)).isEqualTo(HeapGovernor.IDLE_POLL_MILLIS);
        // Growth that a quiet period would collect: the short poll that measures the quiet period.
        assertThat(HeapGovernor.pollMillis(true, 1024 * MB, 0, 2048 * MB)).isEqualTo(fast);
    }

    @Test
    void anEmbeddedServerNeverStartsIt() throws Exception {
        Config config = Config.defaults();
        config.set("port", "0", true);
        config.set("appendonly", "no", true);
        try (KeylineServer server = new KeylineServer(config).start()) {
            Thread.sleep(100); // the governor would start on a thread of its own
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("keyline-heap-governor"));
        }
    }
}
