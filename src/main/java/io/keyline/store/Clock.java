package io.keyline.store;

/** Time source in epoch milliseconds; injected so tests can move time instead of sleeping. */
@FunctionalInterface
public interface Clock {
    Clock SYSTEM = System::currentTimeMillis;

    long millis();

    /** A clock tests can set and advance. */
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
