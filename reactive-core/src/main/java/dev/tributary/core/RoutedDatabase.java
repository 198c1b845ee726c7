package dev.tributary.core;

import dev.tributary.core.health.HealthReport;
import dev.tributary.core.resilience.CircuitBreaker;
import dev.tributary.core.resilience.CircuitBreakerOpenException;
import dev.tributary.core.resilience.FailureClassifier;
import io.r2dbc.spi.IsolationLevel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A logical database with one primary and one or more replicas, each its own pool with its own guards. Reads
 * ({@code query} outside a transaction) go to the replicas in turn, skipping those whose circuit breaker is
 * open; a read that fails before its first row because its database cannot serve (breaker open, connection
 * error, timeout) goes to the next replica, and finally to the primary. Writes ({@code update}, {@code batch})
 * and transactions go to the primary.
 */
final class RoutedDatabase implements ManagedDatabase {

    private final String name;
    private final PooledDatabase primary;
    private final List<PooledDatabase> replicas;
    private final AtomicInteger next = new AtomicInteger();

    RoutedDatabase(String name, PooledDatabase primary, List<PooledDatabase> replicas) {
        this.name = name;
        this.primary = primary;
        this.replicas = List.copyOf(replicas);
        for (PooledDatabase replica : this.replicas) {
            if (replica.dialect() != primary.dialect()) {
                throw new DatabaseConfigurationException("Database '" + name + "': replica '" + replica.name() + "' is "
                        + replica.dialect() + " but the primary is " + primary.dialect() + "; replicas must be the same kind");
            }
        }
    }

    /**
     * The databases a read tries in turn: the replicas from the next one on, skipping those whose breaker is open,
     * then the primary.
     */
    List<PooledDatabase> readers() {
        int n = replicas.size();
        int start = Math.floorMod(next.getAndIncrement(), n);
        List<PooledDatabase> order = new ArrayList<>(n + 1);
        for (int i = 0; i < n; i++) {
            PooledDatabase replica = replicas.get((start + i) % n);
            CircuitBreaker breaker = replica.circuitBreaker();
            if (breaker == null || breaker.state() != CircuitBreaker.State.OPEN) {
                order.add(replica);
            }
        }
        order.add(primary);
        return order;
    }

    private <T> Flux<T> read(Function<Database, Flux<T>> query) {
        return Flux.defer(() -> readFrom(readers(), 0, query));
    }

    /**
     * The read on {@code order.get(i)}; if it fails before its first row because that database cannot serve (its
     * breaker refuses, a connection error, a timeout: {@link FailureClassifier#isDatabaseFailure}), on the next
     * one. Only errors before the first row fail over, so rows are never duplicated; the caller's own errors (bad
     * SQL) do not.
     */
    private <T> Flux<T> readFrom(List<PooledDatabase> order, int i, Function<Database, Flux<T>> query) {
        Flux<T> rows = query.apply(order.get(i));
        if (i == order.size() - 1) {
            return rows;
        }
        PooledDatabase.ReadAttempt attempt = new PooledDatabase.ReadAttempt();
        return rows.doOnNext(attempt::row)
                .onErrorResume(error -> !attempt.rows && (error instanceof CircuitBreakerOpenException
                        || FailureClassifier.isDatabaseFailure(error)) ? readFrom(order, i + 1, query) : Flux.error(error));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Dialect dialect() {
        return primary.dialect();
    }

    @Override
    public Flux<Row> query(String sql, Object... binds) {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(binds, "binds");
        return read(db -> db.query(sql, binds));
    }

    @Override
    public Flux<Row> query(String sql, Map<String, ?> params) {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(params, "params");
        return read(db -> db.query(sql, params));
    }

    @Override
    public <T> Flux<T> query(String sql, Class<T> type, Object... binds) {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(binds, "binds");
        return read(db -> db.query(sql, type, binds));
    }

    @Override
    public Mono<Long> update(String sql, Object... binds) {
        return primary.update(sql, binds);
    }

    @Override
    public Mono<long[]> batch(String sql, List<Object[]> bindSets) {
        return primary.batch(sql, bindSets);
    }

    @Override
    public <T> Flux<T> inTransaction(Function<Session, ? extends Publisher<T>> work) {
        return primary.inTransaction(work);
    }

    @Override
    public <T> Flux<T> inTransaction(IsolationLevel isolation, Function<Session, ? extends Publisher<T>> work) {
        return primary.inTransaction(isolation, work);
    }

    /** The primary's pool and the replicas' pools added up. */
    @Override
    public PoolMetrics poolMetrics() {
        int allocated = 0, acquired = 0, idle = 0, pending = 0, maxAllocated = 0;
        long maxPending = 0;
        for (PooledDatabase db : all()) {
            PoolMetrics m = db.poolMetrics();
            allocated += m.allocated();
            acquired += m.acquired();
            idle += m.idle();
            pending += m.pending();
            maxAllocated += m.maxAllocated();
            maxPending += m.maxPending();
        }
        return new PoolMetrics(allocated, acquired, idle, pending, maxAllocated, (int) Math.min(Integer.MAX_VALUE, maxPending));
    }

    @Override
    public Mono<Integer> warmup() {
        return Flux.fromIterable(all()).flatMap(PooledDatabase::warmup).reduce(0, Integer::sum);
    }

    /**
     * The primary's report, DEGRADED at best when a replica is not UP, with each replica's status and last error
     * in the details ({@code replica.<name>.status}).
     */
    @Override
    public Mono<HealthReport> health() {
        List<Mono<HealthReport>> checks = new ArrayList<>();
        for (PooledDatabase db : all()) {
            checks.add(db.health());
        }
        return Flux.mergeSequential(checks).collectList().map(reports -> {
            HealthReport p = reports.get(0);
            HealthReport.Status status = p.status();
            Map<String, Object> details = new LinkedHashMap<>(p.details());
            details.put("database", name);
            for (HealthReport r : reports.subList(1, reports.size())) {
                if (r.status() != HealthReport.Status.UP) {
                    status = status.worse(HealthReport.Status.DEGRADED);
                }
                details.put("replica." + r.database() + ".status", r.status().name());
                if (r.lastError() != null) {
                    details.put("replica." + r.database() + ".lastError", r.lastError());
                }
            }
            details.put("status", status.name());
            return new HealthReport(name, status, p.validationTime(), poolMetrics(), p.utilization(), p.breakerState(),
                    p.lastError(), details);
        });
    }

    /** The primary's breaker; each replica has its own. */
    @Override
    public @Nullable CircuitBreaker circuitBreaker() {
        return primary.circuitBreaker();
    }

    @Override
    public PooledDatabase writer() {
        return primary;
    }

    /** The primary, then the replicas. */
    List<PooledDatabase> all() {
        List<PooledDatabase> all = new ArrayList<>(replicas.size() + 1);
        all.add(primary);
        all.addAll(replicas);
        return all;
    }

    @Override
    public Mono<Void> close() {
        return Flux.fromIterable(all()).flatMap(PooledDatabase::close).then();
    }

    @Override
    public String toString() {
        return "Database[" + name + ", primary " + primary + ", replicas " + replicas + "]";
    }
}
