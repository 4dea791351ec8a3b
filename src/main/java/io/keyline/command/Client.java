package io.keyline.command;

import io.keyline.protocol.ReplyWriter;
import io.keyline.store.Database;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One connection's state, like Redis's {@code client} struct: selected database, protocol,
 * authentication, name, MULTI queue, watched keys, and the {@link ReplyWriter} its commands answer
 * through. Owned by the connection's event-loop thread; fields other threads read are volatile.
 */
public final class Client {
    private final ServerContext server;
    private final long id;
    public final ReplyWriter reply = new ReplyWriter();
    private Connection connection = Connection.DETACHED;
    private Database db;
    private volatile String name = "";
    private volatile String libName = "";
    private volatile String libVersion = "";
    private boolean authenticated;
    private String user = "default";
    private final long createdAt;
    private volatile long lastInteraction;
    private volatile String lastCommand = "NULL";

    /** Writes done by the command being executed; the dispatcher compares before and after. */
    long dirty;
    /** Commands to log instead of argv (e.g. SET ... EX 10 logged as SET ... PXAT t). */
    List<byte[][]> propagateAs;
    /** Highest AOF sequence this client's replies must wait for. */
    long pendingDurableSeq;
    /** The AOF loader's client: its commands are not counted in INFO stats or commandstats. */
    boolean replaying;

    // MULTI/EXEC
    List<byte[][]> queued;
    List<CommandSpec> queuedSpecs;
    boolean multiError;
    final Set<WatchRegistry.WatchedKey> watched = new HashSet<>();
    volatile boolean watchDirty;
    /** True while EXEC runs this client's queued commands (blocking commands must not block then). */
    boolean executingTransaction;
    /** Non-null while EXEC runs: writes collected to log wrapped in MULTI/EXEC. */
    List<Object[]> transactionLog;

    // Blocking
    private volatile boolean blocked;
    private volatile Object blockState;

    /** CLIENT REPLY: ON, OFF, or SKIP (this command's and the next command's replies dropped). */
    public enum ReplyMode { ON, OFF, SKIP }

    private ReplyMode replyMode = ReplyMode.ON;
    private int skipReplies;
    private volatile boolean noEvict;
    private volatile boolean noTouch;

    private volatile boolean closeAfterReply;
    private volatile boolean killed;

    public Client(ServerContext server, long id) {
        this.server = server;
        this.id = id;
        this.db = server.keyspace().db(0);
        this.createdAt = System.currentTimeMillis();
        this.lastInteraction = createdAt;
        this.authenticated = !server.authRequired();
    }

    public ServerContext server() {
        return server;
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
        this.db = server.keyspace().db(index);
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

    public String user() {
        return user;
    }

    public void user(String user) {
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
        this.lastInteraction = now;
    }

    public String lastCommand() {
        return lastCommand;
    }

    void lastCommand(String name) {
        this.lastCommand = name;
    }

    public boolean inMulti() {
        return queued != null;
    }

    public int multiQueueLength() {
        return queued == null ? -1 : queued.size();
    }

    /** True while EXEC runs the queued commands: blocking commands reply at once instead of blocking. */
    public boolean executingTransaction() {
        return executingTransaction;
    }

    public int watchedCount() {
        return watched.size();
    }

    // ---- what handlers call ------------------------------------------------------------------

    /**
     * The command changed {@code key}: counts as dirty (so it is logged to the AOF), fails the
     * transactions watching it and wakes clients blocked on it.
     */
    public void modified(byte[] key) {
        dirty++;
        server.watches().touch(db.id(), key);
        server.keyReadyListener().keyModified(this, db, key);
    }

    /** As {@link #modified(byte[])} for a key in another database (MOVE, COPY ... DB). */
    public void modified(Database target, byte[] key) {
        dirty++;
        server.watches().touch(target.id(), key);
        server.keyReadyListener().keyModified(this, target, key);
    }

    /** The command changed data not tied to one key (FLUSHALL, SWAPDB...). */
    public void changed() {
        dirty++;
    }

    /** Log these commands instead of the command as received. Call once per command to log. */
    public void propagateAs(byte[]... argv) {
        if (propagateAs == null) propagateAs = new ArrayList<>(2);
        propagateAs.add(argv);
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

    /** Ends the blocked state and lets the connection process whatever it buffered meanwhile. */
    public void unblock() {
        this.blockState = null;
        this.blocked = false;
        server().callObserver().afterUnblock(this); // a blocked command reaches the slow log when answered
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

    public long pendingDurableSeq() {
        return pendingDurableSeq;
    }

    public void clearPendingDurableSeq() {
        pendingDurableSeq = 0;
    }

    /** RESET: back to a fresh connection's state (keeps the id and the connection). */
    public void reset() {
        server.watches().unwatchAll(this);
        queued = null;
        queuedSpecs = null;
        multiError = false;
        db = server.keyspace().db(0);
        reply.protocol(2);
        name = "";
        replyMode = ReplyMode.ON;
        skipReplies = 0;
        noEvict = false;
        noTouch = false;
        authenticated = !server.authRequired();
        user = "default";
    }
}
