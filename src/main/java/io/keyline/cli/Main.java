package io.keyline.cli;

import io.keyline.engine.ServerContext;
import io.keyline.config.Config;
import io.keyline.config.ConfigException;
import io.keyline.server.KeylineServer;
import io.keyline.server.Logging;
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

    /** Runs the command line; returns the process exit code (the server keeps running on 0). */
    public static int run(String[] args) {
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

    @Override
    public Integer call() throws Exception {
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
        Logging.applyLevel(config.get("loglevel"));
        // Netty's leak detector records a stack trace for one buffer in 128: worth it in tests
        // (which keep it), not in a production server's hot path. -Dio.netty.leakDetection.level wins.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
        }
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
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!server.stopped()) {
                log.warn("Received shutdown signal, scheduling shutdown...");
                server.stop();
            }
        }, "keyline-signal"));
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
        new CommandLine(main).setUnmatchedArgumentsAllowed(true).setUnmatchedOptionsArePositionalParams(false)
                .setOverwrittenOptionsAllowed(true).parseArgs(list.toArray(String[]::new));
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
