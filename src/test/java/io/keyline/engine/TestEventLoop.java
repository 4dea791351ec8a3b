package io.keyline.engine;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A single-thread executor standing in for a Netty event loop in unit tests: bound to
 * {@link BatchEnd}, so tasks queued "after the batch" run once the submitted task returns.
 */
public final class TestEventLoop implements AutoCloseable {
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final Thread thread;

    public TestEventLoop() throws Exception {
        executor.submit(() -> BatchEnd.bindCurrentThread(executor)).get();
        thread = executor.submit(Thread::currentThread).get();
    }

    /** Runs {@code batch} on the loop and waits until it and the batch-end work it queued are done. */
    public <T> T batch(Callable<T> batch) throws Exception {
        T result = executor.submit(batch).get();
        executor.submit(() -> { }).get();
        return result;
    }

    public void batch(Runnable batch) throws Exception {
        batch(() -> {
            batch.run();
            return null;
        });
    }

    public Thread thread() {
        return thread;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
