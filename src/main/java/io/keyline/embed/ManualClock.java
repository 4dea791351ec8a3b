package io.keyline.embed;

import io.keyline.store.Clock;

import java.time.Duration;
import java.time.Instant;

/**
 * A clock a test moves by hand, for testing expiry without sleeping:
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock();
 * try (EmbeddedKeyline keyline = EmbeddedKeyline.builder().clock(clock).start();
 *      Jedis jedis = new Jedis(keyline.host(), keyline.port())) {
 *     jedis.setex("session", 30, "x");
 *     clock.advance(Duration.ofSeconds(31));
 *     assertNull(jedis.get("session"));
 * }
 * }</pre>
 *
 * The server reads it for every expiry decision, its active expiry cycle included. It starts at the
 * wall-clock time of its creation unless given a start, and never moves on its own. Thread-safe.
 */
public final class ManualClock implements Clock {
    private volatile long millis;

    /** Starts at the current wall-clock time. */
    public ManualClock() {
        this(System.currentTimeMillis());
    }

    public ManualClock(long epochMillis) {
        this.millis = epochMillis;
    }

    public ManualClock(Instant start) {
        this(start.toEpochMilli());
    }

    @Override
    public long millis() {
        return millis;
    }

    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }

    /** Moves the clock forward (or back, for a negative amount). */
    public synchronized ManualClock advance(Duration amount) {
        return advanceMillis(amount.toMillis());
    }

    public synchronized ManualClock advanceMillis(long ms) {
        millis += ms;
        return this;
    }

    public ManualClock set(Instant now) {
        return setMillis(now.toEpochMilli());
    }

    public ManualClock setMillis(long epochMillis) {
        millis = epochMillis;
        return this;
    }

    @Override
    public String toString() {
        return "ManualClock[" + instant() + "]";
    }
}
