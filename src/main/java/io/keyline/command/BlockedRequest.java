package io.keyline.command;

import io.keyline.protocol.ReplyWriter;

/** What a blocked client waits for (BLPOP, BLMOVE, BZPOPMIN...): see {@link BlockingRegistry}. */
public interface BlockedRequest {
    /** Keys whose stripes must be held while serving: the watched keys and e.g. BLMOVE's destination. */
    byte[][] lockKeys();

    /**
     * Called with {@link #lockKeys()}' stripes held when {@code readyKey} was modified. Returns true
     * if the client was answered: reply written to {@code ctx.reply()}, data changed through
     * {@code ctx.db()}, {@code ctx.modified(key)} for each changed key and {@code ctx.propagate(...)}
     * with the non-blocking equivalent (LPOP, LMOVE, ZPOPMIN...). Returns false to keep waiting.
     * A key that now holds the wrong type gets WRONGTYPE written and true returned.
     */
    boolean tryServe(ServeContext ctx, byte[] readyKey);

    /** The reply when the timeout passes: a null array (BLPOP) or a null bulk (BLMOVE). */
    void timeoutReply(ReplyWriter r);
}
