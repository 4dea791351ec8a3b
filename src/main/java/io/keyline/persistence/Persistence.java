package io.keyline.persistence;

import io.keyline.engine.PersistenceControl;
import io.keyline.engine.RedisException;
import io.keyline.engine.ServerContext;
import io.keyline.config.Config;
import io.keyline.store.Database;
import io.keyline.store.Keyspace;
import io.keyline.store.KeyspaceListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Keyline's persistence: the append-only directory's lifecycle. {@link #load} (start-up, clients get
 * -LOADING meanwhile) reads the manifest, replays the files and starts logging; {@link #stop}
 * flushes and fsyncs. Rewrites (BGREWRITEAOF, SAVE, BGSAVE, automatic growth) follow Redis 7:
 * open a new incr file, switch to it, write a new base, then switch the manifest atomically and
 * delete the old files. Also answers INFO persistence.
 */
public final class Persistence implements PersistenceControl {
    private static final Logger log = LoggerFactory.getLogger(Persistence.class);
    private static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);

    private final Config config;
    private final AofFile.Opener opener;
    private ServerContext ctx;
    private Path dir;
    private String prefix;
    private volatile Manifest manifest;
    private volatile AofWriter writer;
    private volatile AofLoader loader;
    private volatile boolean loading;
    private ScheduledExecutorService cron;
    private volatile boolean started;
    private volatile boolean rewriteScheduled;
    /**
     * CONFIG SET appendonly yes came while another job ran (Redis's AOF_WAIT_REWRITE with
     * aof_rewrite_scheduled): the rewrite that turns logging on starts when the job ends.
     */
    private volatile boolean enableScheduled;
    /** From CONFIG SET appendonly yes until its rewrite ended: INFO's aof_enabled is already 1, as Redis's AOF_WAIT_REWRITE. */
    private volatile boolean aofTurningOn;

    private final Object rewriteLock = new Object();
    private volatile boolean rewriting;
    private volatile boolean cancelRewrite;
    private volatile Thread rewriteThread;
    private volatile long rewriteStartMillis;
    private volatile long lastRewriteSeconds = -1;
    private volatile String lastRewriteStatus = "ok";
    private volatile long rewrites;
    private volatile long lastSaveSeconds = System.currentTimeMillis() / 1000;
    private volatile long baseSize; // aof_base_size: the size right after the last rewrite or load
    private volatile RdbLoader rdbLoader; // while an RDB (or a preamble) loads: INFO's loading_* fields
    private volatile long lastLoadKeysLoaded;
    private volatile long lastLoadKeysExpired;
    private volatile long rdbSaves;
    // BGSAVE: one background job at a time (like Redis's one child), guarded by rewriteLock too.
    private volatile boolean bgsaving;
    private volatile boolean cancelBgsave;
    private volatile boolean bgsaveScheduled;
    private volatile Thread bgsaveThread;
    private volatile long bgsaveStartMillis;
    private volatile long lastBgsaveTrySeconds;
    private volatile long lastBgsaveSeconds = -1;
    private volatile boolean lastBgsaveOk = true;
    /** The running BGSAVE's or AOF rewrite's progress (INFO's current_* fields), null when none runs. */
    private volatile SaveProgress bgsaveProgress;
    private volatile SaveProgress rewriteProgress;
    /**
     * rdb_last_cow_size: Keyline has no fork, so no copy-on-write pages; the extra memory of a
     * snapshot is the encoded stripes waiting for the disk, whose peak is reported here.
     */
    private volatile long lastCowSize;
    /** Redis's CONFIG_BGSAVE_RETRY_DELAY: after a failed BGSAVE, the save policy waits this long (seconds). */
    private static final long BGSAVE_RETRY_DELAY = 5;
    /** Redis 7.2's shared.bgsaveerr (stop-writes-on-bgsave-error). */
    static final String BGSAVE_MISCONF = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to "
            + "persist to disk. Commands that may modify the data set are disabled, because this instance is configured "
            + "to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please "
            + "check the Redis logs for details about the RDB error.";
    /** SHUTDOWN already saved (or was told NOSAVE): stop() must not save again. */
    private volatile boolean shutdownDecided;

    public Persistence(Config config) {
        this(config, AofFile.DEFAULT);
    }

    Persistence(Config config, AofFile.Opener opener) {
        this.config = config;
        this.opener = opener;
    }

    // ---- lifecycle -----------------------------------------------------------------------------

    /**
     * True when {@link #load} will read no data: the AOF is off and there is neither an AOF manifest nor a dump.rdb.
     * (With the AOF on, {@link #load} creates or replays its files.)
     */
    public boolean nothingToLoad() {
        if (config.getBool("appendonly")) return false;
        Path manifest = aofDir().resolve(Manifest.manifestName(config.get("appendfilename")));
        return !Files.exists(manifest) && !Files.isRegularFile(rdbPath());
    }

    /** {@code dir/appenddirname}, read now: both are live parameters. */
    private Path aofDir() {
        return Path.of(config.get("dir")).resolve(config.get("appenddirname"));
    }

    /** Start-up: publishes the commands' service and INFO section, loads the AOF, starts logging. */
    public void load(ServerContext ctx) throws IOException {
        this.ctx = ctx;
        this.prefix = config.get("appendfilename");
        this.dir = aofDir();
        ctx.service(PersistenceControl.class, this);
        ctx.infoSection("persistence", callbacks);
        ctx.addKeyspaceListener(new KeyspaceListener() {
            @Override
            public void expired(Database db, byte[] key) {
                logRemoval(db, key);
            }

            @Override
            public void evicted(Database db, byte[] key) {
                logRemoval(db, key);
            }
        });
        if (config.getBool("appendonly")) {
            loadAndOpen();
        } else {
            if (Files.exists(dir.resolve(Manifest.manifestName(prefix)))) {
                manifest = Manifest.read(dir.resolve(Manifest.manifestName(prefix)));
            }
            // As Redis's loadDataFromDisk: without the AOF, dump.rdb is the data.
            Path rdb = rdbPath();
            if (Files.isRegularFile(rdb)) loadRdbAtStartup(rdb);
        }
        ctx.stats().dirtySinceSave.set(0);
        // appendfsync's listener can come after the load: the writer is made at its end, with the current value.
        config.onChange(callbacks, "appendfsync", "appendonly", "stop-writes-on-bgsave-error", "save");
        started = true;
        // Nested classes rather than lambdas: each lambda's call site is linked at its first run (see Config#onChange).
        cron = Executors.newSingleThreadScheduledExecutor(new CronThreadFactory());
        cron.scheduleWithFixedDelay(new RewriteCheck(), 1, 1, TimeUnit.SECONDS);
        scheduleSaveCheck(false);
    }

    /** INFO's persistence section and the configuration listener, one nested class (see CronCheck's reason). */
    private final class Callbacks implements io.keyline.engine.InfoSection, java.util.function.BiConsumer<String, String> {
        @Override
        public void append(StringBuilder out) {
            info(out);
        }

        @Override
        public void accept(String name, String value) {
            applyConfig(name, value);
        }
    }

    private final Callbacks callbacks = new Callbacks();

    private static final class CronThreadFactory implements ThreadFactory {
        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "keyline-aof-cron");
            t.setDaemon(true);
            return t;
        }
    }

    /** The AOF's automatic rewrite, and a BGREWRITEAOF scheduled behind a BGSAVE: checked every second. */
    private final class RewriteCheck implements Runnable {
        @Override
        public void run() {
            autoRewriteCheck();
        }
    }

    /** Milliseconds between save checks while there is something to check (Redis's serverCron at hz 10). */
    static final long SAVE_CHECK_MILLIS = 100;
    /** ... and while there is not: no save policy and no BGSAVE scheduled. */
    static final long IDLE_SAVE_CHECK_MILLIS = 1000;

    /**
     * The save policy's check, and a BGSAVE SCHEDULE'd behind a rewrite: every {@link #SAVE_CHECK_MILLIS} while
     * either can need it, else every {@link #IDLE_SAVE_CHECK_MILLIS}, and at once when CONFIG SET save or BGSAVE
     * SCHEDULE gives it something to do ({@link #scheduleSaveCheck}). An idle server without persistence woke this
     * thread eleven times a second for nothing; now twice (with the rewrite check).
     * Each run schedules the next one; one that a wake-up replaced ({@link #saveCheckGeneration}) neither checks
     * nor schedules.
     */
    private final class SaveCheck implements Runnable {
        private final long generation;

        SaveCheck(long generation) {
            this.generation = generation;
        }

        @Override
        public void run() {
            synchronized (saveCheckLock) {
                if (generation != saveCheckGeneration) return;
            }
            try {
                autoSaveCheck();
            } finally {
                synchronized (saveCheckLock) {
                    if (generation == saveCheckGeneration) scheduleSaveCheck(false);
                }
            }
        }
    }

    private final Object saveCheckLock = new Object();
    /** The generation of the one save check that may run; guarded by {@link #saveCheckLock}. */
    private long saveCheckGeneration;
    private java.util.concurrent.ScheduledFuture<?> nextSaveCheck;

    /** Whether the save check has anything to look at: a save policy, or a scheduled BGSAVE. */
    boolean saveCheckNeeded() {
        return bgsaveScheduled || !config.get("save").isBlank();
    }

    /**
     * Schedules the next save check, replacing the pending one: {@code now} runs it at once (call it after setting
     * what it reads), else after the period {@link #saveCheckNeeded} asks for.
     */
    private void scheduleSaveCheck(boolean now) {
        synchronized (saveCheckLock) {
            ScheduledExecutorService c = cron;
            if (c == null || c.isShutdown()) return;
            if (nextSaveCheck != null) nextSaveCheck.cancel(false);
            long delay = now ? 0 : saveCheckNeeded() ? SAVE_CHECK_MILLIS : IDLE_SAVE_CHECK_MILLIS;
            try {
                nextSaveCheck = c.schedule(new SaveCheck(++saveCheckGeneration), delay, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // stop() shut the cron down meanwhile: no more checks
            }
        }
    }

    /** The delay the pending save check was scheduled with (tests). */
    long saveCheckDelayMillis() {
        synchronized (saveCheckLock) {
            return nextSaveCheck == null ? -1 : nextSaveCheck.getDelay(TimeUnit.MILLISECONDS);
        }
    }

    /** Follows CONFIG SET of the parameters that change what persistence does once it has loaded. */
    private void applyConfig(String name, String v) {
        switch (name) {
            case "appendfsync" -> {
                AofWriter w = writer;
                if (w != null) w.policy(AofWriter.Fsync.parse(v));
            }
            case "appendonly" -> {
                if (started) appendOnlyChanged("yes".equals(v));
            }
            case "save" -> {
                updateWriteError();
                scheduleSaveCheck(true); // a policy now: checks every 100 ms from now on
            }
            default -> updateWriteError(); // stop-writes-on-bgsave-error
        }
    }

    private void logRemoval(Database db, byte[] key) {
        AofWriter w = writer;
        if (w != null && !loading) w.append(db.id(), new byte[][]{DEL, key});
    }

    /** Flushes and fsyncs the AOF (SIGTERM, SHUTDOWN, SHUTDOWN NOSAVE, stop()). */
    public void stop() {
        if (cron != null) cron.shutdownNow(); // no automatic BGSAVE or rewrite from now on
        stopBgsave(); // as Redis's prepareForShutdown: a running BGSAVE is killed before the final save
        // SIGTERM with a save policy, as Redis's prepareForShutdown (SHUTDOWN decides for itself first)
        if (!shutdownDecided && ctx != null && !config.get("save").isBlank()) {
            try {
                saveRdb();
            } catch (RuntimeException e) {
                log.warn("Error trying to save the DB on shutdown: {}", e.getMessage());
            }
        }
        cancelRewrite = true;
        Thread rt = rewriteThread;
        if (rt != null) {
            try {
                rt.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        AofWriter w = writer;
        if (w != null) {
            if (ctx != null) ctx.propagator(null);
            w.close();
            writer = null;
            log.info("Append only file flushed and fsynced");
        }
    }

    private void loadAndOpen() throws IOException {
        Files.createDirectories(dir);
        Path manifestPath = dir.resolve(Manifest.manifestName(prefix));
        Path legacy = Path.of(config.get("dir")).resolve(prefix);
        Manifest m;
        if (Files.exists(manifestPath)) {
            m = Manifest.read(manifestPath);
        } else if (Files.isRegularFile(legacy)) {
            // Redis 7's upgrade path: the old single file becomes the base of a new directory.
            Files.move(legacy, dir.resolve(prefix), StandardCopyOption.ATOMIC_MOVE);
            m = new Manifest(prefix, 1, List.of(), List.of());
            m.write(dir, Manifest.manifestName(prefix));
            log.info("Successfully migrated an old-style AOF {} into the AOF directory {}", legacy, dir);
        } else {
            String base = Manifest.baseName(prefix, 1);
            Files.write(dir.resolve(base), new byte[0]);
            m = new Manifest(base, 1, List.of(), List.of());
            log.info("Creating AOF base file {} on server start", base);
        }
        replay(m);
        if (m.incrNames().isEmpty()) {
            long seq = m.lastIncrSeq() + 1;
            String incr = Manifest.incrName(prefix, seq);
            try (AofFile f = opener.open(dir.resolve(incr))) {
                f.truncate(0);
                f.force();
            }
            m = m.withIncr(incr, seq);
            m.write(dir, Manifest.manifestName(prefix));
            log.info("Creating AOF incr file {} on server start", incr);
        }
        manifest = m;
        removeLeftovers(m);
        Path last = dir.resolve(m.incrNames().get(m.incrNames().size() - 1));
        AofFile f = opener.open(last);
        AofWriter w = new AofWriter(f, f.size(), AofWriter.Fsync.parse(config.get("appendfsync")));
        if (ctx != null) w.latencyMonitor(ctx.latencyMonitor());
        w.start();
        writer = w;
        baseSize = currentSize();
        ctx.propagator(w);
    }

    /**
     * Deletes what an interrupted rewrite can leave behind: temp files, and base/incr files the
     * manifest no longer names (history), as Redis does on start-up.
     */
    private void removeLeftovers(Manifest m) {
        Set<String> keep = new HashSet<>(m.files());
        try (var ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                boolean ours = n.startsWith(prefix + ".") && (n.endsWith(".base.aof") || n.endsWith(".incr.aof") || n.endsWith(".base.rdb"));
                if ((n.startsWith("temp-") || ours) && !keep.contains(n)) {
                    Files.deleteIfExists(p);
                    log.info("Removed leftover AOF file {}", n);
                }
            }
        } catch (IOException e) {
            log.warn("Could not clean up the AOF directory {}: {}", dir, e.toString());
        }
    }

    /** Replays the manifest's files with limits, expiry and propagation lifted. */
    private void replay(Manifest m) throws IOException {
        replay(m, null);
    }

    private void replay(Manifest m, java.util.function.BiConsumer<io.keyline.session.Client, byte[][]> beforeCommand) throws IOException {
        AofLoader l = new AofLoader(ctx, config.getBool("aof-load-truncated"));
        l.beforeCommand = beforeCommand;
        l.preambleLoader = () -> {
            RdbLoader r = new RdbLoader(ctx, true, RdbLoader.Duplicates.FAIL);
            rdbLoader = r;
            return r;
        };
        loader = l;
        try {
            whileLoading(() -> l.load(dir, m.files()));
        } finally {
            loader = null;
            rdbLoader = null;
        }
    }

    private interface Load {
        void run() throws IOException;
    }

    /** Runs a load with limits, expiry and propagation lifted, as Redis loads. */
    private void whileLoading(Load load) throws IOException {
        Keyspace ks = ctx.keyspace();
        loading = true;
        ks.capacity(0);
        ks.maxMemory(0);
        ks.activeExpireEnabled(false);
        ks.lazyExpireEnabled(false);
        ks.bulkLoading(true);
        try {
            load.run();
        } finally {
            ks.bulkLoading(false);
            ks.lazyExpireEnabled(true);
            ks.activeExpireEnabled(config.getBool("active-expire-enabled"));
            ks.capacity(config.getLong("capacity"));
            ks.maxMemory(config.getLong("maxmemory"));
            loading = false;
        }
    }

    // ---- RDB -------------------------------------------------------------------------------------

    /** {@code dir/dbfilename}, read now: both are live parameters. */
    private Path rdbPath() {
        return Path.of(config.get("dir")).resolve(config.get("dbfilename"));
    }

    /** Start-up: loads dump.rdb with Redis's log lines; a bad file fails the start (no partial dataset). */
    private void loadRdbAtStartup(Path rdb) throws IOException {
        long t0 = System.nanoTime();
        RdbLoader r = loadRdb(rdb, RdbLoader.Duplicates.FAIL);
        log.info("Done loading RDB, keys loaded: {}, keys expired: {}.", r.loaded, r.expired);
        log.info("DB loaded from disk: {} seconds", String.format("%.3f", (System.nanoTime() - t0) / 1e9));
    }

    private RdbLoader loadRdb(Path rdb, RdbLoader.Duplicates duplicates) throws IOException {
        RdbLoader r = new RdbLoader(ctx, false, duplicates);
        rdbLoader = r;
        try {
            whileLoading(() -> r.load(rdb));
        } catch (RdbLoader.DuplicateKey e) {
            throw new IOException(e.getMessage() + " in " + rdb, e);
        } finally {
            rdbLoader = null;
        }
        lastLoadKeysLoaded = r.loaded;
        lastLoadKeysExpired = r.expired;
        return r;
    }

    /**
     * SAVE: the keyspace as {@code dir/dbfilename}, written to a temp file under every stripe lock
     * and renamed over the old one (Redis's rdbSave). Throws {@link RedisException} on failure.
     */
    private void saveRdb() {
        Keyspace ks = ctx.keyspace();
        Path target = rdbPath();
        Path tmp = target.resolveSibling("temp-" + ProcessHandle.current().pid() + ".rdb");
        long t0 = System.nanoTime();
        ks.lockAll();
        try {
            long dirtyBefore = ctx.stats().dirtySinceSave.get();
            RdbSnapshot.Stats st = RdbSnapshot.saveLocked(ctx, RdbSnapshot.Options.of(ctx), tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Manifest.fsyncDir(target.toAbsolutePath().getParent());
            ctx.stats().dirtySinceSave.addAndGet(-dirtyBefore);
            lastSaveSeconds = System.currentTimeMillis() / 1000;
            rdbSaves++;
            lastBgsaveOk = true; // as Redis's rdbSave: a good save clears a failed BGSAVE's MISCONF
            updateWriteError();
            log.info("DB saved on disk ({} keys, {} bytes in {} ms)", st.keys(), st.bytes(), (System.nanoTime() - t0) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            log.warn("Failed saving the DB to {}: {}", target, e.toString());
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
            throw new RedisException("ERR " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        } finally {
            ks.unlockAll();
        }
    }

    @Override
    public void prepareShutdown(boolean save, boolean nosave, boolean force) {
        if (nosave) {
            shutdownDecided = true;
            return;
        }
        stopBgsave(); // as Redis's prepareForShutdown: a running BGSAVE is killed
        if (save || !config.get("save").isBlank()) {
            log.info("Saving the final RDB snapshot before exiting.");
            try {
                saveRdb();
            } catch (RedisException e) {
                if (!force) {
                    log.warn("Error trying to save the DB, can't exit.");
                    throw new RedisException("ERR Errors trying to SHUTDOWN. Check logs.");
                }
                log.warn("Error trying to save the DB, exiting anyway (FORCE).");
            }
        }
        shutdownDecided = true;
    }

    /**
     * CONFIG SET appendonly, as Redis 7.2's startAppendOnly/stopAppendOnly. On: a rewrite that
     * starts logging at its switch point; while a BGSAVE runs it is scheduled for when the save
     * ends, and a running rewrite (BGREWRITEAOF with the AOF off) is stopped and replaced, as its
     * base would have no log after it. Off: logging stops and a scheduled or running rewrite is
     * dropped.
     */
    private void appendOnlyChanged(boolean on) {
        if (on && writer == null && !aofTurningOn) {
            synchronized (rewriteLock) {
                aofTurningOn = true;
                if (rewriting || bgsaving) {
                    if (rewriting) {
                        log.info("AOF was enabled but there is already an AOF rewriting in background. Stopping it: a new "
                                + "rewrite starts when it ended.");
                        cancelRewrite = true;
                    } else {
                        log.info("AOF was enabled but there is already another background operation. An AOF background "
                                + "was scheduled to start when possible.");
                    }
                    enableScheduled = true;
                    rewriteScheduled = true;
                    return;
                }
                rewriting = true;
                cancelRewrite = false;
                rewriteStartMillis = System.currentTimeMillis();
            }
            startRewriteThread(true);
        } else if (!on && (writer != null || aofTurningOn)) {
            synchronized (rewriteLock) {
                if (aofTurningOn) {
                    aofTurningOn = false;
                    enableScheduled = false;
                    rewriteScheduled = false;
                    if (rewriting) cancelRewrite = true; // as Redis's killAppendOnlyChild
                }
            }
            AofWriter w = writer;
            if (w != null) {
                ctx.propagator(null);
                writer = null;
                w.close();
            }
            log.info("Append only file turned off");
        }
    }

    // ---- rewrite -------------------------------------------------------------------------------

    @Override
    public boolean rewriteInBackground() {
        synchronized (rewriteLock) {
            if (rewriting || bgsaving) return false;
            rewriting = true;
            cancelRewrite = false;
            rewriteStartMillis = System.currentTimeMillis();
        }
        startRewriteThread(false);
        return true;
    }

    private void startRewriteThread(boolean enabling) {
        Thread t = new Thread(() -> {
            try {
                rewrite(enabling);
            } catch (IOException | RuntimeException e) {
                // logged by rewrite()
            } finally {
                rewriteThread = null;
            }
        }, "keyline-aof-rewrite");
        t.setDaemon(true);
        rewriteThread = t;
        log.info("Background append only file rewriting started");
        t.start();
    }

    @Override
    public void scheduleRewrite() {
        rewriteScheduled = true;
    }

    /** BGREWRITEAOF, as Redis 7.2's bgrewriteaofCommand. */
    @Override
    public String bgrewriteaof(boolean inExec) {
        synchronized (rewriteLock) {
            if (rewriting) throw new RedisException("ERR Background append only file rewriting already in progress");
            if (bgsaving || inExec) {
                rewriteScheduled = true;
                return "Background append only file rewriting scheduled";
            }
            rewriting = true;
            cancelRewrite = false;
            rewriteStartMillis = System.currentTimeMillis();
        }
        startRewriteThread(false);
        return "Background append only file rewriting started";
    }

    // ---- BGSAVE ----------------------------------------------------------------------------------

    /** BGSAVE [SCHEDULE], as Redis 7.2's bgsaveCommand (an AOF rewrite plays the other child process). */
    @Override
    public String bgsave(boolean schedule, boolean inExec) {
        synchronized (rewriteLock) {
            if (bgsaving) throw new RedisException("ERR Background save already in progress");
            if (rewriting || inExec) {
                if (schedule || inExec) {
                    bgsaveScheduled = true;
                    scheduleSaveCheck(true);
                    return "Background saving scheduled";
                }
                throw new RedisException("ERR Another child process is active (AOF?): can't BGSAVE right now. "
                        + "Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.");
            }
            startBgsaveLocked();
        }
        return "Background saving started";
    }

    @Override
    public boolean bgsaveInProgress() {
        return bgsaving;
    }

    /** Starts the BGSAVE thread; the caller holds {@link #rewriteLock} and checked that no job runs. */
    private void startBgsaveLocked() {
        bgsaving = true;
        cancelBgsave = false;
        bgsaveProgress = new SaveProgress(config.getLong("rdb-key-save-delay"), () -> cancelBgsave);
        bgsaveStartMillis = System.currentTimeMillis();
        lastBgsaveTrySeconds = bgsaveStartMillis / 1000;
        Thread t = new Thread(this::bgsaveRun, "keyline-bgsave");
        t.setDaemon(true);
        bgsaveThread = t;
        log.info("Background saving started");
        t.start();
    }

    /**
     * The BGSAVE itself: {@code dir/dbfilename} from a copy-on-write {@link io.keyline.store.Snapshot}
     * (clients keep running), through a temp file renamed into place. The changes counted before the
     * cut are the ones this file holds; those after it stay in rdb_changes_since_last_save.
     */
    private void bgsaveRun() {
        long t0 = System.nanoTime();
        Path target = rdbPath();
        Path tmp = target.resolveSibling("temp-bgsave-" + ProcessHandle.current().pid() + ".rdb");
        SaveProgress progress = bgsaveProgress;
        long[] dirtyAtCut = {0};
        try {
            RdbSnapshot.Stats st = RdbSnapshot.writeSnapshot(ctx, RdbSnapshot.Options.of(ctx), tmp, false,
                    () -> dirtyAtCut[0] = ctx.stats().dirtySinceSave.get(), progress);
            synchronized (rewriteLock) {
                // A kill (FLUSHALL) takes this lock too: once it returned, this file never replaces dump.rdb.
                if (progress.killed()) throw new IOException("snapshot cancelled");
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            Manifest.fsyncDir(target.toAbsolutePath().getParent());
            ctx.stats().dirtySinceSave.addAndGet(-dirtyAtCut[0]);
            lastSaveSeconds = System.currentTimeMillis() / 1000;
            lastCowSize = st.peakQueuedBytes();
            rdbSaves++;
            lastBgsaveOk = true;
            log.info("Background saving terminated with success ({} keys, {} bytes in {} ms, peak {} KB queued)",
                    st.keys(), st.bytes(), (System.nanoTime() - t0) / 1_000_000, st.peakQueuedBytes() / 1024);
        } catch (IOException | RuntimeException e) {
            if (progress.killed()) {
                // Redis's child killed with SIGUSR1 (FLUSHALL, shutdown): not an error, the status stays.
                log.warn("Background saving terminated: killed");
            } else {
                lastBgsaveOk = false;
                log.warn("Background saving error: {}", e.toString());
            }
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException | RuntimeException ignored) {
                // best effort
            }
        } finally {
            lastBgsaveSeconds = (System.nanoTime() - t0) / 1_000_000_000L;
            synchronized (rewriteLock) {
                bgsaving = false;
                bgsaveThread = null;
                bgsaveProgress = null;
            }
            updateWriteError();
        }
    }

    @Override
    public void killBgsave() {
        synchronized (rewriteLock) {
            SaveProgress p = bgsaveProgress;
            if (!bgsaving || p == null) return;
            cancelBgsave = true;
            p.kill();
        }
    }

    /**
     * Redis 7.2's flushAllDataAndResetRDB after the flush (the caller holds every stripe lock):
     * the BGSAVE killed, then with a save policy the empty dataset saved in the foreground, which
     * resets rdb_changes_since_last_save. A failed save is logged and FLUSHALL still succeeds.
     */
    @Override
    public boolean flushedAll() {
        killBgsave();
        if (config.get("save").isBlank()) return false;
        try {
            saveRdb();
            return true;
        } catch (RedisException e) {
            return false;
        }
    }

    /** Cancels a running BGSAVE and waits for its thread (shutdown). */
    private void stopBgsave() {
        cancelBgsave = true;
        killBgsave();
        Thread t = bgsaveThread;
        if (t == null || t == Thread.currentThread()) return;
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** stop-writes-on-bgsave-error, as Redis 7.2's writeCommandsDeniedByDiskError: only with a save policy. */
    private void updateWriteError() {
        if (ctx == null) return;
        boolean deny = !lastBgsaveOk && config.getBool("stop-writes-on-bgsave-error") && !config.get("save").isBlank();
        ctx.rdbWriteError(deny ? BGSAVE_MISCONF : null);
    }

    /**
     * serverCron's part for RDB: a scheduled BGSAVE once no other job runs, else the {@code save}
     * policy ("after N seconds if at least M changes"); after a failed BGSAVE both wait
     * {@link #BGSAVE_RETRY_DELAY} seconds between attempts.
     */
    private void autoSaveCheck() {
        try {
            if (loading || ctx == null) return;
            long now = System.currentTimeMillis() / 1000;
            boolean mayRetry = lastBgsaveOk || now - lastBgsaveTrySeconds > BGSAVE_RETRY_DELAY;
            synchronized (rewriteLock) {
                if (bgsaving || rewriting || !mayRetry) return;
                if (bgsaveScheduled) {
                    bgsaveScheduled = false;
                    startBgsaveLocked();
                    return;
                }
                String policy = config.get("save");
                if (policy.isBlank()) return;
                String[] w = policy.trim().split("\\s+");
                long dirty = ctx.stats().dirtySinceSave.get();
                for (int i = 0; i + 1 < w.length; i += 2) {
                    long seconds = Long.parseLong(w[i]);
                    long changes = Long.parseLong(w[i + 1]);
                    if (dirty >= changes && now - lastSaveSeconds > seconds) {
                        log.info("{} changes in {} seconds. Saving...", changes, seconds);
                        startBgsaveLocked();
                        return;
                    }
                }
            }
        } catch (RuntimeException e) {
            log.warn("Automatic save check failed", e);
        }
    }

    /** SAVE: an RDB snapshot in the foreground (the AOF, when on, keeps going; BGREWRITEAOF rewrites it). */
    @Override
    public void saveNow() {
        saveRdb();
    }

    @Override
    public boolean rewriteInProgress() {
        return rewriting;
    }

    @Override
    public long lastSaveSeconds() {
        return lastSaveSeconds;
    }

    /**
     * The rewrite itself; the caller has set {@code rewriting}. With {@code enabling} (CONFIG SET
     * appendonly yes) logging starts at the switch point, into the new incr file.
     */
    private void rewrite(boolean enabling) throws IOException {
        long t0 = System.nanoTime();
        Path tmp = dir.resolve("temp-rewriteaof-bg-" + ProcessHandle.current().pid() + ".aof");
        SaveProgress progress = new SaveProgress(config.getLong("rdb-key-save-delay"), () -> cancelRewrite);
        rewriteProgress = progress;
        try {
            Files.createDirectories(dir);
            Manifest cur = manifest;
            long baseSeq = cur == null ? 1 : cur.baseSeq() + 1;
            long incrSeq = cur == null ? 1 : cur.lastIncrSeq() + 1;
            String incrName = Manifest.incrName(prefix, incrSeq);
            boolean rdbBase = config.getBool("aof-use-rdb-preamble");
            String baseName = rdbBase ? Manifest.baseRdbName(prefix, baseSeq) : Manifest.baseName(prefix, baseSeq);
            AofWriter w = writer;
            Runnable atSwitch = () -> { };
            if (enabling) {
                AofFile next = opener.open(dir.resolve(incrName));
                next.truncate(0);
                next.force();
                AofWriter nw = new AofWriter(next, 0, AofWriter.Fsync.parse(config.get("appendfsync")));
                if (ctx != null) nw.latencyMonitor(ctx.latencyMonitor());
                atSwitch = () -> {
                    nw.start();
                    writer = nw;
                    ctx.propagator(nw);
                };
            } else if (w != null && cur != null) {
                // 1. A new, empty incr file, listed in the manifest before anything is written to it.
                AofFile next = opener.open(dir.resolve(incrName));
                next.truncate(0);
                next.force();
                Manifest.fsyncDir(dir);
                Manifest withNew = cur.withIncr(incrName, incrSeq);
                withNew.write(dir, Manifest.manifestName(prefix));
                manifest = withNew;
                // 2. Switched to under all stripe locks, at the start of the dump.
                atSwitch = () -> w.switchTo(next, null);
            } else {
                Files.write(dir.resolve(incrName), new byte[0]);
            }
            // 3. The base, from the live data.
            long keys, bytes;
            if (rdbBase) {
                RdbSnapshot.Stats st = RdbSnapshot.writeSnapshot(ctx, RdbSnapshot.Options.of(ctx), tmp, true, atSwitch, progress);
                keys = st.keys();
                bytes = st.bytes();
            } else {
                AofRewriter.Stats st = AofRewriter.writeBase(ctx.keyspace(), ctx.service(io.keyline.engine.AofPreamble.class), tmp,
                        atSwitch, progress);
                keys = st.keys();
                bytes = st.bytes();
                log.info("AOF rewrite snapshot: stripe encode avg {} us, longest {} us, {} stripes dumped by clients, peak {} KB queued",
                        st.avgStripeNanos() / 1000, st.maxStripeNanos() / 1000, st.stripesDumpedByClients(),
                        st.peakQueuedBytes() / 1024);
            }
            Files.move(tmp, dir.resolve(baseName), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Manifest.fsyncDir(dir);
            // 4. The manifest now names only the new base and the new incr file.
            Manifest done = new Manifest(baseName, baseSeq, List.of(incrName), List.of(incrSeq));
            done.write(dir, Manifest.manifestName(prefix));
            manifest = done;
            // 5. The old files are history.
            if (cur != null) {
                Set<String> keep = new HashSet<>(done.files());
                for (String f : cur.files()) if (!keep.contains(f)) Files.deleteIfExists(dir.resolve(f));
            }
            baseSize = currentSize();
            lastRewriteSeconds = (System.nanoTime() - t0) / 1_000_000_000L;
            lastRewriteStatus = "ok";
            rewrites++; // not a save: Redis's LASTSAVE and rdb_changes_since_last_save ignore AOF rewrites
            log.info("Background AOF rewrite finished successfully: {} keys, {} bytes in {} ms",
                    keys, bytes, (System.nanoTime() - t0) / 1_000_000);
            if (enabling) log.info("Append only file enabled");
        } catch (IOException | RuntimeException e) {
            if (enabling && writer != null) { // logging started but the base is missing: turn it off again
                AofWriter w = writer;
                ctx.propagator(null);
                writer = null;
                w.close();
            }
            lastRewriteStatus = "err";
            lastRewriteSeconds = (System.nanoTime() - t0) / 1_000_000_000L;
            log.warn("Background AOF rewrite failed: {}", e.toString());
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
            throw e;
        } finally {
            rewriteProgress = null;
            if (enabling) aofTurningOn = false; // on (writer set) or failed (off again)
            rewriting = false;
        }
    }

    private void autoRewriteCheck() {
        try {
            if (rewriteScheduled && !rewriting && !bgsaving && !loading) {
                boolean enable;
                synchronized (rewriteLock) {
                    if (rewriting || bgsaving) return;
                    rewriteScheduled = false;
                    enable = enableScheduled;
                    enableScheduled = false;
                    rewriting = true;
                    cancelRewrite = false;
                    rewriteStartMillis = System.currentTimeMillis();
                }
                startRewriteThread(enable);
                return;
            }
            if (writer == null || rewriting || loading) return;
            long perc = config.getLong("auto-aof-rewrite-percentage");
            if (perc <= 0) return;
            long size = currentSize();
            if (size <= config.getLong("auto-aof-rewrite-min-size")) return;
            long base = baseSize > 0 ? baseSize : 1;
            long growth = size * 100 / base - 100;
            if (growth >= perc) {
                log.info("Starting automatic rewriting of AOF on {}% growth", growth);
                rewriteInBackground();
            }
        } catch (RuntimeException e) {
            log.warn("Automatic AOF rewrite check failed", e);
        }
    }

    /** Sum of the sizes of the files the manifest names (aof_current_size). */
    long currentSize() {
        Manifest m = manifest;
        if (m == null) return 0;
        long total = 0;
        for (String f : m.files()) {
            try {
                total += Files.size(dir.resolve(f));
            } catch (IOException e) {
                // a file just deleted by a rewrite
            }
        }
        return total;
    }

    // ---- DEBUG RELOAD ----------------------------------------------------------------------------

    /** Redis's text when a key loaded back is already in memory without MERGE (Redis itself panics). */
    private static final String LOAD_FAILED = "ERR Error trying to load the RDB dump, check server logs.";

    /** DEBUG RELOAD, as Redis's debug.c: SAVE (unless NOSAVE), empty (unless NOFLUSH), load dump.rdb back. */
    @Override
    public void reload(boolean save, boolean flush, boolean merge) {
        Keyspace ks = ctx.keyspace();
        ks.lockAll();
        AofWriter w = writer;
        if (w != null) w.suppress(Thread.currentThread()); // the loaded libraries are not new commands
        try {
            if (save) saveRdb();
            Path rdb = rdbPath();
            if (!Files.isRegularFile(rdb)) {
                log.warn("DEBUG RELOAD: no RDB file {}", rdb);
                throw new RedisException(LOAD_FAILED);
            }
            if (flush) {
                ctx.watches().touchAll(-1); // before the flush: it tells stored keys from absent ones
                ks.flushAllLocked();
            }
            RdbLoader r = new RdbLoader(ctx, false, merge ? RdbLoader.Duplicates.REPLACE : RdbLoader.Duplicates.FAIL);
            r.replaceFunctions = flush || merge; // Redis empties the libraries with the data (emptyData)
            rdbLoader = r;
            try {
                whileLoading(() -> r.load(rdb));
            } finally {
                rdbLoader = null;
            }
            lastLoadKeysLoaded = r.loaded;
            lastLoadKeysExpired = r.expired;
            log.info("DB reloaded by DEBUG RELOAD");
        } catch (RdbLoader.DuplicateKey e) {
            log.warn("DEBUG RELOAD: the snapshot has key '{}' in DB {} that is already in memory (use MERGE to replace it)",
                    e.key, e.db);
            throw new RedisException(LOAD_FAILED);
        } catch (IOException e) {
            log.warn("DEBUG RELOAD failed: {}", e.getMessage());
            throw new RedisException(LOAD_FAILED);
        } finally {
            if (w != null) w.suppress(null);
            ks.unlockAll();
        }
    }

    @Override
    public boolean loadAof() {
        Keyspace ks = ctx.keyspace();
        ks.lockAll();
        try {
            AofWriter w = writer;
            if (w != null && !w.flushNow()) {
                log.warn("DEBUG LOADAOF: could not write the AOF out: {}", w.writeError());
                return false;
            }
            ctx.watches().touchAll(-1); // before the flush: it tells stored keys from absent ones
            ks.flushAllLocked();
            // Redis reloads the manifest from disk (aofLoadManifestFromDisk) before loading.
            Path manifestPath = dir.resolve(Manifest.manifestName(prefix));
            if (!Files.exists(manifestPath)) {
                log.warn("DEBUG LOADAOF: no AOF manifest {}", manifestPath);
                return false;
            }
            replaySuppressed(Manifest.read(manifestPath), null);
            log.info("Append Only File loaded by DEBUG LOADAOF");
            return true;
        } catch (IOException | RuntimeException e) {
            log.warn("DEBUG LOADAOF failed", e);
            return false;
        } finally {
            ks.unlockAll();
        }
    }

    /** Replays {@code m} without logging the replayed commands to the AOF again. */
    private void replaySuppressed(Manifest m, java.util.function.BiConsumer<io.keyline.session.Client, byte[][]> beforeCommand)
            throws IOException {
        AofWriter w = writer;
        if (w != null) w.suppress(Thread.currentThread());
        try {
            replay(m, beforeCommand);
        } finally {
            if (w != null) w.suppress(null);
        }
    }

    // ---- INFO persistence ------------------------------------------------------------------------

    private void info(StringBuilder sb) {
        AofLoader l = loader;
        RdbLoader rl = rdbLoader;
        boolean isLoading = l != null || rl != null;
        field(sb, "loading", isLoading ? 1 : 0);
        field(sb, "async_loading", 0);
        // The running save's progress, as Redis's child reports it. Keyline measures when asked, so the
        // cow size is never stale: its age is 0. The "cow" is the encoded data waiting for the disk.
        SaveProgress save = bgsaveProgress != null ? bgsaveProgress : rewriteProgress;
        field(sb, "current_cow_peak", save == null ? 0 : save.cowPeakBytes());
        field(sb, "current_cow_size", save == null ? 0 : save.cowBytes());
        field(sb, "current_cow_size_age", 0);
        // One reading of the live counter for both fields, so that the percentage agrees with the count.
        long saveProcessed = save == null ? 0 : save.keysProcessed();
        long saveTotal = save == null ? 0 : save.keysTotal();
        field(sb, "current_fork_perc", String.format(java.util.Locale.ROOT, "%.2f", SaveProgress.percent(saveProcessed, saveTotal)));
        field(sb, "current_save_keys_processed", saveProcessed);
        field(sb, "current_save_keys_total", saveTotal);
        field(sb, "rdb_changes_since_last_save", ctx.stats().dirtySinceSave.get());
        boolean bg = bgsaving;
        field(sb, "rdb_bgsave_in_progress", bg ? 1 : 0);
        field(sb, "rdb_last_save_time", lastSaveSeconds);
        field(sb, "rdb_last_bgsave_status", lastBgsaveOk ? "ok" : "err");
        field(sb, "rdb_last_bgsave_time_sec", lastBgsaveSeconds);
        field(sb, "rdb_current_bgsave_time_sec", bg ? (System.currentTimeMillis() - bgsaveStartMillis) / 1000 : -1);
        field(sb, "rdb_saves", rdbSaves);
        field(sb, "rdb_last_cow_size", lastCowSize); // see lastCowSize: the snapshot's peak queued bytes
        field(sb, "rdb_last_load_keys_expired", lastLoadKeysExpired);
        field(sb, "rdb_last_load_keys_loaded", lastLoadKeysLoaded);
        AofWriter w = writer;
        field(sb, "aof_enabled", w != null || aofTurningOn ? 1 : 0);
        field(sb, "aof_rewrite_in_progress", rewriting ? 1 : 0);
        field(sb, "aof_rewrite_scheduled", rewriteScheduled ? 1 : 0);
        field(sb, "aof_last_rewrite_time_sec", lastRewriteSeconds);
        field(sb, "aof_current_rewrite_time_sec", rewriting ? (System.currentTimeMillis() - rewriteStartMillis) / 1000 : -1);
        field(sb, "aof_last_bgrewrite_status", lastRewriteStatus);
        field(sb, "aof_rewrites", rewrites);
        field(sb, "aof_rewrites_consecutive_failures", "ok".equals(lastRewriteStatus) ? 0 : 1);
        field(sb, "aof_last_write_status", w != null && w.writeError() != null ? "err" : "ok");
        field(sb, "aof_last_cow_size", 0);
        field(sb, "module_fork_in_progress", 0);
        field(sb, "module_fork_last_cow_size", 0);
        if (w != null) {
            field(sb, "aof_current_size", currentSize());
            field(sb, "aof_base_size", baseSize);
            field(sb, "aof_pending_rewrite", 0);
            field(sb, "aof_buffer_length", w.bufferLength());
            field(sb, "aof_pending_bio_fsync", 0);
            field(sb, "aof_delayed_fsync", 0);
        }
        if (isLoading) {
            long total = l != null ? l.totalBytes : rl.totalBytes;
            long loaded = l != null ? l.loadedBytes : rl.loadedBytes;
            long startMillis = l != null ? l.startMillis : rl.startMillis;
            long elapsed = Math.max(1, System.currentTimeMillis() - startMillis);
            double perc = total > 0 ? loaded * 100.0 / total : 0;
            long eta = loaded > 0 ? (long) ((total - loaded) * (elapsed / 1000.0) / loaded) : 1;
            field(sb, "loading_start_time", startMillis / 1000);
            field(sb, "loading_total_bytes", total);
            field(sb, "loading_rdb_used_mem", 0);
            field(sb, "loading_loaded_bytes", loaded);
            field(sb, "loading_loaded_perc", String.format("%.2f", perc));
            field(sb, "loading_eta_seconds", eta);
        }
    }

    private static void field(StringBuilder sb, String name, Object value) {
        sb.append(name).append(':').append(value).append("\r\n");
    }

    // ---- for tests and tools -------------------------------------------------------------------

    Path directory() {
        return dir;
    }

    Manifest manifest() {
        return manifest;
    }

    AofWriter writer() {
        return writer;
    }

    List<String> files() {
        Manifest m = manifest;
        return m == null ? List.of() : new ArrayList<>(m.files());
    }
}
