package dev.tributary.core;

import io.r2dbc.spi.Connection;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;

/**
 * The connection pool settings of one database, mapped onto r2dbc-pool's {@code ConnectionPoolConfiguration}.
 * Immutable; build with {@link #builder()}. The defaults suit a web application on a small machine:
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>initialSize</td><td>1</td><td>connections opened by {@link Database#warmup()}</td></tr>
 *   <tr><td>maxSize</td><td>10</td><td>the most connections the pool holds</td></tr>
 *   <tr><td>minIdle</td><td>0</td><td>idle connections the pool keeps open</td></tr>
 *   <tr><td>maxIdleTime</td><td>10 min</td><td>an idle connection older than this is closed</td></tr>
 *   <tr><td>maxLifeTime</td><td>30 min</td><td>a connection older than this is closed when returned</td></tr>
 *   <tr><td>maxAcquireTime</td><td>10 s</td><td>a caller waiting longer for a connection gets an error</td></tr>
 *   <tr><td>maxCreateConnectionTime</td><td>10 s</td><td>opening a connection taking longer fails</td></tr>
 *   <tr><td>maxValidationTime</td><td>5 s</td><td>validating a connection taking longer fails</td></tr>
 *   <tr><td>validationQuery</td><td>none</td><td>SQL run on acquire; without it the driver's local check</td></tr>
 *   <tr><td>acquireRetry</td><td>1</td><td>retries when an acquired connection fails validation</td></tr>
 *   <tr><td>postAllocate</td><td>none</td><td>SQL or function run once on every new connection</td></tr>
 *   <tr><td>preRelease</td><td>none</td><td>SQL or function run before a connection returns to the pool</td></tr>
 * </table>
 */
public final class PoolSettings {

    private static final PoolSettings DEFAULTS = builder().build();

    private final int initialSize;
    private final int maxSize;
    private final int minIdle;
    private final Duration maxIdleTime;
    private final Duration maxLifeTime;
    private final Duration maxAcquireTime;
    private final Duration maxCreateConnectionTime;
    private final Duration maxValidationTime;
    private final @Nullable String validationQuery;
    private final int acquireRetry;
    private final @Nullable Function<? super Connection, ? extends Publisher<Void>> postAllocate;
    private final @Nullable Function<? super Connection, ? extends Publisher<Void>> preRelease;

    private PoolSettings(Builder b) {
        this.initialSize = b.initialSize;
        this.maxSize = b.maxSize;
        this.minIdle = b.minIdle;
        this.maxIdleTime = b.maxIdleTime;
        this.maxLifeTime = b.maxLifeTime;
        this.maxAcquireTime = b.maxAcquireTime;
        this.maxCreateConnectionTime = b.maxCreateConnectionTime;
        this.maxValidationTime = b.maxValidationTime;
        this.validationQuery = b.validationQuery;
        this.acquireRetry = b.acquireRetry;
        this.postAllocate = b.postAllocate;
        this.preRelease = b.preRelease;
    }

