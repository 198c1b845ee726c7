package dev.tributary.federation.exec;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Internal: one aggregate function call of a {@code GROUP BY} query, evaluated by
 * {@link Operators#aggregate}. Results follow PostgreSQL: {@code COUNT} is a {@code Long} (0 on no rows);
 * {@code SUM} of {@code smallint}/{@code integer} values is a {@code Long}, of {@code bigint} or decimal values a
 * {@code BigDecimal}, of floating-point values a {@code Double}; {@code AVG} is a {@code BigDecimal} (a
 * {@code Double} for floating-point input); {@code MIN}/{@code MAX} keep the value's type. NULL arguments are
 * ignored; every function but {@code COUNT} yields NULL when no non-NULL value was seen.
 *
 * @param kind the function
 * @param argument the argument; {@code null} only for {@link Kind#COUNT_STAR}
 * @param distinct whether duplicates (by SQL value) are ignored, as in {@code COUNT(DISTINCT x)}
 */
public record AggregateCall(Kind kind, @Nullable RowExpression argument, boolean distinct) {

    /** The aggregate functions. */
    public enum Kind { COUNT_STAR, COUNT, SUM, AVG, MIN, MAX }

    /**
     * @throws IllegalArgumentException if the argument is missing, or given to {@code COUNT(*)}
     */
    public AggregateCall {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.COUNT_STAR) != (argument == null)) {
            throw new IllegalArgumentException(kind == Kind.COUNT_STAR
                    ? "COUNT(*) takes no argument" : kind + " needs an argument");
        }
        if (kind == Kind.COUNT_STAR && distinct) {
            throw new IllegalArgumentException("COUNT(DISTINCT *) is not SQL");
        }
    }

    /** {@code COUNT(*)}. */
    public static AggregateCall countStar() {
        return new AggregateCall(Kind.COUNT_STAR, null, false);
    }

    /** {@code kind(argument)}. */
    public static AggregateCall of(Kind kind, RowExpression argument) {
        return new AggregateCall(kind, argument, false);
    }

    /** {@code kind(DISTINCT argument)}. */
    public static AggregateCall distinct(Kind kind, RowExpression argument) {
        return new AggregateCall(kind, argument, true);
    }
}
