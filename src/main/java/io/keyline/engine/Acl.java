package io.keyline.engine;

import io.keyline.engine.AclUser.KeyPattern;
import io.keyline.engine.AclUser.Selector;
import io.keyline.engine.AclUser.State;
import io.keyline.session.Client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Redis 7.2's ACL ({@code acl.c}): users and their rules, the permission check the call path makes
 * ({@link #check}), the ACL log, and the ACL file. One per server ({@link ServerContext#acl()}).
 *
 * <p>Every command (subcommands too) gets an id, a bit in each selector's bitmap. Rules change users
 * under this object's lock, on a copy of the user's state that replaces it once every rule applied
 * (all or nothing, as Redis's ACLStringSetUser); checks read the published state without locking.
 */
public final class Acl {
    public static final int OK = 0, DENIED_CMD = 1, DENIED_KEY = 2, DENIED_AUTH = 3, DENIED_CHANNEL = 4;
    public static final int CTX_TOPLEVEL = 0, CTX_MULTI = 1, CTX_LUA = 2;

    /** Redis's ACLCommandCategories, in its order (ACL CAT). */
    public static final List<String> CATEGORIES = List.of("keyspace", "read", "write", "set", "sortedset", "list",
            "hash", "string", "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking",
            "dangerous", "connection", "transaction", "scripting");

    private final CommandTable table;
    /** Every spec, containers and subcommands, indexed by its ACL id. */
    private final List<CommandSpec> byId = new ArrayList<>();
    private final int words;
    private final TreeMap<String, AclUser> users = new TreeMap<>();
    private final AclUser defaultUser;
    private volatile int pubsubDefault; // SEL_ALLCHANNELS under acl-pubsub-default allchannels
    private volatile long logMaxLen = 128;
    private final ArrayDeque<LogEntry> log = new ArrayDeque<>();
    private long logEntryCount;
    private volatile Function<Client, String> clientInfo = ClientId.INSTANCE;

    /** ACL LOG's client-info until the command table gives CLIENT INFO's line; a class, not a lambda (start-up). */
    private static final class ClientId implements Function<Client, String> {
        static final ClientId INSTANCE = new ClientId();

        @Override
        public String apply(Client c) {
            return "id=".concat(Long.toString(c.id()));
        }
    }
    final java.util.concurrent.atomic.LongAdder deniedAuth = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder deniedCmd = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder deniedKey = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder deniedChannel = new java.util.concurrent.atomic.LongAdder();

    Acl(CommandTable table) {
        this.table = table;
        for (CommandSpec s : table.all()) {
            assignId(s);
            for (CommandSpec sub : s.subcommands.values()) assignId(sub);
        }
        this.words = (byId.size() + 63) / 64 + 1;
        if (table.clientInfo() != null) this.clientInfo = table.clientInfo();
        State st = newState();
        for (String op : new String[]{"+@all", "~*", "&*", "on", "nopass"}) apply(st, op);
        this.defaultUser = new AclUser("default", st.freeze());
        users.put("default", defaultUser);
    }

    private void assignId(CommandSpec s) {
        s.aclId = byId.size();
        long mask = 0;
        for (String c : s.aclCategories) {
            int i = CATEGORIES.indexOf(c);
            if (i >= 0) mask |= 1L << i;
        }
        s.aclCategoryMask = mask;
        byId.add(s);
    }

    // ---- configuration hooks ------------------------------------------------------------------

    /** acl-pubsub-default: the channel permission of new users and of {@code reset}. */
    void pubsubDefault(String v) {
        pubsubDefault = "allchannels".equalsIgnoreCase(v) ? AclUser.SEL_ALLCHANNELS : 0;
    }

    void logMaxLen(long v) {
        synchronized (this) {
            logMaxLen = v;
            while (log.size() > v) log.removeLast();
        }
    }

    /** How ACL LOG describes a client (CLIENT INFO's line), supplied by the commands package. */
    public void clientInfo(Function<Client, String> f) {
        this.clientInfo = f;
    }

    /** requirepass: the default user's only password, or nopass when empty (Redis's ACLUpdateDefaultUserPassword). */
    synchronized void defaultPassword(String password) {
        State st = defaultUser.state.copy();
        apply(st, "resetpass");
        if (password.isEmpty()) apply(st, "nopass");
        else apply(st, ">" + new String(password.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
        defaultUser.state = st.freeze();
    }

    public AclUser defaultUser() {
        return defaultUser;
    }

    /** Redis's authRequired: the default user has a password or is off, so new connections start unauthenticated. */
    public boolean defaultRequiresAuth() {
        int f = defaultUser.state.flags;
        return (f & AclUser.USER_NOPASS) == 0 || (f & AclUser.USER_DISABLED) != 0;
    }

    /** The default user has nopass (AUTH with only a password is then an error). */
    public boolean defaultNoPass() {
        return (defaultUser.state.flags & AclUser.USER_NOPASS) != 0;
    }

    public synchronized AclUser user(String name) {
        return users.get(name);
    }

    public synchronized List<AclUser> users() {
        return new ArrayList<>(users.values());
    }

    // ---- rules (ACL SETUSER) ------------------------------------------------------------------

    /** A rule that could not be applied; the message is Redis's ACLSetUserStringError. */
    static final class RuleException extends Exception {
        final boolean unknownCommand;

        RuleException(String message) {
            this(message, false);
        }

        RuleException(String message, boolean unknownCommand) {
            super(message, null, false, false);
            this.unknownCommand = unknownCommand;
        }
    }

    private static RuleException syntax() {
        return new RuleException("Syntax error");
    }

    private static RuleException unknown() {
        return new RuleException("Unknown command or category name in ACL", true);
    }

    private State newState() {
        ArrayList<Selector> sels = new ArrayList<>();
        sels.add(newSelector(AclUser.SEL_ROOT));
        return new State(AclUser.USER_DISABLED | AclUser.USER_SANITIZE, new ArrayList<>(), sels);
    }

    private Selector newSelector(int flags) {
        return new Selector(flags | pubsubDefault, words);
    }

    /** Applies one rule to a user state being built (Redis's ACLSetUser); internal rules never fail. */
    private void apply(State st, String op) {
        try {
            setUser(st, op);
        } catch (RuleException e) {
            throw new IllegalStateException(op, e);
        }
    }

    /** Redis's ACLSetUser. */
    void setUser(State u, String op) throws RuleException {
        if (op.isEmpty()) return;
        if (op.equalsIgnoreCase("on")) {
            u.flags = (u.flags | AclUser.USER_ENABLED) & ~AclUser.USER_DISABLED;
        } else if (op.equalsIgnoreCase("off")) {
            u.flags = (u.flags | AclUser.USER_DISABLED) & ~AclUser.USER_ENABLED;
        } else if (op.equalsIgnoreCase("skip-sanitize-payload")) {
            u.flags = (u.flags | AclUser.USER_SKIP_SANITIZE) & ~AclUser.USER_SANITIZE;
        } else if (op.equalsIgnoreCase("sanitize-payload")) {
            u.flags = (u.flags | AclUser.USER_SANITIZE) & ~AclUser.USER_SKIP_SANITIZE;
        } else if (op.equalsIgnoreCase("nopass")) {
            u.flags |= AclUser.USER_NOPASS;
            u.passwords.clear();
        } else if (op.equalsIgnoreCase("resetpass")) {
            u.flags &= ~AclUser.USER_NOPASS;
            u.passwords.clear();
        } else if (op.charAt(0) == '>' || op.charAt(0) == '#') {
            String hash = op.charAt(0) == '>' ? hash(op.substring(1)) : checkedHash(op.substring(1));
            if (!u.passwords.contains(hash)) u.passwords.add(hash);
            u.flags &= ~AclUser.USER_NOPASS;
        } else if (op.charAt(0) == '<' || op.charAt(0) == '!') {
            String hash = op.charAt(0) == '<' ? hash(op.substring(1)) : checkedHash(op.substring(1));
            if (!u.passwords.remove(hash)) {
                throw new RuleException("The password you are trying to remove from the user does not exist");
            }
        } else if (op.charAt(0) == '(' && op.charAt(op.length() - 1) == ')') {
            Selector s = newSelector(0);
            for (String sub : splitArgs(op.substring(1, op.length() - 1))) setSelector(s, sub);
            u.selectors.add(s);
        } else if (op.equalsIgnoreCase("clearselectors")) {
            while (u.selectors.size() > 1) u.selectors.remove(u.selectors.size() - 1);
        } else if (op.equalsIgnoreCase("reset")) {
            setUser(u, "resetpass");
            setUser(u, "resetkeys");
            setUser(u, "resetchannels");
            if ((pubsubDefault & AclUser.SEL_ALLCHANNELS) != 0) setUser(u, "allchannels");
            setUser(u, "off");
            setUser(u, "sanitize-payload");
            setUser(u, "clearselectors");
            setUser(u, "-@all");
        } else {
            setSelector(u.root(), op);
        }
    }

    /** Redis's ACLSetSelector: key, channel and command rules. */
    void setSelector(Selector s, String op) throws RuleException {
        if (op.equalsIgnoreCase("allkeys") || op.equals("~*")) {
            s.flags |= AclUser.SEL_ALLKEYS;
            s.patterns.clear();
        } else if (op.equalsIgnoreCase("resetkeys")) {
            s.flags &= ~AclUser.SEL_ALLKEYS;
            s.patterns.clear();
        } else if (op.equalsIgnoreCase("allchannels") || op.equals("&*")) {
            s.flags |= AclUser.SEL_ALLCHANNELS;
            s.channels.clear();
            s.channelBytes.clear();
        } else if (op.equalsIgnoreCase("resetchannels")) {
            s.flags &= ~AclUser.SEL_ALLCHANNELS;
            s.channels.clear();
            s.channelBytes.clear();
        } else if (op.equalsIgnoreCase("allcommands") || op.equalsIgnoreCase("+@all")) {
            java.util.Arrays.fill(s.allowed, -1L);
            s.future = true;
            s.flags |= AclUser.SEL_ALLCOMMANDS;
            s.rules = "";
            s.firstArgs = null;
        } else if (op.equalsIgnoreCase("nocommands") || op.equalsIgnoreCase("-@all")) {
            java.util.Arrays.fill(s.allowed, 0L);
            s.future = false;
            s.flags &= ~AclUser.SEL_ALLCOMMANDS;
            s.rules = "";
            s.firstArgs = null;
        } else if (op.charAt(0) == '~' || op.charAt(0) == '%') {
            keyPattern(s, op);
        } else if (op.charAt(0) == '&') {
            if ((s.flags & AclUser.SEL_ALLCHANNELS) != 0) {
                throw new RuleException("Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid "
                        + "and does not have any effect. Try 'resetchannels' to start with an empty list of channels");
            }
            String pat = op.substring(1);
            if (hasSpaces(pat)) throw syntax();
            if (!s.channels.contains(pat)) {
                s.channels.add(pat);
                s.channelBytes.add(pat.getBytes(StandardCharsets.ISO_8859_1));
            }
            s.flags &= ~AclUser.SEL_ALLCHANNELS;
        } else if (op.charAt(0) == '+' && (op.length() < 2 || op.charAt(1) != '@')) {
            allowCommand(s, op.substring(1));
        } else if (op.charAt(0) == '-' && (op.length() < 2 || op.charAt(1) != '@')) {
            CommandSpec cmd = lookup(op.substring(1));
            if (cmd == null) throw unknown();
            changePerm(s, cmd, false);
            updateRules(s, cmd.name, false);
        } else if (op.charAt(0) == '+' || op.charAt(0) == '-') {
            int cat = CATEGORIES.indexOf(op.substring(2).toLowerCase(Locale.ROOT));
            if (cat < 0) throw unknown();
            boolean allow = op.charAt(0) == '+';
            updateRules(s, op.substring(1), allow);
            long flag = 1L << cat;
            for (CommandSpec c : byId) if ((c.aclCategoryMask & flag) != 0) changePerm(s, c, allow);
        } else {
            throw syntax();
        }
    }

    private void keyPattern(Selector s, String op) throws RuleException {
        if ((s.flags & AclUser.SEL_ALLKEYS) != 0) {
            throw new RuleException("Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and "
                    + "does not have any effect. Try 'resetkeys' to start with an empty list of patterns");
        }
        int perms = 0;
        int offset = 1;
        if (op.charAt(0) == '%') {
            for (; offset < op.length(); offset++) {
                char ch = Character.toUpperCase(op.charAt(offset));
                if (ch == 'R' && (perms & AclUser.PERM_READ) == 0) {
                    perms |= AclUser.PERM_READ;
                } else if (ch == 'W' && (perms & AclUser.PERM_WRITE) == 0) {
                    perms |= AclUser.PERM_WRITE;
                } else if (op.charAt(offset) == '~' && perms != 0) {
                    offset++;
                    break;
                } else {
                    throw syntax();
                }
            }
        } else {
            perms = AclUser.PERM_ALL;
        }
        String pat = op.substring(Math.min(offset, op.length()));
        if (hasSpaces(pat)) throw syntax();
        for (KeyPattern p : s.patterns) {
            if (p.pattern.equals(pat)) {
                p.perms |= perms;
                s.flags &= ~AclUser.SEL_ALLKEYS;
                return;
            }
        }
        s.patterns.add(new KeyPattern(pat, perms));
        s.flags &= ~AclUser.SEL_ALLKEYS;
    }

    /** +command, +container|subcommand, +command|first-arg. */
    private void allowCommand(Selector s, String name) throws RuleException {
        int bar = name.lastIndexOf('|');
        if (bar < 0) {
            CommandSpec cmd = lookup(name);
            if (cmd == null) throw unknown();
            changePerm(s, cmd, true);
            updateRules(s, cmd.name, true);
            return;
        }
        String base = name.substring(0, bar);
        String sub = name.substring(bar + 1);
        CommandSpec cmd = lookup(base);
        if (cmd == null) throw unknown();
        if (cmd.parent != null) throw new RuleException("Allowing first-arg of a subcommand is not supported");
        if (sub.isEmpty()) throw syntax();
        if (!cmd.subcommands.isEmpty()) {
            CommandSpec subSpec = lookup(name);
            if (subSpec == null) throw unknown();
            changePerm(s, subSpec, true);
        } else {
            // Redis logs a deprecation warning: allowing a first argument of a blocked command (+select|0).
            if (s.firstArgs == null) s.firstArgs = new java.util.HashMap<>();
            List<String> args = s.firstArgs.computeIfAbsent(cmd.aclId, k -> new ArrayList<>());
            boolean present = false;
            for (String a : args) present |= a.equalsIgnoreCase(sub);
            if (!present) args.add(sub);
        }
        updateRules(s, name, true);
    }

    /** Redis's lookupCommandBySdsLogic (strict): "name" or "container|sub". */
    private CommandSpec lookup(String name) {
        String[] parts = name.split("\\|", -1);
        if (parts.length < 1 || parts.length > 2) return null;
        CommandSpec base = table.lookup(parts[0]);
        if (base == null) return null;
        if (parts.length == 1) return base;
        if (base.subcommands.isEmpty()) return null;
        return base.subcommands.get(parts[1].toLowerCase(Locale.ROOT));
    }

    /** Redis's ACLChangeSelectorPerm: a container's rule applies to its subcommands too. */
    private static void changePerm(Selector s, CommandSpec cmd, boolean allow) {
        s.bit(cmd.aclId, allow);
        if (s.firstArgs != null) s.firstArgs.remove(cmd.aclId);
        for (CommandSpec sub : cmd.subcommands.values()) s.bit(sub.aclId, allow);
    }

    /**
     * Redis 7.2's ACLUpdateCommandRules: the rule is recorded lower-cased at the end, after removing
     * an earlier rule for the same command (or a subcommand / first-arg of it).
     */
    private static void updateRules(Selector s, String rule, boolean allow) {
        String r = rule.toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder();
        if (!s.rules.isEmpty()) {
            for (String existing : s.rules.split(" ")) {
                String body = existing.substring(1);
                boolean same = body.equals(r) || (body.startsWith(r) && body.length() > r.length() && body.charAt(r.length()) == '|');
                if (same) continue;
                if (out.length() > 0) out.append(' ');
                out.append(existing);
            }
        }
        if (out.length() > 0) out.append(' ');
        out.append(allow ? '+' : '-').append(r);
        s.rules = out.toString();
    }

    private static boolean hasSpaces(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || c == ' ' || (c >= '\t' && c <= '\r')) return true;
        }
        return false;
    }

    static String hash(String latin1) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(latin1.getBytes(StandardCharsets.ISO_8859_1));
            StringBuilder sb = new StringBuilder(64);
            for (byte b : d) sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String checkedHash(String h) throws RuleException {
        boolean ok = h.length() == 64;
        for (int i = 0; ok && i < h.length(); i++) {
            char c = h.charAt(i);
            ok = (c >= 'a' && c <= 'f') || (c >= '0' && c <= '9');
        }
        if (!ok) throw new RuleException("The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters");
        return h;
    }

    /**
     * Redis's ACLMergeSelectorArguments: a selector spread over several arguments ("(+get" "~k)") is one
     * rule. Returns null on an unmatched parenthesis, with its index in {@code invalid[0]}.
     */
    static List<String> mergeSelectors(List<String> ops, int[] invalid) {
        List<String> out = new ArrayList<>();
        StringBuilder sel = null;
        int start = -1;
        for (int j = 0; j < ops.size(); j++) {
            String op = ops.get(j);
            if (start == -1 && !op.isEmpty() && op.charAt(0) == '(' && op.charAt(op.length() - 1) != ')') {
                sel = new StringBuilder(op);
                start = j;
                continue;
            }
            if (start != -1) {
                sel.append(' ').append(op);
                if (!op.isEmpty() && op.charAt(op.length() - 1) == ')') {
                    start = -1;
                    out.add(sel.toString());
                }
                continue;
            }
            out.add(op);
        }
        if (start != -1) {
            if (invalid != null) invalid[0] = start;
            return null;
        }
        return out;
    }

    /** Splits a selector's inside on spaces (Redis's sdssplitargs, without quotes: rules hold no spaces). */
    private static List<String> splitArgs(String s) {
        List<String> out = new ArrayList<>();
        for (String p : s.trim().split("\\s+")) if (!p.isEmpty()) out.add(p);
        return out;
    }

    /**
     * ACL SETUSER: applies {@code ops} to a copy of the user (created if missing); all or nothing.
     * Returns null, or Redis's error text.
     */
    public synchronized String setUser(String name, List<String> ops, ServerContext server) {
        int[] invalid = new int[1];
        List<String> merged = mergeSelectors(ops, invalid);
        if (merged == null) return "ERR Unmatched parenthesis in acl selector starting at '" + ops.get(invalid[0]) + "'.";
        AclUser u = users.get(name);
        State st = u == null ? newState() : u.state.copy();
        for (String op : merged) {
            try {
                setUser(st, op);
            } catch (RuleException e) {
                return "ERR Error in ACL SETUSER modifier '" + op + "': " + e.getMessage();
            }
        }
        st.freeze();
        if (u == null) {
            users.put(name, new AclUser(name, st));
        } else {
            State old = u.state;
            u.state = st;
            killPubsubClientsIfNeeded(u, old, st, server);
        }
        return null;
    }

    /** Redis's ACLKillPubsubClientsIfNeeded: subscribers of {@code u} whose channels are no longer allowed. */
    private void killPubsubClientsIfNeeded(AclUser u, State old, State now, ServerContext server) {
        for (Selector s : now.selectors) if ((s.flags & AclUser.SEL_ALLCHANNELS) != 0) return;
        List<byte[]> upcoming = new ArrayList<>();
        for (Selector s : now.selectors) upcoming.addAll(s.channelBytes);
        boolean superset = true;
        for (Selector s : old.selectors) {
            if ((s.flags & AclUser.SEL_ALLCHANNELS) != 0) {
                superset = false;
                break;
            }
            for (byte[] ch : s.channelBytes) {
                boolean found = false;
                for (byte[] up : upcoming) found |= java.util.Arrays.equals(up, ch);
                if (!found) superset = false;
            }
        }
        if (superset || server == null) return;
        for (Client c : server.clients().all()) {
            if (c.aclUser() != u || !c.pubsub()) continue;
            boolean kill = false;
            io.keyline.pubsub.PubSub ps = server.pubsub();
            for (byte[] p : ps.subscriptions(c, io.keyline.pubsub.PubSub.Kind.PATTERN)) kill |= !listAllows(upcoming, p, true);
            for (byte[] ch : ps.subscriptions(c, io.keyline.pubsub.PubSub.Kind.CHANNEL)) kill |= !listAllows(upcoming, ch, false);
            for (byte[] ch : ps.subscriptions(c, io.keyline.pubsub.PubSub.Kind.SHARD)) kill |= !listAllows(upcoming, ch, false);
            if (kill) c.kill();
        }
    }

    private static boolean listAllows(List<byte[]> list, byte[] channel, boolean isPattern) {
        for (byte[] p : list) {
            if (isPattern ? java.util.Arrays.equals(p, channel) : io.keyline.util.Glob.match(p, channel, false)) return true;
        }
        return false;
    }

    /** ACL DELUSER: removes the users, closing their connections. Returns how many existed. */
    public int deleteUsers(List<String> names, Client current, ServerContext server) {
        List<AclUser> removed = new ArrayList<>();
        synchronized (this) {
            for (String n : names) {
                AclUser u = users.remove(n);
                if (u != null) removed.add(u);
            }
        }
        for (AclUser u : removed) killClientsOf(u, current, server);
        return removed.size();
    }

    /** Redis's ACLFreeUserAndKillClients: the user's clients go back to default, unauthenticated, and close. */
    private void killClientsOf(AclUser u, Client current, ServerContext server) {
        for (Client c : server.clients().all()) {
            if (c.aclUser() != u) continue;
            c.aclUser(defaultUser);
            c.authenticated(false);
            if (c == current) c.closeAfterReply(true);
            else c.kill();
        }
    }

    // ---- describing users (ACL LIST, GETUSER, SAVE) ---------------------------------------------

    /** Redis's ACLDescribeUser: flags, password hashes, the root selector, then the other selectors. */
    static String describe(State st) {
        String d = st.description;
        if (d != null) return d;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < AclUser.USER_FLAG_NAMES.length; i++) {
            if ((st.flags & (1 << i)) != 0) sb.append(AclUser.USER_FLAG_NAMES[i]).append(' ');
        }
        for (String p : st.passwords) sb.append('#').append(p).append(' ');
        for (Selector s : st.selectors) {
            if ((s.flags & AclUser.SEL_ROOT) != 0) sb.append(describe(s));
            else sb.append(" (").append(describe(s)).append(')');
        }
        d = sb.toString();
        st.description = d; // benign race: every thread computes the same text
        return d;
    }

    /** Redis's ACLDescribeSelector. */
    static String describe(Selector s) {
        StringBuilder sb = new StringBuilder();
        if ((s.flags & AclUser.SEL_ALLKEYS) != 0) {
            sb.append("~* ");
        } else {
            for (KeyPattern p : s.patterns) sb.append(p.describe()).append(' ');
        }
        if ((s.flags & AclUser.SEL_ALLCHANNELS) != 0) {
            sb.append("&* ");
        } else {
            sb.append("resetchannels ");
            for (String c : s.channels) sb.append('&').append(c).append(' ');
        }
        sb.append(commandRules(s));
        return sb.toString();
    }

    /** Redis 7.2's ACLDescribeSelectorCommandRules: +@all or -@all, then the rules as given. */
    static String commandRules(Selector s) {
        String base = s.future ? "+@all" : "-@all";
        return s.rules.isEmpty() ? base : base + " " + s.rules;
    }

    static String keysDescription(Selector s) {
        if ((s.flags & AclUser.SEL_ALLKEYS) != 0) return "~*";
        StringBuilder sb = new StringBuilder();
        for (KeyPattern p : s.patterns) {
            if (sb.length() > 0) sb.append(' ');
            sb.append(p.describe());
        }
        return sb.toString();
    }

    static String channelsDescription(Selector s) {
        if ((s.flags & AclUser.SEL_ALLCHANNELS) != 0) return "&*";
        StringBuilder sb = new StringBuilder();
        for (String c : s.channels) {
            if (sb.length() > 0) sb.append(' ');
            sb.append('&').append(c);
        }
        return sb.toString();
    }

    /** "user name rules..." as ACL LIST and the ACL file show it. */
    public String describeUser(AclUser u) {
        return "user " + u.name + " " + describe(u.state);
    }

    /** ACL GETUSER's reply (Redis 7.2's shape). */
    public void writeGetUser(AclUser u, io.keyline.protocol.ReplyWriter r) {
        State st = u.state;
        r.mapHeader(6);
        r.bulk("flags");
        int n = 0;
        for (int i = 0; i < AclUser.USER_FLAG_NAMES.length; i++) if ((st.flags & (1 << i)) != 0) n++;
        r.setHeader(n);
        for (int i = 0; i < AclUser.USER_FLAG_NAMES.length; i++) {
            if ((st.flags & (1 << i)) != 0) r.bulk(AclUser.USER_FLAG_NAMES[i]);
        }
        r.bulk("passwords");
        r.arrayHeader(st.passwords.size());
        for (String p : st.passwords) r.bulk(p);
        writeSelector(st.root(), r);
        r.bulk("selectors");
        r.arrayHeader(st.selectors.size() - 1);
        for (int i = 1; i < st.selectors.size(); i++) {
            r.mapHeader(3);
            writeSelector(st.selectors.get(i), r);
        }
    }

    private static void writeSelector(Selector s, io.keyline.protocol.ReplyWriter r) {
        r.bulk("commands");
        r.bulk(latin1(commandRules(s)));
        r.bulk("keys");
        r.bulk(latin1(keysDescription(s)));
        r.bulk("channels");
        r.bulk(latin1(channelsDescription(s)));
    }

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    // ---- checks -------------------------------------------------------------------------------

    /**
     * Redis's ACLCheckAllUserCommandPerm: OK if some selector allows the command with these arguments;
     * else the error (command, then key or channel, the last position no selector allows) in the low
     * byte and the argument index of the denied key or channel above it.
     */
    public int check(AclUser u, CommandSpec cmd, byte[][] argv) {
        State st = u.state;
        if (st.unrestricted) return OK;
        int relevant = DENIED_CMD;
        int lastIdx = 0;
        List<int[]> keys = null;
        for (Selector s : st.selectors) {
            int r;
            int idx = 0;
            // the selector's verdict
            if ((s.flags & AclUser.SEL_ALLCOMMANDS) == 0 && !cmd.noAuth && !s.bit(cmd.aclId) && !firstArgAllowed(s, cmd, argv)) {
                r = DENIED_CMD;
            } else {
                r = OK;
                if ((s.flags & AclUser.SEL_ALLKEYS) == 0 && hasKeys(cmd)) {
                    if (keys == null) keys = CommandSpec.keysWithFlags(cmd, argv);
                    for (int[] k : keys) {
                        if (!s.keyAllowed(argv[k[0]], k[1])) {
                            r = DENIED_KEY;
                            idx = k[0];
                            break;
                        }
                    }
                }
                if (r == OK && (s.flags & AclUser.SEL_ALLCHANNELS) == 0) {
                    int ch = channelDenied(s, cmd, argv);
                    if (ch > 0) {
                        r = DENIED_CHANNEL;
                        idx = ch;
                    }
                }
            }
            if (r == OK) return OK;
            if (r > relevant || (r == relevant && idx > lastIdx)) {
                relevant = r;
                lastIdx = idx;
            }
        }
        return relevant | (lastIdx << 8);
    }

    private static boolean firstArgAllowed(Selector s, CommandSpec cmd, byte[][] argv) {
        if (argv.length < 2 || s.firstArgs == null) return false;
        List<String> args = s.firstArgs.get(cmd.aclId);
        if (args == null) return false;
        int idx = cmd.parent != null ? 2 : 1;
        if (idx >= argv.length) return false;
        String a = new String(argv[idx], StandardCharsets.ISO_8859_1);
        for (String allowed : args) if (allowed.equalsIgnoreCase(a)) return true;
        return false;
    }

    /** Redis's doesCommandHaveKeys: key specs other than NOT_KEY ones (channels), or a key finder. */
    private static boolean hasKeys(CommandSpec cmd) {
        if (cmd.keySpecs.isEmpty()) return cmd.hasKeys();
        for (KeySpec ks : cmd.keySpecs) if (!ks.has(KeySpec.KeyFlag.NOT_KEY)) return true;
        return false;
    }

    /**
     * Redis's getChannelsFromCommand, only the publish and subscribe kinds the ACL checks (unsubscribing
     * is always allowed). Returns the index of the first channel the selector does not allow, or 0.
     */
    private static int channelDenied(Selector s, CommandSpec cmd, byte[][] argv) {
        switch (cmd.name) {
            case "publish", "spublish" -> {
                return s.channelAllowed(argv[1], false) ? 0 : 1;
            }
            case "subscribe", "ssubscribe", "psubscribe" -> {
                boolean pattern = cmd.name.charAt(0) == 'p';
                for (int i = 1; i < argv.length; i++) if (!s.channelAllowed(argv[i], pattern)) return i;
                return 0;
            }
            default -> {
                return 0;
            }
        }
    }

    /** Redis's getAclErrorMessage (verbose for ACL DRYRUN). */
    public static String errorMessage(int result, AclUser u, CommandSpec cmd, byte[][] argv, boolean verbose) {
        int code = result & 0xff;
        String arg = new String(argv[result >>> 8], StandardCharsets.ISO_8859_1);
        return switch (code) {
            case DENIED_CMD -> "User " + u.name + " has no permissions to run the '" + cmd.name + "' command";
            case DENIED_KEY -> verbose ? "User " + u.name + " has no permissions to access the '" + arg + "' key"
                    : "No permissions to access a key";
            default -> verbose ? "User " + u.name + " has no permissions to access the '" + arg + "' channel"
                    : "No permissions to access a channel";
        };
    }

    /**
     * Redis's ACLCheckUserCredentials: the user exists, is on, and has nopass or this password. On
     * success the client is authenticated as that user; on failure an "auth" entry goes to the ACL log.
     */
    public boolean authenticate(Client c, String user, byte[] password, String command) {
        AclUser u;
        synchronized (this) {
            u = users.get(user);
        }
        boolean ok = false;
        if (u != null) {
            State st = u.state;
            if ((st.flags & AclUser.USER_DISABLED) == 0) {
                if ((st.flags & AclUser.USER_NOPASS) != 0) {
                    ok = true;
                } else {
                    byte[] h = latin1(hash(new String(password, StandardCharsets.ISO_8859_1)));
                    for (String p : st.passwords) ok |= MessageDigest.isEqual(h, latin1(p));
                }
            }
        }
        if (ok) {
            c.authenticated(true);
            c.aclUser(u);
            return true;
        }
        log(c, DENIED_AUTH, c.inMulti() ? CTX_MULTI : CTX_TOPLEVEL, command, user);
        return false;
    }

    // ---- ACL LOG ------------------------------------------------------------------------------

    /** One ACL LOG entry (Redis's ACLLogEntry). */
    static final class LogEntry {
        long count = 1;
        final int reason;
        final int context;
        final String object;
        final String username;
        long ctime;
        String cinfo;
        final long entryId;
        final long created;

        LogEntry(int reason, int context, String object, String username, long ctime, String cinfo, long entryId) {
            this.reason = reason;
            this.context = context;
            this.object = object;
            this.username = username;
            this.ctime = ctime;
            this.cinfo = cinfo;
            this.entryId = entryId;
            this.created = ctime;
        }
    }

    /** Records a denial (Redis's addACLLogEntry): a similar recent entry is updated instead of added. */
    public void log(Client c, int reason, int context, String object, String username) {
        switch (reason) {
            case DENIED_AUTH -> deniedAuth.increment();
            case DENIED_CMD -> deniedCmd.increment();
            case DENIED_KEY -> deniedKey.increment();
            default -> deniedChannel.increment();
        }
        long now = System.currentTimeMillis();
        String cinfo = clientInfo.apply(c);
        synchronized (this) {
            int scanned = 0;
            for (Iterator<LogEntry> it = log.iterator(); it.hasNext() && scanned < 10; scanned++) {
                LogEntry e = it.next();
                if (e.reason == reason && e.context == context && Math.abs(e.ctime - now) <= 60000
                        && e.object.equals(object) && e.username.equals(username)) {
                    it.remove();
                    e.cinfo = cinfo;
                    e.ctime = now;
                    e.count++;
                    log.addFirst(e);
                    return;
                }
            }
            log.addFirst(new LogEntry(reason, context, object, username, now, cinfo, logEntryCount++));
            while (log.size() > logMaxLen) log.removeLast();
        }
    }

    /** Logs a command denial the way the call path reports it. */
    void logDenied(Client c, int result, int context, CommandSpec cmd, byte[][] argv, AclUser u) {
        int code = result & 0xff;
        String object = code == DENIED_CMD ? cmd.name : new String(argv[result >>> 8], StandardCharsets.ISO_8859_1);
        log(c, code, context, object, u.name);
    }

    /** INFO's acl_access_denied_auth, _cmd, _key and _channel. */
    public long[] deniedCounts() {
        return new long[]{deniedAuth.sum(), deniedCmd.sum(), deniedKey.sum(), deniedChannel.sum()};
    }

    public void resetCounters() {
        deniedAuth.reset();
        deniedCmd.reset();
        deniedKey.reset();
        deniedChannel.reset();
    }

    public synchronized void resetLog() {
        log.clear();
    }

    /** ACL LOG [count]: the newest {@code count} entries. */
    public void writeLog(long count, io.keyline.protocol.ReplyWriter r) {
        List<LogEntry> entries;
        synchronized (this) {
            entries = new ArrayList<>();
            for (LogEntry e : log) {
                if (entries.size() >= count) break;
                entries.add(e);
            }
            long now = System.currentTimeMillis();
            r.arrayHeader(entries.size());
            for (LogEntry e : entries) {
                r.mapHeader(10);
                r.bulk("count");
                r.integer(e.count);
                r.bulk("reason");
                r.bulk(switch (e.reason) {
                    case DENIED_CMD -> "command";
                    case DENIED_KEY -> "key";
                    case DENIED_CHANNEL -> "channel";
                    default -> "auth";
                });
                r.bulk("context");
                r.bulk(switch (e.context) {
                    case CTX_MULTI -> "multi";
                    case CTX_LUA -> "lua";
                    default -> "toplevel";
                });
                r.bulk("object");
                r.bulk(latin1(e.object));
                r.bulk("username");
                r.bulk(latin1(e.username));
                r.bulk("age-seconds");
                r.doubleValue((now - e.ctime) / 1000.0);
                r.bulk("client-info");
                r.bulk(latin1(e.cinfo));
                r.bulk("entry-id");
                r.integer(e.entryId);
                r.bulk("timestamp-created");
                r.integer(e.created);
                r.bulk("timestamp-last-updated");
                r.integer(e.ctime);
            }
        }
    }

    // ---- ACL CAT ------------------------------------------------------------------------------

    /** ACL CAT category: the commands (and subcommands) in it; null for an unknown category. */
    public List<String> commandsIn(String category) {
        int i = CATEGORIES.indexOf(category.toLowerCase(Locale.ROOT));
        if (i < 0) return null;
        List<String> out = new ArrayList<>();
        for (CommandSpec c : byId) if ((c.aclCategoryMask & (1L << i)) != 0) out.add(c.name);
        return out;
    }

    // ---- the ACL file -------------------------------------------------------------------------

    /**
     * Redis's ACLLoadConfiguredUsers: creates the users of the {@code user} config directives (each the username
     * then its rules; a declared {@code default} is reset first). Returns null, or the first error as Redis logs it.
     */
    public synchronized String loadConfiguredUsers(List<List<String>> declarations) {
        for (List<String> d : declarations) {
            String name = d.get(0);
            if (hasSpaces(name)) return "Spaces not allowed in ACL usernames";
            State st = newState();
            List<String> ops = mergeSelectors(d.subList(1, d.size()), null);
            if (ops == null) return "Error loading ACL rule for the user named '" + name + "': Unmatched parenthesis in acl selector";
            for (String op : ops) {
                try {
                    setUser(st, op);
                } catch (RuleException e) {
                    return "Error loading ACL rule '" + op + "' for the user named '" + name + "': " + e.getMessage();
                }
            }
            st.freeze();
            if (name.equals("default")) defaultUser.state = st;
            else users.put(name, new AclUser(name, st));
        }
        return null;
    }

    /**
     * Redis's ACLLoadFromFile: every line "user name rules..." (blank lines skipped). Nothing changes
     * unless the whole file is valid; returns null, or every error found on one line.
     */
    public String load(Path file, ServerContext server, Client current) {
        List<String> lines;
        try {
            lines = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).lines().toList();
        } catch (IOException e) {
            String reason = e instanceof java.nio.file.NoSuchFileException ? "No such file or directory" : e.getMessage();
            return "Error loading ACLs, opening file '" + file + "': " + reason;
        }
        StringBuilder errors = new StringBuilder();
        TreeMap<String, State> loaded = new TreeMap<>();
        synchronized (this) {
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                int linenum = i + 1;
                if (line.isEmpty()) continue;
                List<String> argv = new ArrayList<>(List.of(line.split(" ", -1)));
                argv.removeIf(String::isEmpty);
                if (argv.isEmpty()) continue;
                if (!argv.get(0).equals("user") || argv.size() < 2) {
                    errors.append(file).append(':').append(linenum)
                            .append(" should start with user keyword followed by the username. ");
                    continue;
                }
                String name = argv.get(1);
                if (hasSpaces(name)) {
                    errors.append("'").append(file).append(':').append(linenum).append(": username '").append(name)
                            .append("' contains invalid characters. ");
                    continue;
                }
                if (loaded.containsKey(name)) {
                    errors.append("WARNING: Duplicate user '").append(name).append("' found on line ").append(linenum).append(". ");
                    continue;
                }
                State st = newState();
                loaded.put(name, st);
                List<String> ops = mergeSelectors(argv.subList(2, argv.size()), null);
                if (ops == null) {
                    errors.append(file).append(':').append(linenum).append(": Unmatched parenthesis in selector definition.");
                    continue;
                }
                boolean syntaxError = false;
                for (String op : ops) {
                    try {
                        setUser(st, op.strip());
                    } catch (RuleException e) {
                        if (e.unknownCommand) {
                            errors.append(file).append(':').append(linenum).append(": Error in applying operation '")
                                    .append(op).append("': ").append(e.getMessage()).append(". ");
                        } else if (!syntaxError) {
                            errors.append(file).append(':').append(linenum).append(": ").append(e.getMessage()).append(". ");
                            syntaxError = true;
                        }
                    }
                }
            }
            if (errors.length() > 0) {
                return errors + "WARNING: ACL errors detected, no change to the previously active ACL rules was performed";
            }
            // The default user object stays (clients point at it); it takes the file's rules.
            State def = loaded.remove("default");
            if (def == null) {
                def = newState();
                for (String op : new String[]{"+@all", "~*", "&*", "on", "nopass"}) apply(def, op);
            }
            List<AclUser> old = new ArrayList<>(users.values());
            users.clear();
            defaultUser.state = def.freeze();
            users.put("default", defaultUser);
            for (var e : loaded.entrySet()) users.put(e.getKey(), new AclUser(e.getKey(), e.getValue().freeze()));
            old.remove(defaultUser);
            for (AclUser u : old) killClientsOf(u, current, server);
        }
        return null;
    }

    /** Redis's ACLSaveToFile: every user in ACL LIST's format, written to a temporary file then renamed. */
    public boolean save(Path file) {
        StringBuilder sb = new StringBuilder();
        for (AclUser u : users()) sb.append(describeUser(u)).append('\n');
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            Files.write(tmp, latin1(sb.toString()));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(Acl.class).warn("Saving the ACL file {}: {}", file, e.toString());
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing more to do
            }
            return false;
        }
    }
}
