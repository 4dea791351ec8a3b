package io.keyline.engine;

import io.keyline.session.Client;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The clients in MONITOR mode and what they are sent, as Redis's {@code server.monitors} and
 * {@code replicationFeedMonitors}: after a command ran, {@link Dispatcher#call} hands it here (one
 * volatile read when nobody monitors) and every monitor receives one status line
 * {@code +<sec>.<usec> [<db> <ip:port>] "arg" "arg"...}, each argument quoted as Redis's
 * {@code sdscatrepr}, secrets replaced by {@code "(redacted)"} as 7.2's
 * {@code redactClientCommandArgument} does. The line is a status reply in RESP3 too, as in Redis.
 *
 * <p>Lines are handed to each monitor's connection ({@code writeFromAnyThread}) while the
 * monitors' lock is held, so a monitor receives them in the order the commands were fed.
 */
public final class Monitors {
    private static final Client[] NONE = new Client[0];

    private final ServerContext server;
    /** Copy-on-write: the call path reads it once per command. */
    private volatile Client[] monitors = NONE;

    Monitors(ServerContext server) {
        this.server = server;
    }

    /** True if at least one client is in MONITOR mode: the call path's one volatile read. */
    boolean active() {
        return monitors.length != 0;
    }

    /** MONITOR: {@code c} receives every command fed from now on (ignored if it already monitors). */
    public synchronized void add(Client c) {
        if (c.monitor()) return;
        Client[] m = Arrays.copyOf(monitors, monitors.length + 1);
        m[m.length - 1] = c;
        c.monitor(true);
        monitors = m;
    }

    /** RESET, QUIT, a disconnect: {@code c} leaves MONITOR mode. */
    public synchronized void remove(Client c) {
        if (!c.monitor()) return;
        c.monitor(false);
        Client[] cur = monitors;
        for (int i = 0; i < cur.length; i++) {
            if (cur[i] == c) {
                Client[] m = new Client[cur.length - 1];
                System.arraycopy(cur, 0, m, 0, i);
                System.arraycopy(cur, i + 1, m, i, cur.length - i - 1);
                monitors = m;
                return;
            }
        }
    }

    public int size() {
        return monitors.length;
    }

    /**
     * Feeds a command that ran (Redis's call(): not while loading the AOF, not a blocked command's
     * re-run, not commands flagged {@code admin} or {@code skip_monitor}; the caller checks).
     */
    void feed(Client c, CommandSpec spec, byte[][] argv, boolean fromScript) {
        byte[] line = line(server.keyspace().clock().micros(), c.dbIndex(), fromScript ? "lua" : c.connection().remoteAddress(),
                argv, Redaction.of(spec, argv, server.config()));
        synchronized (this) {
            for (Client m : monitors) m.connection().writeFromAnyThread(Unpooled.wrappedBuffer(line));
        }
    }

    /** The status line Redis sends monitors (with its CRLF); {@code redact} may be null. */
    static byte[] line(long epochMicros, int db, String addr, byte[][] argv, boolean[] redact) {
        StringBuilder sb = new StringBuilder(64);
        long sec = Math.floorDiv(epochMicros, 1_000_000L);
        long usec = Math.floorMod(epochMicros, 1_000_000L);
        sb.append('+').append(sec).append('.');
        String u = Long.toString(usec);
        for (int i = u.length(); i < 6; i++) sb.append('0');
        sb.append(u).append(" [").append(db).append(' ').append(addr).append("] ");
        for (int j = 0; j < argv.length; j++) {
            if (redact != null && redact[j]) repr(sb, Redaction.REDACTED);
            else repr(sb, argv[j]);
            if (j != argv.length - 1) sb.append(' ');
        }
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Redis's {@code sdscatrepr}: a quoted string with C escapes, \xNN for non-printable bytes. */
    static void repr(StringBuilder sb, byte[] s) {
        sb.append('"');
        for (byte b : s) {
            int ch = b & 0xff;
            switch (ch) {
                case '\\', '"' -> sb.append('\\').append((char) ch);
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                default -> {
                    if (ch >= 0x20 && ch <= 0x7e) {
                        sb.append((char) ch);
                    } else {
                        sb.append("\\x");
                        if (ch < 0x10) sb.append('0');
                        sb.append(Integer.toHexString(ch));
                    }
                }
            }
        }
        sb.append('"');
    }
}
