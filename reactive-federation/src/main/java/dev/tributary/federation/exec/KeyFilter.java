package dev.tributary.federation.exec;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Internal: what a {@link HashJoin}'s complete build side tells its probe source, over the join's key columns
 * (in key order): its distinct key tuples (each the original values of one distinct normalized key, none
 * NULL), or, when there were more than the join's maximum, only the least and greatest value of each key column
 * whose values are all numbers (a {@code null} entry for any other column).
 *
 * @param tuples the distinct key tuples, or {@code null} when there were too many
 * @param low per key column, the least value, or {@code null}
 * @param high per key column, the greatest value, or {@code null}
 */
public record KeyFilter(@Nullable List<Object[]> tuples, @Nullable Object[] low, @Nullable Object[] high) {

    /** Whether this filter restricts anything: a tuple list, or a range on at least one column. */
    public boolean restricts() {
        if (tuples != null) {
            return true;
        }
        for (Object o : low) {
            if (o != null) {
                return true;
            }
        }
        return false;
    }
}