    /** The default settings (see the class comment). */
    public static PoolSettings defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.initialSize = initialSize;
        b.maxSize = maxSize;
        b.minIdle = minIdle;
        b.maxIdleTime = maxIdleTime;
        b.maxLifeTime = maxLifeTime;
        b.maxAcquireTime = maxAcquireTime;
        b.maxCreateConnectionTime = maxCreateConnectionTime;
        b.maxValidationTime = maxValidationTime;
        b.validationQuery = validationQuery;
        b.acquireRetry = acquireRetry;
        b.postAllocate = postAllocate;
        b.preRelease = preRelease;
        return b;
    }

    public int initialSize() {
        return initialSize;
    }

    public int maxSize() {
        return maxSize;
    }

    public int minIdle() {
        return minIdle;
    }

    public Duration maxIdleTime() {
        return maxIdleTime;
    }

    public Duration maxLifeTime() {
        return maxLifeTime;
    }

    public Duration maxAcquireTime() {
        return maxAcquireTime;
    }

    public Duration maxCreateConnectionTime() {
        return maxCreateConnectionTime;
    }

    public Duration maxValidationTime() {
        return maxValidationTime;
    }

    public @Nullable String validationQuery() {
        return validationQuery;
    }

    public int acquireRetry() {
        return acquireRetry;
    }

    public @Nullable Function<? super Connection, ? extends Publisher<Void>> postAllocate() {
        return postAllocate;
    }

    public @Nullable Function<? super Connection, ? extends Publisher<Void>> preRelease() {
        return preRelease;
    }

    @Override
    public String toString() {
        return "PoolSettings{initialSize=" + initialSize + ", maxSize=" + maxSize + ", minIdle=" + minIdle
                + ", maxIdleTime=" + maxIdleTime + ", maxLifeTime=" + maxLifeTime + ", maxAcquireTime="
                + maxAcquireTime + ", maxCreateConnectionTime=" + maxCreateConnectionTime
                + ", maxValidationTime=" + maxValidationTime + ", validationQuery=" + validationQuery
                + ", acquireRetry=" + acquireRetry + "}";
    }

    /** A validating builder: each setter checks its argument, {@link #build()} the rules across fields. */
    public static final class Builder {

        private int initialSize = 1;
        private int maxSize = 10;
        private int minIdle = 0;
        private Duration maxIdleTime = Duration.ofMinutes(10);
        private Duration maxLifeTime = Duration.ofMinutes(30);
        private Duration maxAcquireTime = Duration.ofSeconds(10);
        private Duration maxCreateConnectionTime = Duration.ofSeconds(10);
        private Duration maxValidationTime = Duration.ofSeconds(5);
        private @Nullable String validationQuery;
        private int acquireRetry = 1;
        private @Nullable Function<? super Connection, ? extends Publisher<Void>> postAllocate;
        private @Nullable Function<? super Connection, ? extends Publisher<Void>> preRelease;

        private Builder() {
        }

        /** Connections opened by warmup; 0 or more, at most maxSize. */
        public Builder initialSize(int initialSize) {
            this.initialSize = atLeast(initialSize, 0, "initialSize");
            return this;
        }

        /** The most connections the pool holds; 1 or more. */
        public Builder maxSize(int maxSize) {
            this.maxSize = atLeast(maxSize, 1, "maxSize");
            return this;
        }

        /** Idle connections the pool keeps open; 0 or more, at most maxSize. */
        public Builder minIdle(int minIdle) {
            this.minIdle = atLeast(minIdle, 0, "minIdle");
            return this;
        }

        /** How long a connection may stay idle before it is closed; positive. */
        public Builder maxIdleTime(Duration maxIdleTime) {
            this.maxIdleTime = positive(maxIdleTime, "maxIdleTime");
            return this;
        }

        /** How long a connection may live before it is closed when returned; positive. */
        public Builder maxLifeTime(Duration maxLifeTime) {
            this.maxLifeTime = positive(maxLifeTime, "maxLifeTime");
            return this;
        }

        /** How long a caller waits for a connection before an error; positive. */
        public Builder maxAcquireTime(Duration maxAcquireTime) {
            this.maxAcquireTime = positive(maxAcquireTime, "maxAcquireTime");
            return this;
        }

        /** How long opening a connection may take; positive. */
        public Builder maxCreateConnectionTime(Duration maxCreateConnectionTime) {
            this.maxCreateConnectionTime = positive(maxCreateConnectionTime, "maxCreateConnectionTime");
            return this;
        }

        /** How long validating a connection may take; positive. */
        public Builder maxValidationTime(Duration maxValidationTime) {
            this.maxValidationTime = positive(maxValidationTime, "maxValidationTime");
            return this;
        }

        /** SQL run to validate a connection on acquire, such as {@code SELECT 1}; null for the driver's check. */
        public Builder validationQuery(@Nullable String validationQuery) {
            if (validationQuery != null && validationQuery.isBlank()) {
                throw new IllegalArgumentException("validationQuery must not be blank; pass null to use the driver's check");
            }
            this.validationQuery = validationQuery;
            return this;
        }

        /** How often to retry acquiring when a connection fails validation; 0 or more. */
        public Builder acquireRetry(int acquireRetry) {
            this.acquireRetry = atLeast(acquireRetry, 0, "acquireRetry");
            return this;
        }

        /** A function run once on every new connection, before its first use. */
        public Builder postAllocate(@Nullable Function<? super Connection, ? extends Publisher<Void>> postAllocate) {
            this.postAllocate = postAllocate;
            return this;
        }

        /** SQL run once on every new connection, before its first use (for example {@code SET search_path ...}). */
        public Builder postAllocateSql(String sql) {
            this.postAllocate = sqlHook(sql, "postAllocateSql");
            return this;
        }

        /** A function run before a connection goes back to the pool. */
        public Builder preRelease(@Nullable Function<? super Connection, ? extends Publisher<Void>> preRelease) {
            this.preRelease = preRelease;
            return this;
        }

        /** SQL run before a connection goes back to the pool. */
        public Builder preReleaseSql(String sql) {
            this.preRelease = sqlHook(sql, "preReleaseSql");
            return this;
        }

        /**
         * The settings.
         *
         * @throws IllegalArgumentException if initialSize or minIdle exceeds maxSize
         */
        public PoolSettings build() {
            if (initialSize > maxSize) {
                throw new IllegalArgumentException("initialSize (" + initialSize + ") must not exceed maxSize (" + maxSize + ")");
            }
            if (minIdle > maxSize) {
                throw new IllegalArgumentException("minIdle (" + minIdle + ") must not exceed maxSize (" + maxSize + ")");
            }
            return new PoolSettings(this);
        }

        private static Function<Connection, Publisher<Void>> sqlHook(String sql, String field) {
            Objects.requireNonNull(sql, field);
            if (sql.isBlank()) {
                throw new IllegalArgumentException(field + " must not be blank");
            }
            return connection -> reactor.core.publisher.Flux.from(connection.createStatement(sql).execute())
                    .concatMap(io.r2dbc.spi.Result::getRowsUpdated)
                    .then();
        }

        private static int atLeast(int value, int min, String field) {
            if (value < min) {
                throw new IllegalArgumentException(field + " must be at least " + min + ", was " + value);
            }
            return value;
        }

        private static Duration positive(Duration value, String field) {
            Objects.requireNonNull(value, field);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(field + " must be positive, was " + value);
            }
            return value;
        }
    }
}
