package dev.tributary.federation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.core.Row;
import dev.tributary.federation.exec.SqlValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@link DifferentialQueries}, {@link AnalyticsQueries} and {@link PlannerQueries} query, run federated (dynamic filters on, with small IN-list batches;
 * and off) must return the rows PostgreSQL returns with all tables in one schema: as a multiset, or in
 * order where ORDER BY fixes it.
 */
class DifferentialTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static ShopFixture shop;
    private static Federation withDynamicFilters;
    private static Federation withoutDynamicFilters;

    @BeforeAll
    static void setUp() {
        shop = ShopFixture.get();
        withDynamicFilters = Federation.over(shop.databases, FederationOptions.builder().inListBatchSize(50).build());
        withoutDynamicFilters = Federation.over(shop.databases, FederationOptions.builder().dynamicFilterMaxKeys(0).build());
    }

    static Stream<DifferentialQueries.Case> queries() {
        return DifferentialQueries.all().stream();
    }

    static Stream<DifferentialQueries.Case> analyticQueries() {
        return AnalyticsQueries.all().stream();
    }

    static Stream<DifferentialQueries.Case> plannerQueries() {
        return PlannerQueries.all().stream();
    }

    @Test
    void theSuiteHasAtLeastSixtyQueries() {
        assertThat(DifferentialQueries.all()).hasSizeGreaterThanOrEqualTo(60);
    }

    @Test
    void theSuiteExercisesDynamicFiltersAndEveryJoinType() {
        List<Plan> plans = DifferentialQueries.all().stream()
                .map(q -> withDynamicFilters.explain(q.sql()).block(TIMEOUT)).toList();
        long dynamic = plans.stream().flatMap(p -> p.joins().stream()).filter(Plan.Join::dynamicFilter).count();
        assertThat(dynamic).isGreaterThanOrEqualTo(20);
        assertThat(plans.stream().flatMap(p -> p.joins().stream()).map(Plan.Join::type).distinct())
                .contains("INNER", "LEFT", "FULL");
        assertThat(plans.stream().filter(p -> p.fragments().stream().map(Plan.Fragment::database).distinct().count() == 4))
                .hasSizeGreaterThanOrEqualTo(4);
        assertThat(plans.stream().filter(Plan::pushedWhole)).hasSize(6);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queries")
    void federatedRowsEqualTheOracle(DifferentialQueries.Case q) {
        assertSameRowsAsTheOracle(shop, q, withDynamicFilters, withoutDynamicFilters);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("analyticQueries")
    void analyticFederatedRowsEqualTheOracle(DifferentialQueries.Case q) {
        assertSameRowsAsTheOracle(shop, q, withDynamicFilters, withoutDynamicFilters);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plannerQueries")
    void normalizedAndDecorrelatedFederatedRowsEqualTheOracle(DifferentialQueries.Case q) {
        assertSameRowsAsTheOracle(shop, q, withDynamicFilters, withoutDynamicFilters);
    }

    /**
     * Runs {@code q} on the oracle and through each federation: the rows must be equal, in order when the
     * case says its ORDER BY fixes the order, else as a multiset; the oracle must return rows.
     */
    static void assertSameRowsAsTheOracle(ShopFixture shop, DifferentialQueries.Case q, Federation... federations) {
        List<List<Object>> expected = normalize(shop.oracleDb().query(dollarMarkers(q.sql()), q.params())
                .collectList().block(TIMEOUT));
        for (Federation f : federations) {
            List<List<Object>> actual = normalize(f.query(q.sql(), q.params()).collectList().block(TIMEOUT));
            String plan = f.explain(q.sql()).block(TIMEOUT).toString();
            if (q.ordered()) {
                assertThat(actual).as("in order; plan:%n%s", plan).containsExactlyElementsOf(expected);
            } else {
                assertThat(sorted(actual)).as("as a multiset; plan:%n%s", plan).containsExactlyElementsOf(sorted(expected));
            }
        }
        assertThat(expected).as("the oracle must return rows for the query to test anything").isNotEmpty();
    }

    static List<List<Object>> normalize(List<Row> rows) {
        List<List<Object>> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(Arrays.stream(r.values()).map(v -> (Object) String.valueOf(SqlValues.keyOf(v))).toList());
        }
        return out;
    }

    private static List<List<Object>> sorted(List<List<Object>> rows) {
        List<List<Object>> copy = new ArrayList<>(rows);
        copy.sort(Comparator.comparing(Object::toString));
        return copy;
    }

    /** The SQL with {@code ?} replaced by {@code $1, $2, ...} for PostgreSQL. */
    static String dollarMarkers(String sql) {
        StringBuilder sb = new StringBuilder();
        int n = 0;
        boolean quoted = false;
        for (char ch : sql.toCharArray()) {
            if (ch == '\'') {
                quoted = !quoted;
            }
            if (ch == '?' && !quoted) {
                sb.append('$').append(++n);
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }
}
