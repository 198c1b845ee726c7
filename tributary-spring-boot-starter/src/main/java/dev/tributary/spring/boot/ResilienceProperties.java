package dev.tributary.spring.boot;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How a database's queries are guarded (ResilienceSettings): tributary.resilience.* for every
 * database, tributary.databases.NAME.resilience.* for one.
 *
 * @param circuitBreaker the circuit breaker
 * @param retry retries of transient errors before the first row
 * @param statementTimeout the longest wait for a query's first row (default 30s; 0 for none)
 * @param queryTimeout the longest a whole query may run, retries and rows included (default: none; 0 for none)
 */
public record ResilienceProperties(@Nullable CircuitBreaker circuitBreaker, @Nullable Retry retry,
        @Nullable Duration statementTimeout, @Nullable Duration queryTimeout) {

    static final ResilienceProperties EMPTY = new ResilienceProperties(null, null, null, null);

    /**
     * The circuit breaker (CircuitBreakerSettings).
     *
     * @param enabled whether the database has a breaker (default true)
     * @param consecutiveFailures failures in a row that open it (default 5; 0 for off)
     * @param slidingWindowSize calls in the failure-rate window (default 20)
     * @param minimumCalls calls in the window before the rate counts (default 10)
     * @param failureRateThreshold the failure rate, in percent, that opens it (default 50)
     * @param waitInOpen how long it stays open before trial calls (default 30s)
     * @param halfOpenTrialCalls trial calls while half-open (default 3)
     */
    public record CircuitBreaker(@Nullable Boolean enabled, @Nullable Integer consecutiveFailures,
            @Nullable Integer slidingWindowSize, @Nullable Integer minimumCalls, @Nullable Double failureRateThreshold,
            @Nullable Duration waitInOpen, @Nullable Integer halfOpenTrialCalls) {
    }

    /**
     * Retries (RetrySettings).
     *
     * @param maxRetries retries after the first try (default 2; 0 for none)
     * @param minBackoff the first backoff (default 100ms), doubled each retry
     * @param maxBackoff the longest backoff (default 2s)
     * @param jitter the random share of each backoff, 0 to 1 (default 0.5)
     * @param retryWrites whether updates and batches are retried too (default false)
     */
    public record Retry(@Nullable Integer maxRetries, @Nullable Duration minBackoff, @Nullable Duration maxBackoff,
            @Nullable Double jitter, @Nullable Boolean retryWrites) {
    }
}
