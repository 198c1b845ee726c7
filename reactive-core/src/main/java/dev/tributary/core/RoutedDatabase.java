package dev.tributary.core;

import dev.tributary.core.health.HealthReport;
import dev.tributary.core.resilience.CircuitBreaker;
import dev.tributary.core.resilience.CircuitBreakerOpenException;
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
 * open, and to the primary when every replica's breaker is open (or a replica refuses the call at once);
 * writes ({@code update}, {@code batch}) and transactions go to the primary.
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

    /** The database a read goes to now: the next replica whose breaker is not open, else the primary. */
    PooledDatabase reader() {
        int n = replicas.size();
        int start = Math.floorMod(next.getAndIncrement(), n);
        for (int i = 0; i < n; i++) {
            PooledDatabase replica = replicas.get((start + i) % n);
            CircuitBreaker breaker = replica.circuitBreaker();
            if (breaker == null || breaker.state() != CircuitBreaker.State.OPEN) {
                return replica;
            }
        }
        return primary;
    }

    private <T> Flux<T> read(Function<Database, Flux<T>> query) {
        return Flux.defer(() -> {
            PooledDatabase target = reader();
            Flux<T> rows = query.apply(target);
            // a refusal comes before any row, so falling back to the primary never duplicates rows
            return target == primary ? rows
                    : rows.onErrorResume(CircuitBreakerOpenException.class, refused -> query.apply(primary));
        });
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
