package dev.tributary.federation;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@link AnalyticsQueries} query, run federated with dynamic filters on (small IN-list batches) and
 * off, must return the rows PostgreSQL returns with all tables in one schema.
 */
class AnalyticsDifferentialTest {

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
        DifferentialTest.assertSameRowsAsTheOracle(shop, q, withDynamicFilters, withoutDynamicFilters);
    }
}
