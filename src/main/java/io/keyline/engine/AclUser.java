package io.keyline.engine;

import io.keyline.session.UserRef;
import io.keyline.util.Glob;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One ACL user, as Redis's {@code user} struct in {@code acl.c}: flags, password hashes and
 * selectors (the root selector first). Its rules live in an immutable {@link State} swapped as a
 * whole by ACL SETUSER (Redis applies the rules to a copy too, then copies it back), so a check on
 * any event loop reads one consistent state without locking.
 *
 * <p>Strings (names, patterns, rules) hold bytes as ISO-8859-1 characters: binary-safe, compared
 * byte for byte.
 */
public final class AclUser implements UserRef {
    static final int USER_ENABLED = 1, USER_DISABLED = 2, USER_NOPASS = 4, USER_SKIP_SANITIZE = 8, USER_SANITIZE = 16;
    /** Redis's ACLUserFlags order: the order ACL LIST and GETUSER print them. */
    static final String[] USER_FLAG_NAMES = {"on", "off", "nopass", "skip-sanitize-payload", "sanitize-payload"};

    static final int SEL_ROOT = 1, SEL_ALLKEYS = 2, SEL_ALLCHANNELS = 4, SEL_ALLCOMMANDS = 8;
    static final int PERM_READ = 1, PERM_WRITE = 2, PERM_ALL = 3;

    final String name;
    volatile State state;

    AclUser(String name, State state) {
        this.name = name;
        this.state = state;
    }

    @Override
    public String name() {
        return name;
    }

    /** True when some selector allows every command, key and channel: the call path skips the check. */
    boolean unrestricted() {
        return state.unrestricted;
    }

    /** The user's flags, passwords and selectors; not changed once published in {@link #state}. */
    static final class State {
        int flags;
        final ArrayList<String> passwords;
        final ArrayList<Selector> selectors;
        boolean unrestricted;
        String description;

        State(int flags, ArrayList<String> passwords, ArrayList<Selector> selectors) {
            this.flags = flags;
            this.passwords = passwords;
            this.selectors = selectors;
        }

        State copy() {
            ArrayList<Selector> sels = new ArrayList<>(selectors.size());
            for (Selector s : selectors) sels.add(s.copy());
            return new State(flags, new ArrayList<>(passwords), sels);
        }

        Selector root() {
            return selectors.get(0);
        }

        /** Computes what checks read (after the rules were applied, before publishing). */
        State freeze() {
            unrestricted = false;
            for (Selector s : selectors) {
                int all = SEL_ALLKEYS | SEL_ALLCHANNELS | SEL_ALLCOMMANDS;
                if ((s.flags & all) == all) unrestricted = true;
            }
            description = null;
            return this;
        }
    }

    /** A key pattern with its permissions (%R~, %W~ or both as ~). */
    static final class KeyPattern {
        final String pattern;
        final byte[] bytes;
        int perms;

        KeyPattern(String pattern, int perms) {
            this.pattern = pattern;
            this.bytes = pattern.getBytes(StandardCharsets.ISO_8859_1);
            this.perms = perms;
        }

        String describe() {
            String prefix = perms == PERM_ALL ? "~" : perms == PERM_READ ? "%R~" : "%W~";
            return prefix + pattern;
        }
    }

    /** Redis's aclSelector: allowed commands (a bit per command id), first-args, key and channel patterns. */
    static final class Selector {
        int flags;
        long[] allowed;
        /** Set only by +@all (Redis's reserved "future commands" bit): ACL LIST starts with +@all. */
        boolean future;
        /** Command id to the first arguments allowed for it while the command itself is not (+select|0). */
        Map<Integer, List<String>> firstArgs;
        final ArrayList<KeyPattern> patterns;
        final ArrayList<String> channels;
        final ArrayList<byte[]> channelBytes;
        /** Redis 7.2's command_rules: the command and category rules in the order they were given. */
        String rules = "";

        Selector(int flags, int words) {
            this.flags = flags;
            this.allowed = new long[words];
            this.patterns = new ArrayList<>();
            this.channels = new ArrayList<>();
            this.channelBytes = new ArrayList<>();
        }

        Selector copy() {
            Selector s = new Selector(flags, 0);
            s.allowed = allowed.clone();
            s.future = future;
            if (firstArgs != null) {
                s.firstArgs = new HashMap<>();
                for (Map.Entry<Integer, List<String>> e : firstArgs.entrySet()) s.firstArgs.put(e.getKey(), new ArrayList<>(e.getValue()));
            }
            for (KeyPattern p : patterns) s.patterns.add(new KeyPattern(p.pattern, p.perms));
            s.channels.addAll(channels);
            s.channelBytes.addAll(channelBytes);
            s.rules = rules;
            return s;
        }

        boolean bit(int id) {
            return (allowed[id >>> 6] & (1L << id)) != 0;
        }

        void bit(int id, boolean value) {
            if (value) {
                allowed[id >>> 6] |= 1L << id;
            } else {
                allowed[id >>> 6] &= ~(1L << id);
                flags &= ~SEL_ALLCOMMANDS;
            }
        }

        /** Redis's ACLSelectorCheckKey: a pattern with every permission the key-spec flags need, matching. */
        boolean keyAllowed(byte[] key, int keySpecFlags) {
            if ((flags & SEL_ALLKEYS) != 0) return true;
            int need = 0;
            if ((keySpecFlags & KeySpec.KeyFlag.ACCESS.bit) != 0) need |= PERM_READ;
            if ((keySpecFlags & (KeySpec.KeyFlag.INSERT.bit | KeySpec.KeyFlag.DELETE.bit | KeySpec.KeyFlag.UPDATE.bit)) != 0) {
                need |= PERM_WRITE;
            }
            for (KeyPattern p : patterns) {
                if ((p.perms & need) != need) continue;
                if (Glob.match(p.bytes, key, false)) return true;
            }
            return false;
        }

        /** Redis's ACLCheckChannelAgainstList: a PSUBSCRIBE pattern must equal an ACL pattern literally. */
        boolean channelAllowed(byte[] channel, boolean isPattern) {
            if ((flags & SEL_ALLCHANNELS) != 0) return true;
            for (byte[] p : channelBytes) {
                if (isPattern ? java.util.Arrays.equals(p, channel) : Glob.match(p, channel, false)) return true;
            }
            return false;
        }
    }
}
