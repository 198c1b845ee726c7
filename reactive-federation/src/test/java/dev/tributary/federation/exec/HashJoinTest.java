package dev.tributary.federation.exec;

import static dev.tributary.federation.exec.TestRows.l;
import static dev.tributary.federation.exec.TestRows.r;
import static dev.tributary.federation.exec.TestRows.rows;
import static dev.tributary.federation.exec.TestRows.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.core.Columns;
import dev.tributary.core.Row;
import dev.tributary.federation.exec.HashJoin.Side;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;

/** Join semantics: every join type, NULLs, key normalization, residual conditions, dynamic filters. */
class HashJoinTest {

    static final Columns CUSTOMERS = Columns.of("id", "name");
    static final Columns ORDERS = Columns.of("order_id", "customer_id");
    static final Columns PAIRS = Columns.of("id", "name", "order_id", "customer_id");

    static final Flux<Row> CUSTOMER_ROWS = rows(CUSTOMERS,
            r(1, "ann"), r(2L, "bob"), r(new BigDecimal("3.0"), "cy"), r(null, "nul"), r(4, "dee"));
    static final Flux<Row> ORDER_ROWS = rows(ORDERS,
            r(10, 1L), r(11, (short) 1), r(12, new BigDecimal("2")), r(13, null), r(14, 5), r(15, 3.0d));

    static HashJoin.Builder join(JoinType type, Side build, Flux<Row> left, Flux<Row> right) {
        return HashJoin.builder().type(type).name("join#1 customers x orders").buildSide(build)
                .left(ProbeSource.of(left), new int[] {0}, 2)
                .right(ProbeSource.of(right), new int[] {1}, 2)
                .output(type.leftOnly() ? CUSTOMERS : PAIRS)
                .prefetch(2);
    }

    static List<List<Object>> run(HashJoin.Builder builder) {
        return values(Objects.requireNonNull(builder.build().collectList().block()));
    }

