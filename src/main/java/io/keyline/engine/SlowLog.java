package io.keyline.engine;

import io.keyline.session.Client;

import io.keyline.config.Config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Redis's slow log ({@code slowlog.c}): the latest {@code slowlog-max-len} commands that ran for at
 * least {@code slowlog-log-slower-than} microseconds, newest first. Arguments are trimmed as Redis
 * does (32 arguments, 128 bytes each) and secrets are redacted as 7.2 does (AUTH, HELLO AUTH,
 * CONFIG SET of sensitive parameters).
 */
public final class SlowLog {
    static final int MAX_ARGC = 32;
    static final int MAX_STRING = 128;

    /** One logged command, as SLOWLOG GET shows it. */
    public record Entry(long id, long unixSeconds, long durationMicros, byte[][] argv, String clientAddress,
                        String clientName) {
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>(); // newest first
    private long nextId;
    private volatile int size;
    private volatile long slowerThanMicros = 10_000;
    private volatile long maxLen = 128;
    private volatile Config config;

    /** Follows slowlog-log-slower-than and slowlog-max-len; sensitive CONFIG SET values are redacted via {@code config}. */
    void bind(Config config) {
        this.config = config;
        config.onChange(new ConfigListener(), "slowlog-log-slower-than", "slowlog-max-len");
    }

    /** A class rather than a lambda per parameter: see {@link Config#onChange(java.util.function.BiConsumer, String...)}. */
    private final class ConfigListener implements java.util.function.BiConsumer<String, String> {
        @Override
        public void accept(String name, String v) {
            if (name.equals("slowlog-max-len")) maxLen = Long.parseLong(v);
            else slowerThanMicros = Long.parseLong(v);
        }
    }

    /**
     * Called after every command: one compare when nothing is logged. As Redis's
     * slowlogPushEntryIfNeeded, a disabled log (negative threshold) is left alone and an enabled
     * one is trimmed to slowlog-max-len even when this command is not logged.
     */
    void pushIfNeeded(CommandSpec spec, byte[][] argv, long durationMicros, Client c) {
        long threshold = slowerThanMicros;
        if (threshold < 0) return;
        boolean log = durationMicros >= threshold && !spec.hasFlag(CommandSpec.Flag.SKIP_SLOWLOG);
        if (!log && size <= maxLen) return;
        byte[][] logged = log ? loggedArgs(spec, argv) : null;
        synchronized (this) {
            if (logged != null) {
                entries.addFirst(new Entry(nextId++, System.currentTimeMillis() / 1000, durationMicros, logged,
                        c.connection().remoteAddress(), c.name()));
            }
            while (entries.size() > maxLen) entries.removeLast();
            size = entries.size();
        }
    }

    /** The newest {@code count} entries (all of them for count -1). */
    public synchronized List<Entry> get(long count) {
        long n = count < 0 ? entries.size() : Math.min(count, entries.size());
        List<Entry> out = new ArrayList<>((int) n);
        Iterator<Entry> it = entries.iterator();
        while (n-- > 0 && it.hasNext()) out.add(it.next());
        return out;
    }

    public int length() {
        return size;
    }

    public synchronized void reset() {
        entries.clear();
        size = 0;
    }

    /** The argument vector as logged: redacted, then at most 32 arguments of at most 128 bytes. */
    byte[][] loggedArgs(CommandSpec spec, byte[][] argv) {
        boolean[] redact = Redaction.of(spec, argv, config);
        int argc = Math.min(argv.length, MAX_ARGC);
        byte[][] out = new byte[argc][];
        for (int j = 0; j < argc; j++) {
            if (argc != argv.length && j == argc - 1) {
                out[j] = ("... (" + (argv.length - argc + 1) + " more arguments)").getBytes(StandardCharsets.US_ASCII);
            } else if (redact != null && redact[j]) {
                out[j] = Redaction.REDACTED;
            } else if (argv[j].length > MAX_STRING) {
                byte[] suffix = ("... (" + (argv[j].length - MAX_STRING) + " more bytes)").getBytes(StandardCharsets.US_ASCII);
                byte[] trimmed = new byte[MAX_STRING + suffix.length];
                System.arraycopy(argv[j], 0, trimmed, 0, MAX_STRING);
                System.arraycopy(suffix, 0, trimmed, MAX_STRING, suffix.length);
                out[j] = trimmed;
            } else {
                out[j] = argv[j].clone();
            }
        }
        return out;
    }
}
