package io.keyline.jmh;

import io.keyline.protocol.ReplyWriter;
import io.keyline.store.type.ListValue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * LRANGE's reply of 100 elements (redis-benchmark's LRANGE_100) written into a direct buffer:
 * elements copied out of the list first (the old path), handed over in place one bulk call each,
 * and handed over in place into the writer's staging block.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ListRangeBenchmark {
    @Param({"3", "1024"})
    public int valueSize;

    private ListValue list;
    private ByteBuf out;
    private ReplyWriter writer;

    @Setup
    public void setup() {
        list = new ListValue();
        for (int i = 0; i < 600; i++) {
            byte[] e = new byte[valueSize];
            java.util.Arrays.fill(e, (byte) ('a' + i % 26));
            list.pushLeft(e);
        }
        out = PooledByteBufAllocator.DEFAULT.directBuffer(256 * 1024);
        writer = new ReplyWriter(out, 2);
    }

    @Benchmark
    public int copied() {
        out.clear();
        writer.arrayHeader(100);
        ReplyWriter w = writer;
        list.forEach(0, 99, w::bulk);
        return out.writerIndex();
    }

    @Benchmark
    public int inPlace() {
        out.clear();
        writer.arrayHeader(100);
        list.forEachRange(0, 99, writer);
        return out.writerIndex();
    }

    @Benchmark
    public int inPlaceStaged() {
        out.clear();
        writer.arrayHeader(100);
        list.forEachRange(0, 99, writer.bulks());
        writer.endBulks();
        return out.writerIndex();
    }
}
