package io.keyline.engine;

/**
 * What the persistence layer offers to commands (SAVE, BGSAVE, BGREWRITEAOF, LASTSAVE, DEBUG
 * RELOAD). Published by {@code io.keyline.persistence} with {@link ServerContext#service}.
 */
public interface PersistenceControl {
    /** Starts an AOF rewrite in the background; false if a rewrite is already running. */
    boolean rewriteInBackground();

    /** BGSAVE SCHEDULE while a rewrite runs: start another one as soon as it finished. */
    void scheduleRewrite();

    /** Writes a snapshot now (a foreground rewrite); throws {@link RedisException} on failure. */
    void saveNow();

    boolean rewriteInProgress();

    /**
     * BGSAVE [SCHEDULE] as Redis 7.2's bgsaveCommand: the status reply ("Background saving
     * started"/"scheduled"); throws {@link RedisException} with the error reply. {@code inExec}:
     * called from EXEC (Redis schedules then).
     */
    String bgsave(boolean schedule, boolean inExec);

    /** BGREWRITEAOF as Redis 7.2's bgrewriteaofCommand: the status reply, or throws the error. */
    String bgrewriteaof(boolean inExec);

    /** True while a BGSAVE runs (SAVE refuses then). */
    boolean bgsaveInProgress();

    /**
     * SHUTDOWN's snapshot, before the server stops (Redis's prepareForShutdown): none with
     * {@code nosave}; else an RDB when {@code save} or a {@code save} policy is configured. A failed
     * save throws {@link RedisException} ("Errors trying to SHUTDOWN") unless {@code force}.
     */
    default void prepareShutdown(boolean save, boolean nosave, boolean force) {
    }

    /**
     * Redis's killRDBChild: a running BGSAVE stops at once, leaves no file behind and is not an
     * error (LASTSAVE and rdb_last_bgsave_status unchanged). No effect on an AOF rewrite.
     */
    default void killBgsave() {
    }

    /**
     * FLUSHALL's part, as Redis 7.2's flushAllDataAndResetRDB, called under every stripe lock after
     * the flush: kills a running BGSAVE and, when a {@code save} policy is configured, saves the
     * now empty dataset in the foreground. True if it saved.
     */
    default boolean flushedAll() {
        return false;
    }

    /** Unix time (seconds) of the last successful save. */
    long lastSaveSeconds();

    /** DEBUG RELOAD: save (if {@code save}), empty the keyspace (if {@code flush}), load the snapshot back. */
    default void reload(boolean save, boolean flush) {
        reload(save, flush, false);
    }

    /**
     * DEBUG RELOAD with Redis's options: {@code merge} lets a key loaded from the snapshot replace
     * one already in memory (RDBFLAGS_ALLOW_DUP); without it, a key both in memory (NOFLUSH) and in
     * the snapshot is an error.
     */
    void reload(boolean save, boolean flush, boolean merge);

    /**
     * DEBUG LOADAOF: write out what the AOF writer holds, empty the keyspace and load the AOF named
     * by the manifest on disk. False if there is no AOF to load or loading failed.
     */
    boolean loadAof();
}
