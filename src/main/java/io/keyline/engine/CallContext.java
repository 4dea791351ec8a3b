package io.keyline.engine;

import io.keyline.session.Client;

import io.keyline.protocol.ReplyWriter;
import io.keyline.store.Clock;
import io.keyline.store.Database;

import java.util.ArrayList;
import java.util.List;

/**
 * One command call, as Redis's {@code call()} sees it: who called (the client), the database, where
 * the reply goes, the clock, and what the command reports back: "key modified", "propagate as" and
 * "block on these keys". Handlers get it as their first argument and nothing they report is left on
 * {@link Client} for someone else to pick up: the call path ({@link Dispatcher#call}) reads the
 * results right after the handler returns, then the context is reset for the next call.
 *
 * <p>Every caller builds one: a client connection (reused per client, so a call allocates nothing),
 * EXEC (one for its queued commands, whose writes collect in the transaction's log), AOF replay and a
 * blocked client re-running its command when a key becomes ready.
 */
public final class CallContext {
    /** Who is calling: these change what the call path checks and records. */
    enum Origin {
        /** A client's command, or a blocked client's command re-run when its key became ready. */
        CLIENT,
        /** A command queued by MULTI, run by EXEC: no locks of its own, logged inside MULTI/EXEC, never blocks. */
        EXEC,
        /** A command read back from the AOF: no stats, no OOM refusal, never blocks. */
        REPLAY
    }

    private final ServerContext server;
    private final Client client;
    final Origin origin;
    /** Replaying the AOF (also EXEC's context inside a replayed transaction): no stats. */
    final boolean replaying;
    /** The reply sink: the connection's writer, or a detached buffer for a blocked client served elsewhere. */
    public ReplyWriter reply;
    private Database db;
    /** The call's time, read once (Redis's command time snapshot): a deadline and its check agree. */
    private long now = Long.MIN_VALUE;

    // ---- what the command reports back ------------------------------------------------------
    /** Number of changes made (Redis's {@code server.dirty} delta): non-zero means "log it". */
    long dirty;
    /** The command saved a snapshot holding its own changes: they are logged but not counted as unsaved. */
    boolean savedItsChanges;
    /** Commands to log instead of argv (e.g. SET ... EX 10 logged as SET ... PXAT t). */
    List<byte[][]> propagateAs;
    /** Set by a blocking command that found nothing: the keys to wait on (null: did not block). */
    byte[][] blockKeys;
    long blockTimeoutMillis;
    Class<?> blockType;
    boolean blockForStream;
    /** WAIT: a wait with no key to wake it, answered {@code :0} when it times out or is unblocked. */
    boolean blockAnswersZero;

    /** EXEC's log of the writes of its queued commands (db, argv), wrapped in MULTI/EXEC when it ends. */
    List<Object[]> transactionLog;
    /** The AOF sequence number the reply must wait for (fsync under appendfsync always). */
    long durableSeq;
    /** True while re-running a blocked client's command: a second block keeps the first deadline. */
    boolean reprocessing;
    /** A script's {@code redis.call} context (MONITOR shows its commands as {@code [db lua]}). */
    boolean scriptCall;
    /** A script's call made under redis.set_repl without REPL_AOF: its writes are not logged. */
    boolean noPropagate;
    /** The name array of this context's last command and its table entry ({@code Dispatcher.lookup}). */
    byte[] lastName;
    CommandSpec lastSpec;

    /**
     * Whether a write may overwrite a stored string's array in place ({@code Database.setReusing}):
     * not while earlier commands' arguments, possibly stored as values, wait in a log written when
     * the transaction or the script ends.
     */
    public boolean mayReuseStoredValues() {
        return transactionLog == null && !scriptCall;
    }

    /** Bit i: {@code argv[i]} was copied into the store and may go back to the parser ({@link #argumentCopied}). */
    long copiedArguments;

    /**
     * The handler copied {@code argv[index]} into a stored array ({@code Database.setReusing}) and keeps
     * no reference to it: once the call path has logged the command (the AOF, MONITOR and SLOWLOG copy
     * what they keep), {@link Dispatcher#call} gives the array back to the parser
     * ({@link io.keyline.protocol.ArgumentPool}). Only a client's own command counts: its argv is the
     * parser's, one array per argument; AOF replay's and EXEC's are not.
     */
    public void argumentCopied(int index) {
        if (index < Long.SIZE && origin == Origin.CLIENT && !replaying) copiedArguments |= 1L << index;
    }

    CallContext(ServerContext server, Client client, Origin origin, boolean replaying) {
        this.server = server;
        this.client = client;
        this.origin = origin;
        this.replaying = replaying;
        this.reply = client.reply;
    }

    /** Prepares the context for the next call. */
    void begin(ReplyWriter reply) {
        this.reply = reply;
        this.db = client.db();
        this.dirty = 0;
        this.savedItsChanges = false;
        this.propagateAs = null;
        this.blockKeys = null;
        this.blockType = null;
        this.blockForStream = false;
        this.blockAnswersZero = false;
        this.durableSeq = 0;
        this.now = Long.MIN_VALUE;
        this.copiedArguments = 0;
    }

    /**
     * The AOF sequence number the last call's reply must wait for before it is sent (with
     * {@code appendfsync always}, the fsync that covers its writes); 0 if it wrote nothing.
     */
    public long durableSeq() {
        return durableSeq;
    }

    public ServerContext server() {
        return server;
    }

    /** The calling client: its connection state (name, protocol, auth, MULTI...). */
    public Client client() {
        return client;
    }

    public Database db() {
        return db;
    }

    public int dbIndex() {
        return db.id();
    }

    /** SELECT: switches the client's database, for this call and the next ones. */
    public void select(int index) {
        client.select(index);
        this.db = client.db();
    }

