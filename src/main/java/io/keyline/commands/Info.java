package io.keyline.commands;

import io.keyline.engine.Args;
import io.keyline.engine.CommandSpec;
import io.keyline.engine.InfoSection;
import io.keyline.engine.ServerContext;
import io.keyline.engine.ServerStats;
import io.keyline.session.Client;

import io.keyline.config.Config;
import io.keyline.store.Database;
import io.keyline.store.Keyspace;
import io.keyline.store.KeyspaceStats;

import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The INFO text, in Redis's format: {@code # Section} headers, {@code field:value} lines ending in
 * CRLF, sections separated by an empty line. Values are Keyline's real numbers; fields about
 * machinery Keyline does not have (replication, forks, defrag...) are reported as Redis reports
 * them when idle. Keyline adds {@code keyline_version} (server) and {@code capacity}/{@code key_count}
 * (memory).
 */
final class Info {
    static final List<String> DEFAULT_SECTIONS = List.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "modules", "errorstats", "cluster", "keyspace");
    static final List<String> ALL_SECTIONS = List.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "modules", "commandstats", "errorstats", "latencystats", "cluster", "keyspace");

    private Info() {
    }

    /** Resolves INFO's arguments into sections, in Redis's output order. */
    static Set<String> sections(byte[][] argv, int from) {
        if (argv.length <= from) return new LinkedHashSet<>(DEFAULT_SECTIONS);
        Set<String> asked = new LinkedHashSet<>();
        for (int i = from; i < argv.length; i++) {
            String s = Args.lower(argv[i]);
            switch (s) {
                case "all", "everything" -> asked.addAll(ALL_SECTIONS);
                case "default" -> asked.addAll(DEFAULT_SECTIONS);
                default -> asked.add(s);
            }
        }
        Set<String> ordered = new LinkedHashSet<>();
        for (String s : ALL_SECTIONS) if (asked.contains(s)) ordered.add(s);
        return ordered;
    }

    static String generate(ServerContext server, Set<String> sections) {
        StringBuilder out = new StringBuilder(4096);
        for (String section : sections) {
            int before = out.length();
            if (before > 0) out.append("\r\n");
            int mark = out.length();
            if (!append(server, section, out)) out.setLength(before);
            else if (out.length() == mark) out.setLength(before);
        }
        return out.toString();
    }

    private static boolean append(ServerContext s, String section, StringBuilder out) {
        switch (section) {
            case "server" -> server(s, out);
            case "clients" -> clients(s, out);
            case "memory" -> memory(s, out);
            case "persistence" -> persistence(s, out);
            case "stats" -> stats(s, out);
            case "replication" -> replication(s, out);
            case "cpu" -> cpu(out);
            case "modules" -> out.append("# Modules\r\n");
            case "commandstats" -> commandstats(s, out);
            case "errorstats" -> errorstats(s, out);
            case "latencystats" -> latencystats(s, out);
            case "cluster" -> out.append("# Cluster\r\ncluster_enabled:0\r\n");
            case "keyspace" -> keyspace(s, out);
            default -> {
                InfoSection extra = s.infoSection(section);
                if (extra == null) return false;
                out.append("# ").append(Character.toUpperCase(section.charAt(0))).append(section.substring(1)).append("\r\n");
                appendProvided(extra, out);
            }
        }
        return true;
    }

    private static void line(StringBuilder out, String name, Object value) {
        out.append(name).append(':').append(value).append("\r\n");
    }

    /** Adds a provider's lines, making sure each ends with CRLF. */
    private static void appendProvided(InfoSection section, StringBuilder out) {
        StringBuilder sb = new StringBuilder();
        section.append(sb);
        for (String l : sb.toString().split("\r?\n")) {
            if (!l.isEmpty()) out.append(l).append("\r\n");
        }
    }

    private static void server(ServerContext s, StringBuilder out) {
        Config config = s.config();
        long now = System.currentTimeMillis();
        long uptime = (now - s.startMillis()) / 1000;
        out.append("# Server\r\n");
        line(out, "redis_version", ServerContext.VERSION);
        line(out, "redis_git_sha1", "00000000");
        line(out, "redis_git_dirty", 0);
        line(out, "redis_build_id", "0");
        line(out, "redis_mode", "standalone");
        line(out, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        line(out, "arch_bits", "64".equals(System.getProperty("sun.arch.data.model", "64")) ? 64 : 32);
        line(out, "monotonic_clock", "POSIX clock_gettime");
        line(out, "multiplexing_api", io.netty.channel.epoll.Epoll.isAvailable() ? "epoll" : "nio");
        line(out, "atomicvar_api", "c11-builtin");
        line(out, "gcc_version", "0.0.0");
        line(out, "process_id", ProcessHandle.current().pid());
        line(out, "process_supervised", "no");
        line(out, "run_id", s.runId());
        line(out, "tcp_port", s.tcpPort());
        line(out, "server_time_usec", now * 1000);
        line(out, "uptime_in_seconds", uptime);
        line(out, "uptime_in_days", uptime / 86400);
        line(out, "hz", config.get("hz"));
        line(out, "configured_hz", config.get("hz"));
        line(out, "lru_clock", (now / 1000) & ((1 << 24) - 1));
        line(out, "executable", ProcessHandle.current().info().command().orElse(""));
        line(out, "config_file", config.configFile() == null ? "" : config.configFile());
        line(out, "io_threads_active", 0);
        line(out, "keyline_version", ServerContext.KEYLINE_VERSION);
        line(out, "java_version", System.getProperty("java.version"));
    }

    private static void clients(ServerContext s, StringBuilder out) {
        int maxQbuf = 0;
        long maxObuf = 0;
        int watching = 0;
        long watchedKeys = 0;
        for (Client c : s.clients().all()) {
            maxQbuf = Math.max(maxQbuf, c.connection().queryBufferLength());
            maxObuf = Math.max(maxObuf, c.connection().outputBufferBytes());
            if (c.watchedCount() > 0) {
                watching++;
                watchedKeys += c.watchedCount();
            }
        }
        out.append("# Clients\r\n");
        line(out, "connected_clients", s.clients().size());
        line(out, "cluster_connections", 0);
        line(out, "maxclients", s.config().get("maxclients"));
        line(out, "client_recent_max_input_buffer", maxQbuf);
        line(out, "client_recent_max_output_buffer", maxObuf);
        line(out, "blocked_clients", s.clients().blockedCount());
        line(out, "tracking_clients", s.tracking().trackingClients());
        line(out, "pubsub_clients", s.pubsub().clientCount());
        line(out, "watching_clients", watching);
        line(out, "clients_in_timeout_table", 0);
        line(out, "total_watched_keys", watchedKeys);
        line(out, "total_blocking_keys", 0);
        line(out, "total_blocking_keys_on_nokey", 0);
    }

    private static void memory(ServerContext s, StringBuilder out) {
        Keyspace ks = s.keyspace();
        long used = ks.usedMemory();
        long peak = Rates.of(s).peak(used);
        Runtime rt = Runtime.getRuntime();
        long heapUsed = rt.totalMemory() - rt.freeMemory();
        long system = totalSystemMemory();
        long maxmemory = ks.maxMemory();
        out.append("# Memory\r\n");
        line(out, "used_memory", used);
        line(out, "used_memory_human", human(used));
        long rss = residentSetBytes(rt);
        line(out, "used_memory_rss", rss);
        line(out, "used_memory_rss_human", human(rss));
        line(out, "used_memory_peak", peak);
        line(out, "used_memory_peak_human", human(peak));
        line(out, "used_memory_peak_perc", percent(used, peak));
        line(out, "used_memory_overhead", 0);
        line(out, "used_memory_startup", 0);
        line(out, "used_memory_dataset", used);
        line(out, "used_memory_dataset_perc", used == 0 ? "0.00%" : "100.00%");
        line(out, "total_system_memory", system);
        line(out, "total_system_memory_human", human(system));
        scriptMemory(s, out);
        line(out, "maxmemory", maxmemory);
        line(out, "maxmemory_human", human(maxmemory));
        line(out, "maxmemory_policy", s.config().get("maxmemory-policy"));
        line(out, "capacity", ks.capacity());
        line(out, "key_count", ks.keyCount());
        line(out, "jvm_heap_used", heapUsed);
        line(out, "jvm_heap_used_human", human(heapUsed));
        line(out, "jvm_heap_max", rt.maxMemory());
        line(out, "jvm_heap_max_human", human(rt.maxMemory()));
        line(out, "mem_clients_slaves", 0); // no replicas
        long clientsMem = 0; // every client's memory as maxmemory-clients counts it (monitors included, as Redis)
        for (io.keyline.session.Client cl : s.clients().all()) clientsMem += io.keyline.session.ClientMemory.total(cl);
        line(out, "mem_clients_normal", clientsMem);
        line(out, "mem_allocator", "jvm");
        line(out, "lazyfree_pending_objects", 0); // freed synchronously: never pending (see LazyFree)
        line(out, "lazyfreed_objects", s.stats().lazyfreedObjects.sum());
    }

    /**
     * The scripting lines, named and placed as Redis 7.2's genRedisInfoString. The VM figures are estimates
     * (LuaJ lives in the Java heap, see Scripting#evalVmMemory); none of the engines is created for this.
     */
    private static void scriptMemory(ServerContext s, StringBuilder out) {
        io.keyline.scripting.Scripting eval = io.keyline.scripting.Scripting.of(s);
        io.keyline.scripting.Functions fn = io.keyline.scripting.Functions.of(s);
        long vmEval = eval.evalVmMemory();
        long vmFunctions = fn.vmMemory();
        long scriptsEval = eval.cachedScriptsMemory();
        long functions = fn.memoryOverhead();
        line(out, "used_memory_lua", vmEval); // deprecated in 7.0 (renamed used_memory_vm_eval), still shown
        line(out, "used_memory_vm_eval", vmEval);
        line(out, "used_memory_lua_human", human(vmEval));
        line(out, "used_memory_scripts_eval", scriptsEval);
        line(out, "number_of_cached_scripts", eval.cachedScripts());
        line(out, "number_of_functions", fn.functionCount());
        line(out, "number_of_libraries", fn.libraryCount());
        line(out, "used_memory_vm_functions", vmFunctions);
        line(out, "used_memory_vm_total", vmEval + vmFunctions);
        line(out, "used_memory_vm_total_human", human(vmEval + vmFunctions));
        line(out, "used_memory_functions", functions);
        line(out, "used_memory_scripts", scriptsEval + functions);
        line(out, "used_memory_scripts_human", human(scriptsEval + functions));
    }

    /**
     * The process's resident set (Redis's zmalloc_get_rss), from /proc/self/status: what monitoring compares with
     * used_memory. The committed heap is neither (ZGC commits memory it has not touched yet, and the JVM's own
     * code, metaspace and buffers live outside the heap), so it stands in only where /proc is missing.
     */
    private static long residentSetBytes(Runtime rt) {
        try (BufferedReader r = Files.newBufferedReader(Path.of("/proc/self/status"))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("VmRSS:")) return 1024 * Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException e) {
            // no procfs (macOS, Windows, a restricted container): fall through
        }
        return rt.totalMemory();
    }

    private static long totalSystemMemory() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) return sun.getTotalMemorySize();
        return 0;
    }

    private static String percent(long part, long whole) {
        return String.format(Locale.ROOT, "%.2f%%", whole == 0 ? 0.0 : part * 100.0 / whole);
    }

    /** Redis's bytesToHuman. */
    static String human(long n) {
        double d = n;
        if (n < 1024) return n + "B";
        if (n < 1024L * 1024) return String.format(Locale.ROOT, "%.2fK", d / 1024);
        if (n < 1024L * 1024 * 1024) return String.format(Locale.ROOT, "%.2fM", d / (1024 * 1024));
        if (n < 1024L * 1024 * 1024 * 1024) return String.format(Locale.ROOT, "%.2fG", d / (1024L * 1024 * 1024));
        if (n < 1024L * 1024 * 1024 * 1024 * 1024) return String.format(Locale.ROOT, "%.2fT", d / (1024L * 1024 * 1024 * 1024));
        return String.format(Locale.ROOT, "%.2fP", d / (1024L * 1024 * 1024 * 1024 * 1024));
    }

    private static void persistence(ServerContext s, StringBuilder out) {
        out.append("# Persistence\r\n");
        InfoSection provided = s.infoSection("persistence");
        if (provided != null) {
            appendProvided(provided, out);
            return;
        }
        line(out, "loading", s.loading() ? 1 : 0);
        line(out, "async_loading", 0);
        line(out, "current_cow_peak", 0);
        line(out, "current_cow_size", 0);
        line(out, "current_cow_size_age", 0);
        line(out, "current_fork_perc", "0.00");
        line(out, "current_save_keys_processed", 0);
        line(out, "current_save_keys_total", 0);
        line(out, "rdb_changes_since_last_save", s.stats().dirtySinceSave.get());
        line(out, "rdb_bgsave_in_progress", 0);
        line(out, "rdb_last_save_time", s.startMillis() / 1000);
        line(out, "rdb_last_bgsave_status", "ok");
        line(out, "rdb_last_bgsave_time_sec", -1);
        line(out, "rdb_current_bgsave_time_sec", -1);
        line(out, "rdb_saves", 0);
        line(out, "rdb_last_cow_size", 0);
        line(out, "rdb_last_load_keys_expired", 0);
        line(out, "rdb_last_load_keys_loaded", 0);
        line(out, "aof_enabled", 0);
        line(out, "aof_rewrite_in_progress", 0);
        line(out, "aof_rewrite_scheduled", 0);
        line(out, "aof_last_rewrite_time_sec", -1);
        line(out, "aof_current_rewrite_time_sec", -1);
        line(out, "aof_last_bgrewrite_status", "ok");
        line(out, "aof_rewrites", 0);
        line(out, "aof_rewrites_consecutive_failures", 0);
        line(out, "aof_last_write_status", "ok");
        line(out, "aof_last_cow_size", 0);
        line(out, "module_fork_in_progress", 0);
        line(out, "module_fork_last_cow_size", 0);
    }

    private static void stats(ServerContext s, StringBuilder out) {
        ServerStats st = s.stats();
        KeyspaceStats ks = s.keyspace().stats();
        double[] rates = Rates.of(s).sample(st);
        out.append("# Stats\r\n");
        line(out, "total_connections_received", st.connectionsReceived.sum());
        line(out, "total_commands_processed", st.commandsProcessed.sum());
        line(out, "instantaneous_ops_per_sec", (long) rates[0]);
        line(out, "total_net_input_bytes", st.netInputBytes.sum());
        line(out, "total_net_output_bytes", st.netOutputBytes.sum());
        line(out, "total_net_repl_input_bytes", 0);
        line(out, "total_net_repl_output_bytes", 0);
        line(out, "instantaneous_input_kbps", String.format(Locale.ROOT, "%.2f", rates[1] / 1024));
        line(out, "instantaneous_output_kbps", String.format(Locale.ROOT, "%.2f", rates[2] / 1024));
        line(out, "instantaneous_input_repl_kbps", "0.00");
        line(out, "instantaneous_output_repl_kbps", "0.00");
        line(out, "rejected_connections", st.rejectedConnections.sum());
        line(out, "sync_full", 0);
        line(out, "sync_partial_ok", 0);
        line(out, "sync_partial_err", 0);
        line(out, "expired_keys", ks.expiredKeys.sum());
        line(out, "expired_stale_perc", "0.00");
        line(out, "expired_time_cap_reached_count", 0);
        line(out, "expire_cycle_cpu_milliseconds", 0);
        line(out, "evicted_keys", ks.evictedKeys.sum());
        line(out, "evicted_clients", st.evictedClients.sum());
        line(out, "total_eviction_exceeded_time", 0);
        line(out, "current_eviction_exceeded_time", 0);
        line(out, "keyspace_hits", ks.keyspaceHits.sum());
        line(out, "keyspace_misses", ks.keyspaceMisses.sum());
        line(out, "pubsub_channels", s.pubsub().channelCount());
        line(out, "pubsub_patterns", s.pubsub().patternCount());
        line(out, "pubsubshard_channels", s.pubsub().shardChannelCount());
        line(out, "latest_fork_usec", 0);
        line(out, "total_forks", 0);
        line(out, "migrate_cached_sockets", 0);
        line(out, "slave_expires_tracked_keys", 0);
        line(out, "active_defrag_hits", 0);
        line(out, "active_defrag_misses", 0);
        line(out, "active_defrag_key_hits", 0);
        line(out, "active_defrag_key_misses", 0);
        line(out, "total_active_defrag_time", 0);
        line(out, "current_active_defrag_time", 0);
        line(out, "tracking_total_keys", s.tracking().totalKeys());
        line(out, "tracking_total_items", s.tracking().totalItems());
        line(out, "tracking_total_prefixes", s.tracking().totalPrefixes());
        line(out, "unexpected_error_replies", 0);
        line(out, "total_error_replies", st.errorReplies.sum());
        line(out, "dump_payload_sanitizations", 0);
        line(out, "total_reads_processed", 0);
        line(out, "total_writes_processed", 0);
        line(out, "io_threaded_reads_processed", 0);
        line(out, "io_threaded_writes_processed", 0);
        long[] denied = s.acl().deniedCounts(); // Redis 7.2's ACL counters (ACL LOG reasons)
        line(out, "acl_access_denied_auth", denied[0]);
        line(out, "acl_access_denied_cmd", denied[1]);
        line(out, "acl_access_denied_key", denied[2]);
        line(out, "acl_access_denied_channel", denied[3]);
        line(out, "client_query_buffer_limit_disconnections", st.queryBufferLimitDisconnections.sum());
        line(out, "client_output_buffer_limit_disconnections", st.outputBufferLimitDisconnections.sum());
    }

    private static void replication(ServerContext s, StringBuilder out) {
        out.append("# Replication\r\n");
        line(out, "role", "master");
        line(out, "connected_slaves", 0);
        line(out, "master_failover_state", "no-failover");
        line(out, "master_replid", s.runId());
        line(out, "master_replid2", "0000000000000000000000000000000000000000");
        line(out, "master_repl_offset", 0);
        line(out, "second_repl_offset", -1);
        line(out, "repl_backlog_active", 0);
        line(out, "repl_backlog_size", s.config().get("repl-backlog-size"));
        line(out, "repl_backlog_first_byte_offset", 0);
        line(out, "repl_backlog_histlen", 0);
    }

    private static void cpu(StringBuilder out) {
        long total = 0;
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) total = Math.max(0, sun.getProcessCpuTime());
        long user = 0;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (threads.isThreadCpuTimeSupported()) {
            for (long id : threads.getAllThreadIds()) {
                long t = threads.getThreadUserTime(id);
                if (t > 0) user += t;
            }
        }
        user = Math.min(user, total);
        out.append("# CPU\r\n");
        line(out, "used_cpu_sys", seconds(total - user));
        line(out, "used_cpu_user", seconds(user));
        line(out, "used_cpu_sys_children", "0.000000");
        line(out, "used_cpu_user_children", "0.000000");
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.6f", nanos / 1e9);
    }

    private static void commandstats(ServerContext s, StringBuilder out) {
        out.append("# Commandstats\r\n");
        for (CommandSpec spec : s.table().all()) {
            commandstat(spec, out);
            for (CommandSpec sub : spec.subcommands().values()) commandstat(sub, out);
        }
    }

    private static void commandstat(CommandSpec spec, StringBuilder out) {
        long calls = spec.calls();
        if (calls == 0 && spec.failedCalls() == 0 && spec.rejectedCalls() == 0) return;
        long usec = spec.usec();
        out.append("cmdstat_").append(spec.name()).append(":calls=").append(calls).append(",usec=").append(usec)
                .append(",usec_per_call=").append(String.format(Locale.ROOT, "%.2f", calls == 0 ? 0.0 : (double) usec / calls))
                .append(",rejected_calls=").append(spec.rejectedCalls())
                .append(",failed_calls=").append(spec.failedCalls()).append("\r\n");
    }

    private static void errorstats(ServerContext s, StringBuilder out) {
        out.append("# Errorstats\r\n");
        Map<String, Long> sorted = new TreeMap<>();
        s.stats().errorCodes.forEach((k, v) -> sorted.put(k, v.sum()));
        sorted.forEach((k, v) -> out.append("errorstat_").append(k).append(":count=").append(v).append("\r\n"));
    }

    private static void latencystats(ServerContext s, StringBuilder out) {
        out.append("# Latencystats\r\n");
        s.callObserver().appendLatencyStats(s.table(), out);
    }

    private static void keyspace(ServerContext s, StringBuilder out) {
        out.append("# Keyspace\r\n");
        Keyspace ks = s.keyspace();
        for (int i = 0; i < ks.databaseCount(); i++) {
            Database db = ks.db(i);
            long keys = db.size();
            if (keys == 0) continue;
            long expires = db.volatileSize();
            out.append("db").append(i).append(":keys=").append(keys).append(",expires=").append(expires)
                    .append(",avg_ttl=").append(expires == 0 ? 0 : db.averageTtl(4)).append("\r\n");
        }
    }

    /** instantaneous_* rates: deltas between INFO calls at least 100 ms apart (Redis samples every 100 ms). */
    static final class Rates {
        private long lastNanos;
        private long lastOps, lastIn, lastOut;
        private double[] last = new double[3];

        static Rates of(ServerContext s) {
            synchronized (s) {
                Rates r = s.service(Rates.class);
                if (r == null) {
                    r = new Rates();
                    s.service(Rates.class, r);
                }
                return r;
            }
        }

        private long peakMemory;

        synchronized long peak(long used) {
            if (used > peakMemory) peakMemory = used;
            return peakMemory;
        }

        synchronized double[] sample(ServerStats st) {
            long now = System.nanoTime();
            long ops = st.commandsProcessed.sum(), in = st.netInputBytes.sum(), outBytes = st.netOutputBytes.sum();
            if (lastNanos != 0 && now - lastNanos >= 100_000_000L) {
                double secs = (now - lastNanos) / 1e9;
                last = new double[]{(ops - lastOps) / secs, (in - lastIn) / secs, (outBytes - lastOut) / secs};
            }
            if (lastNanos == 0 || now - lastNanos >= 100_000_000L) {
                lastNanos = now;
                lastOps = ops;
                lastIn = in;
                lastOut = outBytes;
            }
            return last;
        }
    }
}
