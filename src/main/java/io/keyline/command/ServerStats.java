package io.keyline.command;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Server-wide counters for INFO stats. */
public final class ServerStats {
    public final LongAdder commandsProcessed = new LongAdder();
    public final LongAdder connectionsReceived = new LongAdder();
    public final LongAdder rejectedConnections = new LongAdder();
    public final LongAdder netInputBytes = new LongAdder();
    public final LongAdder netOutputBytes = new LongAdder();
    public final LongAdder errorReplies = new LongAdder();
    public final LongAdder protocolErrors = new LongAdder();
    public final AtomicLong dirtySinceSave = new AtomicLong();
    /** What Redis would have freed in its lazyfree thread (see {@link LazyFree}). */
    public final LongAdder lazyfreedObjects = new LongAdder();

    /** errorstat_* counters by error code (the first word of the error line). */
    public final java.util.Map<String, LongAdder> errorCodes = new java.util.concurrent.ConcurrentHashMap<>();

    public void countErrorCode(String errorLine) {
        int sp = errorLine.indexOf(' ');
        String code = sp < 0 ? errorLine : errorLine.substring(0, sp);
        // Redis only tracks well-formed upper-case codes; others count as ERR.
        if (code.isEmpty() || code.length() > 32 || !code.chars().allMatch(ch -> ch >= 'A' && ch <= 'Z')) code = "ERR";
        LongAdder a = errorCodes.get(code);
        if (a == null) {
            if (errorCodes.size() >= 128) return; // Redis caps the table too
            a = errorCodes.computeIfAbsent(code, k -> new LongAdder());
        }
        a.increment();
    }

    public void reset() {
        errorCodes.clear();
        commandsProcessed.reset();
        connectionsReceived.reset();
        rejectedConnections.reset();
        netInputBytes.reset();
        netOutputBytes.reset();
        errorReplies.reset();
        protocolErrors.reset();
        lazyfreedObjects.reset();
    }
}
