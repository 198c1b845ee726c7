package dev.tributary.federation.exec;

import dev.tributary.core.Columns;
import dev.tributary.core.Row;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.util.concurrent.Queues;

/**
 * Internal: the relational operators of federated queries besides the {@link HashJoin}, as functions from
 * {@code Flux<Row>} to {@code Flux<Row>}. Each honours downstream demand and cancellation (cancelling the result
 * cancels its inputs), signals the errors of its expressions as {@code onError} (after cancelling its inputs), and
 * counts the rows it holds against the query's {@link MemoryBudget} where it holds more than a bounded number.
 */
public final class Operators {

    private Operators() {
    }

    /** {@code WHERE}/{@code HAVING}: the rows for which {@code predicate} is TRUE (not FALSE, not UNKNOWN). */
    public static Flux<Row> filter(Flux<Row> in, RowPredicate predicate) {
        Objects.requireNonNull(predicate, "predicate");
        return in.filter(predicate::isTrue);
    }

    /**
     * The {@code SELECT} list: one row over {@code out} per input row, the i-th value being {@code exprs[i]}.
     *
     * @throws IllegalArgumentException if {@code out} and {@code exprs} differ in size
     */
    public static Flux<Row> project(Flux<Row> in, Columns out, RowExpression[] exprs) {
        Objects.requireNonNull(out, "out");
        RowExpression[] e = exprs.clone();
        if (out.size() != e.length) {
            throw new IllegalArgumentException("project: " + e.length + " expressions for " + out.size()
                    + " columns " + out);
        }
        return in.map(row -> {
            Object[] values = new Object[e.length];
            for (int i = 0; i < e.length; i++) {
                values[i] = e[i].evaluate(row);
            }
            return Row.of(out, values);
        });
    }

