package io.keyline.server;

import io.keyline.engine.BatchEnd;
import io.keyline.engine.CallContext;
import io.keyline.session.Client;
import io.keyline.session.ClientMemory;
import io.keyline.session.Connection;
import io.keyline.engine.Dispatcher;
import io.keyline.engine.Propagator;
import io.keyline.engine.ServerContext;
import io.keyline.protocol.ProtocolException;
import io.keyline.protocol.RespParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.net.SocketAddress;
import java.util.concurrent.Executor;

/**
 * One client socket. Reads are accumulated and parsed into commands, which run right here on the
 * event-loop thread; their replies collect in one outbound buffer that is flushed once per read
 * batch ({@code channelReadComplete}), which is where pipelining gets its throughput. With
 * {@code appendfsync always} the flush waits until the AOF has fsynced the batch's writes.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter implements Connection {
    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);

    private final ServerContext server;
    private final Dispatcher dispatcher;
    private final RespParser parser;
    private ChannelHandlerContext ctx;
    private Client client;
    /** The context this connection's commands are called with, reused call after call. */
    private CallContext call;
    /** Highest AOF sequence the replies buffered since the last flush must wait for. */
    private long pendingDurableSeq;
    private ByteBuf in;
    private ByteBuf out;
    /** True while this loop runs one of this connection's commands (pushes to itself wait for its reply). */
    private boolean executing;
    /** Pushes this connection's running command caused to itself, appended after its reply. */
    private ByteBuf pendingPushes;
    private boolean closing;
    private int fd = -1;

    private final OutputBufferLimits limits;
    /** Bytes handed to {@link #writeFromAnyThread} from other threads, not yet run on this loop. */
    private final AtomicLong inTransit = new AtomicLong();
    /** When the soft output limit was first seen exceeded (ms), 0 when it is not. */
    private volatile long softLimitReachedAt;
    /** Closed for its output buffer: further output is dropped at once. */
    private final AtomicBoolean outputLimitReached = new AtomicBoolean();

    private final ClientEviction eviction;
    /** The memory last added to {@link ClientEviction#total} for this client (guarded by this). */
    private long accountedMemory;
    /** Closed by client eviction, or closed: no longer counted. */
    private boolean memoryReleased;

    ClientConnection(ServerContext server, OutputBufferLimits limits, ClientEviction eviction) {
        this.server = server;
        this.limits = limits;
        this.eviction = eviction;
        this.dispatcher = server.dispatcher();
        this.parser = new RespParser(server.protoMaxBulkLen());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.outbox = LoopOutbox.of(ctx.executor()); // before ctx: writers from other threads check ctx first
        this.ctx = ctx;
        server.stats().connectionsReceived.increment();
        client = server.openClient();
        client.connection(this);
        call = dispatcher.newContext(client);
        fd = (int) (client.id() + 7);
        int max = server.config().getInt("maxclients");
        if (server.clients().size() > max) {
            server.stats().rejectedConnections.increment();
            ctx.writeAndFlush(ctx.alloc().buffer().writeBytes("-ERR max number of clients reached\r\n".getBytes()))
                    .addListener(ChannelFutureListener.CLOSE);
            closing = true;
            return;
        }
        if (ProtectedMode.refuses(server.config().getBool("protected-mode"), server.authRequired(),
                server.config().get("bind"), ctx.channel().remoteAddress())) {
            server.stats().rejectedConnections.increment();
            log.warn("Refused connection from {}: protected mode (no password, listening on all interfaces)", remoteAddress());
            ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(ProtectedMode.DENIED))
                    .addListener(ChannelFutureListener.CLOSE);
            closing = true;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        releaseMemory();
        releaseIncoming();
        if (client != null) {
            server.watches().unwatchAll(client);
            server.clients().close(client);
            server.clientClosed(client);
        }
        if (in != null) {
            in.release();
            in = null;
        }
        if (out != null) {
            out.release();
            out = null;
        }
        if (pendingPushes != null) {
            pendingPushes.release();
            pendingPushes = null;
        }
        if (held != null) {
            held.release();
            held = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf data = (ByteBuf) msg;
        if (closing) {
            data.release();
            return;
        }
        server.stats().netInputBytes.add(data.readableBytes());
        parser.setMaxBulkLength(server.protoMaxBulkLen()); // CONFIG SET applies to open connections too
        in = in == null ? data : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), in, data);
        // Netty runs a loop's reads before its tasks: a push another loop queued for this client before
        // this request was even sent (an invalidation caused by a write whose reply the client saw)
        // would otherwise follow this request's reply. Redis has it in the output buffer already.
        if (!incoming.isEmpty() || !fenced.isEmpty()) drainNow();
        process();
    }

    /** Parses and runs buffered commands until input runs out, the client blocks or closes. */
    private void process() {
        if (suspended) return; // a script of this client runs: the commands after it wait for its reply
        long now = System.currentTimeMillis(); // one clock read per read batch, not per command
        try {
            // A client killed by CLIENT KILL from another thread runs nothing more, even before its close.
            // Nor does one whose socket is gone (a write of replies handed off mid-batch failed): as Redis
            // frees such a client, its pipelined rest is dropped instead of being answered into a buffer
            // nobody reads (20 pipelined 10 MB LRANGEs took the loop tens of seconds to collect).
            while (!client.blocked() && !closing && !client.killed() && ctx.channel().isActive()) {
                byte[][] argv = client.takePostponed(); // a command CLIENT PAUSE held runs first
                if (argv == null) argv = parsedAhead.pollFirst(); // then those a script batch left
                if (argv == null) {
                    if (parseAheadError != null) { // met while parsing ahead, after the commands before it ran
                        ProtocolException e = parseAheadError;
                        parseAheadError = null;
                        throw e;
                    }
                    if (in == null || !in.isReadable()) break;
                    parser.unauthenticated(!client.authenticated());
                    argv = parser.next(in);
                    if (argv == null) {
                        if (eviction.enabled() && accountAndEvict()) return; // a growing query buffer counts too
                        if (in.readableBytes() > server.queryBufferLimit()) {
                            server.stats().queryBufferLimitDisconnections.increment();
                            log.info("Closing client id={} addr={} that reached max query buffer length", client.id(), remoteAddress());
                            close();
                        }
                        break;
                    }
                    if (argv.length == 0) continue;
                }
                if (out == null) out = ctx.alloc().ioBuffer(replySizeHint);
                client.reply.buffer(out);
                client.touchInteraction(now);
                int replyStart = out.writerIndex();
                executing = true;
                try {
                    dispatcher.execute(call, argv);
                } finally {
                    executing = false;
                }
                if (suspended) break; // the command runs on the script thread; scriptDone() goes on
                if (call.durableSeq() > pendingDurableSeq) pendingDurableSeq = call.durableSeq();
                if (client.dropReplyOfLastCommand()) out.writerIndex(replyStart); // CLIENT REPLY OFF/SKIP
                if (pendingPushes != null) { // Redis 7.2: pushes to itself follow the command's reply
                    out.writeBytes(pendingPushes);
                    pendingPushes.release();
                    pendingPushes = null;
                }
                if (out.readableBytes() >= HANDOFF_BYTES && canHandOff()) handOff();
                if (out == null ? checkOutputLimits(0) : out.readableBytes() > 0 && checkOutputLimits(out.readableBytes())) return; // as Redis on each reply
                if (eviction.enabled() && accountAndEvict()) return;
                if (client.closeAfterReply() || client.killed()) {
                    closing = true;
                    flush(true);
                    return;
                }
            }
        } catch (ProtocolException e) {
            server.stats().protocolErrors.increment();
            log.info("Protocol error ({}) from client id={} addr={}", e.getMessage(), client.id(), remoteAddress());
            if (out == null) out = ctx.alloc().ioBuffer(256);
            client.reply.buffer(out);
            client.reply.error("ERR " + e.getMessage());
            closing = true;
            flush(true);
            return;
        }
        if (in != null) {
            if (!in.isReadable()) {
                in.release();
                in = null;
            } else {
                in.discardSomeReadBytes();
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flush(false);
    }

    private void flush(boolean thenClose) {
        ByteBuf buf = out;
        out = null;
        if (buf != null) replySizeHint = Math.max(MIN_REPLY_BUFFER, Math.min(MAX_REPLY_HINT, buf.readableBytes()));
        if (buf != null && !buf.isReadable()) {
            buf.release();
            buf = null;
        }
        long seq = pendingDurableSeq;
        pendingDurableSeq = 0;
        if (held != null) {
            // An earlier batch still waits for its fsync: later replies queue behind it, in order.
            if (buf != null) {
                server.stats().netOutputBytes.add(buf.readableBytes());
                held.writeBytes(buf);
                buf.release();
            }
            heldSeq = Math.max(heldSeq, seq);
            heldClose |= thenClose;
            if (held.readableBytes() > HELD_LIMIT) ctx.channel().config().setAutoRead(false); // backpressure
            return;
        }
        boolean afterHandOff = handedOff;
        handedOff = false;
        if (buf == null) {
            // Replies handed off mid-batch may still sit in Netty's buffer: a bare close would drop them.
            if (thenClose && afterHandOff) ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            else if (thenClose) ctx.close();
            return;
        }
        server.stats().netOutputBytes.add(buf.readableBytes());
        Propagator p = server.propagator();
        if (fences.get() > 0) {
            // Invalidations this batch caused are still on their way out on other loops: the
            // replies wait for them (fenceDone), and for the fsync as well when there is one.
            held = buf;
            heldSeq = seq;
            heldClose = thenClose;
            if (seq > 0 && !p.isDurable(seq)) p.whenDurable(seq, releaseHeld);
            return;
        }
        if (seq > 0 && !p.isDurable(seq)) {
            // Group commit: the reply leaves only after the fsync that covers its writes. Reading
            // goes on meanwhile (no epoll re-registration per batch); what it produces queues behind.
            held = buf;
            heldSeq = seq;
            heldClose = thenClose;
            p.whenDurable(seq, releaseHeld);
            return;
        }
        writeOut(buf, thenClose);
    }

    /**
     * Initial size of the next batch's reply buffer: the last batch's reply size (a pipelining client
     * tends to send the same batch again), so 16 GETs of 1 KB values do not grow the buffer from 256
     * bytes through seven reallocations, each copying what was written so far; at least
     * {@link #MIN_REPLY_BUFFER}.
     */
    private int replySizeHint = MIN_REPLY_BUFFER;
    /**
     * The smallest reply buffer of a batch: the largest size Netty's adaptive allocator serves from its
     * size classes (16 KB + 512 B; Redis keeps a 16 KB reply buffer per client). A batch whose replies
     * fit never grows its buffer, and buffer growth is where the reply path changed shape with the batch:
     * a hint from the last batch (256 B after unpipelined traffic, ~7 KB after 16 GETs that half missed)
     * grew by copying into the next power of two, past 16 KB into the allocator's large-buffer chunks,
     * whose allocate/release branches C2 had pruned; the first pipelined 1 KB batch then trapped in them
     * and recompiled the command, the allocator and Netty's flush (AbstractUnsafe.flush0).
     * A small batch reserves more than it writes, but only until its bytes reach the socket.
     */
    private static final int MIN_REPLY_BUFFER = 16 * 1024 + 512;
    /** A hint never reserves more than this up front (a large reply still grows past it as needed). */
    private static final int MAX_REPLY_HINT = 64 * 1024;

    /**
     * Replies past this size go to the socket mid-batch ({@link #handOff}) instead of growing one buffer
     * for the whole batch: 16 pipelined LRANGEs of 100 1 KB elements are 1.6 MB, a buffer that grows
     * by copying through 64 KB..2 MB, is allocated outside the pool's small sizes and leaves the CPU's
     * caches before it is sent.
     */
    private static final int HANDOFF_BYTES = 64 * 1024;
    /** Replies of the current batch were handed off: a close must let them out first. */
    private boolean handedOff;

    /**
     * Whether the replies collected so far may leave before the batch ends: not while anything must
     * go first (replies held for an fsync, fenced invalidations on other loops), nor while the batch's
     * writes wait for the AOF (its shared batch-end work), since no reply may precede its command's
     * AOF write, nor the fsync that covers it under {@code appendfsync always}.
     */
    private boolean canHandOff() {
        return held == null && fences.get() == 0 && pendingDurableSeq == 0 && !BatchEnd.sharedWorkPending()
                && ctx.channel().isActive();
    }

    /** Writes the replies collected so far to the socket now; the next command starts a fresh buffer. */
    private void handOff() {
        ByteBuf buf = out;
        out = null;
        replySizeHint = Math.max(MIN_REPLY_BUFFER, Math.min(MAX_REPLY_HINT, buf.readableBytes()));
        server.stats().netOutputBytes.add(buf.readableBytes());
        handedOff = true;
        ctx.writeAndFlush(buf, ctx.voidPromise());
    }

    /** Replies held for durability, their highest AOF sequence and whether to close after them. */
    private ByteBuf held;
    private long heldSeq;
    private boolean heldClose;
    private static final int HELD_LIMIT = 1 << 20;

    /**
     * Runs where the fsync happened: usually this event loop at the end of its batch, else it hops here.
     * This connection's three tasks are inner classes rather than lambdas: each lambda's call site cost
     * ~0.3-0.5 ms to link when the first client connected (the CDS archive holds no linked call sites under ZGC
     * on JDK 25), on the event loop that then answers its first command.
     */
    private final Runnable releaseHeld = new ReleaseHeld();

    private final class ReleaseHeld implements Runnable {
        @Override
        public void run() {
            if (ctx.executor().inEventLoop()) writeHeld();
            else ctx.executor().execute(this);
        }
    }

    private void writeHeld() {
        ByteBuf buf = held;
        if (buf == null) return;
        if (fences.get() > 0) return; // fenceDone calls again when the last one is out
        Propagator p = server.propagator();
        if (heldSeq > 0 && !p.isDurable(heldSeq)) { // replies queued behind the first batch carried later writes
            p.whenDurable(heldSeq, releaseHeld);
            return;
        }
        held = null;
        if (!ctx.channel().config().isAutoRead() && !closing) ctx.channel().config().setAutoRead(true);
        if (!ctx.channel().isActive()) {
            buf.release();
            return;
        }
        writeOut(buf, heldClose);
    }

    /**
     * Replies go out when the event loop's batch of reads ends, all ready clients' together, as
     * Redis sends them in {@code beforeSleep}: the client then finds many replies per wake-up.
     * Measured over four alternating rounds of 300,000 SETs from 50 clients: redis-benchmark's
     * context switches per 1,000 SETs fell from 12.4-18.3 to 9.3-13.2, Keyline's CPU per SET from
     * 17.3-20.9 us to 16.3-19.8 us (throughput moved within the noise).
     */
    private void writeOut(ByteBuf buf, boolean thenClose) {
        if (buf.capacity() - buf.readableBytes() > COMPACT_SLACK && hasUnsentOutput()) buf = compacted(buf);
        if (thenClose) {
            ctx.writeAndFlush(buf).addListener(ChannelFutureListener.CLOSE);
        } else if (flushQueued || draining) { // flushed at the batch's or the drain's end
            ctx.write(buf, ctx.voidPromise());
        } else if (BatchEnd.flushAfterBatch(flushAtBatchEnd)) {
            flushQueued = true;
            ctx.write(buf, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(buf, ctx.voidPromise());
        }
        checkOutputLimits();
    }

    /** Unused room in a reply buffer past which it is copied before it queues behind unsent output. */
    private static final int COMPACT_SLACK = 4096;

    /** Whether Netty still holds output of this connection that the socket did not take (a client that does not read). */
    private boolean hasUnsentOutput() {
        return unsentBytes() > 0;
    }

    /** Bytes of this connection's output in Netty's queue, not yet taken by the socket. */
    private long unsentBytes() {
        ChannelOutboundBuffer ob = ctx.channel().unsafe().outboundBuffer();
        return ob == null ? 0 : ob.totalPendingWriteBytes();
    }

    /**
     * The replies in a buffer of their own size. A batch's buffer starts at {@link #MIN_REPLY_BUFFER}: one
     * that has to wait in Netty's queue behind unsent output would otherwise hold 16.5 KB for a 5-byte
     * reply, for as long as the client does not read, beyond what omem and the output-buffer limits count.
     */
    private ByteBuf compacted(ByteBuf buf) {
        ByteBuf copy = ctx.alloc().ioBuffer(buf.readableBytes()).writeBytes(buf);
        buf.release();
        return copy;
    }

    /** Writes from other threads waiting for this loop (multi-producer, this loop consumes). */
    private final java.util.Queue<ByteBuf> incoming = io.netty.util.internal.PlatformDependent.newMpscQueue();
    /**
     * Writers whose replies wait for a write of {@link #incoming} ({@link #writeAheadOf}); each is
     * offered after its data, and released once a drain has flushed it.
     */
    private final java.util.Queue<ClientConnection> fenced = io.netty.util.internal.PlatformDependent.newMpscQueue();
    /** Writes this connection's commands sent to other loops that must leave before its replies. */
    private final java.util.concurrent.atomic.AtomicInteger fences = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * An invalidation from {@code writer}'s command. On this loop (or from no client) it is an
     * ordinary write: this connection's flush is queued at the batch end before the writer's, or it
     * is flushed at once. From another thread, the writer's replies are held until this loop has
     * drained and flushed it (Redis has it in this client's buffer before the writer's reply).
     */
    @Override
    public void writeAheadOf(ByteBuf data, Connection writer) {
        if (!(writer instanceof ClientConnection w) || w == this || ctx == null || ctx.executor().inEventLoop()
                || outputLimitReached.get() || !ctx.channel().isActive()) {
            writeFromAnyThread(data);
            return;
        }
        w.fences.incrementAndGet();
        inTransit.addAndGet(data.readableBytes());
        incoming.offer(data);
        fenced.offer(w); // after its data: a drain that sees the fence has the data queued too
        checkOutputLimits();
        if (drainScheduled.compareAndSet(false, true)) outbox.add(this);
    }

    /** One of this connection's fenced writes is out; the last one lets held replies go. */
    private void fenceDone() {
        if (fences.decrementAndGet() == 0 && ctx != null) ctx.executor().execute(this::writeHeld);
    }
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** True while {@link #drainIncoming} runs: writes are queued in Netty and flushed once at its end. */
    private boolean draining;

    /** This connection's loop's {@link LoopOutbox}: one task drains every connection of the loop that has writes queued. */
    private LoopOutbox outbox;

    private final Runnable drainIncoming = new DrainIncoming();

    private final class DrainIncoming implements Runnable {
        @Override
        public void run() {
            drainScheduled.set(false); // before polling: an offer after this schedules another drain
            drainNow();
            if (!flushQueued && ctx.channel().isActive()) ctx.flush();
            checkOutputLimits();
        }
    }

    /**
     * Writes what other threads queued, in order, without flushing (the caller's batch or drain does),
     * unless writers wait for some of it: then it is flushed here and those writers released.
     */
    private void drainNow() {
        // Fences first: each was offered after its data, so that data is in the queue drained next.
        ClientConnection f;
        while ((f = fenced.poll()) != null) drainedFences.add(f);
        draining = true;
        try {
            ByteBuf b;
            while ((b = incoming.poll()) != null) {
                inTransit.addAndGet(-b.readableBytes());
                writeFromAnyThread(b);
            }
        } finally {
            draining = false;
        }
        if (!drainedFences.isEmpty()) {
            if (ctx.channel().isActive()) ctx.flush();
            for (int i = 0; i < drainedFences.size(); i++) drainedFences.get(i).fenceDone();
            drainedFences.clear();
        }
    }

    /** The writers released by the drain running now (this loop only; reused). */
    private final java.util.ArrayList<ClientConnection> drainedFences = new java.util.ArrayList<>(2);

    /** Run by {@link LoopOutbox} on this connection's loop: writes what other threads queued, then flushes. */
    void drainQueued() {
        drainIncoming.run();
    }

    private void releaseIncoming() {
        ClientConnection f;
        while ((f = fenced.poll()) != null) f.fenceDone(); // closed: its writers wait no longer
        ByteBuf b;
        while ((b = incoming.poll()) != null) {
            inTransit.addAndGet(-b.readableBytes());
            b.release();
        }
    }

    private boolean flushQueued;
    private final Runnable flushAtBatchEnd = new FlushAtBatchEnd();

    private final class FlushAtBatchEnd implements Runnable {
        @Override
        public void run() {
            flushQueued = false;
            ctx.flush();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        // As Redis, a monitor (a replica-like client) is never closed for idleness.
        if (evt instanceof IdleStateEvent && client != null && !client.blocked() && !client.monitor()) {
            log.debug("Closing idle client id={}", client.id());
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("Connection error for client id={}: {}", client == null ? -1 : client.id(), cause.toString());
        ctx.close();
    }

    // ---- Connection (as commands see it) -----------------------------------------------------

    @Override
    public String remoteAddress() {
        return format(ctx == null ? null : ctx.channel().remoteAddress());
    }

    @Override
    public String localAddress() {
        return format(ctx == null ? null : ctx.channel().localAddress());
    }

    private static String format(SocketAddress a) {
        if (a instanceof InetSocketAddress i) {
            String host = i.getAddress() == null ? i.getHostString() : i.getAddress().getHostAddress();
            return host + ":" + i.getPort();
        }
        return a == null ? "" : a.toString();
    }

    @Override
    public Executor executor() {
        return ctx.executor();
    }

    /**
     * Writes from any thread, in the order of the calls from one thread: another thread's writes hop
     * to this loop's task queue (FIFO); on this loop they follow the replies still being collected
     * ({@code out}) or held for an fsync, so a RESP3 client's own pub/sub message comes after its
     * earlier replies. Each write checks client-output-buffer-limit (Redis checks on every reply).
     */
    @Override
    public void writePushFromAnyThread(ByteBuf data) {
        if (executing && ctx != null && ctx.executor().inEventLoop() && !outputLimitReached.get()) {
            if (pendingPushes == null) pendingPushes = ctx.alloc().ioBuffer(Math.max(64, data.readableBytes()));
            pendingPushes.writeBytes(data);
            data.release();
            return;
        }
        writeFromAnyThread(data);
    }

    @Override
    public void writeFromAnyThread(ByteBuf data) {
        if (outputLimitReached.get()) {
            data.release();
            return;
        }
        if (ctx == null) {
            data.release();
            return;
        }
        if (!ctx.executor().inEventLoop()) {
            if (!ctx.channel().isActive()) {
                data.release();
                return;
            }
            // Batched per subscriber: queued here, one drain task while the queue is non-empty and
            // one flush per drain (not a task and a flush per message), FIFO per producing thread.
            inTransit.addAndGet(data.readableBytes());
            incoming.offer(data);
            checkOutputLimits(); // queued bytes count as omem
            if (drainScheduled.compareAndSet(false, true)) outbox.add(this);
            return;
        }
        if (suspended) { // this connection's script runs elsewhere: its reply comes first
            if (pendingPushes == null) pendingPushes = ctx.alloc().ioBuffer(Math.max(64, data.readableBytes()));
            pendingPushes.writeBytes(data);
            data.release();
            return;
        }
        if (out != null) { // a command of this connection is running: its replies come first
            out.writeBytes(data);
            data.release();
            return;
        }
        if (out != null) {
            // This connection is running its own batch (e.g. a monitor's own command fed back to it):
            // queue behind the replies not yet flushed, as Redis appends to the client's buffer.
            out.writeBytes(data);
            data.release();
            return;
        }
        server.stats().netOutputBytes.add(data.readableBytes());
        if (held != null) { // keep order behind replies still waiting for their fsync
            held.writeBytes(data);
            data.release();
            checkOutputLimits();
            return;
        }
        if (!ctx.channel().isActive()) {
            data.release();
            return;
        }
        writeOut(data, false);
    }

    /** omem: bytes Netty has not written to the socket yet, plus those on their way to this loop or held for an fsync. */
    @Override
    public long outputBufferBytes() {
        if (ctx == null) return 0;
        long pending = unsentBytes();
        ByteBuf h = held;
        if (h != null) {
            try {
                pending += h.readableBytes();
            } catch (RuntimeException e) {
                // released meanwhile by the loop
            }
        }
        return pending + inTransit.get();
    }

    /**
     * Redis's {@code checkClientOutputBufferLimits} + {@code closeClientOnOutputBufferLimitReached}:
     * the hard limit closes at once, the soft limit once it stayed exceeded for more than its seconds.
     * The class is pubsub while the client has subscriptions, else normal.
     */
    private void checkOutputLimits() {
        checkOutputLimits(0);
    }

    /** As {@link #checkOutputLimits()} counting {@code collecting} bytes of replies not handed to Netty yet; true if closed. */
    private boolean checkOutputLimits(long collecting) {
        if (client == null) return false;
        if (outputLimitReached.get()) return true;
        OutputBufferLimits.Limit l = client.pubsub() ? limits.pubsub : limits.normal;
        if (l.none()) return false;
        long used = outputBufferBytes() + collecting;
        boolean hard = l.hard() > 0 && used >= l.hard();
        boolean soft = l.soft() > 0 && used >= l.soft();
        if (soft) {
            long now = System.currentTimeMillis();
            long since = softLimitReachedAt;
            if (since == 0) {
                softLimitReachedAt = now;
                soft = false;
            } else if ((now - since) / 1000 <= l.softSeconds()) {
                soft = false;
            }
        } else {
            softLimitReachedAt = 0;
        }
        if (!hard && !soft) return false;
        if (!outputLimitReached.compareAndSet(false, true)) return true;
        server.stats().outputBufferLimitDisconnections.increment();
        log.warn("Client id={} addr={} laddr={} fd={} name={} omem={} scheduled to be closed ASAP for overcoming of output buffer limits.",
                client.id(), remoteAddress(), localAddress(), fd, client.name(), used);
        // Close now, dropping what was not written: waiting for the flush is what must not happen.
        if (ctx.executor().inEventLoop()) closeNow();
        else ctx.executor().execute(this::closeNow);
        return true;
    }

    private void closeNow() {
        closing = true;
        if (out != null) { // replies being collected are dropped with the rest
            out.release();
            out = null;
        }
        ctx.channel().close();
    }

    @Override
    public void close() {
        if (ctx == null) return;
        if (ctx.executor().inEventLoop()) {
            closing = true;
            if (out != null || handedOff) flush(true);
            else ctx.close();
        } else {
            ctx.executor().execute(this::close);
        }
    }

    @Override
    public void resume() {
        ctx.executor().execute(() -> {
            if (closing) return;
            process();
            flush(false);
        });
    }

    @Override
    public int fd() {
        return fd;
    }

    // ---- a command run on another thread (a script) ------------------------------------------

    /** True while this connection's command runs on the script thread: nothing more is parsed meanwhile. */
    private boolean suspended;

    /** The most scripts one hand-off runs, so that one client's long pipeline does not hold the script thread. */
    private static final int MAX_SCRIPT_BATCH = 64;
    /** Commands parsed ahead for a script batch and not run by it: they run next, before anything else is parsed. */
    private final java.util.ArrayDeque<byte[][]> parsedAhead = new java.util.ArrayDeque<>();
    /** A protocol error met while parsing ahead: raised once the commands before it have run. */
    private ProtocolException parseAheadError;

    /**
     * Hands the running command to {@code executor}, together with the commands already buffered after it
     * that {@code joinsBatch} accepts (a pipelined run of scripts: one hand-off and one wake-up for all of
     * them instead of two per script). Their replies go to a buffer of their own (the replies before them
     * are flushed as usual meanwhile); when they are done, {@link #scriptDone} appends them on this loop
     * and parsing resumes. Reading from the socket goes on (no per-script autoRead toggling, which costs
     * two epoll_ctl calls): what arrives queues in {@code in}.
     */
    @Override
    public boolean detach(Executor executor, Runnable work, java.util.function.Predicate<byte[][]> joinsBatch) {
        if (ctx == null || !ctx.executor().inEventLoop()) return false;
        ByteBuf reply = ctx.alloc().ioBuffer(256);
        java.util.List<byte[][]> batch = joinsBatch == null ? java.util.List.of() : parseAheadBatch(joinsBatch);
        suspended = true;
        client.reply.buffer(reply); // the call context writes through the client's writer
        try {
            executor.execute(() -> {
                long seq = 0;
                int ran = 0;
                try {
                    work.run();
                    seq = call.durableSeq();
                    if (client.dropReplyOfLastCommand()) reply.clear(); // CLIENT REPLY OFF/SKIP
                    while (ran < batch.size() && batchMayGoOn()) {
                        int start = reply.writerIndex();
                        dispatcher.execute(call, batch.get(ran++)); // on this thread: runs inline, never detaches
                        seq = Math.max(seq, call.durableSeq());
                        if (client.dropReplyOfLastCommand()) reply.writerIndex(start);
                    }
                } catch (RuntimeException | Error e) {
                    log.warn("Internal error in a script batch of client id={}", client.id(), e);
                } finally {
                    long durableSeq = seq;
                    java.util.List<byte[][]> notRun = batch.subList(ran, batch.size());
                    ctx.executor().execute(() -> scriptDone(reply, durableSeq, notRun));
                }
            });
        } catch (RuntimeException e) { // the script thread is gone (the server stops)
            suspended = false;
            client.reply.buffer(out);
            reply.release();
            giveBack(batch);
            return false;
        }
        return true;
    }

    /**
     * On this loop, before a script is handed off: the scripts buffered right after it, parsed now (up to the
     * first other command, which is kept to run after them). None for a client that tracks keys or has
     * subscriptions: pushes its scripts cause to itself must follow each one's reply, which a batch would not keep.
     */
    private java.util.List<byte[][]> parseAheadBatch(java.util.function.Predicate<byte[][]> joinsBatch) {
        if (client.trackingFlags() != 0 || client.pubsub()) return java.util.List.of();
        java.util.List<byte[][]> batch = null;
        while (batch == null || batch.size() < MAX_SCRIPT_BATCH) {
            byte[][] argv = parsedAhead.peekFirst();
            if (argv != null) {
                if (!joinsBatch.test(argv)) break;
                parsedAhead.pollFirst();
            } else {
                if (parseAheadError != null || in == null || !in.isReadable()) break;
                try {
                    argv = parser.next(in);
                } catch (ProtocolException e) {
                    parseAheadError = e;
                    break;
                }
                if (argv == null) break;
                if (argv.length == 0) continue;
                if (!joinsBatch.test(argv)) {
                    parsedAhead.addLast(argv);
                    break;
                }
            }
            if (batch == null) batch = new java.util.ArrayList<>(8);
            batch.add(argv);
        }
        return batch == null ? java.util.List.of() : batch;
    }

    /**
     * On the script thread between two scripts of a batch: whether the next may run there. Not once the
     * client is gone, closing or blocked (as {@link #process}), nor during CLIENT PAUSE: the rest then goes
     * back to this loop, which runs it the usual way; nor once the server stops (no new script starts).
     */
    private boolean batchMayGoOn() {
        return ctx.channel().isActive() && !client.killed() && !client.closeAfterReply() && !client.blocked()
                && !server.clientPause().paused() && !server.scriptThread().shuttingDown();
    }

    /** Puts commands parsed ahead but not run back in front of the others (this loop only). */
    private void giveBack(java.util.List<byte[][]> notRun) {
        for (int i = notRun.size() - 1; i >= 0; i--) parsedAhead.addFirst(notRun.get(i));
    }

    /** On this loop, once the detached commands are done: their replies, then the pushes they caused, then the next commands. */
    private void scriptDone(ByteBuf reply, long durableSeq, java.util.List<byte[][]> notRun) {
        suspended = false;
        if (closing || !ctx.channel().isActive()) {
            reply.release();
            return;
        }
        giveBack(notRun);
        if (durableSeq > pendingDurableSeq) pendingDurableSeq = durableSeq;
        if (out == null) {
            out = reply;
        } else {
            out.writeBytes(reply);
            reply.release();
        }
        if (pendingPushes != null) { // pushes the script caused to this client follow its reply
            out.writeBytes(pendingPushes);
            pendingPushes.release();
            pendingPushes = null;
        }
        if (client.closeAfterReply() || client.killed()) {
            closing = true;
            flush(true);
            return;
        }
        if (!checkOutputLimits(out.readableBytes())) {
            process();
            flush(false);
        }
    }

    @Override
    public int queryBufferLength() {
        ByteBuf b = in;
        return b == null ? 0 : b.readableBytes();
    }

    @Override
    public int queryBufferFree() {
        ByteBuf b = in;
        try {
            return b == null ? 0 : b.capacity() - b.writerIndex();
        } catch (RuntimeException e) { // released meanwhile by the loop
            return 0;
        }
    }

    @Override
    public long argvMemory() {
        return parser.argvMemory();
    }

    @Override
    public int argc() {
        return parser.argc();
    }

    // ---- client eviction (maxmemory-clients) --------------------------------------------------

    Client client() {
        return client;
    }

    /** Takes this client's current size into the eviction total; any thread. */
    void accountMemory() {
        Client c = client;
        if (c == null) return;
        long now = ClientMemory.total(c, outputBufferBytes());
        synchronized (this) {
            if (memoryReleased) return;
            eviction.total.addAndGet(now - accountedMemory);
            accountedMemory = now;
        }
    }

    synchronized long accountedMemory() {
        return accountedMemory;
    }

    /** Redis's clientEvictionAllowed: not NO-EVICT, not closing already. */
    boolean evictable() {
        Client c = client;
        synchronized (this) {
            if (memoryReleased) return false;
        }
        return c != null && !c.noEvict() && !c.killed() && !outputLimitReached.get();
    }

    /** Stops counting this client's memory (it is closing); true the first time. */
    private boolean releaseMemory() {
        synchronized (this) {
            if (memoryReleased) return false;
            memoryReleased = true;
            eviction.total.addAndGet(-accountedMemory);
            accountedMemory = 0;
            return true;
        }
    }

    /** Evicts this client: its memory leaves the total now, the socket closes on its loop dropping pending output. */
    boolean evict() {
        if (!releaseMemory()) return false;
        if (ctx.executor().inEventLoop()) closeNow();
        else ctx.executor().execute(this::closeNow);
        return true;
    }

    /** After a command or a read: update this client's size and evict if over; true if this client was evicted. */
    private boolean accountAndEvict() {
        accountMemory();
        long limit = eviction.limit();
        if (limit > 0 && eviction.total.get() >= limit) eviction.evictIfNeeded();
        return closing;
    }
}
