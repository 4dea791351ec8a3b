package io.keyline.cli;

import io.keyline.config.Config;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Command-line parsing: bad input gives one line on stderr and exit code 1, never a stack trace. */
class MainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedErr;

    @BeforeEach
    void captureStderr() {
        savedErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStderr() {
        System.setErr(savedErr);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private void assertOneLineError(String... args) {
        int code = Main.run(args);
        assertThat(code).isEqualTo(1);
        String out = stderr();
        assertThat(out).startsWith("keyline-server: ");
        assertThat(out.strip().lines().count()).as(out).isEqualTo(1);
        assertThat(out).doesNotContain("Exception").doesNotContain("\tat ");
    }

    /** --check-rdb is a tool, not a server option: a missing file exits 1 with redis-check-rdb's first line. */
    @Test
    void checkRdbRunsTheChecker() {
        PrintStream savedOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run(new String[]{"--check-rdb", dir.resolve("missing.rdb").toString()});
        } finally {
            System.setOut(savedOut);
        }
        assertThat(code).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("[offset 0] Checking RDB file " + dir.resolve("missing.rdb"));
        assertThat(stderr()).doesNotContain("unknown option");
        assertOneLineError("--check-rdb");
        assertThat(stderr()).contains("'--check-rdb' (FILE)");
    }

    @Test
    void nonNumericPort() {
        assertOneLineError("--port", "abc");
        assertThat(stderr()).contains("--port");
    }

    @Test
    void portOutOfRange() {
        assertOneLineError("--port", "70000");
        assertThat(stderr()).contains("'--port'").contains("between 0 and 65535");
    }

    @Test
    void unknownParameter() {
        assertOneLineError("--nosuchparam", "1");
        assertThat(stderr()).contains("--nosuchparam");
    }

    @Test
    void badEnumValue() {
        assertOneLineError("--maxmemory-policy", "bogus");
        assertThat(stderr()).contains("maxmemory-policy").contains("noeviction");
    }

    @Test
    void badRedisStyleDirective() {
        assertOneLineError("--appendonly", "maybe");
        assertThat(stderr()).contains("'yes' or 'no'");
    }

    @Test
    void missingConfigFile() {
        assertOneLineError(dir.resolve("missing.conf").toString());
        assertThat(stderr()).contains("can't open config file");
    }

    @Test
    void badLineInConfigFile() throws Exception {
        Path f = dir.resolve("bad.conf");
        Files.writeString(f, "maxmemory 1mb\nbogus-directive yes\n");
        assertOneLineError(f.toString());
        assertThat(stderr()).contains("line 2").contains("Bad directive");
    }

    @Test
    void configFileFirstThenFlagsOverride() throws Exception {
        Path f = dir.resolve("keyline.conf");
        Files.writeString(f, "port 7001\nmaxmemory 1mb\ntimeout 5\n");
        Config c = Main.configFor(f.toString(), "--port", "7002", "--timeout", "9", "--save", "");
        assertThat(c.get("port")).isEqualTo("7002");
        assertThat(c.get("maxmemory")).isEqualTo("1048576");
        assertThat(c.get("timeout")).isEqualTo("9");
        assertThat(c.get("save")).isEmpty();
        assertThat(c.configFile()).isEqualTo(f.toAbsolutePath());
    }

    @Test
    void shortOptionsAndMultiWordValues() {
        Config c = Main.configFor("-p", "7003", "-c", "50", "--client-output-buffer-limit", "pubsub", "1mb", "2", "3");
        assertThat(c.get("port")).isEqualTo("7003");
        assertThat(c.get("capacity")).isEqualTo("50");
        assertThat(c.get("client-output-buffer-limit")).endsWith("pubsub 1048576 2 3");
        assertThat(c.configFile()).isNull();
    }

    @Test
    void configForRejectsBadValues() {
        assertThatThrownBy(() -> Main.configFor("--maxmemory", "lots")).hasMessageContaining("argument must be a memory value");
    }

    @Test
    void optionFormsPicocliAccepted() {
        // The start path parses by hand (picocli is slow to load); the forms picocli took still work.
        Config c = Main.configFor("--port=7004", "-c5", "--bind", "127.0.0.1", "--databases=4", "--maxmemory", "2mb",
                "--loglevel", "warning", "--maxmemory-policy=allkeys-lru", "-p", "7005", "--timeout", "3");
        assertThat(c.get("port")).isEqualTo("7005");
        assertThat(c.get("capacity")).isEqualTo("5");
        assertThat(c.get("bind")).isEqualTo("127.0.0.1");
        assertThat(c.get("databases")).isEqualTo("4");
        assertThat(c.get("maxmemory")).isEqualTo("2097152");
        assertThat(c.get("loglevel")).isEqualTo("warning");
        assertThat(c.get("maxmemory-policy")).isEqualTo("allkeys-lru");
        assertThat(c.get("timeout")).isEqualTo("3");
    }

    @Test
    void missingOptionValue() {
        assertOneLineError("--port");
        assertThat(stderr()).contains("Missing required parameter for option '--port'");
    }

    @Test
    void nonNumericCapacity() {
        assertOneLineError("-c", "many");
        assertThat(stderr()).contains("'--capacity'").contains("'many' is not a long");
    }

    @Test
    void versionIsAnsweredByPicocli() {
        java.io.PrintStream savedOut = System.out;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run(new String[]{"--port", "1", "--version"})).isZero();
        } finally {
            System.setOut(savedOut);
        }
        assertThat(out.toString(StandardCharsets.UTF_8).strip()).matches("Keyline server v=\\S+ redis_version=\\d+\\.\\d+\\.\\d+");
    }

    /** {@code user} directives (redis.conf) and {@code --user name rules...}: the users exist at start. */
    @Test
    void usersDeclaredInTheConfigFileAndOnTheCommandLine() throws Exception {
        Path conf = dir.resolve("users.conf");
        Files.writeString(conf, "user alice on >pw ~* +@all\nuser bob on >x ~k* +get\nuser default on nopass ~* +@all -flushall\n");
        Config config = Main.configFor(conf.toString(), "--user", "carol", "on", ">c", "~*", "+@read");
        assertThat(config.users()).hasSize(4);
        io.keyline.engine.ServerContext server = new io.keyline.engine.ServerContext(
                new io.keyline.store.Keyspace(16), config, io.keyline.commands.StandardCommands.table());
        io.keyline.engine.Acl acl = server.acl();
        assertThat(acl.describeUser(acl.user("bob"))).isEqualTo("user bob on sanitize-payload "
                + "#2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881 ~k* resetchannels -@all +get");
        assertThat(acl.describeUser(acl.user("carol"))).endsWith(" ~* resetchannels -@all +@read");
        assertThat(acl.describeUser(acl.defaultUser())).isEqualTo("user default on nopass sanitize-payload ~* resetchannels +@all -flushall");
    }

    @Test
    void aUserDeclaredTwiceIsAConfigError() throws Exception {
        Path conf = dir.resolve("dup.conf");
        Files.writeString(conf, "user alice on >pw ~* +@all\nuser alice off\n");
        assertOneLineError(conf.toString());
        assertThat(stderr()).contains("at line 2").contains(
                "Error in user declaration 'alice': Duplicate user found. A user can only be defined once in config files");
    }

    /** Redis's ACLLoadUsersAtStartup texts; the rules are checked when the users load, as Redis does. */
    @Test
    void usersAndAnAclFileTogetherOrABadRuleStopTheStart() throws Exception {
        Path acl = dir.resolve("users.acl");
        Files.writeString(acl, "user carol on >c ~* +@all\n");
        Path conf = dir.resolve("both.conf");
        Files.writeString(conf, "user alice on >pw ~* +@all\naclfile " + acl + "\n");
        assertThat(Main.run(new String[]{conf.toString()})).isEqualTo(1);
        assertThat(stderr()).contains("Configuring Redis with users defined in redis.conf and at the same setting an ACL "
                + "file path is invalid. This setup is very likely to lead to configuration errors and security holes, "
                + "please define either an ACL file or declare users directly in your redis.conf, but not both.");
        err.reset();
        assertThat(Main.run(new String[]{"--user", "bad", "on", "+nosuch"})).isEqualTo(1);
        assertThat(stderr()).contains("Error loading ACL rule '+nosuch' for the user named 'bad': Unknown command or "
                + "category name in ACL").contains("Critical error while loading ACLs. Exiting.").doesNotContain("\tat ");
        err.reset();
        // one quoted word is one username, as redis-server reads its command line
        assertThat(Main.run(new String[]{"--user", "alice on >pw ~* +@all"})).isEqualTo(1);
        assertThat(stderr()).contains("Spaces not allowed in ACL usernames");
    }
}
