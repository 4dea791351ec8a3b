package io.keyline.server;

import io.keyline.engine.BatchEnd;
import io.keyline.engine.CommandTable;
import io.keyline.commands.StandardCommands;
import io.keyline.engine.ServerContext;
import io.keyline.config.Config;
import io.keyline.config.ConfigException;
import io.keyline.store.Clock;
import io.keyline.store.EvictionPolicy;
import io.keyline.store.Keyspace;
import io.keyline.util.ProcessId;
import io.keyline.util.Words;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A whole Keyline server: build it from a {@link Config}, {@link #start()} it, {@link #stop()} it.
 * Start-up order: keyspace and commands, persistence (replays the AOF while clients get
 * {@code -LOADING}), then the listening sockets.
 */
public final class KeylineServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KeylineServer.class);

    private final Config config;
    private final Keyspace keyspace;
    private final ServerContext context;
    private final OutputBufferLimits outputBufferLimits = new OutputBufferLimits();
    private final ClientEviction clientEviction;
    private final List<Channel> listeners = new ArrayList<>();
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private ScheduledExecutorService cron;
    private ScheduledFuture<?> expiryTask;
    private PersistenceHook persistence = PersistenceHook.NONE;
    private volatile boolean stopped;
    private int boundPort;

    /** What the persistence layer plugs in: replay before listening, flush on stop. */
    public interface PersistenceHook {
        PersistenceHook NONE = new PersistenceHook() {
        };

        default void load(ServerContext ctx) throws Exception {
        }

        /**
         * True when {@link #load} will read no data (no AOF, no dump.rdb): the server then loads before it listens,
         * so no client meets {@code -LOADING} at start-up. False (the default) loads while clients may connect.
         */
        default boolean nothingToLoad() {
            return false;
        }

        default void start(ServerContext ctx) throws Exception {
        }

        default void stop(ServerContext ctx) {
        }
    }

    private static volatile java.util.function.Function<Config, PersistenceHook> persistenceFactory = new AppendOnlyFileFactory();

    /*
     * The server's callbacks below are nested classes rather than lambdas or method references: each of those is a
     * call site the JVM links the first time it runs, ~0.3-0.5 ms interpreted (the CDS archive holds no linked call
     * sites under ZGC on JDK 25), and these all run on the way to the first PING (bench/results/2026-12-07-startup8.md).
     */

    private static final class AppendOnlyFileFactory implements java.util.function.Function<Config, PersistenceHook> {
        @Override
        public PersistenceHook apply(Config config) {
            return appendOnlyFile(config);
        }
    }

    /** The configuration listener, SHUTDOWN's handler and the active expiry cycle. */
    private final class Callbacks implements java.util.function.BiConsumer<String, String>, ServerContext.ShutdownHandler, Runnable {
        @Override
        public void accept(String name, String value) {
            applyConfig(name, value);
        }

        @Override
        public void shutdown(boolean nosave) {
            log.warn("User requested shutdown...");
            new Thread(new ShutdownRun(), "keyline-shutdown").start();
        }

        @Override
        public void run() {
            expiryCycle();
        }
    }

    /** SHUTDOWN's thread: stops the server, then ends the process if it owns it. */
    private final class ShutdownRun implements Runnable {
        @Override
        public void run() {
            stop();
            if (exitOnShutdown) System.exit(0);
        }
    }

    /** Binds an event loop's batch end on the loop's own thread. */
    private static final class BindBatchEnd implements Runnable {
        private final EventExecutor loop;

        BindBatchEnd(EventExecutor loop) {
            this.loop = loop;
        }

        @Override
        public void run() {
            BatchEnd.bindCurrentThread(loop);
        }
    }

    private final Callbacks callbacks = new Callbacks();

    /** The default persistence: the append-only file of {@code io.keyline.persistence}. */
    static PersistenceHook appendOnlyFile(Config config) {
        io.keyline.persistence.Persistence p = new io.keyline.persistence.Persistence(config);
        return new PersistenceHook() {
            @Override
            public void load(ServerContext ctx) throws Exception {
                p.load(ctx);
            }

            @Override
            public boolean nothingToLoad() {
                return p.nothingToLoad();
            }

            @Override
            public void stop(ServerContext ctx) {
                p.stop();
            }
        };
    }

    /** Installed by the persistence package (see {@code io.keyline.persistence}). */
    public static void persistenceFactory(java.util.function.Function<Config, PersistenceHook> f) {
        persistenceFactory = f;
    }

    /**
     * log2 of the stripe count. A snapshot (AOF rewrite, BGSAVE) makes a client wait at most for one
     * stripe's encoding, so a stripe must stay small: see bench/results/2026-12-06-snapshot-cow.md
     * for the measurement behind the default. The system property is for that benchmark only.
     */
    static final int STRIPE_BITS = Integer.getInteger("keyline.stripe-bits", 6);

    public KeylineServer(Config config) {
        this(config, Clock.SYSTEM);
    }

    public KeylineServer(Config config, Clock clock) {
        this.config = config;
        this.keyspace = new Keyspace(config.getInt("databases"), STRIPE_BITS, clock);
        CommandTable ahead = StartAhead.takeCommandTable();
        this.context = new ServerContext(keyspace, config, ahead != null ? ahead : StandardCommands.table());
        this.clientEviction = new ClientEviction(context);
        config.onChange(callbacks, "client-output-buffer-limit", "maxmemory", "maxmemory-clients", "capacity",
                "maxmemory-policy", "maxmemory-samples", "lfu-log-factor", "lfu-decay-time", "active-expire-enabled",
                "activerehashing", "hz");
        Logging.followChanges(config); // CONFIG SET loglevel; the start-up level is the launcher's or embedder's choice
    }

    /** Applies a parameter's value (at construction, and at every CONFIG SET) to the part of the server it tunes. */
    private void applyConfig(String name, String v) {
        switch (name) {
            case "client-output-buffer-limit" -> outputBufferLimits.apply(v);
            case "maxmemory" -> {
                clientEviction.maxmemory(Long.parseLong(v));
                keyspace.maxMemory(Long.parseLong(v));
            }
            case "maxmemory-clients" -> clientEviction.configure(v);
            case "capacity" -> keyspace.capacity(Long.parseLong(v));
            case "maxmemory-policy" -> keyspace.policy(EvictionPolicy.parse(v));
            case "maxmemory-samples" -> keyspace.evictionSamples(Math.min(64, Integer.parseInt(v)));
            case "lfu-log-factor" -> keyspace.lfuParams(Integer.parseInt(v), config.getInt("lfu-decay-time"));
            case "lfu-decay-time" -> keyspace.lfuParams(config.getInt("lfu-log-factor"), Integer.parseInt(v));
            case "active-expire-enabled" -> keyspace.activeExpireEnabled("yes".equals(v));
            case "activerehashing" -> keyspace.activeRehashing("yes".equals(v));
            case "hz" -> {
                if (cron != null) scheduleExpiry();
            }
            default -> throw new IllegalArgumentException("not a server parameter: " + name);
        }
    }

    public ServerContext context() {
        return context;
    }

    public Keyspace keyspace() {
        return keyspace;
    }

    public Config config() {
        return config;
    }

    /** The port actually bound (useful with {@code port 0}). */
    public int port() {
        return boundPort;
    }

    public synchronized KeylineServer start() throws Exception {
        long t0 = System.nanoTime();
        persistence = persistenceFactory.apply(config);
        context.shutdownHandler(callbacks);
        cron = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("keyline-cron", true));
        scheduleExpiry();

        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        bossGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("keyline-accept", true), io);
        // io-threads event loops, each running the commands it reads (stripe locks keep them atomic).
        // Default 1, as Redis: on the 2-core benchmark machine a second loop competed with the client,
        // the GC and the AOF writer for the cores and doubled p99 (unpinned SET/GET -c 50: p99
        // 2.6-4.1 ms with two loops, 1.1-2.4 ms with one; Redis 1.0-2.2 ms). More loops pay off
        // with more cores and pipelined or many-client load.
        int threads = config.getInt("io-threads");
        workerGroup = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("keyline-io", true), io);
        for (EventExecutor loop : workerGroup) loop.execute(new BindBatchEnd(loop));

        // Clients may connect while the AOF or dump.rdb loads; they get -LOADING until it is done. With nothing to
        // load, persistence sets up (~5-15 ms at start-up) before the port opens: a client that came during that
        // window got -LOADING and had to retry, the first PING's usual detour on an empty server.
        boolean loadFirst = persistence.nothingToLoad();
        if (loadFirst) loadPersistence();
        else context.loading(true);
        bind(channelType);
        context.tcpPort(boundPort);
        log.info("Keyline {} (Redis {} compatible) starting: port={} pid={} capacity={} maxmemory={} policy={} transport={}",
                ServerContext.KEYLINE_VERSION, ServerContext.VERSION, boundPort, ProcessId.current(),
                config.get("capacity"), config.get("maxmemory"), config.get("maxmemory-policy"), epoll ? "epoll" : "nio");
        if (!loadFirst) {
            loadPersistence();
            context.loading(false);
        }
        persistence.start(context);
        log.info("Ready to accept connections tcp (started in {} ms)", (System.nanoTime() - t0) / 1_000_000);
        if (exitOnShutdown) HeapGovernor.start(config, keyspace()::usedMemory); // a JVM-wide flag: only a server that owns its process
        return this;
    }

    private void loadPersistence() throws Exception {
        try {
            persistence.load(context);
        } catch (Exception e) {
            stop();
            throw e;
        }
    }

    private volatile boolean exitOnShutdown;

    /** When true (the command-line server), SHUTDOWN ends the process after stopping. */
    public void exitOnShutdown(boolean v) {
        this.exitOnShutdown = v;
    }

    /**
     * Bytes asked of the socket per read, at least: Netty's adaptive guess with its floor raised from 64 bytes to
     * 16 KB. With the default floor its grow/shrink branches, inlined into the compiled read loop
     * (EpollStreamUnsafe.epollInReady, with the whole command path under it), were pruned by C2 under one request
     * size and trapped whenever sizes changed (pipelined clients after unpipelined ones, GET after PING), and that
     * whole path was compiled again: 0.2-2.7 us/request of compiler CPU in the first 200,000 pipelined requests
     * (bench/results/2026-12-08-jit-reconnect.md). With a 16 KB floor small and mid-sized batches never move the
     * guess. 16 KB as Redis's PROTO_IOBUF_LEN, and the largest size the pooled allocator serves from its size
     * classes: 32 KB and 64 KB reads for every client cost 10-20% more server CPU per pipelined PING. A buffer holds
     * only what arrived and is released once parsed; ClientConnection keeps it only while a command is incomplete.
     */
    private static final int READ_BUFFER_BYTES = 16 * 1024;
    /**
     * Reads grow past {@link #READ_BUFFER_BYTES} (never below it) only for a client whose reads fill the buffer:
     * with fixed 16 KB reads a pipelined MSET of 1 KB values (~165 KB a batch) took 11 reads a batch; with this
     * ceiling it costs 37.5 instead of 54.5 us of server CPU per request (45.5K instead of 25.5K req/s), SET, GET and
     * PING -P 16 level (bench/results/2026-12-08-read-floor.md). Small batches keep 16 KB reads, so the grow branch
     * should trap only when a process sees its first batch over 16 KB (not measured).
     */
    private static final int MAX_READ_BUFFER_BYTES = 64 * 1024;

    private void bind(Class<? extends ServerChannel> channelType) throws InterruptedException {
        int timeout = config.getInt("timeout");
        ServerBootstrap b = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, config.getInt("tcp-backlog"))
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, config.getInt("tcp-keepalive") > 0)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 8 << 20))
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(READ_BUFFER_BYTES, READ_BUFFER_BYTES, MAX_READ_BUFFER_BYTES))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (timeout > 0) ch.pipeline().addLast(new IdleStateHandler(0, 0, timeout));
                        ch.pipeline().addLast(new ClientConnection(context, outputBufferLimits, clientEviction));
                    }
                });
        int port = config.getInt("port");
        String[] addrs = Words.split(config.get("bind"));
        for (String raw : addrs) {
            boolean optional = raw.startsWith("-");
            String host = optional ? raw.substring(1) : raw;
            if (host.equals("*")) host = "0.0.0.0";
            try {
                Channel ch = b.bind(new InetSocketAddress(host, port == 0 && boundPort != 0 ? boundPort : port)).sync().channel();
                listeners.add(ch);
                if (boundPort == 0) boundPort = ((InetSocketAddress) ch.localAddress()).getPort();
            } catch (Exception e) {
                if (optional) {
                    log.warn("Could not bind optional address {}: {}", host, e.getMessage());
                    continue;
                }
                stop();
                throw new ConfigException("Could not create server TCP listening socket " + host + ":" + port + ": " + e.getMessage());
            }
        }
    }

    private volatile long expiryPeriodMillis;

    private synchronized void scheduleExpiry() {
        if (expiryTask != null) expiryTask.cancel(false);
        int hz = Math.max(1, Math.min(500, config.getInt("hz")));
        long period = 1000L / hz;
        expiryPeriodMillis = period;
        expiryTask = cron.scheduleAtFixedRate(callbacks, period, period, TimeUnit.MILLISECONDS);
    }

    private void expiryCycle() {
        try {
            keyspace.cronTick();
            clientEviction.cron(); // as clientsCron: output grown from other loops counts too
            if (context.clientPause().paused()) return; // Redis pauses expiry during CLIENT PAUSE
            long started = System.nanoTime();
            // Redis gives the slow cycle 25% of each period.
            keyspace.activeExpireCycle(Math.max(1, expiryPeriodMillis / 4));
            // As Redis's activeExpireCycle: the cycle's duration is a latency event.
            context.latencyMonitor().addSampleIfNeeded("expire-cycle", (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            log.warn("Active expiry cycle failed", e);
        }
    }

    /** Stops accepting, closes clients, flushes persistence. Idempotent. */
    public synchronized void stop() {
        if (stopped) return;
        stopped = true;
        context.scriptThread().shutdown(); // a running script is aborted first: it holds every stripe
        for (Channel ch : listeners) ch.close().awaitUninterruptibly();
        if (workerGroup != null) workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        if (bossGroup != null) bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        if (cron != null) cron.shutdownNow();
        context.dispatcher().shutdownNetworkIo();
        context.closeServices();
        context.blocking().shutdown();
        context.clientPause().shutdown();
        try {
            persistence.stop(context);
        } catch (RuntimeException e) {
            log.warn("Error stopping persistence", e);
        }
        log.info("Keyline is now ready to exit, bye bye...");
    }

    public boolean stopped() {
        return stopped;
    }

    @Override
    public void close() {
        stop();
    }
}
