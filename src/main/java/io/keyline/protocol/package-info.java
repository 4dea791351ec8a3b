/**
 * RESP wire format: {@link io.keyline.protocol.RespParser} turns request bytes (RESP multibulk or
 * inline commands) into {@code byte[][]} argument vectors, and {@link io.keyline.protocol.ReplyWriter}
 * writes RESP2 or RESP3 replies straight into an outbound Netty {@code ByteBuf}.
 *
 * <p>A leaf package: it depends on Netty's buffer API only, never on commands or the store. No
 * {@code String} is created on the request path; limits ({@code proto-max-bulk-len}, argument
 * counts, inline length) are enforced before anything is allocated.
 */
package io.keyline.protocol;
