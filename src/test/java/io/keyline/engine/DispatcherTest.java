package io.keyline.engine;

import io.keyline.commands.StandardCommands;
import io.keyline.session.Client;

import io.keyline.config.Config;
import io.keyline.store.Keyspace;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The dispatcher in-process (no network): checks, queuing, capacity and propagation. */
class DispatcherTest {
    private ServerContext server;
    private Client client;
    private ByteBuf out;
    private final java.util.List<String> logged = new java.util.ArrayList<>();

    @BeforeEach
    void setUp() {
        Config config = Config.defaults();
        config.set("capacity", "3", true);
        Keyspace keyspace = new Keyspace(16);
        keyspace.capacity(3);
        server = new ServerContext(keyspace, config, StandardCommands.table());
        server.propagator((db, argv) -> {
            StringBuilder sb = new StringBuilder().append(db);
            for (byte[] a : argv) sb.append(' ').append(new String(a, StandardCharsets.UTF_8));
            logged.add(sb.toString());
            return 0;
        });
        client = server.openClient();
        out = Unpooled.buffer();
        client.reply.buffer(out);
    }

    @AfterEach
    void tearDown() {
        out.release();
    }

    private String run(String... words) {
        byte[][] argv = new byte[words.length][];
        for (int i = 0; i < words.length; i++) argv[i] = words[i].getBytes(StandardCharsets.UTF_8);
        out.clear();
        server.dispatcher().execute(server.dispatcher().newContext(client), argv);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void unknownCommandAndArityUseRedisTexts() {
        assertThat(run("NOPE", "a", "b")).isEqualTo("-ERR unknown command 'NOPE', with args beginning with: 'a' 'b' \r\n");
        assertThat(run("get")).isEqualTo("-ERR wrong number of arguments for 'get' command\r\n");
        assertThat(run("CONFIG", "nosuch")).startsWith("-ERR unknown subcommand 'nosuch'. Try CONFIG HELP.");
        assertThat(run("gEt", "missing")).isEqualTo("$-1\r\n");
    }

    @Test
    void multiQueuesAndAQueuingErrorAbortsExec() {
        assertThat(run("MULTI")).isEqualTo("+OK\r\n");
        assertThat(run("SET", "k", "v")).isEqualTo("+QUEUED\r\n");
        assertThat(run("GET")).startsWith("-ERR wrong number of arguments");
        assertThat(run("EXEC")).startsWith("-EXECABORT Transaction discarded because of previous errors.");
        assertThat(run("GET", "k")).isEqualTo("$-1\r\n");
    }

    @Test
    void execRunsTheQueueAndLogsItAsOneTransaction() {
        run("MULTI");
        run("SET", "a", "1");
        run("INCR", "a");
        assertThat(run("EXEC")).isEqualTo("*2\r\n+OK\r\n:2\r\n");
        assertThat(logged).containsExactly("0 MULTI", "0 SET a 1", "0 INCR a", "0 EXEC");
    }

    @Test
    void writesThatChangeNothingAreNotLogged() {
        run("DEL", "nothing");
        run("GET", "x");
        assertThat(logged).isEmpty();
        run("SET", "k", "v", "EX", "100");
        assertThat(logged).hasSize(1);
        assertThat(logged.get(0)).startsWith("0 SET k v PXAT ");
    }

    @Test
    void capacityRefusesNewKeysButNotUpdatesReadsOrDeletes() {
        run("SET", "a", "1");
        run("SET", "b", "1");
        run("SET", "c", "1");
        assertThat(run("SET", "d", "1")).startsWith("-OOM ");
        assertThat(run("SET", "a", "2")).isEqualTo("+OK\r\n");
        assertThat(run("GET", "a")).isEqualTo("$1\r\n2\r\n");
        assertThat(run("DEL", "b")).isEqualTo(":1\r\n");
        assertThat(run("SET", "d", "1")).isEqualTo("+OK\r\n");
    }

    @Test
    void watchedKeyChangedByAnotherClientAbortsExec() {
        Client other = server.openClient();
        ByteBuf otherOut = Unpooled.buffer();
        other.reply.buffer(otherOut);
        try {
            run("WATCH", "w");
            run("MULTI");
            run("SET", "w", "mine");
            server.dispatcher().execute(server.dispatcher().newContext(other), new byte[][]{"SET".getBytes(), "w".getBytes(), "theirs".getBytes()});
            assertThat(run("EXEC")).isEqualTo("*-1\r\n");
            assertThat(run("GET", "w")).isEqualTo("$6\r\ntheirs\r\n");
        } finally {
            otherOut.release();
        }
    }

    @Test
    void noAuthUntilAuthenticated() {
        server.config().set("requirepass", "secret", false);
        Client fresh = server.openClient();
        ByteBuf buf = Unpooled.buffer();
        fresh.reply.buffer(buf);
        try {
            server.dispatcher().execute(server.dispatcher().newContext(fresh), new byte[][]{"GET".getBytes(), "k".getBytes()});
            assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo("-NOAUTH Authentication required.\r\n");
            buf.clear();
            server.dispatcher().execute(server.dispatcher().newContext(fresh), new byte[][]{"AUTH".getBytes(), "secret".getBytes()});
            assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo("+OK\r\n");
        } finally {
            buf.release();
        }
    }

    @Test
    void aCallReadsTheClockOnceSoAOneMillisecondDeadlineIsNotAlreadyPast() {
        // A clock that moves 1 ms at every read: reading it twice in one call (deadline, then the
        // already-expired check) would delete the key at once, as Redis never does.
        java.util.concurrent.atomic.AtomicLong ticks = new java.util.concurrent.atomic.AtomicLong(1_000_000);
        Keyspace keyspace = new Keyspace(16, 6, ticks::incrementAndGet);
        ServerContext ticking = new ServerContext(keyspace, Config.defaults(), StandardCommands.table());
        Client c = ticking.openClient();
        ByteBuf buf = Unpooled.buffer();
        c.reply.buffer(buf);
        try {
            CallContext call = ticking.dispatcher().newContext(c);
            ticking.dispatcher().execute(call, new byte[][]{"SET".getBytes(), "k".getBytes(), "v".getBytes(), "PX".getBytes(), "1".getBytes()});
            ticking.dispatcher().execute(call, new byte[][]{"SET".getBytes(), "e".getBytes(), "v".getBytes()});
            ticking.dispatcher().execute(call, new byte[][]{"PEXPIRE".getBytes(), "e".getBytes(), "1".getBytes()});
            assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo("+OK\r\n+OK\r\n:1\r\n");
            // Inside EXEC every queued command sees EXEC's time: both deadlines are the same.
            buf.clear();
            for (String[] cmd : new String[][]{{"MULTI"}, {"SET", "t1", "v", "PX", "100"}, {"SET", "t2", "v", "PX", "100"}, {"EXEC"}}) {
                byte[][] argv = new byte[cmd.length][];
                for (int i = 0; i < cmd.length; i++) argv[i] = cmd[i].getBytes();
                ticking.dispatcher().execute(call, argv);
            }
            assertThat(keyspace.db(0).expireAt("t1".getBytes())).isEqualTo(keyspace.db(0).expireAt("t2".getBytes()));
            assertThat(keyspace.db(0).findIncludingExpired("k".getBytes())).as("SET PX 1 kept the key").isNotNull();
            assertThat(keyspace.db(0).findIncludingExpired("e".getBytes())).as("PEXPIRE 1 kept the key").isNotNull();
        } finally {
            buf.release();
        }
    }
}
