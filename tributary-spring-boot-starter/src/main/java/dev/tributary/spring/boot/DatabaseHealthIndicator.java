package dev.tributary.spring.boot;

import dev.tributary.core.Database;
import dev.tributary.core.health.HealthReport;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import reactor.core.publisher.Mono;

/**
 * The health of one Tributary database, from {@link Database#health()}: UP, {@link #DEGRADED} (breaker half-open
 * or pool close to its limits) or DOWN (validation failed or breaker open), with the report's details: the
 * validation round trip, the pool's metrics and utilization, the circuit breaker's state and the last error.
 */
public final class DatabaseHealthIndicator implements ReactiveHealthIndicator {

    /**
     * Spring has no DEGRADED status of its own; order it between DOWN and UP with
     * {@code management.endpoint.health.status.order: DOWN, OUT_OF_SERVICE, DEGRADED, UP, UNKNOWN}.
     */
    public static final Status DEGRADED = new Status("DEGRADED", "Answering, but close to its limits or recovering");

    private final Database database;

    /** The indicator of {@code database}. */
    public DatabaseHealthIndicator(Database database) {
        this.database = java.util.Objects.requireNonNull(database, "database");
    }

    @Override
    public Mono<Health> health() {
        return database.health().map(DatabaseHealthIndicator::toHealth);
    }

    /** Spring's view of a report: its status and details. */
    static Health toHealth(HealthReport report) {
        Status status = switch (report.status()) {
            case UP -> Status.UP;
            case DEGRADED -> DEGRADED;
            case DOWN -> Status.DOWN;
        };
        return Health.status(status).withDetails(report.details()).build();
    }
}
