package dev.tributary.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@link AnalyticsQueries} query, run federated with dynamic filters on (small IN-list batches) and
 * off, must return the rows PostgreSQL returns with all tables in one schema.
 */
class AnalyticsDifferentialTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static ShopFixture shop;
    private static Federation withDynamicFilters;
    private static Federation withoutDynamicFilters;

    @BeforeAll
    static void setUp() {
        shop = ShopFixture.get();
        withDynamicFilters = Federation.over(shop.databases, FederationOptions.builder().inListBatchSize(7).build());
        withoutDynamicFilters = Federation.over(shop.databases, FederationOptions.builder().dynamicFilterMaxKeys(0).build());
    }

    static Stream<DifferentialQueries.Case> queries() {
        return AnalyticsQueries.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queries")
    void federatedRowsEqualTheOracle(DifferentialQueries.Case q) {
        List<List<Object>> expected = DifferentialTest.normalize(shop.oracleDb()
                .query(DifferentialTest.dollarMarkers(q.sql()), q.params()).collectList().block(TIMEOUT));
        for (Federation f : List.of(withDynamicFilters, withoutDynamicFilters)) {
            List<List<Object>> actual = DifferentialTest.normalize(f.query(q.sql(), q.params()).collectList().block(TIMEOUT));
            String plan = f.explain(q.sql()).block(TIMEOUT).toString();
            if (q.ordered()) {
                assertThat(actual).as("in order; plan:\n%s", plan).containsExactlyElementsOf(expected);
            } else {
                assertThat(sorted(actual)).as("as a multiset; plan:\n%s", plan).containsExactlyElementsOf(sorted(expected));
            }
        }
        assertThat(expected).as("the oracle must return rows for the query to test anything").isNotEmpty();
    }

    private static List<List<Object>> sorted(List<List<Object>> rows) {
        List<List<Object>> copy = new ArrayList<>(rows);
        copy.sort(Comparator.comparing(Object::toString));
        return copy;
    }
}
