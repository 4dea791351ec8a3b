// ChurnLoad: fixed-rate, coordinated-omission-aware SET/GET load generator for
// Redis-protocol servers. Single file, no dependencies; run it in source-launch mode:
//
//   java bench/churn/ChurnLoad.java --port 6379 --rate 20000 --duration 60 \
//        --keys 2000000 --value-size 1024 --preload --json out.json
//
// How it measures
//   * The run is a global schedule of operations: op i is *intended* to be sent at
//     t0 + i/rate. There are C connections, each with its own thread (a connection pool):
//     a thread whose connection is idle claims the next op of the schedule, sleeps until
//     its intended send time, sends it, waits for the reply (no pipelining), and repeats.
//   * "latency" = reply time - intended send time. If the server stalls, the ops that
//     should have been sent during the stall (all connections busy) are sent late and
//     their wait is counted,
//     so the histogram is not flattered by coordinated omission (the wrk2 approach).
//   * "service" = reply time - actual send time (what a naive closed-loop tool reports).
//   * Every measured sample is kept (a long[] per thread), merged and sorted at the end,
//     so percentiles are exact, not bucketed.
//   * The first --warmup seconds run at the same rate but are not recorded.
// Recommended JVM flags for the load generator itself (bench/compare.py uses them):
//   -Xms1g -Xmn768m -XX:+UseSerialGC  so that the generator does not GC during the run;
//   "loadgen_gc_count" in the output says whether it did.
// Limits: the sleep before each send uses LockSupport.parkNanos, whose wake-up is
// typically 50-100 us late on Linux; that delay is part of "latency" (equally for every
// server measured with this tool) but not of "service".
import java.io.*;
import java.net.*;
import java.nio.charset.StandardCharsets;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import java.util.concurrent.locks.LockSupport;

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
    /** Next op index of the global schedule; a worker claims one op at a time (connection-pool model). */
    static final AtomicLong nextOp = new AtomicLong();

    static final class Worker implements Runnable {
        final int id;
        final long t0, measureFrom, endAt;
        final double intervalNs;
        final byte[] value;
        long[] lat, svc;
        int n;
        long sets, gets, misses, errorReplies, ioErrors, reconnects, sent;
        long maxLagNs;
        String lastError;
        Worker(int id, long t0, long measureFrom, long endAt, double intervalNs, byte[] value, int expected) {
            this.id = id; this.t0 = t0; this.measureFrom = measureFrom; this.endAt = endAt;
            this.intervalNs = intervalNs; this.value = value;
            lat = new long[Math.max(16, expected)];
            svc = new long[lat.length];
        }
        public void run() {
            final byte[] SET = "SET".getBytes(StandardCharsets.US_ASCII);
            final byte[] GET = "GET".getBytes(StandardCharsets.US_ASCII);
            SplittableRandom rnd = new SplittableRandom(seed * 1000003L + id);
            final byte[] kb = new byte[16];
            Conn c = null;
            while (true) {
                long i = nextOp.getAndIncrement();
                long intended = t0 + (long) (i * intervalNs);
                if (intended >= endAt) break;
                long now;
                while ((now = System.nanoTime()) < intended) LockSupport.parkNanos(intended - now);
                if (intended >= measureFrom && now - intended > maxLagNs) maxLagNs = now - intended;
                boolean isSet = rnd.nextDouble() < setRatio;
                key(rnd.nextLong(keys), kb);
                try {
                    if (c == null) { c = new Conn(); reconnects++; }
                    long sent0 = System.nanoTime();
                    if (isSet) c.command3(SET, kb, value); else c.command2(GET, kb);
                    c.out.flush();
                    sent++;
                    int r = c.reply();
                    long done = System.nanoTime();
                    if (r == 2) { errorReplies++; lastError = c.lastError; continue; }
                    if (isSet) sets++; else { gets++; if (r == 1) misses++; }
                    if (intended >= measureFrom) {
                        if (n == lat.length) { lat = Arrays.copyOf(lat, n * 2); svc = Arrays.copyOf(svc, n * 2); }
                        lat[n] = done - intended;
                        svc[n] = done - sent0;
                        n++;
                    }
                } catch (IOException e) {
                    ioErrors++;
                    lastError = e.toString();
                    if (c != null) c.close();
                    c = null;
                    if (System.nanoTime() > endAt) break;
                    LockSupport.parkNanos(10_000_000L); // 10 ms back-off before reconnecting
                }
            }
            if (c != null) c.close();
        }
    }

    static void run(byte[] value) throws Exception {
        double intervalNs = 1e9 / rate;
        System.gc(); // start with an empty young generation: a load-generator GC pause would pollute the tail
        long[] gc0 = gcStats();
        long start = System.nanoTime() + 50_000_000L; // 50 ms to spin up the threads
        long measureFrom = start + (long) (warmupSec * 1e9);
        long endAt = measureFrom + (long) (durationSec * 1e9);
        int expected = (int) Math.min(Integer.MAX_VALUE - 8, (long) (rate * durationSec / connections * 1.1) + 16);
        Worker[] ws = new Worker[connections];
        Thread[] ts = new Thread[connections];
        for (int i = 0; i < connections; i++) {
            ws[i] = new Worker(i, start, measureFrom, endAt, intervalNs, value, expected);
            ts[i] = new Thread(ws[i], "churn-" + i);
            ts[i].setDaemon(true);
        }
        for (Thread t : ts) t.start();
        // Bounded: wait at most until end + 2 * timeout, then report whatever was measured.
        long hardDeadline = endAt + 2L * timeoutMs * 1_000_000L + 1_000_000_000L;
        boolean hung = false;
        for (Thread t : ts) {
            long left = (hardDeadline - System.nanoTime()) / 1_000_000L;
            if (left > 0) t.join(left);
            if (t.isAlive()) hung = true;
        }
        long[] gc1 = gcStats();
        double measuredSec = (Math.min(System.nanoTime(), endAt) - measureFrom) / 1e9;
        int total = 0;
        long sets = 0, gets = 0, misses = 0, errRep = 0, ioErr = 0, reconn = 0, maxLag = 0;
        String lastError = null;
        for (Worker w : ws) {
            total += w.n; sets += w.sets; gets += w.gets; misses += w.misses; errRep += w.errorReplies;
            ioErr += w.ioErrors; reconn += w.reconnects; maxLag = Math.max(maxLag, w.maxLagNs);
            if (w.lastError != null) lastError = w.lastError;
        }
        long[] lat = new long[total], svc = new long[total];
        int p = 0;
        for (Worker w : ws) {
            System.arraycopy(w.lat, 0, lat, p, w.n);
            System.arraycopy(w.svc, 0, svc, p, w.n);
            p += w.n;
        }
        Arrays.sort(lat);
        Arrays.sort(svc);
        double[] pcts = {50, 90, 99, 99.9, 99.99};
        StringBuilder js = new StringBuilder();
        js.append("{\n");
        js.append(String.format(Locale.ROOT, "  \"target_rate\": %.1f,\n  \"duration_s\": %.3f,\n  \"warmup_s\": %.3f,\n", rate, measuredSec, warmupSec));
        js.append(String.format(Locale.ROOT, "  \"connections\": %d,\n  \"keys\": %d,\n  \"value_size\": %d,\n  \"set_ratio\": %.3f,\n", connections, keys, valueSize, setRatio));
        js.append(String.format(Locale.ROOT, "  \"measured_ops\": %d,\n  \"achieved_rate\": %.1f,\n", total, measuredSec > 0 ? total / measuredSec : 0.0));
        js.append(String.format(Locale.ROOT, "  \"sets\": %d,\n  \"gets\": %d,\n  \"get_misses\": %d,\n  \"error_replies\": %d,\n  \"io_errors\": %d,\n  \"connects\": %d,\n  \"hung_threads\": %s,\n  \"max_send_lag_ms\": %.3f,\n",
                sets, gets, misses, errRep, ioErr, reconn, hung, maxLag / 1e6));
        js.append(String.format(Locale.ROOT, "  \"loadgen_gc_count\": %d,\n  \"loadgen_gc_ms\": %d,\n  \"loadgen_jvm\": %s,\n",
                gc1[0] - gc0[0], gc1[1] - gc0[1], jsonStr(System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"))));
        js.append("  \"last_error\": ").append(lastError == null ? "null" : jsonStr(lastError)).append(",\n");
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
