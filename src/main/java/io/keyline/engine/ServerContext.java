package io.keyline.engine;

import io.keyline.session.Client;
import io.keyline.session.ClientRegistry;
import io.keyline.session.WatchRegistry;

import io.keyline.config.Config;
import io.keyline.store.Keyspace;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Everything commands can reach besides their own client: keyspace, config, command table,
 * clients, WATCH registry, stats and the hooks other packages plug in (AOF propagation, blocking
 * wake-ups, INFO sections, shutdown).
 */
public final class ServerContext {
    public static final String VERSION = "7.2.4";
    public static final String KEYLINE_VERSION = resolveVersion();

    private final Keyspace keyspace;
    private final Config config;
    private final CommandTable table;
    private final ClientRegistry clients = new ClientRegistry();
    private final WatchRegistry watches;
    private final ServerStats stats = new ServerStats();
    private final Dispatcher dispatcher;
    private final CallObserver callObserver;
    private final BlockingRegistry blocking;
    private final ScriptThread scriptThread = new ScriptThread(this);
    private final io.keyline.pubsub.PubSub pubsub = new io.keyline.pubsub.PubSub();
    private final io.keyline.pubsub.KeyspaceEvents keyspaceEvents = new io.keyline.pubsub.KeyspaceEvents(pubsub);
    private final Monitors monitors = new Monitors(this);
    private final ClientPause clientPause = new ClientPause(this);
    private final Tracking tracking;
    private final io.keyline.store.EncodingLimits encodingLimits;
    private final String runId;
    private final long startMillis = System.currentTimeMillis();
    private volatile Propagator propagator = Propagator.NONE;
    private volatile KeyReadyListener keyReadyListener;
    private volatile boolean loading;
    private final Acl acl;
    private volatile long protoMaxBulkLen = 512L * 1024 * 1024;
    private volatile long queryBufferLimit = 1024L * 1024 * 1024;
    private volatile ShutdownHandler shutdownHandler = ShutdownHandler.NONE;
    private volatile int tcpPort;
    private final Map<String, InfoSection> infoSections = new ConcurrentHashMap<>();
    private final Map<String, Object> services = new ConcurrentHashMap<>();
    private final java.util.List<java.util.function.Consumer<Client>> closeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** SHUTDOWN's work, supplied by the server (flush AOF, close, exit). */
    @FunctionalInterface
    public interface ShutdownHandler {
        /** Until the server supplies one: does nothing. */
        ShutdownHandler NONE = new ShutdownHandler() {
            @Override
            public void shutdown(boolean nosave) {
            }
        };

        void shutdown(boolean nosave);
    }

    /**
     * The context's own listeners and callbacks (closed clients, its configuration parameters, a new client's
     * auth check), one nested class rather than a method reference each: every method reference or lambda is a
     * call site the JVM links the first time it runs, ~0.3-0.5 ms interpreted (the CDS archive holds no linked
     * call sites under ZGC on JDK 25), and these run on the way to the first PING.
     */
    private final class Callbacks implements java.util.function.Consumer<Client>, java.util.function.BiConsumer<String, String>,
            java.util.function.BooleanSupplier {
        @Override
        public void accept(Client c) {
            forgetClosedClient(c);
        }

        @Override
        public void accept(String name, String value) {
            applyConfig(name, value);
        }

        @Override
        public boolean getAsBoolean() {
            return authRequired();
        }
    }

    private final Callbacks callbacks = new Callbacks();

