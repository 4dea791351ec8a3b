// ChurnLoad: fixed-rate, coordinated-omission-aware SET/GET load generator for
// Redis-protocol servers. Single file, no dependencies; run it in source-launch mode:
//
//   java bench/churn/ChurnLoad.java --port 6379 --rate 20000 --duration 60 \
//        --keys 2000000 --value-size 1024 --preload --json out.json
//
// How it measures
//   * The run is a global schedule of operations: op i is *intended* to be sent at
//     t0 + i/rate. One thread runs a non-blocking event loop over C connections (a
//     connection pool, one command in flight per connection, no pipelining): whenever an
//     op is due and a connection is idle, the op is sent on it.
//   * "latency" = reply time - intended send time. If the server stalls, ops that fall due
//     while every connection is busy are sent late and their wait is counted, so the
//     histogram is not flattered by coordinated omission (the wrk2 approach).
//   * "service" = reply time - actual send time (what a naive closed-loop tool reports).
//   * Every measured sample is kept, sorted at the end: percentiles are exact, not bucketed.
//   * The first --warmup seconds run at the same rate but are not recorded.
//   * The loop busy-polls (selectNow) while ops are due within 2 ms, so sends leave on time
//     (no sleep/wake-up jitter) at the cost of one busy CPU: pin it to its own core
//     (bench/compare.py runs it with taskset -c 1 and the server on core 0).
// Recommended JVM flags for the load generator itself (bench/compare.py uses them):
//   -Xms1g -Xmn768m -XX:+UseSerialGC  so that the generator does not GC during the run;
//   "loadgen_gc_count" in the output says whether it did.
import java.io.*;
import java.net.*;
import java.nio.ByteBuffer;
import java.nio.channels.*;
import java.nio.charset.StandardCharsets;
import java.util.*;
import java.util.concurrent.*;

