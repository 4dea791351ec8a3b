// MultiExecLoad: closed-loop MULTI/EXEC throughput for Redis-protocol servers. Single file, no
// dependencies: java bench/stripes/MultiExecLoad.java --port P [--clients 50] [--pipeline 16]
//   [--seconds 5] [--keys 1000000] [--keyless]
// Each transaction is MULTI, SET key:<r> v, INCR counter:<r>, EXEC (two random keys out of --keys);
// --keyless adds a queued PING, which makes Keyline's EXEC hold every stripe (a keyless command may
// walk the keyspace), so the two modes show EXEC with its keys' stripes vs with all of them.
// Every reply is one line (+OK, +QUEUED, *n, :n, +PONG), so a transaction is counted by its lines.
// Prints "transactions/s".
import java.io.*;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

public class MultiExecLoad {
    public static void main(String[] a) throws Exception {
        int port = 6379, clients = 50, pipeline = 16, seconds = 5, keys = 1_000_000;
        boolean keyless = false;
        for (int i = 0; i < a.length; i++) {
            switch (a[i]) {
                case "--port" -> port = Integer.parseInt(a[++i]);
                case "--clients" -> clients = Integer.parseInt(a[++i]);
                case "--pipeline" -> pipeline = Integer.parseInt(a[++i]);
                case "--seconds" -> seconds = Integer.parseInt(a[++i]);
                case "--keys" -> keys = Integer.parseInt(a[++i]);
                case "--keyless" -> keyless = true;
                default -> throw new IllegalArgumentException(a[i]);
            }
        }
        int linesPerTx = keyless ? 8 : 6; // MULTI, n x QUEUED, *n, n replies
        LongAdder done = new LongAdder();
        long end = System.nanoTime() + 1_000_000_000L; // 1 s warm-up, then measured
        final int fPort = port, fPipe = pipeline, fKeys = keys;
        final boolean fKeyless = keyless;
        volatile_ stop = new volatile_();
        Thread[] ts = new Thread[clients];
        for (int c = 0; c < clients; c++) {
            ts[c] = new Thread(() -> {
                try (Socket s = new Socket("127.0.0.1", fPort)) {
                    s.setTcpNoDelay(true);
                    OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
                    InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
                    ThreadLocalRandom r = ThreadLocalRandom.current();
                    while (!stop.v) {
                        for (int p = 0; p < fPipe; p++) {
                            String k1 = "key:" + r.nextInt(fKeys), k2 = "counter:" + r.nextInt(fKeys);
                            StringBuilder b = new StringBuilder(160);
                            b.append("*1\r\n$5\r\nMULTI\r\n");
                            b.append("*3\r\n$3\r\nSET\r\n$").append(k1.length()).append("\r\n").append(k1).append("\r\n$3\r\nxxx\r\n");
                            b.append("*2\r\n$4\r\nINCR\r\n$").append(k2.length()).append("\r\n").append(k2).append("\r\n");
                            if (fKeyless) b.append("*1\r\n$4\r\nPING\r\n");
                            b.append("*1\r\n$4\r\nEXEC\r\n");
                            out.write(b.toString().getBytes(StandardCharsets.US_ASCII));
                        }
                        out.flush();
                        int need = fPipe * linesPerTx;
                        while (need > 0) {
                            int ch = in.read();
                            if (ch < 0) throw new EOFException();
                            if (ch == '-') throw new IllegalStateException("error reply");
                            if (ch == '\n') need--;
                        }
                        if (stop.measuring) done.add(fPipe);
                    }
                } catch (Exception e) {
                    if (!stop.v) e.printStackTrace();
                }
            });
            ts[c].start();
        }
        while (System.nanoTime() < end) Thread.sleep(10);
        stop.measuring = true;
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long n = done.sum();
        long t1 = System.nanoTime();
        stop.v = true;
        for (Thread t : ts) t.join(5000);
        System.out.printf("%.0f%n", n * 1e9 / (t1 - t0));
    }

    static final class volatile_ {
        volatile boolean v;
        volatile boolean measuring;
    }
}
