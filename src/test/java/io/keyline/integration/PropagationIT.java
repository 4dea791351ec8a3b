package io.keyline.integration;

import io.keyline.engine.Propagator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What string and key commands log for the AOF: absolute deadlines, and nothing for no-ops. */
class PropagationIT extends ServerTestBase {
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void record() {
        keyline.server().context().propagator(new Propagator() {
            @Override
            public long append(int db, byte[][] argv) {
                StringBuilder sb = new StringBuilder();
                for (byte[] a : argv) sb.append(sb.length() == 0 ? "" : " ").append(new String(a, StandardCharsets.UTF_8));
                log.add(db + ":" + sb);
                return 0;
            }
        });
        log.clear();
    }

    private List<String> logged(Runnable r) {
        log.clear();
        r.run();
        return new ArrayList<>(log);
    }

    private void send(String... argv) {
        try {
            jedis.sendCommand(Protocol.Command.valueOf(argv[0].toUpperCase()), java.util.Arrays.copyOfRange(argv, 1, argv.length));
        } catch (redis.clients.jedis.exceptions.JedisDataException ignored) {
            // errors log nothing, which the callers check
        }
    }

    @Test
    void relativeExpiriesAreLoggedAsAbsolute() {
        List<String> l = logged(() -> send("SET", "k", "v", "EX", "100"));
        assertThat(l).hasSize(1);
        assertThat(l.get(0)).matches("0:SET k v PXAT \\d{13}");
        assertThat(logged(() -> send("SETEX", "k", "100", "v")).get(0)).matches("0:SET k v PXAT \\d{13}");
        assertThat(logged(() -> send("PSETEX", "k", "100000", "v")).get(0)).matches("0:SET k v PXAT \\d{13}");
        assertThat(logged(() -> send("SET", "k", "v", "PXAT", "99999999999999"))).containsExactly("0:SET k v PXAT 99999999999999");
        assertThat(logged(() -> send("EXPIRE", "k", "100")).get(0)).matches("0:PEXPIREAT k \\d{13}");
        assertThat(logged(() -> send("EXPIREAT", "k", "99999999999"))).containsExactly("0:PEXPIREAT k 99999999999000");
        assertThat(logged(() -> send("GETEX", "k", "EX", "100")).get(0)).matches("0:PEXPIREAT k \\d{13}");
        assertThat(logged(() -> send("GETEX", "k", "PERSIST"))).containsExactly("0:PERSIST k");
        assertThat(logged(() -> send("SET", "k", "v2", "GET"))).containsExactly("0:SET k v2");
        assertThat(logged(() -> send("INCRBYFLOAT", "f", "1.5"))).containsExactly("0:SET f 1.5 KEEPTTL");
        assertThat(logged(() -> send("GETSET", "k", "v3"))).containsExactly("0:SET k v3");
        assertThat(logged(() -> send("GETDEL", "k"))).containsExactly("0:DEL k");
    }

    @Test
    void pastDeadlinesAreLoggedAsDel() {
        send("SET", "k", "v");
        assertThat(logged(() -> send("EXPIRE", "k", "-1"))).containsExactly("0:DEL k");
        send("SET", "k", "v");
        assertThat(logged(() -> send("SET", "k", "v", "PXAT", "1"))).containsExactly("0:DEL k");
        send("SET", "k", "v");
        assertThat(logged(() -> send("GETEX", "k", "EXAT", "1"))).containsExactly("0:DEL k");
    }

    @Test
    void noChangeLogsNothing() {
        send("SET", "k", "v");
        assertThat(logged(() -> send("SET", "k", "x", "NX"))).isEmpty();
        assertThat(logged(() -> send("SETNX", "k", "x"))).isEmpty();
        assertThat(logged(() -> send("GETEX", "k"))).isEmpty();
        assertThat(logged(() -> send("GETEX", "k", "PERSIST"))).isEmpty();
        assertThat(logged(() -> send("PERSIST", "k"))).isEmpty();
        assertThat(logged(() -> send("EXPIRE", "missing", "10"))).isEmpty();
        assertThat(logged(() -> send("EXPIRE", "k", "10", "XX"))).isEmpty();
        assertThat(logged(() -> send("DEL", "missing"))).isEmpty();
        assertThat(logged(() -> send("SETRANGE", "k", "0", ""))).isEmpty();
        assertThat(logged(() -> send("INCR", "k"))).isEmpty(); // error
        assertThat(logged(() -> send("SET", "k", "v", "EX", "0"))).isEmpty();
        assertThat(logged(() -> send("GETDEL", "missing"))).isEmpty();
        assertThat(logged(() -> send("MSETNX", "k", "1", "z", "2"))).isEmpty();
        assertThat(logged(() -> send("RENAMENX", "k", "k"))).isEmpty();
        assertThat(logged(() -> send("COPY", "missing", "x"))).isEmpty();
        assertThat(logged(() -> send("MOVE", "missing", "1"))).isEmpty();
        assertThat(logged(() -> send("GET", "k"))).isEmpty();
    }

    @Test
    void otherWritesAreLoggedAsReceived() {
        assertThat(logged(() -> send("SET", "k", "v"))).containsExactly("0:SET k v");
        assertThat(logged(() -> send("INCR", "n"))).containsExactly("0:INCR n");
        assertThat(logged(() -> send("MOVE", "k", "1"))).containsExactly("0:MOVE k 1");
        assertThat(logged(() -> send("COPY", "n", "m", "DB", "2"))).containsExactly("0:COPY n m DB 2");
        assertThat(logged(() -> send("SWAPDB", "0", "1"))).containsExactly("0:SWAPDB 0 1");
        assertThat(logged(() -> send("RENAME", "k", "k2"))).containsExactly("0:RENAME k k2");
    }
}
