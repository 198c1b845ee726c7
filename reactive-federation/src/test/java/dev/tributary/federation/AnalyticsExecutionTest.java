package dev.tributary.federation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.core.Database;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * Execution of analytic queries against the real databases: a LIMIT stops reading its sources, and the
 * operators that hold rows (aggregation, sort, UNION's duplicate elimination) fail cleanly past the memory
 * budget, returning every connection.
 */
class AnalyticsExecutionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final long BIG = 2_000_000;
    private static ShopFixture shop;
    private static Database sales;

    @BeforeAll
    static void setUp() {
        shop = ShopFixture.get();
        sales = shop.databases.get("sales");
        // a view of 2,000,000 rows whose every produced row advances a sequence: how far PostgreSQL read
        sales.update("CREATE SEQUENCE IF NOT EXISTS fed_sales.fed_rows_read").block(TIMEOUT);
        sales.update("CREATE OR REPLACE VIEW fed_sales.fed_counted AS SELECT g AS id,"
                + " nextval('fed_sales.fed_rows_read') AS n FROM generate_series(1, " + BIG + ") g").block(TIMEOUT);
    }

    private static long rowsReadDuring(Runnable query) {
        sales.query("SELECT setval('fed_sales.fed_rows_read', 1, false)").then().block(TIMEOUT);
        query.run();
        awaitAllConnectionsReturned();
        return sales.query("SELECT last_value FROM fed_sales.fed_rows_read").map(r -> ((Number) r.get(0)).longValue())
                .blockFirst(TIMEOUT);
    }

    @Test
    void aLimitOverAUnionAllStopsReadingEverySource() {
        Federation fed = Federation.over(shop.databases);
        long read = rowsReadDuring(() -> StepVerifier.create(fed.query(
                        "SELECT id FROM fed_counted UNION ALL SELECT id FROM customers LIMIT 10"))
                .expectNextCount(10).expectComplete().verify(TIMEOUT));
        assertThat(read).as("rows PostgreSQL produced for a LIMIT 10").isLessThan(BIG / 2);
    }

    @Test
    void aLimitOverAnInnerJoinStopsReadingTheProbeSide() {
        Federation fed = Federation.over(shop.databases, FederationOptions.builder().dynamicFilterMaxKeys(0).build());
        String sql = "SELECT c.name, e.n FROM customers c JOIN fed_counted e ON e.id = c.id LIMIT 5";
        assertThat(fed.explain(sql).block(TIMEOUT).joins().get(0).buildSide()).isEqualTo("LEFT");
        long read = rowsReadDuring(() -> StepVerifier.create(fed.query(sql))
                .expectNextCount(5).expectComplete().verify(TIMEOUT));
        assertThat(read).as("rows PostgreSQL produced for a LIMIT 5").isLessThan(BIG / 2);
    }

    @Test
    void anAggregationBeyondTheMemoryBudgetFailsNamingItAndReturnsTheConnections() {
        assertBudgetExceeded("SELECT u.id, COUNT(*) FROM (SELECT id FROM orders UNION ALL SELECT id FROM customers) u"
                + " GROUP BY u.id", "aggregate");
    }

    @Test
    void aFullSortBeyondTheMemoryBudgetFailsNamingItAndReturnsTheConnections() {
        assertBudgetExceeded("SELECT id FROM orders UNION ALL SELECT id FROM customers ORDER BY 1", "sort");
    }

    @Test
    void unionDuplicateEliminationStreamsFirstOccurrencesAndFailsPastTheMemoryBudget() {
        Federation small = Federation.over(shop.databases, FederationOptions.builder().memoryBudget(4096).build());
        StepVerifier.create(small.query("SELECT id FROM orders UNION SELECT id FROM customers"))
                .thenConsumeWhile(row -> true)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(MemoryBudgetExceededException.class)
                        .hasMessageContaining("UNION").hasMessageContaining("memoryBudget"))
                .verify(TIMEOUT);
        awaitAllConnectionsReturned();
    }

    @Test
    void aTopNHoldsOnlyItsRowsAndFitsASmallBudgetThatAFullSortExceeds() {
        Federation small = Federation.over(shop.databases, FederationOptions.builder().memoryBudget(4096).build());
        StepVerifier.create(small.query("SELECT id FROM orders UNION ALL SELECT id FROM customers ORDER BY 1 DESC LIMIT 3"))
                .expectNextCount(3).expectComplete().verify(TIMEOUT);
        awaitAllConnectionsReturned();
    }

    private static void assertBudgetExceeded(String sql, String operator) {
        Federation small = Federation.over(shop.databases, FederationOptions.builder().memoryBudget(4096).build());
        StepVerifier.create(small.query(sql))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(MemoryBudgetExceededException.class)
                        .hasMessageContaining(operator).hasMessageContaining("4096").hasMessageContaining("memoryBudget"))
                .verify(TIMEOUT);
        awaitAllConnectionsReturned();
    }

    private static void awaitAllConnectionsReturned() {
        shop.awaitAllConnectionsReturned();
    }
}
