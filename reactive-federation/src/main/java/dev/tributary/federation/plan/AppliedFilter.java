package dev.tributary.federation.plan;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The values of one dynamic filter for one run of its fragment, over the filter's columns (in the order of
 * {@link PhysicalNode.DynamicFilter#columns()}): key tuples (PostgreSQL binds each column's distinct values as
 * an array, the other databases the tuples as an IN list), or, when the build side had too many keys, a range
 * per column ({@code null} bounds for a column without one).
 */
record AppliedFilter(PhysicalNode.DynamicFilter filter, @Nullable List<Object[]> tuples,
        @Nullable Object @Nullable [] low, @Nullable Object @Nullable [] high) {

    /** The filter as {@code explain} shows it: key lists, one tuple in an IN list. */
    static AppliedFilter template(PhysicalNode.DynamicFilter filter) {
        return new AppliedFilter(filter, List.<Object[]>of(new Object[filter.columns().size()]), null, null);
    }
}
