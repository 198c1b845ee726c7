package dev.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Dead pooled connections are replaced, not reported (H2; the restarts of real servers are RestartUnderLoadTest). */
class DeadConnectionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private PooledDatabase db;

    @AfterEach
    void close() {
        if (db != null) {
            db.close().block(TIMEOUT);
        }
    }

    private PooledDatabase database(String name) {
        return PooledDatabase.create(name, ConnectionFactories.get("r2dbc:h2:mem:///relcore_" + name
                + "?options=DB_CLOSE_DELAY=-1"), PoolSettings.builder().maxSize(3).initialSize(0).acquireRetry(0).build());
    }

    /** Borrows {@code n} connections at once, returns them, and gives the driver connections under them. */
    private List<Connection> pooled(int n) {
        List<Connection> raw = new ArrayList<>();
        Flux.range(0, n)
                .flatMap(i -> db.withConnection(c -> {
                    raw.add(LiveConnections.unwrap(c));
                    return Mono.delay(Duration.ofMillis(20)).thenReturn(1);
                }), n)
                .blockLast(TIMEOUT);
        assertThat(db.poolMetrics().idle()).isEqualTo(n);
        return raw;
    }

    @Test
    void everyIdleConnectionClosedBehindThePoolsBackIsReplacedWithoutTheCallerOrTheBreakerSeeingIt() {
        db = database("dead_all");
        for (Connection raw : pooled(3)) {
            Mono.from(raw.close()).block(TIMEOUT); // as a server restart does to them all
        }
        StepVerifier.create(Flux.range(0, 6).concatMap(i -> db.query("SELECT 1 AS n", Integer.class)))
                .expectNextCount(6)
                .verifyComplete();
        assertThat(db.circuitBreaker().metrics().lastFailure()).as("the breaker saw nothing").isNull();
        assertThat(db.circuitBreaker().metrics().bufferedCalls()).isEqualTo(6);
        assertThat(db.poolMetrics().acquired()).isZero();
    }

    @Test
    void writesAndTransactionsAlsoGetALiveConnection() {
        db = database("dead_writes");
        db.update("CREATE TABLE relcore_dead (id INT)").block(TIMEOUT);
        for (Connection raw : pooled(3)) {
            Mono.from(raw.close()).block(TIMEOUT);
        }
        StepVerifier.create(db.update("INSERT INTO relcore_dead VALUES (1)")).expectNext(1L).verifyComplete();
        StepVerifier.create(db.inTransaction(s -> s.query("SELECT count(*) FROM relcore_dead", Long.class)))
                .expectNext(1L).verifyComplete();
        assertThat(db.circuitBreaker().metrics().lastFailure()).isNull();
    }
}
