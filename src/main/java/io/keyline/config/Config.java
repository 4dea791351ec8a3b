package io.keyline.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The registry of parameters. Thread-safe for reads; writes ({@link #set}) are serialized.
 * Listeners registered with {@link #onChange} apply a new value to the running server.
 */
public final class Config {
    private final Map<String, Parameter> byName = new LinkedHashMap<>();
    private final List<Parameter> all = new ArrayList<>();

    /** A registry with every parameter at its default. */
    public static Config defaults() {
        Config c = new Config();
        Parameters.registerAll(c);
        return c;
    }

    // ---- definition DSL (used by Parameters) ------------------------------------------------

    public final class Builder {
        private final String name;
        private final Parameter.Type type;
        private String def = "";
        private long min = Long.MIN_VALUE, max = Long.MAX_VALUE;
        private String[] enumValues = new String[0];
        private boolean multi;
        private boolean mutable = true;
        private boolean effective = true;
        private boolean sensitive;
        private String[] aliases = new String[0];

        Builder(String name, Parameter.Type type) {
            this.name = name;
            this.type = type;
        }

        public Builder def(String v) {
            this.def = v;
            return this;
        }

        public Builder range(long min, long max) {
            this.min = min;
            this.max = max;
            return this;
        }

        public Builder values(String... v) {
            this.enumValues = v;
            return this;
        }

        public Builder multi() {
            this.multi = true;
            return this;
        }

        public Builder immutable() {
            this.mutable = false;
            return this;
        }

        /** Accepted for compatibility, no effect in Keyline. */
        public Builder noEffect() {
            this.effective = false;
            return this;
        }

        public Builder sensitive() {
            this.sensitive = true;
            return this;
        }

        public Builder alias(String... a) {
            this.aliases = a;
            return this;
        }

        public void add() {
            Parameter p = new Parameter(name, aliases, type, def, min, max, enumValues, multi, mutable, effective, sensitive);
            if (byName.put(name, p) != null) throw new IllegalStateException("duplicate parameter " + name);
            for (String a : aliases) byName.put(a, p);
            all.add(p);
        }
    }

    public Builder bool(String name, boolean def) {
        return new Builder(name, Parameter.Type.BOOL).def(def ? "yes" : "no");
    }

    public Builder integer(String name, long def, long min, long max) {
        return new Builder(name, Parameter.Type.INT).def(Long.toString(def)).range(min, max);
    }

    public Builder memory(String name, long def) {
        return new Builder(name, Parameter.Type.MEMORY).def(Long.toString(def)).range(0, Long.MAX_VALUE);
    }

    public Builder enumeration(String name, String def, String... values) {
        return new Builder(name, Parameter.Type.ENUM).def(def).values(values);
    }

    public Builder string(String name, String def) {
        return new Builder(name, Parameter.Type.STRING).def(def);
    }

    /** Free-form values with their own syntax (save, client-output-buffer-limit, ...). */
    public Builder special(String name, String def) {
        return new Builder(name, Parameter.Type.SPECIAL).def(def);
    }

    // ---- access ------------------------------------------------------------------------------

    public Parameter find(String name) {
        return byName.get(name.toLowerCase(Locale.ROOT));
    }

    public Collection<Parameter> parameters() {
        return all;
    }

    public String get(String name) {
        Parameter p = find(name);
        if (p == null) throw new IllegalArgumentException("no parameter " + name);
        return p.value;
    }

    public long getLong(String name) {
        return Long.parseLong(get(name));
    }

    public int getInt(String name) {
        return (int) getLong(name);
    }

    public boolean getBool(String name) {
        return "yes".equals(get(name));
    }

    /**
     * Sets a parameter. {@code atStartup} allows immutable ones. Throws {@link ConfigException} with
     * the reason (the caller adds Redis's prefix). Listeners run after the value is stored; if one
     * throws, the old value is restored and the error passed on.
     */
    public synchronized void set(String name, String raw, boolean atStartup) {
        Parameter p = find(name);
        if (p == null) throw new ConfigException("Unknown option or number of arguments for CONFIG SET - '" + name + "'");
        if (!atStartup && !p.mutable) throw new ConfigException("can't set immutable config");
        String canonical = p.canonical(raw);
        String old = p.value;
        p.value = canonical;
        try {
            for (Consumer<String> l : p.listeners) l.accept(canonical);
        } catch (ConfigException e) {
            p.value = old;
            throw e;
        } catch (RuntimeException e) {
            p.value = old;
            throw new ConfigException(e.getMessage() == null ? "invalid value" : e.getMessage());
        }
    }

    /** Runs {@code listener} now with the current value and after every change. */
    public void onChange(String name, Consumer<String> listener) {
        Parameter p = find(name);
        if (p == null) throw new IllegalArgumentException("no parameter " + name);
        synchronized (this) {
            p.listeners.add(listener);
        }
        listener.accept(p.value);
    }

    /** Parameters (canonical names) matching a glob, in registry order; each once. */
    public List<Parameter> matching(String glob) {
        List<Parameter> out = new ArrayList<>();
        byte[] pat = glob.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        for (Parameter p : all) {
            boolean hit = io.keyline.store.Bytes.globMatch(pat, p.name.getBytes(StandardCharsets.UTF_8), true);
            if (!hit) {
                for (String a : p.aliases) {
                    if (io.keyline.store.Bytes.globMatch(pat, a.getBytes(StandardCharsets.UTF_8), true) && isExactAlias(glob, a)) {
                        hit = true;
                        break;
                    }
                }
            }
            if (hit) out.add(p);
        }
        return out;
    }

    private static boolean isExactAlias(String glob, String alias) {
        return glob.equalsIgnoreCase(alias);
    }

    // ---- redis.conf --------------------------------------------------------------------------

    /** Loads a redis.conf-style file: {@code name value...} per line, {@code #} comments, quotes. */
    public void loadFile(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) continue;
            applyDirective(line, "Reading the configuration file, at line " + (i + 1));
        }
    }

    /** Applies one {@code name value...} directive (from a file or from command-line flags). */
    public void applyDirective(String line, String where) {
        List<byte[]> words = io.keyline.protocol.RespParser.splitArgs(line.getBytes(StandardCharsets.UTF_8));
        if (words == null || words.isEmpty()) {
            throw new ConfigException(fatal(where, line, "Unbalanced quotes in configuration line"));
        }
        String name = new String(words.get(0), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
        StringBuilder value = new StringBuilder();
        for (int i = 1; i < words.size(); i++) {
            if (i > 1) value.append(' ');
            value.append(new String(words.get(i), StandardCharsets.UTF_8));
        }
        Parameter p = find(name);
        if (p == null || (words.size() < 2 && p.type != Parameter.Type.SPECIAL && p.type != Parameter.Type.STRING)) {
            throw new ConfigException(fatal(where, line, "Bad directive or wrong number of arguments"));
        }
        try {
            set(name, value.toString(), true);
        } catch (ConfigException e) {
            throw new ConfigException(fatal(where, line, e.getMessage()));
        }
    }

    private static String fatal(String where, String line, String reason) {
        return "FATAL CONFIG ERROR: " + where + ": '" + line + "': " + reason;
    }
}
