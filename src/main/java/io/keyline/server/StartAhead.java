package io.keyline.server;

import io.keyline.commands.StandardCommands;
import io.keyline.engine.CommandTable;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The parts of a JVM's first server start that need no configuration, started early on daemon threads
 * by the launcher so that they overlap with its own set-up: on an idle 2-core machine the command
 * table, Logback's set-up and Netty's native transport each took ~0.1 s of the 0.6 s to the first
 * PING, one after the other. A server started without them does the same work itself.
 *
 * <p>No logger here, and nothing that logs before SLF4J is set up: a class that gets its logger
 * while another thread initialises SLF4J gets a substitute, and SLF4J prints a warning for every
 * call it had to record meanwhile (Netty logs at debug level as its classes initialise).
 */
public final class StartAhead {
    private static final AtomicReference<FutureTask<CommandTable>> table = new AtomicReference<>();

    private StartAhead() {
    }

    /** Starts building the command table, which the next {@link KeylineServer} constructed takes. */
    public static void commandTable() {
        FutureTask<CommandTable> task = new FutureTask<>(StandardCommands::table);
        table.set(task);
        start("keyline-start-table", task);
    }

    /**
     * Starts loading Netty's native transport, channel ids (which read the MAC address), buffer
     * allocator and handler annotations, which {@link KeylineServer#start} needs. Call it after SLF4J's set-up (see above) and
     * after setting Netty's system properties ({@code io.netty.*}): its classes read them as they initialise.
     */
    public static void netty() {
        start("keyline-start-netty", () -> {
            if (Epoll.isAvailable()) EpollIoHandler.newFactory();
            DefaultChannelId.newInstance();
            ByteBufAllocator.DEFAULT.buffer(64).release();
            // Netty looks for its @Skip annotation on a handler's methods when the first channel is set
            // up; reading one here generates the annotation's proxy class, which the first bind waited for.
            try {
                ChannelInboundHandlerAdapter.class.getMethod("channelRead", ChannelHandlerContext.class, Object.class).getAnnotations();
            } catch (NoSuchMethodException e) {
                // another Netty version: nothing to warm
            }
        });
    }

    /** The table {@link #commandTable()} built, waiting for it, or null if none was started. */
    static CommandTable takeCommandTable() {
        FutureTask<CommandTable> task = table.getAndSet(null);
        if (task == null) return null;
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the command table was built", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("building the command table failed", e.getCause());
        }
    }

    private static void start(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
    }
}
