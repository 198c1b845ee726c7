package dev.tributary.samples.web;

import dev.tributary.core.Database;
import dev.tributary.core.PoolMetrics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;

/**
 * The health of one Tributary database: UP when a validation query answers within the timeout, DOWN with
 * the error otherwise; the pool's metrics as details.
 */
final class DatabaseHealthIndicator implements ReactiveHealthIndicator {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Database database;

    DatabaseHealthIndicator(Database database) {
        this.database = database;
    }

    @Override
    public Mono<Health> health() {
        return Mono.defer(() -> {
            long start = System.nanoTime();
            return database.query("SELECT 1").then(Mono.fromSupplier(() -> Duration.ofNanos(System.nanoTime() - start)));
        })
                .timeout(TIMEOUT)
                .map(rtt -> details(Health.up()).withDetail("validationMillis", rtt.toMillis()).build())
                .onErrorResume(e -> Mono.just(details(Health.down(e)).build()));
    }

    private Health.Builder details(Health.Builder health) {
        PoolMetrics m = database.poolMetrics();
        Map<String, Object> pool = new LinkedHashMap<>();
        pool.put("allocated", m.allocated());
        pool.put("acquired", m.acquired());
        pool.put("idle", m.idle());
        pool.put("pending", m.pending());
        pool.put("maxAllocated", m.maxAllocated());
        pool.put("utilization", m.utilization());
        return health.withDetail("database", database.name())
                .withDetail("dialect", database.dialect().name())
                .withDetail("pool", pool);
    }
}
