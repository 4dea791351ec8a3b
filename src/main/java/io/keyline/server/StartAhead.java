package io.keyline.server;

import io.keyline.commands.StandardCommands;
import io.keyline.engine.CommandTable;
import io.keyline.protocol.ReplyWriter;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;


/**
 * The parts of a JVM's first server start that need no configuration, started early on daemon threads
 * by the launcher so that they overlap with its own set-up: on an idle 2-core machine the command
 * table, Logback's set-up and Netty's native transport each took ~0.1 s of the 0.6 s to the first
 * PING, one after the other. A server started without them does the same work itself.
 *
 * <p>No logger here, and nothing that logs before SLF4J's set-up has begun: the first logger taken
 * initialises SLF4J on its thread, and the launcher's SLF4J provider is chosen on the main thread. While
 * SLF4J sets up Logback, a class that gets its logger gets a substitute, whose calls SLF4J records and replays
 * through Logback afterwards (Netty logs at debug level as its classes initialise).
 */
public final class StartAhead {
    // Guarded by the class's lock, not an AtomicReference: its VarHandle was the first on the launcher's path
    // and set up java.lang.invoke before the table's thread could start.
    private static TableBuilder table;

    private StartAhead() {
    }

    /**
     * Starts building the command table, which the next {@link KeylineServer} constructed takes. The thread is
     * a class of its own rather than a FutureTask of a method reference: this is the launcher's first step, and
     * linking its first lambda and FutureTask's VarHandles held the table's thread back by ~0.01-0.03 s.
     */
    public static void commandTable() {
        TableBuilder builder = new TableBuilder();
        synchronized (StartAhead.class) {
            table = builder;
        }
        builder.start();
    }

    /**
     * Starts loading Netty's native transport, channel ids (which read the MAC address), buffer
     * allocator and handler annotations, which {@link KeylineServer#start} needs, and the reply writer's
     * tables, which the first reply needs. Call it once SLF4J is set up (see above; the launcher calls it right
     * after binding its SLF4J provider, before reading the configuration) and after setting Netty's system
     * properties ({@code io.netty.*}): its classes read them as they initialise.
     */
    public static void netty() {
        start("keyline-start-netty", new Step(Step.NETTY));
        // On a thread of its own: the bind needs these after the transport, and on one thread they came too late.
        start("keyline-start-annotations", new Step(Step.ANNOTATIONS));
    }

    /**
     * One warm-up step. A class with a switch rather than lambdas: these threads start before the launcher has
     * linked its first lambda, and the first one links {@code java.lang.invoke} (no call site comes linked from
     * the CDS archive under ZGC on JDK 25), ~0.02 s of CPU quiet and 0.1 s at load 7 on the main thread.
     */
    private static final class Step implements Runnable {
        static final int NETTY = 0;
        static final int ANNOTATIONS = 1;
        private final int step;

        Step(int step) {
            this.step = step;
        }

        @Override
        public void run() {
            switch (step) {
                case NETTY -> {
                    if (Epoll.isAvailable()) EpollIoHandler.newFactory();
                    DefaultChannelId.newInstance();
                    ByteBufAllocator.DEFAULT.buffer(64).release();
                }
                default -> {
                    // Netty looks for its @Skip annotation on a handler's methods when the first channel is set
                    // up, and for @Sharable on each handler added to a pipeline: reading them here generates the
                    // annotations' proxy classes (and their meta-annotations'), which the first bind waited for.
                    try {
                        ChannelInboundHandlerAdapter.class.getMethod("channelRead", ChannelHandlerContext.class, Object.class).getAnnotations();
                    } catch (NoSuchMethodException e) {
                        // another Netty version: nothing to warm
                    }
                    ChannelInitializer.class.isAnnotationPresent(ChannelHandler.Sharable.class);
                    // The reply writer's shared integer and bulk-header lines (11,000 small arrays, filled interpreted):
                    // ~0.01-0.035 s that the first client's first reply waited for on the event loop.
                    new ReplyWriter();
                }
            }
        }
    }

    /** The table {@link #commandTable()} built, waiting for it, or null if none was started. */
    static CommandTable takeCommandTable() {
        TableBuilder builder;
        synchronized (StartAhead.class) {
            builder = table;
            table = null;
        }
        if (builder == null) return null;
        try {
            builder.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the command table was built", e);
        }
        if (builder.failure != null) throw new IllegalStateException("building the command table failed", builder.failure);
        return builder.built;
    }

    /** Builds the standard command table; {@link Thread#join} makes its fields visible to the taker. */
    private static final class TableBuilder extends Thread {
        private CommandTable built;
        private Throwable failure;

        TableBuilder() {
            super("keyline-start-table");
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                built = StandardCommands.table();
            } catch (Throwable t) {
                failure = t;
            }
        }
    }

    private static void start(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
    }
}
