package io.keyline.jmh;

import io.keyline.commands.StandardCommands;
import io.keyline.config.Config;
import io.keyline.engine.CallContext;
import io.keyline.engine.Dispatcher;
import io.keyline.engine.ServerContext;
import io.keyline.protocol.RespParser;
import io.keyline.session.Client;
import io.keyline.store.Keyspace;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The in-process part of a pipelined batch, without Netty or the socket: 16 requests parsed from a direct
 * buffer ({@link RespParser}) and run through {@link Dispatcher#execute} (checks, stripe lock, handler,
 * command stats, latency histogram, slow log check) with replies written to a direct buffer. The workloads
 * are redis-benchmark's: LPOP on an empty list, GET of a present key, SADD to one set, PING_MBULK.
 * Reported per batch of 16.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(1)
public class CallPathBenchmark {
    @Param({"lpop", "get", "sadd", "ping"})
    public String workload;

    private ServerContext server;
    private Client client;
    private CallContext call;
    private RespParser parser;
    private ByteBuf batch;
    private ByteBuf out;

    @Setup(Level.Trial)
    public void setup() {
        server = new ServerContext(new Keyspace(16), Config.defaults(), StandardCommands.table());
        client = server.openClient();
        call = server.dispatcher().newContext(client);
        parser = new RespParser(512L * 1024 * 1024);
        out = ByteBufAllocator.DEFAULT.directBuffer(64 * 1024);
        client.reply.buffer(out);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            String key = "key:" + String.format("%012d", 1000 + i * 7919);
            switch (workload) {
                case "lpop" -> sb.append(resp("LPOP", "mylist"));
                case "get" -> {
                    run(resp("SET", key, "x".repeat(1024)));
                    sb.append(resp("GET", key));
                }
                case "sadd" -> sb.append(resp("SADD", "myset", "element:" + String.format("%012d", 1000 + i * 7919)));
                default -> sb.append(resp("PING"));
            }
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.US_ASCII);
        batch = ByteBufAllocator.DEFAULT.directBuffer(bytes.length);
        batch.writeBytes(bytes);
    }

    private static String resp(String... words) {
        StringBuilder sb = new StringBuilder().append('*').append(words.length).append("\r\n");
        for (String w : words) sb.append('$').append(w.length()).append("\r\n").append(w).append("\r\n");
        return sb.toString();
    }

    private void run(String request) {
        ByteBuf in = ByteBufAllocator.DEFAULT.directBuffer();
        in.writeBytes(request.getBytes(StandardCharsets.US_ASCII));
        server.dispatcher().execute(call, parser.next(in));
        in.release();
        out.clear();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        batch.release();
        out.release();
    }

    /**
     * Without JMH: thread CPU time (not wall time, which other jobs on a loaded machine inflate) per request,
     * min and median of 15 runs of 20,000 batches per workload. Args: workloads (default all four).
     */
    public static void main(String[] args) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        String[] workloads = args.length > 0 ? args : new String[]{"lpop", "get", "sadd", "ping"};
        for (String w : workloads) {
            CallPathBenchmark b = new CallPathBenchmark();
            b.workload = w;
            b.setup();
            for (int i = 0; i < 200_000; i++) b.batchOf16();
            double[] perRequest = new double[15];
            for (int r = 0; r < perRequest.length; r++) {
                long t0 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < 20_000; i++) b.batchOf16();
                perRequest[r] = (mx.getCurrentThreadCpuTime() - t0) / (20_000.0 * 16);
            }
            b.tearDown();
            java.util.Arrays.sort(perRequest);
            System.out.printf("%-5s ns/request CPU: min %.1f median %.1f%n", w, perRequest[0], perRequest[perRequest.length / 2]);
        }
    }

    /** One batch of 16 requests: parse, execute, reply. */
    @Benchmark
    public int batchOf16() {
        batch.readerIndex(0);
        out.clear();
        Dispatcher dispatcher = server.dispatcher();
        byte[][] argv;
        while ((argv = parser.next(batch)) != null) dispatcher.execute(call, argv);
        return out.writerIndex();
    }
}
