package dev.tributary.federation.exec;

import static dev.tributary.federation.exec.TestRows.l;
import static dev.tributary.federation.exec.TestRows.r;
import static dev.tributary.federation.exec.TestRows.rows;
import static dev.tributary.federation.exec.TestRows.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.core.Columns;
import dev.tributary.core.Row;
import dev.tributary.federation.MemoryBudgetExceededException;
import dev.tributary.federation.exec.AggregateCall.Kind;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

/** Hash aggregation: functions, PostgreSQL result types, NULL rules, grouping, budget and cancellation. */
class AggregateTest {

    static final Columns GX = Columns.of("g", "x");
    static final RowExpression G = RowExpression.column(0);
    static final RowExpression X = RowExpression.column(1);
    static final RowExpression[] NO_GROUPS = new RowExpression[0];

    static final AggregateCall[] ALL = {
        AggregateCall.countStar(), AggregateCall.of(Kind.COUNT, X), AggregateCall.distinct(Kind.COUNT, X),
        AggregateCall.of(Kind.SUM, X), AggregateCall.of(Kind.AVG, X), AggregateCall.of(Kind.MIN, X),
        AggregateCall.of(Kind.MAX, X)
    };
    static final Columns ALL_OUT = Columns.of("count_star", "count", "count_distinct", "sum", "avg", "min", "max");

    static List<List<Object>> aggregate(Flux<Row> in, RowExpression[] groupBy, AggregateCall[] calls, Columns out) {
        return values(Objects.requireNonNull(
                Operators.aggregate(in, groupBy, calls, out, MemoryBudget.unlimited()).collectList().block()));
    }

    @Test
    void integersSumToBigintAndAverageToNumericAsInPostgres() {
        Flux<Row> in = rows(GX, r("a", 1), r("a", 2), r("a", 2), r("a", null));
        assertThat(aggregate(in, NO_GROUPS, ALL, ALL_OUT)).containsExactly(
                l(4L, 3L, 2L, 5L, new BigDecimal("1.6666666666666667"), 1, 2));
    }

    @Test
    void bigintsSumToNumeric() {
        Flux<Row> in = rows(GX, r("a", 1L), r("a", (short) 2));
        assertThat(aggregate(in, NO_GROUPS, ALL, ALL_OUT)).containsExactly(
                l(2L, 2L, 2L, new BigDecimal("3"), new BigDecimal("1.5000000000000000"), 1L, (short) 2));
    }

    @Test
    void decimalsSumAndAverageAsNumeric() {
        Flux<Row> in = rows(GX, r("a", new BigDecimal("1.50")), r("a", new BigDecimal("2.25")));
        List<List<Object>> result = aggregate(in, NO_GROUPS, ALL, ALL_OUT);
        assertThat(result.get(0).get(3)).isEqualTo(new BigDecimal("3.75"));
        assertThat(result.get(0).get(4)).isEqualTo(new BigDecimal("1.8750000000000000"));
    }

    @Test
    void floatingPointSumsAndAveragesAreDoubles() {
        Flux<Row> in = rows(GX, r("a", 1.5d), r("a", 2));
        List<List<Object>> result = aggregate(in, NO_GROUPS, ALL, ALL_OUT);
        assertThat(result.get(0).subList(3, 5)).containsExactly(3.5d, 1.75d);
    }

    @Test
    void distinctAggregatesIgnoreDuplicatesBySqlValue() {
        Flux<Row> in = rows(GX, r("a", 1), r("a", 2L), r("a", new BigDecimal("2.0")), r("a", null));
        AggregateCall[] calls = {AggregateCall.distinct(Kind.COUNT, X), AggregateCall.distinct(Kind.SUM, X),
            AggregateCall.distinct(Kind.AVG, X)};
        assertThat(aggregate(in, NO_GROUPS, calls, Columns.of("c", "s", "a")))
                .containsExactly(l(2L, new BigDecimal("3"), new BigDecimal("1.5000000000000000")));
    }

    @Test
    void emptyInputWithoutGroupByYieldsOneRowOfZeroCountsAndNulls() {
        assertThat(aggregate(Flux.empty(), NO_GROUPS, ALL, ALL_OUT))
                .containsExactly(l(0L, 0L, 0L, null, null, null, null));
    }

    @Test
    void emptyInputWithGroupByYieldsNoRows() {
        assertThat(aggregate(Flux.empty(), new RowExpression[] {G}, ALL, Columns.of("g", "a", "b", "c", "d", "e",
                "f", "h"))).isEmpty();
    }

    @Test
    void allNullArgumentsGiveNullExceptForCount() {
        Flux<Row> in = rows(GX, r("a", null), r("a", null));
        assertThat(aggregate(in, NO_GROUPS, ALL, ALL_OUT)).containsExactly(l(2L, 0L, 0L, null, null, null, null));
    }

    @Test
    void groupsByNormalizedValuesWithNullsAsOneGroupInOrderOfFirstAppearance() {
        Flux<Row> in = rows(GX, r(2, 10), r(null, 1), r(1, 5), r(2L, 20), r(new BigDecimal("1.0"), 7), r(null, 2));
        AggregateCall[] calls = {AggregateCall.countStar(), AggregateCall.of(Kind.SUM, X)};
        assertThat(aggregate(in, new RowExpression[] {G}, calls, Columns.of("g", "n", "s")))
                .containsExactly(l(2, 2L, 30L), l(null, 2L, 3L), l(1, 2L, 12L));
    }

