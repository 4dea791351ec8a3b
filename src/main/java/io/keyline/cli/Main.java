package io.keyline.cli;

import io.keyline.engine.ServerContext;
import io.keyline.config.Config;
import io.keyline.config.ConfigException;
import io.keyline.server.KeylineServer;
import io.keyline.server.Logging;
import io.keyline.server.StartAhead;
import io.keyline.util.ProcessId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code keyline-server [/path/to/redis.conf] [options] [--name value ...]} */
@Command(name = "keyline-server", mixinStandardHelpOptions = false, sortOptions = false,
        description = "Keyline: a Redis-compatible in-memory key-value server.%n"
                + "Any Redis parameter can be given as --name value (e.g. --appendonly no), and a redis.conf-style file as the first argument.",
        footer = {"", "Examples:", "  keyline-server -p 6380 -c 100", "  keyline-server /etc/keyline.conf --loglevel verbose",
                "  keyline-server --port 7777 --maxmemory 1gb --maxmemory-policy allkeys-lru"})
public final class Main implements Callable<Integer> {
    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "TCP port (default 8080; 0 picks a free port).")
    Integer port;

    @Option(names = {"-c", "--capacity"}, paramLabel = "N", description = "Maximum number of keys (default 10000, 0 = unlimited).")
    Long capacity;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Address(es) to listen on (default 127.0.0.1).")
    String bind;

    @Option(names = "--maxmemory", paramLabel = "BYTES", description = "Memory limit, e.g. 100mb (default 0 = none).")
    String maxmemory;

    @Option(names = "--maxmemory-policy", paramLabel = "POLICY", description = "noeviction (default), allkeys-lru|lfu|random, volatile-lru|lfu|random|ttl.")
    String maxmemoryPolicy;

    @Option(names = "--databases", paramLabel = "N", description = "Number of databases (default 16).")
    Integer databases;

    @Option(names = "--loglevel", paramLabel = "LEVEL", description = "debug, verbose, notice (default), warning, nothing.")
    String loglevel;

    @Option(names = "--check-aof", paramLabel = "DIR", description = "Check an append-only directory or file and exit (with --fix: repair a truncated tail).")
    String checkAof;

    @Option(names = "--check-rdb", paramLabel = "FILE", description = "Check an RDB file (like redis-check-rdb) and exit: 0 if it is good, 1 with the offset of the first error.")
    String checkRdb;

    @Option(names = "--fix", description = "With --check-aof: truncate the file at the first bad command.")
    boolean fix;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = {"-v", "--version"}, versionHelp = true, description = "Print the version and exit.")
    boolean version;

    @Unmatched
    List<String> rest = new ArrayList<>();

    String configFile;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command line; returns the process exit code (the server keeps running on 0).
     *
     * <p>The server's start path parses the arguments by hand ({@link #parse}): picocli costs ~0.1-0.3 s
     * of a start-up (its classes are Java 5 class files, which a CDS archive cannot hold, plus the
     * reflective model of this class). Picocli still renders {@code --help} and {@code --version}, from
     * the annotations above, so the usage text stays generated from one description of the options.
     */
    public static int run(String[] args) {
        Main main = new Main();
        List<String> list = new ArrayList<>(List.of(args));
        if (!list.isEmpty() && !list.get(0).startsWith("-")) main.configFile = list.remove(0);
        try {
            if (main.parse(list)) return UsageHelp.run(args);
        } catch (IllegalArgumentException e) {
            System.err.println("keyline-server: " + e.getMessage() + " (see --help)");
            return 1;
        }
        try {
            return main.call();
        } catch (Exception e) {
            System.err.println("keyline-server: " + e.getMessage());
            return 1;
        }
    }

    /** The options that take a value, by every name they answer to. */
    private static final List<String> VALUE_OPTIONS = List.of("-p", "--port", "-c", "--capacity", "--bind", "--maxmemory",
            "--maxmemory-policy", "--databases", "--loglevel", "--check-aof", "--check-rdb");

    /**
     * Fills the option fields from {@code args} as picocli would (its {@code @Option} names, values as
     * {@code --name value}, {@code --name=value} or {@code -pVALUE}; a repeated option's last value
     * wins), everything else, in order, into {@link #rest}. Returns true when the arguments ask for
     * help or the version, which picocli answers. Throws {@link IllegalArgumentException} with a
     * one-line reason for a missing or mistyped value.
     */
    boolean parse(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "-h", "--help", "-v", "--version" -> {
                    return true;
                }
                case "--fix" -> {
                    fix = true;
                    continue;
                }
                default -> {
                }
            }
            String name = null;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0 && VALUE_OPTIONS.contains(a.substring(0, eq))) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            } else if (VALUE_OPTIONS.contains(a)) {
                name = a;
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("Missing required parameter for option '" + longName(a) + "' ("
                            + paramLabel(a) + ")");
                }
                value = args.get(++i);
            } else if ((a.startsWith("-p") || a.startsWith("-c")) && a.length() > 2 && !a.startsWith("--")) {
                name = a.substring(0, 2);
                value = a.charAt(2) == '=' ? a.substring(3) : a.substring(2);
            }
            if (name == null) {
                rest.add(a);
                continue;
            }
            switch (longName(name)) {
                case "--port" -> port = parseInt(name, value);
                case "--capacity" -> capacity = parseLong(name, value);
                case "--bind" -> bind = value;
                case "--maxmemory" -> maxmemory = value;
                case "--maxmemory-policy" -> maxmemoryPolicy = value;
                case "--databases" -> databases = parseInt(name, value);
                case "--loglevel" -> loglevel = value;
                case "--check-aof" -> checkAof = value;
                case "--check-rdb" -> checkRdb = value;
                default -> throw new IllegalStateException(name);
            }
        }
        return false;
    }

    private static String longName(String name) {
        return switch (name) {
            case "-p" -> "--port";
            case "-c" -> "--capacity";
            default -> name;
        };
    }

    private static String paramLabel(String name) {
        return switch (longName(name)) {
            case "--port" -> "PORT";
            case "--capacity", "--databases" -> "N";
            case "--bind" -> "ADDR";
            case "--maxmemory" -> "BYTES";
            case "--maxmemory-policy" -> "POLICY";
            case "--loglevel" -> "LEVEL";
            case "--check-rdb" -> "FILE";
            default -> "DIR";
        };
    }

    // The texts of picocli's own conversion errors, which scripts may have matched.
    private static Integer parseInt(String name, String value) {
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid value for option '" + longName(name) + "': '" + value + "' is not an int");
        }
    }

    private static Long parseLong(String name, String value) {
        try {
            return Long.valueOf(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid value for option '" + longName(name) + "': '" + value + "' is not a long");
        }
    }

    /** Picocli, for {@code --help} and {@code --version} only: kept in its own class so the server's start never loads it. */
    private static final class UsageHelp {
        static int run(String[] args) {
            Main main = new Main();
            List<String> list = new ArrayList<>(List.of(args));
            if (!list.isEmpty() && !list.get(0).startsWith("-")) main.configFile = list.remove(0);
            CommandLine cl = new CommandLine(main)
                    .setUnmatchedArgumentsAllowed(true)
                    .setUnmatchedOptionsArePositionalParams(false)
                    .setOverwrittenOptionsAllowed(true);
            cl.getCommandSpec().version("Keyline server v=" + ServerContext.KEYLINE_VERSION + " redis_version=" + ServerContext.VERSION);
            cl.setParameterExceptionHandler((ex, a) -> {
                System.err.println("keyline-server: " + ex.getMessage() + " (see --help)");
                return 1;
            });
            cl.setExecutionExceptionHandler((ex, c, r) -> {
                System.err.println("keyline-server: " + ex.getMessage());
                return 1;
            });
            return cl.execute(list.toArray(String[]::new));
        }
    }

    @Override
    public Integer call() throws Exception {
        if (checkAof == null && checkRdb == null) {
            // Netty's leak detector records a stack trace for one buffer in 128: worth it in tests
            // (which keep it), not in a production server's hot path. -Dio.netty.leakDetection.level wins.
            // Netty 4.2's adaptive allocator checks whether its JFR events are enabled on the first buffer it
            // allocates, which initialises JFR's event machinery: ~40 classes and 0.05-0.3 s inside the
            // first client's first reply. A server without a recording gains nothing from those events;
            // -Dio.netty.jfr.enabled=true brings them back.
            if (System.getProperty("io.netty.jfr.enabled") == null) System.setProperty("io.netty.jfr.enabled", "false");
            // A property rather than ResourceLeakDetector.setLevel, which would load Netty on this thread and,
            // through its logger, set up SLF4J before the table's thread starts.
            if (System.getProperty("io.netty.leakDetection.level") == null) {
                System.setProperty("io.netty.leakDetection.level", "disabled");
            }
            // The command table is built on another thread while this one sets up Logback and reads the configuration.
            StartAhead.commandTable();
            // The pid in Netty's channel ids: Netty asks ProcessHandle for it by reflection, whose first call spins
            // method-handle classes (~2-5 ms) on the warm-up thread that the bind waits for. The same value, given,
            // from /proc (ProcessId): ProcessHandle's own class initialisation links the JVM's first lambda and builds
            // the process reaper's thread pool.
            if (System.getProperty("io.netty.processId") == null) {
                System.setProperty("io.netty.processId", Long.toString(ProcessId.current()));
            }
            // Logback and Netty's warm-up before the configuration: neither depends on it (the log level is applied
            // below, and only to Keyline's loggers), and the main thread waits for Netty's warm-up at the bind, so
            // it starts as early as SLF4J allows. A bad configuration still ends the run below, having logged nothing.
            LauncherLogging.bind();
            StartAhead.netty(); // after SLF4J's set-up (above): Netty logs as its classes initialise
        }
        Config config;
        try {
            config = buildConfig();
        } catch (ConfigException e) {
            System.err.println("keyline-server: " + e.getMessage());
            return 1;
        }
        if (checkAof != null) {
            return CheckAof.run(Path.of(checkAof), fix);
        }
        if (checkRdb != null) {
            return CheckRdb.run(Path.of(checkRdb));
        }
        Logging.applyLevel(config.get("loglevel"));
        Logger log = LoggerFactory.getLogger(Main.class);
        KeylineServer server;
        try {
            server = new KeylineServer(config); // a bad aclfile stops here, as Redis's ACLLoadUsersAtStartup
        } catch (ConfigException e) {
            log.error(e.getMessage());
            System.err.println("keyline-server: " + e.getMessage());
            return 1;
        }
        server.exitOnShutdown(true);
        // Before start(): a SIGTERM while the AOF loads must end the process too (Redis: "during loading").
        ShutdownSignals.install(server, log);
        try {
            server.start();
        } catch (ConfigException e) {
            log.error(e.getMessage());
            System.err.println("keyline-server: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            log.error("Start-up failed: {}", e.getMessage());
            return 1;
        }
        // Every way out (SIGTERM/SIGINT via ShutdownSignals, SHUTDOWN, System.exit) ends in System.exit after
        // server.stop(); main only waits. It is the one non-daemon thread Keyline has, so the JVM never
        // lingers on a stopped server: the exit paths never wait for it.
        Thread.currentThread().join();
        return 0;
    }

    /**
     * The configuration the command line describes: defaults, then the config file (first
     * argument), then {@code --name value} directives, then the named options. Throws
     * {@link ConfigException} with a one-line reason.
     */
    Config buildConfig() {
        Config config = Config.defaults();
        if (configFile != null) {
            Path p = Path.of(configFile);
            if (!Files.isReadable(p)) throw new ConfigException("can't open config file '" + configFile + "'");
            try {
                config.loadFile(p);
            } catch (java.io.IOException e) {
                throw new ConfigException("can't read config file '" + configFile + "': " + e.getMessage());
            }
            config.configFile(p);
        }
        applyDirectives(config, rest);
        if (port != null) setOption(config, "port", port.toString());
        if (capacity != null) setOption(config, "capacity", capacity.toString());
        if (bind != null) setOption(config, "bind", bind);
        if (maxmemory != null) setOption(config, "maxmemory", maxmemory);
        if (maxmemoryPolicy != null) setOption(config, "maxmemory-policy", maxmemoryPolicy);
        if (databases != null) setOption(config, "databases", databases.toString());
        if (loglevel != null) setOption(config, "loglevel", loglevel);
        return config;
    }

    private static void setOption(Config config, String name, String value) {
        try {
            config.set(name, value, true);
        } catch (ConfigException e) {
            throw new ConfigException("invalid value for '--" + name + "' ('" + value + "'): " + e.getMessage());
        }
    }

    /** Parses a command line into its configuration without starting anything (used by tests). */
    static Config configFor(String... args) {
        Main main = new Main();
        List<String> list = new ArrayList<>(List.of(args));
        if (!list.isEmpty() && !list.get(0).startsWith("-")) main.configFile = list.remove(0);
        main.parse(list);
        return main.buildConfig();
    }

    /**
     * Applies {@code --name value [value ...]} pairs like redis-server: each {@code --name} takes
     * the following words up to the next {@code --} option.
     */
    static void applyDirectives(Config config, List<String> args) {
        int i = 0;
        while (i < args.size()) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                throw new ConfigException("unexpected argument '" + a + "' (options look like --name value)");
            }
            String name = a.substring(2);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq > 0) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            List<String> values = new ArrayList<>();
            if (inline != null) values.add(inline);
            i++;
            while (inline == null && i < args.size() && !(args.get(i).startsWith("--") && args.get(i).length() > 2)) {
                values.add(args.get(i++));
            }
            if (name.equals("user") && !values.isEmpty()) {
                // --user alice on '>pw' '~*' '+@all': one word per rule, as redis-server reads its command line
                try {
                    config.addUser(values);
                } catch (ConfigException e) {
                    throw new ConfigException("invalid value for '--user' ('" + String.join(" ", values) + "'): " + e.getMessage());
                }
                continue;
            }
            if (config.find(name) == null) {
                throw new ConfigException("unknown option '--" + name + "': Bad directive or wrong number of arguments");
            }
            if (values.isEmpty() && config.find(name).type() != io.keyline.config.Parameter.Type.SPECIAL
                    && config.find(name).type() != io.keyline.config.Parameter.Type.STRING) {
                throw new ConfigException("option '--" + name + "' needs a value");
            }
            try {
                config.set(name, String.join(" ", values), true);
            } catch (ConfigException e) {
                throw new ConfigException("invalid value for '--" + name + "' ('" + String.join(" ", values) + "'): " + e.getMessage());
            }
        }
    }
}
