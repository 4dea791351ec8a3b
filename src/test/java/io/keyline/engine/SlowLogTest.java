package io.keyline.engine;

import io.keyline.commands.StandardCommands;
import io.keyline.session.Client;

import io.keyline.config.Config;
import io.keyline.store.Keyspace;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SlowLogTest {
    private final CommandTable table = StandardCommands.table();

    private static byte[][] argv(String... words) {
        byte[][] a = new byte[words.length][];
        for (int i = 0; i < words.length; i++) a[i] = words[i].getBytes(StandardCharsets.UTF_8);
        return a;
    }

    private static List<String> strings(byte[][] a) {
        return Arrays.stream(a).map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    private List<String> logged(SlowLog log, String... words) {
        CommandSpec spec = table.lookup(words[0]);
        if (!spec.subcommands().isEmpty()) spec = spec.subcommands().get(words[1].toLowerCase());
        return strings(log.loggedArgs(spec, argv(words)));
    }

    @Test
    void argumentsAreTrimmedAsRedis() {
        SlowLog log = new SlowLog();
        String[] many = new String[40];
        many[0] = "sadd";
        for (int i = 1; i < 40; i++) many[i] = "m" + i;
        List<String> args = logged(log, many);
        assertThat(args).hasSize(32);
        assertThat(args.get(30)).isEqualTo("m30");
        assertThat(args.get(31)).isEqualTo("... (9 more arguments)");
        List<String> longArg = logged(log, "set", "k", "x".repeat(130));
        assertThat(longArg.get(2)).isEqualTo("x".repeat(128) + "... (2 more bytes)");
        assertThat(logged(log, "set", "k", "x".repeat(128)).get(2)).hasSize(128);
    }

    @Test
    void secretsAreRedacted() {
        SlowLog log = new SlowLog();
        log.bind(Config.defaults());
        assertThat(logged(log, "auth", "user", "pass")).containsExactly("auth", "(redacted)", "(redacted)");
        assertThat(logged(log, "hello", "3", "AUTH", "u", "p", "SETNAME", "n"))
                .containsExactly("hello", "3", "AUTH", "(redacted)", "(redacted)", "SETNAME", "n");
        assertThat(logged(log, "config", "set", "requirepass", "secret", "maxmemory", "0"))
                .containsExactly("config", "set", "requirepass", "(redacted)", "maxmemory", "0");
    }

    @Test
    void thresholdAndMaxLenFollowTheConfig() {
        Config config = Config.defaults();
        ServerContext server = new ServerContext(new Keyspace(16), config, table);
        Client c = server.openClient();
        SlowLog log = server.callObserver().slowLog();
        CommandSpec get = table.lookup("get");
        log.pushIfNeeded(get, argv("get", "a"), 9_999, c);
        assertThat(log.length()).isZero(); // default: 10000 µs
        log.pushIfNeeded(get, argv("get", "b"), 10_000, c);
        assertThat(log.length()).isEqualTo(1);
        config.set("slowlog-log-slower-than", "0", false);
        config.set("slowlog-max-len", "2", false);
        for (int i = 0; i < 4; i++) log.pushIfNeeded(get, argv("get", "k" + i), 0, c);
        assertThat(log.get(-1)).extracting(e -> strings(e.argv()).get(1)).containsExactly("k3", "k2");
        assertThat(log.get(-1)).extracting(SlowLog.Entry::id).containsExactly(4L, 3L);
        assertThat(log.get(1)).hasSize(1);
        // EXEC is never logged itself (skip-slowlog); the commands it runs are.
        log.pushIfNeeded(table.lookup("exec"), argv("exec"), 50, c);
        assertThat(strings(log.get(1).get(0).argv())).containsExactly("get", "k3");
        config.set("slowlog-log-slower-than", "-1", false);
        log.pushIfNeeded(get, argv("get", "z"), 1_000_000, c);
        assertThat(log.length()).isEqualTo(2);
        log.reset();
        assertThat(log.get(-1)).isEmpty();
    }
}