    @Test
    void groupsByExpressionsAndSeveralKeys() {
        Columns abc = Columns.of("a", "b", "c");
        Flux<Row> in = rows(abc, r(1, "x", 1), r(1, "x", 2), r(1, "y", 3), r(2, "x", 4), r(1, null, 5), r(1, null, 6));
        RowExpression aTimesTen = row -> SqlValues.multiply(row.get(0), 10);
        RowExpression b = RowExpression.column(1);
        AggregateCall[] calls = {AggregateCall.of(Kind.MAX, RowExpression.column(2))};
        assertThat(aggregate(in, new RowExpression[] {aTimesTen, b}, calls, Columns.of("a10", "b", "m")))
                .containsExactly(l(10, "x", 2), l(10, "y", 3), l(20, "x", 4), l(10, null, 6));
    }

    @Test
    void minAndMaxCompareAcrossNumericTypesAndStrings() {
        Flux<Row> in = rows(GX, r("b", new BigDecimal("2.5")), r("a", 3), r("c", 2L));
        AggregateCall[] calls = {AggregateCall.of(Kind.MIN, X), AggregateCall.of(Kind.MAX, X),
            AggregateCall.of(Kind.MIN, G), AggregateCall.of(Kind.MAX, G)};
        assertThat(aggregate(in, NO_GROUPS, calls, Columns.of("a", "b", "c", "d")))
                .containsExactly(l(2L, 3, "a", "c"));
    }

    @Test
    void summingTextIsAnError() {
        StepVerifier.create(Operators.aggregate(rows(GX, r("a", "x")), NO_GROUPS,
                        new AggregateCall[] {AggregateCall.of(Kind.SUM, X)}, Columns.of("s"), MemoryBudget.unlimited()))
                .expectErrorMessage("function sum(text) does not exist")
                .verify();
    }

    @Test
    void tooManyGroupsExceedTheBudgetCancelTheInputAndRelease() {
        MemoryBudget budget = MemoryBudget.of(20_000);
        AtomicBoolean cancelled = new AtomicBoolean();
        Flux<Row> in = Flux.range(0, 1_000_000).map(i -> Row.of(GX, i, i)).doOnCancel(() -> cancelled.set(true));
        StepVerifier.create(Operators.aggregate(in, new RowExpression[] {G},
                        new AggregateCall[] {AggregateCall.countStar()}, Columns.of("g", "n"), budget, "aggregate#3"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(MemoryBudgetExceededException.class)
                        .hasMessageContaining("aggregate#3"))
                .verify();
        assertThat(cancelled).isTrue();
        assertThat(budget.used()).isZero();
    }

    @Test
    void countDistinctValuesCountAgainstTheBudget() {
        MemoryBudget budget = MemoryBudget.of(20_000);
        Flux<Row> in = Flux.range(0, 100_000).map(i -> Row.of(GX, 1, i));
        StepVerifier.create(Operators.aggregate(in, NO_GROUPS,
                        new AggregateCall[] {AggregateCall.distinct(Kind.COUNT, X)}, Columns.of("n"), budget))
                .expectError(MemoryBudgetExceededException.class)
                .verify();
        assertThat(budget.used()).isZero();
    }

    @Test
    void cancellingAnAggregationCancelsItsInputAndReleases() {
        MemoryBudget budget = MemoryBudget.of(1_000_000);
        TestPublisher<Row> source = TestPublisher.create();
        StepVerifier.create(Operators.aggregate(source.flux(), new RowExpression[] {G},
                        new AggregateCall[] {AggregateCall.countStar()}, Columns.of("g", "n"), budget))
                .then(() -> source.next(Row.of(GX, 1, 1)))
                .then(() -> assertThat(budget.used()).isPositive())
                .thenCancel()
                .verify();
        source.assertCancelled();
        assertThat(budget.used()).isZero();
    }

    @Test
    void resultsAreEmittedUnderDemand() {
        Flux<Row> in = Flux.range(0, 100).map(i -> Row.of(GX, i % 10, i));
        StepVerifier.create(Operators.aggregate(in, new RowExpression[] {G},
                        new AggregateCall[] {AggregateCall.countStar()}, Columns.of("g", "n"), MemoryBudget.unlimited()), 0)
                .thenRequest(3)
                .expectNext(Row.of(Columns.of("g", "n"), 0, 10L), Row.of(Columns.of("g", "n"), 1, 10L),
                        Row.of(Columns.of("g", "n"), 2, 10L))
                .thenRequest(7)
                .expectNextCount(7)
                .verifyComplete();
    }

    @Test
    void outputColumnsMustFitGroupsAndCalls() {
        assertThatThrownBy(() -> Operators.aggregate(Flux.empty(), new RowExpression[] {G},
                new AggregateCall[] {AggregateCall.countStar()}, Columns.of("n"), MemoryBudget.unlimited()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 group values and 1 aggregates");
    }
}
