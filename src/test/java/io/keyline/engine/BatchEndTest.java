package io.keyline.engine;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class BatchEndTest {
    @Test
    void runsSharedTasksOnceThenFlushesAndSurvivesAFailingTask() throws Exception {
        try (TestEventLoop loop = new TestEventLoop()) {
            List<String> ran = new CopyOnWriteArrayList<>();
            Runnable failing = () -> {
                ran.add("failing");
                throw new IllegalStateException("boom");
            };
            Runnable flush = () -> ran.add("flush");
            Runnable releasing = () -> { // as the AOF's fsync releasing a held reply
                ran.add("fsync");
                BatchEnd.flushAfterBatch(() -> ran.add("released flush"));
            };
            loop.batch(() -> {
                assertThat(BatchEnd.flushAfterBatch(flush)).isTrue(); // a reply before any write...
                assertThat(BatchEnd.runAfterBatch(failing)).isTrue();
                assertThat(BatchEnd.runAfterBatch(failing)).isTrue(); // already pending: not added twice
                assertThat(BatchEnd.runAfterBatch(releasing)).isTrue();
                assertThat(ran).isEmpty(); // nothing runs inside the batch
            });
            // ...still leaves after the shared tasks; the released one goes out in the same round.
            assertThat(ran).containsExactly("failing", "fsync", "flush", "released flush");
            assertThat(BatchEnd.runAfterBatch(flush)).isFalse(); // this test thread is not an event loop
        }
    }
}
