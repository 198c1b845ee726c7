package dev.tributary.core.resilience;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How the queries of one database are guarded: a circuit breaker, retries before the first row, a statement
 * timeout (time to the first row) and an optional whole-query timeout. Immutable; build with {@link #builder()}.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>circuitBreaker</td><td>{@link CircuitBreakerSettings#defaults()}</td><td>null: no breaker</td></tr>
 *   <tr><td>retry</td><td>{@link RetrySettings#defaults()}</td><td>{@link RetrySettings#none()}: no retry</td></tr>
 *   <tr><td>statementTimeout</td><td>30 s</td><td>the longest wait for a query's first row (or its end, if empty);
 *       null: none</td></tr>
 *   <tr><td>queryTimeout</td><td>none</td><td>the longest a query may run, all retries and rows included</td></tr>
 * </table>
 */
public final class ResilienceSettings {

    private static final ResilienceSettings DEFAULTS = builder().build();
    private static final ResilienceSettings NONE = builder().circuitBreaker(null).retry(RetrySettings.none())
            .statementTimeout(null).queryTimeout(null).build();

    private final @Nullable CircuitBreakerSettings circuitBreaker;
    private final RetrySettings retry;
    private final @Nullable Duration statementTimeout;
    private final @Nullable Duration queryTimeout;

    private ResilienceSettings(Builder b) {
        this.circuitBreaker = b.circuitBreaker;
        this.retry = b.retry;
        this.statementTimeout = b.statementTimeout;
        this.queryTimeout = b.queryTimeout;
    }

    /** The default settings (see the class comment): every database gets them unless told otherwise. */
    public static ResilienceSettings defaults() {
        return DEFAULTS;
    }

    /** No breaker, no retries, no timeouts: queries run as the driver and pool run them. */
    public static ResilienceSettings none() {
        return NONE;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.circuitBreaker = circuitBreaker;
        b.retry = retry;
        b.statementTimeout = statementTimeout;
        b.queryTimeout = queryTimeout;
        return b;
    }

    /** The breaker's settings; null when there is no breaker. */
    public @Nullable CircuitBreakerSettings circuitBreaker() {
        return circuitBreaker;
    }

    public RetrySettings retry() {
        return retry;
    }

    /** The longest wait for the first row; null when there is none. */
    public @Nullable Duration statementTimeout() {
        return statementTimeout;
    }

    /** The longest a whole query may run; null when there is none. */
    public @Nullable Duration queryTimeout() {
        return queryTimeout;
    }

    @Override
    public String toString() {
        return "ResilienceSettings{circuitBreaker=" + circuitBreaker + ", retry=" + retry + ", statementTimeout="
                + statementTimeout + ", queryTimeout=" + queryTimeout + "}";
    }

    /** A validating builder: each setter checks its argument, {@link #build()} the rules across fields. */
    public static final class Builder {

        private @Nullable CircuitBreakerSettings circuitBreaker = CircuitBreakerSettings.defaults();
        private RetrySettings retry = RetrySettings.defaults();
        private @Nullable Duration statementTimeout = Duration.ofSeconds(30);
        private @Nullable Duration queryTimeout;

        private Builder() {
        }

        /** The breaker's settings; null for no breaker. */
        public Builder circuitBreaker(@Nullable CircuitBreakerSettings circuitBreaker) {
            this.circuitBreaker = circuitBreaker;
            return this;
        }

        /** The retry settings; {@link RetrySettings#none()} for no retries. */
        public Builder retry(RetrySettings retry) {
            this.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        /** The longest wait for a query's first row; positive, or null for none. */
        public Builder statementTimeout(@Nullable Duration statementTimeout) {
            this.statementTimeout = statementTimeout == null ? null : RetrySettings.Builder.positive(statementTimeout,
                    "statementTimeout");
            return this;
        }

        /** The longest a whole query may run, retries and all rows included; positive, or null for none. */
        public Builder queryTimeout(@Nullable Duration queryTimeout) {
            this.queryTimeout = queryTimeout == null ? null : RetrySettings.Builder.positive(queryTimeout, "queryTimeout");
            return this;
        }

        /**
         * The settings.
         *
         * @throws IllegalArgumentException if the query timeout is shorter than the statement timeout
         */
        public ResilienceSettings build() {
            if (queryTimeout != null && statementTimeout != null && queryTimeout.compareTo(statementTimeout) < 0) {
                throw new IllegalArgumentException("queryTimeout (" + queryTimeout
                        + ") must not be shorter than statementTimeout (" + statementTimeout + ")");
            }
            return new ResilienceSettings(this);
        }
    }
}
