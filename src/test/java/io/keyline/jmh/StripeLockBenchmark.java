package io.keyline.jmh;

import io.keyline.store.Clock;
import io.keyline.store.Keyspace;
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
 * What a command pays for atomicity, uncontended, one thread: one stripe (a single-key command) and every
 * stripe (a script, EXEC, FLUSHALL), at 64 and 1024 stripes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StripeLockBenchmark {
    @Param({"6", "10"})
    int stripeBits;
    private Keyspace keyspace;
    private int next;

    @Setup
    public void setup() {
        keyspace = new Keyspace(16, stripeBits, Clock.SYSTEM);
    }

    @Benchmark
    public int lockOneStripe() {
        int s = next = (next + 7) & (keyspace.stripes() - 1);
        keyspace.lock(s);
        keyspace.unlock(s);
        return s;
    }

    @Benchmark
    public void lockEveryStripe() {
        keyspace.lockAll();
        keyspace.unlockAll();
    }
}
