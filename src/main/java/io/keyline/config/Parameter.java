package io.keyline.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/** One configuration parameter: name, type, default, limits and current value (canonical text). */
public final class Parameter {
    public enum Type { BOOL, INT, MEMORY, ENUM, STRING, SPECIAL }

    /** Validates a new value against the current one; returns the canonical text or throws {@link ConfigException}. */
    @FunctionalInterface
    interface Normalizer {
        String apply(String current, String candidate);
    }

    final String name;
    final String[] aliases;
    final Type type;
    final String defaultValue;
    final long min;
    final long max;
    final String[] enumValues;
    final boolean multiEnum;
    final boolean mutable;
    final boolean effective;
    final boolean sensitive;
    final boolean hidden;
    final boolean protectedConfig;
    /** Type-specific validation and canonical form beyond the type's own (save, bind, ...); may be null. */
    final Normalizer normalizer;
    /** How CONFIG GET shows the stored value when that differs from it (may be null: shown as stored). */
    final java.util.function.UnaryOperator<String> display;
    volatile String value;
    final List<Consumer<String>> listeners = new ArrayList<>();

    Parameter(String name, String[] aliases, Type type, String defaultValue, long min, long max,
              String[] enumValues, boolean multiEnum, boolean mutable, boolean effective, boolean sensitive,
              boolean hidden, boolean protectedConfig, Normalizer normalizer,
              java.util.function.UnaryOperator<String> display) {
        this.display = display;
        this.hidden = hidden;
        this.protectedConfig = protectedConfig;
        this.normalizer = normalizer;
        this.name = name;
        this.aliases = aliases;
        this.type = type;
        this.min = min;
        this.max = max;
        this.enumValues = enumValues;
        this.multiEnum = multiEnum;
        this.mutable = mutable;
        this.effective = effective;
        this.sensitive = sensitive;
        this.defaultValue = defaultValue;
        this.value = defaultValue;
    }

    public String name() {
        return name;
    }

    public String[] aliases() {
        return aliases;
    }

    public Type type() {
        return type;
    }

    public String value() {
        return value;
    }

    /**
     * The value as CONFIG GET prints it. Usually the stored value; a parameter whose Redis display
     * loses information (notify-keyspace-events drops 'n' next to 'A') stores the full form and
     * converts only here, so the effective setting and CONFIG REWRITE keep everything.
     */
    public String shown() {
        String v = value;
        return display == null ? v : display.apply(v);
    }

    public String defaultValue() {
        return defaultValue;
    }

    public boolean mutable() {
        return mutable;
    }

    /** False for parameters Keyline accepts for compatibility but does not act on. */
    public boolean effective() {
        return effective;
    }

    /** Hidden parameters (Redis's HIDDEN_CONFIG) only match CONFIG GET by exact name. */
    public boolean hidden() {
        return hidden;
    }

    /** Redis's PROTECTED_CONFIG: settable at run time only with enable-protected-configs. */
    public boolean protectedConfig() {
        return protectedConfig;
    }

    public boolean sensitive() {
        return sensitive;
    }

    /** Validates and converts user text to the canonical form CONFIG GET shows. */
    String canonical(String raw) {
        String v = canonicalByType(raw);
        return normalizer == null ? v : normalizer.apply(value, v);
    }

    private String canonicalByType(String raw) {
        switch (type) {
            case BOOL -> {
                String v = raw.toLowerCase(Locale.ROOT);
                if (v.equals("yes") || v.equals("no")) return v;
                throw new ConfigException("argument must be 'yes' or 'no'");
            }
            case INT -> {
                long v;
                try {
                    v = strictLong(raw);
                } catch (NumberFormatException e) {
                    throw new ConfigException("argument couldn't be parsed into an integer");
                }
                if (v < min || v > max) {
                    throw new ConfigException("argument must be between " + min + " and " + max + " inclusive");
                }
                return Long.toString(v);
            }
            case MEMORY -> {
                long v = parseMemory(raw);
                if (v < 0) throw new ConfigException("argument must be a memory value");
                if (v < min || v > max) {
                    throw new ConfigException("argument must be between " + min + " and " + max + " inclusive");
                }
                return Long.toString(v);
            }
            case ENUM -> {
                String v = raw.toLowerCase(Locale.ROOT).trim();
                if (multiEnum) {
                    StringBuilder sb = new StringBuilder();
                    for (String part : v.split("\\s+")) {
                        if (part.isEmpty()) continue;
                        if (!contains(enumValues, part)) throw enumError();
                        if (sb.length() > 0) sb.append(' ');
                        sb.append(part);
                    }
                    return sb.toString();
                }
                if (!contains(enumValues, v)) throw enumError();
                return v;
            }
            default -> {
                return raw;
            }
        }
    }

    /** Redis's string2ll: optional '-', digits, no spaces or '+', no leading zeros. */
    static long strictLong(String raw) {
        Long v = io.keyline.util.Bytes.parseLongOrError(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (v == null) throw new NumberFormatException(raw);
        return v;
    }

    private ConfigException enumError() {
        return new ConfigException("argument(s) must be one of the following: " + String.join(", ", enumValues));
    }

    private static boolean contains(String[] values, String v) {
        for (String s : values) if (s.equals(v)) return true;
        return false;
    }

    /** Redis memory syntax: 100, 1k (1000), 1kb (1024), 1m, 1mb, 1g, 1gb; -1 if malformed. */
    public static long parseMemory(String raw) {
        String s = raw.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) return -1;
        long mul = 1;
        String digits = s;
        String[][] units = {{"kb", "1024"}, {"mb", "1048576"}, {"gb", "1073741824"},
                {"k", "1000"}, {"m", "1000000"}, {"g", "1000000000"}, {"b", "1"}};
        for (String[] u : units) {
            if (s.endsWith(u[0])) {
                mul = Long.parseLong(u[1]);
                digits = s.substring(0, s.length() - u[0].length());
                break;
            }
        }
        try {
            long v = Long.parseLong(digits);
            if (v < 0) return -1;
            return Math.multiplyExact(v, mul);
        } catch (NumberFormatException | ArithmeticException e) {
            return -1;
        }
    }
}
