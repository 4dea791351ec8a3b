package io.keyline.engine;

import java.util.Arrays;
import java.util.function.BiFunction;

/**
 * Statistics the call path updates once per command, split into one cell per thread that runs commands:
 * a thread changes only its own cell, with plain stores, and readers (INFO, LATENCY HISTOGRAM) add the
 * cells up. An atomic read-modify-write per counter (the LongAdders, the histogram's atomic increment) is
 * a locked instruction each, ~11 ns on the 2-core VM: four per command were ~45 ns of a pipelined
 * command's ~1.5 us. Finding the cell is a volatile read and an identity compare (one event loop: one cell).
 *
 * <p>A cell whose thread has ended is taken over by the next new thread (its counts carried over), so
 * the cells stay as many as the live threads that run commands. {@link #reset} drops every cell: a
 * command another thread is finishing at that moment may then count into a dropped cell, as a
 * concurrent update may be lost by {@link java.util.concurrent.atomic.LongAdder#reset}.
 */
final class ThreadCells<C extends ThreadCells.Cell> {
    /** A thread's cell; its writable fields are written only by {@link #owner}. */
    abstract static class Cell {
        final Thread owner;

        Cell(Thread owner) {
            this.owner = owner;
        }
    }

    private static final Cell[] NONE = new Cell[0];

    /** Makes the calling thread's cell, carrying over the counts of an ended thread's cell (or null). */
    private final BiFunction<Thread, C, C> factory;
    private volatile Cell[] cells = NONE;

    /**
     * {@code factory} makes the calling thread's cell. Callers pass a small class, not a constructor reference:
     * each method reference is a call site the JVM links the first time it runs (~0.3-0.5 ms interpreted; the
     * CDS archive holds no linked call sites under ZGC on JDK 25), and the first command spec and the first
     * counter are made on the way to the first PING.
     */
    ThreadCells(BiFunction<Thread, C, C> factory) {
        this.factory = factory;
    }

    /** The calling thread's cell, created on its first use. */
    @SuppressWarnings("unchecked")
    C mine() {
        Thread me = Thread.currentThread();
        Cell[] cs = cells;
        for (Cell c : cs) {
            if (c.owner == me) return (C) c;
        }
        return add(me);
    }

    @SuppressWarnings("unchecked")
    private synchronized C add(Thread me) {
        Cell[] cs = cells;
        for (Cell c : cs) {
            if (c.owner == me) return (C) c;
        }
        for (int i = 0; i < cs.length; i++) {
            // An ended thread wrote its last counts before isAlive() turned false (a happens-before edge).
            if (!cs[i].owner.isAlive()) {
                C taken = factory.apply(me, (C) cs[i]);
                Cell[] next = cs.clone();
                next[i] = taken;
                cells = next;
                return taken;
            }
        }
        C created = factory.apply(me, null);
        Cell[] next = Arrays.copyOf(cs, cs.length + 1);
        next[cs.length] = created;
        cells = next;
        return created;
    }

    /** The cells now, for reading (their counts only grow while read, as a LongAdder's do); each is a {@code C}. */
    Cell[] all() {
        return cells;
    }

    void reset() {
        synchronized (this) {
            cells = NONE;
        }
    }
}
