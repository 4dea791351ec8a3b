/**
 * RESP wire format: {@link io.keyline.protocol.RespParser} turns request bytes (RESP multibulk or
 * inline commands) into {@code byte[][]} argument vectors, and {@link io.keyline.protocol.ReplyWriter}
 * writes RESP2 or RESP3 replies straight into an outbound Netty {@code ByteBuf}.
 *
 * <p>Nearly a leaf: it uses {@code util} (double formatting), Netty's buffer API and its
 * {@code FastThreadLocal} (a per-thread staging block), never the
 * commands, the engine or the store. No
 * {@code String} is created on the request path; limits ({@code proto-max-bulk-len}, argument
 * counts, inline length) are enforced before anything is allocated.
 */
package io.keyline.protocol;
