package io.keyline.commands;

import io.keyline.engine.CallContext;
import io.keyline.engine.CommandSpec;
import io.keyline.engine.CommandSpec.Flag;
import io.keyline.engine.CommandTable;
import io.keyline.engine.Errors;
import io.keyline.engine.Handler;
import io.keyline.engine.RedisException;
import io.keyline.engine.ServerContext;
import io.keyline.util.Bytes;

/**
 * The cluster, replication and module commands, answered as a standalone Redis with no replicas, cluster support
 * disabled and no modules answers them (CLUSTER and READONLY: cluster support disabled; WAIT: 0 replicas; ROLE:
 * a master; REPLICAOF NO ONE: OK), so that COMMAND, COMMAND INFO and ACL CAT list what Redis lists. Names, arity,
 * flags, ACL categories, tips and documentation are Redis 7.0.15's COMMAND INFO and COMMAND DOCS. What Keyline
 * cannot do (become a replica, serve SYNC, load a module, debug a script) is refused with an error saying so.
 */
final class StandaloneCommands {
    private static final String CLUSTER_DISABLED = "ERR This instance has cluster support disabled";
    private static final String NO_REPLICATION = "ERR Keyline does not support replication";
    private static final String MODULE_NOT_ALLOWED = "ERR MODULE command not allowed. If the enable-module-command option is "
            + "set to \"local\", you can run it from a local connection, otherwise you need to set this option in the "
            + "configuration file, and then restart the server.";
    private static final String[] MODULE_HELP = {
            "MODULE <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "LIST",
            "    Return a list of loaded modules.",
            "LOAD <path> [<arg> ...]",
            "    Load a module library from <path>, passing to it any optional arguments.",
            "LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]",
            "    Load a module library from <path>, while passing it module configurations and optional arguments.",
            "UNLOAD <name>",
            "    Unload a module.",
            "HELP",
            "    Prints this help.",
    };

    private StandaloneCommands() {
    }

