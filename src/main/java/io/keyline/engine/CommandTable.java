package io.keyline.engine;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every command Keyline knows. Families register themselves explicitly in {@link #standard()}; no
 * classpath scanning. Lookup by the raw name bytes is case-insensitive and allocation-free.
 */
public final class CommandTable {
    private final Map<String, CommandSpec> byName = new LinkedHashMap<>();
    private CommandSpec[] slots = new CommandSpec[1024];
    private byte[][] slotNames = new byte[1024][];

    private java.util.function.Function<io.keyline.session.Client, String> clientInfo;

    /** How ACL LOG's client-info describes a client (CLIENT INFO's line); set by the command families. */
    public void clientInfo(java.util.function.Function<io.keyline.session.Client, String> f) {
        this.clientInfo = f;
    }

    java.util.function.Function<io.keyline.session.Client, String> clientInfo() {
        return clientInfo;
    }

    public CommandSpec.Builder command(String name, int arity) {
        return new CommandSpec.Builder(this, null, name, arity);
    }

    /** A subcommand builder: arity counts from the container command (e.g. CONFIG GET is -3). */
    public CommandSpec.Builder subcommand(CommandSpec parent, String name, int arity) {
        return new CommandSpec.Builder(this, parent, name, arity);
    }

    void add(CommandSpec spec) {
        if (byName.put(spec.name, spec) != null) throw new IllegalStateException("duplicate command " + spec.name);
        byte[] nameBytes = spec.name.getBytes(StandardCharsets.US_ASCII);
        if (byName.size() * 2 > slots.length) rehash(slots.length * 2);
        insert(nameBytes, spec);
    }

    private void insert(byte[] name, CommandSpec spec) {
        int mask = slots.length - 1;
        int i = hashLower(name, 0, name.length) & mask;
        while (slots[i] != null) i = (i + 1) & mask;
        slots[i] = spec;
        slotNames[i] = name;
    }

    private void rehash(int size) {
        CommandSpec[] old = slots;
        byte[][] oldNames = slotNames;
        slots = new CommandSpec[size];
        slotNames = new byte[size][];
        for (int i = 0; i < old.length; i++) if (old[i] != null) insert(oldNames[i], old[i]);
    }

    public CommandSpec lookup(byte[] name) {
        int mask = slots.length - 1;
        int i = hashLower(name, 0, name.length) & mask;
        while (true) {
            CommandSpec s = slots[i];
            if (s == null) return null;
            if (equalsLower(slotNames[i], name)) return s;
            i = (i + 1) & mask;
        }
    }

    public CommandSpec lookup(String name) {
        return byName.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    public Collection<CommandSpec> all() {
        return Collections.unmodifiableCollection(byName.values());
    }

    public int size() {
        return byName.size();
    }

    private static int hashLower(byte[] b, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            int c = b[i];
            if (c >= 'A' && c <= 'Z') c += 32;
            h = h * 31 + c;
        }
        return h ^ (h >>> 16);
    }

    private static boolean equalsLower(byte[] lower, byte[] any) {
        if (lower.length != any.length) return false;
        for (int i = 0; i < lower.length; i++) {
            int c = any[i];
            if (c >= 'A' && c <= 'Z') c += 32;
            if (c != lower[i]) return false;
        }
        return true;
    }
}
