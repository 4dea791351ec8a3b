package io.keyline.commands;

import io.keyline.engine.Args;
import io.keyline.engine.CallContext;
import io.keyline.engine.CallObserver;
import io.keyline.engine.CommandSpec;
import io.keyline.engine.CommandTable;
import io.keyline.engine.Handler;
import io.keyline.engine.Help;
import io.keyline.engine.LatencyHistogram;
import io.keyline.engine.LatencyMonitor;
import io.keyline.engine.RedisException;
import io.keyline.engine.SlowLog;

import io.keyline.engine.CommandSpec.Flag;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** SLOWLOG and LATENCY: reading what {@link CallObserver} measured, with Redis 7.2's replies. */
final class MonitoringCommands {
    private static final String COUNT_ERROR = "ERR count should be greater than or equal to -1";

    private MonitoringCommands() {
    }

    static void register(CommandTable t) {
        CommandSpec slowlog = t.command("slowlog", -2).group("server")
                .doc("A container for slow log commands.", "2.2.12", "Depends on subcommand.").handler(null);
        t.subcommand(slowlog, "get", -2).flags(Flag.ADMIN, Flag.LOADING, Flag.STALE).group("server")
                .doc("Returns the slow log's entries.", "2.2.12", "O(N) where N is the number of entries returned")
                .tips("request_policy:all_nodes", "nondeterministic_output")
                .handler(Op.SLOWLOG_GET);
        t.subcommand(slowlog, "len", 2).flags(Flag.ADMIN, Flag.LOADING, Flag.STALE).group("server")
                .doc("Returns the number of entries in the slow log.", "2.2.12", "O(1)")
                .tips("request_policy:all_nodes", "response_policy:agg_sum", "nondeterministic_output")
                .handler(Op.SLOWLOG_LEN);
        t.subcommand(slowlog, "reset", 2).flags(Flag.ADMIN, Flag.LOADING, Flag.STALE).group("server")
                .doc("Clears all entries from the slow log.", "2.2.12", "O(N) where N is the number of entries in the slowlog")
                .tips("request_policy:all_nodes", "response_policy:all_succeeded")
                .handler(Op.SLOWLOG_RESET);
        t.subcommand(slowlog, "help", 2).flags(Flag.LOADING, Flag.STALE).group("server")
                .doc("Show helpful text about the different subcommands", "6.2.0", "O(1)")
                .handler(Op.SLOWLOG_HELP);

        CommandSpec latency = t.command("latency", -2).group("server")
                .doc("A container for latency diagnostics commands.", "2.8.13", "Depends on subcommand.").handler(null);
        t.subcommand(latency, "doctor", 2).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE).group("server")
                .doc("Returns a human-readable latency analysis report.", "2.8.13", "O(1)")
                .tips("nondeterministic_output", "request_policy:all_nodes", "response_policy:special")
                .handler(Op.LATENCY_DOCTOR);
        t.subcommand(latency, "graph", 3).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE).group("server")
                .doc("Returns a latency graph for an event.", "2.8.13", "O(1)")
                .tips("nondeterministic_output", "request_policy:all_nodes", "response_policy:special")
                .handler(Op.LATENCY_GRAPH);
        t.subcommand(latency, "help", 2).flags(Flag.LOADING, Flag.STALE).group("server")
                .doc("Returns helpful text about the different subcommands.", "2.8.13", "O(1)")
                .handler(Op.LATENCY_HELP);
        t.subcommand(latency, "histogram", -2).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE).group("server")
                .doc("Returns the cumulative distribution of latencies of a subset or all commands.", "7.0.0",
                        "O(N) where N is the number of commands with latency information being retrieved.")
                .tips("nondeterministic_output", "request_policy:all_nodes", "response_policy:special")
                .handler(Op.LATENCY_HISTOGRAM);
        t.subcommand(latency, "history", 3).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE).group("server")
                .doc("Returns timestamp-latency samples for an event.", "2.8.13", "O(1)")
                .tips("nondeterministic_output", "request_policy:all_nodes", "response_policy:special")
                .handler(Op.LATENCY_HISTORY);
        t.subcommand(latency, "latest", 2).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE).group("server")
                .doc("Returns the latest latency samples for all events.", "2.8.13", "O(1)")
                .tips("nondeterministic_output", "request_policy:all_nodes", "response_policy:special")
                .handler(Op.LATENCY_LATEST);
        t.subcommand(latency, "reset", -2).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE).group("server")
                .doc("Resets the latency data for one or more events.", "2.8.13", "O(1)")
                .tips("request_policy:all_nodes", "response_policy:all_succeeded")
                .handler(Op.LATENCY_RESET);
    }

    // ---- SLOWLOG -----------------------------------------------------------------------------

    /** SLOWLOG GET [count]: newest first, 10 by default, -1 for all. */
    static void slowlogGet(CallContext c, byte[][] argv) {
        if (argv.length > 3) throw Clients.subcommandSyntax("SLOWLOG", argv[1]);
        long count = 10;
        if (argv.length == 3) {
            count = Args.toLong(argv[2], COUNT_ERROR);
            if (count < -1) throw new RedisException(COUNT_ERROR);
        }
        List<SlowLog.Entry> entries = c.server().callObserver().slowLog().get(count);
        c.reply.arrayHeader(entries.size());
        for (SlowLog.Entry e : entries) {
            c.reply.arrayHeader(6);
            c.reply.integer(e.id());
            c.reply.integer(e.unixSeconds());
            c.reply.integer(e.durationMicros());
            c.reply.arrayHeader(e.argv().length);
            for (byte[] a : e.argv()) c.reply.bulk(a);
            c.reply.bulk(e.clientAddress());
            c.reply.bulk(e.clientName());
        }
    }

    static void slowlogReset(CallContext c, byte[][] argv) {
        c.server().callObserver().slowLog().reset();
        c.reply.ok();
    }

    // ---- LATENCY -----------------------------------------------------------------------------

    static void latencyLatest(CallContext c, byte[][] argv) {
        List<LatencyMonitor.Latest> latest = c.server().callObserver().latencyMonitor().latest();
        c.reply.arrayHeader(latest.size());
        for (LatencyMonitor.Latest l : latest) {
            c.reply.arrayHeader(4);
            c.reply.bulk(l.event());
            c.reply.integer(l.unixSeconds());
            c.reply.integer(l.latencyMillis());
            c.reply.integer(l.maxMillis());
        }
    }

    static void latencyHistory(CallContext c, byte[][] argv) {
        List<LatencyMonitor.Sample> samples = c.server().callObserver().latencyMonitor().history(Args.str(argv[2]));
        if (samples == null) {
            c.reply.arrayHeader(0);
            return;
        }
        c.reply.arrayHeader(samples.size());
        for (LatencyMonitor.Sample s : samples) {
            c.reply.arrayHeader(2);
            c.reply.integer(s.unixSeconds());
            c.reply.integer(s.latencyMillis());
        }
    }

    static void latencyGraph(CallContext c, byte[][] argv) {
        String event = Args.str(argv[2]);
        String graph = c.server().callObserver().latencyMonitor().graph(event);
        if (graph == null) throw new RedisException("ERR No samples available for event '" + event + "'");
        c.reply.verbatim(graph);
    }

    /** LATENCY RESET [event ...]: the number of event series removed. */
    static void latencyReset(CallContext c, byte[][] argv) {
        LatencyMonitor monitor = c.server().callObserver().latencyMonitor();
        if (argv.length == 2) {
            c.reply.integer(monitor.reset(null));
            return;
        }
        int resets = 0;
        for (int j = 2; j < argv.length; j++) resets += monitor.reset(Args.str(argv[j]));
        c.reply.integer(resets);
    }

    /**
     * LATENCY HISTOGRAM [command ...]: for each command (and, for a container, each subcommand)
     * with recorded calls, {calls, histogram_usec: {bucket upper bound in µs → cumulative count}}
     * with Redis's power-of-two buckets. Unknown commands are skipped.
     */
    static void latencyHistogram(CallContext c, byte[][] argv) {
        CallObserver observer = c.server().callObserver();
        CommandTable table = c.server().table();
        List<Map.Entry<String, LatencyHistogram>> ordered = new ArrayList<>();
        if (argv.length == 2) {
            for (CommandSpec spec : table.all()) collect(observer, spec, ordered, true);
        } else {
            for (int j = 2; j < argv.length; j++) {
                CommandSpec spec = lookup(table, Args.str(argv[j]));
                if (spec != null) collect(observer, spec, ordered, true);
            }
        }
        c.reply.mapHeader(ordered.size());
        for (Map.Entry<String, LatencyHistogram> e : ordered) {
            c.reply.bulk(e.getKey());
            histogramReply(c, e.getValue());
        }
    }

    private static void collect(CallObserver observer, CommandSpec spec, List<Map.Entry<String, LatencyHistogram>> out,
                                boolean withSubcommands) {
        LatencyHistogram h = observer.histogramOf(spec);
        if (h != null) out.add(Map.entry(spec.name(), h));
        if (withSubcommands) for (CommandSpec sub : spec.subcommands().values()) collect(observer, sub, out, false);
    }

    /** A command by name, "container|sub" naming a subcommand, as Redis's lookupCommandBySds. */
    private static CommandSpec lookup(CommandTable table, String name) {
        int bar = name.indexOf('|');
        if (bar < 0) return table.lookup(name);
        CommandSpec parent = table.lookup(name.substring(0, bar));
        if (parent == null) return null;
        return parent.subcommands().get(name.substring(bar + 1).toLowerCase(java.util.Locale.ROOT));
    }

    private static void histogramReply(CallContext c, LatencyHistogram h) {
        List<long[]> steps = new ArrayList<>();
        h.forEachLogStep(1024, 2, (highestEquivalentNanos, cumulative) -> {
            steps.add(new long[]{highestEquivalentNanos / 1000, cumulative});
            return 0;
        });
        long calls = steps.isEmpty() ? 0 : steps.get(steps.size() - 1)[1];
        c.reply.mapHeader(2);
        c.reply.bulk("calls");
        c.reply.integer(calls);
        c.reply.bulk("histogram_usec");
        c.reply.mapHeader(steps.size());
        for (long[] s : steps) {
            c.reply.integer(s[0]);
            c.reply.integer(s[1]);
        }
    }

    /** The handlers of the commands registered above, one class for all of them (see {@link Handler}). */
    private enum Op implements Handler {
        SLOWLOG_GET, SLOWLOG_LEN, SLOWLOG_RESET, SLOWLOG_HELP, LATENCY_DOCTOR, LATENCY_GRAPH, LATENCY_HELP,
        LATENCY_HISTOGRAM, LATENCY_HISTORY, LATENCY_LATEST, LATENCY_RESET;

        @Override
        public void handle(CallContext c, byte[][] argv) {
            switch (this) {
                case SLOWLOG_GET -> slowlogGet(c, argv);
                case SLOWLOG_LEN -> c.reply.integer(c.server().callObserver().slowLog().length());
                case SLOWLOG_RESET -> slowlogReset(c, argv);
                case SLOWLOG_HELP -> Help.reply(c, "SLOWLOG",
                    "GET [<count>]",
                    "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
                    "    Entries are made of:",
                    "    id, timestamp, time in microseconds, arguments array, client IP and port,",
                    "    client name",
                    "LEN",
                    "    Return the length of the slowlog.",
                    "RESET",
                    "    Reset the slowlog.");
                case LATENCY_DOCTOR -> c.reply.verbatim(c.server().callObserver().latencyMonitor().doctor());
                case LATENCY_GRAPH -> latencyGraph(c, argv);
                case LATENCY_HELP -> Help.reply(c, "LATENCY",
                    "DOCTOR",
                    "    Return a human readable latency analysis report.",
                    "GRAPH <event>",
                    "    Return an ASCII latency graph for the <event> class.",
                    "HISTORY <event>",
                    "    Return time-latency samples for the <event> class.",
                    "LATEST",
                    "    Return the latest latency samples for all events.",
                    "RESET [<event> ...]",
                    "    Reset latency data of one or more <event> classes.",
                    "    (default: reset all data for all event classes)",
                    "HISTOGRAM [COMMAND ...]",
                    "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
                    "    If no commands are specified then all histograms are replied.");
                case LATENCY_HISTOGRAM -> latencyHistogram(c, argv);
                case LATENCY_HISTORY -> latencyHistory(c, argv);
                case LATENCY_LATEST -> latencyLatest(c, argv);
                case LATENCY_RESET -> latencyReset(c, argv);
            }
        }
    }
}