    public ServerContext(Keyspace keyspace, Config config, CommandTable table) {
        this.keyspace = keyspace;
        this.watches = new WatchRegistry(keyspace);
        this.config = config;
        this.table = table;
        this.dispatcher = new Dispatcher(this);
        this.callObserver = new CallObserver(config);
        this.blocking = new BlockingRegistry(this);
        this.keyReadyListener = blocking;
        this.tracking = new Tracking(this);
        onClientClosed(callbacks);
        StringBuilder sb = new StringBuilder();
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int i = 0; i < 40; i++) sb.append(Character.forDigit(rnd.nextInt(16), 16));
        this.runId = sb.toString();
        this.acl = new Acl(table);
        config.onChange(callbacks, "acl-pubsub-default", "acllog-max-len", "requirepass", "proto-max-bulk-len",
                "client-query-buffer-limit", "notify-keyspace-events");
        loadConfiguredUsers(config.users(), config.get("aclfile"));
        loadAclFile(config.get("aclfile"));
        this.encodingLimits = bindEncodingLimits(config);
        keyspace.listener(new io.keyline.store.KeyspaceListener() {
            @Override
            public void expired(io.keyline.store.Database db, byte[] key) {
                watches.touch(db.id(), key);
                keyspaceEvents.notify(io.keyline.pubsub.KeyspaceEvents.EXPIRED, "expired", key, db.id());
                tracking.invalidateKey(null, key);
                for (io.keyline.store.KeyspaceListener l : keyspaceListeners) l.expired(db, key);
            }

            @Override
            public void evicted(io.keyline.store.Database db, byte[] key) {
                watches.touch(db.id(), key);
                keyspaceEvents.notify(io.keyline.pubsub.KeyspaceEvents.EVICTED, "evicted", key, db.id());
                tracking.invalidateKey(null, key);
                for (io.keyline.store.KeyspaceListener l : keyspaceListeners) l.evicted(db, key);
            }

            @Override
            public void created(io.keyline.store.Database db, byte[] key) {
                keyspaceEvents.notify(io.keyline.pubsub.KeyspaceEvents.NEW, "new", key, db.id());
            }

            @Override
            public void missed(io.keyline.store.Database db, byte[] key) {
                keyspaceEvents.notify(io.keyline.pubsub.KeyspaceEvents.KEY_MISS, "keymiss", key, db.id());
            }
        });
    }

    private final java.util.List<io.keyline.store.KeyspaceListener> keyspaceListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Adds a listener for keys removed by expiry or eviction (the AOF logs them as DEL). */
    public void addKeyspaceListener(io.keyline.store.KeyspaceListener l) {
        keyspaceListeners.add(l);
    }

    private static String resolveVersion() {
        String v = ServerContext.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0" : v;
    }

    public Keyspace keyspace() {
        return keyspace;
    }

    public Config config() {
        return config;
    }

    public CommandTable table() {
        return table;
    }

    /** Registers a new client session, as the default user (authenticated unless it needs a password). */
    public Client openClient() {
        Client c = clients.open(keyspace, callbacks);
        c.aclUser(acl.defaultUser());
        return c;
    }

    /** Users, permissions, the ACL log (Redis's acl.c). */
    public Acl acl() {
        return acl;
    }

    /** Redis's ACLLoadUsersAtStartup for the {@code user} directives: refused together with an aclfile. */
    private void loadConfiguredUsers(java.util.List<java.util.List<String>> users, String aclfile) {
        if (users.isEmpty()) return;
        if (aclfile != null && !aclfile.isEmpty()) {
            throw new io.keyline.config.ConfigException("Configuring Redis with users defined in redis.conf and at the same "
                    + "setting an ACL file path is invalid. This setup is very likely to lead to configuration errors and "
                    + "security holes, please define either an ACL file or declare users directly in your redis.conf, but "
                    + "not both.");
        }
        String error = acl.loadConfiguredUsers(users);
        if (error != null) {
            throw new io.keyline.config.ConfigException(error + "\nCritical error while loading ACLs. Exiting.");
        }
    }

    /** As Redis's ACLLoadUsersAtStartup: a bad ACL file stops the server from starting. */
    private void loadAclFile(String file) {
        if (file == null || file.isEmpty()) return;
        String errors = acl.load(java.nio.file.Path.of(file), this, null);
        if (errors != null) throw new io.keyline.config.ConfigException("Aborting Keyline startup because of ACL errors: " + errors);
    }

    /** Channels, patterns and shard channels with their subscribers; {@code pubsub().publish(..)} sends a message. */
    public io.keyline.pubsub.PubSub pubsub() {
        return pubsub;
    }

    /** Keyspace notifications ({@code notify-keyspace-events}). */
    public io.keyline.pubsub.KeyspaceEvents keyspaceEvents() {
        return keyspaceEvents;
    }

    public ClientRegistry clients() {
        return clients;
    }

    public WatchRegistry watches() {
        return watches;
    }

    public ServerStats stats() {
        return stats;
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /** What is measured after each command: slow log, latency monitor, latency histograms. */
    public CallObserver callObserver() {
        return callObserver;
    }

    /** The latency monitor, for code outside the command path that records events (expire cycle, AOF fsync). */
    public LatencyMonitor latencyMonitor() {
        return callObserver.latencyMonitor();
    }

    /**
     * What a closed client leaves behind in the context's registries. One listener rather than a method reference
     * per registry: each reference's call site is linked at its first run, on the start path (see Config#onChange).
     */
    private void forgetClosedClient(Client c) {
        tracking.disable(c);
        monitors.remove(c); // QUIT or a disconnect ends MONITOR mode
        clientPause.remove(c);
        pubsub.removeClient(c);
    }

    /** Applies a parameter's value (at construction, and at every CONFIG SET) to the part of the context it tunes. */
    private void applyConfig(String name, String v) {
        switch (name) {
            case "acl-pubsub-default" -> acl.pubsubDefault(v);
            case "acllog-max-len" -> acl.logMaxLen(Long.parseLong(v));
            case "requirepass" -> acl.defaultPassword(v);
            case "proto-max-bulk-len" -> protoMaxBulkLen = Long.parseLong(v);
            case "client-query-buffer-limit" -> queryBufferLimit = Long.parseLong(v);
            case "notify-keyspace-events" -> keyspaceEvents.flags(Math.max(0, io.keyline.pubsub.KeyspaceEvents.parse(v)));
            default -> throw new IllegalArgumentException("not a context parameter: " + name);
        }
    }

    /** Encoding thresholds that follow {@code config} from now on (CONFIG SET included). */
    private static io.keyline.store.EncodingLimits bindEncodingLimits(io.keyline.config.Config config) {
        io.keyline.store.EncodingLimits l = new io.keyline.store.EncodingLimits();
        config.onChange(new EncodingLimitsListener(l), "set-max-intset-entries", "set-max-listpack-entries",
                "set-max-listpack-value", "zset-max-listpack-entries", "zset-max-listpack-value", "list-max-listpack-size",
                "hash-max-listpack-entries", "hash-max-listpack-value", "stream-node-max-entries", "stream-node-max-bytes");
        return l;
    }

    /** Sets one encoding limit; a class rather than a lambda: see {@link Callbacks}. */
    private static final class EncodingLimitsListener implements java.util.function.BiConsumer<String, String> {
        private final io.keyline.store.EncodingLimits limits;

        EncodingLimitsListener(io.keyline.store.EncodingLimits limits) {
            this.limits = limits;
        }

        @Override
        public void accept(String name, String value) {
            setEncodingLimit(limits, name, value);
        }
    }

    private static void setEncodingLimit(io.keyline.store.EncodingLimits l, String name, String v) {
        switch (name) {
            case "set-max-intset-entries" -> l.setMaxIntsetEntries = clampToInt(v);
            case "set-max-listpack-entries" -> l.setMaxListpackEntries = clampToInt(v);
            case "set-max-listpack-value" -> l.setMaxListpackValue = clampToInt(v);
            case "zset-max-listpack-entries" -> l.zsetMaxListpackEntries = clampToInt(v);
            case "zset-max-listpack-value" -> l.zsetMaxListpackValue = clampToInt(v);
            case "list-max-listpack-size" -> l.listMaxListpackSize = (int) Long.parseLong(v.trim());
            case "hash-max-listpack-entries" -> l.hashMaxListpackEntries = Long.parseLong(v.trim());
            case "hash-max-listpack-value" -> l.hashMaxListpackValue = Long.parseLong(v.trim());
            case "stream-node-max-entries" -> l.streamNodeMaxEntries = clampToInt(v);
            case "stream-node-max-bytes" -> l.streamNodeMaxBytes = Long.parseLong(v.trim());
            default -> throw new IllegalArgumentException("not an encoding limit: " + name);
        }
    }

    /** A non-negative config number clamped into an int (sizes beyond 2^31 act as unlimited). */
    private static int clampToInt(String v) {
        long l = Long.parseLong(v.trim());
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, l));
    }

    /** This server's collection encoding thresholds (CONFIG SET-able). */
    public io.keyline.store.EncodingLimits encodingLimits() {
        return encodingLimits;
    }

    /** CLIENT PAUSE state. */
    public ClientPause clientPause() {
        return clientPause;
    }

    /** The clients in MONITOR mode, fed by the call path. */
    public Monitors monitors() {
        return monitors;
    }

    /** Client-side caching: the tracking and prefix tables, invalidation messages. */
    public Tracking tracking() {
        return tracking;
    }

    /** Clients blocked on keys (BLPOP and friends). */
    public BlockingRegistry blocking() {
        return blocking;
    }

    /** Where scripts run and the running script's state (BUSY, SCRIPT KILL). */
    public ScriptThread scriptThread() {
        return scriptThread;
    }

    public String runId() {
        return runId;
    }

    public long startMillis() {
        return startMillis;
    }

    public Propagator propagator() {
        return propagator;
    }

    public void propagator(Propagator p) {
        this.propagator = p == null ? Propagator.NONE : p;
    }

    /** Set by persistence while a failed BGSAVE must stop writes (stop-writes-on-bgsave-error); null otherwise. */
    private volatile String rdbWriteError;

    public void rdbWriteError(String error) {
        this.rdbWriteError = error;
    }

    /**
     * Non-null when writes (and PING) must be refused with MISCONF: as Redis 7.2's
     * writeCommandsDeniedByDiskError, a failed RDB save first, then the AOF's write error.
     */
    public String writeError() {
        String e = rdbWriteError;
        return e != null ? e : propagator.writeError();
    }

    public KeyReadyListener keyReadyListener() {
        return keyReadyListener;
    }

    public void keyReadyListener(KeyReadyListener l) {
        this.keyReadyListener = l == null ? KeyReadyListener.NONE : l;
    }

    public boolean loading() {
        return loading;
    }

    public void loading(boolean loading) {
        this.loading = loading;
    }

    /** proto-max-bulk-len, read by every connection's parser before each read (CONFIG SET applies at once). */
    public long protoMaxBulkLen() {
        return protoMaxBulkLen;
    }

    /** client-query-buffer-limit, as {@link #protoMaxBulkLen()}. */
    public long queryBufferLimit() {
        return queryBufferLimit;
    }

    /** Redis's authRequired: new connections must AUTH (the default user has a password or is off). */
    public boolean authRequired() {
        return acl.defaultRequiresAuth();
    }

    public void shutdownHandler(ShutdownHandler h) {
        this.shutdownHandler = h;
    }

    public ShutdownHandler shutdownHandler() {
        return shutdownHandler;
    }

    public int tcpPort() {
        return tcpPort;
    }

    public void tcpPort(int port) {
        this.tcpPort = port;
    }

    /** Registers an INFO section provider ("persistence", ...), replacing a built-in one. */
    public void infoSection(String name, InfoSection section) {
        infoSections.put(name, section);
    }

    public InfoSection infoSection(String name) {
        return infoSections.get(name);
    }

    /** A place for other packages to publish a service to commands (e.g. the AOF for BGREWRITEAOF). */
    public <T> void service(Class<T> type, T instance) {
        services.put(type.getName(), instance);
    }

    public <T> T service(Class<T> type) {
        return type.cast(services.get(type.getName()));
    }

    /**
     * Closes every published service that is {@link AutoCloseable} (e.g. MIGRATE's cached sockets), when the
     * server stops: what they hold (sockets, timers) must not outlive an embedded server.
     */
    public void closeServices() {
        for (Object s : services.values()) {
            if (!(s instanceof AutoCloseable c)) continue;
            try {
                c.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(ServerContext.class).warn("Error closing {}", s.getClass().getName(), e);
            }
        }
    }

    /** Runs {@code listener} whenever a client disconnects (e.g. to drop it from blocking queues). */
    public void onClientClosed(java.util.function.Consumer<Client> listener) {
        closeListeners.add(listener);
    }

    public void clientClosed(Client c) {
        for (java.util.function.Consumer<Client> l : closeListeners) l.accept(c);
    }
}
