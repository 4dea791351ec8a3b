package io.keyline.session;

import io.keyline.protocol.ReplyWriter;
import io.keyline.store.Database;
import io.keyline.store.Keyspace;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * One connection's state, like Redis's {@code client} struct: selected database, protocol,
 * authentication, name, MULTI queue, watched keys, and the {@link ReplyWriter} its commands answer
 * through. Owned by the connection's event-loop thread; fields other threads read are volatile.
 */
public final class Client {
    private final Keyspace keyspace;
    private final BooleanSupplier authRequired;
    private final long id;
    public final ReplyWriter reply = new ReplyWriter();
    private Connection connection = Connection.DETACHED;
    private Database db;
    private volatile String name = "";
    private volatile String libName = "";
    private volatile String libVersion = "";
    private boolean authenticated;
    /** The ACL user (null: an internal client, which runs anything); volatile as CLIENT LIST reads it. */
    private volatile UserRef user;
    private final long createdAt;
    private volatile long lastInteraction;
    private volatile String lastCommand = "NULL";

    // MULTI/EXEC: the queued commands as received (EXEC resolves them again), and whether one was refused
    private List<byte[][]> queued;
    private boolean multiError;
    /** Bytes the MULTI queue holds (Redis's mstate.argv_len_sums: argument bytes plus a pointer each). */
    private volatile long multiArgvBytes;
    final Set<WatchRegistry.WatchedKey> watched = new HashSet<>();
    volatile boolean watchDirty;

    // Blocking
    private volatile boolean blocked;
    private volatile Object blockState;

    /** CLIENT REPLY: ON, OFF, or SKIP (this command's and the next command's replies dropped). */
    public enum ReplyMode { ON, OFF, SKIP }

    private ReplyMode replyMode = ReplyMode.ON;
    private int skipReplies;
    private volatile boolean noEvict;
    private volatile boolean noTouch;

    // Pub/sub subscription counts, kept by io.keyline.pubsub.PubSub (CLIENT LIST sub/psub/ssub, the P flag)
    private volatile int subscribedChannels;
    private volatile int subscribedPatterns;
    private volatile int subscribedShardChannels;

    private volatile boolean closeAfterReply;
    /** MONITOR mode (the 'O' flag of CLIENT LIST); kept by the engine's monitor list. */
    private volatile boolean monitor;
    private volatile boolean killed;

    /**
     * A new session on database 0, authenticated unless {@code authRequired} says a password is set
     * (asked again by RESET).
     */
    public Client(Keyspace keyspace, BooleanSupplier authRequired, long id) {
        this.keyspace = keyspace;
        this.authRequired = authRequired;
        this.id = id;
        this.db = keyspace.db(0);
        this.createdAt = System.currentTimeMillis();
        this.lastInteraction = createdAt;
        this.authenticated = !authRequired.getAsBoolean();
    }

    public long id() {
        return id;
    }

    public Connection connection() {
        return connection;
    }

    public void connection(Connection connection) {
        this.connection = connection;
    }

    public Database db() {
        return db;
    }

    public int dbIndex() {
        return db.id();
    }

    public void select(int index) {
        this.db = keyspace.db(index);
    }

    public String name() {
        return name;
    }

    public void name(String name) {
        this.name = name;
    }

    public String libName() {
        return libName;
    }

    public void libName(String v) {
        this.libName = v;
    }

    public String libVersion() {
        return libVersion;
    }

    public void libVersion(String v) {
        this.libVersion = v;
    }

    public boolean authenticated() {
        return authenticated;
    }

    public void authenticated(boolean v) {
        this.authenticated = v;
    }

    /** The user's name, as CLIENT LIST prints it ("default" for an internal client). */
    public String user() {
        UserRef u = user;
        return u == null ? "default" : u.name();
    }

    /** The ACL user this client runs as; null for internal clients (no ACL checks). */
    public UserRef aclUser() {
        return user;
    }

