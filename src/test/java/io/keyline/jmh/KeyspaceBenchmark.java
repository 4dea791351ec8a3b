package io.keyline.jmh;

import io.keyline.session.Client;
import io.keyline.engine.CommandTable;
import io.keyline.commands.StandardCommands;
import io.keyline.engine.ServerContext;
import io.keyline.config.Config;
import io.keyline.store.Database;
import io.keyline.store.Keyspace;
import io.netty.buffer.ByteBuf;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** Keyspace get/put on 1M keys, and a whole GET/SET through the dispatcher (no network). */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class KeyspaceBenchmark {
    private static final int KEYS = 1_000_000;
    private Keyspace keyspace;
    private Database db;
    private byte[][] keys;
    private ServerContext server;
    private Client client;
    private io.keyline.engine.CallContext call;
    private ByteBuf out;
    private final byte[] value = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GET = "GET".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SET = "SET".getBytes(StandardCharsets.US_ASCII);

    @Setup
    public void setup() {
        Config config = Config.defaults();
        config.set("capacity", "0", true);
        keyspace = new Keyspace(16);
        server = new ServerContext(keyspace, config, StandardCommands.table());
        db = keyspace.db(0);
        keys = new byte[KEYS][];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = String.format("key:%012d", i).getBytes(StandardCharsets.US_ASCII);
            int s = keyspace.stripeOf(keys[i]);
            keyspace.lock(s);
            try {
                db.set(keys[i], value, Database.NO_TTL);
            } finally {
                keyspace.unlock(s);
            }
        }
        client = server.openClient();
        call = server.dispatcher().newContext(client);
        out = Unpooled.directBuffer(1 << 20);
        client.reply.buffer(out);
    }

    private byte[] randomKey() {
        return keys[ThreadLocalRandom.current().nextInt(KEYS)];
    }

    @Benchmark
    public Object keyspaceGet() {
        byte[] k = randomKey();
        int s = keyspace.stripeOf(k);
        keyspace.lock(s);
        try {
            return db.get(k);
        } finally {
            keyspace.unlock(s);
        }
    }

    @Benchmark
    public Object keyspacePut() {
        byte[] k = randomKey();
        int s = keyspace.stripeOf(k);
        keyspace.lock(s);
        try {
            return db.set(k, value, Database.NO_TTL);
        } finally {
            keyspace.unlock(s);
        }
    }

    @Benchmark
    public void dispatchGet(Blackhole bh) {
        out.clear();
        server.dispatcher().execute(call, new byte[][]{GET, randomKey()});
        bh.consume(out.writerIndex());
    }

    @Benchmark
    public void dispatchSet(Blackhole bh) {
        out.clear();
        server.dispatcher().execute(call, new byte[][]{SET, randomKey(), value});
        bh.consume(out.writerIndex());
    }
}
