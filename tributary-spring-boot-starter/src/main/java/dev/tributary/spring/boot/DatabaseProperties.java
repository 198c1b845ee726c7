package dev.tributary.spring.boot;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One database: tributary.databases.NAME.*.
 *
 * @param url the R2DBC URL, such as r2dbc:postgresql://app@db:5432/orders or
 *     r2dbc:h2:mem:///orders?options=DB_CLOSE_DELAY=-1; the driver must be on the classpath
 * @param aliases other names of this database, served by the same pool (a list, or comma-separated)
 * @param pool the connection pool's settings
 * @param resilience this database's circuit breaker, retries and timeouts, instead of tributary.resilience
 * @param replicas read replicas: reads outside transactions go to them in turn, writes to url
 *     (tributary.databases.NAME.replicas[0].url)
 * @param migration this database's Flyway settings, instead of tributary.migration
 */
public record DatabaseProperties(@Nullable String url, @Nullable List<String> aliases, @Nullable Pool pool,
        @Nullable ResilienceProperties resilience, @Nullable List<Replica> replicas,
        @Nullable MigrationProperties migration) {

    public DatabaseProperties {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        pool = pool == null ? Pool.EMPTY : pool;
        replicas = replicas == null ? List.of() : List.copyOf(replicas);
    }

    /**
     * A read replica.
     *
     * @param url the replica's R2DBC URL; the same kind of database as the primary
     * @param pool the replica's own pool settings
     */
    public record Replica(@Nullable String url, @Nullable Pool pool) {

        public Replica {
            pool = pool == null ? Pool.EMPTY : pool;
        }
    }

    /**
     * A connection pool's settings (PoolSettings).
     *
     * @param initialSize connections opened by warm-up (default 1)
     * @param maxSize the most connections (default 10); at least 1
     * @param minIdle idle connections kept open (default 0)
     * @param maxIdleTime how long a connection may stay idle before it is closed (default 10m)
     * @param maxLifeTime how long a connection may live (default 30m)
     * @param maxAcquireTime how long a caller waits for a connection (default 10s)
     * @param maxCreateConnectionTime how long opening a connection may take (default 10s)
     * @param maxValidationTime how long validating a connection may take (default 5s)
     * @param validationQuery the query that validates a connection (default: the driver's own check)
     * @param acquireRetry how often acquiring is retried (default 1)
     * @param postAllocateSql SQL run on every connection once it is opened
     * @param preReleaseSql SQL run on a connection before it goes back to the pool
     */
    public record Pool(@Nullable Integer initialSize, @Nullable Integer maxSize, @Nullable Integer minIdle,
            @Nullable Duration maxIdleTime, @Nullable Duration maxLifeTime, @Nullable Duration maxAcquireTime,
            @Nullable Duration maxCreateConnectionTime, @Nullable Duration maxValidationTime,
            @Nullable String validationQuery, @Nullable Integer acquireRetry, @Nullable String postAllocateSql,
            @Nullable String preReleaseSql) {

        static final Pool EMPTY = new Pool(null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
