package dev.tributary.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.core.Databases;
import dev.tributary.core.resilience.CircuitBreaker;
import dev.tributary.federation.Federation;
import dev.tributary.federation.FederationOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.unit.DataSize;

/** Every group of {@code tributary.*} binds, and reaches the registry and the federation. */
class TributaryPropertiesBindingTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TributaryAutoConfiguration.class));

    @Test
    void databasesAliasesDefaultPoolAndReplicasBind() {
        runner.withPropertyValues(
                        "tributary.databases.customers.url=r2dbc:h2:mem:///starter_b_customers",
                        "tributary.databases.orders.url=r2dbc:h2:mem:///starter_b_orders",
                        "tributary.databases.orders.aliases=sales,billing",
                        "tributary.databases.orders.pool.max-size=7",
                        "tributary.databases.orders.pool.initial-size=2",
                        "tributary.databases.orders.pool.max-acquire-time=3s",
                        "tributary.databases.orders.pool.validation-query=SELECT 2",
                        "tributary.databases.orders.replicas[0].url=r2dbc:h2:mem:///starter_b_orders_r1",
                        "tributary.databases.orders.replicas[0].pool.max-size=4",
                        "tributary.databases.orders.replicas[1].url=r2dbc:h2:mem:///starter_b_orders_r2",
                        "tributary.default-database=sales")
                .run(context -> {
                    TributaryProperties properties = context.getBean(TributaryProperties.class);
                    DatabaseProperties orders = properties.databases().get("orders");
                    assertThat(orders.aliases()).containsExactly("sales", "billing");
                    assertThat(orders.pool().maxAcquireTime()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(orders.pool().validationQuery()).isEqualTo("SELECT 2");
                    assertThat(orders.replicas()).extracting(DatabaseProperties.Replica::url)
                            .containsExactly("r2dbc:h2:mem:///starter_b_orders_r1", "r2dbc:h2:mem:///starter_b_orders_r2");
                    assertThat(orders.replicas().get(0).pool().maxSize()).isEqualTo(4);

                    Databases databases = context.getBean(Databases.class);
                    assertThat(databases.names()).containsExactly("customers", "orders");
                    assertThat(databases.aliases()).containsEntry("sales", "orders").containsEntry("billing", "orders");
                    assertThat(databases.defaultDatabase().name()).isEqualTo("orders");
                    // a replicated database's pool metrics add up its pools: primary 7, replicas 4 and 10 (default)
                    assertThat(databases.get("orders").poolMetrics().maxAllocated()).isEqualTo(7 + 4 + 10);
                    assertThat(databases.get("orders").toString()).contains("orders-replica-1", "orders-replica-2");
                });
    }

    @Test
    void resilienceBindsForAllDatabasesAndPerDatabase() {
        runner.withPropertyValues(
                        "tributary.databases.customers.url=r2dbc:h2:mem:///starter_b_r_customers",
                        "tributary.databases.orders.url=r2dbc:h2:mem:///starter_b_r_orders",
                        "tributary.databases.orders.resilience.circuit-breaker.enabled=false",
                        "tributary.resilience.circuit-breaker.consecutive-failures=3",
                        "tributary.resilience.circuit-breaker.wait-in-open=10s",
                        "tributary.resilience.circuit-breaker.failure-rate-threshold=25",
                        "tributary.resilience.retry.max-retries=4",
                        "tributary.resilience.retry.min-backoff=50ms",
                        "tributary.resilience.statement-timeout=5s",
                        "tributary.resilience.query-timeout=2m")
                .run(context -> {
                    ResilienceProperties shared = context.getBean(TributaryProperties.class).resilience();
                    assertThat(shared.retry().maxRetries()).isEqualTo(4);
                    assertThat(shared.retry().minBackoff()).isEqualTo(Duration.ofMillis(50));
                    assertThat(shared.statementTimeout()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(shared.queryTimeout()).isEqualTo(Duration.ofMinutes(2));

                    Databases databases = context.getBean(Databases.class);
                    CircuitBreaker breaker = databases.get("customers").circuitBreaker();
                    assertThat(breaker).isNotNull();
                    assertThat(breaker.settings().consecutiveFailures()).isEqualTo(3);
                    assertThat(breaker.settings().waitInOpen()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(breaker.settings().failureRateThreshold()).isEqualTo(25);
                    assertThat(databases.get("orders").circuitBreaker()).as("turned off for orders").isNull();
                });
    }

    @Test
    void healthFederationMigrationAndTransactionsBind() {
        runner.withPropertyValues(
                        "tributary.databases.orders.url=r2dbc:h2:mem:///starter_b_orders_h",
                        "tributary.databases.orders.migration.locations=db/migration/starter_app,classpath:db/more",
                        "tributary.databases.orders.migration.table=starter_history",
                        "tributary.migration.baseline-on-migrate=true",
                        "tributary.migration.enabled=false",
                        "tributary.health.validation-timeout=1s",
                        "tributary.health.degraded-pending=10",
                        "tributary.federation.memory-budget=64MB",
                        "tributary.federation.dynamic-filter-max-keys=0",
                        "tributary.federation.probe-prefetch=64",
                        "tributary.federation.in-list-batch-size=500",
                        "tributary.federation.catalog-max-age=5m",
                        "tributary.transactions.log-database=orders",
                        "tributary.transactions.node-id=node-7",
                        "tributary.transactions.recover-on-start=false")
                .run(context -> {
                    TributaryProperties properties = context.getBean(TributaryProperties.class);
                    assertThat(properties.health().validationTimeout()).isEqualTo(Duration.ofSeconds(1));
                    assertThat(properties.health().degradedPending()).isEqualTo(10);
                    assertThat(properties.migration().baselineOnMigrate()).isTrue();
                    MigrationProperties orders = properties.databases().get("orders").migration();
                    assertThat(orders.locations()).containsExactly("db/migration/starter_app", "classpath:db/more");
                    assertThat(orders.table()).isEqualTo("starter_history");
                    assertThat(properties.federation().memoryBudget()).isEqualTo(DataSize.ofMegabytes(64));
                    assertThat(properties.transactions())
                            .isEqualTo(new TributaryProperties.Transactions("orders", "node-7", false, null, null));

                    FederationOptions options = context.getBean(Federation.class).options();
                    assertThat(options.memoryBudget()).isEqualTo(64L * 1024 * 1024);
                    assertThat(options.dynamicFilterMaxKeys()).isZero();
                    assertThat(options.probePrefetch()).isEqualTo(64);
                    assertThat(options.inListBatchSize()).isEqualTo(500);
                    assertThat(options.catalogMaxAge()).isEqualTo(Duration.ofMinutes(5));
                });
    }

    @Test
    void theMetadataDocumentsTheKeysForIdes() throws Exception {
        String metadata = new String(getClass().getClassLoader()
                .getResourceAsStream("META-INF/spring-configuration-metadata.json").readAllBytes());
        for (String key : List.of("tributary.default-database", "tributary.resilience.statement-timeout",
                "tributary.resilience.circuit-breaker.consecutive-failures", "tributary.health.validation-timeout",
                "tributary.migration.enabled", "tributary.federation.memory-budget",
                "tributary.transactions.log-database", "tributary.transactions.node-id",
                "tributary.transactions.recover-on-start", "tributary.transactions.lease-duration",
                "tributary.transactions.table-prefix")) {
            assertThat(metadata).contains("\"name\": \"" + key + "\"");
        }
        assertThat(metadata).contains("the longest wait for a query's first row (default 30s; 0 for none)");
    }
}
