package dev.tributary.core.health;

import dev.tributary.core.Database;
import dev.tributary.core.Databases;
import dev.tributary.core.PoolMetrics;
import dev.tributary.core.resilience.CircuitBreaker;
import dev.tributary.core.resilience.CircuitBreakerEvent;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import reactor.core.Disposable;
import reactor.core.Disposables;

/**
 * Registers Tributary's meters with Micrometer. This is the only class of the library that needs Micrometer on
 * the classpath (it is an optional dependency); everything else works without it.
 *
 * <table>
 *   <caption>Meters, each tagged {@code name} (the database)</caption>
 *   <tr><th>meter</th><th>type</th><th>what</th></tr>
 *   <tr><td>{@code r2dbc.pool.acquired}, {@code .allocated}, {@code .idle}, {@code .pending},
 *       {@code .max.allocated}, {@code .max.pending}</td><td>gauge</td><td>the pool's metrics, with Spring Boot's
 *       names for r2dbc-pool</td></tr>
 *   <tr><td>{@code tributary.circuitbreaker.state}</td><td>gauge, tag {@code state}</td><td>1 for the breaker's
 *       current state, 0 for the others</td></tr>
 *   <tr><td>{@code tributary.circuitbreaker.transitions}</td><td>counter, tags {@code from}, {@code to}</td>
 *       <td>state transitions</td></tr>
 *   <tr><td>{@code tributary.circuitbreaker.not.permitted}</td><td>counter</td><td>calls refused at once</td></tr>
 *   <tr><td>{@code tributary.query}</td><td>timer, tag {@code outcome}</td><td>time from a query's subscription to
 *       its first row or end ({@code success}), its error ({@code failure}, {@code ignored_error}) or its
 *       cancellation ({@code cancelled}); measured by the breaker, so only databases with one report it</td></tr>
 * </table>
 */
public final class TributaryMetrics {

    private TributaryMetrics() {
    }

    /**
     * Registers the meters of every database of {@code databases}: its pool gauges and, if it has a circuit
     * breaker, the breaker's meters and the query timer.
     *
     * @return removes the meters and stops counting when disposed
     */
    public static Disposable bindTo(MeterRegistry registry, Databases databases) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(databases, "databases");
        Disposable.Composite all = Disposables.composite();
        for (String name : databases.names()) {
            Database database = databases.get(name);
            all.add(bindPool(registry, name, database::poolMetrics));
            CircuitBreaker breaker = database.circuitBreaker();
            if (breaker != null) {
                all.add(bindCircuitBreaker(registry, breaker));
            }
        }
        return all;
    }

    /**
     * Registers the six {@code r2dbc.pool.*} gauges of one pool.
     *
     * @return removes the gauges from {@code registry} when disposed
     */
    public static Disposable bindPool(MeterRegistry registry, String name, Supplier<PoolMetrics> pool) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pool, "pool");
        List<Meter> meters = new ArrayList<>();
        meters.add(gauge(registry, "r2dbc.pool.acquired", "Connections handed out and not yet returned", name, pool, PoolMetrics::acquired));
        meters.add(gauge(registry, "r2dbc.pool.allocated", "Connections the pool holds, idle or in use", name, pool, PoolMetrics::allocated));
        meters.add(gauge(registry, "r2dbc.pool.idle", "Connections waiting in the pool", name, pool, PoolMetrics::idle));
        meters.add(gauge(registry, "r2dbc.pool.pending", "Callers waiting for a connection", name, pool, PoolMetrics::pending));
        meters.add(gauge(registry, "r2dbc.pool.max.allocated", "The most connections the pool may hold", name, pool,
                PoolMetrics::maxAllocated));
        meters.add(gauge(registry, "r2dbc.pool.max.pending", "The most callers that may wait", name, pool, PoolMetrics::maxPending));
        return () -> meters.forEach(registry::remove);
    }

    /**
     * Registers a breaker's state gauges and subscribes to its events for the transition and refusal counters and
     * the query timer.
     *
     * @return stops counting and removes the meters when disposed
     */
    public static Disposable bindCircuitBreaker(MeterRegistry registry, CircuitBreaker breaker) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(breaker, "breaker");
        String name = breaker.name();
        Set<Meter> meters = ConcurrentHashMap.newKeySet();
        for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
            meters.add(Gauge.builder("tributary.circuitbreaker.state", breaker, b -> b.state() == state ? 1 : 0)
                    .description("1 for the circuit breaker's current state, 0 for the others")
                    .tags(Tags.of("name", name, "state", lower(state)))
                    .strongReference(true)
                    .register(registry));
        }
        Disposable events = breaker.events().subscribe(event -> record(registry, event, meters));
        return () -> {
            events.dispose();
            meters.forEach(registry::remove);
        };
    }

    private static void record(MeterRegistry registry, CircuitBreakerEvent event, Set<Meter> meters) {
        Meter meter;
        switch (event.type()) {
            case STATE_TRANSITION -> {
                var counter = registry.counter("tributary.circuitbreaker.transitions", Tags.of("name", event.name(),
                        "from", lower(event.previousState()), "to", lower(event.state())));
                counter.increment();
                meter = counter;
            }
            case NOT_PERMITTED -> {
                var counter = registry.counter("tributary.circuitbreaker.not.permitted", Tags.of("name", event.name()));
                counter.increment();
                meter = counter;
            }
            case SUCCESS, FAILURE, IGNORED_ERROR, CANCELLED -> {
                Timer timer = Timer.builder("tributary.query")
                        .description("Time from a query's subscription to its first row, end, error or cancellation")
                        .tags(Tags.of("name", event.name(), "outcome", event.type().name().toLowerCase(Locale.ROOT)))
                        .register(registry);
                timer.record(event.elapsed());
                meter = timer;
            }
            default -> {
                return;
            }
        }
        meters.add(meter);
    }

    private static Gauge gauge(MeterRegistry registry, String meter, String description, String name,
            Supplier<PoolMetrics> pool, ToDoubleFunction<PoolMetrics> value) {
        return Gauge.builder(meter, pool, p -> value.applyAsDouble(p.get()))
                .description(description)
                .baseUnit("connections")
                .tag("name", name)
                .strongReference(true)
                .register(registry);
    }

    private static String lower(CircuitBreaker.State state) {
        return state.name().toLowerCase(Locale.ROOT);
    }
}
