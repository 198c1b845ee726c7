package dev.tributary.federation.exec;

import dev.tributary.core.Row;
import org.jspecify.annotations.Nullable;

/**
 * Internal: a SQL condition on one row, in three-valued logic: {@code TRUE}, {@code FALSE} or {@code null}
 * (UNKNOWN). Only {@code TRUE} keeps a row ({@code WHERE}, {@code HAVING}, join conditions).
 */
@FunctionalInterface
public interface RowPredicate {

    /** {@code TRUE}, {@code FALSE}, or {@code null} for UNKNOWN. */
    @Nullable Boolean test(Row row);

    /** Whether this predicate is {@code TRUE} for {@code row} (FALSE and UNKNOWN are not). */
    default boolean isTrue(Row row) {
        return Boolean.TRUE.equals(test(row));
    }
}
