package dev.tributary.core.resilience;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one {@link CircuitBreaker}.
 *
 * @param state the current state
 * @param bufferedCalls outcomes in the sliding window (CLOSED only; reset on every transition)
 * @param failedCalls failures among them
 * @param failureRate {@code failedCalls / bufferedCalls} in percent, 0 when the window is empty
 * @param consecutiveFailures failures in a row
 * @param notPermittedCalls calls refused since the breaker was created
 * @param transitions state transitions since the breaker was created
 * @param lastFailure the last error that counted as a failure, if any
 * @param retryAt when an open breaker lets trial calls through; null unless OPEN
 */
public record CircuitBreakerMetrics(CircuitBreaker.State state, int bufferedCalls, int failedCalls, double failureRate,
        int consecutiveFailures, long notPermittedCalls, long transitions, @Nullable Throwable lastFailure,
        @Nullable Instant retryAt) {
}
