package io.keyline.engine;

import io.keyline.commands.StandardCommands;
import io.keyline.config.Config;
import io.keyline.session.Client;
import io.keyline.store.Keyspace;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Multi-key commands take their stripes together for the whole command ({@link Keyspace#tryLockStripes}):
 * MSETs of the same keys in opposite orders, DELs of them and MGETs run at once through the one call path
 * never deadlock, and an MGET sees every key from one MSET or none (all-or-nothing visibility).
 */
class MultiKeyLockingTest {
    private static final int KEYS = 10;
    private static final int ROUNDS = 3_000;

    private static final class Conn {
        final ServerContext server;
        final Client client;
        final ByteBuf out = Unpooled.buffer();

        Conn(ServerContext server) {
            this.server = server;
            this.client = server.openClient();
            client.reply.buffer(out);
        }

        String run(List<String> words) {
            byte[][] argv = new byte[words.size()][];
            for (int i = 0; i < argv.length; i++) argv[i] = words.get(i).getBytes(StandardCharsets.UTF_8);
            out.clear();
            server.dispatcher().execute(server.dispatcher().newContext(client), argv);
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void overlappingMsetsDelsAndMgetsAreAllOrNothingAndNeverDeadlock() throws Exception {
        Keyspace keyspace = new Keyspace(16);
        ServerContext server = new ServerContext(keyspace, Config.defaults(), StandardCommands.table());
        List<String> keys = new ArrayList<>();
        Set<Integer> stripes = new HashSet<>();
        for (int i = 0; i < KEYS; i++) {
            keys.add("key:" + i);
            stripes.add(keyspace.stripeOf(keys.get(i).getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(stripes.size()).as("keys spread over stripes").isGreaterThan(5);

        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            int writer = w;
            writers.add(new Thread(() -> {
                Conn c = new Conn(server);
                for (int round = 0; round < ROUNDS; round++) {
                    List<String> argv = new ArrayList<>();
                    if (writer == 2 && round % 5 == 0) {
                        argv.add("DEL");
                        argv.addAll(keys);
                        assertThat(c.run(argv)).startsWith(":");
                        continue;
                    }
                    argv.add(writer == 2 ? "MSETNX" : "MSET");
                    String value = "w" + writer + "-" + round;
                    // The writers name the keys in opposite orders: the stripes are still taken in one order.
                    for (int k = 0; k < KEYS; k++) {
                        argv.add(keys.get(writer == 0 ? k : KEYS - 1 - k));
                        argv.add(value);
                    }
                    String reply = c.run(argv);
                    assertThat(reply).isIn("+OK\r\n", ":0\r\n", ":1\r\n");
                }
            }));
        }
        Thread reader = new Thread(() -> {
            Conn c = new Conn(server);
            List<String> argv = new ArrayList<>();
            argv.add("MGET");
            argv.addAll(keys);
            while (writing.get()) {
                String reply = c.run(argv);
                String[] lines = reply.split("\r\n");
                assertThat(lines[0]).isEqualTo("*" + KEYS);
                Set<String> seen = new HashSet<>();
                for (int i = 1; i < lines.length; i++) {
                    if (lines[i].equals("$-1")) seen.add("(nil)");
                    else if (!lines[i].startsWith("$")) seen.add(lines[i]);
                }
                assertThat(seen).as("one MGET saw %s", reply).hasSize(1);
            }
        });
        List<Thread> all = new ArrayList<>(writers);
        all.add(reader);
        for (Thread t : all) {
            t.setUncaughtExceptionHandler((th, e) -> failure.compareAndSet(null, e));
            t.start();
        }
        for (Thread t : writers) t.join(TimeUnit.SECONDS.toMillis(60));
        writing.set(false);
        reader.join(TimeUnit.SECONDS.toMillis(10));
        for (Thread t : all) assertThat(t.isAlive()).as("deadlocked: %s", t).isFalse();
        assertThat(failure.get()).isNull();
    }
}
