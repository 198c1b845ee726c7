package dev.tributary.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.core.Database;
import dev.tributary.core.DatabaseUnavailableException;
import dev.tributary.core.Databases;
import dev.tributary.core.PoolSettings;
import dev.tributary.core.Row;
import dev.tributary.core.health.HealthReport;
import dev.tributary.core.health.HealthReport.Status;
import dev.tributary.core.health.TributaryMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/** The guards as a {@link Database} applies them, on H2 and on a port where nothing listens. */
class DatabaseGuardsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String PG_URL = System.getenv().getOrDefault("TRIBUTARY_PG_URL",
            "r2dbc:postgresql://postgres@127.0.0.1:5432/test");

    private Databases databases;

    @AfterEach
    void close() {
        if (databases != null) {
            databases.close().block(TIMEOUT);
        }
    }

    private static String h2(String name) {
        return "r2dbc:h2:mem:///res_guards_" + name + "?options=DB_CLOSE_DELAY=-1";
    }

    @Test
    void everyDatabaseHasADefaultBreakerThatTheCallersMistakesLeaveClosed() {
        databases = Databases.builder().database("h2", h2("mistakes")).build();
        Database db = databases.get("h2");
        StepVerifier.create(db.update("CREATE TABLE res_guard (id INT PRIMARY KEY)")).expectNext(0L).verifyComplete();
        StepVerifier.create(db.update("INSERT INTO res_guard VALUES (1)")).expectNext(1L).verifyComplete();
        for (int i = 0; i < 12; i++) {
            StepVerifier.create(db.query("SELEC nonsense")).expectError(R2dbcBadGrammarException.class).verify(TIMEOUT);
            StepVerifier.create(db.update("INSERT INTO res_guard VALUES (1)"))
                    .expectError(R2dbcDataIntegrityViolationException.class).verify(TIMEOUT);
        }
        CircuitBreaker breaker = db.circuitBreaker();
        assertThat(breaker).isNotNull();
        assertThat(breaker.name()).isEqualTo("h2");
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        StepVerifier.create(db.query("SELECT id FROM res_guard").map(r -> r.get(0))).expectNext(1).verifyComplete();
    }

    @Test
    void anUnreachableDatabaseOpensItsBreakerThenFailsFastWithoutTouchingThePool() {
        databases = Databases.builder()
                .database("down", "r2dbc:postgresql://postgres@127.0.0.1:1/test",
                        PoolSettings.builder().maxCreateConnectionTime(Duration.ofSeconds(5)).build(),
                        ResilienceSettings.builder().circuitBreaker(CircuitBreakerSettings.builder().consecutiveFailures(3).build()).build())
                .database("h2", h2("neighbour"))
                .build();
        Database down = databases.get("down");
        for (int i = 0; i < 3; i++) {
            StepVerifier.create(down.query("SELECT 1"))
                    .expectErrorSatisfies(e -> assertThat(e).isNotInstanceOf(CircuitBreakerOpenException.class))
                    .verify(TIMEOUT);
        }
        assertThat(down.circuitBreaker().state()).isEqualTo(CircuitBreaker.State.OPEN);
        var before = down.poolMetrics();
        StepVerifier.create(down.query("SELECT 1"))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(DatabaseUnavailableException.class).isInstanceOf(CircuitBreakerOpenException.class);
                    assertThat(((DatabaseUnavailableException) e).database()).isEqualTo("down");
                    assertThat(e.getMessage()).contains("'down'", "OPEN", "trial calls through in");
                    assertThat(e.getCause()).isNotNull();
                })
                .verify(TIMEOUT);
        StepVerifier.create(down.update("DELETE FROM x")).verifyError(CircuitBreakerOpenException.class);
        StepVerifier.create(down.inTransaction(s -> s.query("SELECT 1"))).verifyError(CircuitBreakerOpenException.class);
        assertThat(down.poolMetrics()).isEqualTo(before);

        StepVerifier.create(databases.health())
                .assertNext(reports -> {
                    assertThat(reports).extracting(HealthReport::database).containsExactly("down", "h2");
                    assertThat(reports.get(0).status()).isEqualTo(Status.DOWN);
                    assertThat(reports.get(0).breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
                    assertThat(reports.get(0).lastError()).isNotNull();
                    assertThat(reports.get(1).status()).as("the other database keeps serving").isEqualTo(Status.UP);
                    assertThat(HealthReport.worst(reports)).isEqualTo(Status.DOWN);
                })
                .verifyComplete();
        StepVerifier.create(databases.get("h2").query("SELECT 1").map(r -> r.get(0))).expectNext(1).verifyComplete();
    }

    @Test
    void aQueryWithoutARowWithinTheStatementTimeoutIsCancelledAndThePoolStaysUsable() {
        databases = Databases.builder()
                .database("pg", PG_URL, PoolSettings.builder().maxSize(2).build(),
                        ResilienceSettings.builder().statementTimeout(Duration.ofSeconds(3)).build())
                .build();
        Database pg = databases.get("pg");
        databases.warmup().block(TIMEOUT);
        for (int i = 0; i < 2; i++) {
            StepVerifier.create(pg.query("SELECT pg_sleep(10)"))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(QueryTimeoutException.class).hasMessageContaining("'pg'"))
                    .verify(TIMEOUT);
        }
        for (int i = 0; i < 10; i++) {
            StepVerifier.create(pg.query("SELECT $1::int AS n", i).map(r -> r.get(0))).expectNext(i).expectComplete().verify(TIMEOUT);
        }
        assertThat(pg.poolMetrics().acquired()).isZero();
        assertThat(pg.circuitBreaker().metrics().failedCalls()).isEqualTo(2);
        assertThat(pg.circuitBreaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void healthMonitorAndMetricsReportARegistry() {
        databases = Databases.builder()
                .database("a", h2("health_a"))
                .database("b", h2("health_b"), PoolSettings.builder().maxSize(3).build(), ResilienceSettings.none())
                .build();
        StepVerifier.create(databases.get("a").health())
                .assertNext(r -> {
                    assertThat(r.status()).isEqualTo(Status.UP);
                    assertThat(r.validationTime()).isNotNull();
                    assertThat(r.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
                    assertThat(r.pool().maxAllocated()).isEqualTo(10);
                    assertThat(r.pool().acquired()).as("the validation returned its connection").isZero();
                })
                .verifyComplete();
        StepVerifier.create(databases.get("b").health())
                .assertNext(r -> assertThat(r.breakerState()).isNull())
                .verifyComplete();
        StepVerifier.create(databases.monitor(Duration.ofMillis(20)).take(4))
                .recordWith(java.util.ArrayList::new)
                .expectNextCount(4)
                .consumeRecordedWith(reports -> assertThat(reports).extracting(HealthReport::database).containsExactly("a", "b", "a", "b"))
                .verifyComplete();

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Disposable binding = TributaryMetrics.bindTo(registry, databases);
        assertThat(registry.get("r2dbc.pool.max.allocated").tag("name", "b").gauge().value()).isEqualTo(3);
        assertThat(registry.get("tributary.circuitbreaker.state").tags("name", "a", "state", "closed").gauge().value()).isEqualTo(1);
        assertThat(registry.find("tributary.circuitbreaker.state").tag("name", "b").gauges()).isEmpty();
        List<Row> rows = databases.get("a").query("SELECT 1").collectList().block(TIMEOUT);
        assertThat(rows).hasSize(1);
        assertThat(registry.get("tributary.query").tags("name", "a", "outcome", "success").timer().count()).isEqualTo(1);
        binding.dispose();
        assertThat(registry.find("r2dbc.pool.acquired").gauges()).isEmpty();
    }
}
