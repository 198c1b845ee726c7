package dev.tributary.core;

import dev.tributary.core.health.HealthCheck;
import dev.tributary.core.health.HealthReport;
import dev.tributary.core.health.HealthSettings;
import dev.tributary.core.resilience.CircuitBreaker;
import dev.tributary.core.resilience.ResilienceSettings;
import io.r2dbc.spi.IsolationLevel;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One named database of a {@link Databases} registry, with its own connection pool. Each query borrows a
 * connection for as long as its publisher runs and returns it on completion, error or cancellation.
 *
 * <p>Calls are guarded as its {@link ResilienceSettings} say (by default: a circuit breaker, two retries of
 * transient errors before the first row, a 30 s statement timeout). While the breaker is open, calls fail at
 * once with {@link dev.tributary.core.resilience.CircuitBreakerOpenException}, a
 * {@link DatabaseUnavailableException}.
 */
public interface Database extends SqlOperations {

    /** The name this database was registered under. */
    String name();

    /**
     * Runs {@code work} in a transaction on one connection. The transaction commits when the publisher
     * {@code work} returns completes, and rolls back when it signals an error or the subscriber cancels;
     * the connection then goes back to the pool.
     *
     * @return what {@code work} emits; a commit failure is signalled after the last item
     */
    <T> Flux<T> inTransaction(Function<Session, ? extends Publisher<T>> work);

    /** As {@link #inTransaction(Function)}, with the given isolation level. */
    <T> Flux<T> inTransaction(IsolationLevel isolation, Function<Session, ? extends Publisher<T>> work);

    /** A snapshot of this database's pool. */
    PoolMetrics poolMetrics();

    /**
     * Checks this database: runs the validation query (by default {@code SELECT 1}, not through the circuit
     * breaker) under its timeout and reports the round trip, the pool's metrics and the breaker's state. Never
     * signals an error: a database that cannot answer gets a {@link HealthReport.Status#DOWN DOWN} report.
     *
     * @return one report, after at most the validation timeout ({@link HealthSettings#validationTimeout()})
     */
    default Mono<HealthReport> health() {
        return HealthCheck.check(name(), HealthSettings.defaults(), query(HealthSettings.defaults().validationQuery()),
                this::poolMetrics, circuitBreaker(), null);
    }

    /**
     * This database's circuit breaker, to read its state and {@linkplain CircuitBreaker#events() events}; null
     * when its {@link ResilienceSettings} have none.
     */
    default @Nullable CircuitBreaker circuitBreaker() {
        return null;
    }

    /**
     * Opens the pool's initial connections.
     *
     * @return the number of connections opened
     */
    Mono<Integer> warmup();
}
