package io.keyline.jmh;

import io.keyline.embed.EmbeddedKeyline;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Time from {@code EmbeddedKeyline.start()} to the first {@code +PONG} on a fresh connection, for the
 * first start in this JVM and for later ("warm") starts, each followed by a stop. Not JMH: a start is a
 * one-off event, and the first one is the point. Run by the start-up section of {@code bench/compare.py}:
 * {@code java -cp ... io.keyline.jmh.EmbeddedStartup [starts]}; prints one line per start and a summary.
 */
public final class EmbeddedStartup {
    private EmbeddedStartup() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            try (EmbeddedKeyline k = EmbeddedKeyline.start()) {
                ping(k.port());
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            System.out.printf("start %d: %.1f ms%n", i + 1, ms[i]);
        }
        double[] warm = Arrays.copyOfRange(ms, 1, n);
        Arrays.sort(warm);
        if (warm.length > 0) {
            System.out.printf("first %.1f ms; warm (starts 2..%d) median %.1f ms, min %.1f ms, max %.1f ms%n",
                    ms[0], n, warm[warm.length / 2], warm[0], warm[warm.length - 1]);
        }
    }

    private static void ping(int port) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[7];
            int got = 0;
            while (got < 7) {
                int r = in.read(buf, got, 7 - got);
                if (r < 0) throw new IllegalStateException("connection closed before PONG");
                got += r;
            }
            String reply = new String(buf, StandardCharsets.US_ASCII);
            if (!reply.equals("+PONG\r\n")) throw new IllegalStateException("unexpected reply " + reply);
        }
    }
}
