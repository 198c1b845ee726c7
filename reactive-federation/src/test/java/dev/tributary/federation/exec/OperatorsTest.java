package dev.tributary.federation.exec;

import static dev.tributary.federation.exec.TestRows.l;
import static dev.tributary.federation.exec.TestRows.r;
import static dev.tributary.federation.exec.TestRows.rows;
import static dev.tributary.federation.exec.TestRows.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.core.Columns;
import dev.tributary.core.Row;
import dev.tributary.core.TributaryException;
import dev.tributary.federation.MemoryBudgetExceededException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

/** filter, project, limit, ORDER BY, sort, top-N, DISTINCT and UNION ALL. */
class OperatorsTest {

    static final Columns AB = Columns.of("a", "b");
    static final RowExpression A = RowExpression.column(0);
    static final RowExpression B = RowExpression.column(1);

    static List<List<Object>> collect(Flux<Row> flux) {
        return values(Objects.requireNonNull(flux.collectList().block()));
    }

    static Flux<Row> numbers(long count) {
        return Flux.range(0, (int) count).map(i -> Row.of(AB, i, "r" + i));
    }

    @Test
    void filterKeepsOnlyRowsWhereThePredicateIsTrue() {
        Flux<Row> in = rows(AB, r(1, "x"), r(2, null), r(3, "y"));
        RowPredicate bIsX = row -> SqlValues.equal(row.get(1), "x");
        assertThat(collect(Operators.filter(in, bIsX))).containsExactly(l(1, "x"));
        RowPredicate notX = row -> {
            Boolean eq = SqlValues.equal(row.get(1), "x");
            return eq == null ? null : !eq;
        };
        assertThat(collect(Operators.filter(in, notX))).containsExactly(l(3, "y"));
    }

    @Test
    void aFailingPredicateFailsTheFluxAndCancelsTheInput() {
        AtomicBoolean cancelled = new AtomicBoolean();
        Flux<Row> in = numbers(100).doOnCancel(() -> cancelled.set(true));
        RowPredicate divides = row -> SqlValues.equal(SqlValues.divide(10, row.get(0)), 1);
        StepVerifier.create(Operators.filter(in, divides)).expectErrorMessage("division by zero").verify();
        assertThat(cancelled).isTrue();
    }

