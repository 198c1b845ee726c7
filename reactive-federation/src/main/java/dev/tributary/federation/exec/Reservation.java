package dev.tributary.federation.exec;

import dev.tributary.core.Row;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes one operator subscription holds against the query's {@link MemoryBudget}: reserved as rows are kept,
 * released all at once when the subscription ends (complete, error or cancel), exactly once.
 */
final class Reservation {

    /** Bytes counted per kept row on top of the row itself: list or map slot, entry, key. */
    static final int ENTRY_OVERHEAD = 48;

    private final MemoryBudget budget;
    private final String operator;
    private final AtomicLong held = new AtomicLong();

    Reservation(MemoryBudget budget, String operator) {
        this.budget = budget;
        this.operator = operator;
    }

    /** Reserves room for {@code row} and its entry. */
    void reserve(Row row) {
        reserve(MemoryBudget.estimate(row) + ENTRY_OVERHEAD);
    }

    /** Reserves {@code bytes}; throws {@link dev.tributary.federation.MemoryBudgetExceededException} past the budget. */
    void reserve(long bytes) {
        budget.reserve(bytes, operator);
        held.addAndGet(bytes);
    }

    /** Releases everything reserved so far. */
    void releaseAll() {
        long bytes = held.getAndSet(0);
        if (bytes != 0) {
            budget.release(bytes);
        }
    }
}