public class ChurnLoad {
    static String host = "127.0.0.1";
    static int port = 6379;
    static double rate = 20000;
    static double durationSec = 60;
    static double warmupSec = 5;
    static long keys = 2_000_000;
    static int valueSize = 1024;
    static double setRatio = 0.5;
    static int connections = 8;
    static int timeoutMs = 10_000;
    static boolean preload = false;
    static int preloadConnections = 4;
    static String jsonPath = null;
    static long seed = 42;

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--host": host = args[++i]; break;
                case "--port": port = Integer.parseInt(args[++i]); break;
                case "--rate": rate = Double.parseDouble(args[++i]); break;
                case "--duration": durationSec = Double.parseDouble(args[++i]); break;
                case "--warmup": warmupSec = Double.parseDouble(args[++i]); break;
                case "--keys": keys = Long.parseLong(args[++i]); break;
                case "--value-size": valueSize = Integer.parseInt(args[++i]); break;
                case "--set-ratio": setRatio = Double.parseDouble(args[++i]); break;
                case "--connections": connections = Integer.parseInt(args[++i]); break;
                case "--timeout-ms": timeoutMs = Integer.parseInt(args[++i]); break;
                case "--preload": preload = true; break;
                case "--preload-connections": preloadConnections = Integer.parseInt(args[++i]); break;
                case "--json": jsonPath = args[++i]; break;
                case "--seed": seed = Long.parseLong(args[++i]); break;
                case "-h": case "--help": usage(); return;
                default: System.err.println("unknown argument: " + a); usage(); System.exit(2);
            }
        }
        if (rate <= 0 || durationSec <= 0 || keys <= 0 || connections <= 0) {
            System.err.println("rate, duration, keys, connections must be > 0");
            System.exit(2);
        }
        byte[] value = makeValue(valueSize);
        if (preload) {
            long t = System.nanoTime();
            long n = doPreload(value);
            System.err.printf("preloaded %d keys of %d-byte values in %.1f s%n", n, valueSize, (System.nanoTime() - t) / 1e9);
        }
        run(value);
    }

    static void usage() {
        System.err.println("usage: java ChurnLoad.java [--host H] [--port P] [--rate OPS_PER_S] [--duration S] [--warmup S]\n"
                + "       [--keys N] [--value-size BYTES] [--set-ratio 0..1] [--connections C] [--timeout-ms MS]\n"
                + "       [--preload] [--preload-connections C] [--json FILE] [--seed N]");
    }

    static byte[] makeValue(int size) {
        byte[] v = new byte[size];
        Random r = new Random(7);
        for (int i = 0; i < size; i++) v[i] = (byte) ('a' + r.nextInt(26));
        return v;
    }

    /** 16-byte keys: "key:" + 12-digit zero-padded number (same layout as bench/compare.py). */
    static byte[] key(long n) { return key(n, new byte[16]); }
    static byte[] key(long n, byte[] k) {
        k[0] = 'k'; k[1] = 'e'; k[2] = 'y'; k[3] = ':';
        for (int i = 15; i >= 4; i--) { k[i] = (byte) ('0' + (n % 10)); n /= 10; }
        return k;
    }

    // ---------------------------------------------------------------- RESP client
    static final class Conn implements Closeable {
        final Socket s;
        final BufferedInputStream in;
        final BufferedOutputStream out;
        Conn() throws IOException {
            s = new Socket();
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), timeoutMs);
            s.setSoTimeout(timeoutMs);
            in = new BufferedInputStream(s.getInputStream(), 1 << 16);
            out = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
        }
        final byte[] num = new byte[20];
        void writeNum(long v) throws IOException {
            int p = num.length;
            do { num[--p] = (byte) ('0' + (v % 10)); v /= 10; } while (v > 0);
            out.write(num, p, num.length - p);
        }
        void writeBulk(byte[] b) throws IOException {
            out.write('$');
            writeNum(b.length);
            out.write('\r'); out.write('\n');
            out.write(b);
            out.write('\r'); out.write('\n');
        }
        void command(byte[]... parts) throws IOException {
            out.write('*');
            writeNum(parts.length);
            out.write('\r'); out.write('\n');
            for (byte[] p : parts) writeBulk(p);
        }
        void command2(byte[] a, byte[] b) throws IOException {
            out.write('*'); out.write('2'); out.write('\r'); out.write('\n');
            writeBulk(a); writeBulk(b);
        }
        void command3(byte[] a, byte[] b, byte[] c) throws IOException {
            out.write('*'); out.write('3'); out.write('\r'); out.write('\n');
            writeBulk(a); writeBulk(b); writeBulk(c);
        }
        /** Reads a CRLF-terminated integer without allocating. */
        long number() throws IOException {
            long v = 0; boolean neg = false; int c = in.read();
            if (c == '-') { neg = true; c = in.read(); }
            while (c != '\r') {
                if (c < 0) throw new EOFException("connection closed by server");
                if (c < '0' || c > '9') throw new IOException("protocol error: bad number");
                v = v * 10 + (c - '0');
                c = in.read();
            }
            if (in.read() != '\n') throw new IOException("protocol error: bad line ending");
            return neg ? -v : v;
        }
        /** Skips a CRLF-terminated line without allocating. */
        void skipLine() throws IOException {
            int c;
            while ((c = in.read()) != '\n') if (c < 0) throw new EOFException("connection closed by server");
        }
        String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            while (true) {
                int c = in.read();
                if (c < 0) throw new EOFException("connection closed by server");
                if (c == '\r') { int d = in.read(); if (d != '\n') throw new IOException("bad line ending"); return sb.toString(); }
                sb.append((char) c);
            }
        }
        /** Reads one reply. Returns 0 = ok/value, 1 = nil, 2 = error reply. */
        int reply() throws IOException {
            int t = in.read();
            if (t < 0) throw new EOFException("connection closed by server");
            switch (t) {
                case '+': case ':': skipLine(); return 0;
                case '-': lastError = line(); return 2;
                case '$': {
                    long len = number();
                    if (len < 0) return 1;
                    skip(len + 2);
                    return 0;
                }
                case '_': skipLine(); return 1;
                case '*': {
                    long n = number();
                    if (n < 0) return 1;
                    int r = 0;
                    for (int i = 0; i < n; i++) r = Math.max(r, reply());
                    return r == 2 ? 2 : 0;
                }
                default: skipLine(); return 0; // other RESP3 scalars
            }
        }
        void skip(long n) throws IOException {
            while (n > 0) {
                long k = in.skip(n);
                if (k <= 0) { if (in.read() < 0) throw new EOFException("connection closed by server"); k = 1; }
                n -= k;
            }
        }
        String lastError;
        public void close() { try { s.close(); } catch (IOException ignored) { } }
    }

    // ---------------------------------------------------------------- preload
    static long doPreload(byte[] value) throws Exception {
        final byte[] SET = "SET".getBytes(StandardCharsets.US_ASCII);
        int pc = (int) Math.max(1, Math.min(preloadConnections, keys));
        ExecutorService ex = Executors.newFixedThreadPool(pc);
        List<Future<Long>> fs = new ArrayList<>();
        long per = (keys + pc - 1) / pc;
        for (int t = 0; t < pc; t++) {
            final long lo = t * per, hi = Math.min(keys, lo + per);
            fs.add(ex.submit(() -> {
                long done = 0;
                byte[] kb = new byte[16];
                try (Conn c = new Conn()) {
                    c.s.setSoTimeout(Math.max(timeoutMs, 60_000));
                    final int batch = 256;
                    for (long k = lo; k < hi; k += batch) {
                        long end = Math.min(hi, k + batch);
                        for (long j = k; j < end; j++) c.command3(SET, key(j, kb), value);
                        c.out.flush();
                        for (long j = k; j < end; j++) {
                            if (c.reply() == 2) throw new IOException("SET rejected during preload: " + c.lastError);
                            done++;
                        }
                    }
                }
                return done;
            }));
        }
        long total = 0;
        for (Future<Long> f : fs) total += f.get();
        ex.shutdown();
        return total;
    }

    // ---------------------------------------------------------------- fixed-rate run
    // ---------------------------------------------------------------- fixed-rate run (NIO, one thread)
    /** One pooled connection of the event loop: at most one command in flight (no pipelining). */
    static final class NConn {
        final int id;
        SocketChannel ch;
        SelectionKey key;
        final ByteBuffer out = ByteBuffer.allocateDirect(valueSize + 256);
        ByteBuffer in = ByteBuffer.allocate(Math.max(64 * 1024, 2 * valueSize + 256));
        boolean busy, isSet;
        long intended, sent;
        NConn(int id) { this.id = id; }
    }

    static final byte[] SETB = "SET".getBytes(StandardCharsets.US_ASCII);
    static final byte[] GETB = "GET".getBytes(StandardCharsets.US_ASCII);

    static void putNum(ByteBuffer b, long v) {
        if (v >= 10) putNum(b, v / 10);
        b.put((byte) ('0' + (v % 10)));
    }
    static void putBulk(ByteBuffer b, byte[] x) {
        b.put((byte) '$'); putNum(b, x.length); b.put((byte) '\r'); b.put((byte) '\n');
        b.put(x); b.put((byte) '\r'); b.put((byte) '\n');
    }

    /** Length of the complete reply at buf[pos, lim), or -1 if incomplete. kind[0]: 0 ok, 1 nil, 2 error. */
    static int replyLen(byte[] a, int pos, int lim, int[] kind) {
        if (pos >= lim) return -1;
        int eol = -1;
        for (int i = pos + 1; i + 1 < lim; i++) if (a[i] == '\r' && a[i + 1] == '\n') { eol = i; break; }
        if (eol < 0) return -1;
        byte t = a[pos];
        int head = eol + 2 - pos;
        switch (t) {
            case '+': case ':': kind[0] = 0; return head;
            case '-': kind[0] = 2; return head;
            case '_': kind[0] = 1; return head;
            case '$': {
                long len = parseLong(a, pos + 1, eol);
                if (len < 0) { kind[0] = 1; return head; }
                long total = head + len + 2;
                if (pos + total > lim) return -1;
                kind[0] = 0; return (int) total;
            }
            case '*': {
                long n = parseLong(a, pos + 1, eol);
                if (n < 0) { kind[0] = 1; return head; }
                int p = eol + 2, worst = 0;
                for (long i = 0; i < n; i++) {
                    int l = replyLen(a, p, lim, kind);
                    if (l < 0) return -1;
                    worst = Math.max(worst, kind[0]);
                    p += l;
                }
                kind[0] = worst == 2 ? 2 : 0;
                return p - pos;
            }
            default: kind[0] = 0; return head;
        }
    }
    static long parseLong(byte[] a, int from, int to) {
        long v = 0; boolean neg = false;
        for (int i = from; i < to; i++) { if (a[i] == '-') neg = true; else v = v * 10 + (a[i] - '0'); }
        return neg ? -v : v;
    }

    static void run(byte[] value) throws Exception {
        final double intervalNs = 1e9 / rate;
        final long totalOps = (long) Math.ceil((warmupSec + durationSec) * rate);
        final long warmOps = (long) Math.ceil(warmupSec * rate);
        int expected = (int) Math.min(Integer.MAX_VALUE - 8, (long) (rate * durationSec * 1.05) + 16);
        long[] lat = new long[expected], svc = new long[expected];
        int n = 0;
        slowCount = 0;
        long sets = 0, gets = 0, misses = 0, errRep = 0, ioErr = 0, connects = 0, maxLag = 0;
        String lastError = null;
        Selector sel = Selector.open();
        NConn[] conns = new NConn[connections];
        ArrayDeque<NConn> free = new ArrayDeque<>();
        for (int i = 0; i < connections; i++) {
            conns[i] = new NConn(i);
            openConn(conns[i], sel);
            connects++;
            free.push(conns[i]);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        final byte[] kb = new byte[16];
        final int[] kind = new int[1];
        System.gc(); // start with an empty young generation: a load-generator GC pause would pollute the tail
        long[] gc0 = gcStats();
        final long t0 = System.nanoTime() + 20_000_000L;
        final long measureFrom = t0 + (long) (warmOps * intervalNs);
        final long endAt = t0 + (long) (totalOps * intervalNs);
        final long hardDeadline = endAt + 2L * timeoutMs * 1_000_000L;
        long next = 0;          // next op of the schedule
        long lastDone = 0;
        int inflight = 0;
        boolean hung = false;
        while (true) {
            long now = System.nanoTime();
            // 1. send every op that is due, as long as a connection is free
            while (next < totalOps && !free.isEmpty()) {
                long intended = t0 + (long) (next * intervalNs);
                if (intended > now) break;
                NConn c = free.pop();
                if (c.ch == null) {
                    try { openConn(c, sel); connects++; }
                    catch (IOException e) { ioErr++; lastError = e.toString(); free.addLast(c); next++; continue; }
                }
                if (intended >= measureFrom && now - intended > maxLag) maxLag = now - intended;
                c.isSet = rnd.nextDouble() < setRatio;
                key(rnd.nextLong(keys), kb);
                c.out.clear();
                if (c.isSet) {
                    c.out.put((byte) '*').put((byte) '3').put((byte) '\r').put((byte) '\n');
                    putBulk(c.out, SETB); putBulk(c.out, kb); putBulk(c.out, value);
                } else {
                    c.out.put((byte) '*').put((byte) '2').put((byte) '\r').put((byte) '\n');
                    putBulk(c.out, GETB); putBulk(c.out, kb);
                }
                c.out.flip();
                c.intended = intended;
                c.sent = System.nanoTime();
                c.busy = true;
                inflight++;
                next++;
                try {
                    c.ch.write(c.out);
                    if (c.out.hasRemaining()) c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                } catch (IOException e) {
                    ioErr++; lastError = e.toString(); inflight--; dropConn(c); free.addLast(c);
                }
            }
            if (next >= totalOps && inflight == 0) break;
            if (now > hardDeadline) { hung = inflight > 0; break; }
            // 2. poll the sockets: busy-poll while work is close, block briefly when idle for long
            long waitNs = next < totalOps ? (t0 + (long) (next * intervalNs)) - System.nanoTime() : Long.MAX_VALUE;
            int ready = (inflight == 0 && waitNs > 2_000_000L) ? sel.select(1) : sel.selectNow();
            if (ready == 0) { Thread.onSpinWait(); continue; }
            Iterator<SelectionKey> it = sel.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey k = it.next();
                it.remove();
                NConn c = (NConn) k.attachment();
                if (!k.isValid() || c.ch == null) continue;
                try {
                    if (k.isWritable()) {
                        c.ch.write(c.out);
                        if (!c.out.hasRemaining()) k.interestOps(SelectionKey.OP_READ);
                    }
                    if (k.isReadable()) {
                        if (!c.in.hasRemaining()) c.in = ByteBuffer.allocate(c.in.capacity() * 2).put(c.in.flip());
                        int r = c.ch.read(c.in);
                        if (r < 0) throw new EOFException("connection closed by server");
                        int len = replyLen(c.in.array(), 0, c.in.position(), kind);
                        if (len >= 0 && c.busy) {
                            long done = System.nanoTime();
                            if (kind[0] == 2) {
                                errRep++;
                                lastError = new String(c.in.array(), 1, Math.max(0, len - 3), StandardCharsets.UTF_8);
                            } else {
                                if (c.isSet) sets++; else { gets++; if (kind[0] == 1) misses++; }
                                if (c.intended >= measureFrom) {
                                    if (n == lat.length) { lat = Arrays.copyOf(lat, n * 2); svc = Arrays.copyOf(svc, n * 2); }
                                    lat[n] = done - c.intended;
                                    lastDone = done;
                                    svc[n] = done - c.sent;
                                    n++;
                                    if (done - c.sent >= SLOW_NS) noteSlow(c.sent, done - c.sent, c.isSet);
                                }
                            }
                            // unpipelined: nothing else may follow; drop any stray bytes
                            c.in.clear();
                            c.busy = false;
                            inflight--;
                            free.push(c);
                        }
                    }
                } catch (IOException e) {
                    ioErr++; lastError = e.toString();
                    if (c.busy) { c.busy = false; inflight--; }
                    dropConn(c);
                    free.addLast(c);
                }
            }
        }
        for (NConn c : conns) dropConn(c);
        long[] gc1 = gcStats();
        // wall time the measured ops took to complete: longer than --duration if the server fell behind
        double measuredSec = Math.max(durationSec, (lastDone - measureFrom) / 1e9);
        unsent = totalOps - next;
        report(Arrays.copyOf(lat, n), Arrays.copyOf(svc, n), measuredSec, sets, gets, misses, errRep, ioErr, connects,
                hung, maxLag, lastError, gc0, gc1);
    }

    static long unsent;

    /** Service time from which a request is listed with its wall-clock time, to match stalls with other logs. */
    static final long SLOW_NS = 20_000_000L;
    /**
     * How many slow requests are listed. Was 50: a machine with a stall every half second (8 connections x 20-30 ms)
     * filled the list in the first 3 s, so the >= 50 ms requests later in the run were never listed and the harness's
     * "requests >= 50 ms during a CPU stall" note judged only the first seconds (bench/results/2026-12-07-churn2.md).
     */
    static final int SLOW_LISTED = 5000;
    static final long EPOCH_MS_AT_NANO_ZERO = System.currentTimeMillis() - System.nanoTime() / 1_000_000L;
    // Plain numbers while the run goes, text at the end: the first String.format of a run (cold Formatter code) stalled
    // this loop ~30-40 ms, which made the seven requests then in flight look 50-80 ms slow in every run of both
    // servers (bench/results/2026-12-07-churn2.md).
    static final long[] slowSent = new long[SLOW_LISTED];
    static final long[] slowService = new long[SLOW_LISTED];
    static final boolean[] slowIsSet = new boolean[SLOW_LISTED];
    static int slowCount;

    static void noteSlow(long sentNanos, long serviceNanos, boolean isSet) {
        if (slowCount < SLOW_LISTED) {
            slowSent[slowCount] = sentNanos;
            slowService[slowCount] = serviceNanos;
            slowIsSet[slowCount] = isSet;
        }
        slowCount++;
    }

    static String slowListJson() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(slowCount, SLOW_LISTED); i++) {
            if (i > 0) sb.append(", ");
            sb.append(String.format(Locale.ROOT, "{\"at\": %.3f, \"ms\": %.1f, \"cmd\": \"%s\"}",
                    (EPOCH_MS_AT_NANO_ZERO + slowSent[i] / 1_000_000L) / 1000.0, slowService[i] / 1e6,
                    slowIsSet[i] ? "SET" : "GET"));
        }
        return sb.toString();
    }

    static void openConn(NConn c, Selector sel) throws IOException {
        SocketChannel ch = SocketChannel.open();
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ch.socket().connect(new InetSocketAddress(host, port), timeoutMs); // blocking connect
        ch.configureBlocking(false);
        c.ch = ch;
        c.key = ch.register(sel, SelectionKey.OP_READ, c);
        c.in.clear();
    }

    static void dropConn(NConn c) {
        if (c.ch != null) { try { c.ch.close(); } catch (IOException ignored) { } }
        c.ch = null;
        c.key = null;
    }

    static void report(long[] lat, long[] svc, double measuredSec, long sets, long gets, long misses, long errRep,
                       long ioErr, long reconn, boolean hung, long maxLag, String lastError, long[] gc0, long[] gc1)
            throws IOException {
        int total = lat.length;
        Arrays.sort(lat);
        Arrays.sort(svc);
        double[] pcts = {50, 90, 99, 99.9, 99.99};
        StringBuilder js = new StringBuilder();
        js.append("{\n");
        js.append(String.format(Locale.ROOT, "  \"target_rate\": %.1f,\n  \"duration_s\": %.3f,\n  \"completion_s\": %.3f,\n  \"warmup_s\": %.3f,\n", rate, durationSec, measuredSec, warmupSec));
        js.append(String.format(Locale.ROOT, "  \"unsent_ops\": %d,\n", unsent));
        js.append(String.format(Locale.ROOT, "  \"connections\": %d,\n  \"keys\": %d,\n  \"value_size\": %d,\n  \"set_ratio\": %.3f,\n", connections, keys, valueSize, setRatio));
        js.append(String.format(Locale.ROOT, "  \"measured_ops\": %d,\n  \"achieved_rate\": %.1f,\n", total, measuredSec > 0 ? total / measuredSec : 0.0));
        js.append(String.format(Locale.ROOT, "  \"sets\": %d,\n  \"gets\": %d,\n  \"get_misses\": %d,\n  \"error_replies\": %d,\n  \"io_errors\": %d,\n  \"connects\": %d,\n  \"hung\": %s,\n  \"max_send_lag_ms\": %.3f,\n",
                sets, gets, misses, errRep, ioErr, reconn, hung, maxLag / 1e6));
        js.append(String.format(Locale.ROOT, "  \"loadgen_gc_count\": %d,\n  \"loadgen_gc_ms\": %d,\n  \"loadgen_jvm\": %s,\n",
                gc1[0] - gc0[0], gc1[1] - gc0[1], jsonStr(System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"))));
        js.append("  \"last_error\": ").append(lastError == null ? "null" : jsonStr(lastError)).append(",\n");
        js.append(String.format(Locale.ROOT, "  \"slow_requests\": %d,\n", slowCount));
        js.append("  \"slow_request_times\": [").append(slowListJson()).append("],\n");
        for (int k = 0; k < 2; k++) {
            long[] a = k == 0 ? lat : svc;
            js.append(k == 0 ? "  \"latency_ms\": {" : "  \"service_ms\": {");
            for (double pc : pcts) js.append(String.format(Locale.ROOT, "\"p%s\": %.3f, ", fmtPct(pc), pct(a, pc) / 1e6));
            js.append(String.format(Locale.ROOT, "\"max\": %.3f, \"mean\": %.3f}", a.length == 0 ? Double.NaN : a[a.length - 1] / 1e6, mean(a) / 1e6));
            js.append(k == 0 ? ",\n" : "\n");
        }
        js.append("}\n");
        String out = js.toString().replace("NaN", "null");
        System.out.print(out);
        if (jsonPath != null) try (Writer w = new OutputStreamWriter(new FileOutputStream(jsonPath), StandardCharsets.UTF_8)) { w.write(out); }
        if (unsent > 0) System.err.printf("churn: %d scheduled ops were never sent (server too slow; gave up %d s after the end)%n", unsent, 2 * timeoutMs / 1000);
        System.err.printf(Locale.ROOT, "churn: %d ops in %.1f s (%.0f ops/s, target %.0f), p50 %.3f ms p99 %.3f ms p99.9 %.3f ms max %.3f ms, errors %d/%d%n",
                total, measuredSec, measuredSec > 0 ? total / measuredSec : 0.0, rate, pct(lat, 50) / 1e6, pct(lat, 99) / 1e6, pct(lat, 99.9) / 1e6,
                lat.length == 0 ? Double.NaN : lat[lat.length - 1] / 1e6, errRep, ioErr);
        System.exit(total == 0 ? 1 : 0);
    }

    /** {collections, milliseconds} summed over this JVM's collectors. */
    static long[] gcStats() {
        long n = 0, ms = 0;
        for (java.lang.management.GarbageCollectorMXBean b : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, b.getCollectionCount());
            ms += Math.max(0, b.getCollectionTime());
        }
        return new long[] {n, ms};
    }

    static String fmtPct(double p) {
        String s = (p == Math.rint(p)) ? Long.toString((long) p) : Double.toString(p);
        return s.replace('.', '_');
    }
    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }
    static double mean(long[] a) {
        if (a.length == 0) return Double.NaN;
        double s = 0; for (long v : a) s += v; return s / a.length;
    }
    static String jsonStr(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') b.append('\\').append(ch);
            else if (ch < 0x20) b.append(String.format("\\u%04x", (int) ch));
            else b.append(ch);
        }
        return b.append('"').toString();
    }
}
