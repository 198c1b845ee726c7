package dev.tributary.federation.exec;

import dev.tributary.core.Row;
import java.util.List;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * Internal: opens one input of a {@link HashJoin}, optionally restricted by a dynamic filter.
 *
 * <p>{@code keys == null} asks for the unfiltered input. Otherwise {@code keys} holds the distinct build-side
 * values of the join's FIRST key column (the original objects, one per distinct normalized key, never NULL):
 * the source may return only the rows whose first key is one of them, e.g. by pushing
 * {@code = ANY($1)} into its SQL. Returning more rows than that is allowed (the join still checks every
 * key); returning fewer is not. The list is never empty: when no probe row could match, the join does not open
 * the probe side at all.
 */
@FunctionalInterface
public interface ProbeSource {

    /** The rows of this input, filtered by {@code keys} when not {@code null}. Cold: nothing runs before subscribe. */
    Flux<Row> open(@Nullable List<Object> keys);

    /**
     * The rows of this input restricted by a join's {@link KeyFilter} (tuples over every key column, or
     * ranges): returning more rows than those that can match is allowed, fewer is not. By default, the
     * single-key contract of {@link #open(List)}: the distinct values of the first key column, or {@code null}
     * when the filter holds ranges only.
     */
    default Flux<Row> open(KeyFilter filter) {
        if (filter.tuples() == null) {
            return open((List<Object>) null);
        }
        java.util.Map<Object, Object> first = new java.util.LinkedHashMap<>();
        for (Object[] t : filter.tuples()) {
            first.putIfAbsent(SqlValues.keyOf(t[0]), t[0]);
        }
        return open(new java.util.ArrayList<>(first.values()));
    }

    /** A source that ignores the dynamic filter and always returns {@code rows}. */
    static ProbeSource of(Flux<Row> rows) {
        return keys -> rows;
    }
}
