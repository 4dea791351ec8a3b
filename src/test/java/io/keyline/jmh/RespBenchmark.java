package io.keyline.jmh;

import io.keyline.protocol.ReplyWriter;
import io.keyline.protocol.RespParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Decoding a pipelined batch of 16 SETs, and encoding typical replies. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RespBenchmark {
    private ByteBuf batch;
    private RespParser parser;
    private ByteBuf out;
    private ReplyWriter writer;
    private final byte[] value = "xyz".getBytes(StandardCharsets.US_ASCII);
    private final byte[] kilobyte = new byte[1024];

    @Setup
    public void setup() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            String key = "key:" + (100000 + i);
            sb.append("*3\r\n$3\r\nSET\r\n$").append(key.length()).append("\r\n").append(key).append("\r\n$3\r\nxyz\r\n");
        }
        batch = Unpooled.directBuffer().writeBytes(sb.toString().getBytes(StandardCharsets.US_ASCII));
        parser = new RespParser(512L * 1024 * 1024);
        out = Unpooled.directBuffer(64 * 1024);
        writer = new ReplyWriter(out, 2);
    }

    /** 16 pipelined SET commands parsed into argv arrays. */
    @Benchmark
    public void decodePipelinedBatch(Blackhole bh) {
        batch.readerIndex(0);
        byte[][] argv;
        while ((argv = parser.next(batch)) != null) bh.consume(argv);
    }

    /** The replies of a GET (small and 1 KB), an INCR and a 10-element array. */
    @Benchmark
    public void encodeReplies(Blackhole bh) {
        out.clear();
        writer.ok();
        writer.bulk(value);
        writer.bulk(kilobyte);
        writer.integer(123456789L);
        writer.arrayHeader(10);
        for (int i = 0; i < 10; i++) writer.bulk(value);
        bh.consume(out.writerIndex());
    }

    /** The replies of 16 pipelined GETs of 3-byte values, into a batch buffer from Netty's allocator as a connection does. */
    @Benchmark
    public void encodeBatchOf16SmallBulks(Blackhole bh) {
        encodeBatch(value, bh);
    }

    /** The replies of 16 pipelined GETs of 1 KB values. */
    @Benchmark
    public void encodeBatchOf16KilobyteBulks(Blackhole bh) {
        encodeBatch(kilobyte, bh);
    }

    private void encodeBatch(byte[] bulk, Blackhole bh) {
        ByteBuf batchOut = ByteBufAllocator.DEFAULT.ioBuffer(16 * 1024 + 512);
        writer.buffer(batchOut);
        for (int i = 0; i < 16; i++) writer.bulk(bulk);
        bh.consume(batchOut.writerIndex());
        batchOut.release();
    }
}
