package dev.tributary.core.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * When and how a query is retried. Immutable; build with {@link #builder()}. A query is retried only when its
 * error is transient and it has not emitted a row yet, so a retry never duplicates rows; work inside a
 * transaction is never retried. Backoff is exponential with jitter (Reactor's {@code Retry.backoff}); when the
 * retries are exhausted the last error is signalled as it is.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>maxRetries</td><td>2</td><td>retries after the first attempt (0: no retry)</td></tr>
 *   <tr><td>minBackoff</td><td>100 ms</td><td>the wait before the first retry, doubled for each next</td></tr>
 *   <tr><td>maxBackoff</td><td>2 s</td><td>the longest wait between attempts</td></tr>
 *   <tr><td>jitter</td><td>0.5</td><td>random share (0 to 1) of each wait added or taken off</td></tr>
 *   <tr><td>retryWrites</td><td>false</td><td>whether updates and batches outside a transaction are retried too</td></tr>
 *   <tr><td>retryOn</td><td>{@link FailureClassifier#isTransient}</td><td>which errors are retried</td></tr>
 * </table>
 */
public final class RetrySettings {

    private static final RetrySettings DEFAULTS = builder().build();
    private static final RetrySettings NONE = builder().maxRetries(0).build();

    private final int maxRetries;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final double jitter;
    private final boolean retryWrites;
    private final Predicate<? super Throwable> retryOn;

    private RetrySettings(Builder b) {
        this.maxRetries = b.maxRetries;
        this.minBackoff = b.minBackoff;
        this.maxBackoff = b.maxBackoff;
        this.jitter = b.jitter;
        this.retryWrites = b.retryWrites;
        this.retryOn = b.retryOn;
    }

    /** The default settings (see the class comment). */
    public static RetrySettings defaults() {
        return DEFAULTS;
    }

    /** No retries. */
    public static RetrySettings none() {
        return NONE;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxRetries = maxRetries;
        b.minBackoff = minBackoff;
        b.maxBackoff = maxBackoff;
        b.jitter = jitter;
        b.retryWrites = retryWrites;
        b.retryOn = retryOn;
        return b;
    }

    public int maxRetries() {
        return maxRetries;
    }

    public Duration minBackoff() {
        return minBackoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    public double jitter() {
        return jitter;
    }

    public boolean retryWrites() {
        return retryWrites;
    }

    public Predicate<? super Throwable> retryOn() {
        return retryOn;
    }

    @Override
    public String toString() {
        return "RetrySettings{maxRetries=" + maxRetries + ", minBackoff=" + minBackoff + ", maxBackoff=" + maxBackoff
                + ", jitter=" + jitter + ", retryWrites=" + retryWrites + "}";
    }

    /** A validating builder: each setter checks its argument, {@link #build()} the rules across fields. */
    public static final class Builder {

        private int maxRetries = 2;
        private Duration minBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(2);
        private double jitter = 0.5;
        private boolean retryWrites;
        private Predicate<? super Throwable> retryOn = FailureClassifier::isTransient;

        private Builder() {
        }

        /** Retries after the first attempt; 0 or more. */
        public Builder maxRetries(int maxRetries) {
            if (maxRetries < 0) {
                throw new IllegalArgumentException("maxRetries must be at least 0, was " + maxRetries);
            }
            this.maxRetries = maxRetries;
            return this;
        }

        /** The wait before the first retry; positive. */
        public Builder minBackoff(Duration minBackoff) {
            this.minBackoff = positive(minBackoff, "minBackoff");
            return this;
        }

        /** The longest wait between attempts; positive, at least minBackoff. */
        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = positive(maxBackoff, "maxBackoff");
            return this;
        }

        /** The random share of each wait, between 0 (none) and 1. */
        public Builder jitter(double jitter) {
            if (!(jitter >= 0 && jitter <= 1)) {
                throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
            }
            this.jitter = jitter;
            return this;
        }

        /**
         * Whether updates and batches outside a transaction are retried too (default false: a write whose
         * connection broke may have been applied).
         */
        public Builder retryWrites(boolean retryWrites) {
            this.retryWrites = retryWrites;
            return this;
        }

        /** Which errors are retried; by default {@link FailureClassifier#isTransient}. */
        public Builder retryOn(Predicate<? super Throwable> retryOn) {
            this.retryOn = Objects.requireNonNull(retryOn, "retryOn");
            return this;
        }

        /**
         * The settings.
         *
         * @throws IllegalArgumentException if maxBackoff is shorter than minBackoff
         */
        public RetrySettings build() {
            if (maxBackoff.compareTo(minBackoff) < 0) {
                throw new IllegalArgumentException("maxBackoff (" + maxBackoff + ") must not be shorter than minBackoff ("
                        + minBackoff + ")");
            }
            return new RetrySettings(this);
        }

        static Duration positive(Duration value, String field) {
            Objects.requireNonNull(value, field);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(field + " must be positive, was " + value);
            }
            return value;
        }
    }
}