    static List<List<Object>> run(JoinType type, Side build) {
        return run(join(type, build, CUSTOMER_ROWS, ORDER_ROWS));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void innerJoinMatchesNumericKeysAcrossTypesAndNeverNulls(Side build) {
        assertThat(run(JoinType.INNER, build)).containsExactlyInAnyOrder(
                l(1, "ann", 10, 1L), l(1, "ann", 11, (short) 1), l(2L, "bob", 12, new BigDecimal("2")),
                l(new BigDecimal("3.0"), "cy", 15, 3.0d));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void leftJoinPadsUnmatchedLeftRowsIncludingNullKeys(Side build) {
        assertThat(run(JoinType.LEFT, build)).containsExactlyInAnyOrder(
                l(1, "ann", 10, 1L), l(1, "ann", 11, (short) 1), l(2L, "bob", 12, new BigDecimal("2")),
                l(new BigDecimal("3.0"), "cy", 15, 3.0d), l(null, "nul", null, null), l(4, "dee", null, null));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void aProjectedJoinEmitsOnlyTheChosenColumnsInTheirOrderPaddedWithNulls(Side build) {
        Columns out = Columns.of("order_id", "name");
        List<Row> result = join(JoinType.FULL, build, CUSTOMER_ROWS, ORDER_ROWS)
                .project(new int[] {2, 1}, out).build().collectList().block();
        assertThat(result).allSatisfy(row -> assertThat(row.columns()).isEqualTo(out));
        assertThat(values(result)).containsExactlyInAnyOrder(
                l(10, "ann"), l(11, "ann"), l(12, "bob"), l(15, "cy"), l(null, "nul"), l(null, "dee"),
                l(13, null), l(14, null));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void aProjectedJoinEvaluatesItsResidualConditionOnTheWholePair(Side build) {
        RowPredicate orderAbove10 = row -> ((Number) row.get(2)).intValue() > 10;
        assertThat(run(join(JoinType.INNER, build, CUSTOMER_ROWS, ORDER_ROWS).extraCondition(orderAbove10)
                .project(new int[] {1}, Columns.of("name"))))
                .containsExactlyInAnyOrder(l("ann"), l("bob"), l("cy"));
    }

    @Test
    void projectionPositionsMustFitTheOutput() {
        assertThatThrownBy(() -> join(JoinType.INNER, Side.RIGHT, CUSTOMER_ROWS, ORDER_ROWS)
                .project(new int[] {4}, Columns.of("x")).build()).hasMessageContaining("position 4");
        assertThatThrownBy(() -> join(JoinType.INNER, Side.RIGHT, CUSTOMER_ROWS, ORDER_ROWS)
                .project(new int[] {0, 1}, Columns.of("x"))).hasMessageContaining("2 positions");
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void rightJoinPadsUnmatchedRightRowsIncludingNullKeys(Side build) {
        assertThat(run(JoinType.RIGHT, build)).containsExactlyInAnyOrder(
                l(1, "ann", 10, 1L), l(1, "ann", 11, (short) 1), l(2L, "bob", 12, new BigDecimal("2")),
                l(new BigDecimal("3.0"), "cy", 15, 3.0d), l(null, null, 13, null), l(null, null, 14, 5));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void fullJoinPadsUnmatchedRowsOfBothSides(Side build) {
        assertThat(run(JoinType.FULL, build)).containsExactlyInAnyOrder(
                l(1, "ann", 10, 1L), l(1, "ann", 11, (short) 1), l(2L, "bob", 12, new BigDecimal("2")),
                l(new BigDecimal("3.0"), "cy", 15, 3.0d), l(null, "nul", null, null), l(4, "dee", null, null),
                l(null, null, 13, null), l(null, null, 14, 5));
    }

    @Test
    void unmatchedBuildRowsComeAfterAllMatches() {
        List<List<Object>> result = run(JoinType.FULL, Side.RIGHT);
        assertThat(result.subList(result.size() - 2, result.size()))
                .containsExactlyInAnyOrder(l(null, null, 13, null), l(null, null, 14, 5));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void semiJoinEmitsEachMatchingLeftRowOnce(Side build) {
        assertThat(run(JoinType.SEMI, build)).containsExactlyInAnyOrder(
                l(1, "ann"), l(2L, "bob"), l(new BigDecimal("3.0"), "cy"));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void antiJoinEmitsLeftRowsWithoutMatchIncludingNullKeys(Side build) {
        assertThat(run(JoinType.ANTI, build)).containsExactlyInAnyOrder(l(null, "nul"), l(4, "dee"));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void notInYieldsNothingWhenTheSubqueryHasANull(Side build) {
        assertThat(run(JoinType.NOT_IN, build)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void notInDropsOuterNullKeysWhenTheSubqueryIsNotEmpty(Side build) {
        Flux<Row> noNulls = rows(ORDERS, r(10, 1), r(14, 5));
        assertThat(run(join(JoinType.NOT_IN, build, CUSTOMER_ROWS, noNulls))).containsExactlyInAnyOrder(
                l(2L, "bob"), l(new BigDecimal("3.0"), "cy"), l(4, "dee"));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void notInOverAnEmptySubqueryKeepsEveryOuterRow(Side build) {
        assertThat(run(join(JoinType.NOT_IN, build, CUSTOMER_ROWS, Flux.empty()))).hasSize(5).contains(l(null, "nul"));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void antiJoinOverAnEmptySubqueryKeepsEveryOuterRow(Side build) {
        assertThat(run(join(JoinType.ANTI, build, CUSTOMER_ROWS, Flux.empty()))).hasSize(5);
    }

    @ParameterizedTest
    @EnumSource(value = JoinType.class, names = {"INNER", "SEMI", "RIGHT"})
    void joinsThatNeedMatchesAreEmptyWhenTheLeftSideIsEmpty(JoinType type) {
        assertThat(run(join(type, Side.LEFT, Flux.empty(), ORDER_ROWS)))
                .hasSize(type == JoinType.RIGHT ? 6 : 0);
    }

    @Test
    void stringKeysMatchExactly() {
        Columns c = Columns.of("k");
        Flux<Row> left = rows(c, r("a"), r("A"), r("a "));
        Flux<Row> right = rows(c, r("a"), r("b"));
        List<List<Object>> result = run(HashJoin.builder().left(ProbeSource.of(left), new int[] {0}, 1)
                .right(ProbeSource.of(right), new int[] {0}, 1).output(Columns.of("l", "r")));
        assertThat(result).containsExactly(l("a", "a"));
    }

    @Test
    void fractionalAndMixedKeysSwitchTheTableToObjectKeys() {
        Columns c = Columns.of("k");
        Flux<Row> build = rows(c, r(1), r(new BigDecimal("2.50")), r("x"), r(3L));
        Flux<Row> probe = rows(c, r(1L), r(2.5d), r(new BigDecimal("3.000")), r("x"), r(4));
        List<List<Object>> result = run(HashJoin.builder().left(ProbeSource.of(probe), new int[] {0}, 1)
                .right(ProbeSource.of(build), new int[] {0}, 1).output(Columns.of("l", "r")));
        assertThat(result).containsExactlyInAnyOrder(l(1L, 1), l(2.5d, new BigDecimal("2.50")),
                l(new BigDecimal("3.000"), 3L), l("x", "x"));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void compositeKeysMatchOnEveryPartAndNeverWithANullPart(Side build) {
        Columns a = Columns.of("x", "y");
        Columns b = Columns.of("y2", "x2", "v");
        Flux<Row> left = rows(a, r(1, "p"), r(1, "q"), r(2, "p"), r(null, "p"), r(3, null));
        Flux<Row> right = rows(b, r("p", 1L, "A"), r("q", new BigDecimal("1.0"), "B"), r("p", 3, "C"),
                r(null, 3, "D"), r("p", null, "E"));
        List<List<Object>> result = run(HashJoin.builder().type(JoinType.LEFT).buildSide(build)
                .left(ProbeSource.of(left), new int[] {0, 1}, 2)
                .right(ProbeSource.of(right), new int[] {1, 0}, 3)
                .output(Columns.of("x", "y", "y2", "x2", "v")));
        assertThat(result).containsExactlyInAnyOrder(
                l(1, "p", "p", 1L, "A"), l(1, "q", "q", new BigDecimal("1.0"), "B"),
                l(2, "p", null, null, null), l(null, "p", null, null, null), l(3, null, null, null, null));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void residualConditionDecidesWhichPairsMatchForOuterJoins(Side build) {
        // ON c.id = o.customer_id AND o.order_id > 10: ann keeps order 11 only; bob's order 12 also passes
        RowPredicate residual = row -> {
            Object orderId = row.get(2);
            return orderId == null ? null : ((Integer) orderId) > 11;
        };
        assertThat(run(join(JoinType.FULL, build, CUSTOMER_ROWS, ORDER_ROWS).extraCondition(residual)))
                .containsExactlyInAnyOrder(
                        l(2L, "bob", 12, new BigDecimal("2")), l(new BigDecimal("3.0"), "cy", 15, 3.0d),
                        l(1, "ann", null, null), l(null, "nul", null, null), l(4, "dee", null, null),
                        l(null, null, 10, 1L), l(null, null, 11, (short) 1),
                        l(null, null, 13, null), l(null, null, 14, 5));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void residualConditionAppliesToSemiAndAntiJoins(Side build) {
        RowPredicate unknownForAnn = row -> "ann".equals(row.get(1)) ? null : Boolean.TRUE;
        assertThat(run(join(JoinType.SEMI, build, CUSTOMER_ROWS, ORDER_ROWS).extraCondition(unknownForAnn)))
                .containsExactlyInAnyOrder(l(2L, "bob"), l(new BigDecimal("3.0"), "cy"));
        assertThat(run(join(JoinType.ANTI, build, CUSTOMER_ROWS, ORDER_ROWS).extraCondition(unknownForAnn)))
                .containsExactlyInAnyOrder(l(1, "ann"), l(null, "nul"), l(4, "dee"));
    }

    @Test
    void semiJoinOutputOverOtherColumnNamesRelabelsTheLeftRows() {
        Columns renamed = Columns.of("cid", "cname");
        List<Row> result = HashJoin.builder().type(JoinType.SEMI)
                .left(ProbeSource.of(CUSTOMER_ROWS), new int[] {0}, 2)
                .right(ProbeSource.of(ORDER_ROWS), new int[] {1}, 2)
                .output(renamed).build().collectList().block();
        assertThat(result).isNotNull().hasSize(3).allSatisfy(row -> assertThat(row.columns()).isEqualTo(renamed));
    }

    @Test
    void dynamicFilterOpensTheProbeWithTheDistinctBuildKeys() {
        RecordingSource probe = new RecordingSource(ORDER_ROWS);
        Flux<Row> build = rows(CUSTOMERS, r(1, "ann"), r(1L, "ann2"), r(new BigDecimal("2.0"), "bob"), r(null, "x"));
        List<Row> result = HashJoin.builder().buildSide(Side.LEFT).dynamicFilter(10)
                .left(ProbeSource.of(build), new int[] {0}, 2)
                .right(probe, new int[] {1}, 2).output(PAIRS).build().collectList().block();
        assertThat(probe.opened).containsExactly(List.of(1, new BigDecimal("2.0")));
        assertThat(result).hasSize(5);
    }

    @Test
    void dynamicFilterOpensTheProbeUnfilteredWhenThereAreTooManyKeys() {
        RecordingSource probe = new RecordingSource(ORDER_ROWS);
        List<Row> result = HashJoin.builder().buildSide(Side.LEFT).dynamicFilter(2)
                .left(ProbeSource.of(CUSTOMER_ROWS), new int[] {0}, 2)
                .right(probe, new int[] {1}, 2).output(PAIRS).build().collectList().block();
        assertThat(probe.opened).hasSize(1).containsNull();
        assertThat(result).hasSize(4);
    }

    @Test
    void dynamicFilterNeverRestrictsAPreservedProbeSide() {
        assertThat(HashJoin.dynamicFilterApplies(JoinType.LEFT, Side.RIGHT)).isFalse();
        assertThat(HashJoin.dynamicFilterApplies(JoinType.LEFT, Side.LEFT)).isTrue();
        assertThat(HashJoin.dynamicFilterApplies(JoinType.ANTI, Side.RIGHT)).isFalse();
        assertThat(HashJoin.dynamicFilterApplies(JoinType.NOT_IN, Side.LEFT)).isFalse();
        assertThat(HashJoin.dynamicFilterApplies(JoinType.SEMI, Side.RIGHT)).isTrue();
        RecordingSource probe = new RecordingSource(CUSTOMER_ROWS);
        List<Row> result = HashJoin.builder().type(JoinType.LEFT).buildSide(Side.RIGHT).dynamicFilter(100)
                .left(probe, new int[] {0}, 2)
                .right(ProbeSource.of(ORDER_ROWS), new int[] {1}, 2).output(PAIRS).build().collectList().block();
        assertThat(probe.opened).hasSize(1).containsNull();
        assertThat(result).hasSize(6);
    }

    @Test
    void anEmptyBuildSideWithDynamicFilterNeverOpensTheProbe() {
        RecordingSource probe = new RecordingSource(ORDER_ROWS);
        List<Row> result = HashJoin.builder().buildSide(Side.LEFT).dynamicFilter(10)
                .left(ProbeSource.of(rows(CUSTOMERS, r(null, "x"))), new int[] {0}, 2)
                .right(probe, new int[] {1}, 2).output(PAIRS).build().collectList().block();
        assertThat(result).isEmpty();
        assertThat(probe.opened).isEmpty();
    }

    @Test
    void dynamicFilterOnCompositeKeysPassesTheDistinctValuesOfTheFirstKey() {
        Columns ab = Columns.of("a", "b");
        Flux<Row> build = rows(ab, r(1, "x"), r(1L, "y"), r(2, "x"), r(3, null));
        RecordingSource probe = new RecordingSource(rows(ab, r(1, "y"), r(2, "y")));
        List<Row> result = HashJoin.builder().buildSide(Side.LEFT).dynamicFilter(10)
                .left(ProbeSource.of(build), new int[] {0, 1}, 2)
                .right(probe, new int[] {0, 1}, 2).output(Columns.of("a", "b", "c", "d")).build()
                .collectList().block();
        assertThat(probe.opened).containsExactly(List.of(1, 2));
        assertThat(result).hasSize(1);
    }

    @Test
    void aBuildSideOfOnlyNullKeysNeverOpensAFilteredProbeAndStillPadsItsRows() {
        RecordingSource probe = new RecordingSource(ORDER_ROWS);
        List<List<Object>> result = run(HashJoin.builder().type(JoinType.LEFT).buildSide(Side.LEFT).dynamicFilter(10)
                .left(ProbeSource.of(rows(CUSTOMERS, r(null, "x"), r(null, "y"))), new int[] {0}, 2)
                .right(probe, new int[] {1}, 2).output(PAIRS));
        assertThat(result).containsExactlyInAnyOrder(l(null, "x", null, null), l(null, "y", null, null));
        assertThat(probe.opened).isEmpty();
    }

    @Test
    void builderRefusesInconsistentJoins() {
        assertThatThrownBy(() -> HashJoin.builder().left(ProbeSource.of(Flux.empty()), new int[] {2}, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("left key index 2");
        assertThatThrownBy(() -> HashJoin.builder().left(ProbeSource.of(Flux.empty()), new int[] {0}, 2)
                .right(ProbeSource.of(Flux.empty()), new int[] {0, 1}, 2).output(PAIRS).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("1 left keys but 2 right keys");
        assertThatThrownBy(() -> join(JoinType.SEMI, Side.RIGHT, Flux.empty(), Flux.empty()).output(PAIRS).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("emits 2 columns");
        assertThatThrownBy(() -> HashJoin.builder().prefetch(0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** A source that records the dynamic-filter keys it is opened with. */
    static final class RecordingSource implements ProbeSource {
        final List<@Nullable List<Object>> opened = new ArrayList<>();
        private final Flux<Row> rows;

        RecordingSource(Flux<Row> rows) {
            this.rows = rows;
        }

        @Override
        public Flux<Row> open(@Nullable List<Object> keys) {
            opened.add(keys);
            return rows;
        }
    }
}
