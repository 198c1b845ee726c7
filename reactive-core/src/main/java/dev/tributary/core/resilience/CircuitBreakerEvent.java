package dev.tributary.core.resilience;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Something that happened to a {@link CircuitBreaker}: a call's outcome, a refused call, or a state transition.
 *
 * @param name the breaker's (database's) name
 * @param type what happened
 * @param state the state after the event
 * @param previousState the state before a {@link Type#STATE_TRANSITION} or {@link Type#RESET}; otherwise equal to
 *     {@code state}
 * @param timeMillis when, in milliseconds on the breaker's scheduler clock
 * @param elapsed for a call's outcome, the time from subscription to the outcome (the first row, the error, the
 *     completion or the cancellation); otherwise zero
 * @param bufferedCalls outcomes in the sliding window after the event
 * @param failedCalls failures in the sliding window after the event
 * @param consecutiveFailures failures in a row after the event
 * @param error the error of a {@link Type#FAILURE} or {@link Type#IGNORED_ERROR}, the refusal of a
 *     {@link Type#NOT_PERMITTED}, the failure that opened the breaker for a transition to OPEN; otherwise null
 */
public record CircuitBreakerEvent(String name, Type type, CircuitBreaker.State state,
        CircuitBreaker.State previousState, long timeMillis, Duration elapsed, int bufferedCalls, int failedCalls,
        int consecutiveFailures, @Nullable Throwable error) {

    /** The kinds of event. */
    public enum Type {
        /** A call emitted its first item (or completed empty). */
        SUCCESS,
        /** A call failed with an error that counts as a failure. */
        FAILURE,
        /** A call failed with an error that does not count (the caller's mistake). */
        IGNORED_ERROR,
        /** A call was cancelled before its outcome; it counts as neither success nor failure. */
        CANCELLED,
        /** A call was refused: the breaker is open, or half-open with all trial calls running. */
        NOT_PERMITTED,
        /** The breaker moved from {@code previousState} to {@code state}. */
        STATE_TRANSITION,
        /** The breaker was reset by hand to CLOSED. */
        RESET
    }
}
