package io.keyline.server;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.PlatformDependent;

import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The connections of one event loop that other threads queued writes for (pub/sub messages,
 * notifications, invalidations, wake-ups): one task per loop drains them all, instead of one task
 * per connection, so a PUBLISH to 1,000 subscribers on a loop costs that loop one task wake-up.
 * Each connection keeps its own FIFO queue (one publisher's messages stay in order) and its
 * "scheduled" flag, so it is listed here at most once until its drain starts.
 */
final class LoopOutbox implements Runnable {
    /** The outbox of the loop whose thread calls {@link #of} (each loop thread has one). */
    private static final ThreadLocal<LoopOutbox> CURRENT = new ThreadLocal<>();

    private final EventExecutor loop;
    private final Queue<ClientConnection> ready = PlatformDependent.newMpscQueue();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    private LoopOutbox(EventExecutor loop) {
        this.loop = loop;
    }

    /** Called on {@code loop}'s own thread (channelActive): that loop's outbox. */
    static LoopOutbox of(EventExecutor loop) {
        LoopOutbox o = CURRENT.get();
        if (o == null || o.loop != loop) {
            o = new LoopOutbox(loop);
            CURRENT.set(o);
        }
        return o;
    }

    /** Any thread: {@code c} has writes queued and no drain pending; drains it on its loop soon. */
    void add(ClientConnection c) {
        ready.offer(c);
        if (scheduled.compareAndSet(false, true)) loop.execute(this);
    }

    @Override
    public void run() {
        scheduled.set(false); // before polling: an add after this schedules another run
        ClientConnection c;
        while ((c = ready.poll()) != null) c.drainQueued();
    }
}
