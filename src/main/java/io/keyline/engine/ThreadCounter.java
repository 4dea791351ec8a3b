package io.keyline.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A count that the call path adds to once per command ({@code total_commands_processed}), one cell per
 * thread ({@link ThreadCells}): LongAdder's API without its locked instruction per increment.
 */
public final class ThreadCounter {
    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(Cell.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final class Cell extends ThreadCells.Cell {
        private long value;

        Cell(Thread owner, Cell ended) {
            super(owner);
            if (ended != null) value = ended.value;
        }
    }

    private final ThreadCells<Cell> cells = new ThreadCells<>(CellFactory.INSTANCE);

    /** A class rather than {@code Cell::new}: see {@link ThreadCells#ThreadCells}. */
    private static final class CellFactory implements java.util.function.BiFunction<Thread, Cell, Cell> {
        static final CellFactory INSTANCE = new CellFactory();

        @Override
        public Cell apply(Thread owner, Cell ended) {
            return new Cell(owner, ended);
        }
    }

    public void increment() {
        Cell c = cells.mine();
        VALUE.setOpaque(c, c.value + 1);
    }

    public long sum() {
        long sum = 0;
        for (ThreadCells.Cell c : cells.all()) sum += (long) VALUE.getOpaque((Cell) c);
        return sum;
    }

    public void reset() {
        cells.reset();
    }
}
