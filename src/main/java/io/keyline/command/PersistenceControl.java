package io.keyline.command;

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

    /** Unix time (seconds) of the last successful save. */
    long lastSaveSeconds();

    /** DEBUG RELOAD: save (if {@code save}), empty the keyspace (if {@code flush}), load the snapshot back. */
    void reload(boolean save, boolean flush);
}
