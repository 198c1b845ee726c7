package dev.tributary.federation.exec;

import dev.tributary.core.Row;
import org.jspecify.annotations.Nullable;

/**
 * Internal: a scalar SQL expression evaluated on one row (a column reference, a literal, arithmetic, a
 * function call). Returns the SQL value, {@code null} for SQL NULL. May throw a
 * {@link dev.tributary.core.TributaryException} (division by zero, incomparable types): the operator that
 * calls it turns that into an error signal.
 */
@FunctionalInterface
public interface RowExpression {

    /** The value of this expression for {@code row}; {@code null} is SQL NULL. */
    @Nullable Object evaluate(Row row);

    /** The expression that reads the column at {@code index}. */
    static RowExpression column(int index) {
        return row -> row.get(index);
    }
}
