package io.keyline.store;

/**
 * The server's time source in epoch milliseconds. Every expiry decision (lazy and active expiry,
 * TTL/PTTL/EXPIRETIME, the deadlines of EXPIRE and SET EX, the LRU idle time) reads it, so a test
 * can move time instead of sleeping: see {@code io.keyline.embed.ManualClock}.
 */
@FunctionalInterface
public interface Clock {
    /** The wall clock, with microseconds from {@link java.time.Instant#now()} for TIME. */
    Clock SYSTEM = new Clock() {
        @Override
        public long millis() {
            return System.currentTimeMillis();
        }

        @Override
        public long micros() {
            java.time.Instant now = java.time.Instant.now();
            return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        }

        @Override
        public String toString() {
            return "Clock.SYSTEM";
        }
    };

    long millis();

    /**
     * Epoch microseconds (TIME). A clock that only knows milliseconds (a test's manual clock) reports
     * {@code millis() * 1000}, so TIME agrees exactly with the expiry decisions taken from {@link #millis()}.
     */
    default long micros() {
        return millis() * 1_000L;
    }

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
