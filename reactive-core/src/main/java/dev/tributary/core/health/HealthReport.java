package dev.tributary.core.health;

import dev.tributary.core.PoolMetrics;
import dev.tributary.core.resilience.CircuitBreaker;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The health of one database at one moment.
 *
 * <ul>
 *   <li>{@link Status#DOWN}: the validation query failed or timed out, or the circuit breaker is OPEN.</li>
 *   <li>{@link Status#DEGRADED}: the breaker is HALF_OPEN, or the pool's utilization or its pending acquires
 *       reached the {@link HealthSettings} thresholds.</li>
 *   <li>{@link Status#UP}: otherwise.</li>
 * </ul>
 *
 * @param database the database's name
 * @param status UP, DEGRADED or DOWN
 * @param validationTime the validation query's round trip; null when it failed or timed out
 * @param pool the pool's metrics when the report was made
 * @param utilization the pool's {@linkplain PoolMetrics#utilization() utilization}, 0 to 1
 * @param breakerState the circuit breaker's state; null when the database has no breaker
 * @param lastError the validation's error, or else the breaker's last recorded failure, as
 *     {@code class: message}; null when there is none
 * @param details the same facts as a flat map of strings and numbers (for a health endpoint), in a stable order
 */
public record HealthReport(String database, Status status, @Nullable Duration validationTime, PoolMetrics pool,
        double utilization, CircuitBreaker.@Nullable State breakerState, @Nullable String lastError,
        Map<String, Object> details) {

    /** The health of a database, from best to worst. */
    public enum Status {
        /** Answering, with room in its pool. */
        UP,
        /** Answering, but close to its limits or recovering. */
        DEGRADED,
        /** Not answering, or failing fast. */
        DOWN;

        /** The worse of this and {@code other}. */
        public Status worse(Status other) {
            return compareTo(other) >= 0 ? this : other;
        }
    }

    public HealthReport {
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** The worst status among {@code reports}; UP when there are none. */
    public static Status worst(Collection<HealthReport> reports) {
        Status worst = Status.UP;
        for (HealthReport report : reports) {
            worst = worst.worse(report.status());
        }
        return worst;
    }
}
