/**
 * Persistence: the append-only file in Redis 7's multi-part layout
 * ({@code <dir>/<appenddirname>/} holding {@code <appendfilename>.<n>.base.aof},
 * {@code <appendfilename>.<n>.incr.aof} and {@code <appendfilename>.manifest}).
 *
 * <ul>
 *   <li>{@link io.keyline.persistence.Persistence}: the lifecycle (load on start-up, log while
 *   running, flush on stop, the SHUTDOWN snapshot), SAVE and BGSAVE (dump.rdb; BGSAVE on its own thread,
 *   the {@code save} policy, stop-writes-on-bgsave-error), AOF rewrites (BGREWRITEAOF, automatic); one
 *   background job at a time, as Redis's one child process; INFO persistence.</li>
 *   <li>{@link io.keyline.persistence.AofWriter}: the {@code Propagator}: commands are encoded to
 *   RESP into a memory buffer under a short lock; the event loop that appended writes the buffer to
 *   the current incr file when its batch of reads ends (one write per batch, as Redis's
 *   {@code beforeSleep}), and with {@code always} fsyncs it there before releasing the replies, so
 *   the batch shares one fsync (group commit). A writer thread does the once-a-second fsync of
 *   {@code everysec}, file switches for rewrites, retries after disk errors and appends made off
 *   the event loops. Hand-offs between threads cost more than the fsync on small machines; the
 *   measurements are in {@code AofWriter#batchEnd}.</li>
 *   <li>{@link io.keyline.persistence.AofLoader}: replays a manifest's files through the normal
 *   command table; {@link io.keyline.persistence.AofReader} parses and validates the RESP stream
 *   (also used by {@code --check-aof}).</li>
 *   <li>{@link io.keyline.persistence.AofRewriter}: writes a compact base from a copy-on-write
 *   {@link io.keyline.store.Snapshot} of the keyspace (exact cut, no stop-the-world, a client waits
 *   for one stripe's encoding at most); data types implement {@link io.keyline.store.AofRewritable}.
 *   {@link io.keyline.persistence.ChunkWriter} gets the encoded stripes to the file on its own thread
 *   through a queue bounded in bytes (reusable by any snapshot writer, e.g. an RDB one).</li>
 *   <li>{@link io.keyline.persistence.Manifest}: the manifest's format and file naming.</li>
 *   <li>{@link io.keyline.persistence.RdbSnapshot}: the keyspace as an RDB file: SAVE (every stripe held,
 *   database by database with RESIZEDB), BGSAVE and the AOF's RDB preamble ({@code aof-use-rdb-preamble
 *   yes}, a {@code .base.rdb}): both from a {@link io.keyline.store.Snapshot} as the AofRewriter, each
 *   stripe an in-memory RDB chunk, the CRC64 computed by the {@link io.keyline.persistence.ChunkWriter}'s
 *   observer; {@link
 *   io.keyline.persistence.RdbLoader} loads one (start-up {@code dir/dbfilename} when the AOF is off, a
 *   {@code .base.rdb} or preamble inside the AOF, DEBUG RELOAD), refusing the start on any corruption;
 *   {@link io.keyline.persistence.RdbCheck} is {@code --check-rdb}.</li>
 * </ul>
 *
 * <p>May use {@code engine} (the {@code Propagator} and {@code PersistenceControl} it implements, the
 * dispatcher's replay), {@code session} (the loader's client), {@code store}, {@code protocol},
 * {@code config} and {@code util}; never {@code commands} or {@code server}, which plugs it in through
 * its persistence hook. Enforced by {@code ArchitectureTest}.
 */
package io.keyline.persistence;