    /** Queued commands run by EXEC share EXEC's time, as Redis's nested calls share the outer call's snapshot. */
    void shareTimeOf(CallContext outer) {
        this.now = outer.now();
    }

    public Clock clock() {
        return server.keyspace().clock();
    }

    /**
     * The call's time in milliseconds, from the server's (injectable) clock, read once per call (as
     * Redis's command time snapshot), so EXPIRE k 1's deadline and its already-expired check agree.
     */
    public long now() {
        if (now == Long.MIN_VALUE) now = server.keyspace().clock().millis();
        return now;
    }

    public long id() {
        return client.id();
    }

    public int protocol() {
        return reply.protocol();
    }

    /** True while EXEC runs queued commands: blocking commands answer at once instead of blocking. */
    public boolean executingTransaction() {
        return origin == Origin.EXEC;
    }

    /** True while a blocked client's command is re-run after a wake-up (Redis's CLIENT_REPROCESSING_COMMAND). */
    public boolean isReprocessing() {
        return reprocessing;
    }

    /** False where a blocking command must answer its timeout reply at once (EXEC, AOF replay, loading). */
    public boolean mayBlock() {
        return origin == Origin.CLIENT && !replaying && !server.loading();
    }

    public boolean inMulti() {
        return client.inMulti();
    }

    // ---- what handlers report ----------------------------------------------------------------

    /**
     * The command changed {@code key}: counts as dirty (so it is logged to the AOF), fails the
     * transactions watching it and wakes clients blocked on it.
     */
    public void modified(byte[] key) {
        modified(db, key);
    }

    /** As {@link #modified(byte[])} for a key in another database (MOVE, COPY ... DB). */
    public void modified(Database target, byte[] key) {
        dirty++;
        server.watches().touch(target.id(), key);
        server.keyReadyListener().keyModified(client, target, key);
        // Redis's signalModifiedKey → trackingInvalidateKey; the writer's own invalidation after its reply
        // (a blocked command re-run elsewhere has no reply of its own to wait for: sent at once).
        server.tracking().invalidateKey(client, key, origin != Origin.REPLAY && !reprocessing);
    }

    /**
     * Publishes a keyspace notification for {@code key} in the current database, as Redis's
     * {@code notifyKeyspaceEvent}: {@code type} is the family's class from
     * {@link io.keyline.pubsub.KeyspaceEvents} ({@code STRING}, {@code LIST}, {@code GENERIC}...) and
     * {@code event} Redis's event name. Free when notifications are off.
     */
    public void notifyKeyspaceEvent(int type, String event, byte[] key) {
        server.keyspaceEvents().notify(type, event, key, db.id());
    }

    /** As {@link #notifyKeyspaceEvent(int, String, byte[])} for a key in another database (MOVE, COPY ... DB). */
    public void notifyKeyspaceEvent(int type, String event, byte[] key, Database target) {
        server.keyspaceEvents().notify(type, event, key, target.id());
    }

    /**
     * For a {@link CommandSpec.Flag#NETWORK_IO} command, which runs without locks: runs {@code body} holding the
     * stripes of {@code keys}, and logs the changes it reported before releasing them.
     */
    public void underKeyLocks(byte[][] keys, Runnable body) {
        server.dispatcher().underKeyLocks(this, keys, body);
    }

    /** The command changed data not tied to one key (FLUSHALL, SWAPDB...). */
    public void changed() {
        dirty++;
    }

    /**
     * The command wrote a snapshot that holds its changes (FLUSHALL with a save policy, as Redis's
     * rdbSave resetting server.dirty): they are still logged to the AOF, but not counted in
     * rdb_changes_since_last_save.
     */
    public void savedItsChanges() {
        savedItsChanges = true;
    }

    /** Log these commands instead of the command as received. Call once per command to log. */
    public void propagateAs(byte[]... argv) {
        if (propagateAs == null) propagateAs = new ArrayList<>(2);
        propagateAs.add(argv);
    }

    /**
     * Nothing to serve: wait until one of {@code keys} holds a value of {@code type}, then the call path
     * runs this command again (Redis 7's reprocessing), or answer a null array after
     * {@code timeoutMillis} (0 = forever). The handler writes no reply. Callers check
     * {@link #mayBlock()} first.
     */
    public void block(byte[][] keys, long timeoutMillis, Class<?> type) {
        this.blockKeys = keys;
        this.blockTimeoutMillis = timeoutMillis;
        this.blockType = type;
    }

    /**
     * As {@link #block} for XREAD/XREADGROUP (Redis's BLOCKED_STREAM): a waiter that cannot be served
     * does not hold back the waiters behind it (each waits for IDs of its own), and when
     * {@code unblockOnNoKey} (XREADGROUP) the client is released with Redis's
     * {@code UNBLOCKED the stream key no longer exists} once the key is deleted or changes type.
     */
    public void blockForStream(byte[][] keys, long timeoutMillis, Class<?> type, boolean unblockOnNoKey) {
        block(keys, timeoutMillis, type);
        this.blockForStream = true;
        this.blockUnblockOnNoKey = unblockOnNoKey;
    }

    boolean blockUnblockOnNoKey;

    /**
     * WAIT with replicas to wait for: no replica ever acknowledges, so, as Redis with none connected, the client
     * waits out {@code timeoutMillis} (0 = forever) or a CLIENT UNBLOCK and is then answered {@code :0}.
     * Callers check {@link #mayBlock()} first.
     */
    public void blockUntilTimeout(long timeoutMillis) {
        block(NO_KEYS, timeoutMillis, null);
        this.blockAnswersZero = true;
    }

    private static final byte[][] NO_KEYS = new byte[0][];
}