    static void register(CommandTable t) {
        CommandSpec script = t.lookup("script"); // SCRIPT DEBUG joins ScriptingCommands' container
        t.command("asking", 1).flags(Flag.FAST).acl("connection").group("cluster")
                .doc("Sent by cluster clients after an -ASK redirect", "3.0.0", "O(1)")
                .handler(Op.ASKING);
        CommandSpec cluster = t.command("cluster", -2).group("cluster")
                .doc("A container for cluster commands", "3.0.0", "Depends on subcommand.").handler(null);
        t.subcommand(cluster, "addslots", -3).flags(Flag.ADMIN, Flag.STALE, Flag.NO_ASYNC_LOADING).group("cluster")
                .doc("Assign new hash slots to receiving node", "3.0.0", "O(N) where N is the total number of hash slot arguments")
                .handler(Op.CLUSTER_ADDSLOTS);
        t.subcommand(cluster, "addslotsrange", -4).flags(Flag.ADMIN, Flag.STALE, Flag.NO_ASYNC_LOADING).group("cluster")
                .doc("Assign new hash slots to receiving node", "7.0.0", "O(N) where N is the total number of the slots between the start slot and end slot arguments.")
                .handler(Op.CLUSTER_ADDSLOTSRANGE);
        t.subcommand(cluster, "bumpepoch", 2).flags(Flag.ADMIN, Flag.STALE, Flag.NO_ASYNC_LOADING).group("cluster")
                .doc("Advance the cluster config epoch", "3.0.0", "O(1)")
                .tips("nondeterministic_output")
                .handler(Op.CLUSTER_BUMPEPOCH);
        t.subcommand(cluster, "count-failure-reports", 3).flags(Flag.ADMIN, Flag.STALE).group("cluster")
                .doc("Return the number of failure reports active for a given node", "3.0.0", "O(N) where N is the number of failure reports")
                .tips("nondeterministic_output")
                .handler(Op.CLUSTER_COUNT_FAILURE_REPORTS);
        t.subcommand(cluster, "countkeysinslot", 3).flags(Flag.STALE).group("cluster")
                .doc("Return the number of local keys in the specified hash slot", "3.0.0", "O(1)")
                .handler(Op.CLUSTER_COUNTKEYSINSLOT);
        t.subcommand(cluster, "delslots", -3).flags(Flag.ADMIN, Flag.STALE, Flag.NO_ASYNC_LOADING).group("cluster")
                .doc("Set hash slots as unbound in receiving node", "3.0.0", "O(N) where N is the total number of hash slot arguments")
                .handler(Op.CLUSTER_DELSLOTS);
        t.subcommand(cluster, "delslotsrange", -4).flags(Flag.ADMIN, Flag.STALE, Flag.NO_ASYNC_LOADING).group("cluster")
                .doc("Set hash slots as unbound in receiving node", "7.0.0", "O(N) where N is the total number of the slots between the start slot and end slot arguments.")
                .handler(Op.CLUSTER_DELSLOTSRANGE);
        t.subcommand(cluster, "failover", -2).flags(Flag.ADMIN, Flag.STALE, Flag.NO_ASYNC_LOADING).group("cluster")
                .doc("Forces a replica to perform a manual failover of its master.", "3.0.0", "O(1)")
                .handler(Op.CLUSTER_FAILOVER);
        t.subcommand(cluster, "flushslots", 2).flags(Flag.ADMIN, Flag.STALE, Flag.NO_ASYNC_LOADING).group("cluster")
                .doc("Delete a node's own slots information", "3.0.0", "O(1)")
                .handler(Op.CLUSTER_FLUSHSLOTS);
        t.subcommand(cluster, "forget", 3).flags(Flag.ADMIN, Flag.STALE, Flag.NO_ASYNC_LOADING).group("cluster")
                .doc("Remove a node from the nodes table", "3.0.0", "O(1)")
                .handler(Op.CLUSTER_FORGET);
        t.subcommand(cluster, "getkeysinslot", 4).flags(Flag.STALE).group("cluster")
                .doc("Return local key names in the specified hash slot", "3.0.0", "O(log(N)) where N is the number of requested keys")
                .tips("nondeterministic_output")
                .handler(Op.CLUSTER_GETKEYSINSLOT);
        t.subcommand(cluster, "help", 2).flags(Flag.LOADING, Flag.STALE).group("cluster")
                .doc("Show helpful text about the different subcommands", "5.0.0", "O(1)")
                .handler(Op.CLUSTER_HELP);
        t.subcommand(cluster, "info", 2).flags(Flag.STALE).group("cluster")
                .doc("Provides info about Redis Cluster node state", "3.0.0", "O(1)")
                .tips("nondeterministic_output")
                .handler(Op.CLUSTER_INFO);
        t.subcommand(cluster, "keyslot", 3).flags(Flag.STALE).group("cluster")
                .doc("Returns the hash slot of the specified key", "3.0.0", "O(N) where N is the number of bytes in the key")
                .handler(Op.CLUSTER_KEYSLOT);
        t.subcommand(cluster, "links", 2).flags(Flag.STALE).group("cluster")
                .doc("Returns a list of all TCP links to and from peer nodes in cluster", "7.0.0", "O(N) where N is the total number of Cluster nodes")
                .tips("nondeterministic_output")
                .handler(Op.CLUSTER_LINKS);
        t.subcommand(cluster, "meet", -4).flags(Flag.ADMIN, Flag.STALE, Flag.NO_ASYNC_LOADING).group("cluster")
                .doc("Force a node cluster to handshake with another node", "3.0.0", "O(1)")
                .handler(Op.CLUSTER_MEET);
        t.subcommand(cluster, "myid", 2).flags(Flag.STALE).group("cluster")
                .doc("Return the node id", "3.0.0", "O(1)")
                .handler(Op.CLUSTER_MYID);
        t.subcommand(cluster, "nodes", 2).flags(Flag.STALE).group("cluster")
                .doc("Get Cluster config for the node", "3.0.0", "O(N) where N is the total number of Cluster nodes")
                .tips("nondeterministic_output")
                .handler(Op.CLUSTER_NODES);
        t.subcommand(cluster, "replicas", 3).flags(Flag.ADMIN, Flag.STALE).group("cluster")
                .doc("List replica nodes of the specified master node", "5.0.0", "O(1)")
                .tips("nondeterministic_output")
                .handler(Op.CLUSTER_REPLICAS);
        t.subcommand(cluster, "replicate", 3).flags(Flag.ADMIN, Flag.STALE, Flag.NO_ASYNC_LOADING).group("cluster")
                .doc("Reconfigure a node as a replica of the specified master node", "3.0.0", "O(1)")
                .handler(Op.CLUSTER_REPLICATE);
        t.subcommand(cluster, "reset", -2).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.STALE).group("cluster")
                .doc("Reset a Redis Cluster node", "3.0.0", "O(N) where N is the number of known nodes. The command may execute a FLUSHALL as a side effect.")
                .handler(Op.CLUSTER_RESET);
        t.subcommand(cluster, "saveconfig", 2).flags(Flag.ADMIN, Flag.STALE, Flag.NO_ASYNC_LOADING).group("cluster")
                .doc("Forces the node to save cluster state on disk", "3.0.0", "O(1)")
                .handler(Op.CLUSTER_SAVECONFIG);
        t.subcommand(cluster, "set-config-epoch", 3).flags(Flag.ADMIN, Flag.STALE, Flag.NO_ASYNC_LOADING).group("cluster")
                .doc("Set the configuration epoch in a new node", "3.0.0", "O(1)")
                .handler(Op.CLUSTER_SET_CONFIG_EPOCH);
        t.subcommand(cluster, "setslot", -4).flags(Flag.ADMIN, Flag.STALE, Flag.NO_ASYNC_LOADING).group("cluster")
                .doc("Bind a hash slot to a specific node", "3.0.0", "O(1)")
                .handler(Op.CLUSTER_SETSLOT);
        t.subcommand(cluster, "shards", 2).flags(Flag.STALE).group("cluster")
                .doc("Get array of cluster slots to node mappings", "7.0.0", "O(N) where N is the total number of cluster nodes")
                .tips("nondeterministic_output")
                .handler(Op.CLUSTER_SHARDS);
        t.subcommand(cluster, "slaves", 3).flags(Flag.ADMIN, Flag.STALE).group("cluster")
                .doc("List replica nodes of the specified master node", "3.0.0", "O(1)")
                .tips("nondeterministic_output")
                .handler(Op.CLUSTER_SLAVES);
        t.subcommand(cluster, "slots", 2).flags(Flag.STALE).group("cluster")
                .doc("Get array of Cluster slot to node mappings", "3.0.0", "O(N) where N is the total number of Cluster nodes")
                .tips("nondeterministic_output")
                .handler(Op.CLUSTER_SLOTS);
        t.command("failover", -1).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.STALE).group("server")
                .doc("Start a coordinated failover between this server and one of its replicas.", "6.2.0", "O(1)")
                .handler(Op.FAILOVER);
        t.command("lolwut", -1).flags(Flag.READONLY, Flag.FAST).group("server")
                .doc("Display some computer art and the Redis version", "5.0.0", null)
                .handler(Op.LOLWUT);
        CommandSpec module = t.command("module", -2).group("server")
                .doc("A container for module commands", "4.0.0", "Depends on subcommand.").handler(null);
        t.subcommand(module, "help", 2).flags(Flag.LOADING, Flag.STALE).group("server")
                .doc("Show helpful text about the different subcommands", "5.0.0", "O(1)")
                .handler(Op.MODULE_HELP);
        t.subcommand(module, "list", 2).flags(Flag.ADMIN, Flag.NOSCRIPT).group("server")
                .doc("List all modules loaded by the server", "4.0.0", "O(N) where N is the number of loaded modules.")
                .tips("nondeterministic_output_order")
                .handler(Op.MODULE_LIST);
        t.subcommand(module, "load", -3).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.NO_ASYNC_LOADING, Flag.PROTECTED).group("server")
                .doc("Load a module", "4.0.0", "O(1)")
                .handler(Op.MODULE_LOAD);
        t.subcommand(module, "loadex", -3).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.NO_ASYNC_LOADING, Flag.PROTECTED).group("server")
                .doc("Load a module with extended parameters", "7.0.0", "O(1)")
                .handler(Op.MODULE_LOADEX);
        t.subcommand(module, "unload", 3).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.NO_ASYNC_LOADING, Flag.PROTECTED).group("server")
                .doc("Unload a module", "4.0.0", "O(1)")
                .handler(Op.MODULE_UNLOAD);
        t.command("psync", -3).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.NO_ASYNC_LOADING, Flag.NO_MULTI).group("server")
                .doc("Internal command used for replication", "2.8.0", null)
                .handler(Op.PSYNC);
        t.command("readonly", 1).flags(Flag.LOADING, Flag.STALE, Flag.FAST).acl("connection").group("cluster")
                .doc("Enables read queries for a connection to a cluster replica node", "3.0.0", "O(1)")
                .handler(Op.READONLY);
        t.command("readwrite", 1).flags(Flag.LOADING, Flag.STALE, Flag.FAST).acl("connection").group("cluster")
                .doc("Disables read queries for a connection to a cluster replica node", "3.0.0", "O(1)")
                .handler(Op.READWRITE);
        t.command("replconf", -1).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE, Flag.ALLOW_BUSY).group("server")
                .doc("An internal command for configuring the replication stream", "3.0.0", "O(1)")
                .handler(Op.REPLCONF);
        t.command("replicaof", 3).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.STALE, Flag.NO_ASYNC_LOADING).group("server")
                .doc("Make the server a replica of another instance, or promote it as master.", "5.0.0", "O(1)")
                .handler(Op.REPLICAOF);
        t.command("role", 1).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE, Flag.FAST).acl("admin", "dangerous").group("server")
                .doc("Return the role of the instance in the context of replication", "2.8.12", "O(1)")
                .handler(Op.ROLE);
        t.command("slaveof", 3).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.STALE, Flag.NO_ASYNC_LOADING).group("server")
                .doc("Make the server a replica of another instance, or promote it as master.", "1.0.0", "O(1)")
                .handler(Op.SLAVEOF);
        t.command("sync", 1).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.NO_ASYNC_LOADING, Flag.NO_MULTI).group("server")
                .doc("Internal command used for replication", "1.0.0", null)
                .handler(Op.SYNC);
        t.command("wait", 3).flags(Flag.NOSCRIPT).acl("connection").group("generic")
                .doc("Wait for the synchronous replication of all the write commands sent in the context of the current connection", "3.0.0", "O(1)")
                .tips("request_policy:all_shards", "response_policy:agg_min")
                .handler(Op.WAIT);
        t.subcommand(script, "debug", 3).flags(Flag.NOSCRIPT).acl("scripting").group("scripting")
                .doc("Set the debug mode for executed scripts.", "3.2.0", "O(1)")
                .handler(Op.SCRIPT_DEBUG);
    }

    /** CLUSTER *, ASKING, READONLY, READWRITE */
    static void clusterDisabled(CallContext c, byte[][] argv) {
        throw new RedisException(CLUSTER_DISABLED);
    }

    /** FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms]: there is no replica to fail over to. */
    static void failover(CallContext c, byte[][] argv) {
        if (argv.length == 2 && Bytes.str(argv[1]).equalsIgnoreCase("abort")) throw new RedisException("ERR No failover in progress.");
        throw new RedisException("ERR FAILOVER requires connected replicas.");
    }

    /** LOLWUT [VERSION v]: Redis draws art for versions 5 and 6 only; others print the version line. */
    static void lolwut(CallContext c, byte[][] argv) {
        if (argv.length >= 3 && Bytes.str(argv[1]).equalsIgnoreCase("version")) Bytes.parseLongOrThrow(argv[2], Errors.notInteger());
        c.reply.bulk("Redis ver. " + ServerContext.VERSION + "\n");
    }

    /** SYNC, PSYNC: a replica's handshake; Keyline has no replication to serve. */
    static void sync(CallContext c, byte[][] argv) {
        throw new RedisException(NO_REPLICATION);
    }

    /** REPLCONF option value ...: the options a replica sends, accepted as Redis accepts them from any client. */
    static void replconf(CallContext c, byte[][] argv) {
        if (argv.length % 2 == 0) throw Errors.syntax();
        for (int i = 1; i < argv.length; i += 2) {
            String option = Bytes.str(argv[i]).toLowerCase(java.util.Locale.ROOT);
            switch (option) {
                case "listening-port" -> Bytes.parseLongOrThrow(argv[i + 1], Errors.notInteger());
                case "ip-address", "capa", "rdb-only", "rdb-filter-only", "ack", "getack" -> {
                }
                default -> throw new RedisException("ERR Unrecognized REPLCONF option: " + Bytes.str(argv[i]));
            }
        }
        c.reply.ok();
    }

    /** REPLICAOF (SLAVEOF) host port | NO ONE: already a master; becoming a replica is not supported. */
    static void replicaof(CallContext c, byte[][] argv) {
        if (Bytes.str(argv[1]).equalsIgnoreCase("no") && Bytes.str(argv[2]).equalsIgnoreCase("one")) {
            c.reply.ok();
            return;
        }
        long port = Bytes.parseLongOrThrow(argv[2], new RedisException("ERR Invalid master port"));
        if (port < 0 || port > 65535) throw new RedisException("ERR Invalid master port");
        throw new RedisException(NO_REPLICATION);
    }

    /** ROLE: a master at replication offset 0 with no replicas. */
    static void role(CallContext c, byte[][] argv) {
        c.reply.arrayHeader(3);
        c.reply.bulk("master");
        c.reply.integer(0);
        c.reply.emptyArray();
    }

    /**
     * WAIT numreplicas timeout: no replica ever acknowledges, so 0. Redis blocks until the timeout when more than 0
     * replicas are asked for; Keyline answers at once.
     */
    static void waitReplicas(CallContext c, byte[][] argv) {
        Bytes.parseLongOrThrow(argv[1], Errors.notInteger());
        long timeout = Bytes.parseLongOrThrow(argv[2], Errors.notInteger());
        if (timeout < 0) throw new RedisException("ERR timeout is negative");
        c.reply.integer(0);
    }

    /** MODULE LIST: no module is loaded. */
    static void moduleList(CallContext c, byte[][] argv) {
        c.reply.emptyArray();
    }

    /** MODULE HELP */
    static void moduleHelp(CallContext c, byte[][] argv) {
        c.reply.arrayHeader(MODULE_HELP.length);
        for (String line : MODULE_HELP) c.reply.simple(line);
    }

    /** MODULE LOAD / LOADEX path ...: refused by enable-module-command (default no), else a load failure. */
    static void moduleLoad(CallContext c, byte[][] argv) {
        checkModuleCommandAllowed(c);
        throw new RedisException("ERR Error loading the extension. Please check the server logs.");
    }

    /** MODULE UNLOAD name */
    static void moduleUnload(CallContext c, byte[][] argv) {
        checkModuleCommandAllowed(c);
        throw new RedisException("ERR Error unloading module: no such module with that name");
    }

    private static void checkModuleCommandAllowed(CallContext c) {
        String mode = c.server().config().get("enable-module-command");
        if (!(mode.equals("yes") || (mode.equals("local") && Clients.isLocal(c)))) throw new RedisException(MODULE_NOT_ALLOWED);
    }

    /** SCRIPT DEBUG YES|SYNC|NO: NO is the only mode Keyline has (no Lua debugger). */
    static void scriptDebug(CallContext c, byte[][] argv) {
        String mode = Bytes.str(argv[2]).toLowerCase(java.util.Locale.ROOT);
        switch (mode) {
            case "no" -> c.reply.ok();
            case "yes", "sync" -> throw new RedisException("ERR Keyline does not support the Lua debugger");
            default -> throw new RedisException("ERR Use SCRIPT DEBUG YES/SYNC/NO");
        }
    }

    /** The handlers of the commands registered above, one class for all of them (see {@link Handler}). */
    private enum Op implements Handler {
        ASKING, CLUSTER_ADDSLOTS, CLUSTER_ADDSLOTSRANGE, CLUSTER_BUMPEPOCH, CLUSTER_COUNT_FAILURE_REPORTS,
        CLUSTER_COUNTKEYSINSLOT, CLUSTER_DELSLOTS, CLUSTER_DELSLOTSRANGE, CLUSTER_FAILOVER, CLUSTER_FLUSHSLOTS,
        CLUSTER_FORGET, CLUSTER_GETKEYSINSLOT, CLUSTER_HELP, CLUSTER_INFO, CLUSTER_KEYSLOT, CLUSTER_LINKS, CLUSTER_MEET,
        CLUSTER_MYID, CLUSTER_NODES, CLUSTER_REPLICAS, CLUSTER_REPLICATE, CLUSTER_RESET, CLUSTER_SAVECONFIG,
        CLUSTER_SET_CONFIG_EPOCH, CLUSTER_SETSLOT, CLUSTER_SHARDS, CLUSTER_SLAVES, CLUSTER_SLOTS, FAILOVER, LOLWUT,
        MODULE_HELP, MODULE_LIST, MODULE_LOAD, MODULE_LOADEX, MODULE_UNLOAD, PSYNC, READONLY, READWRITE, REPLCONF,
        REPLICAOF, ROLE, SLAVEOF, SYNC, WAIT, SCRIPT_DEBUG;

        @Override
        public void handle(CallContext c, byte[][] argv) {
            switch (this) {
                case ASKING -> clusterDisabled(c, argv);
                case CLUSTER_ADDSLOTS -> clusterDisabled(c, argv);
                case CLUSTER_ADDSLOTSRANGE -> clusterDisabled(c, argv);
                case CLUSTER_BUMPEPOCH -> clusterDisabled(c, argv);
                case CLUSTER_COUNT_FAILURE_REPORTS -> clusterDisabled(c, argv);
                case CLUSTER_COUNTKEYSINSLOT -> clusterDisabled(c, argv);
                case CLUSTER_DELSLOTS -> clusterDisabled(c, argv);
                case CLUSTER_DELSLOTSRANGE -> clusterDisabled(c, argv);
                case CLUSTER_FAILOVER -> clusterDisabled(c, argv);
                case CLUSTER_FLUSHSLOTS -> clusterDisabled(c, argv);
                case CLUSTER_FORGET -> clusterDisabled(c, argv);
                case CLUSTER_GETKEYSINSLOT -> clusterDisabled(c, argv);
                case CLUSTER_HELP -> clusterDisabled(c, argv);
                case CLUSTER_INFO -> clusterDisabled(c, argv);
                case CLUSTER_KEYSLOT -> clusterDisabled(c, argv);
                case CLUSTER_LINKS -> clusterDisabled(c, argv);
                case CLUSTER_MEET -> clusterDisabled(c, argv);
                case CLUSTER_MYID -> clusterDisabled(c, argv);
                case CLUSTER_NODES -> clusterDisabled(c, argv);
                case CLUSTER_REPLICAS -> clusterDisabled(c, argv);
                case CLUSTER_REPLICATE -> clusterDisabled(c, argv);
                case CLUSTER_RESET -> clusterDisabled(c, argv);
                case CLUSTER_SAVECONFIG -> clusterDisabled(c, argv);
                case CLUSTER_SET_CONFIG_EPOCH -> clusterDisabled(c, argv);
                case CLUSTER_SETSLOT -> clusterDisabled(c, argv);
                case CLUSTER_SHARDS -> clusterDisabled(c, argv);
                case CLUSTER_SLAVES -> clusterDisabled(c, argv);
                case CLUSTER_SLOTS -> clusterDisabled(c, argv);
                case FAILOVER -> failover(c, argv);
                case LOLWUT -> lolwut(c, argv);
                case MODULE_HELP -> moduleHelp(c, argv);
                case MODULE_LIST -> moduleList(c, argv);
                case MODULE_LOAD -> moduleLoad(c, argv);
                case MODULE_LOADEX -> moduleLoad(c, argv);
                case MODULE_UNLOAD -> moduleUnload(c, argv);
                case PSYNC -> sync(c, argv);
                case READONLY -> clusterDisabled(c, argv);
                case READWRITE -> clusterDisabled(c, argv);
                case REPLCONF -> replconf(c, argv);
                case REPLICAOF -> replicaof(c, argv);
                case ROLE -> role(c, argv);
                case SLAVEOF -> replicaof(c, argv);
                case SYNC -> sync(c, argv);
                case WAIT -> waitReplicas(c, argv);
                case SCRIPT_DEBUG -> scriptDebug(c, argv);
            }
        }
    }
}
