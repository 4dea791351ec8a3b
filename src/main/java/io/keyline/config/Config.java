package io.keyline.config;

import io.keyline.util.Glob;

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

import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The registry of parameters. Thread-safe for reads; writes ({@link #set}) are serialized.
 * Listeners registered with {@link #onChange} apply a new value to the running server.
 */
public final class Config {
    private final Map<String, Parameter> byName = new LinkedHashMap<>();
    private final List<Parameter> all = new ArrayList<>();
    /** The {@code user} directives (file and command line) in order: the username, then its ACL rules. */
    private final List<List<String>> users = new ArrayList<>();

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
        private boolean hidden;
        private boolean protectedConfig;
        private Parameter.Normalizer normalizer;
        private java.util.function.UnaryOperator<String> display;

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

        /** Only an exact CONFIG GET name shows it (Redis's HIDDEN_CONFIG: test and debug knobs). */
        public Builder hidden() {
            this.hidden = true;
            return this;
        }

        /** Redis's PROTECTED_CONFIG (dir, dbfilename): CONFIG SET needs enable-protected-configs. */
        public Builder protectedConfig() {
            this.protectedConfig = true;
            return this;
        }

        /** Extra validation / canonical form, throwing {@link ConfigException} with Redis's reason. */
        public Builder normalize(java.util.function.UnaryOperator<String> n) {
            this.normalizer = new CandidateOnly(n);
            return this;
        }

        /** As {@link #normalize} for values merged into the current one (client-output-buffer-limit). */
        Builder normalizeWithCurrent(Parameter.Normalizer n) {
            this.normalizer = n;
            return this;
        }

        /** How CONFIG GET shows the stored canonical value, when Redis prints less than it stores. */
        Builder display(java.util.function.UnaryOperator<String> d) {
            this.display = d;
            return this;
        }

        public Builder alias(String... a) {
            this.aliases = a;
            return this;
        }

        public void add() {
            Parameter p = new Parameter(name, aliases, type, def, min, max, enumValues, multi, mutable, effective, sensitive,
                    hidden, protectedConfig, normalizer, display);
            if (byName.put(name, p) != null) throw new IllegalStateException("duplicate parameter " + name);
            for (String a : aliases) byName.put(a, p);
            all.add(p);
        }
    }

    /** A normalizer that ignores the current value: a class, not a lambda (see {@code Validators.Check}). */
    private static final class CandidateOnly implements Parameter.Normalizer {
        private final java.util.function.UnaryOperator<String> normalize;

        CandidateOnly(java.util.function.UnaryOperator<String> normalize) {
            this.normalize = normalize;
        }

        @Override
        public String apply(String current, String candidate) {
            return normalize.apply(candidate);
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

    /**
     * CONFIG SET name value [name value ...], all or nothing, with Redis 7's checks in Redis's order:
     * unknown names, immutable/protected ones and duplicates first, then every value's validity,
     * then the changes are applied; if applying one fails the earlier ones are rolled back.
     * Error messages are complete (without the {@code ERR } prefix).
     */
    public synchronized void setAll(List<String[]> pairs, boolean protectedAllowed) {
        List<Parameter> params = new ArrayList<>(pairs.size());
        for (String[] pair : pairs) {
            Parameter p = find(pair[0]);
            if (p == null) {
                throw new ConfigException("Unknown option or number of arguments for CONFIG SET - '" + pair[0] + "'");
            }
            if (!p.mutable) throw new ConfigException(setFailed(pair[0], "can't set immutable config"));
            if (p.protectedConfig && !protectedAllowed) throw new ConfigException(setFailed(pair[0], "can't set protected config"));
            if (params.contains(p)) throw new ConfigException(setFailed(pair[0], "duplicate parameter"));
            params.add(p);
        }
        String[] values = new String[pairs.size()];
        for (int i = 0; i < values.length; i++) {
            try {
                values[i] = params.get(i).canonical(pairs.get(i)[1]);
            } catch (ConfigException e) {
                throw new ConfigException(setFailed(pairs.get(i)[0], e.getMessage()));
            }
        }
        String[] old = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            Parameter p = params.get(i);
            old[i] = p.value;
            p.value = values[i];
        }
        for (int i = 0; i < values.length; i++) {
            try {
                for (Consumer<String> l : params.get(i).listeners) l.accept(values[i]);
            } catch (RuntimeException e) {
                for (int j = 0; j < values.length; j++) params.get(j).value = old[j];
                for (int j = 0; j < i; j++) {
                    for (Consumer<String> l : params.get(j).listeners) {
                        try {
                            l.accept(old[j]);
                        } catch (RuntimeException ignored) {
                            // restoring a value that was in effect before cannot reasonably fail
                        }
                    }
                }
                String reason = e.getMessage() == null ? "invalid value" : e.getMessage();
                throw new ConfigException(setFailed(pairs.get(i)[0], reason));
            }
        }
    }

    private static String setFailed(String name, String reason) {
        return "CONFIG SET failed (possibly related to argument '" + name + "') - " + reason;
    }

    /**
     * CONFIG GET pattern [pattern ...]: name/value pairs, each parameter once. A pattern without
     * glob characters is an exact (case-insensitive) lookup and answers with the name as given;
     * glob patterns match canonical names and aliases but skip hidden parameters.
     */
    public Map<String, String> getMatching(List<String> patterns) {
        Map<String, String> out = new LinkedHashMap<>();
        java.util.Set<Parameter> seen = new java.util.HashSet<>();
        for (String pattern : patterns) {
            if (pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0 && pattern.indexOf('[') < 0) {
                Parameter p = find(pattern);
                if (p != null && !out.containsKey(pattern)) out.put(pattern, p.shown());
                continue;
            }
            byte[] pat = pattern.getBytes(StandardCharsets.UTF_8);
            for (Parameter p : all) {
                if (p.hidden) continue;
                if (!out.containsKey(p.name) && Glob.match(pat, p.name.getBytes(StandardCharsets.UTF_8), true)) {
                    out.put(p.name, p.shown());
                }
                for (String a : p.aliases) {
                    if (!out.containsKey(a) && Glob.match(pat, a.getBytes(StandardCharsets.UTF_8), true)) {
                        out.put(a, p.shown());
                    }
                }
            }
        }
        return out;
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

    /**
     * {@link #onChange(String, Consumer)} for a group of parameters handled by one method: runs {@code listener}
     * with each name (as given) and its value now, in the order given, and after every change of one of them.
     * One listener rather than a lambda per parameter because each lambda's call site is linked when it first
     * runs, ~0.2-0.4 ms interpreted (the CDS archive holds no linked call sites under ZGC on JDK 25), and the
     * server's constructors register ~40 listeners on the launcher's start path. For the same reason the server's
     * own listeners are nested classes, not method references.
     */
    public void onChange(BiConsumer<String, String> listener, String... names) {
        for (String name : names) onChange(name, new NamedListener(name, listener));
    }

    /** One parameter's listener of a group; a class rather than a lambda for the reason above. */
    private static final class NamedListener implements Consumer<String> {
        private final String name;
        private final BiConsumer<String, String> listener;

        NamedListener(String name, BiConsumer<String, String> listener) {
            this.name = name;
            this.listener = listener;
        }

        @Override
        public void accept(String value) {
            listener.accept(name, value);
        }
    }

    /** Parameters (canonical names) matching a glob, in registry order; each once. */
    public List<Parameter> matching(String glob) {
        List<Parameter> out = new ArrayList<>();
        byte[] pat = glob.getBytes(StandardCharsets.UTF_8);
        for (Parameter p : all) {
            boolean hit = Glob.match(pat, p.name.getBytes(StandardCharsets.UTF_8), true);
            for (String a : p.aliases) {
                if (!hit && Glob.match(pat, a.getBytes(StandardCharsets.UTF_8), true)) hit = true;
            }
            if (hit) out.add(p);
        }
        return out;
    }

    // ---- the config file ---------------------------------------------------------------------

    private volatile Path configFile;

    /** The redis.conf the server was started with (absolute), or null; CONFIG REWRITE writes it. */
    public Path configFile() {
        return configFile;
    }

    public void configFile(Path file) {
        this.configFile = file == null ? null : file.toAbsolutePath();
    }

    /**
     * CONFIG REWRITE, as Redis does it: lines of the file that set a known parameter are rewritten
     * with the current value (later duplicates dropped), comments and unknown lines are kept, and
     * parameters not in the file whose value differs from the default are appended after a
     * {@code # Generated by CONFIG REWRITE} line. The file is replaced atomically.
     */
    public synchronized void rewrite() throws IOException {
        Path file = configFile;
        if (file == null) throw new ConfigException("The server is running without a config file");
        List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : new ArrayList<>();
        List<String> out = new ArrayList<>();
        java.util.Set<Parameter> written = new java.util.HashSet<>();
        String marker = "# Generated by CONFIG REWRITE";
        for (String line : lines) {
            String t = line.trim();
            if (t.equals(marker)) continue;
            if (t.isEmpty() || t.startsWith("#")) {
                out.add(line);
                continue;
            }
            List<byte[]> words = io.keyline.protocol.RespParser.splitArgs(t.getBytes(StandardCharsets.UTF_8));
            Parameter p = words == null || words.isEmpty() ? null : find(new String(words.get(0), StandardCharsets.UTF_8));
            if (p == null) {
                out.add(line);
                continue;
            }
            if (written.add(p)) out.add(directive(p));
        }
        boolean markerAdded = false;
        for (Parameter p : all) {
            if (written.contains(p) || p.value.equals(p.defaultValue)) continue;
            if (!markerAdded) {
                while (!out.isEmpty() && out.get(out.size() - 1).isBlank()) out.remove(out.size() - 1);
                out.add(marker);
                markerAdded = true;
            }
            out.add(directive(p));
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        Files.write(tmp, out, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** One {@code name value} line; strings are quoted as Redis's rewrite does (sdscatrepr). */
    private static String directive(Parameter p) {
        String v = p.value;
        if (p.type == Parameter.Type.STRING) return p.name + " " + quote(v);
        if (v.isEmpty()) return p.name + " \"\"";
        return p.name + " " + v;
    }

    static String quote(String v) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte b : v.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c >= 0x20 && c < 0x7f) sb.append((char) c);
                    else sb.append(String.format("\\x%02x", c));
                }
            }
        }
        return sb.append('"').toString();
    }

    // ---- redis.conf --------------------------------------------------------------------------

    /** Loads a redis.conf-style file: {@code name value...} per line, {@code #} comments, quotes. */
    public void loadFile(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        boolean sawSave = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String where = "Reading the configuration file, at line " + (i + 1);
            // Several "save <seconds> <changes>" lines add up, as in redis.conf.
            if (line.regionMatches(true, 0, "save ", 0, 5)) {
                if (sawSave && !find("save").value.isEmpty()) {
                    List<byte[]> words = io.keyline.protocol.RespParser.splitArgs(line.getBytes(StandardCharsets.UTF_8));
                    if (words != null && words.size() == 3) {
                        line = "save \"" + find("save").value + " " + new String(words.get(1), StandardCharsets.UTF_8)
                                + " " + new String(words.get(2), StandardCharsets.UTF_8) + "\"";
                    }
                }
                sawSave = true;
            }
            applyDirective(line, where);
        }
    }

    /**
     * The users declared by {@code user name rules...} directives, each the username then its rules, loaded at
     * start (engine's ACL); not a parameter (CONFIG GET does not show them), as in Redis.
     */
    public List<List<String>> users() {
        return List.copyOf(users);
    }

    /**
     * One {@code user} directive, {@code words} being the username then its rules. Redis's ACLAppendUserForLoading:
     * a name may be declared once; the rules are checked when the users are loaded.
     */
    public void addUser(List<String> words) {
        String name = words.get(0);
        for (List<String> u : users) {
            if (u.get(0).equals(name)) {
                throw new ConfigException("Error in user declaration '" + name
                        + "': Duplicate user found. A user can only be defined once in config files");
            }
        }
        users.add(List.copyOf(words));
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
        if (name.equals("user") && words.size() >= 2) {
            List<String> declaration = new ArrayList<>();
            for (byte[] w : words.subList(1, words.size())) declaration.add(new String(w, StandardCharsets.UTF_8));
            try {
                addUser(declaration);
            } catch (ConfigException e) {
                throw new ConfigException(fatal(where, line, e.getMessage()));
            }
            return;
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
