package dev.tributary.core.health;

import dev.tributary.core.PoolMetrics;
import dev.tributary.core.resilience.CircuitBreaker;
import dev.tributary.core.resilience.CircuitBreakerMetrics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Makes {@link HealthReport}s. This is the building block {@code Database.health()} uses; call it directly only to
 * report on a pool Tributary does not manage.
 */
public final class HealthCheck {

    private HealthCheck() {
    }

    /**
     * Runs {@code validation} (the database's validation query, not through its circuit breaker) under
     * {@link HealthSettings#validationTimeout()}, and reports. Never signals an error: a failing or slow
     * validation gives a DOWN report.
     *
     * @param database the database's name
     * @param settings the thresholds and timeout
     * @param validation runs the validation query; its completion (with or without items) is the answer
     * @param pool reads the pool's metrics
     * @param breaker the database's breaker, or null if it has none
     * @param clock the clock and timer, or null for {@link Schedulers#parallel()} looked up on subscription
     */
    public static Mono<HealthReport> check(String database, HealthSettings settings, Publisher<?> validation,
            Supplier<PoolMetrics> pool, @Nullable CircuitBreaker breaker, @Nullable Scheduler clock) {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(pool, "pool");
        return Mono.defer(() -> {
            Scheduler scheduler = clock != null ? clock : Schedulers.parallel();
            long start = scheduler.now(TimeUnit.NANOSECONDS);
            return Flux.from(validation)
                    .then(Mono.fromCallable(() -> Duration.ofNanos(scheduler.now(TimeUnit.NANOSECONDS) - start)))
                    .timeout(settings.validationTimeout(), scheduler)
                    .map(time -> report(database, settings, time, null, pool.get(), breaker))
                    .onErrorResume(error -> Mono.fromCallable(() -> report(database, settings, null,
                            error instanceof TimeoutException
                                    ? "validation query did not answer within " + settings.validationTimeout()
                                    : describe(error), pool.get(), breaker)));
        });
    }

    /** The reports of all {@code checks}, run at once, in the given order. */
    public static Mono<List<HealthReport>> all(List<Mono<HealthReport>> checks) {
        return Flux.mergeSequential(checks).collectList();
    }

    /** Every {@code period}, the reports of all {@code checks}, starting after the first period; a new round waits for the last. */
    public static Flux<HealthReport> monitor(List<Mono<HealthReport>> checks, Duration period, @Nullable Scheduler clock) {
        Objects.requireNonNull(period, "period");
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive, was " + period);
        }
        return Flux.defer(() -> Flux.interval(period, clock != null ? clock : Schedulers.parallel()))
                .onBackpressureDrop()
                .concatMap(tick -> Flux.mergeSequential(checks), 1);
    }

    static HealthReport report(String database, HealthSettings settings, @Nullable Duration validationTime,
            @Nullable String validationError, PoolMetrics pool, @Nullable CircuitBreaker breaker) {
        CircuitBreakerMetrics breakerMetrics = breaker == null ? null : breaker.metrics();
        CircuitBreaker.State breakerState = breakerMetrics == null ? null : breakerMetrics.state();
        double utilization = pool.utilization();
        HealthReport.Status status;
        if (validationError != null || breakerState == CircuitBreaker.State.OPEN) {
            status = HealthReport.Status.DOWN;
        } else if (breakerState == CircuitBreaker.State.HALF_OPEN || utilization >= settings.degradedUtilization()
                || pool.pending() >= settings.degradedPending()) {
            status = HealthReport.Status.DEGRADED;
        } else {
            status = HealthReport.Status.UP;
        }
        String lastError = validationError;
        if (lastError == null && breakerMetrics != null && breakerMetrics.lastFailure() != null) {
            lastError = describe(breakerMetrics.lastFailure());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("database", database);
        details.put("status", status.name());
        details.put("validationQuery", settings.validationQuery());
        if (validationTime != null) {
            details.put("validationMillis", validationTime.toNanos() / 1_000_000.0);
        }
        details.put("allocated", pool.allocated());
        details.put("acquired", pool.acquired());
        details.put("idle", pool.idle());
        details.put("pending", pool.pending());
        details.put("maxAllocated", pool.maxAllocated());
        details.put("maxPending", pool.maxPending());
        details.put("utilization", utilization);
        if (breakerMetrics != null) {
            details.put("circuitBreaker", breakerMetrics.state().name());
            details.put("failureRate", breakerMetrics.failureRate());
            details.put("consecutiveFailures", breakerMetrics.consecutiveFailures());
            details.put("notPermittedCalls", breakerMetrics.notPermittedCalls());
            if (breakerMetrics.retryAt() != null) {
                details.put("retryAt", breakerMetrics.retryAt().toString());
            }
        }
        if (lastError != null) {
            details.put("lastError", lastError);
        }
        return new HealthReport(database, status, validationTime, pool, utilization, breakerState, lastError, details);
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getName() + (message == null ? "" : ": " + message);
    }
}
