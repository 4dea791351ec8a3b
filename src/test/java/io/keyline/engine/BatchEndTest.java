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

    @Test
    void workAddedWhileARoundRunsGoesOutInTheNextRoundAndEveryRoundReusesItsLists() throws Exception {
        try (TestEventLoop loop = new TestEventLoop()) {
            List<String> ran = new CopyOnWriteArrayList<>();
            Runnable second = () -> ran.add("second flush");
            Runnable first = () -> {
                ran.add("first flush");
                BatchEnd.flushAfterBatch(second); // a flush that queues another: the next round sends it
                BatchEnd.runAfterBatch(() -> ran.add("shared after"));
            };
            loop.batch(() -> BatchEnd.flushAfterBatch(first));
            loop.batch(() -> { }); // the next round was queued behind the first one: let it run
            assertThat(ran).containsExactly("first flush", "shared after", "second flush");
            ran.clear();
            for (int i = 0; i < 3; i++) { // the lists swapped back and forth still run each task once
                loop.batch(() -> BatchEnd.flushAfterBatch(() -> ran.add("flush")));
            }
            assertThat(ran).containsExactly("flush", "flush", "flush");
        }
    }
}
