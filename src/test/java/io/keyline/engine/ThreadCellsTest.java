package io.keyline.engine;

import io.keyline.commands.StandardCommands;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-thread statistics cells: counts from several threads add up, an ended thread's cell is taken over, reset. */
class ThreadCellsTest {
    private static void onNewThread(Runnable r) throws InterruptedException {
        Thread t = new Thread(r);
        t.start();
        t.join();
    }

    @Test
    void countsFromSeveralThreadsAddUpAndEndedThreadsCellsAreReused() throws InterruptedException {
        ThreadCounter counter = new ThreadCounter();
        for (int i = 0; i < 1000; i++) counter.increment();
        onNewThread(() -> {
            for (int i = 0; i < 500; i++) counter.increment();
        });
        onNewThread(() -> {
            for (int i = 0; i < 250; i++) counter.increment();
        });
        assertThat(counter.sum()).isEqualTo(1750);

        ThreadCells<ThreadCells.Cell> cells = new ThreadCells<>((owner, ended) -> new ThreadCells.Cell(owner) { });
        cells.mine();
        for (int i = 0; i < 5; i++) onNewThread(cells::mine);
        assertThat(cells.all()).hasSize(2); // this thread's, and one each ended thread took over in turn

        counter.reset();
        assertThat(counter.sum()).isZero();
        counter.increment();
        assertThat(counter.sum()).isEqualTo(1);
    }

    @Test
    void commandStatsAndHistogramsAddUpOverThreadsAndGoOnReset() throws InterruptedException {
        CommandSpec get = StandardCommands.table().lookup("get");
        get.recordCall(3_000, false);
        get.latencyHistogramForRecording().record(3_000);
        Thread other = new Thread(() -> {
            get.recordCall(5_000, true);
            get.latencyHistogramForRecording().record(5_000);
        });
        other.start();
        other.join();
        assertThat(get.calls()).isEqualTo(2);
        assertThat(get.usec()).isEqualTo(8);
        assertThat(get.failedCalls()).isEqualTo(1);
        LatencyHistogram h = get.latencyHistogram();
        assertThat(h.totalCount()).isEqualTo(2);
        assertThat(h.valueAtPercentile(50)).isBetween(2_990L, 3_010L);
        assertThat(h.valueAtPercentile(100)).isBetween(4_990L, 5_030L);

        get.resetStats();
        assertThat(get.calls()).isZero();
        assertThat(get.latencyHistogram()).isNull();
    }
}