    public void aclUser(UserRef user) {
        this.user = user;
    }

    public int protocol() {
        return reply.protocol();
    }

    public void protocol(int p) {
        reply.protocol(p);
    }

    public long createdAt() {
        return createdAt;
    }

    public long lastInteraction() {
        return lastInteraction;
    }

    public void touchInteraction(long now) {
        // A volatile store is a full fence: once per batch (now is read per batch), not per command.
        if (lastInteraction != now) this.lastInteraction = now;
    }

    public String lastCommand() {
        return lastCommand;
    }

    public void lastCommand(String name) {
        if (lastCommand != name) this.lastCommand = name; // no fence per command when it repeats
    }

    public boolean inMulti() {
        return queued != null;
    }

    public int multiQueueLength() {
        return queued == null ? -1 : queued.size();
    }

    /** MULTI: starts queueing. */
    public void beginMulti() {
        queued = new ArrayList<>();
        multiError = false;
        multiArgvBytes = 0;
    }

    /** Queues a command inside MULTI. */
    public void queue(byte[][] argv) {
        queued.add(argv);
        long n = 8L * argv.length;
        for (byte[] a : argv) n += a.length;
        multiArgvBytes += n;
    }

    /** The queued commands (null outside MULTI). */
    public List<byte[][]> queued() {
        return queued;
    }

    /** A command was refused while queueing: EXEC will answer EXECABORT. */
    public void markMultiError() {
        multiError = true;
    }

    public boolean multiError() {
        return multiError;
    }

    /** Leaves MULTI (EXEC, DISCARD, RESET); the caller unwatches the keys. */
    public void endMulti() {
        queued = null;
        multiError = false;
        multiArgvBytes = 0;
    }

    /** Argument bytes queued by MULTI (for the client's memory, CLIENT LIST multi-mem). */
    public long multiArgvBytes() {
        return multiArgvBytes;
    }

    public int watchedCount() {
        return watched.size();
    }

    // ---- blocking ----------------------------------------------------------------------------

    public boolean blocked() {
        return blocked;
    }

    /** Marks the client blocked: no further commands of its are processed until {@link #unblock}. */
    public void block(Object state) {
        this.blockState = state;
        this.blocked = true;
    }

    public Object blockState() {
        return blockState;
    }

    private byte[][] postponed;

    /**
     * Holds a command CLIENT PAUSE postponed: the client is blocked until the pause ends, then its
     * connection runs this command first (Redis's blockPostponeClient and reprocessing).
     */
    public void postpone(byte[][] argv, Object state) {
        this.postponed = argv;
        block(state);
    }

    /** The postponed command to run now, once (null if none). */
    public byte[][] takePostponed() {
        byte[][] argv = postponed;
        postponed = null;
        return argv;
    }

    /** Ends the blocked state and lets the connection process whatever it buffered meanwhile. */
    public void unblock() {
        this.blockState = null;
        this.blocked = false;
        connection.resume();
    }

    public void replyMode(ReplyMode mode) {
        switch (mode) {
            case ON -> this.replyMode = ReplyMode.ON;
            case OFF -> this.replyMode = ReplyMode.OFF;
            case SKIP -> {
                if (replyMode != ReplyMode.OFF) skipReplies = 2; // this command and the next
            }
        }
    }

    /**
     * Called by the connection after each command: true if what the command wrote must be
     * discarded (CLIENT REPLY OFF, or SKIP for this and the following command).
     */
    public boolean dropReplyOfLastCommand() {
        if (replyMode == ReplyMode.OFF) return true;
        if (skipReplies > 0) {
            skipReplies--;
            return true;
        }
        return false;
    }

    public boolean noEvict() {
        return noEvict;
    }

    public void noEvict(boolean v) {
        this.noEvict = v;
    }

    /** CLIENT NO-TOUCH: recorded (shown in CLIENT LIST flags); keys are still touched. */
    public boolean noTouch() {
        return noTouch;
    }

