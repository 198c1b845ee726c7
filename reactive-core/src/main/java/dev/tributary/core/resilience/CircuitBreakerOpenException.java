package dev.tributary.core.resilience;

import dev.tributary.core.DatabaseUnavailableException;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Signalled at once, without touching the pool, when a database's circuit breaker does not let a call through:
 * it is {@link CircuitBreaker.State#OPEN OPEN}, or {@link CircuitBreaker.State#HALF_OPEN HALF_OPEN} with all its
 * trial calls running. The message names the database, the state, when the breaker lets calls through again and
 * the last failure, which is also the {@linkplain #getCause() cause}. Callers may retry after {@link #retryAt()}.
 */
public final class CircuitBreakerOpenException extends DatabaseUnavailableException {

    private static final long serialVersionUID = 1L;

    private final CircuitBreaker.State state;
    private final @Nullable Instant retryAt;

    CircuitBreakerOpenException(String database, CircuitBreaker.State state, @Nullable Instant retryAt,
            String message, @Nullable Throwable lastFailure) {
        super(database, message, lastFailure);
        this.state = state;
        this.retryAt = retryAt;
    }

    /** The breaker's state when the call was refused: OPEN or HALF_OPEN. */
    public CircuitBreaker.State state() {
        return state;
    }

    /**
     * When an open breaker lets trial calls through, on its scheduler's clock; null when half-open (trial calls
     * are running and decide).
     */
    public @Nullable Instant retryAt() {
        return retryAt;
    }

    /** The failure that opened the breaker (the cause), if known. */
    public @Nullable Throwable lastFailure() {
        return getCause();
    }

    /** Refused calls are frequent and expected while a database is down: no stack trace is recorded. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
