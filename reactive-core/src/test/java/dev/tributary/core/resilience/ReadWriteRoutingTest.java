package dev.tributary.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.core.Database;
import dev.tributary.core.DatabaseConfigurationException;
import dev.tributary.core.Databases;
import dev.tributary.core.PoolSettings;
import dev.tributary.core.health.HealthReport;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Read/write routing of a database with a primary and replicas: on H2 (three in-memory databases) and on
 * PostgreSQL (databases {@code test} and {@code res_replica} standing in for primary and replica).
 */
class ReadWriteRoutingTest extends RegistryTest {


    private static void mark(Database db, String source) {
        db.update("DROP TABLE IF EXISTS res_route").block(TIMEOUT);
        db.update("CREATE TABLE res_route (src VARCHAR(20))").block(TIMEOUT);
        db.update("INSERT INTO res_route VALUES ('" + source + "')").block(TIMEOUT);
    }

    private static Mono<String> source(Database db) {
        return db.query("SELECT src FROM res_route", String.class).next();
    }

    /** A read only the live primary can answer: the replica of the fallback test is dead. */
    private static Mono<String> primaryRead(Database db) {
        return db.query("SELECT CAST('primary' AS VARCHAR(20))", String.class).next();
    }

    @Test
    void readsGoToTheReplicasInTurnWritesAndTransactionsToThePrimary() {
        for (String n : List.of("p", "r1", "r2")) {
            Databases single = Databases.builder().database(n, h2("route_" + n)).build();
            mark(single.get(n), n);
            single.close().block(TIMEOUT);
        }
        databases = Databases.builder()
                .database("orders").primary(h2("route_p")).replica(h2("route_r1")).replica(h2("route_r2"))
                .build();
        Database orders = databases.get("orders");
        List<String> reads = Flux.range(0, 6).concatMap(i -> source(orders)).collectList().block(TIMEOUT);
        assertThat(reads).containsExactly("r1", "r2", "r1", "r2", "r1", "r2");
        StepVerifier.create(orders.inTransaction(s -> s.query("SELECT src FROM res_route", String.class)))
                .expectNext("p").verifyComplete();
        StepVerifier.create(orders.update("UPDATE res_route SET src = 'p2'")).expectNext(1L).verifyComplete();
        StepVerifier.create(orders.inTransaction(s -> s.query("SELECT src FROM res_route", String.class)))
                .expectNext("p2").verifyComplete();
        assertThat(databases.names()).containsExactly("orders");
        assertThat(orders.poolMetrics().maxAllocated()).isEqualTo(30);
    }

    @Test
    void aReadOnAReplicaThatCannotConnectFailsOverToThePrimaryAndTheReplicaBreakerOpens() {
        databases = Databases.builder()
                .database("orders").primary(PG_URL)
                .replica("r2dbc:postgresql://postgres@127.0.0.1:1/res_replica",
                        PoolSettings.builder().maxCreateConnectionTime(Duration.ofSeconds(5)).build())
                .resilience(ResilienceSettings.builder()
                        .circuitBreaker(CircuitBreakerSettings.builder().consecutiveFailures(2).build()).build())
                .and()
                .build();
        Database orders = databases.get("orders");
        // before this change the first reads signalled the replica's connection error until its breaker opened
        for (int i = 0; i < 5; i++) {
            StepVerifier.create(primaryRead(orders)).as("read " + i + " fails over to the primary")
                    .expectNext("primary").verifyComplete();
        }
        StepVerifier.create(orders.query("SELEC nonsense")).as("the caller's own errors do not fail over")
                .expectError(io.r2dbc.spi.R2dbcBadGrammarException.class).verify(TIMEOUT);
        StepVerifier.create(orders.health())
                .assertNext(r -> {
                    assertThat(r.status()).isEqualTo(HealthReport.Status.DEGRADED);
                    assertThat(r.details()).containsEntry("replica.orders-replica-1.status", "DOWN");
                })
                .verifyComplete();
    }

    @Test
    void aReplicatedDatabaseNeedsAPrimaryOfTheSameKindAsItsReplicas() {
        assertThatThrownBy(() -> Databases.builder().database("orders").replica(h2("route_x")).build())
                .isInstanceOf(DatabaseConfigurationException.class).hasMessageContaining("no primary");
        assertThatThrownBy(() -> Databases.builder().database("orders").primary(h2("route_kind")).replica(PG_URL).build())
                .isInstanceOf(DatabaseConfigurationException.class).hasMessageContaining("same kind");
    }

    @Test
    void onPostgresqlReadsGoToTheReplicaDatabaseAndWritesToThePrimary() {
        String replicaUrl = PG_URL.replaceFirst("/[^/?]+(\\?|$)", "/res_replica$1");
        Databases admin = Databases.builder().database("admin", PG_URL, PoolSettings.defaults(), ResilienceSettings.none()).build();
        try {
            Long exists = admin.get("admin").query("SELECT count(*) FROM pg_database WHERE datname = 'res_replica'", Long.class)
                    .blockFirst(TIMEOUT);
            if (exists == null || exists == 0) {
                admin.get("admin").update("CREATE DATABASE res_replica")
                        .onErrorResume(e -> Mono.empty()) // created meanwhile by a concurrent run
                        .block(TIMEOUT);
            }
        } finally {
            admin.close().block(TIMEOUT);
        }
        databases = Databases.builder().database("pg").primary(PG_URL).replica(replicaUrl).build();
        Database pg = databases.get("pg");
        pg.update("DROP TABLE IF EXISTS res_route").block(TIMEOUT);
        pg.update("CREATE TABLE res_route (src VARCHAR(20))").block(TIMEOUT);
        pg.update("INSERT INTO res_route VALUES ('primary')").block(TIMEOUT);
        Databases replicaOnly = Databases.builder().database("r", replicaUrl).build();
        try {
            mark(replicaOnly.get("r"), "replica");
        } finally {
            replicaOnly.close().block(TIMEOUT);
        }
        StepVerifier.create(source(pg)).expectNext("replica").verifyComplete();
        StepVerifier.create(pg.query("SELECT current_database()", String.class)).expectNext("res_replica").verifyComplete();
        StepVerifier.create(pg.inTransaction(s -> s.query("SELECT current_database()", String.class)))
                .expectNext(PG_URL.replaceFirst(".*/([^/?]+)(\\?.*)?$", "$1")).verifyComplete();
        StepVerifier.create(pg.update("UPDATE res_route SET src = 'written'")).expectNext(1L).verifyComplete();
        StepVerifier.create(source(pg)).as("the write went to the primary only").expectNext("replica").verifyComplete();
        StepVerifier.create(pg.health())
                .assertNext(r -> assertThat(r.status()).isEqualTo(HealthReport.Status.UP))
                .verifyComplete();
    }
}
