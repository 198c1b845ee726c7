package dev.tributary.core.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The guards of one database, as {@link ResilienceSettings} configure them: its {@link CircuitBreaker}, retries
 * before the first row, a statement timeout and an optional whole-query timeout. A {@code Database} applies them
 * to every call; users may apply them to their own publishers.
 *
 * <p>A query is guarded as {@code queryTimeout(retry(breaker(statementTimeout(attempt))))}: every attempt is one
 * breaker call (so an open breaker stops the retries at once, with {@link CircuitBreakerOpenException}), a
 * statement timeout counts as a breaker failure and is not retried, and the query timeout bounds everything.
 * A timed-out attempt is cancelled, which returns its connection to the pool.
 *
 * <p>Time comes from the given {@link Scheduler}, or from {@link Schedulers#parallel()} looked up on each
 * subscription, so {@code StepVerifier.withVirtualTime} controls it.
 */
public final class Resilience {

    private final String database;
    private final ResilienceSettings settings;
    private final @Nullable Scheduler scheduler;
    private final @Nullable CircuitBreaker breaker;

    private Resilience(String database, ResilienceSettings settings, @Nullable Scheduler scheduler,
            @Nullable Supplier<? extends @Nullable Publisher<?>> probe) {
        this.database = Objects.requireNonNull(database, "database");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.scheduler = scheduler;
        CircuitBreakerSettings breakerSettings = settings.circuitBreaker();
        this.breaker = breakerSettings == null ? null
                : probe != null ? CircuitBreaker.probing(database, breakerSettings, scheduler, probe)
                : scheduler == null ? CircuitBreaker.of(database, breakerSettings)
                : CircuitBreaker.of(database, breakerSettings, scheduler);
    }

    /** The guards of {@code database}, timed by {@link Schedulers#parallel()}. */
    public static Resilience of(String database, ResilienceSettings settings) {
        return new Resilience(database, settings, null, null);
    }

    /**
     * The guards of {@code database}, timed by {@link Schedulers#parallel()}, whose breaker probes the database
     * with {@code probe} while open (see {@link CircuitBreaker#probing}).
     */
    public static Resilience of(String database, ResilienceSettings settings, Supplier<? extends @Nullable Publisher<?>> probe) {
        return new Resilience(database, settings, null, Objects.requireNonNull(probe, "probe"));
    }

    /** The guards of {@code database}, timed by {@code scheduler}. */
    public static Resilience of(String database, ResilienceSettings settings, Scheduler scheduler) {
        return new Resilience(database, settings, Objects.requireNonNull(scheduler, "scheduler"), null);
    }

    /** The database's name. */
    public String database() {
        return database;
    }

    public ResilienceSettings settings() {
        return settings;
    }

    /** The database's breaker; null when the settings have none. */
    public @Nullable CircuitBreaker circuitBreaker() {
        return breaker;
    }

    /**
     * Guards a read (a query outside a transaction): breaker, statement timeout, retries before the first row,
     * query timeout. {@code attempt} must be cold: each retry subscribes to it again.
     *
     * @return the rows; or {@link CircuitBreakerOpenException}, {@link QueryTimeoutException}, or the last error
     *     once retries are exhausted
     */
    public <T> Flux<T> query(Publisher<T> attempt) {
        return guard(attempt, settings.retry());
    }

    /**
     * Guards a write outside a transaction: as {@link #query}, retried only if
     * {@link RetrySettings#retryWrites()} is set.
     */
    public <T> Flux<T> write(Publisher<T> attempt) {
        RetrySettings retry = settings.retry().retryWrites() ? settings.retry() : RetrySettings.none();
        return guard(attempt, retry);
    }

    /**
     * Guards a transaction: the breaker only (success at the first item or the commit), never retried, no
     * timeouts (the transaction's work decides how long it runs).
     */
    public <T> Flux<T> transaction(Publisher<T> work) {
        return breaker == null ? Flux.from(work) : breaker.guard(work);
    }

    /** {@link #query} as an operator, for {@code transformDeferred}; keeps a {@code Mono} a {@code Mono}. */
    public <T> UnaryOperator<Publisher<T>> queryOperator() {
        return source -> source instanceof Mono<T> mono ? Mono.fromDirect(query(mono)) : query(source);
    }

    private <T> Flux<T> guard(Publisher<T> attempt, RetrySettings retry) {
        Duration statementTimeout = settings.statementTimeout();
        Flux<T> all = breaker == null && retry.maxRetries() == 0 && statementTimeout == null ? Flux.from(attempt)
                : new FluxQueryGuard<>(attempt, database, breaker, retry, statementTimeout, scheduler);
        Duration queryTimeout = settings.queryTimeout();
        if (queryTimeout != null) {
            all = Guards.wholeTimeout(all, queryTimeout, scheduler,
                    () -> new QueryTimeoutException(database, QueryTimeoutException.Kind.QUERY, queryTimeout));
        }
        return all;
    }
}
