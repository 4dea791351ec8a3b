package io.keyline.engine;

import io.keyline.engine.CommandSpec.Flag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Acl}'s rules, descriptions and checks on a small command table, without a server. */
class AclTest {
    private final CommandTable table = table();
    private final Acl acl = new Acl(table);

    private static CommandTable table() {
        CommandTable t = new CommandTable();
        Handler none = (c, a) -> { };
        t.command("get", 2).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl("string")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access")).handler(none);
        t.command("set", -3).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1).acl("string")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW access update variable_flags")
                        .actualFlags(a -> KeySpec.bits("OW update"))).handler(none);
        t.command("lmove", 5).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 2, 1).acl("list")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW access delete"))
                .keySpec(KeySpec.index(2).range(0, 1, 0).flags("RW insert")).handler(none);
        t.command("select", 2).flags(Flag.LOADING, Flag.FAST).acl("connection").handler(none);
        t.command("publish", 3).flags(Flag.PUBSUB, Flag.LOADING, Flag.FAST).handler(none);
        t.command("psubscribe", -2).flags(Flag.PUBSUB, Flag.NOSCRIPT, Flag.LOADING).handler(none);
        t.command("auth", -2).flags(Flag.NO_AUTH, Flag.FAST).acl("connection").handler(none);
        CommandSpec config = t.command("config", -2).handler(null);
        t.subcommand(config, "get", -3).flags(Flag.ADMIN).handler(none);
        t.subcommand(config, "set", -4).flags(Flag.ADMIN).handler(none);
        return t;
    }

    private AclUser user(String... rules) {
        assertThat(acl.setUser("u", List.of(rules), null)).isNull();
        return acl.user("u");
    }

    private int check(AclUser u, String... argv) {
        byte[][] a = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) a[i] = argv[i].getBytes(StandardCharsets.ISO_8859_1);
        return acl.check(u, lookup(argv), a);
    }

    private CommandSpec lookup(String[] argv) {
        CommandSpec s = table.lookup(argv[0]);
        if (!s.subcommands.isEmpty()) s = s.subcommands.get(argv[1]);
        return s;
    }

    @Test
    void defaultUserIsUnrestricted() {
        assertThat(acl.defaultUser().unrestricted()).isTrue();
        assertThat(acl.describeUser(acl.defaultUser())).isEqualTo("user default on nopass sanitize-payload ~* &* +@all");
        assertThat(acl.defaultRequiresAuth()).isFalse();
        acl.defaultPassword("pw");
        assertThat(acl.defaultRequiresAuth()).isTrue();
        assertThat(acl.describeUser(acl.defaultUser())).isEqualTo("user default on sanitize-payload #" + Acl.hash("pw") + " ~* &* +@all");
    }

    @Test
    void commandRulesKeepTheirOrderAndReplaceEarlierOnes() {
        AclUser u = user("reset", "+@all", "-@string", "+get", "-config", "+config|get", "-get");
        assertThat(Acl.commandRules(u.state.root())).isEqualTo("+@all -@string -config +config|get -get");
        user("+config");
        assertThat(Acl.commandRules(acl.user("u").state.root())).isEqualTo("+@all -@string -get +config");
        user("nocommands", "+select|0", "+SELECT|1");
        assertThat(Acl.commandRules(acl.user("u").state.root())).isEqualTo("-@all +select|0 +select|1");
        user("-select");
        assertThat(Acl.commandRules(acl.user("u").state.root())).isEqualTo("-@all -select");
    }

    @Test
    void errorsLeaveTheUserUnchanged() {
        user("reset", "on", "+get");
        assertThat(acl.setUser("u", List.of("+set", "+nosuch"), null))
                .isEqualTo("ERR Error in ACL SETUSER modifier '+nosuch': Unknown command or category name in ACL");
        assertThat(acl.describeUser(acl.user("u"))).isEqualTo("user u on sanitize-payload resetchannels -@all +get");
        assertThat(acl.setUser("u", List.of("(+get", "~x"), null))
                .isEqualTo("ERR Unmatched parenthesis in acl selector starting at '(+get'.");
        assertThat(acl.setUser("u", List.of("+config|get|x"), null))
                .endsWith("Allowing first-arg of a subcommand is not supported");
        assertThat(acl.setUser("u", List.of("%Q~x"), null)).endsWith("': Syntax error");
    }

    @Test
    void keyPatternsNeedThePermissionsOfTheKeySpecs() {
        AclUser u = user("reset", "on", "nopass", "+@all", "%R~r:*", "%W~w:*", "~rw:*");
        assertThat(u.unrestricted()).isFalse();
        assertThat(check(u, "get", "r:1")).isEqualTo(Acl.OK);
        assertThat(check(u, "get", "w:1") & 0xff).isEqualTo(Acl.DENIED_KEY);
        assertThat(check(u, "set", "w:1", "v")).isEqualTo(Acl.OK); // SET without GET is "OW update": write only
        assertThat(check(u, "set", "r:1", "v") & 0xff).isEqualTo(Acl.DENIED_KEY);
        assertThat(check(u, "lmove", "rw:1", "w:1", "left", "left")).isEqualTo(Acl.OK);
        int r = check(u, "lmove", "r:1", "w:1", "left", "left");
        assertThat(r & 0xff).isEqualTo(Acl.DENIED_KEY);
        assertThat(r >>> 8).isEqualTo(1); // the argument that was refused
        assertThat(check(u, "auth", "x")).isEqualTo(Acl.OK);
    }

    @Test
    void selectorsAllowWhatAnyOfThemAllows() {
        AclUser u = user("reset", "on", "nopass", "+get", "~a*", "(+set ~b*)");
        assertThat(check(u, "get", "a1")).isEqualTo(Acl.OK);
        assertThat(check(u, "set", "b1", "v")).isEqualTo(Acl.OK);
        assertThat(check(u, "set", "a1", "v") & 0xff).isEqualTo(Acl.DENIED_KEY); // selector 2 runs SET, not on a1
        assertThat(check(u, "get", "b1") & 0xff).isEqualTo(Acl.DENIED_KEY);
        assertThat(check(u, "config", "get", "x") & 0xff).isEqualTo(Acl.DENIED_CMD);
        assertThat(acl.describeUser(u)).isEqualTo("user u on nopass sanitize-payload ~a* resetchannels -@all +get"
                + " (~b* resetchannels -@all +set)");
    }

    @Test
    void channelsMatchGlobsButPatternsOnlyLiterally() {
        AclUser u = user("reset", "on", "nopass", "+@all", "~*", "resetchannels", "&news:*");
        assertThat(check(u, "publish", "news:1", "m")).isEqualTo(Acl.OK);
        assertThat(check(u, "publish", "other", "m") & 0xff).isEqualTo(Acl.DENIED_CHANNEL);
        assertThat(check(u, "psubscribe", "news:*")).isEqualTo(Acl.OK);
        assertThat(check(u, "psubscribe", "news:1*") & 0xff).isEqualTo(Acl.DENIED_CHANNEL);
    }

    @Test
    void firstArgumentsOfABlockedCommand() {
        AclUser u = user("reset", "on", "nopass", "~*", "-select", "+select|0");
        assertThat(check(u, "select", "0")).isEqualTo(Acl.OK);
        assertThat(check(u, "select", "1") & 0xff).isEqualTo(Acl.DENIED_CMD);
        assertThat(Acl.errorMessage(check(u, "select", "1"), u, lookup(new String[]{"select"}), new byte[][]{"select".getBytes()}, false))
                .isEqualTo("User u has no permissions to run the 'select' command");
    }
}
