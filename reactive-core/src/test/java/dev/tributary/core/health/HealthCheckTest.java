package dev.tributary.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.core.PoolMetrics;
import dev.tributary.core.health.HealthReport.Status;
import dev.tributary.core.resilience.CircuitBreaker;
import dev.tributary.core.resilience.CircuitBreakerSettings;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class HealthCheckTest {

    private static final PoolMetrics QUIET = new PoolMetrics(2, 1, 1, 0, 10, Integer.MAX_VALUE);

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();

    private Mono<HealthReport> check(Mono<?> validation, PoolMetrics pool, CircuitBreaker breaker) {
        return HealthCheck.check("orders", HealthSettings.defaults(), validation, () -> pool, breaker, clock);
    }

    private CircuitBreaker breaker() {
        return CircuitBreaker.of("orders", CircuitBreakerSettings.builder().consecutiveFailures(1).build(), clock);
    }

    private static void failOnce(CircuitBreaker breaker) {
        Mono.error(new R2dbcNonTransientResourceException("connection refused"))
                .transformDeferred(breaker.operator()).onErrorResume(e -> Mono.empty()).subscribe();
    }

    private HealthReport report(Mono<HealthReport> check) {
        HealthReport[] out = new HealthReport[1];
        check.subscribe(r -> out[0] = r);
        clock.advanceTimeBy(Duration.ofSeconds(10));
        assertThat(out[0]).isNotNull();
        return out[0];
    }

    @Test
    void upWhenTheValidationAnswersAndThePoolHasRoom() {
        HealthReport r = report(check(Mono.delay(Duration.ofMillis(7), clock), QUIET, breaker()));
        assertThat(r.status()).isEqualTo(Status.UP);
        assertThat(r.database()).isEqualTo("orders");
        assertThat(r.validationTime()).isEqualTo(Duration.ofMillis(7));
        assertThat(r.pool()).isEqualTo(QUIET);
        assertThat(r.utilization()).isEqualTo(0.1);
        assertThat(r.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(r.lastError()).isNull();
        assertThat(r.details()).containsEntry("acquired", 1).containsEntry("maxAllocated", 10)
                .containsEntry("circuitBreaker", "CLOSED").containsEntry("validationMillis", 7.0)
                .containsEntry("validationQuery", "SELECT 1");
    }

    @Test
    void downWhenTheValidationFails() {
        HealthReport r = report(check(Mono.error(new R2dbcNonTransientResourceException("connection refused")), QUIET, breaker()));
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.validationTime()).isNull();
        assertThat(r.lastError()).contains("R2dbcNonTransientResourceException", "connection refused");
        assertThat(r.details()).containsKey("lastError");
    }

    @Test
    void downWhenTheValidationTimesOutAndTheValidationIsCancelled() {
        AtomicBoolean cancelled = new AtomicBoolean();
        StepVerifier.withVirtualTime(() -> HealthCheck.check("orders", HealthSettings.defaults(),
                        Mono.never().doOnCancel(() -> cancelled.set(true)), () -> QUIET, null, null))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(1999))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(r -> {
                    assertThat(r.status()).isEqualTo(Status.DOWN);
                    assertThat(r.lastError()).contains("did not answer within PT2S");
                    assertThat(r.breakerState()).isNull();
                })
                .verifyComplete();
        assertThat(cancelled).isTrue();
    }

    @Test
    void downWhenTheBreakerIsOpenEvenIfTheValidationAnswers() {
        CircuitBreaker breaker = breaker();
        failOnce(breaker);
        HealthReport r = report(check(Mono.just(1), QUIET, breaker));
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(r.lastError()).contains("connection refused");
        assertThat(r.details()).containsKey("retryAt");
    }

    @Test
    void degradedWhenTheBreakerIsHalfOpen() {
        CircuitBreaker breaker = breaker();
        failOnce(breaker);
        clock.advanceTimeBy(Duration.ofSeconds(30));
        HealthReport r = report(check(Mono.just(1), QUIET, breaker));
        assertThat(r.status()).isEqualTo(Status.DEGRADED);
        assertThat(r.breakerState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    }

    @Test
    void degradedWhenUtilizationOrPendingAcquiresReachTheThresholds() {
        assertThat(report(check(Mono.just(1), new PoolMetrics(10, 9, 1, 0, 10, 100), breaker())).status())
                .isEqualTo(Status.DEGRADED);
        assertThat(report(check(Mono.just(1), new PoolMetrics(10, 8, 2, 0, 10, 100), breaker())).status())
                .isEqualTo(Status.UP);
        assertThat(report(check(Mono.just(1), new PoolMetrics(3, 3, 0, 5, 10, 100), breaker())).status())
                .isEqualTo(Status.DEGRADED);
        HealthSettings strict = HealthSettings.builder().degradedPending(1).degradedUtilization(0.2).build();
        HealthReport[] out = new HealthReport[1];
        HealthCheck.check("orders", strict, Mono.just(1), () -> new PoolMetrics(3, 1, 2, 1, 10, 100), null, clock)
                .subscribe(r -> out[0] = r);
        assertThat(out[0].status()).isEqualTo(Status.DEGRADED);
    }

    @Test
    void oneSlowDatabaseDelaysTheOthersOnlyUpToItsTimeout() {
        StepVerifier.withVirtualTime(() -> HealthCheck.all(List.of(
                        HealthCheck.check("slow", HealthSettings.defaults(), Mono.never(), () -> QUIET, null, null),
                        HealthCheck.check("fast", HealthSettings.defaults(), Mono.delay(Duration.ofMillis(3)), () -> QUIET, null, null))))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(1999))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(reports -> {
                    assertThat(reports).extracting(HealthReport::database).containsExactly("slow", "fast");
                    assertThat(reports).extracting(HealthReport::status).containsExactly(Status.DOWN, Status.UP);
                    assertThat(HealthReport.worst(reports)).isEqualTo(Status.DOWN);
                })
                .verifyComplete();
    }

    @Test
    void theMonitorEmitsReportsEveryPeriod() {
        StepVerifier.withVirtualTime(() -> HealthCheck.monitor(List.of(
                        HealthCheck.check("a", HealthSettings.defaults(), Mono.just(1), () -> QUIET, null, null),
                        HealthCheck.check("b", HealthSettings.defaults(), Mono.just(1), () -> QUIET, null, null)),
                        Duration.ofSeconds(10), null))
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(10))
                .expectNextMatches(r -> r.database().equals("a"))
                .expectNextMatches(r -> r.database().equals("b"))
                .thenAwait(Duration.ofSeconds(10))
                .expectNextCount(2)
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void worseStatusAndSettingsValidation() {
        assertThat(Status.UP.worse(Status.DEGRADED)).isEqualTo(Status.DEGRADED);
        assertThat(Status.DOWN.worse(Status.DEGRADED)).isEqualTo(Status.DOWN);
        assertThat(HealthReport.worst(List.of())).isEqualTo(Status.UP);
        assertThat(HealthSettings.defaults().validationTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> HealthSettings.builder().validationQuery(" ")).hasMessageContaining("validationQuery");
        assertThatThrownBy(() -> HealthSettings.builder().validationTimeout(Duration.ZERO)).hasMessageContaining("validationTimeout");
        assertThatThrownBy(() -> HealthSettings.builder().degradedUtilization(1.5)).hasMessageContaining("degradedUtilization");
        assertThatThrownBy(() -> HealthSettings.builder().degradedPending(0)).hasMessageContaining("degradedPending");
        assertThatThrownBy(() -> HealthCheck.monitor(List.of(), Duration.ZERO, null)).hasMessageContaining("period");
    }

    @Test
    void reportDetailsAreImmutable() {
        HealthReport r = report(check(Mono.just(1), QUIET, breaker()));
        assertThatThrownBy(() -> r.details().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(r.details().keySet().iterator().next()).isEqualTo("database");
    }
}
