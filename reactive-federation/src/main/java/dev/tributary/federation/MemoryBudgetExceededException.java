package dev.tributary.federation;

import dev.tributary.core.TributaryException;
import java.util.Locale;

/**
 * A federated query needed more memory than its budget allows: a join's build side, a hash aggregation, a
 * DISTINCT or a full sort held more bytes than the per-query memory budget. The query fails with this error
 * instead of risking an {@link OutOfMemoryError}; the sources it was reading are cancelled.
 *
 * <p>To go on, raise the {@code Federation} option {@code memoryBudget}, or make the query hold less (push a
 * filter to the database, put the smaller table on the build side, add a {@code LIMIT} to an {@code ORDER BY}).
 */
public class MemoryBudgetExceededException extends TributaryException {

    private static final long serialVersionUID = 1L;

    private final String operator;
    private final long budget;
    private final long requested;

    /**
     * @param operator the operator that asked for memory, as shown by {@code explain} (e.g.
     *     {@code "join#1 customers x orders"})
     * @param budget the per-query budget in bytes
     * @param requested the bytes the query would have held had the reservation succeeded
     */
    public MemoryBudgetExceededException(String operator, long budget, long requested) {
        super("Memory budget exceeded in " + operator + ": it needs more than the query's budget of "
                + bytes(budget) + " (would hold " + bytes(requested) + "). Raise the Federation option "
                + "memoryBudget, or make the query hold less (filter more, build on the smaller side, "
                + "add a LIMIT to the ORDER BY)");
        this.operator = operator;
        this.budget = budget;
        this.requested = requested;
    }

    /** The operator that exceeded the budget, as {@code explain} names it. */
    public String operator() {
        return operator;
    }

    /** The per-query memory budget in bytes. */
    public long budget() {
        return budget;
    }

    /** The bytes the query would have held had the reservation succeeded. */
    public long requested() {
        return requested;
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " bytes";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB (%d bytes)", n / 1024.0, n);
        }
        return String.format(Locale.ROOT, "%.1f MiB (%d bytes)", n / (1024.0 * 1024), n);
    }
}
