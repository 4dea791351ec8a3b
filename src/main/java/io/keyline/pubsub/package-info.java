/**
 * Pub/sub: who is subscribed to which channel, pattern and shard channel, and delivery of messages
 * to the subscribers' connections (Redis's {@code pubsub.c}). May use session, protocol, util.
 */
package io.keyline.pubsub;
