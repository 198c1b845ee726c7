package dev.tributary.federation.exec;

import dev.tributary.core.Columns;
import dev.tributary.core.Row;
import dev.tributary.core.TributaryException;
import dev.tributary.federation.exec.AggregateCall.Kind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The state of one hash aggregation: a group per distinct GROUP BY key (NULLs form one group, as in SQL), each
 * with one accumulator per aggregate call; groups and DISTINCT values are counted against the budget. Used by
 * one thread at a time (the rows of one {@code Flux}).
 */
final class Aggregation {

    private static final int GROUP_OVERHEAD = 96;
    private static final int ACCUMULATOR_OVERHEAD = 64;

    private final RowExpression[] groupBy;
    private final AggregateCall[] calls;
    private final Columns out;
    private final Reservation reservation;
    private final Map<Object, Group> groups = new HashMap<>();
    private final List<Group> order = new ArrayList<>();

    Aggregation(RowExpression[] groupBy, AggregateCall[] calls, Columns out, Reservation reservation) {
        this.groupBy = groupBy;
        this.calls = calls;
        this.out = out;
        this.reservation = reservation;
    }

    void add(Row row) {
        group(row).add(row);
    }

    private Group group(Row row) {
        if (groupBy.length == 0) {
            return order.isEmpty() ? newGroup(new Object[0], "") : order.get(0);
        }
        @Nullable Object[] values = new Object[groupBy.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = groupBy[i].evaluate(row);
        }
        Object key = values.length == 1 ? groupKey(values[0]) : JoinKeys.group(values);
        Group g = groups.get(key);
        return g != null ? g : newGroup(values, key);
    }

    /** A single GROUP BY value as a map key: normalized, with NULL as a value of its own. */
    private static Object groupKey(@Nullable Object value) {
        Object k = SqlValues.keyOf(value);
        return k == null ? JoinKeys.NULL : k;
    }

    private Group newGroup(@Nullable Object[] values, Object key) {
        long bytes = GROUP_OVERHEAD + (long) ACCUMULATOR_OVERHEAD * calls.length;
        for (Object v : values) {
            bytes += MemoryBudget.estimate(v) + 8;
        }
        reservation.reserve(bytes);
        Group g = new Group(values);
        if (groupBy.length > 0) {
            groups.put(key, g);
        }
        order.add(g);
        return g;
    }

    /** The result rows, groups in order of first appearance; one row without GROUP BY even on no input. */
    List<Row> results() {
        if (order.isEmpty() && groupBy.length == 0) {
            newGroup(new Object[0], "");
        }
        List<Row> rows = new ArrayList<>(order.size());
        for (Group g : order) {
            Object[] values = new Object[groupBy.length + calls.length];
            System.arraycopy(g.values, 0, values, 0, groupBy.length);
            for (int i = 0; i < calls.length; i++) {
                values[groupBy.length + i] = g.accumulators[i].result();
            }
            rows.add(Row.of(out, values));
        }
        return rows;
    }

    private final class Group {
        final @Nullable Object[] values;
        final Accumulator[] accumulators;

        Group(@Nullable Object[] values) {
            this.values = values;
            this.accumulators = new Accumulator[calls.length];
            for (int i = 0; i < calls.length; i++) {
                accumulators[i] = new Accumulator(calls[i]);
            }
        }

        void add(Row row) {
            for (Accumulator a : accumulators) {
                a.add(row);
            }
        }
    }

    /** One aggregate function over one group, with PostgreSQL's result types. */
    private final class Accumulator {
        private final Kind kind;
        private final @Nullable RowExpression argument;
        private final @Nullable Set<Object> seen;
        private long count;
        private long longSum;
        private @Nullable BigDecimal decimalSum;
        private double doubleSum;
        private boolean sawBigint;
        private boolean sawFloat;
        private @Nullable Object extreme;

        Accumulator(AggregateCall call) {
            this.kind = call.kind();
            this.argument = call.argument();
            this.seen = call.distinct() ? new HashSet<>() : null;
        }

        void add(Row row) {
            if (kind == Kind.COUNT_STAR) {
                count++;
                return;
            }
            Object v = Objects.requireNonNull(argument).evaluate(row);
            if (v == null) {
                return;
            }
            Set<Object> distinct = seen;
            if (distinct != null) {
                if (!distinct.add(Objects.requireNonNull(SqlValues.keyOf(v)))) {
                    return;
                }
                reservation.reserve(MemoryBudget.estimate(v) + 48);
            }
            count++;
            switch (kind) {
                case SUM, AVG -> sum(v);
                case MIN -> extreme = extreme == null || SqlValues.compare(v, extreme) < 0 ? v : extreme;
                case MAX -> extreme = extreme == null || SqlValues.compare(v, extreme) > 0 ? v : extreme;
                default -> { }
            }
        }

        private void sum(Object v) {
            if (SqlValues.isIntegral(v)) {
                sawBigint |= v instanceof Long;
                long x = ((Number) v).longValue();
                long s = longSum + x;
                if (((longSum ^ s) & (x ^ s)) < 0) { // overflow: carry the long part over to the decimal sum
                    decimalSum = decimal().add(BigDecimal.valueOf(longSum)).add(BigDecimal.valueOf(x));
                    longSum = 0;
                    sawBigint = true;
                } else {
                    longSum = s;
                }
            } else if (v instanceof Double || v instanceof Float) {
                sawFloat = true;
                doubleSum += ((Number) v).doubleValue();
            } else if (v instanceof Number n) {
                decimalSum = decimal().add(SqlValues.decimal(n));
            } else {
                throw new TributaryException("function " + kind.name().toLowerCase(Locale.ROOT)
                        + "(" + SqlValues.typeName(v) + ") does not exist");
            }
        }

        private BigDecimal decimal() {
            return decimalSum == null ? BigDecimal.ZERO : decimalSum;
        }

        @Nullable Object result() {
            return switch (kind) {
                case COUNT_STAR, COUNT -> count;
                case MIN, MAX -> extreme;
                case SUM -> count == 0 ? null : total();
                case AVG -> {
                    if (count == 0) {
                        yield null;
                    }
                    Object total = total();
                    yield total instanceof Double d ? (Object) (d / count)
                            : SqlValues.divide(SqlValues.decimal((Number) total), BigDecimal.valueOf(count));
                }
            };
        }

        /** SUM: Long over smallint/integer, BigDecimal once a bigint or decimal was added, Double over floats. */
        private Number total() {
            if (sawFloat) {
                return doubleSum + longSum + (decimalSum == null ? 0 : decimalSum.doubleValue());
            }
            if (decimalSum != null || sawBigint) {
                return decimal().add(BigDecimal.valueOf(longSum));
            }
            return longSum;
        }
    }
}
