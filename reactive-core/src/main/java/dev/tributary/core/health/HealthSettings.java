package dev.tributary.core.health;

import java.time.Duration;
import java.util.Objects;

/**
 * How a database's health is judged. Immutable; build with {@link #builder()}.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>validationQuery</td><td>{@code SELECT 1}</td><td>the query whose round trip is measured</td></tr>
 *   <tr><td>validationTimeout</td><td>2 s</td><td>a validation taking longer makes the database DOWN</td></tr>
 *   <tr><td>degradedUtilization</td><td>0.9</td><td>DEGRADED when this share of the pool is in use, or more</td></tr>
 *   <tr><td>degradedPending</td><td>5</td><td>DEGRADED when this many callers wait for a connection, or more</td></tr>
 * </table>
 */
public final class HealthSettings {

    private static final HealthSettings DEFAULTS = builder().build();

    private final String validationQuery;
    private final Duration validationTimeout;
    private final double degradedUtilization;
    private final int degradedPending;

    private HealthSettings(Builder b) {
        this.validationQuery = b.validationQuery;
        this.validationTimeout = b.validationTimeout;
        this.degradedUtilization = b.degradedUtilization;
        this.degradedPending = b.degradedPending;
    }

    /** The default settings (see the class comment). */
    public static HealthSettings defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.validationQuery = validationQuery;
        b.validationTimeout = validationTimeout;
        b.degradedUtilization = degradedUtilization;
        b.degradedPending = degradedPending;
        return b;
    }

    public String validationQuery() {
        return validationQuery;
    }

    public Duration validationTimeout() {
        return validationTimeout;
    }

    public double degradedUtilization() {
        return degradedUtilization;
    }

    public int degradedPending() {
        return degradedPending;
    }

    @Override
    public String toString() {
        return "HealthSettings{validationQuery=" + validationQuery + ", validationTimeout=" + validationTimeout
                + ", degradedUtilization=" + degradedUtilization + ", degradedPending=" + degradedPending + "}";
    }

    /** A validating builder: each setter checks its argument. */
    public static final class Builder {

        private String validationQuery = "SELECT 1";
        private Duration validationTimeout = Duration.ofSeconds(2);
        private double degradedUtilization = 0.9;
        private int degradedPending = 5;

        private Builder() {
        }

        /** The validation query; not blank. */
        public Builder validationQuery(String validationQuery) {
            Objects.requireNonNull(validationQuery, "validationQuery");
            if (validationQuery.isBlank()) {
                throw new IllegalArgumentException("validationQuery must not be blank");
            }
            this.validationQuery = validationQuery;
            return this;
        }

        /** The longest the validation query may take; positive. */
        public Builder validationTimeout(Duration validationTimeout) {
            Objects.requireNonNull(validationTimeout, "validationTimeout");
            if (validationTimeout.isNegative() || validationTimeout.isZero()) {
                throw new IllegalArgumentException("validationTimeout must be positive, was " + validationTimeout);
            }
            this.validationTimeout = validationTimeout;
            return this;
        }

        /** The pool utilization (acquired / max) at or above which the database is DEGRADED; above 0, at most 1. */
        public Builder degradedUtilization(double degradedUtilization) {
            if (!(degradedUtilization > 0 && degradedUtilization <= 1)) {
                throw new IllegalArgumentException("degradedUtilization must be above 0 and at most 1, was " + degradedUtilization);
            }
            this.degradedUtilization = degradedUtilization;
            return this;
        }

        /** The number of waiting callers at or above which the database is DEGRADED; 1 or more. */
        public Builder degradedPending(int degradedPending) {
            if (degradedPending < 1) {
                throw new IllegalArgumentException("degradedPending must be at least 1, was " + degradedPending);
            }
            this.degradedPending = degradedPending;
            return this;
        }

        /** The settings. */
        public HealthSettings build() {
            return new HealthSettings(this);
        }
    }
}