    /**
     * {@code OFFSET offset LIMIT limit}: skips {@code offset} rows, then emits at most {@code limit} rows
     * ({@code limit < 0}: no limit) and cancels the input as soon as they are out. Never requests more than
     * {@code offset + limit} rows from the input; {@code limit == 0} does not subscribe to it at all.
     *
     * @throws IllegalArgumentException if {@code offset} is negative
     */
    public static Flux<Row> limit(Flux<Row> in, long offset, long limit) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, was " + offset);
        }
        if (limit == 0) {
            return Flux.empty();
        }
        if (limit < 0) {
            return offset == 0 ? in : in.skip(offset);
        }
        if (offset == 0) {
            return in.take(limit, true);
        }
        long total = offset + limit < 0 ? Long.MAX_VALUE : offset + limit;
        return in.take(total, true).skip(offset);
    }

    /**
     * {@code ORDER BY}: compares rows by {@code keys[i]}, descending where {@code descending[i]}, NULLs before
     * the other values where {@code nullsFirst[i]} (PostgreSQL's default is NULLS LAST for ASC, NULLS FIRST for
     * DESC: the planner passes that when the query says nothing). Values compare as {@link SqlValues#compare}:
     * numbers across types, strings by code point; the comparator throws
     * {@link dev.tributary.core.TributaryException} on incomparable values.
     *
     * @throws IllegalArgumentException if the arrays differ in length
     */
    public static Comparator<Row> orderBy(RowExpression[] keys, boolean[] descending, boolean[] nullsFirst) {
        if (keys.length != descending.length || keys.length != nullsFirst.length) {
            throw new IllegalArgumentException("orderBy: " + keys.length + " keys, " + descending.length
                    + " directions, " + nullsFirst.length + " NULL orders");
        }
        return new RowOrder(keys.clone(), descending.clone(), nullsFirst.clone());
    }

    /** {@link #sort(Flux, Comparator, MemoryBudget, String)} named {@code "sort (ORDER BY)"}. */
    public static Flux<Row> sort(Flux<Row> in, Comparator<Row> order, MemoryBudget budget) {
        return sort(in, order, budget, "sort (ORDER BY)");
    }

    /**
     * A full in-memory sort, stable (rows that compare equal keep their input order). Holds every row, counted
     * against {@code budget}: past it, fails with {@link dev.tributary.federation.MemoryBudgetExceededException}
     * naming {@code operator} and cancels the input. Emits nothing before the input completes.
     */
    public static Flux<Row> sort(Flux<Row> in, Comparator<Row> order, MemoryBudget budget, String operator) {
        Objects.requireNonNull(order, "order");
        Objects.requireNonNull(budget, "budget");
        return Flux.defer(() -> {
            Reservation reservation = new Reservation(budget, operator);
            return in.collect(() -> new SortBuffer(order, Long.MAX_VALUE, reservation), SortBuffer::add)
                    .flatMapIterable(buffer -> buffer.sorted(0))
                    .doFinally(signal -> reservation.releaseAll());
        });
    }

    /**
     * {@code ORDER BY ... OFFSET offset LIMIT limit} as a top-N: keeps only the best {@code offset + limit} rows
     * in a bounded heap (not counted against a budget: its size is fixed by the query), emits them in order
     * after the input completes, ties in input order.
     *
     * @throws IllegalArgumentException if {@code offset} or {@code limit} is negative
     */
    public static Flux<Row> topN(Flux<Row> in, Comparator<Row> order, long offset, long limit) {
        Objects.requireNonNull(order, "order");
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("topN needs offset >= 0 and limit >= 0, was offset " + offset
                    + " limit " + limit);
        }
        if (limit == 0) {
            return Flux.empty();
        }
        long capacity = offset + limit < 0 ? Long.MAX_VALUE - 1 : offset + limit;
        return Flux.defer(() -> in.collect(() -> new SortBuffer(order, capacity, null), SortBuffer::add)
                .flatMapIterable(buffer -> buffer.sorted(offset)));
    }

    /** {@link #distinct(Flux, MemoryBudget, String)} named {@code "DISTINCT"}. */
    public static Flux<Row> distinct(Flux<Row> in, MemoryBudget budget) {
        return distinct(in, budget, "DISTINCT");
    }

    /**
     * {@code SELECT DISTINCT}: streams the first row of each distinct set of values (compared as SQL values:
     * {@code 5} and {@code 5.0} are one, NULLs are equal to each other). Remembers each distinct row against
     * {@code budget}; past it, fails with {@link dev.tributary.federation.MemoryBudgetExceededException}.
     */
    public static Flux<Row> distinct(Flux<Row> in, MemoryBudget budget, String operator) {
        Objects.requireNonNull(budget, "budget");
        return Flux.defer(() -> {
            Reservation reservation = new Reservation(budget, operator);
            Set<Object> seen = new HashSet<>();
            return in.filter(row -> {
                        if (!seen.add(JoinKeys.group(row.values()))) {
                            return false;
                        }
                        reservation.reserve(row);
                        return true;
                    })
                    .doFinally(signal -> reservation.releaseAll());
        });
    }

    /** {@link #unionAll(List, Columns, int)} with a prefetch of {@link Queues#SMALL_BUFFER_SIZE} per input. */
    public static Flux<Row> unionAll(List<Flux<Row>> inputs, Columns out) {
        return unionAll(inputs, out, Queues.SMALL_BUFFER_SIZE);
    }

    /**
     * {@code UNION ALL}: the rows of every input, relabelled with {@code out}, as they arrive: every input is
     * subscribed at once and requested at most {@code prefetch} rows ahead of demand. Cancelling cancels every
     * input; an error in one cancels the others.
     *
     * @throws IllegalArgumentException if {@code prefetch} is not positive
     */
    public static Flux<Row> unionAll(List<Flux<Row>> inputs, Columns out, int prefetch) {
        Objects.requireNonNull(out, "out");
        if (prefetch <= 0) {
            throw new IllegalArgumentException("prefetch must be positive, was " + prefetch);
        }
        if (inputs.isEmpty()) {
            return Flux.empty();
        }
        return Flux.defer(() -> {
            List<Flux<Row>> relabelled = inputs.stream().map(in -> in.map(new Relabel(out))).toList();
            return Flux.merge(Flux.fromIterable(relabelled), relabelled.size(), prefetch);
        });
    }

    /** Puts rows over the output columns; remembers the input's own columns when they are equal to those. */
    private static final class Relabel implements Function<Row, Row> {
        private final Columns out;
        private @Nullable Columns same;

        Relabel(Columns out) {
            this.out = out;
        }

        @Override
        public Row apply(Row row) {
            Columns columns = row.columns();
            if (columns == same) {
                return row;
            }
            if (columns.equals(out)) {
                same = columns;
                return row;
            }
            return Row.of(out, row.values());
        }
    }

    /** {@link #aggregate(Flux, RowExpression[], AggregateCall[], Columns, MemoryBudget, String)} named "aggregate". */
    public static Flux<Row> aggregate(Flux<Row> in, RowExpression[] groupBy, AggregateCall[] calls, Columns out,
                                      MemoryBudget budget) {
        return aggregate(in, groupBy, calls, out, budget, "aggregate (GROUP BY)");
    }

    /**
     * Hash aggregation ({@code GROUP BY} with aggregate functions): one row per group over {@code out}, the group
     * values then the aggregate values, groups in order of first appearance, emitted when the input completes.
     * Without {@code GROUP BY}, an empty input still yields one row ({@code COUNT} 0, the others NULL). NULL group
     * values form one group. Groups and DISTINCT argument values are counted against {@code budget}; past it,
     * fails with {@link dev.tributary.federation.MemoryBudgetExceededException} naming {@code operator}.
     *
     * @throws IllegalArgumentException if {@code out} does not have one column per group value and call
     */
    public static Flux<Row> aggregate(Flux<Row> in, RowExpression[] groupBy, AggregateCall[] calls, Columns out,
                                      MemoryBudget budget, String operator) {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(budget, "budget");
        RowExpression[] keys = groupBy.clone();
        AggregateCall[] functions = calls.clone();
        if (out.size() != keys.length + functions.length) {
            throw new IllegalArgumentException("aggregate: " + keys.length + " group values and " + functions.length
                    + " aggregates for " + out.size() + " columns " + out);
        }
        return Flux.defer(() -> {
            Reservation reservation = new Reservation(budget, operator);
            return in.collect(() -> new Aggregation(keys, functions, out, reservation), Aggregation::add)
                    .flatMapIterable(Aggregation::results)
                    .doFinally(signal -> reservation.releaseAll());
        });
    }
}
