package io.keyline.command;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** The batch-end hook on a single-thread executor standing in for an event loop. */
class BatchEndTest {
    @Test
    void runsEachTaskOnceAfterTheBatchAndSurvivesAFailingOne() throws Exception {
        ExecutorService loop = Executors.newSingleThreadExecutor();
        try {
            List<String> ran = new CopyOnWriteArrayList<>();
            Runnable failing = () -> {
                ran.add("failing");
                throw new IllegalStateException("boom");
            };
            Runnable flush = () -> ran.add("flush");
            loop.submit(() -> BatchEnd.bindCurrentThread(loop)).get();
            loop.submit(() -> {
                assertThat(BatchEnd.runAfterBatch(failing)).isTrue();
                assertThat(BatchEnd.runAfterBatch(failing)).isTrue(); // already pending: not added twice
                assertThat(BatchEnd.runAfterBatchOnce(flush)).isTrue();
                assertThat(ran).isEmpty(); // nothing runs inside the batch
            }).get();
            loop.submit(() -> { }).get();
            assertThat(ran).containsExactly("failing", "flush");
            assertThat(BatchEnd.runAfterBatch(flush)).isFalse(); // this test thread is not an event loop
        } finally {
            loop.shutdownNow();
        }
    }
}
