/**
 * RESP wire format: {@link io.keyline.protocol.RespParser} turns request bytes (RESP multibulk or
 * inline commands) into {@code byte[][]} argument vectors, and {@link io.keyline.protocol.ReplyWriter}
 * writes RESP2 or RESP3 replies straight into an outbound Netty {@code ByteBuf}.
 * {@link io.keyline.protocol.ArgumentPool} keeps, per thread, the long argument arrays a finished
 * command gave back, for the parser's next argument of the same length.
 *
 * <p>Nearly a leaf: it uses {@code util} (double formatting), Netty's buffer API and its
 * {@code FastThreadLocal} (a per-thread staging block, the argument pool), never the
 * commands, the engine or the store. No
 * {@code String} is created on the request path; limits ({@code proto-max-bulk-len}, argument
 * counts, inline length) are enforced before anything is allocated.
 */
package io.keyline.protocol;