    public void noTouch(boolean v) {
        this.noTouch = v;
    }

    /** A watched key was modified (the 'd' flag of CLIENT LIST). */
    public boolean watchDirtyFlag() {
        return watchDirty;
    }

    /** Set by the pub/sub registry when this client's subscriptions change. */
    public void pubsubCounts(int channels, int patterns, int shardChannels) {
        this.subscribedChannels = channels;
        this.subscribedPatterns = patterns;
        this.subscribedShardChannels = shardChannels;
    }

    public int subscribedChannels() {
        return subscribedChannels;
    }

    public int subscribedPatterns() {
        return subscribedPatterns;
    }

    public int subscribedShardChannels() {
        return subscribedShardChannels;
    }

    /** Subscribed to something (Redis's CLIENT_PUBSUB): the pubsub output buffer class, and in RESP2 the restricted context. */
    public boolean pubsub() {
        return subscribedChannels + subscribedPatterns + subscribedShardChannels > 0;
    }

    /** In MONITOR mode: receives every command the server runs (set by the engine's monitor list only). */
    public boolean monitor() {
        return monitor;
    }

    public void monitor(boolean v) {
        this.monitor = v;
    }

    public boolean closeAfterReply() {
        return closeAfterReply;
    }

    public void closeAfterReply(boolean v) {
        this.closeAfterReply = v;
    }

    public boolean killed() {
        return killed;
    }

    public void kill() {
        this.killed = true;
        connection.close();
    }

    // ---- client-side caching (engine.Tracking owns the tables; these are Redis's CLIENT_TRACKING_* flags)
    public static final int TRACKING = 1;
    public static final int TRACKING_BCAST = 2;
    public static final int TRACKING_OPTIN = 4;
    public static final int TRACKING_OPTOUT = 8;
    public static final int TRACKING_CACHING = 16;
    public static final int TRACKING_NOLOOP = 32;
    public static final int TRACKING_BROKEN_REDIR = 64;
    private volatile int trackingFlags;
    private volatile long trackingRedirect;
    private volatile java.util.List<byte[]> trackingPrefixes = java.util.List.of();
    /** Invalidations for this client raised by its own running command, sent after its reply (own thread only). */
    private java.util.List<byte[]> trackingPending;

    public int trackingFlags() {
        return trackingFlags;
    }

    public boolean tracking(int flag) {
        return (trackingFlags & flag) != 0;
    }

    public void trackingFlags(int flags) {
        this.trackingFlags = flags;
    }

    public long trackingRedirect() {
        return trackingRedirect;
    }

    public void trackingRedirect(long id) {
        this.trackingRedirect = id;
    }

    /** The BCAST prefixes, sorted as Redis's radix tree lists them. */
    public java.util.List<byte[]> trackingPrefixes() {
        return trackingPrefixes;
    }

    public void trackingPrefixes(java.util.List<byte[]> prefixes) {
        this.trackingPrefixes = prefixes;
    }

    /** Queues an invalidation (null: all keys) to send after the running command's reply. */
    public void addTrackingPending(byte[] key) {
        if (trackingPending == null) trackingPending = new ArrayList<>(2);
        trackingPending.add(key);
    }

    /** Takes the queued invalidations (null when none). */
    public java.util.List<byte[]> takeTrackingPending() {
        java.util.List<byte[]> p = trackingPending;
        trackingPending = null;
        return p;
    }

    /**
     * RESET: back to a fresh connection's state (keeps the id and the connection). The caller
     * unwatches the keys first (the registry owns them).
     */
    public void reset() {
        queued = null;
        multiArgvBytes = 0;
        multiError = false;
        db = keyspace.db(0);
        reply.protocol(2);
        name = "";
        replyMode = ReplyMode.ON;
        skipReplies = 0;
        noEvict = false;
        noTouch = false;
        authenticated = !authRequired.getAsBoolean();
        // the caller sets the default user back (the engine owns users)
    }
}
