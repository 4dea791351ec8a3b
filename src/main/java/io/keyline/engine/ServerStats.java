package io.keyline.engine;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Server-wide counters for INFO stats. */
public final class ServerStats {
    public final ThreadCounter commandsProcessed = new ThreadCounter();
    public final LongAdder connectionsReceived = new LongAdder();
    public final LongAdder rejectedConnections = new LongAdder();
    public final LongAdder netInputBytes = new LongAdder();
    public final LongAdder netOutputBytes = new LongAdder();
    public final LongAdder errorReplies = new LongAdder();
    public final LongAdder protocolErrors = new LongAdder();
    /** Clients closed for reaching client-query-buffer-limit. */
    public final LongAdder queryBufferLimitDisconnections = new LongAdder();
    /** Clients closed for reaching client-output-buffer-limit. */
    public final LongAdder outputBufferLimitDisconnections = new LongAdder();
    /** Clients closed by maxmemory-clients (INFO evicted_clients). */
    public final LongAdder evictedClients = new LongAdder();
    public final AtomicLong dirtySinceSave = new AtomicLong();
    /** What Redis would have freed in its lazyfree thread (see {@link LazyFree}). */
    public final LongAdder lazyfreedObjects = new LongAdder();

    /** Redis's ERROR_STATS_NUMBER: distinct error codes tracked before errorstats turn themselves off. */
    static final int MAX_ERROR_CODES = 128;

    /** errorstat_* counters by error code (the first word of the error line). */
    public final java.util.Map<String, LongAdder> errorCodes = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean errorStatsEnabled = true;

    /**
     * Counts an error reply under its code, as Redis's afterErrorReply + incrementErrorCount: the
     * code is what precedes the first space within the reply's first 32 bytes ("-CODE ..."), else
     * ERR. A 129th distinct code clears the table, leaves only {@code ERRORSTATS_DISABLED:count=1}
     * and stops counting until CONFIG RESETSTAT.
     */
    public void countErrorCode(String errorLine) {
        if (!errorStatsEnabled) return;
        int sp = errorLine.indexOf(' ');
        String code = sp <= 0 || sp > 30 ? "ERR" : errorLine.substring(0, sp);
        // Keyline's errors all carry their code; a line without an upper-case one is Redis's "-ERR " prefixed text.
        if (!code.chars().allMatch(ch -> (ch >= 'A' && ch <= 'Z') || ch == '_' || (ch >= '0' && ch <= '9'))) code = "ERR";
        LongAdder a = errorCodes.get(code);
        if (a == null) {
            synchronized (errorCodes) {
                if (!errorStatsEnabled) return;
                a = errorCodes.get(code);
                if (a == null) {
                    if (errorCodes.size() >= MAX_ERROR_CODES) {
                        org.slf4j.LoggerFactory.getLogger(ServerStats.class).warn("Errorstats stopped adding new errors "
                                + "because the number of errors reached the limit, may be misuse of lua error_reply, "
                                + "please check INFO ERRORSTATS, this error will be added to the list: {}",
                                String.join(", ", new java.util.TreeSet<>(errorCodes.keySet())));
                        errorCodes.clear();
                        LongAdder disabled = new LongAdder();
                        disabled.increment();
                        errorCodes.put("ERRORSTATS_DISABLED", disabled);
                        errorStatsEnabled = false;
                        return;
                    }
                    a = errorCodes.computeIfAbsent(code, k -> new LongAdder());
                }
            }
        }
        a.increment();
    }

    public void reset() {
        synchronized (errorCodes) {
            errorCodes.clear();
            errorStatsEnabled = true;
        }
        commandsProcessed.reset();
        connectionsReceived.reset();
        rejectedConnections.reset();
        netInputBytes.reset();
        netOutputBytes.reset();
        errorReplies.reset();
        protocolErrors.reset();
        queryBufferLimitDisconnections.reset();
        outputBufferLimitDisconnections.reset();
        evictedClients.reset();
        lazyfreedObjects.reset();
    }
}
