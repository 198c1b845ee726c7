package dev.tributary.core.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The settings of one {@link CircuitBreaker}. Immutable; build with {@link #builder()}.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>slidingWindowSize</td><td>20</td><td>the last calls whose outcomes the failure rate is computed over</td></tr>
 *   <tr><td>minimumCalls</td><td>10</td><td>calls in the window before the failure rate may open the breaker</td></tr>
 *   <tr><td>failureRateThreshold</td><td>50 %</td><td>the breaker opens when this share of the window failed</td></tr>
 *   <tr><td>consecutiveFailures</td><td>5</td><td>the breaker also opens after this many failures in a row
 *       (0: off)</td></tr>
 *   <tr><td>waitInOpen</td><td>30 s</td><td>how long an open breaker fails calls before it lets trial calls through</td></tr>
 *   <tr><td>probeBackoff</td><td>1 s</td><td>a breaker with a probe (every database's) checks the database this long
 *       after opening, then at twice the previous wait up to waitInOpen, and closes at the first success</td></tr>
 *   <tr><td>halfOpenTrialCalls</td><td>3</td><td>trial calls let through when half-open; all must succeed to close</td></tr>
 *   <tr><td>recordFailure</td><td>{@link FailureClassifier#isDatabaseFailure}</td><td>which errors count as failures</td></tr>
 * </table>
 */
public final class CircuitBreakerSettings {

    private static final CircuitBreakerSettings DEFAULTS = builder().build();

    private final int slidingWindowSize;
    private final int minimumCalls;
    private final double failureRateThreshold;
    private final int consecutiveFailures;
    private final Duration waitInOpen;
    private final int halfOpenTrialCalls;
    private final Duration probeBackoff;
    private final Predicate<? super Throwable> recordFailure;

    private CircuitBreakerSettings(Builder b) {
        this.slidingWindowSize = b.slidingWindowSize;
        this.minimumCalls = b.minimumCalls;
        this.failureRateThreshold = b.failureRateThreshold;
        this.consecutiveFailures = b.consecutiveFailures;
        this.waitInOpen = b.waitInOpen;
        this.halfOpenTrialCalls = b.halfOpenTrialCalls;
        this.probeBackoff = b.probeBackoff;
        this.recordFailure = b.recordFailure;
    }

    /** The default settings (see the class comment). */
    public static CircuitBreakerSettings defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.slidingWindowSize = slidingWindowSize;
        b.minimumCalls = minimumCalls;
        b.failureRateThreshold = failureRateThreshold;
        b.consecutiveFailures = consecutiveFailures;
        b.waitInOpen = waitInOpen;
        b.halfOpenTrialCalls = halfOpenTrialCalls;
        b.probeBackoff = probeBackoff;
        b.recordFailure = recordFailure;
        return b;
    }

    public int slidingWindowSize() {
        return slidingWindowSize;
    }

    public int minimumCalls() {
        return minimumCalls;
    }

    /** In percent, above 0 and at most 100. */
    public double failureRateThreshold() {
        return failureRateThreshold;
    }

    /** 0 when opening on consecutive failures is off. */
    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    public Duration waitInOpen() {
        return waitInOpen;
    }

    public int halfOpenTrialCalls() {
        return halfOpenTrialCalls;
    }

    public Predicate<? super Throwable> recordFailure() {
        return recordFailure;
    }

    /** The first wait before an open breaker probes the database; later waits double, up to waitInOpen. */
    public Duration probeBackoff() {
        return probeBackoff;
    }

    @Override
    public String toString() {
        return "CircuitBreakerSettings{slidingWindowSize=" + slidingWindowSize + ", minimumCalls=" + minimumCalls
                + ", failureRateThreshold=" + failureRateThreshold + ", consecutiveFailures=" + consecutiveFailures
                + ", waitInOpen=" + waitInOpen + ", halfOpenTrialCalls=" + halfOpenTrialCalls + ", probeBackoff=" + probeBackoff + "}";
    }

    /** A validating builder: each setter checks its argument, {@link #build()} the rules across fields. */
    public static final class Builder {

        private int slidingWindowSize = 20;
        private int minimumCalls = 10;
        private double failureRateThreshold = 50;
        private int consecutiveFailures = 5;
        private Duration waitInOpen = Duration.ofSeconds(30);
        private int halfOpenTrialCalls = 3;
        private Duration probeBackoff = Duration.ofSeconds(1);
        private Predicate<? super Throwable> recordFailure = FailureClassifier::isDatabaseFailure;

        private Builder() {
        }

        /** The number of most recent calls the failure rate is computed over; 1 or more. */
        public Builder slidingWindowSize(int slidingWindowSize) {
            this.slidingWindowSize = atLeast(slidingWindowSize, 1, "slidingWindowSize");
            return this;
        }

        /** Calls recorded in the window before the failure rate may open the breaker; 1 or more, at most slidingWindowSize. */
        public Builder minimumCalls(int minimumCalls) {
            this.minimumCalls = atLeast(minimumCalls, 1, "minimumCalls");
            return this;
        }

        /** The failure rate in percent at or above which the breaker opens; above 0, at most 100. */
        public Builder failureRateThreshold(double percent) {
            if (!(percent > 0 && percent <= 100)) {
                throw new IllegalArgumentException("failureRateThreshold must be above 0 and at most 100 (percent), was " + percent);
            }
            this.failureRateThreshold = percent;
            return this;
        }

        /** Failures in a row that open the breaker whatever the rate; 0 turns this rule off. */
        public Builder consecutiveFailures(int consecutiveFailures) {
            this.consecutiveFailures = atLeast(consecutiveFailures, 0, "consecutiveFailures");
            return this;
        }

        /** How long an open breaker fails calls before it lets trial calls through; positive. */
        public Builder waitInOpen(Duration waitInOpen) {
            Objects.requireNonNull(waitInOpen, "waitInOpen");
            if (waitInOpen.isNegative() || waitInOpen.isZero()) {
                throw new IllegalArgumentException("waitInOpen must be positive, was " + waitInOpen);
            }
            this.waitInOpen = waitInOpen;
            return this;
        }

        /**
         * The first wait before an open breaker that has a probe checks the database; each failed probe doubles
         * it, up to waitInOpen. Positive.
         */
        public Builder probeBackoff(Duration probeBackoff) {
            Objects.requireNonNull(probeBackoff, "probeBackoff");
            if (probeBackoff.isNegative() || probeBackoff.isZero()) {
                throw new IllegalArgumentException("probeBackoff must be positive, was " + probeBackoff);
            }
            this.probeBackoff = probeBackoff;
            return this;
        }

        /** Trial calls let through when half-open; 1 or more. All must succeed to close the breaker. */
        public Builder halfOpenTrialCalls(int halfOpenTrialCalls) {
            this.halfOpenTrialCalls = atLeast(halfOpenTrialCalls, 1, "halfOpenTrialCalls");
            return this;
        }

        /**
         * Which errors count as failures; the others are the caller's own and leave the breaker alone. The
         * default is {@link FailureClassifier#isDatabaseFailure}.
         */
        public Builder recordFailure(Predicate<? super Throwable> recordFailure) {
            this.recordFailure = Objects.requireNonNull(recordFailure, "recordFailure");
            return this;
        }

        /**
         * The settings.
         *
         * @throws IllegalArgumentException if minimumCalls exceeds slidingWindowSize
         */
        public CircuitBreakerSettings build() {
            if (minimumCalls > slidingWindowSize) {
                throw new IllegalArgumentException("minimumCalls (" + minimumCalls + ") must not exceed slidingWindowSize ("
                        + slidingWindowSize + ")");
            }
            return new CircuitBreakerSettings(this);
        }

        private static int atLeast(int value, int min, String field) {
            if (value < min) {
                throw new IllegalArgumentException(field + " must be at least " + min + ", was " + value);
            }
            return value;
        }
    }
}
