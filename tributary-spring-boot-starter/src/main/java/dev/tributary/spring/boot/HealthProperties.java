package dev.tributary.spring.boot;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How each database's health is judged (HealthSettings): tributary.health.*.
 *
 * @param validationQuery the query a health check runs (default SELECT 1)
 * @param validationTimeout how long it may take before the database is DOWN (default 2s)
 * @param degradedUtilization the share of the pool in use, 0 to 1, from which the database is DEGRADED (default 0.9)
 * @param degradedPending callers waiting for a connection from which the database is DEGRADED (default 5)
 */
public record HealthProperties(@Nullable String validationQuery, @Nullable Duration validationTimeout,
        @Nullable Double degradedUtilization, @Nullable Integer degradedPending) {
}
