package dev.tributary.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.core.Database;
import dev.tributary.core.Databases;
import dev.tributary.core.PoolSettings;
import dev.tributary.core.health.HealthReport;
import java.net.URI;
import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.util.retry.Retry;

/** The network-cut scenario, run against each real database kind through a {@link TcpProxy}. */
final class NetworkCut {

    private static final Duration TIMEOUT = RegistryTest.TIMEOUT;

    private NetworkCut() {
    }

    /**
     * Cuts the network between the pool and the server: the breaker opens after a bounded number of failures,
     * then calls fail fast without a connection attempt; after the network is back, queries succeed again within
     * a bounded number of attempts, the breaker closes and the health report is UP.
     */
    static void failFastWhileCutAndRecover(String url, int defaultPort, ResilienceSettings resilience) throws Exception {
        URI target = URI.create(url.substring("r2dbc:".length()));
        int port = target.getPort() == -1 ? defaultPort : target.getPort();
        try (TcpProxy proxy = new TcpProxy(target.getHost(), port)) {
            String proxied = url.replace(target.getHost() + (target.getPort() == -1 ? "" : ":" + port),
                    "127.0.0.1:" + proxy.port());
            Databases databases = Databases.builder()
                    .database("proxied", proxied, PoolSettings.builder().maxSize(2).initialSize(0)
                            .maxCreateConnectionTime(Duration.ofSeconds(5)).maxAcquireTime(Duration.ofSeconds(10)).build(),
                            resilience)
                    .build();
            try {
                run(databases.get("proxied"), proxy);
            } finally {
                databases.close().block(TIMEOUT);
            }
        }
    }

    private static void run(Database db, TcpProxy proxy) {
        StepVerifier.create(Flux.range(0, 5).concatMap(i -> db.query("SELECT 1"))).expectNextCount(5).expectComplete().verify(TIMEOUT);
        assertThat(proxy.accepted()).isPositive();

        proxy.cut();
        int attempts = 0;
        while (db.circuitBreaker().state() != CircuitBreaker.State.OPEN) {
            attempts++;
            assertThat(attempts).as("the breaker opens after a bounded number of failures").isLessThanOrEqualTo(10);
            StepVerifier.create(db.query("SELECT 1")).expectError().verify(TIMEOUT);
        }
        int connectionAttempts = proxy.accepted();
        var pool = db.poolMetrics();
        for (int i = 0; i < 20; i++) {
            StepVerifier.create(db.query("SELECT 1"))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(CircuitBreakerOpenException.class)
                            .hasMessageContaining("'proxied'").hasMessageContaining("OPEN"))
                    .verify(TIMEOUT);
        }
        assertThat(proxy.accepted()).as("failing fast opens no connection").isEqualTo(connectionAttempts);
        assertThat(db.poolMetrics().pending()).isZero();
        assertThat(db.poolMetrics().acquired()).isEqualTo(pool.acquired());
        StepVerifier.create(db.health())
                .assertNext(r -> assertThat(r.status()).isEqualTo(HealthReport.Status.DOWN))
                .verifyComplete();

        proxy.restore();
        Mono<Object> read = Mono.defer(() -> db.query("SELECT 7").map(r -> r.get(0)).single());
        StepVerifier.create(read.retryWhen(Retry.fixedDelay(30, Duration.ofMillis(200))))
                .expectNextCount(1).expectComplete().verify(TIMEOUT);
        StepVerifier.create(Flux.range(0, 10).concatMap(i -> db.query("SELECT 1"))).expectNextCount(10).expectComplete().verify(TIMEOUT);
        assertThat(db.circuitBreaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);
        StepVerifier.create(db.health())
                .assertNext(r -> assertThat(r.status()).isEqualTo(HealthReport.Status.UP))
                .verifyComplete();
    }
}
