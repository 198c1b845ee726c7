package dev.tributary.samples.web;

import dev.tributary.core.Database;
import dev.tributary.core.Databases;
import dev.tributary.core.PoolMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToIntFunction;

/**
 * Registers each database's pool gauges under the names Spring Boot uses for r2dbc-pool
 * ({@code r2dbc.pool.acquired}, ... tagged {@code name}), so the usual dashboards work.
 */
final class PoolMetricsBinder implements MeterBinder {

    private final Databases databases;

    PoolMetricsBinder(Databases databases) {
        this.databases = databases;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String name : databases.names()) {
            Database db = databases.get(name);
            gauge(registry, db, "r2dbc.pool.acquired", "Connections handed out and not yet returned", PoolMetrics::acquired);
            gauge(registry, db, "r2dbc.pool.allocated", "Connections the pool holds, idle or in use", PoolMetrics::allocated);
            gauge(registry, db, "r2dbc.pool.idle", "Connections waiting in the pool", PoolMetrics::idle);
            gauge(registry, db, "r2dbc.pool.pending", "Callers waiting for a connection", PoolMetrics::pending);
            gauge(registry, db, "r2dbc.pool.max.allocated", "The most connections the pool may hold", PoolMetrics::maxAllocated);
        }
    }

    private static void gauge(MeterRegistry registry, Database db, String name, String description,
            ToIntFunction<PoolMetrics> value) {
        Gauge.builder(name, db, d -> value.applyAsInt(d.poolMetrics()))
                .description(description)
                .tag("name", db.name())
                .register(registry);
    }
}
