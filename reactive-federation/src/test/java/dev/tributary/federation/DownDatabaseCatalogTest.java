package dev.tributary.federation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.core.DatabaseUnavailableException;
import dev.tributary.core.Databases;
import dev.tributary.core.PoolSettings;
import dev.tributary.core.resilience.CircuitBreakerSettings;
import dev.tributary.core.resilience.ResilienceSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.util.retry.Retry;

/**
 * A MariaDB database reached through a port that is closed (connections refused) at startup, opened, and closed
 * again later, next to PostgreSQL and H2: its catalog is read only when a query names it, its failure fails only
 * the queries naming it, it is loaded once it answers, and {@link Federation#catalogStatus()} says so throughout.
 */
class DownDatabaseCatalogTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String OTHERS = "SELECT c.name, o.id FROM h2.relfed_customers c JOIN pg.relfed_orders o ON o.customer_id = c.id";
    private static final String MARIA = "SELECT s.item_id, s.qty FROM maria.relfed_stock s";
    private static final String ACROSS = "SELECT o.id, s.qty FROM pg.relfed_orders o JOIN maria.relfed_stock s ON s.item_id = o.id";

    private static SwitchablePort port;
    private static Databases databases;

    @BeforeAll
    static void createTables() throws Exception {
        ShopFixture.onServers(admin -> Flux.concat(
                admin.get("pg").update("DROP SCHEMA IF EXISTS relfed_cat CASCADE"),
                admin.get("pg").update("CREATE SCHEMA relfed_cat"),
                admin.get("pg").update("CREATE TABLE relfed_cat.relfed_orders (id INT PRIMARY KEY, customer_id INT)"),
                admin.get("pg").update("INSERT INTO relfed_cat.relfed_orders VALUES (1, 10), (2, 20), (3, 10)"),
                admin.get("maria").update("DROP DATABASE IF EXISTS relfed_cat"),
                admin.get("maria").update("CREATE DATABASE relfed_cat"),
                admin.get("maria").update("CREATE TABLE relfed_cat.relfed_stock (item_id INT PRIMARY KEY, qty INT)"),
                admin.get("maria").update("INSERT INTO relfed_cat.relfed_stock VALUES (1, 5), (2, 7)")));
        port = new SwitchablePort(3306);
        // a short breaker wait, so that the test sees the database come back without waiting the default 30 s
        ResilienceSettings resilience = ResilienceSettings.defaults().toBuilder()
                .circuitBreaker(CircuitBreakerSettings.defaults().toBuilder().waitInOpen(Duration.ofMillis(200)).build())
                .build();
        databases = Databases.builder()
                .database("h2", "r2dbc:h2:mem:///relfed_cat_" + Long.toHexString(System.nanoTime()) + "?options=DB_CLOSE_DELAY=-1")
                .database("pg", ShopFixture.withOption(ShopFixture.PG_URL, "schema=relfed_cat"))
                .database("maria", "r2dbc:mariadb://root@127.0.0.1:" + port.port() + "/relfed_cat",
                        PoolSettings.builder().maxAcquireTime(Duration.ofSeconds(5)).build(), resilience)
                .build();
        Flux.concat(
                databases.get("h2").update("CREATE TABLE relfed_customers (id INT PRIMARY KEY, name VARCHAR(20))"),
                databases.get("h2").update("INSERT INTO relfed_customers VALUES (10, 'ten'), (20, 'twenty')"))
                .then().block(TIMEOUT);
    }

    @AfterAll
    static void close() {
        if (databases != null) {
            databases.close().block(TIMEOUT);
        }
        if (port != null) {
            port.close();
        }
    }

    @Test
    void aDatabaseDownAtFirstUseFailsOnlyItsQueriesIsLoadedWhenItComesBackAndFailsOnlyItsQueriesWhenItGoesDownAgain()
            throws Exception {
        Federation federation = Federation.over(databases);
        assertThat(states(federation)).containsExactly(Map.entry("h2", CatalogStatus.State.NOT_LOADED),
                Map.entry("pg", CatalogStatus.State.NOT_LOADED), Map.entry("maria", CatalogStatus.State.NOT_LOADED));

        StepVerifier.create(federation.query(OTHERS)).expectNextCount(3).expectComplete().verify(TIMEOUT);
        assertThat(states(federation)).as("only the databases the query named were read")
                .containsEntry("h2", CatalogStatus.State.LOADED).containsEntry("pg", CatalogStatus.State.LOADED)
                .containsEntry("maria", CatalogStatus.State.NOT_LOADED);
        CatalogStatus pg = status(federation, "pg");
        assertThat(pg.tables()).isEqualTo(1);
        assertThat(pg.loadedAt()).isNotNull();
        assertThat(pg.loadTime()).isNotNull();
        assertThat(pg.error()).isNull();

        for (String sql : List.of(MARIA, ACROSS)) {
            StepVerifier.create(federation.query(sql))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(DatabaseUnavailableException.class)
                            .hasMessageContaining("'maria'")
                            .extracting(x -> ((DatabaseUnavailableException) x).database()).isEqualTo("maria"))
                    .verify(TIMEOUT);
        }
        CatalogStatus maria = status(federation, "maria");
        assertThat(maria.state()).isEqualTo(CatalogStatus.State.FAILED);
        assertThat(maria.error()).isNotNull();
        assertThat(maria.nextAttempt()).isNotNull();
        StepVerifier.create(federation.query(OTHERS)).as("the other databases still serve")
                .expectNextCount(3).expectComplete().verify(TIMEOUT);

        port.up();
        assertThat(untilItAnswers(federation, MARIA)).isEqualTo(2);
        maria = status(federation, "maria");
        assertThat(maria.state()).isEqualTo(CatalogStatus.State.LOADED);
        assertThat(maria.tables()).isEqualTo(1);
        assertThat(maria.error()).isNull();
        assertThat(maria.nextAttempt()).isNull();
        StepVerifier.create(federation.query(ACROSS)).expectNextCount(2).expectComplete().verify(TIMEOUT);

        port.down();
        for (String sql : List.of(MARIA, ACROSS)) {
            StepVerifier.create(federation.query(sql))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(DatabaseUnavailableException.class)
                            .extracting(x -> ((DatabaseUnavailableException) x).database()).isEqualTo("maria"))
                    .verify(TIMEOUT);
        }
        StepVerifier.create(federation.query(OTHERS)).expectNextCount(3).expectComplete().verify(TIMEOUT);
        assertThat(status(federation, "maria").state()).as("its catalog stays loaded").isEqualTo(CatalogStatus.State.LOADED);

        port.up();
        assertThat(untilItAnswers(federation, ACROSS)).isEqualTo(2);
        ShopFixture.awaitNoConnectionAcquired(databases);
    }

    @Test
    void aBareTableNameReadsEveryDatabaseAndAFailedOneIsNamedWhenTheTableIsNowhereElse() {
        Databases two = Databases.builder()
                .database("pg", ShopFixture.withOption(ShopFixture.PG_URL, "schema=relfed_cat"))
                .database("gone", "r2dbc:mariadb://root@127.0.0.1:" + port.port() + "/relfed_cat",
                        PoolSettings.builder().maxAcquireTime(Duration.ofSeconds(5)).build(), ResilienceSettings.none())
                .build();
        try {
            port.down();
            Federation federation = Federation.over(two);
            StepVerifier.create(federation.query("SELECT id FROM relfed_orders")).expectNextCount(3)
                    .expectComplete().verify(TIMEOUT);
            assertThat(states(federation)).containsEntry("pg", CatalogStatus.State.LOADED)
                    .containsEntry("gone", CatalogStatus.State.FAILED);
            StepVerifier.create(federation.query("SELECT qty FROM relfed_stock"))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(DatabaseUnavailableException.class)
                            .hasMessageContaining("'gone'"))
                    .verify(TIMEOUT);
        } finally {
            two.close().block(TIMEOUT);
        }
    }

    private static long untilItAnswers(Federation federation, String sql) {
        return Mono.defer(() -> federation.query(sql).count())
                .retryWhen(Retry.fixedDelay(200, Duration.ofMillis(100)).filter(DatabaseUnavailableException.class::isInstance))
                .block(TIMEOUT);
    }

    private static CatalogStatus status(Federation federation, String database) {
        return federation.catalogStatus().stream().filter(s -> s.database().equals(database)).findFirst().orElseThrow();
    }

    private static Map<String, CatalogStatus.State> states(Federation federation) {
        return federation.catalogStatus().stream().collect(Collectors.toMap(CatalogStatus::database, CatalogStatus::state,
                (a, b) -> a, java.util.LinkedHashMap::new));
    }
}
