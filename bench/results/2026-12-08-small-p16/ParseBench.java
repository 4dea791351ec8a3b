// Parser alone, CPU time per command (min and median of 15 runs of 50,000 batches of 16). Build: javac -d DIR -cp target/classes:$(deps) ParseBench.java; run: taskset -c 0 java -XX:+UseZGC -cp DIR:target/classes:$(deps) ParseBench
import io.keyline.protocol.RespParser;
import io.netty.buffer.*;
import java.nio.charset.StandardCharsets;
public class ParseBench {
    static long sink;
    public static void main(String[] a) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (String w : new String[]{"ping", "get", "sadd", "set1k"}) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                String key = "key:" + String.format("%012d", 1000 + i * 7919);
                switch (w) {
                    case "ping" -> sb.append("*1\r\n$4\r\nPING\r\n");
                    case "get" -> sb.append("*2\r\n$3\r\nGET\r\n$16\r\n").append(key).append("\r\n");
                    case "sadd" -> sb.append("*3\r\n$4\r\nSADD\r\n$5\r\nmyset\r\n$20\r\nelement:").append(String.format("%012d", i)).append("\r\n");
                    default -> sb.append("*3\r\n$3\r\nSET\r\n$16\r\n").append(key).append("\r\n$1024\r\n").append("x".repeat(1024)).append("\r\n");
                }
            }
            byte[] bytes = sb.toString().getBytes(StandardCharsets.US_ASCII);
            ByteBuf batch = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length);
            batch.writeBytes(bytes);
            RespParser p = new RespParser(512L << 20);
            double[] r = new double[15];
            for (int i = 0; i < 300_000; i++) run(p, batch);
            for (int k = 0; k < r.length; k++) {
                long t0 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < 50_000; i++) run(p, batch);
                r[k] = (mx.getCurrentThreadCpuTime() - t0) / (50_000.0 * 16);
            }
            java.util.Arrays.sort(r);
            System.out.printf("%-6s min %.1f median %.1f ns/cmd%n", w, r[0], r[7]);
        }
    }
    static void run(RespParser p, ByteBuf b) {
        b.readerIndex(0);
        byte[][] argv;
        while ((argv = p.next(b)) != null) sink += argv.length + argv[argv.length - 1].length;
    }
}
