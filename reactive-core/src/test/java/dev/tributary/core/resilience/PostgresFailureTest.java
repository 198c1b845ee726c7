package dev.tributary.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.core.Database;
import dev.tributary.core.Databases;
import dev.tributary.core.PoolSettings;
import dev.tributary.core.health.HealthReport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.util.retry.Retry;

/**
 * Failures of a real PostgreSQL (at {@code TRIBUTARY_PG_URL}): every backend terminated under load, and the
 * network to it cut by a proxy. Fails, loudly, when the server is down.
 */
class PostgresFailureTest extends RegistryTest {


    private static ResilienceSettings quickBreaker() {
        return ResilienceSettings.builder()
                .circuitBreaker(CircuitBreakerSettings.builder().consecutiveFailures(3).waitInOpen(Duration.ofMillis(500))
                        .halfOpenTrialCalls(2).build())
                .statementTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** Runs {@code SELECT n} until it succeeds, resubscribing at most {@code attempts} times, 200 ms apart. */
    private static Mono<Integer> eventually(Database db, int attempts) {
        return Mono.defer(() -> db.query("SELECT $1::int AS n", 7).map(r -> (Integer) r.get(0)).single())
                .retryWhen(Retry.fixedDelay(attempts, Duration.ofMillis(200)));
    }

    @Test
    void afterEveryBackendIsTerminatedMidLoadQueriesSucceedAgainWithinABoundedNumberOfAttempts() {
        String url = PG_URL + (PG_URL.contains("?") ? "&" : "?") + "applicationName=res_kill";
        databases = Databases.builder()
                .database("pg", url, PoolSettings.builder().maxSize(4).initialSize(4).build(), quickBreaker())
                .database("admin", PG_URL, PoolSettings.builder().maxSize(1).build(), ResilienceSettings.none())
                .build();
        databases.warmup().block(TIMEOUT);
        Database pg = databases.get("pg");
        Database admin = databases.get("admin");

        AtomicInteger succeeded = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong killed = new AtomicLong();
        Mono<Long> killAll = admin.query("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        + " WHERE application_name = 'res_kill' AND pid <> pg_backend_pid()")
                .map(r -> ((Number) r.get(0)).longValue())
                .single()
                .doOnNext(killed::set);
        Flux<Integer> load = Flux.range(0, 300)
                .flatMap(i -> pg.query("SELECT pg_sleep(0.005), $1::int AS n", i)
                        .map(r -> (Integer) r.get(1))
                        .doOnNext(n -> {
                            if (succeeded.incrementAndGet() == 40) {
                                killAll.subscribe();
                            }
                        })
                        .onErrorResume(e -> {
                            failed.incrementAndGet();
                            return Mono.empty();
                        }), 8);
        StepVerifier.create(load.then()).expectComplete().verify(TIMEOUT);
        assertThat(killed.get()).as("backends terminated mid-load").isPositive();

        // the breaker may have opened: its two half-open trial calls must succeed before it lets all calls through
        StepVerifier.create(eventually(pg, 30).repeat(1)).expectNext(7, 7).expectComplete().verify(TIMEOUT);
        assertThat(pg.circuitBreaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);
        List<Integer> after = Flux.range(0, 100)
                .flatMap(i -> pg.query("SELECT $1::int AS n", i).map(r -> (Integer) r.get(0)), 8)
                .collectList()
                .block(TIMEOUT);
        assertThat(after).as("no errors after recovery").hasSize(100);
        assertThat(pg.circuitBreaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(pg.poolMetrics().acquired()).isZero();
        StepVerifier.create(pg.health())
                .assertNext(r -> assertThat(r.status()).isEqualTo(HealthReport.Status.UP))
                .verifyComplete();
    }

    @Test
    void whileTheNetworkIsCutQueriesFailFastWithoutTouchingThePoolAndRecoverAfter() throws Exception {
        NetworkCut.failFastWhileCutAndRecover(PG_URL, 5432, quickBreaker());
    }
}
