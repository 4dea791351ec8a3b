package io.keyline.integration;

import io.keyline.embed.EmbeddedKeyline;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Redis 7.2's ACL end to end with real clients: AUTH as a user (Jedis, and Lettuce's HELLO 3 AUTH),
 * NOPERM for commands, keys (read/write patterns) and channels with 7.2's texts, MULTI (refused at
 * queue time, and when the rules change before EXEC), Lua calls with the caller's user, the ACL log,
 * DELUSER closing connections, requirepass as the default user's password, the ACL file.
 */
class AclIT extends ServerTestBase {
    @TempDir
    static Path dir;

    @Override
    protected void configure(EmbeddedKeyline.Builder builder) {
        try {
            Path file = dir.resolve("users.acl");
            Files.writeString(file, "user default on nopass ~* &* +@all\n");
            builder.config("aclfile", file.toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void dropUsers() {
        for (String u : jedis.aclUsers()) if (!u.equals("default")) jedis.aclDelUser(u);
        jedis.aclLogReset();
        jedis.configSet("requirepass", "");
    }

    private Jedis as(String user, String pass) {
        Jedis j = newJedis();
        j.auth(user, pass);
        return j;
    }

    @Test
    void userWithPasswordRunsOnlyWhatItIsAllowed() {
        jedis.aclSetUser("app", "on", ">s3cret", "~app:*", "&news:*", "+get", "+set", "+publish", "+ping", "+acl|whoami");
        assertThatThrownBy(() -> as("app", "wrong")).isInstanceOf(JedisAccessControlException.class)
                .hasMessage("WRONGPASS invalid username-password pair or user is disabled.");
        assertThatThrownBy(() -> as("nobody", "x")).hasMessage("WRONGPASS invalid username-password pair or user is disabled.");
        try (Jedis app = as("app", "s3cret")) {
            assertThat(app.aclWhoAmI()).isEqualTo("app");
            assertThat(app.set("app:1", "v")).isEqualTo("OK");
            assertThat(app.get("app:1")).isEqualTo("v");
            assertThatThrownBy(() -> app.del("app:1")).hasMessage("NOPERM User app has no permissions to run the 'del' command");
            assertThatThrownBy(() -> app.get("other")).hasMessage("NOPERM No permissions to access a key");
            assertThatThrownBy(() -> app.publish("chat", "m")).hasMessage("NOPERM No permissions to access a channel");
            assertThat(app.publish("news:today", "m")).isZero();
            assertThatThrownBy(() -> app.configGet("maxmemory"))
                    .hasMessage("NOPERM User app has no permissions to run the 'config|get' command");
            assertThat(app.ping()).isEqualTo("PONG");
        }
        // A disabled user cannot log in; its open connections keep working (as Redis).
        jedis.aclSetUser("app", "off");
        assertThatThrownBy(() -> as("app", "s3cret")).hasMessage("WRONGPASS invalid username-password pair or user is disabled.");
    }

    @Test
    void lettuceAuthenticatesWithHello3AsAUser() {
        jedis.aclSetUser("reader", "on", ">pw", "%R~*", "+@read", "+@connection");
        jedis.set("k", "v");
        RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(port())
                .withAuthentication("reader", "pw").withTimeout(Duration.ofSeconds(10)).build());
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            RedisCommands<String, String> r = conn.sync();
            assertThat(r.get("k")).isEqualTo("v");
            assertThatThrownBy(() -> r.set("k", "w")).isInstanceOf(RedisCommandExecutionException.class)
                    .hasMessage("NOPERM User reader has no permissions to run the 'set' command");
            assertThat(r.clientList()).contains("user=reader");
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    void readAndWritePatternsFollowKeySpecs() {
        jedis.aclSetUser("rw", "on", "nopass", "%R~src:*", "%W~dst:*", "~both:*", "+@all");
        jedis.rpush("src:1", "a", "b");
        try (Jedis rw = as("rw", "x")) {
            assertThat(rw.lrange("src:1", 0, -1)).containsExactly("a", "b");
            // LMOVE's source is "RW access delete": a read-only pattern is not enough.
            assertThatThrownBy(() -> rw.lmove("src:1", "dst:1", redis.clients.jedis.args.ListDirection.LEFT,
                    redis.clients.jedis.args.ListDirection.LEFT)).hasMessage("NOPERM No permissions to access a key");
            assertThat(rw.set("dst:2", "v")).isEqualTo("OK");
            assertThatThrownBy(() -> rw.get("dst:2")).hasMessage("NOPERM No permissions to access a key");
            assertThat(rw.copy("src:1", "dst:3", false)).isTrue();
            assertThatThrownBy(() -> rw.copy("dst:3", "src:2", false)).hasMessage("NOPERM No permissions to access a key");
            assertThat(rw.incr("both:n")).isEqualTo(1L);
            assertThat(rw.aclDryRun("rw", "get", "dst:1")).isEqualTo("User rw has no permissions to access the 'dst:1' key");
        }
    }

    @Test
    void multiRefusesAtQueueTimeAndRechecksAtExec() {
        jedis.aclSetUser("tx", "on", "nopass", "~*", "+multi", "+exec", "+get", "+set", "+del");
        try (Jedis tx = as("tx", "x")) {
            Transaction t = tx.multi();
            t.set("a", "1");
            t.incr("a");
            assertThatThrownBy(t::exec).hasMessage("EXECABORT Transaction discarded because of previous errors.");
            assertThat(jedis.exists("a")).isFalse();

        }
        // Jedis sends a transaction at EXEC; a raw client queues first, then the rules change.
        try (io.keyline.testkit.RespClient r = new io.keyline.testkit.RespClient(port())) {
            assertThat(r.value("AUTH", "tx", "x")).isEqualTo("OK");
            assertThat(r.value("MULTI")).isEqualTo("OK");
            assertThat(r.value("SET", "a", "1")).isEqualTo("QUEUED");
            assertThat(r.value("DEL", "a")).isEqualTo("QUEUED");
            jedis.aclSetUser("tx", "-del");
            assertThat(r.value("EXEC")).isEqualTo(List.of("OK", "!NOPERM ACLs rules changed between the moment the "
                    + "transaction was accumulated and the EXEC call. This command is no longer allowed for the following "
                    + "reason: no permission to execute the command or subcommand"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<Map<String, Object>> log = aclLog();
        assertThat(log.get(0)).containsEntry("reason", "command").containsEntry("context", "multi").containsEntry("object", "del");
        assertThat(log.get(1)).containsEntry("reason", "command").containsEntry("context", "multi").containsEntry("object", "incr");
    }

    @Test
    void luaCallsRunWithTheCallersUser() {
        jedis.aclSetUser("lua", "on", "nopass", "~k:*", "+eval", "+get", "+set");
        jedis.set("k:1", "v");
        try (Jedis lua = as("lua", "x")) {
            assertThat(lua.eval("return redis.call('get', KEYS[1])", 1, "k:1")).isEqualTo("v");
            assertThatThrownBy(() -> lua.eval("return redis.call('del', KEYS[1])", 1, "k:1"))
                    .hasMessageStartingWith("ERR ACL failure in script: User lua has no permissions to run the 'del' command script:");
            assertThat(lua.eval("local r = redis.pcall('get', 'other') return r['err']", 0))
                    .isEqualTo("ERR ACL failure in script: No permissions to access a key");
            assertThat(lua.eval("return {redis.acl_check_cmd('get','k:1'), redis.acl_check_cmd('del','k:1'),"
                    + " redis.acl_check_cmd('get','x')}", 0)).isEqualTo(java.util.Arrays.asList(1L, null, null));
            assertThatThrownBy(() -> lua.eval("return redis.acl_check_cmd('nosuch')", 0))
                    .hasMessageContaining("Invalid command passed to redis.acl_check_cmd()");
        }
        assertThat(jedis.exists("k:1")).isTrue();
        // The default user may run anything: acl_check_cmd is true for a real command.
        Boolean all = lettuce.eval("return redis.acl_check_cmd('flushall')", ScriptOutputType.BOOLEAN);
        assertThat(all).isTrue();
        Map<String, Object> entry = aclLog().get(0);
        assertThat(entry).containsEntry("reason", "key").containsEntry("context", "lua").containsEntry("object", "other")
                .containsEntry("username", "lua");
    }

    @Test
    void aclLogRecordsDenialsWithRedisFields() {
        jedis.configResetStat();
        jedis.aclSetUser("logged", "on", ">pw", "~k", "+get");
        try (Jedis l = as("logged", "pw")) {
            for (int i = 0; i < 3; i++) assertThatThrownBy(() -> l.get("x")).hasMessage("NOPERM No permissions to access a key");
            assertThatThrownBy(() -> l.set("k", "v")).hasMessageStartingWith("NOPERM");
        }
        assertThatThrownBy(() -> as("logged", "bad")).hasMessageStartingWith("WRONGPASS");
        List<Map<String, Object>> log = aclLog();
        assertThat(log).hasSize(3);
        assertThat(log.get(0)).containsEntry("reason", "auth").containsEntry("object", "AUTH").containsEntry("username", "logged")
                .containsEntry("count", 1L);
        assertThat(log.get(1)).containsEntry("reason", "command").containsEntry("object", "set").containsEntry("context", "toplevel");
        assertThat(log.get(2)).containsEntry("reason", "key").containsEntry("object", "x").containsEntry("count", 3L);
        assertThat(log.get(2).keySet()).containsExactly("count", "reason", "context", "object", "username", "age-seconds",
                "client-info", "entry-id", "timestamp-created", "timestamp-last-updated");
        assertThat((String) log.get(2).get("client-info")).contains("user=logged").contains("cmd=get");
        assertThat((long) log.get(2).get("entry-id")).isLessThan((long) log.get(0).get("entry-id"));
        assertThat(jedis.aclLog(1)).hasSize(1);
        assertThat(jedis.info("stats")).contains("acl_access_denied_auth:1").contains("acl_access_denied_cmd:1")
                .contains("acl_access_denied_key:3");
        // acllog-max-len trims the oldest entries.
        jedis.configSet("acllog-max-len", "1");
        try {
            assertThat(aclLog()).hasSize(1);
        } finally {
            jedis.configSet("acllog-max-len", "128");
        }
    }

    @Test
    void deluserClosesTheUsersConnections() {
        jedis.aclSetUser("gone", "on", "nopass", "~*", "+@all");
        Jedis victim = as("gone", "x");
        try {
            assertThat(victim.ping()).isEqualTo("PONG");
            assertThat(jedis.clientList()).contains("user=gone");
            assertThat(jedis.aclDelUser("gone", "nosuch")).isEqualTo(1L);
            assertThatThrownBy(victim::ping).isInstanceOf(JedisConnectionException.class);
            assertThat(jedis.clientList()).doesNotContain("user=gone");
        } finally {
            victim.close();
        }
        // A user deleting itself gets its reply, then the connection closes.
        jedis.aclSetUser("self", "on", "nopass", "~*", "+@all");
        try (Jedis self = as("self", "x")) {
            assertThat(self.aclDelUser("self")).isEqualTo(1L);
            assertThatThrownBy(self::ping).isInstanceOf(JedisConnectionException.class);
        }
        assertThatThrownBy(() -> jedis.aclDelUser("default")).hasMessage("ERR The 'default' user cannot be removed");
    }

    @Test
    void channelRulesAndRevokedSubscribersAreDisconnected() throws Exception {
        jedis.aclSetUser("sub", "on", "nopass", "resetchannels", "&news", "&sport:*", "+@all");
        try (Jedis s = as("sub", "x")) {
            assertThat(s.aclDryRun("sub", "psubscribe", "sport:*")).isEqualTo("OK");
            assertThat(s.aclDryRun("sub", "psubscribe", "sport:a*"))
                    .isEqualTo("User sub has no permissions to access the 'sport:a*' channel");
            assertThat(s.aclDryRun("sub", "subscribe", "sport:tennis")).isEqualTo("OK");
        }
        try (io.keyline.testkit.RespClient r = new io.keyline.testkit.RespClient(port())) {
            assertThat(r.value("AUTH", "sub", "x")).isEqualTo("OK");
            r.send("SUBSCRIBE", "news");
            r.value(); // subscribe confirmation
            jedis.aclSetUser("sub", "resetchannels", "&sport:*");
            assertThatThrownBy(() -> {
                r.send("PING");
                r.value();
            }).isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void requirepassIsTheDefaultUsersPassword() {
        jedis.configSet("requirepass", "topsecret");
        try (Jedis fresh = newJedis()) {
            assertThatThrownBy(fresh::ping).hasMessageStartingWith("NOAUTH");
            assertThat(fresh.auth("topsecret")).isEqualTo("OK");
            assertThat(fresh.aclWhoAmI()).isEqualTo("default");
        }
        assertThat(jedis.aclGetUser("default").getPasswords())
                .containsExactly(sha256("topsecret"));
        jedis.configSet("requirepass", "");
        assertThat(jedis.aclList().get(0)).isEqualTo("user default on nopass sanitize-payload ~* &* +@all");
    }

    @Test
    void aclFileSaveAndLoadRoundTrip() throws Exception {
        Path file = Path.of(jedis.configGet("aclfile").get("aclfile"));
        jedis.aclSetUser("saved", "reset", "on", ">pw", "~a:*", "%R~b:*", "&c", "-@all", "+get", "(+set ~s:*)");
        String line = "user saved on sanitize-payload #" + sha256("pw") + " ~a:* %R~b:* resetchannels &c -@all +get"
                + " (~s:* resetchannels -@all +set)";
        assertThat(jedis.aclList()).contains(line);
        assertThat(jedis.aclSave()).isEqualTo("OK");
        assertThat(Files.readAllLines(file)).containsExactly("user default on nopass sanitize-payload ~* &* +@all", line);

        jedis.aclSetUser("unsaved", "on");
        assertThat(jedis.aclLoad()).isEqualTo("OK");
        assertThat(jedis.aclUsers()).containsExactly("default", "saved");
        try (Jedis saved = as("saved", "pw")) {
            assertThat(saved.get("a:1")).isNull();
        }

        // A file with an error changes nothing.
        Files.writeString(file, "user ok on nopass\nuser bad on +nosuchcommand\nnot-a-user\n");
        assertThatThrownBy(() -> jedis.aclLoad()).hasMessage("ERR " + file + ":2: Error in applying operation '+nosuchcommand': "
                + "Unknown command or category name in ACL. " + file + ":3 should start with user keyword followed by the username. "
                + "WARNING: ACL errors detected, no change to the previously active ACL rules was performed");
        assertThat(jedis.aclUsers()).containsExactly("default", "saved");
        Files.writeString(file, "user default on nopass ~* &* +@all\n");
        assertThat(jedis.aclLoad()).isEqualTo("OK");
        assertThat(jedis.aclUsers()).containsExactly("default");
    }

    @Test
    void commandTextsOfAclSubcommands() {
        assertThat(jedis.aclGenPass()).hasSize(64).matches("[0-9a-f]+");
        assertThat(jedis.aclGenPass(5)).hasSize(2);
        assertThat(jedis.aclCat()).hasSize(21).startsWith("keyspace", "read", "write");
        assertThat(jedis.aclCat("stream")).contains("xadd", "xgroup|create").doesNotContain("xgroup");
        assertThatThrownBy(() -> jedis.aclSetUser("x", "+nosuch"))
                .hasMessage("ERR Error in ACL SETUSER modifier '+nosuch': Unknown command or category name in ACL");
        assertThat(jedis.aclUsers()).containsExactly("default");
        jedis.aclSetUser("order", "reset", "+@all", "-@dangerous", "+flushdb", "-get", "+get");
        assertThat(jedis.aclGetUser("order").getCommands()).isEqualTo("+@all -@dangerous +flushdb +get");
        jedis.aclSetUser("order", "-config", "+config|get");
        assertThat(jedis.aclGetUser("order").getCommands()).isEqualTo("+@all -@dangerous +flushdb +get -config +config|get");
        jedis.aclSetUser("order", "+config");
        assertThat(jedis.aclGetUser("order").getCommands()).isEqualTo("+@all -@dangerous +flushdb +get +config");
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> aclLog() {
        List<Object> raw = (List<Object>) jedis.sendCommand(redis.clients.jedis.Protocol.Command.ACL, "LOG");
        return raw.stream().map(e -> {
            List<Object> kv = (List<Object>) e;
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            for (int i = 0; i < kv.size(); i += 2) {
                Object v = kv.get(i + 1);
                m.put(new String((byte[]) kv.get(i), StandardCharsets.UTF_8), v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : v);
            }
            return m;
        }).toList();
    }

    private static String sha256(String s) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (byte b : d) sb.append(String.format("%02x", b));
            return sb.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