    @Test
    void projectEvaluatesEachExpressionOverTheOutputColumns() {
        Columns out = Columns.of("sum", "b");
        RowExpression sum = row -> SqlValues.add(row.get(0), 1);
        List<Row> rows = Operators.project(rows(AB, r(1, "x"), r(null, "y")), out, new RowExpression[] {sum, B})
                .collectList().block();
        assertThat(rows).containsExactly(Row.of(out, 2, "x"), Row.of(out, null, "y"));
        assertThatThrownBy(() -> Operators.project(Flux.empty(), out, new RowExpression[] {A}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 expressions for 2 columns");
    }

    @Test
    void limitSkipsTheOffsetAndStopsReadingOnceSatisfied() {
        AtomicLong requested = new AtomicLong();
        AtomicBoolean cancelled = new AtomicBoolean();
        Flux<Row> endless = Flux.range(0, Integer.MAX_VALUE).map(i -> Row.of(AB, i, "r"))
                .doOnRequest(requested::addAndGet).doOnCancel(() -> cancelled.set(true));
        assertThat(collect(Operators.limit(endless, 3, 2))).containsExactly(l(3, "r"), l(4, "r"));
        assertThat(cancelled).isTrue();
        assertThat(requested.get()).isEqualTo(5);
    }

    @Test
    void limitWithoutOffsetRequestsNoMoreThanTheLimit() {
        AtomicLong requested = new AtomicLong();
        Flux<Row> in = numbers(100).doOnRequest(requested::addAndGet);
        StepVerifier.create(Operators.limit(in, 0, 10)).expectNextCount(10).verifyComplete();
        assertThat(requested.get()).isEqualTo(10);
    }

    @Test
    void negativeLimitMeansNoLimitAndZeroNeverSubscribes() {
        assertThat(collect(Operators.limit(numbers(10), 8, -1))).hasSize(2);
        assertThat(collect(Operators.limit(numbers(10), 0, -1))).hasSize(10);
        TestPublisher<Row> source = TestPublisher.create();
        StepVerifier.create(Operators.limit(source.flux(), 0, 0)).verifyComplete();
        source.assertWasNotSubscribed();
        assertThatThrownBy(() -> Operators.limit(Flux.empty(), -1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void orderByComparesNumbersAcrossTypesWithNullsWhereAsked() {
        Flux<Row> in = rows(AB, r(new BigDecimal("2.5"), "a"), r(null, "b"), r(3L, "c"), r(1, "d"), r(2, "e"));
        Comparator<Row> ascNullsLast = Operators.orderBy(new RowExpression[] {A}, new boolean[] {false},
                new boolean[] {false});
        assertThat(collect(Operators.sort(in, ascNullsLast, MemoryBudget.unlimited())).stream().map(x -> x.get(1)))
                .containsExactly("d", "e", "a", "c", "b");
        Comparator<Row> descNullsFirst = Operators.orderBy(new RowExpression[] {A}, new boolean[] {true},
                new boolean[] {true});
        assertThat(collect(Operators.sort(in, descNullsFirst, MemoryBudget.unlimited())).stream().map(x -> x.get(1)))
                .containsExactly("b", "c", "a", "e", "d");
        Comparator<Row> descNullsLast = Operators.orderBy(new RowExpression[] {A}, new boolean[] {true},
                new boolean[] {false});
        assertThat(collect(Operators.sort(in, descNullsLast, MemoryBudget.unlimited())).stream().map(x -> x.get(1)))
                .containsExactly("c", "a", "e", "d", "b");
    }

    @Test
    void orderByUsesLaterKeysForTiesAndStringsByCodePoint() {
        Flux<Row> in = rows(AB, r(1, "b"), r(1, "B"), r(0, "z"), r(1, "a"));
        Comparator<Row> order = Operators.orderBy(new RowExpression[] {A, B}, new boolean[] {false, true},
                new boolean[] {false, false});
        assertThat(collect(Operators.sort(in, order, MemoryBudget.unlimited())))
                .containsExactly(l(0, "z"), l(1, "b"), l(1, "a"), l(1, "B"));
    }

    @Test
    void sortIsStableForEqualKeys() {
        Flux<Row> in = rows(AB, r(2, "first"), r(1, "x"), r(2, "second"), r(2, "third"));
        Comparator<Row> byA = Operators.orderBy(new RowExpression[] {A}, new boolean[] {false}, new boolean[] {false});
        assertThat(collect(Operators.sort(in, byA, MemoryBudget.unlimited())))
                .containsExactly(l(1, "x"), l(2, "first"), l(2, "second"), l(2, "third"));
    }

    @Test
    void sortingIncomparableValuesFails() {
        Flux<Row> in = rows(AB, r(1, "x"), r("one", "y"));
        Comparator<Row> byA = Operators.orderBy(new RowExpression[] {A}, new boolean[] {false}, new boolean[] {false});
        StepVerifier.create(Operators.sort(in, byA, MemoryBudget.unlimited()))
                .expectError(TributaryException.class).verify();
    }

    @Test
    void sortOverTheBudgetFailsNamingTheSortCancelsTheInputAndReleasesTheBudget() {
        MemoryBudget budget = MemoryBudget.of(5_000);
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicLong emitted = new AtomicLong();
        Flux<Row> in = numbers(1_000_000).doOnNext(x -> emitted.incrementAndGet()).doOnCancel(() -> cancelled.set(true));
        Comparator<Row> byA = Operators.orderBy(new RowExpression[] {A}, new boolean[] {false}, new boolean[] {false});
        StepVerifier.create(Operators.sort(in, byA, budget, "sort#2"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(MemoryBudgetExceededException.class)
                        .hasMessageContaining("sort#2").hasMessageContaining("memoryBudget"))
                .verify();
        assertThat(cancelled).isTrue();
        assertThat(emitted.get()).isLessThan(1000);
        assertThat(budget.used()).isZero();
    }

    @Test
    void sortReleasesItsBudgetWhenDoneOrCancelled() {
        MemoryBudget budget = MemoryBudget.of(1_000_000);
        Comparator<Row> byA = Operators.orderBy(new RowExpression[] {A}, new boolean[] {true}, new boolean[] {false});
        StepVerifier.create(Operators.sort(numbers(100), byA, budget), 0)
                .then(() -> assertThat(budget.used()).isPositive())
                .thenRequest(1)
                .expectNext(Row.of(AB, 99, "r99"))
                .thenCancel()
                .verify();
        assertThat(budget.used()).isZero();
    }

    @Test
    void topNEqualsSortThenLimitIncludingTies() {
        Random random = new Random(42);
        List<Row> input = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            input.add(Row.of(AB, random.nextInt(50), i % 7 == 0 ? null : "r" + i));
        }
        Comparator<Row> order = Operators.orderBy(new RowExpression[] {A}, new boolean[] {true}, new boolean[] {true});
        for (long[] window : new long[][] {{0, 10}, {5, 20}, {4990, 100}, {0, 10_000}}) {
            List<Row> expected = Operators.limit(Operators.sort(Flux.fromIterable(input), order,
                    MemoryBudget.unlimited()), window[0], window[1]).collectList().block();
            List<Row> actual = Operators.topN(Flux.fromIterable(input), order, window[0], window[1])
                    .collectList().block();
            assertThat(actual).as("offset %d limit %d", window[0], window[1]).isEqualTo(expected);
        }
    }

    @Test
    void topNHoldsAtMostOffsetPlusLimitRows() {
        Comparator<Row> order = Operators.orderBy(new RowExpression[] {A}, new boolean[] {false}, new boolean[] {false});
        SortBuffer heap = new SortBuffer(order, 15, null);
        int max = 0;
        for (int i = 100_000; i > 0; i--) {
            heap.add(Row.of(AB, i, "r"));
            max = Math.max(max, heap.size());
        }
        assertThat(max).isEqualTo(15);
        List<Object> best = new ArrayList<>();
        heap.sorted(10).forEach(row -> best.add(row.get(0)));
        assertThat(best).containsExactly(11, 12, 13, 14, 15);
    }

    @Test
    void topNWithPlainComparatorAndZeroLimit() {
        Comparator<Row> byB = Comparator.comparing(row -> (String) Objects.requireNonNull(row.get(1)));
        assertThat(collect(Operators.topN(rows(AB, r(1, "c"), r(2, "a"), r(3, "b")), byB, 1, 1)))
                .containsExactly(l(3, "b"));
        TestPublisher<Row> source = TestPublisher.create();
        StepVerifier.create(Operators.topN(source.flux(), byB, 0, 0)).verifyComplete();
        source.assertWasNotSubscribed();
    }

    @Test
    void cancellingATopNCancelsItsInput() {
        TestPublisher<Row> source = TestPublisher.create();
        Comparator<Row> byA = Operators.orderBy(new RowExpression[] {A}, new boolean[] {false}, new boolean[] {false});
        StepVerifier.create(Operators.topN(source.flux(), byA, 0, 3))
                .then(() -> source.next(Row.of(AB, 1, "x")))
                .thenCancel()
                .verify();
        source.assertCancelled();
    }

    @Test
    void distinctStreamsFirstOccurrencesComparingSqlValues() {
        TestPublisher<Row> source = TestPublisher.create();
        StepVerifier.create(Operators.distinct(source.flux(), MemoryBudget.unlimited()))
                .then(() -> source.next(Row.of(AB, 5, "x")))
                .expectNext(Row.of(AB, 5, "x"))
                .then(() -> source.next(Row.of(AB, new BigDecimal("5.0"), "x"), Row.of(AB, 5L, "X"),
                        Row.of(AB, null, null), Row.of(AB, null, null), Row.of(AB, "5", "x")))
                .expectNext(Row.of(AB, 5L, "X"), Row.of(AB, null, null), Row.of(AB, "5", "x"))
                .then(source::complete)
                .verifyComplete();
    }

    @Test
    void distinctOverTheBudgetFailsAndReleases() {
        MemoryBudget budget = MemoryBudget.of(5_000);
        StepVerifier.create(Operators.distinct(numbers(10_000), budget))
                .thenConsumeWhile(row -> true)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(MemoryBudgetExceededException.class)
                        .hasMessageContaining("DISTINCT"))
                .verify();
        assertThat(budget.used()).isZero();
        assertThat(collect(Operators.distinct(rows(AB, r(1, "a"), r(1, "a")), budget))).hasSize(1);
        assertThat(budget.used()).isZero();
    }

    @Test
    void unionAllEmitsEveryRowOfEveryInputOverTheOutputColumns() {
        Columns out = Columns.of("x", "y");
        Flux<Row> a = rows(AB, r(1, "a"), r(1, "a"));
        Flux<Row> b = rows(Columns.of("c", "d"), r(2, "b"));
        assertThat(Operators.unionAll(List.of(a, b), out).collectList().block())
                .containsExactlyInAnyOrder(Row.of(out, 1, "a"), Row.of(out, 1, "a"), Row.of(out, 2, "b"));
        assertThat(Operators.unionAll(List.of(), out).collectList().block()).isEmpty();
    }

    @Test
    void unionAllPrefetchesABoundedNumberOfRowsPerInput() {
        AtomicLong requestedA = new AtomicLong();
        AtomicLong requestedB = new AtomicLong();
        Flux<Row> a = numbers(1000).doOnRequest(requestedA::addAndGet);
        Flux<Row> b = numbers(1000).doOnRequest(requestedB::addAndGet);
        StepVerifier.create(Operators.unionAll(List.of(a, b), AB, 16), 0)
                .thenRequest(5)
                .expectNextCount(5)
                .then(() -> {
                    assertThat(requestedA.get()).isLessThanOrEqualTo(16);
                    assertThat(requestedB.get()).isLessThanOrEqualTo(16);
                })
                .thenCancel()
                .verify();
    }

    @Test
    void cancellingAUnionCancelsEveryInputAndAnErrorCancelsTheOthers() {
        TestPublisher<Row> a = TestPublisher.create();
        TestPublisher<Row> b = TestPublisher.create();
        StepVerifier.create(Operators.unionAll(List.of(a.flux(), b.flux()), AB))
                .then(() -> a.next(Row.of(AB, 1, "a")))
                .expectNextCount(1)
                .thenCancel()
                .verify();
        a.assertCancelled();
        b.assertCancelled();

        TestPublisher<Row> c = TestPublisher.create();
        TestPublisher<Row> d = TestPublisher.create();
        StepVerifier.create(Operators.unionAll(List.of(c.flux(), d.flux()), AB))
                .then(() -> c.error(new IllegalStateException("shard down")))
                .expectErrorMessage("shard down")
                .verify();
        d.assertCancelled();
    }

    @Test
    void limitOverAUnionStopsReadingEveryInput() {
        TestPublisher<Row> a = TestPublisher.create();
        TestPublisher<Row> b = TestPublisher.create();
        StepVerifier.create(Operators.limit(Operators.unionAll(List.of(a.flux(), b.flux()), AB, 8), 0, 3))
                .then(() -> a.next(Row.of(AB, 1, "a"), Row.of(AB, 2, "a")))
                .then(() -> b.next(Row.of(AB, 1, "b")))
                .expectNextCount(3)
                .verifyComplete();
        a.assertCancelled();
        b.assertCancelled();
    }
}
