package io.keyline.session;

import io.netty.buffer.ByteBuf;

import java.util.concurrent.Executor;

/** The network side of a client, as commands see it. Implemented by the server package. */
public interface Connection {
    String remoteAddress();

    String localAddress();

    /** The thread that owns this connection's reads and writes. */
    Executor executor();

    /** Writes and flushes bytes from any thread (e.g. a wake-up reply for a blocked client). */
    void writeFromAnyThread(ByteBuf data);

    /**
     * Writes a pub/sub push (a message or keyspace notification) from any thread. A push caused by
     * this connection's own running command goes after that command's reply, as in Redis 7.2
     * (pending_push_messages): never inside an EXEC array or a reply being built.
     */
    default void writePushFromAnyThread(ByteBuf data) {
        writeFromAnyThread(data);
    }

    /**
     * As {@link #writeFromAnyThread}, for an invalidation {@code writer}'s running command caused
     * (Redis has it in this client's output buffer before the writer's reply): {@code writer}'s
     * replies are not sent until this write has been flushed, so whoever saw the write acknowledged
     * can already read it here. {@code writer} may be null (expiry, eviction): no ordering.
     */
    default void writeAheadOf(ByteBuf data, Connection writer) {
        writeFromAnyThread(data);
    }

    /** Closes after pending replies are flushed. */
    void close();

    /** Resumes reading/processing buffered commands after the client was unblocked. */
    void resume();

    /**
     * Runs {@code work} (a command that must not run on this connection's event loop: a script) on
     * {@code executor}, this connection suspended meanwhile: it parses no further command, and the
     * replies {@code work} writes to the client's reply writer are sent, in order, when it is done;
     * then the connection resumes. Called from the connection's own thread while it runs a command.
     * False if this connection cannot be suspended (an internal client): the caller runs {@code work} inline.
     *
     * <p>{@code joinsBatch} (null for a command that runs alone) tells which commands already parsed after this
     * one may run on {@code executor} right after it, in the same hand-off (a pipelined run of scripts): each
     * still goes through the whole call path there, one after the other, and their replies come back together.
     */
    default boolean detach(Executor executor, Runnable work, java.util.function.Predicate<byte[][]> joinsBatch) {
        return false;
    }

    /** Fd-like number shown in CLIENT LIST. */
    int fd();

    /** Reply bytes handed over but not yet written to the socket (omem in CLIENT LIST). */
    default long outputBufferBytes() {
        return 0;
    }

    /** Bytes buffered, not yet parsed (qbuf in CLIENT LIST). */
    default int queryBufferLength() {
        return 0;
    }

    /** Room left in the query buffer's allocation (qbuf-free in CLIENT LIST). */
    default int queryBufferFree() {
        return 0;
    }

    /** Argument bytes of a command parsed in part (argv-mem in CLIENT LIST, Redis's argv_len_sum). */
    default long argvMemory() {
        return 0;
    }

    /** Arguments of a command parsed in part. */
    default int argc() {
        return 0;
    }

    Connection DETACHED = new Connection() {
        @Override
        public String remoteAddress() {
            return "";
        }

        @Override
        public String localAddress() {
            return "";
        }

        @Override
        public Executor executor() {
            return Runnable::run;
        }

        @Override
        public void writeFromAnyThread(ByteBuf data) {
            data.release();
        }

        @Override
        public void close() {
        }

        @Override
        public void resume() {
        }

        @Override
        public int fd() {
            return -1;
        }
    };
}
