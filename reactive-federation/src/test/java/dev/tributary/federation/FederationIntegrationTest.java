package dev.tributary.federation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.core.Database;
import dev.tributary.core.Databases;
import dev.tributary.core.Row;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** Federation over H2, PostgreSQL and MariaDB: explain, cancellation, errors, parameters, mapping, catalog. */
class FederationIntegrationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String README_EXAMPLE = "SELECT c.name, o.amount FROM customers.customers c "
            + "JOIN orders.orders o ON o.customer_id = c.id WHERE c.country = 'DE'";

    private static ShopFixture shop;
    private static Federation federation;

    @BeforeAll
    static void setUp() {
        shop = ShopFixture.get();
        federation = Federation.over(shop.databases);
    }

    @Test
    void explainShowsTheFilterPushedToH2AndTheDynamicFilterPushedToPostgres() {
        Databases readme = Databases.builder().database("customers", shop.crmUrl).database("orders", shop.salesUrl).build();
        Plan plan;
        try {
            plan = Federation.over(readme).explain(README_EXAMPLE).block(TIMEOUT);
        } finally {
            readme.close().block(TIMEOUT);
        }
        System.out.println("EXPLAIN " + README_EXAMPLE + "\n" + plan);
        Plan.Fragment h2 = plan.fragments().stream().filter(f -> f.dialect().equals("H2")).findFirst().orElseThrow();
        Plan.Fragment pg = plan.fragments().stream().filter(f -> f.dialect().equals("POSTGRESQL")).findFirst().orElseThrow();
        assertThat(h2.database()).isEqualTo("customers");
        assertThat(h2.sql()).isEqualTo("SELECT \"c\".\"ID\", \"c\".\"NAME\" FROM \"CUSTOMERS\" \"c\" WHERE \"c\".\"COUNTRY\" = $1");
        assertThat(h2.binds()).containsExactly("'DE'");
        assertThat(pg.database()).isEqualTo("orders");
        assertThat(pg.sql()).isEqualTo("SELECT \"o\".\"customer_id\", \"o\".\"amount\" FROM \"orders\" \"o\""
                + " WHERE \"o\".\"customer_id\" = ANY($1)");
        assertThat(pg.dynamicFilter()).isNotNull();
        Plan.Join join = plan.joins().get(0);
        assertThat(join.dynamicFilter()).isTrue();
        assertThat(join.buildSide()).isEqualTo("LEFT");
        assertThat(join.keys()).containsExactly("c.ID = o.customer_id");
        assertThat(plan.root()).isInstanceOf(Plan.Operator.class);
        assertThat(pg.estimatedRows()).as("pg_class.reltuples after ANALYZE").isEqualTo(1500);
        assertThat(h2.estimatedRows()).as("H2 ROW_COUNT_ESTIMATE times the selectivity of =").isEqualTo(40);
    }

    @Test
    void mariaDbRowEstimatesComeFromInformationSchema() {
        Plan plan = federation.explain("SELECT p.name FROM products p").block(TIMEOUT);
        assertThat(plan.pushedWhole()).isTrue();
        assertThat(plan.fragments().get(0).sql()).isEqualTo("SELECT `p`.`name` FROM `products` `p`");
        assertThat(plan.fragments().get(0).estimatedRows()).isBetween(60.0, 240.0);
    }

    @Test
    void cancellingAThreeDatabaseJoinMidStreamReturnsEveryConnection() {
        String sql = "SELECT c.name, o.id, l.line_no, p.name FROM customers c JOIN orders o ON o.customer_id = c.id"
                + " JOIN order_lines l ON l.order_id = o.id JOIN products p ON p.id = l.product_id";
        for (int maxKeys : new int[] {0, 10_000}) {
            Federation fed = Federation.over(shop.databases,
                    FederationOptions.builder().dynamicFilterMaxKeys(maxKeys).probePrefetch(16).build());
            StepVerifier.create(fed.query(sql), 0)
                    .thenRequest(5)
                    .expectNextCount(5)
                    .thenCancel()
                    .verify(TIMEOUT);
            awaitAllConnectionsReturned();
            for (String db : shop.databases.names()) {
                StepVerifier.create(shop.databases.get(db).query("SELECT 1")).expectNextCount(1).expectComplete().verify(TIMEOUT);
            }
            StepVerifier.create(fed.query(sql).count()).expectNextMatches(n -> n > 1000).expectComplete().verify(TIMEOUT);
            awaitAllConnectionsReturned();
        }
    }

    @Test
    void anErrorInOneFragmentReachesTheCallerOnceNamingTheDatabase() {
        StepVerifier.create(federation.query("SELECT c.id, o.id FROM customers c JOIN orders o ON o.customer_id = c.id"
                        + " WHERE o.priority / 0 > 1"))
                .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("'sales'").hasMessageContaining("division by zero"))
                .verify(TIMEOUT);
        awaitAllConnectionsReturned();
    }

    @Test
    void unsupportedSqlFailsBeforeAnyDatabaseIsTouched() {
        Databases unreachable = Databases.builder()
                .database("down", "r2dbc:postgresql://postgres@127.0.0.1:1/test").build();
        try {
            StepVerifier.create(Federation.over(unreachable).query("SELECT a FROM t INTERSECT SELECT a FROM u"))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(UnsupportedSqlException.class)
                            .hasMessageContaining("INTERSECT").hasMessageContaining("line 1, column 17"))
                    .verify(TIMEOUT);
            StepVerifier.create(Federation.over(unreachable).query("UPDATE t SET a = 1"))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(UnsupportedSqlException.class)
                            .hasMessageContaining("SELECT statements only"))
                    .verify(TIMEOUT);
            assertThat(unreachable.get("down").poolMetrics().allocated()).isZero();
        } finally {
            unreachable.close().block(TIMEOUT);
        }
    }

    @Test
    void aDatabaseDownWhenTheCatalogLoadsFailsOnlyTheQueriesThatNameItsTables() {
        Databases withOneDown = Databases.builder()
                .database("crm", shop.crmUrl)
                .database("sales", shop.salesUrl)
                .database("down", "r2dbc:postgresql://postgres@127.0.0.1:1/test")
                .build();
        try {
            Federation fed = Federation.over(withOneDown);
            StepVerifier.create(fed.query("SELECT c.id, o.id FROM customers c JOIN orders o ON o.customer_id = c.id").count())
                    .expectNextMatches(n -> n > 100).expectComplete().verify(TIMEOUT);
            StepVerifier.create(fed.query("SELECT t.a FROM down.t t"))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(dev.tributary.core.DatabaseUnavailableException.class)
                            .hasMessageContaining("'down'").hasMessageContaining("could not be read"))
                    .verify(TIMEOUT);
            StepVerifier.create(fed.query("SELECT x FROM nowhere"))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(dev.tributary.core.DatabaseUnavailableException.class)
                            .hasMessageContaining("nowhere"))
                    .verify(TIMEOUT);
        } finally {
            withOneDown.close().block(TIMEOUT);
        }
    }

    @Test
    void aBuildSideBeyondTheMemoryBudgetFailsTheQueryAndReturnsTheConnections() {
        Federation small = Federation.over(shop.databases,
                FederationOptions.builder().memoryBudget(4096).dynamicFilterMaxKeys(0).build());
        StepVerifier.create(small.query("SELECT c.id, o.id FROM customers c JOIN orders o ON o.customer_id = c.id"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(MemoryBudgetExceededException.class)
                        .hasMessageContaining("join#1").hasMessageContaining("memoryBudget"))
                .verify(TIMEOUT);
        awaitAllConnectionsReturned();
    }

    @Test
    void namedAndPositionalParametersGiveTheSameRows() {
        String positional = "SELECT c.name, o.amount FROM customers c JOIN orders o ON o.customer_id = c.id"
                + " WHERE c.country = ? AND o.amount > ?";
        String named = "SELECT c.name, o.amount FROM customers c JOIN orders o ON o.customer_id = c.id"
                + " WHERE c.country = :country AND o.amount > :min";
        List<Row> a = federation.query(positional, "FR", 300).collectList().block(TIMEOUT);
        List<Row> b = federation.query(named, Map.of("country", "FR", "min", 300)).collectList().block(TIMEOUT);
        assertThat(a).isNotEmpty();
        assertThat(b).containsExactlyInAnyOrderElementsOf(a);
        StepVerifier.create(federation.query(named, Map.of("country", "FR")))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(":min"))
                .verify(TIMEOUT);
        StepVerifier.create(federation.query(positional, "FR"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("2 ? parameters but 1"))
                .verify(TIMEOUT);
    }

    record CustomerOrder(String name, BigDecimal amount) {
    }

    @Test
    void rowsMapOntoRecordsAndSingleValues() {
        List<CustomerOrder> orders = federation.query(README_EXAMPLE, CustomerOrder.class).collectList().block(TIMEOUT);
        assertThat(orders).isNotEmpty().allSatisfy(o -> assertThat(o.name()).startsWith("Customer "));
        List<Long> ids = federation.query("SELECT o.id FROM customers c JOIN orders o ON o.customer_id = c.id"
                + " WHERE c.id = 7 ORDER BY o.id", Long.class).collectList().block(TIMEOUT);
        assertThat(ids).isSorted().isNotEmpty();
    }

    @Test
    void theQueryBuilderRunsLikeItsSql() {
        Query q = Query.select("c.name", "o.amount AS amount").from("customers.customers", "c")
                .join("orders.orders", "o", "o.customer_id = c.id").where("c.country = ?").params("DE")
                .orderBy("o.amount DESC", "c.name").limit(5);
        List<Row> viaBuilder = federation.query(q).collectList().block(TIMEOUT);
        List<Row> viaSql = federation.query("SELECT c.name, o.amount AS amount FROM customers.customers c"
                + " JOIN orders.orders o ON o.customer_id = c.id WHERE c.country = ? ORDER BY o.amount DESC, c.name LIMIT 5", "DE")
                .collectList().block(TIMEOUT);
        assertThat(viaBuilder).hasSize(5).containsExactlyElementsOf(viaSql);
        assertThat(viaBuilder.get(0).columnNames()).containsExactly("name", "amount");
    }

    @Test
    void aTableCreatedLaterIsFoundAfterRefreshingTheCatalog() {
        Federation fed = Federation.over(shop.databases);
        Database geo = shop.databases.get("geo");
        fed.explain("SELECT k.code FROM countries k").block(TIMEOUT);
        geo.update("DROP TABLE IF EXISTS fed_late").then(geo.update("CREATE TABLE fed_late (code VARCHAR(2), note VARCHAR(10))"))
                .then(geo.update("INSERT INTO fed_late VALUES ('DE', 'late')")).block(TIMEOUT);
        String sql = "SELECT c.id, x.note FROM customers c JOIN fed_late x ON x.code = c.country";
        StepVerifier.create(fed.query(sql))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(UnknownTableException.class)
                        .hasMessageContaining("fed_late").hasMessageContaining("sales.orders"))
                .verify(TIMEOUT);
        fed.refreshCatalog().block(TIMEOUT);
        assertThat(fed.query(sql).count().block(TIMEOUT)).isPositive();
    }

    private static void awaitAllConnectionsReturned() {
        shop.awaitAllConnectionsReturned();
    }

}
