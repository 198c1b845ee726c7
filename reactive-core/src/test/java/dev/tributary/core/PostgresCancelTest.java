package dev.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * The known hazard of DESIGN.md: a query cancelled mid-stream must not slow down or hang the next query on
 * the same pool. With one connection in the pool, the next query would run on the very connection whose
 * query was cancelled if it were returned as it is. Returned as it is, the driver would first read and discard
 * the cancelled query's remaining rows (10 million here), so the next query would wait far beyond its timeout;
 * see CANCEL.md for the figures.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresCancelTest {

    private static final int ROUNDS = 50;
    private static final Duration NEXT_QUERY_TIMEOUT = Duration.ofSeconds(5);

    /** Streamed, not materialized: draining the rest after a cancel would take far longer than the timeout. */
    private static final String TEN_MILLION_ROWS =
            "SELECT a.g * 10000 + b.g AS n FROM generate_series(0, 999) AS a(g), generate_series(1, 10000) AS b(g)";

    private Databases databases;

    @BeforeAll
    void start() {
        databases = Databases.builder()
                .database("pg", PostgresDatabaseTest.URL, PoolSettings.builder().maxSize(1).build())
                .build();
        databases.warmup().block(Duration.ofSeconds(20));
    }

    @AfterAll
    void stop() {
        databases.close().block(Duration.ofSeconds(20));
    }

    @Test
    void everyQueryAfterAMidStreamCancelCompletes() {
        Database db = databases.get("pg");
        for (int round = 0; round < ROUNDS; round++) {
            StepVerifier.create(db.query(TEN_MILLION_ROWS).take(10))
                    .expectNextCount(10)
                    .expectComplete()
                    .verify(NEXT_QUERY_TIMEOUT);
            StepVerifier.create(db.query("SELECT $1::int AS round", round).map(row -> row.get(0)))
                    .as("query after cancel #" + round)
                    .expectNext(round)
                    .expectComplete()
                    .verify(NEXT_QUERY_TIMEOUT);
        }
        StepVerifier.create(Flux.interval(Duration.ofMillis(5)).map(t -> db.poolMetrics().acquired()).filter(a -> a == 0).next())
                .expectNext(0)
                .expectComplete()
                .verify(NEXT_QUERY_TIMEOUT);
        assertThat(db.poolMetrics().allocated()).isLessThanOrEqualTo(1);
    }
}
