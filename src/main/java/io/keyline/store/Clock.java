package io.keyline.store;

/**
 * The server's time source in epoch milliseconds. Every expiry decision (lazy and active expiry,
 * TTL/PTTL/EXPIRETIME, the deadlines of EXPIRE and SET EX, the LRU idle time) reads it, so a test
 * can move time instead of sleeping: see {@code io.keyline.embed.ManualClock}.
 */
@FunctionalInterface
public interface Clock {
    Clock SYSTEM = System::currentTimeMillis;

    long millis();

    /** A clock tests can set and advance (embedders: {@code io.keyline.embed.ManualClock}). */
    final class Manual implements Clock {
        private volatile long now;

        public Manual(long start) {
            this.now = start;
        }

        @Override
        public long millis() {
            return now;
        }

        public void advance(long ms) {
            now += ms;
        }

        public void set(long ms) {
            now = ms;
        }
    }
}
